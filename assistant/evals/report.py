"""Writing an eval report (report.json, report.md, PNG charts) and comparing two of them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The columns of the summary tables, in reading order; a column whose values are all None
# (e.g. SQuAD answer metrics on a gold set) is left out.
SUMMARY_METRICS = (
    "hits@1",
    "hits@4",
    "hits@10",
    "mrr@10",
    "map@10",
    "fact_recall@10",
    "all_evidence@10",
    "citation_recall_strict",
    "citation_precision_strict",
    "citation_recall_tokens",
    "citation_precision_tokens",
    "quote_fidelity",
    "answer_in_top_citation",
    "answer_in_passages@10",
    "answer_accuracy_loose",
    "answer_accuracy_exact",
    "answer_accuracy_leading",
    "answers_with_unsupported",
    "abstention_precision",
    "abstention_recall",
    "wrong_abstention_rate",
)
TYPE_METRICS = (
    "hits@4",
    "hits@10",
    "mrr@10",
    "map@10",
    "all_evidence@10",
    "citation_recall_strict",
    "answer_in_top_citation",
    "answer_accuracy_loose",
    "answer_accuracy_exact",
    "abstention_rate",
)
LATENCY_METRICS = (
    "retrieve_p50_ms",
    "retrieve_p95_ms",
    "answer_p50_ms",
    "answer_p95_ms",
    "total_p50_ms",
    "total_p95_ms",
)
CHART_METRICS = (
    "hits@1",
    "hits@4",
    "hits@10",
    "mrr@10",
    "map@10",
    "fact_recall@10",
    "all_evidence@10",
    "citation_recall_strict",
    "citation_precision_strict",
    "answer_in_top_citation",
    "abstention_recall",
    "wrong_abstention_rate",
)


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _present(
    report: dict[str, Any], metrics: tuple[str, ...], section: str = "metrics"
) -> list[str]:
    configs = report["configs"].values()
    return [k for k in metrics if any(c[section].get(k) is not None for c in configs)]


def summary_table(report: dict[str, Any]) -> str:
    """One row per configuration, one column per metric that has a value."""
    keys = _present(report, SUMMARY_METRICS)
    rows = [
        [name] + [fmt(c["metrics"].get(k)) for k in keys] for name, c in report["configs"].items()
    ]
    return _table(["config", *keys], rows)


def type_table(report: dict[str, Any]) -> str:
    rows: list[list[str]] = []
    for name, config in report["configs"].items():
        for qtype, metrics in config["by_type"].items():
            rate = _abstention_rate(config["questions"], qtype)
            values = {**metrics, "abstention_rate": rate}
            rows.append(
                [name, qtype, str(metrics["questions"])]
                + [fmt(values.get(k)) for k in TYPE_METRICS]
            )
    return _table(["config", "type", "n", *TYPE_METRICS], rows)


def _abstention_rate(records: list[dict[str, Any]], qtype: str) -> float | None:
    flags = [bool(r["abstained"]) for r in records if r["type"] == qtype]
    return sum(flags) / len(flags) if flags else None


def latency_table(report: dict[str, Any]) -> str:
    rows = [
        [name] + [fmt(c["metrics"].get(k)) for k in LATENCY_METRICS] + [fmt(c["seconds"])]
        for name, c in report["configs"].items()
    ]
    return _table(["config", *LATENCY_METRICS, "run s"], rows)


def markdown(report: dict[str, Any]) -> str:
    corpus, model = report["corpus"], report["model"]
    lines = [
        f"# Eval report: {report['name']}",
        "",
        f"- created: {report['created']}",
        f"- target: {report.get('target', report['name'])}"
        + (f" (limit {report['limit']})" if report.get("limit") else ""),
        f"- corpus: {corpus['articles']} articles, {corpus['chunks']} chunks, "
        f"hash {corpus['hash']}",
        f"- embedding model: {model['embedding']}; answerer: {model['answerer']}",
        "- configurations: "
        + "; ".join(
            f"{n} ({c['config']['mode']}, {c['config']['settings'] or 'defaults'})"
            for n, c in report["configs"].items()
        ),
        "",
        "Retrieval metrics are over answerable questions with gold quotes (MultiHop-RAG "
        "definitions); abstention precision/recall treat declining as detecting unanswerable "
        "questions.",
        "",
        "## Summary",
        "",
        summary_table(report),
        "",
        "## Per question type",
        "",
        type_table(report),
        "",
        "## Latency (ms)",
        "",
        latency_table(report),
        "",
        "![metrics](metrics.png)",
        "",
        "![latency](latency.png)",
        "",
    ]
    return "\n".join(lines)


def write_charts(report: dict[str, Any], folder: Path) -> list[Path]:
    """metrics.png: grouped bars per configuration; latency.png: total latency histogram."""
    import matplotlib

    matplotlib.use("Agg")  # no display; never open windows
    import matplotlib.pyplot as plt

    configs = report["configs"]
    keys = _present(report, CHART_METRICS)
    written: list[Path] = []
    if keys:
        fig, ax = plt.subplots(figsize=(max(8, len(keys) * 0.9), 4.5))
        width = 0.8 / max(len(configs), 1)
        for i, (name, config) in enumerate(configs.items()):
            values = [config["metrics"].get(k) or 0.0 for k in keys]
            ax.bar([x + i * width for x in range(len(keys))], values, width, label=name)
        ax.set_xticks([x + width * (len(configs) - 1) / 2 for x in range(len(keys))])
        ax.set_xticklabels(keys, rotation=35, ha="right", fontsize=8)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{report['name']}: metrics per configuration")
        ax.legend()
        fig.tight_layout()
        written.append(folder / "metrics.png")
        fig.savefig(written[-1], dpi=100)
        plt.close(fig)
    fig, ax = plt.subplots(figsize=(8, 4))
    for name, config in configs.items():
        totals = [
            r["timings"]["total_ms"] for r in config["questions"] if "total_ms" in r["timings"]
        ]
        if totals:
            ax.hist(totals, bins=30, alpha=0.5, label=name)
    ax.set_xlabel("total ms per question (condense + retrieve + answer)")
    ax.set_ylabel("questions")
    ax.set_title(f"{report['name']}: latency")
    ax.legend()
    fig.tight_layout()
    written.append(folder / "latency.png")
    fig.savefig(written[-1], dpi=100)
    plt.close(fig)
    return written


def write_report(report: dict[str, Any], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "report.json").write_text(
        json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / "report.md").write_text(markdown(report), encoding="utf-8")
    write_charts(report, folder)
    return folder


def read_report(path: Path) -> dict[str, Any]:
    """A report.json, or the report folder holding one."""
    if path.is_dir():
        path = path / "report.json"
    return json.loads(path.read_text(encoding="utf-8"))


def compare_reports(a_path: Path, b_path: Path) -> str:
    """Metric-by-metric difference B - A for every configuration both reports ran."""
    a, b = read_report(a_path), read_report(b_path)
    lines = [
        f"A: {a_path} ({a['name']}, {a['created']})",
        f"B: {b_path} ({b['name']}, {b['created']})",
    ]
    if a["corpus"]["hash"] != b["corpus"]["hash"]:
        lines.append("note: the two reports ran on different corpora")
    shared = [n for n in a["configs"] if n in b["configs"]]
    for only, report in (("A", a), ("B", b)):
        missing = [n for n in report["configs"] if n not in shared]
        if missing:
            lines.append(f"only in {only}: {', '.join(missing)}")
    for name in shared:
        ma, mb = a["configs"][name]["metrics"], b["configs"][name]["metrics"]
        rows = []
        for key in [k for k in ma if k in mb]:
            va, vb = ma[key], mb[key]
            if not isinstance(va, int | float) or not isinstance(vb, int | float):
                if va is not None or vb is not None:
                    rows.append([key, fmt(va), fmt(vb), "–"])
                continue
            delta = vb - va
            rows.append(
                [key, fmt(va), fmt(vb), f"{delta:+.3f}" if abs(delta) < 10 else f"{delta:+.1f}"]
            )
        lines += ["", f"## {name}", _table(["metric", "A", "B", "B - A"], rows)]
    return "\n".join(lines)
