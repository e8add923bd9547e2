"""Chat models chosen by settings (ASSISTANT_LLM): Ollama, any OpenAI-compatible server, or an
in-process GGUF through llama-cpp-python. Imports are lazy so the base install stays light."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from assistant.errors import LLMUnavailableError
from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

BACKENDS = ("ollama", "openai", "llamacpp")
DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434"
DEFAULT_OPENAI_URL = "http://127.0.0.1:8000/v1"


def make_chat_model(settings: Settings) -> BaseChatModel:
    backend = (settings.llm or "").strip().lower()
    if backend == "ollama":
        return _ollama(settings)
    if backend in ("openai", "openai-compatible"):
        return _openai(settings)
    if backend in ("llamacpp", "llama.cpp", "llama-cpp"):
        return _llamacpp(settings)
    raise LLMUnavailableError(
        f"unknown ASSISTANT_LLM={settings.llm!r}: use one of {', '.join(BACKENDS)}"
    )


def describe(settings: Settings) -> str:
    """Where the model lives, for messages: 'openai at http://...' or 'llamacpp file.gguf'."""
    backend = (settings.llm or "").lower()
    if backend == "llamacpp":
        return f"llamacpp {settings.llm_model_path}"
    default = DEFAULT_OLLAMA_URL if backend == "ollama" else DEFAULT_OPENAI_URL
    model = settings.llm_model or "(default)"
    return f"{backend} model {model} at {settings.llm_base_url or default}"


def _ollama(settings: Settings) -> BaseChatModel:
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise LLMUnavailableError("ASSISTANT_LLM=ollama needs: pip install '.[llm]'") from exc
    return ChatOllama(
        model=settings.llm_model or "llama3.2",
        base_url=settings.llm_base_url or DEFAULT_OLLAMA_URL,
        temperature=settings.llm_temperature,
        num_predict=settings.llm_max_tokens,
        client_kwargs={"timeout": settings.llm_timeout_s},
    )


def _openai(settings: Settings) -> BaseChatModel:
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise LLMUnavailableError("ASSISTANT_LLM=openai needs: pip install '.[llm]'") from exc
    # Local servers (llama.cpp, vLLM, LM Studio) accept any key; hosted APIs read it from the env.
    api_key = os.environ.get(settings.llm_api_key_env) or "not-needed"
    return ChatOpenAI(
        model=settings.llm_model or "default",
        base_url=settings.llm_base_url or DEFAULT_OPENAI_URL,
        api_key=api_key,  # type: ignore[arg-type]
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,  # type: ignore[call-arg]
        timeout=settings.llm_timeout_s,
        max_retries=0,  # fall back to the extractive answer at once rather than retrying
    )


def _llamacpp(settings: Settings) -> BaseChatModel:
    path = settings.llm_model_path
    if path is None:
        raise LLMUnavailableError("ASSISTANT_LLM=llamacpp needs ASSISTANT_LLM_MODEL_PATH=FILE.gguf")
    if not path.is_file():
        raise LLMUnavailableError(f"model file not found: {path}")
    from assistant.llm.llamacpp import LlamaCppChat

    return LlamaCppChat(
        model_path=str(path),
        n_ctx=settings.llm_context_tokens,
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
    )
