"""Shared helpers for the benchmark scripts: data paths, offline setup, memory, percentiles."""

from __future__ import annotations

import json
import os
import resource
import statistics
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("ASSISTANT_SHARED_DATA", REPO.parent / "shared" / "data"))
MULTIHOP_CORPUS = SHARED_DATA / "multihop-rag" / "corpus.json"
MULTIHOP_QUERIES = SHARED_DATA / "multihop-rag" / "queries-dev.json"


def setup_offline() -> None:
    """The same privacy settings the app uses: nothing is fetched, nothing phones home."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(pid: int | None = None) -> float:
    """Current resident memory of a process, from /proc."""
    status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank-interpolated percentile (q in 0..100)."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def multihop_articles(limit: int | None = None) -> list[dict[str, str]]:
    rows = json.loads(MULTIHOP_CORPUS.read_text(encoding="utf-8"))
    return rows[:limit] if limit else rows


def multihop_queries() -> list[dict[str, object]]:
    return json.loads(MULTIHOP_QUERIES.read_text(encoding="utf-8"))


def mixed_unit_vectors(
    pool: np.ndarray,
    first: np.ndarray | int,
    second: np.ndarray | int,
    rng: np.random.Generator,
    noise: float = 0.5,
) -> np.ndarray:
    """Synthetic vectors that look like the model's: pool[first] + 0.5 * pool[second] plus
    Gaussian noise (total scale `noise`), L2-normalised. Works on one index or arrays of them."""
    mixed = pool[first] + 0.5 * pool[second]
    mixed = mixed + rng.normal(0, noise / np.sqrt(pool.shape[1]), mixed.shape)
    return mixed / np.linalg.norm(mixed, axis=-1, keepdims=True)


def corpus_chunk_texts(corpus: Path, *, limit_chunks: int) -> list[str]:
    """What our pipeline embeds (header + chunk), for the first chunks of the corpus."""
    from assistant.ingest.chunking import chunk_article, embedding_text
    from assistant.ingest.readers import load_file

    texts: list[str] = []
    for article in load_file(corpus, max_bytes=1 << 30):
        for chunk in chunk_article(article, max_chars=1000, overlap_sentences=1):
            texts.append(embedding_text(article, chunk))
            if len(texts) >= limit_chunks:
                return texts
    return texts
