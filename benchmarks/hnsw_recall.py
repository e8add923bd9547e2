"""HNSW settings against exact search: recall@10 and query time of Chroma's approximate index for
several ef_construction / ef_search values, measured on the real MultiHop-RAG chunk vectors (the
benchmark index that `assistant eval multihop-rag` builds) and, with --synthetic N, on N vectors
made from them (real vectors mixed with seeded noise, as benchmarks/scale.py does), where HNSW
recall falls first.

Exact search is numpy over all vectors (cosine). Queries are the 851 dev questions, embedded with
the real model. Every collection is built in a temporary embedded Chroma; the benchmark index
is only read.

    .venv/bin/python -m benchmarks.hnsw_recall
    .venv/bin/python -m benchmarks.hnsw_recall --synthetic 100000
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import mixed_unit_vectors, multihop_queries, percentile, setup_offline

TOP_K = 10


def stored_vectors() -> np.ndarray:
    """All chunk vectors of the MultiHop-RAG benchmark index, read-only."""
    import chromadb

    from assistant.evals.benchmarks import benchmark_settings
    from assistant.settings import Settings

    settings, _ = benchmark_settings("multihop-rag", Settings.from_env())
    if not settings.chroma_dir.exists():
        raise SystemExit(
            f"no benchmark index at {settings.data_dir}: run `assistant eval multihop-rag` first"
        )
    client = chromadb.PersistentClient(
        path=str(settings.chroma_dir),
        settings=chromadb.Settings(anonymized_telemetry=False),
    )
    got = client.get_collection(settings.collection).get(include=["embeddings"])
    return np.asarray(got["embeddings"], dtype=np.float32)


def synthetic(pool: np.ndarray, count: int, seed: int = 7) -> np.ndarray:
    """`count` unit vectors, each a mix of two real ones plus noise (as benchmarks/scale.py)."""
    rng = np.random.default_rng(seed)
    i = rng.integers(0, len(pool), size=count)
    j = rng.integers(0, len(pool), size=count)
    return mixed_unit_vectors(pool, i, j, rng).astype(np.float32)


def exact_top(vectors: np.ndarray, queries: np.ndarray) -> list[set[int]]:
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = queries @ unit.T
    top = np.argpartition(-scores, TOP_K, axis=1)[:, :TOP_K]
    return [set(row.tolist()) for row in top]


def build(path: Path, vectors: np.ndarray, ef_construction: int) -> tuple[object, float]:
    import chromadb

    client = chromadb.PersistentClient(
        path=str(path), settings=chromadb.Settings(anonymized_telemetry=False)
    )
    collection = client.create_collection(
        "recall",
        configuration={  # type: ignore[arg-type]
            "hnsw": {"space": "cosine", "ef_construction": ef_construction, "ef_search": 100}
        },
        embedding_function=None,
    )
    began = time.perf_counter()
    step = 5000
    for start in range(0, len(vectors), step):
        part = vectors[start : start + step]
        collection.add(
            ids=[str(n) for n in range(start, start + len(part))], embeddings=part.tolist()
        )
    return collection, time.perf_counter() - began


def reopen_with_ef(path: Path, collection: object, ef: int) -> object:
    """ef_search is stored by modify() but a loaded index keeps the value it was loaded with:
    drop the cached client so the next one loads the index with the new value."""
    import chromadb
    from chromadb.api.client import SharedSystemClient

    collection.modify(configuration={"hnsw": {"ef_search": ef}})  # type: ignore[attr-defined]
    SharedSystemClient.clear_system_cache()
    client = chromadb.PersistentClient(
        path=str(path), settings=chromadb.Settings(anonymized_telemetry=False)
    )
    return client.get_collection("recall", embedding_function=None)


def measure(collection: object, queries: np.ndarray, truth: list[set[int]]) -> tuple:
    recalls: list[float] = []
    times: list[float] = []
    for query, wanted in zip(queries, truth, strict=True):
        began = time.perf_counter()
        got = collection.query(  # type: ignore[attr-defined]
            query_embeddings=[query.tolist()], n_results=TOP_K, include=[]
        )
        times.append((time.perf_counter() - began) * 1000)
        recalls.append(len({int(i) for i in got["ids"][0]} & wanted) / TOP_K)
    return float(np.mean(recalls)), percentile(times, 50), percentile(times, 95)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, default=0, help="N synthetic vectors instead")
    parser.add_argument("--queries", type=int, default=851)
    parser.add_argument("--ef-construction", default="100,200")
    parser.add_argument("--ef-search", default="10,50,100,200,400")
    args = parser.parse_args()
    setup_offline()
    from assistant.models.embeddings import ArticleEmbeddings

    vectors = stored_vectors()
    if args.synthetic:
        vectors = synthetic(vectors, args.synthetic)
    questions = [str(q["query"]) for q in multihop_queries()][: args.queries]
    queries = np.asarray(ArticleEmbeddings().encode(questions), dtype=np.float32)
    truth = exact_top(vectors, queries)
    print(f"{len(vectors)} vectors ({'synthetic' if args.synthetic else 'MultiHop-RAG chunks'}), "
          f"{len(queries)} queries, recall@{TOP_K} against exact cosine search")
    print(f"{'ef_construction':>15} {'build s':>8} {'ef_search':>9} {'recall@10':>9} "
          f"{'p50 ms':>7} {'p95 ms':>7}")
    for ef_construction in [int(v) for v in args.ef_construction.split(",")]:
        workdir = Path(tempfile.mkdtemp(prefix="hnsw-"))
        try:
            collection, seconds = build(workdir, vectors, ef_construction)
            for ef in [int(v) for v in args.ef_search.split(",")]:
                collection = reopen_with_ef(workdir, collection, ef)
                recall, p50, p95 = measure(collection, queries, truth)
                print(f"{ef_construction:15} {seconds:8.1f} {ef:9} {recall:9.4f} "
                      f"{p50:7.2f} {p95:7.2f}", flush=True)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
