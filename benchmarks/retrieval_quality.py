"""Retrieval quality on MultiHop-RAG dev, retrieval only (no answering), for several settings.

Prints Hits@1/4/10, MRR@10, MAP@10 (the benchmark's official definitions), fact recall@10 and
all evidence@10, overall and per question type, plus retrieval latency. Reuses the eval runner's
cached index (built by `assistant eval multihop-rag` or `python -m assistant.evals.benchmarks`).

    python -m benchmarks.retrieval_quality                       # the standard configurations
    python -m benchmarks.retrieval_quality --limit 200 --set sentence_weight=0.7
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from typing import Any

from assistant.api import Assistant
from assistant.evals.benchmarks import benchmark_questions, benchmark_settings, ensure_index
from assistant.evals.metrics import percentile, retrieval_scores
from assistant.settings import Settings

CONFIGS: dict[str, dict[str, Any]] = {
    "bm25": {"mode": "bm25"},
    "dense": {"mode": "dense"},
    "hybrid, no query analysis": {"mode": "hybrid", "query_analysis": False},
    "hybrid + query analysis (default)": {"mode": "hybrid"},
}
COLUMNS = ["hits@10", "hits@4", "mrr@10", "map@10", "fact_recall@10", "all_evidence@10"]


def evaluate(assistant: Assistant, questions: list[Any], mode: str) -> dict[str, Any]:
    per_type: dict[str, list[dict[str, float]]] = defaultdict(list)
    latencies: list[float] = []
    for question in questions:
        began = time.perf_counter()
        passages = assistant.retrieve(question.question, k=10, mode=mode)  # type: ignore[arg-type]
        latencies.append((time.perf_counter() - began) * 1000)
        scores = retrieval_scores([p.text for p in passages], question.gold_quotes)
        per_type[question.type].append(scores)
        per_type["all"].append(scores)
    table = {}
    for kind, rows in per_type.items():
        found = sum(r["facts_found@10"] for r in rows)
        total = sum(r["facts_total"] for r in rows) or 1
        table[kind] = {
            **{c: sum(r[c] for r in rows) / len(rows) for c in COLUMNS if c != "fact_recall@10"},
            "fact_recall@10": found / total,
            "n": len(rows),
        }
    table["latency"] = {"p50": percentile(latencies, 50), "p95": percentile(latencies, 95)}
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="first N answerable questions")
    parser.add_argument("--config", action="append", choices=list(CONFIGS), help="repeatable")
    parser.add_argument("--set", action="append", default=[], help="NAME=VALUE setting override")
    args = parser.parse_args()
    overrides = dict(item.split("=", 1) for item in args.set)
    base, corpus = benchmark_settings("multihop-rag", Settings.from_env())
    questions = [q for q in benchmark_questions("multihop-rag") if q.answerable]
    questions = questions[: args.limit] if args.limit else questions
    print(f"MultiHop-RAG dev: {len(questions)} answerable questions, k=10")
    header = "| pipeline | " + " | ".join(COLUMNS) + " | p50 / p95 ms |"
    print(header)
    print("|" + "---|" * (len(COLUMNS) + 2))
    types: dict[str, dict[str, Any]] = {}
    for name in args.config or list(CONFIGS):
        config = dict(CONFIGS[name])
        mode = config.pop("mode")
        settings = Settings.from_env({}, **{**base.__dict__, **config, **overrides})
        assistant = Assistant(settings)
        ensure_index(assistant, corpus)
        assistant.retrieve("warm up the model and the index", k=10, mode=mode)
        table = evaluate(assistant, questions, mode)
        row = table["all"]
        latency = table["latency"]
        cells = " | ".join(f"{row[c]:.3f}" for c in COLUMNS)
        print(f"| {name} | {cells} | {latency['p50']:.0f} / {latency['p95']:.0f} |", flush=True)
        types[name] = table
        assistant.close()
    print("\nall evidence@10 / fact recall@10 by question type")
    for name, table in types.items():
        parts = [
            f"{kind} {row['all_evidence@10']:.3f} / {row['fact_recall@10']:.3f} (n={row['n']})"
            for kind, row in table.items()
            if kind not in ("all", "latency")
        ]
        print(f"- {name}: " + "; ".join(parts))


if __name__ == "__main__":
    main()
