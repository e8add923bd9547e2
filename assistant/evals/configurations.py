"""Eval configurations: a retrieval mode plus Settings overrides, read from configs/*.toml (package
data beside this module) or from a .toml file the user names,
and a view of an Assistant that runs the chain under one configuration without touching the
shared index or the core modules."""

from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass, field, fields
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, get_args

import numpy as np

from assistant.api import Assistant
from assistant.errors import ConfigError
from assistant.retrieval.search import HybridSearcher, RetrievalMode
from assistant.settings import Settings

DEFAULT_CONFIGS = ("hybrid", "bm25", "dense")


def packaged_configs() -> Traversable:
    """The folder of the configurations that ship with the package."""
    return resources.files("assistant.evals").joinpath("configs")


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


def load_config(name: str, folder: Traversable | None = None) -> EvalConfig:
    """A config by name (one of the packaged configs/NAME.toml) or by path to a .toml file."""
    folder = folder or packaged_configs()
    path: Traversable = Path(name)
    if Path(name).suffix != ".toml":
        path = folder.joinpath(f"{name}.toml")
    if path.is_file():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    else:
        known = sorted(
            item.name.removesuffix(".toml")
            for item in folder.iterdir()
            if item.name.endswith(".toml")
        )
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
        Path(name).stem,
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
        vectors = embeddings.encode_queries(unique) if unique else []
        self.seconds = time.perf_counter() - began
        self.cache = {text: vector for text, vector in zip(unique, vectors, strict=True)}

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        if texts and all(t in self.cache for t in texts):
            return np.stack([self.cache[t] for t in texts])
        return np.asarray(self.embeddings.encode_queries(texts))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.embeddings, name)


def configured(
    assistant: Assistant, config: EvalConfig, vectors: QueryVectors | None = None
) -> Assistant:
    """An Assistant over `assistant`'s model and index with the config's settings and retrieval
    mode (questions embedded from `vectors` when given). The original is left as it was."""
    settings = assistant.settings.with_overrides(**config.settings)
    searcher = HybridSearcher(
        assistant.index,
        vectors or assistant.embeddings,
        settings,
        lambda: view.cross_encoder,
        default_mode=config.mode,
    )
    view = Assistant(
        settings, embedder=assistant.embeddings, index=assistant.index, searcher=searcher
    )
    return view
