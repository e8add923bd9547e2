"""Assistant: the one object behind the CLI, the chat page and the Python API."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from assistant.answer.condense import condense_question
from assistant.errors import ConfigError
from assistant.index.article_index import ArticleIndex
from assistant.index.registry import ArticleSummary
from assistant.ingest.pipeline import IngestReport, ProgressCallback, delete_article, ingest_paths
from assistant.models.cross_encoder import RERANKERS, CrossEncoder, shared_cross_encoder
from assistant.models.embeddings import MODEL_DIMENSIONS, ArticleEmbeddings
from assistant.offline import enforce_offline
from assistant.pipeline import AnswerChain, Answerer, ExtractiveAnswerer
from assistant.retrieval.search import ArticleRetriever, HybridSearcher, RetrievalMode, SearchFilter
from assistant.schema import Answer, Article, Passage
from assistant.settings import Settings


class Assistant:
    """Ingest articles and answer questions about them with verified citations.

    >>> a = Assistant()                      # settings from ASSISTANT_* environment variables
    >>> a.ingest(["corpus/"]).summary()
    >>> a.ask("How many troops has Moscow stationed near Ukraine?").text
    """

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        enforce_offline()
        base = settings or Settings.from_env()
        self.settings = base.with_overrides(**overrides) if overrides else base
        if self.settings.reranker not in RERANKERS:
            raise ConfigError(
                f"unknown reranker {self.settings.reranker!r}: use one of {', '.join(RERANKERS)}"
            )
        self.embeddings = ArticleEmbeddings(
            self.settings.embedding_model,
            batch_size=self.settings.embedding_batch_size,
            quantization=self.settings.embedding_quantization,
            max_tokens=self.settings.embedding_max_tokens,
            threads=self.settings.embedding_threads,
        )
        dimension = MODEL_DIMENSIONS.get(self.settings.embedding_model) or self.embeddings.dimension
        self.index = ArticleIndex(
            self.settings, model_name=self.embeddings.index_name, dimension=dimension
        )
        self.searcher = HybridSearcher(
            self.index, self.embeddings, self.settings, lambda: self.cross_encoder
        )
        self._answerer_lock = threading.Lock()
        self._answerer: Answerer | None = None

    # building blocks
    @property
    def answerer(self) -> Answerer:
        with self._answerer_lock:
            if self._answerer is None:
                self._answerer = self._make_answerer()
            return self._answerer

    def _make_answerer(self) -> Answerer:
        if self.settings.llm:
            from assistant.answer.generative import GenerativeAnswerer

            return GenerativeAnswerer(self)
        return ExtractiveAnswerer(self)

    @cached_property
    def cross_encoder(self) -> CrossEncoder | None:
        """The relevance model, or None in the fast profile (reranker "none")."""
        if self.settings.reranker == "none":
            return None
        return shared_cross_encoder(self.settings.embedding_threads)

    @cached_property
    def chain(self) -> AnswerChain:
        return AnswerChain(self)

    def retriever(
        self,
        k: int | None = None,
        filters: SearchFilter | None = None,
        mode: RetrievalMode = "hybrid",
    ) -> ArticleRetriever:
        return ArticleRetriever(
            searcher=self.searcher,
            k=k or self.settings.k,
            filters=filters or SearchFilter(),
            mode=mode,
        )

    def standalone_question(self, question: str, history: list[dict[str, str]] | None) -> str:
        condense = getattr(self.answerer, "condense", None)
        if condense is not None and history:
            return str(condense(question, history))
        return condense_question(question, history)

    def article_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        texts: dict[str, str] = {}
        for article_id in dict.fromkeys(article_ids):
            article = self.index.article(article_id)
            if article is not None:
                texts[article_id] = article.text
        return texts

    # public API
    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: ProgressCallback | None = None,
        prune: bool = False,
    ) -> IngestReport:
        """Index files and folders (txt, md, html, json, jsonl). Unchanged articles are skipped;
        with `prune`, articles whose files under `paths` were deleted are removed."""
        return ingest_paths(
            [Path(p) for p in paths],
            index=self.index,
            embeddings=self.embeddings,
            progress=progress,
            prune=prune,
        )

    def ask(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        filters: SearchFilter | dict[str, Any] | None = None,
    ) -> Answer:
        """Answer with verified citations, or abstain when the articles don't cover it."""
        return self.chain.invoke(
            {"question": question, "history": history or [], "filters": filters}
        )

    def stream(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        filters: SearchFilter | dict[str, Any] | None = None,
    ) -> Iterator[Answer]:
        yield from self.chain.stream(
            {"question": question, "history": history or [], "filters": filters}
        )

    def retrieve(
        self,
        question: str,
        k: int = 10,
        filters: SearchFilter | dict[str, Any] | None = None,
        mode: RetrievalMode = "hybrid",
    ) -> list[Passage]:
        """The ranked passages for a question (text, article metadata, offsets, scores)."""
        if not isinstance(filters, SearchFilter):
            filters = SearchFilter.from_dict(filters)
        return self.searcher.search(question, k=k, filters=filters, mode=mode).passages

    def articles(self) -> list[ArticleSummary]:
        return self.index.registry.articles()

    def article(self, article_id: str) -> Article | None:
        return self.index.article(article_id)

    def delete(self, article_id: str) -> bool:
        return delete_article(article_id, index=self.index)

    def close(self) -> None:
        self.index.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_chain(settings: Settings | None = None) -> AnswerChain:
    """The question chain as a LangChain Runnable (invoke, stream, batch)."""
    return Assistant(settings).chain
