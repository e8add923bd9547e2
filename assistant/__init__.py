"""article-assistant: answers about news articles, every claim backed by a verified quote.

The public API, in groups. Names load on first use, so that light entry points (the CLI's
`--help` and `articles`) don't pay for torch and Chroma."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    # configuration
    "Settings": "assistant.settings",
    # the product
    "Assistant": "assistant.api",
    "build_chain": "assistant.api",
    "ArticleRetriever": "assistant.retrieval.search",
    "SearchFilter": "assistant.schema",
    "IngestReport": "assistant.ingest.pipeline",
    # data shapes
    "Answer": "assistant.schema",
    "Article": "assistant.schema",
    "Chunk": "assistant.schema",
    "Citation": "assistant.schema",
    "Passage": "assistant.schema",
    # errors
    "AssistantError": "assistant.errors",
    "ConfigError": "assistant.errors",
    "IndexBusyError": "assistant.errors",
    "LoadError": "assistant.errors",
    "QuestionError": "assistant.errors",
    "StoreMismatchError": "assistant.errors",
    "StoreUnavailableError": "assistant.errors",
}

__all__ = list(_EXPORTS)

if TYPE_CHECKING:
    from assistant.api import Assistant, build_chain
    from assistant.errors import (
        AssistantError,
        ConfigError,
        IndexBusyError,
        LoadError,
        QuestionError,
        StoreMismatchError,
        StoreUnavailableError,
    )
    from assistant.ingest.pipeline import IngestReport
    from assistant.retrieval.search import ArticleRetriever
    from assistant.schema import Answer, Article, Chunk, Citation, Passage, SearchFilter
    from assistant.settings import Settings


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
