"""Scale: question latency at 1k, 10k (and 100k) synthetic articles in a Chroma server.

Articles are built from MultiHop-RAG sentences (random picks, distinct ids and titles) and
ingested by our pipeline into a `chroma run` server this script starts on 127.0.0.1. To keep the
build in minutes, chunk vectors are precomputed: each is a mix of two real chunk vectors from the
model plus noise, seeded by the chunk text (so identical text gets the identical vector).
Questions use the real model. Sizes grow in place: 1k, then 9k more, then 90k more.

    .venv/bin/python -m benchmarks.scale --sizes 1000,10000 --questions 100
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.common import (
    MULTIHOP_CORPUS,
    REPO,
    corpus_chunk_texts,
    mixed_unit_vectors,
    multihop_articles,
    multihop_queries,
    percentile,
    rss_mb,
    setup_offline,
)

SENTENCES_PER_ARTICLE = 10
ARTICLES_PER_FILE = 5000  # keeps each file under the ingest's per-file size cap


class PrecomputedEmbeddings:
    """Stands in for the model during the build only: real vectors mixed with seeded noise."""

    def __init__(self, pool: np.ndarray, noise: float = 0.5) -> None:
        self.pool = pool
        self.noise = noise

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), self.pool.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(seed)
            i, j = rng.integers(0, len(self.pool), size=2)
            out[row] = mixed_unit_vectors(self.pool, int(i), int(j), rng, self.noise)
        return out


def sentence_pool() -> list[str]:
    from assistant.text.sentences import split_sentences

    pool: list[str] = []
    for row in multihop_articles():
        body = row["body"]
        pool += [body[s.start : s.end] for s in split_sentences(body) if s.end - s.start >= 40]
    return pool


def write_articles(path: Path, first: int, count: int, sentences: list[str]) -> None:
    rng = random.Random(first)
    with path.open("w", encoding="utf-8") as handle:
        for n in range(first, first + count):
            body = " ".join(rng.sample(sentences, SENTENCES_PER_ARTICLE))
            day = 1 + n % 28
            record = {"title": f"Synthetic article {n}", "body": body, "source": f"Outlet {n % 50}",
                      "url": f"synthetic://article/{n}", "published_at": f"2023-10-{day:02d}"}
            handle.write(json.dumps(record) + "\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(path: Path, port: int) -> subprocess.Popen[bytes]:
    chroma = REPO / ".venv" / "bin" / "chroma"
    server = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("chroma server did not start within 60 s")


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and its children (the server may fork)."""
    total = rss_mb(pid)
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            total += tree_rss_mb(int(child))
    return total


def measure(assistant: object, questions: list[str], warmup: int) -> dict[str, float]:
    """ask() wall and CPU time per question, then the retrieval stages from a search() pass
    (Answer.timings carries retrieve/answer only)."""
    for question in questions[:warmup]:
        assistant.ask(question)  # type: ignore[attr-defined]
    totals: list[float] = []
    cpu: list[float] = []
    stages: dict[str, list[float]] = {}
    for question in questions[warmup:]:
        began, cpu_began = time.perf_counter(), time.process_time()
        assistant.ask(question)  # type: ignore[attr-defined]
        totals.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - cpu_began) * 1000)
        result = assistant.searcher.search(question)  # type: ignore[attr-defined]
        for key, value in result.timings.items():
            stages.setdefault(key, []).append(value)
    figures = {"p50": percentile(totals, 50), "p95": percentile(totals, 95),
               "cpu_p50": percentile(cpu, 50)}
    figures.update({key: percentile(values, 50) for key, values in stages.items()})
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000", help="article counts, ascending")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pool", type=int, default=128, help="real chunk vectors to mix from")
    args = parser.parse_args()
    setup_offline()
    from assistant.api import Assistant
    from assistant.settings import Settings

    workdir = Path(tempfile.mkdtemp(prefix="scale-"))
    port = free_port()
    server = start_server(workdir / "chroma", port)
    try:
        settings = Settings(data_dir=workdir / "data", chroma_url=f"http://127.0.0.1:{port}")
        assistant = Assistant(settings)
        model = assistant.embeddings
        began = time.perf_counter()
        pool = model.encode(corpus_chunk_texts(MULTIHOP_CORPUS, limit_chunks=args.pool))
        print(f"vector pool: {len(pool)} real chunk vectors in {time.perf_counter() - began:.0f} s")
        sentences = sentence_pool()
        questions = [str(q["query"]) for q in multihop_queries()]
        questions = questions[: args.warmup + args.questions]
        fake = PrecomputedEmbeddings(pool)
        have = 0
        print(f"{'articles':>8} {'chunks':>8} {'build s':>8} {'p50 ms':>7} {'p95 ms':>7} "
              f"{'cpu p50':>7} {'embed':>6} {'bm25':>6} {'dense':>6} {'fuse':>6} "
              f"{'ours MB':>8} {'server MB':>9} {'disk MB':>8}   (stage columns: p50 ms)")
        for size in [int(s) for s in args.sizes.split(",")]:
            files = []
            for first in range(have, size, ARTICLES_PER_FILE):
                count = min(ARTICLES_PER_FILE, size - first)
                files.append(workdir / f"articles-{first}-{first + count}.jsonl")
                write_articles(files[-1], first, count, sentences)
            began = time.perf_counter()
            assistant.embeddings = fake  # type: ignore[assignment]
            report = assistant.ingest(files)
            assistant.embeddings = model
            build = time.perf_counter() - began
            assert len(report.added) == size - have, report.summary()
            have = size
            stats = measure(assistant, questions, args.warmup)
            disk = sum(p.stat().st_size for p in workdir.rglob("*") if p.is_file()) / 2**20
            print(f"{size:8} {assistant.index.store.count():8} {build:8.0f} {stats['p50']:7.1f} "
                  f"{stats['p95']:7.1f} {stats['cpu_p50']:7.1f} {stats.get('embed_ms', 0):6.1f} "
                  f"{stats.get('bm25_ms', 0):6.1f} {stats.get('dense_ms', 0):6.1f} "
                  f"{stats.get('fuse_ms', 0):6.1f} "
                  f"{rss_mb():8.0f} {tree_rss_mb(server.pid):9.0f} {disk:8.0f}", flush=True)
        assistant.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
