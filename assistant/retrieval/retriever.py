"""The article index as a LangChain retriever: Documents carry offsets and article metadata."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.schema import Passage, SearchFilter

RetrievalMode = Literal["hybrid", "bm25", "dense"]


class ArticleRetriever(BaseRetriever):
    """`retriever.invoke(question)`, or `invoke(question, k=3)` to ask for another number of
    documents than the retriever's `k` for one call."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 10
    filters: SearchFilter = SearchFilter()
    mode: RetrievalMode = "hybrid"

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, k: int | None = None
    ) -> list[Document]:
        result = self.searcher.search(query, k=k or self.k, filters=self.filters, mode=self.mode)
        return [passage_to_document(p) for p in result.passages]


def passage_to_document(passage: Passage) -> Document:
    metadata = passage.to_dict()
    text = metadata.pop("text")
    return Document(page_content=text, metadata=metadata, id=passage.chunk_id)
