"""Retrieval quality of each embedding quantisation: Hits@10 on MultiHop-RAG dev, dense and
hybrid, on one corpus per run (the gold articles of the first N answerable queries, plus
distractors), each mode indexed by our pipeline in its own folder.

Relevance follows the upstream protocol: a chunk is relevant when it contains a gold fact after
removing whitespace. The full set (609 articles, all queries) is --queries 0 --distractors 609.

    .venv/bin/python -m benchmarks.quant_quality --queries 40 --distractors 20 --modes none,int8
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.common import multihop_articles, multihop_queries, setup_offline

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub("", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=40, help="answerable queries (0: all)")
    parser.add_argument("--distractors", type=int, default=20, help="extra articles (first N)")
    parser.add_argument("--modes", default="none,int8")
    args = parser.parse_args()
    setup_offline()
    from assistant.api import Assistant
    from assistant.settings import Settings

    queries = [q for q in multihop_queries() if q["question_type"] != "null_query"]
    queries = queries[: args.queries] if args.queries else queries
    gold_urls = {e["url"] for q in queries for e in q["evidence_list"]}  # type: ignore[union-attr]
    articles = multihop_articles()
    chosen = [a for a in articles if a["url"] in gold_urls]
    chosen += [a for a in articles[: args.distractors] if a["url"] not in gold_urls]
    workdir = Path(tempfile.mkdtemp(prefix="quant-quality-"))
    corpus = workdir / "corpus.json"
    corpus.write_text(json.dumps(chosen), encoding="utf-8")
    facts = [[squash(e["fact"]) for e in q["evidence_list"]] for q in queries]  # type: ignore[union-attr]
    print(f"{len(queries)} queries, {len(chosen)} articles")
    print(f"{'mode':10} {'chunks':>7} {'ingest s':>9} {'dense H@10':>11} {'hybrid H@10':>12}")
    try:
        for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
            settings = Settings(data_dir=workdir / mode, embedding_quantization=mode)
            assistant = Assistant(settings)
            began = time.perf_counter()
            report = assistant.ingest([corpus])
            seconds = time.perf_counter() - began
            hits = {}
            for retrieval in ("dense", "hybrid"):
                found = 0
                for query, gold in zip(queries, facts, strict=True):
                    passages = assistant.retrieve(str(query["query"]), k=10, mode=retrieval)
                    texts = [squash(p.text) for p in passages]
                    found += any(fact in text for fact in gold for text in texts)
                hits[retrieval] = found / len(queries)
            print(f"{mode:10} {report.chunks_embedded:7} {seconds:9.0f} {hits['dense']:11.3f} "
                  f"{hits['hybrid']:12.3f}", flush=True)
            assistant.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
