"""Eval configurations: a retrieval mode plus Settings overrides, read from evals/configs/*.toml,
and a view of an Assistant that runs the chain under one configuration without touching the
shared index or the core modules."""

from __future__ import annotations

import copy
import threading
import time
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import numpy as np

from assistant.errors import ConfigError
from assistant.retrieval.search import HybridSearcher, RetrievalMode, RetrievalResult, SearchFilter
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.api import Assistant

CONFIG_DIR = Path(__file__).resolve().parent.parent / "evals" / "configs"
DEFAULT_CONFIGS = ("hybrid", "bm25", "dense")
# Used when the package runs without the repo's evals/ folder next to it.
BUILTIN: dict[str, dict[str, Any]] = {
    "hybrid": {"mode": "hybrid", "description": "hybrid retrieval, default settings"},
    "bm25": {"mode": "bm25", "description": "BM25 only"},
    "dense": {"mode": "dense", "description": "dense only"},
}


@dataclass(frozen=True)
class EvalConfig:
    name: str
    mode: RetrievalMode = "hybrid"
    settings: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mode": self.mode,
            "settings": dict(self.settings),
            "description": self.description,
        }


def load_config(name: str, folder: Path = CONFIG_DIR) -> EvalConfig:
    """A config by name (evals/configs/NAME.toml) or by path to a .toml file."""
    path = Path(name)
    if path.suffix != ".toml":
        path = folder / f"{name}.toml"
    if path.exists():
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    elif name in BUILTIN:
        data = BUILTIN[name]
    else:
        known = sorted({p.stem for p in folder.glob("*.toml")} | set(BUILTIN))
        raise ConfigError(f"unknown eval config {name!r}; known: {', '.join(known)}")
    mode = data.get("mode", "hybrid")
    if mode not in get_args(RetrievalMode):
        raise ConfigError(f"eval config {name}: mode must be hybrid, bm25 or dense, not {mode!r}")
    overrides = dict(data.get("settings") or {})
    # The index is shared by all configurations: settings that shape it can't vary per config.
    allowed = {
        f.name
        for f in fields(Settings)
        if not f.name.startswith(("embedding_", "chunk_"))
        and f.name not in ("data_dir", "chroma_url", "collection", "extra")
    }
    unknown = set(overrides) - allowed
    if unknown:
        raise ConfigError(f"eval config {name}: unknown setting(s) {', '.join(sorted(unknown))}")
    return EvalConfig(
        path.stem if path.suffix == ".toml" else name,
        mode,
        overrides,
        str(data.get("description") or ""),
    )


class QueryVectors:
    """The model with a cache of question vectors computed in one batch: a benchmark run then
    spends seconds, not one model call per question and configuration, on embedding questions.
    Texts not in the cache (e.g. condensed follow-ups) go to the model."""

    def __init__(self, embeddings: Any, questions: list[str]) -> None:
        self.embeddings = embeddings
        unique = list(dict.fromkeys(questions))
        began = time.perf_counter()
        vectors = embeddings.encode(unique) if unique else []
        self.seconds = time.perf_counter() - began
        self.cache = {text: vector for text, vector in zip(unique, vectors, strict=True)}

    def encode(self, texts: list[str]) -> np.ndarray:
        if texts and all(t in self.cache for t in texts):
            return np.stack([self.cache[t] for t in texts])
        return np.asarray(self.embeddings.encode(texts))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.embeddings, name)


class ModeSearcher(HybridSearcher):
    """The searcher with another default retrieval mode, so the unchanged chain runs bm25 or
    dense retrieval."""

    def __init__(
        self, base: HybridSearcher, settings: Settings, mode: RetrievalMode, embeddings: Any = None
    ) -> None:
        super().__init__(base.index, embeddings or base.embeddings, settings, base.reranker)
        self.mode = mode

    def search(
        self,
        question: str,
        *,
        k: int | None = None,
        filters: SearchFilter | None = None,
        mode: RetrievalMode | None = None,
    ) -> RetrievalResult:
        return super().search(question, k=k, filters=filters, mode=mode or self.mode)


def configured(
    assistant: Assistant, config: EvalConfig, vectors: QueryVectors | None = None
) -> Assistant:
    """A shallow copy of `assistant` that shares its index and model but has the config's
    settings, searcher, answerer and chain. The original is left as it was."""
    view = copy.copy(assistant)
    view.__dict__.pop("chain", None)  # the cached chain is bound to the original
    view.__dict__.pop("cross_encoder", None)  # a config may switch the reranker off
    view.settings = assistant.settings.with_overrides(**config.settings)
    view.searcher = ModeSearcher(assistant.searcher, view.settings, config.mode, vectors)
    view._answerer_lock = threading.Lock()
    view._answerer = None
    return view
