"""The embedding model on ONNX Runtime: exported once from the installed weights, optionally
quantised to int8, cached, then run without torch.

Why: in PyTorch eager mode the model spends the ingest in unfused fp32 kernels. The exported graph
is fused by onnxruntime's transformer optimizer (one Attention op per layer, LayerNorm folded into
the residual adds, GELU into its bias) and its Linear weights can be int8 with per-channel scales,
which the VNNI (and AVX2) integer kernels run much faster than fp32.

Build (torch, transformers and onnx are needed only here): transformer -> torch.onnx.export ->
onnxruntime.transformers.optimizer -> onnxruntime.quantization.quantize_dynamic. Run: the
tokenizer's own tokenizer.json, onnxruntime, then mean pooling and L2 normalisation as the
sentence-transformers model does (its 1_Pooling config and Normalize module).

The cache lives under the user cache folder (XDG_CACHE_HOME, else ~/.cache), not beside the index:
the file depends only on the model files and the export options, never on the articles, so one
build serves every index on the machine (evals and tests build many throw-away indexes, and an
index on a Chroma server has no folder of ours); and the embedder is built before, and without
knowing, any index. Each entry is a folder named by the sha256 of the model files, the export
options and the library versions that shaped the graph; it is built in a temporary folder and
renamed into place, and its manifest holds the sha256 of every file, checked at each load, so a
half-written or damaged entry is rebuilt, never used."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError, ModelNotFoundError
from assistant.models.onnx_session import file_sha256, one_input_per_core, single_input

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    import onnxruntime
    from tokenizers import Encoding

log = logging.getLogger(__name__)

# Bumped whenever the build steps change what an entry holds, so old entries are not reused.
BUILD_FORMAT = 1
MANIFEST = "manifest.json"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
# Library versions whose exporter, optimizer or quantiser shape the built graph.
_BUILD_LIBRARIES = ("torch", "transformers", "onnx", "onnxruntime")
# Files in a model folder that do not change the model.
_IGNORED_MODEL_FILES = {"README.md", ".gitattributes"}
# Feed-forward output projections read GELU outputs; a per-tensor activation scale has to span
# their outliers, so these layers lose the most precision in int8.
_GELU_OPS = {"BiasGelu", "Gelu", "FastGelu", "GemmFastGelu"}


@dataclass(frozen=True)
class ExportOptions:
    """How the ONNX file is built. Every field changes the vectors, so `tag` (part of the
    index's model name) names each one that is not the fp32 default."""

    int8: bool = False  # dynamic quantisation: int8 weights, activations quantised per batch
    per_channel: bool = True  # one weight scale per output channel rather than per matrix
    reduce_range: bool = False  # 7-bit weights (for integer kernels that can saturate)
    fp32_ffn_output: bool = False  # keep the feed-forward output projections in fp32
    opset: int = 17

    @property
    def tag(self) -> str:
        if not self.int8:
            return "onnx"
        parts = ["onnx-int8"]
        if not self.per_channel:
            parts.append("pt")
        if self.reduce_range:
            parts.append("rr")
        if self.fp32_ffn_output:
            parts.append("ffn32")
        return "-".join(parts)


@dataclass(frozen=True)
class CacheEntry:
    folder: Path
    manifest: dict[str, Any]
    built: bool  # True when this call exported it (False: an existing entry was reused)

    @property
    def model(self) -> Path:
        return self.folder / MODEL_FILE

    @property
    def tokenizer(self) -> Path:
        return self.folder / TOKENIZER_FILE


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "article-assistant" / "onnx"


def model_files_sha256(model_dir: Path) -> str:
    """One digest over every file that makes up the model (names and bytes)."""
    digest = hashlib.sha256()
    for file in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        relative = file.relative_to(model_dir)
        if file.name in _IGNORED_MODEL_FILES or any(
            part.startswith(".") for part in relative.parts
        ):
            continue
        digest.update(relative.as_posix().encode("utf-8") + b"\0")
        digest.update(file_sha256(file).encode("ascii") + b"\0")
    return digest.hexdigest()


def cache_key(model_dir: Path, options: ExportOptions) -> str:
    digest = hashlib.sha256()
    digest.update(model_files_sha256(model_dir).encode("ascii"))
    digest.update(json.dumps(asdict(options), sort_keys=True).encode("utf-8"))
    digest.update(f"format={BUILD_FORMAT}".encode())
    for library in _BUILD_LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()


def cached_model(
    model_dir: Path, options: ExportOptions, cache_dir: Path | None = None
) -> CacheEntry:
    """The built entry for this model and these options: reused when it is whole, otherwise
    (first use, a truncated or altered file, an interrupted build) built again."""
    root = cache_dir or default_cache_dir()
    key = cache_key(model_dir, options)
    folder = root / f"{options.tag}-{key[:24]}"
    manifest = _valid_manifest(folder, key)
    if manifest is not None:
        return CacheEntry(folder, manifest, built=False)
    try:
        root.mkdir(parents=True, exist_ok=True)
        with _build_lock(root / f"{folder.name}.lock"):
            # Another process may have built it while this one waited for the lock.
            manifest = _valid_manifest(folder, key)
            if manifest is not None:
                return CacheEntry(folder, manifest, built=False)
            work = Path(tempfile.mkdtemp(prefix=".build-", dir=root))
            try:
                manifest = _build(model_dir, options, key, work)
                _replace_folder(work, folder)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            return CacheEntry(folder, manifest, built=True)
    except OSError as exc:
        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        # A read-only home (some containers): build for this process only.
        work = Path(tempfile.mkdtemp(prefix="article-assistant-onnx-"))
        log.warning("cannot write the ONNX cache under %s; building in %s for this run", root, work)
        return CacheEntry(work, _build(model_dir, options, key, work), built=True)


def _valid_manifest(folder: Path, key: str) -> dict[str, Any] | None:
    """The entry's manifest when every file it lists has the recorded sha256, else None."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("key") != key:
            return None
        for name, expected in manifest["files"].items():
            if file_sha256(folder / name) != expected:
                log.warning("ONNX cache file %s is damaged; rebuilding it", folder / name)
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return manifest


@contextlib.contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """One builder per entry at a time across processes (an export takes seconds and several
    evals may start together)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: builds may race, but each rename is still atomic
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _replace_folder(built: Path, folder: Path) -> None:
    """Rename the finished build into place; a damaged entry there is moved aside first (a
    rename over a non-empty folder fails)."""
    if folder.exists():
        stale = folder.with_name(f".stale-{folder.name}-{os.getpid()}")
        shutil.rmtree(stale, ignore_errors=True)
        folder.rename(stale)
        shutil.rmtree(stale, ignore_errors=True)
    built.rename(folder)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _build(model_dir: Path, options: ExportOptions, key: str, out: Path) -> dict[str, Any]:
    """Export, fuse and (optionally) quantise the transformer into `out`; returns the manifest,
    written last, after every file it lists is on disk."""
    import torch
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    transformers_logging.set_verbosity_error()
    pooling, max_seq_length, lower_case = _sentence_transformers_config(model_dir)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    if not getattr(tokenizer, "is_fast", False):
        raise ConfigError(f"the onnx embedding backends need a fast tokenizer: {model_dir}")
    # Eager attention exports as plain MatMul/Softmax, the pattern the optimizer fuses.
    model = AutoModel.from_pretrained(
        str(model_dir), local_files_only=True, attn_implementation="eager"
    ).eval()
    config = model.config
    sample = tokenizer(
        ["A first sentence for the export.", "A second one"], padding=True, return_tensors="pt"
    )
    input_names = [
        name for name in ("input_ids", "attention_mask", "token_type_ids") if name in sample
    ]

    class Encoder(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(input_names, inputs, strict=True))).last_hidden_state

    axes = {name: {0: "batch", 1: "tokens"} for name in [*input_names, "last_hidden_state"]}
    exported = out / "exported.onnx"
    with warnings.catch_warnings(), torch.no_grad():
        # The TorchScript exporter warns about its deprecation and about traced shape checks
        # that hold for every input here (the mask always has the sequence's length).
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Encoder(model),
            tuple(sample[name] for name in input_names),
            str(exported),
            input_names=input_names,
            output_names=["last_hidden_state"],
            dynamic_axes=axes,
            opset_version=options.opset,
            do_constant_folding=True,
            dynamo=False,
        )
    fused = _fuse(exported, out / "fused.onnx", config)
    target = out / MODEL_FILE
    if options.int8:
        _quantize(fused, target, options)
    else:
        fused.replace(target)
    for leftover in (exported, out / "fused.onnx"):
        leftover.unlink(missing_ok=True)
    tokenizer.backend_tokenizer.save(str(out / TOKENIZER_FILE))
    files = [MODEL_FILE, TOKENIZER_FILE]
    for name in files:
        _fsync(out / name)
    manifest = {
        "key": key,
        "format": BUILD_FORMAT,
        "options": asdict(options),
        "pooling": pooling,
        "max_seq_length": max_seq_length,
        "do_lower_case": lower_case,
        "dimension": int(config.hidden_size),
        "files": {name: file_sha256(out / name) for name in files},
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    _fsync(out / MANIFEST)
    return manifest


def _sentence_transformers_config(model_dir: Path) -> tuple[str, int, bool]:
    """Pooling mode, token limit and lower-casing, as the sentence-transformers model has them."""
    pooling = "mean"
    pooling_file = model_dir / "1_Pooling" / "config.json"
    if pooling_file.is_file():
        config = json.loads(pooling_file.read_text(encoding="utf-8"))
        modes = [k for k, v in config.items() if k.startswith("pooling_mode_") and v is True]
        if modes == ["pooling_mode_mean_tokens"]:
            pooling = "mean"
        elif modes == ["pooling_mode_cls_token"]:
            pooling = "cls"
        else:
            raise ConfigError(
                f"the onnx embedding backends pool by mean or CLS token, not {modes}: "
                "use EMBEDDING_QUANTIZATION=none for this model"
            )
    max_seq_length, lower_case = 512, False
    bert_config = model_dir / "sentence_bert_config.json"
    if bert_config.is_file():
        config = json.loads(bert_config.read_text(encoding="utf-8"))
        max_seq_length = int(config.get("max_seq_length") or max_seq_length)
        lower_case = bool(config.get("do_lower_case", False))
    return pooling, max_seq_length, lower_case


def _fuse(exported: Path, fused: Path, config: Any) -> Path:
    """onnxruntime's BERT fusions (Attention, SkipLayerNormalization, BiasGelu,
    EmbedLayerNormalization); the unfused graph when they do not apply to this model."""
    from onnxruntime.transformers.optimizer import optimize_model

    try:
        optimized = optimize_model(
            str(exported),
            model_type="bert",
            num_heads=int(getattr(config, "num_attention_heads", 0) or 0),
            hidden_size=int(getattr(config, "hidden_size", 0) or 0),
            opt_level=0,
            use_gpu=False,
        )
        optimized.save_model_to_file(str(fused))
    except Exception as exc:  # a model family the fusions do not know still runs unfused
        log.warning("onnxruntime fusions failed (%s); using the unfused graph", exc)
        return exported
    return fused


def ffn_output_nodes(model: Any) -> list[str]:
    """Names of the MatMul nodes whose input is a GELU output: the feed-forward projections."""
    producers = {output: node for node in model.graph.node for output in node.output}
    return [
        node.name
        for node in model.graph.node
        if node.op_type == "MatMul"
        and node.input[0] in producers
        and producers[node.input[0]].op_type in _GELU_OPS
    ]


def _quantize(source: Path, target: Path, options: ExportOptions) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    excluded = ffn_output_nodes(onnx.load(str(source))) if options.fp32_ffn_output else []
    quantize_dynamic(
        str(source),
        str(target),
        per_channel=options.per_channel,
        reduce_range=options.reduce_range,
        weight_type=QuantType.QInt8,
        nodes_to_exclude=excluded,
        # Fused contrib ops (Attention, SkipLayerNormalization) defeat shape inference; their
        # outputs are float32.
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )


def prebuilt_entry(
    folder: Path, *, pooling: str, max_seq_length: int, dimension: int, files: dict[str, str]
) -> CacheEntry:
    """An ONNX model that arrives built (int8 already, inside an installed package): used where
    it lies, never exported. `files` are the sha256 its files were checked against."""
    manifest = {
        "key": None,
        "pooling": pooling,
        "max_seq_length": max_seq_length,
        # The tokenizer.json of such a model lower-cases in its own normalizer when it should.
        "do_lower_case": False,
        "dimension": dimension,
        "files": dict(files),
    }
    return CacheEntry(folder, manifest, built=False)


class OnnxEmbedder:
    """Sentence vectors from an ONNX file (the cached export of the installed weights, or a
    prebuilt entry): tokenised, each text run on its own, one core each, `threads` texts at a
    time, pooled (mean or CLS), L2-normalised. The int8 exports quantise their activations with
    one scale per run: in a padded batch a chunk's vector moved with its batch-mates (cosine
    0.997 on average to the same chunk run alone), so an article's vectors depended on what
    was ingested with it, and a question's clauses on each other; alone, a text always gets
    the same vector, and with nothing to pad it runs a little faster."""

    def __init__(
        self,
        model_dir: Path | None,
        options: ExportOptions | None,
        *,
        max_tokens: int = 0,
        threads: int = 0,
        cache_dir: Path | None = None,
        prebuilt: CacheEntry | None = None,
    ) -> None:
        if prebuilt is None and (model_dir is None or options is None):
            raise ValueError("OnnxEmbedder needs a model folder and export options, or a prebuilt")
        self.model_dir = model_dir
        self.options = options
        self.max_tokens = max_tokens
        self.threads = threads
        self.cache_dir = cache_dir
        self.prebuilt = prebuilt
        self.entry: CacheEntry | None = None
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: Any = None
        self._inputs: list[str] = []
        self._workers: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def load(self) -> OnnxEmbedder:
        with self._lock:
            if self._session is None:
                self._load()
        return self

    def _load(self) -> None:
        from tokenizers import Tokenizer

        if self.prebuilt is not None:
            entry = self.prebuilt
        else:
            assert self.model_dir is not None and self.options is not None
            if not self.model_dir.is_dir():
                raise ModelNotFoundError(
                    f"embedding model folder {self.model_dir} does not exist"
                )
            entry = cached_model(self.model_dir, self.options, self.cache_dir)
        tokenizer = Tokenizer.from_file(str(entry.tokenizer))
        tokenizer.no_padding()  # one text per run: nothing to pad
        tokenizer.enable_truncation(max_length=self.max_seq_length_of(entry))
        session, self._workers = one_input_per_core(entry.model, self.threads, name="embedder")
        self._inputs = [i.name for i in session.get_inputs()]
        self._tokenizer, self.entry, self._session = tokenizer, entry, session

    def max_seq_length_of(self, entry: CacheEntry) -> int:
        limit = int(entry.manifest["max_seq_length"])
        # Only ever lowers the model's own limit: cost grows with tokens read.
        return min(self.max_tokens, limit) if self.max_tokens else limit

    @property
    def max_seq_length(self) -> int:
        self.load()
        assert self.entry is not None
        return self.max_seq_length_of(self.entry)

    @property
    def dimension(self) -> int:
        self.load()
        assert self.entry is not None
        return int(self.entry.manifest["dimension"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        self.load()
        assert self._session is not None and self.entry is not None and self._workers is not None
        manifest = self.entry.manifest
        out = np.zeros((len(texts), int(manifest["dimension"])), dtype=np.float32)
        if not texts:
            return out
        # sentence-transformers strips each text (and lower-cases it when configured) first.
        prepared = [str(t).strip() for t in texts]
        if manifest["do_lower_case"]:
            prepared = [t.lower() for t in prepared]
        encodings = self._tokenizer.encode_batch(prepared)
        # Longest first, so the last texts to finish are short ones and no core idles long.
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        vectors = self._workers.map(lambda i: self._run_one(encodings[i]), order)
        for i, vector in zip(order, vectors, strict=True):
            out[i] = vector
        return out

    def _run_one(self, encoding: Encoding) -> np.ndarray:
        assert self._session is not None and self.entry is not None
        feeds = single_input(encoding, self._inputs)
        hidden = self._session.run(None, feeds)[0]
        return _pool(hidden, feeds["attention_mask"], self.entry.manifest["pooling"])[0]


def _pool(hidden: np.ndarray, mask: np.ndarray, pooling: str) -> np.ndarray:
    """sentence-transformers' Pooling (mean over real tokens, or the CLS token), then its
    Normalize module."""
    import numpy as np

    if pooling == "cls":
        pooled = hidden[:, 0]
    else:
        weights = mask[..., None].astype(hidden.dtype)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled / np.maximum(norms, 1e-12)
