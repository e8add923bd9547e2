"""article-assistant: answers about news articles, every claim backed by a verified quote."""

from assistant.core import Assistant, build_chain
from assistant.errors import (
    AssistantError,
    ConfigError,
    IndexBusyError,
    LoadError,
    QuestionError,
    StoreMismatchError,
    StoreUnavailableError,
)
from assistant.ingest import IngestReport
from assistant.retrieval import ArticleRetriever, SearchFilter
from assistant.schema import Answer, Article, Chunk, Citation, Passage
from assistant.settings import Settings

__all__ = [
    # configuration
    "Settings",
    # the product
    "Assistant",
    "build_chain",
    "ArticleRetriever",
    "SearchFilter",
    # data shapes
    "Answer",
    "Article",
    "Chunk",
    "Citation",
    "IngestReport",
    "Passage",
    # errors
    "AssistantError",
    "ConfigError",
    "IndexBusyError",
    "LoadError",
    "QuestionError",
    "StoreMismatchError",
    "StoreUnavailableError",
]
