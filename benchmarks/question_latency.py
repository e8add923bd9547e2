"""Question latency on the 609-article MultiHop-RAG index, extractive mode.

Prints start-up (import + model + index open), the first question after start-up, then p50/p95
over N questions (MultiHop-RAG dev queries) after a warm-up, with the per-stage split from
Answer.timings. The index is the eval runner's cached one (built on first use: slow).

    .venv/bin/python -m benchmarks.question_latency --questions 200
"""

from __future__ import annotations

import argparse
import statistics
import time

STARTED = time.perf_counter()

from benchmarks.common import (  # noqa: E402
    multihop_queries,
    peak_rss_mb,
    percentile,
    rss_mb,
    setup_offline,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--data-dir", default="", help="an existing index (default: eval cache)")
    args = parser.parse_args()
    setup_offline()

    began = time.perf_counter()
    from assistant.api import Assistant
    from assistant.evals.benchmarks import benchmark_settings, ensure_index
    from assistant.settings import Settings

    imported = time.perf_counter()
    settings, corpus = benchmark_settings("multihop-rag", Settings.from_env(llm=None))
    if args.data_dir:
        settings = settings.with_overrides(data_dir=args.data_dir)
    assistant = Assistant(settings)
    if not args.data_dir and ensure_index(assistant, corpus, print):
        print("built the benchmark index first (not part of the figures below)")
    opened = time.perf_counter()
    assistant.embeddings.encode(["warm up"])
    loaded = time.perf_counter()
    assistant.index.snapshot()  # BM25 + chunk table into memory
    ready = time.perf_counter()
    articles = len(assistant.articles())
    print(f"index: {articles} articles, {assistant.index.store.count()} chunks")
    print(f"start-up {ready - began:.2f} s = import {imported - began:.2f} + open "
          f"{opened - imported:.2f} + model {loaded - opened:.2f} + BM25/table {ready - loaded:.2f}"
          f" (interpreter to script start {began - STARTED:.2f} s)")

    queries = [str(q["query"]) for q in multihop_queries()]
    first_began = time.perf_counter()
    first = assistant.ask(queries[0])
    first_ms = (time.perf_counter() - first_began) * 1000
    print(f"first question after start-up: {first_ms:.0f} ms (target < 2000 ms beyond model "
          f"load: {'pass' if first_ms < 2000 else 'FAIL'}); stages "
          + ", ".join(f"{k} {v:.0f}" for k, v in first.timings.items()))

    for question in queries[1 : 1 + args.warmup]:
        assistant.ask(question)
    measured = queries[1 + args.warmup : 1 + args.warmup + args.questions]
    totals: list[float] = []
    stages: dict[str, list[float]] = {}
    abstained = 0
    cpu: list[float] = []
    for question in measured:
        t, c = time.perf_counter(), time.process_time()
        answer = assistant.ask(question)
        totals.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        abstained += answer.abstained
        for key, value in answer.timings.items():
            stages.setdefault(key, []).append(value)
        # Answer.timings has retrieve/answer only: a search() pass splits retrieval's stages,
        # with the cross-encoder's scores of the ask() pass forgotten, so that it reads again.
        forget = getattr(assistant.cross_encoder, "forget", None)
        if callable(forget):
            forget()
        for key, value in assistant.searcher.search(question).timings.items():
            stages.setdefault(key, []).append(value)
    p50, p95 = percentile(totals, 50), percentile(totals, 95)
    # The cross-encoder reads every candidate sentence: its targets are the relevance issue's;
    # the fast profile (reranker none) keeps the earlier ones.
    fast = assistant.settings.reranker == "none"
    p50_target, p95_target = (100, 250) if fast else (300, 600)
    print(f"reranker: {assistant.settings.reranker}")
    print(f"{len(totals)} questions ({abstained} abstained): p50 {p50:.1f} ms "
          f"({'pass' if p50 < p50_target else 'FAIL'} < {p50_target}), p95 {p95:.1f} ms "
          f"({'pass' if p95 < p95_target else 'FAIL'} < {p95_target}), "
          f"mean {statistics.fmean(totals):.1f} ms; "
          f"CPU time per question p50 {percentile(cpu, 50):.1f} ms")
    print(f"{'stage':14} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8}")
    for key, values in stages.items():
        print(f"{key:14} {percentile(values, 50):8.1f} {percentile(values, 95):8.1f} "
              f"{statistics.fmean(values):8.1f}")
    print(f"rss {rss_mb():.0f} MB, peak {peak_rss_mb():.0f} MB")
    assistant.close()


if __name__ == "__main__":
    main()
