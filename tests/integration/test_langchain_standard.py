"""LangChain's own standard tests (langchain-tests) against our retriever, on the seed article
indexed with the real model and Chroma."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.api import Assistant
from assistant.retrieval.retriever import ArticleRetriever
from assistant.settings import Settings
from tests.helpers import CORPUS


@lru_cache(maxsize=1)
def seed_searcher() -> Any:
    # The standard suite builds retrievers from class properties, not fixtures: one index,
    # built on first use, removed at exit.
    folder = Path(tempfile.mkdtemp(prefix="langchain-standard-"))
    atexit.register(shutil.rmtree, folder, True)
    assistant = Assistant(Settings(data_dir=folder))
    assistant.ingest([CORPUS])
    return assistant.searcher


class TestArticleRetriever(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[ArticleRetriever]:
        return ArticleRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"searcher": seed_searcher()}

    @property
    def retriever_query_example(self) -> str:
        return "What did NATO say about Russian troops near Ukraine?"
