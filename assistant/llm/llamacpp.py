"""A LangChain chat model over an in-process llama.cpp GGUF (the optional `local-llm` extra)."""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from assistant.errors import LLMUnavailableError

_ROLES = {"human": "user", "ai": "assistant", "system": "system"}
# A Llama object is not safe to call from two threads at once; one lock per loaded file.
_LOCKS: dict[str, threading.Lock] = {}


_MODELS: dict[tuple[str, int], Any] = {}
_MODELS_LOCK = threading.Lock()


def _load(model_path: str, n_ctx: int) -> Any:
    """One loaded model per (file, context size), shared by every caller."""
    with _MODELS_LOCK:
        if (model_path, n_ctx) not in _MODELS:
            try:
                from llama_cpp import Llama
            except ImportError as exc:
                raise LLMUnavailableError(
                    "ASSISTANT_LLM=llamacpp needs: pip install '.[local-llm]'"
                ) from exc
            _LOCKS.setdefault(model_path, threading.Lock())
            _MODELS[(model_path, n_ctx)] = Llama(model_path=model_path, n_ctx=n_ctx, verbose=False)
        return _MODELS[(model_path, n_ctx)]


@atexit.register
def _close_models() -> None:
    # Free models while the interpreter is still whole: llama.cpp's own finaliser fails
    # (TypeError in free_model) when it runs during interpreter shutdown.
    with _MODELS_LOCK:
        for model in _MODELS.values():
            model.close()
        _MODELS.clear()


def _messages(messages: list[BaseMessage]) -> list[dict[str, str]]:
    return [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]


class LlamaCppChat(BaseChatModel):
    model_path: str
    n_ctx: int = 4096
    temperature: float = 0.0
    max_tokens: int = 384

    @property
    def _llm_type(self) -> str:
        return "llamacpp-inprocess"

    def _call(self, messages: list[BaseMessage], stop: list[str] | None, stream: bool) -> Any:
        llama = _load(self.model_path, self.n_ctx)
        return llama.create_chat_completion(
            messages=_messages(messages),
            temperature=self.temperature,
            max_tokens=self.max_tokens,
            stop=stop,
            stream=stream,
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        _load(self.model_path, self.n_ctx)
        with _LOCKS[self.model_path]:
            result = self._call(messages, stop, stream=False)
        text = result["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        _load(self.model_path, self.n_ctx)
        with _LOCKS[self.model_path]:
            for event in self._call(messages, stop, stream=True):
                delta = event["choices"][0].get("delta", {}).get("content") or ""
                if not delta:
                    continue
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                if run_manager:
                    run_manager.on_llm_new_token(delta, chunk=chunk)
                yield chunk
