"""Typed errors, each with a message a user can act on."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class for every error this package raises on purpose."""


class ConfigError(AssistantError):
    """A setting has a value that cannot work."""


class LoadError(AssistantError):
    """A file could not be read as articles (the message is the one-line reason)."""


class QuestionError(AssistantError):
    """The question cannot be answered as asked (empty, too long)."""


class StoreMismatchError(AssistantError):
    """The index on disk was built with another embedding model or chunking."""


class StoreUnavailableError(AssistantError):
    """The Chroma server cannot be reached."""


class IndexBusyError(AssistantError):
    """Another process is writing to the same index."""


class ModelNotFoundError(AssistantError):
    """The bundled embedding model package is missing."""


class LLMUnavailableError(AssistantError):
    """The configured language model cannot be used (bad setting, missing package or file)."""


class CitationMismatchError(AssertionError):
    """A citation's quote is not the article text at its offsets. A bug, never shown: so it is
    the one error here that is not an AssistantError, which the surfaces turn into messages."""
