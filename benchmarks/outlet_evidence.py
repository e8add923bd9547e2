"""Per-outlet evidence recall of MultiHop-RAG eval reports, by question type: for each question
whose gold evidence comes from two or more outlets, the share of those outlets whose own
citations (in a by-outlet answer, their column) include one of that outlet's gold facts. Also
how many answers were laid out by outlet or as a timeline, and whether every timeline runs in
date order. Works on reports written before citations recorded their outlet (the outlet is
then looked up by article title in the corpus).

    python -m benchmarks.outlet_evidence evals/reports/BEFORE evals/reports/AFTER
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from assistant.evals.metrics import outlet_evidence, timeline_in_date_order
from benchmarks.common import MULTIHOP_CORPUS, MULTIHOP_QUERIES


def load(path: Path) -> dict[str, Any]:
    file = path / "report.json" if path.is_dir() else path
    return json.loads(file.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", type=Path, nargs="+")
    args = parser.parse_args(argv)
    corpus = json.loads(MULTIHOP_CORPUS.read_text(encoding="utf-8"))
    source_of_title = {article["title"]: article["source"] for article in corpus}
    queries = json.loads(MULTIHOP_QUERIES.read_text(encoding="utf-8"))
    gold = {
        f"mh-{number:04d}": [(e["source"], e["fact"]) for e in row.get("evidence_list") or []]
        for number, row in enumerate(queries)
    }
    for path in args.reports:
        report = load(path)
        for config, body in report["configs"].items():
            by_type: dict[str, list[float]] = defaultdict(list)
            layouts: dict[str, int] = defaultdict(int)
            timelines_in_order = []
            for record in body["questions"]:
                layouts[record.get("layout", "answer")] += 1
                if record.get("layout") == "timeline":
                    timelines_in_order.append(
                        timeline_in_date_order(record.get("groups", []), record["citations"])
                    )
                evidence = gold.get(record["id"], [])
                if len({source for source, _ in evidence}) < 2:
                    continue
                cited = [
                    (c.get("source") or source_of_title.get(c.get("title", ""), ""), c["quote"])
                    for c in record.get("citations", [])
                ]
                share = outlet_evidence(cited, evidence)
                by_type[record["type"]].append(share)
                by_type["all"].append(share)
            print(f"{path} [{config}]")
            for kind in sorted(by_type):
                values = by_type[kind]
                print(
                    f"  {kind:18} outlet evidence recall {sum(values) / len(values):.3f}"
                    f" ({len(values)} questions)"
                )
            in_order = (
                f"{sum(timelines_in_order)}/{len(timelines_in_order)} in date order"
                if timelines_in_order
                else "none"
            )
            print(f"  layouts: {dict(layouts)}; timelines: {in_order}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
