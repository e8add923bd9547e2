"""Diff two eval reports answer by answer: exit 1 on any difference in a metric, an answer's
text, its abstention, its citations or its passages (timings and creation times are ignored).

    python -m benchmarks.same_results evals/reports/BEFORE evals/reports/AFTER

Used to show that a refactoring changed nothing a user or an eval can see. An article's id comes
from its file's path, so two checkouts in different folders give one article two ids:
`--ignore-article-ids` then compares chunks by content version and position only."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

# What an answer is, as a user or an eval sees it; timings and scores' float noise are not.
RECORD_FIELDS = ("standalone_question", "abstained", "text", "error")
CITATION_FIELDS = ("n", "article_id", "start", "end", "quote", "faithful")
PASSAGE_FIELDS = ("rank", "chunk_id", "start", "end")
TIMING_WORDS = ("_ms", "latency", "seconds", "_s")


def load(path: Path) -> dict[str, Any]:
    file = path / "report.json" if path.is_dir() else path
    return json.loads(file.read_text(encoding="utf-8"))


def is_timing(name: str) -> bool:
    return any(word in name for word in TIMING_WORDS)


def metric_differences(a: dict[str, Any], b: dict[str, Any], config: str) -> list[str]:
    ma, mb = a["configs"][config]["metrics"], b["configs"][config]["metrics"]
    lines = []
    for key in sorted(set(ma) | set(mb)):
        if is_timing(key):
            continue
        if ma.get(key) != mb.get(key):
            lines.append(f"{config}: metric {key}: {ma.get(key)!r} -> {mb.get(key)!r}")
    return lines


def without_article_id(item: dict[str, Any]) -> dict[str, Any]:
    """The item with its article id dropped and its chunk id cut to "version:position"."""
    item = {key: value for key, value in item.items() if key != "article_id"}
    if "chunk_id" in item:
        item["chunk_id"] = ":".join(str(item["chunk_id"]).rsplit(":", 2)[1:])
    return item


def record_differences(
    a: dict[str, Any], b: dict[str, Any], config: str, *, ignore_article_ids: bool = False
) -> list[str]:
    ra = {r["id"]: r for r in a["configs"][config]["questions"]}
    rb = {r["id"]: r for r in b["configs"][config]["questions"]}
    lines = [f"{config}: question {q} only in one report" for q in sorted(set(ra) ^ set(rb))]
    for qid in sorted(set(ra) & set(rb)):
        x, y = ra[qid], rb[qid]
        for name in RECORD_FIELDS:
            if x.get(name) != y.get(name):
                lines.append(f"{config}: {qid}: {name}: {x.get(name)!r} -> {y.get(name)!r}")
        for kind, fields in (("citations", CITATION_FIELDS), ("passages", PASSAGE_FIELDS)):
            items_x, items_y = x.get(kind) or [], y.get(kind) or []
            if ignore_article_ids:
                items_x = [without_article_id(item) for item in items_x]
                items_y = [without_article_id(item) for item in items_y]
            xs = [tuple(item.get(f) for f in fields) for item in items_x]
            ys = [tuple(item.get(f) for f in fields) for item in items_y]
            if xs != ys:
                lines.append(f"{config}: {qid}: {kind} differ: {xs} -> {ys}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument(
        "--ignore-article-ids",
        action="store_true",
        help="compare chunks by content version and position (reports from two folders)",
    )
    args = parser.parse_args(argv)
    a, b = load(args.before), load(args.after)
    configs = sorted(set(a["configs"]) | set(b["configs"]))
    lines: list[str] = []
    compared = 0
    for config in configs:
        if config not in a["configs"] or config not in b["configs"]:
            lines.append(f"configuration {config} only in one report")
            continue
        lines += metric_differences(a, b, config)
        lines += record_differences(a, b, config, ignore_article_ids=args.ignore_article_ids)
        compared += len(a["configs"][config]["questions"])
    for line in lines[:200]:
        print(line)
    if len(lines) > 200:
        print(f"... and {len(lines) - 200} more differences")
    print(f"{compared} answers in {len(configs)} configuration(s): {len(lines)} differences")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
