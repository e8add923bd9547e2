"""`assistant eval`: run the question chain over a gold set or a benchmark under one or more
configurations, score every answer, and write report.json, report.md and charts."""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError
from assistant.evals import metrics as m
from assistant.evals.benchmarks import (
    BENCHMARKS,
    SQUAD_DEFAULT_LIMIT,
    EvalQuestion,
    benchmark_questions,
    benchmark_settings,
    ensure_index,
    evenly_spaced,
    load_gold,
)
from assistant.evals.configurations import (
    DEFAULT_CONFIGS,
    EvalConfig,
    QueryVectors,
    configured,
    load_config,
)
from assistant.evals.report import compare_reports, summary_table, write_report
from assistant.models.cross_encoder import MODEL_NAME as CROSS_ENCODER_MODEL
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.api import Assistant

REPORTS_DIR = Path("evals") / "reports"
Progress = Callable[[str], None]


class ProgressLine:
    """One stderr line rewritten in place (plain lines when stderr is not a terminal)."""

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.last = 0.0

    def __call__(self, line: str, final: bool = False) -> None:
        now = time.monotonic()
        if not final and now - self.last < (0.1 if self.tty else 5.0):
            return
        self.last = now
        if self.tty:
            self.stream.write("\r\x1b[K" + line + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def evaluate_question(
    view: Assistant, question: EvalQuestion, texts: dict[str, str]
) -> dict[str, Any]:
    """Run the chain once and score the answer. `texts` caches article texts for quote checks."""
    began = time.perf_counter()
    record: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "question": question.question,
        "answerable": question.answerable,
        "gold_quotes": question.gold_quotes,
    }
    if question.gold_answers:
        record["gold_answers"] = question.gold_answers
    try:
        answer = view.chain.invoke({"question": question.question, "history": question.history})
    except AssistantError as exc:
        record.update(
            error=f"{type(exc).__name__}: {exc}",
            abstained=True,
            citations=[],
            passages=[],
            timings={"total_ms": (time.perf_counter() - began) * 1000},
        )
        return record
    for article_id in {c.article_id for c in answer.citations} - set(texts):
        article = view.article(article_id)
        texts[article_id] = article.text if article is not None else ""
    chunk_texts = [p.text for p in answer.passages]
    facts = [m.squash(g) for g in question.gold_quotes]
    record.update(
        standalone_question=answer.standalone_question,
        abstained=answer.abstained,
        text=answer.text,
        citations=[
            {
                "n": c.n,
                "article_id": c.article_id,
                "title": c.title,
                "source": c.source,
                "published_at": c.published_at,
                "start": c.start,
                "end": c.end,
                "score": c.score,
                "quote": c.quote,
                "faithful": texts.get(c.article_id, "")[c.start : c.end] == c.quote,
            }
            for c in answer.citations
        ],
        # Passage text is left out (the offsets recover it) to keep benchmark reports small.
        passages=[
            {
                "rank": p.rank,
                "chunk_id": p.chunk_id,
                "article_id": p.article_id,
                "title": p.title,
                "start": p.start,
                "end": p.end,
                "score": p.score,
                "bm25_score": p.bm25_score,
                "dense_score": p.dense_score,
                "relevant": any(f in m.squash(p.text) for f in facts) if facts else None,
            }
            for p in answer.passages
        ],
        timings={k: round(v, 3) for k, v in answer.timings.items()},
        layout=answer.layout,
        groups=[g.to_dict() for g in answer.groups],
    )
    if answer.layout == "timeline":
        record["timeline_in_date_order"] = m.timeline_in_date_order(
            [g.to_dict() for g in answer.groups], record["citations"]
        )
    if len(set(question.gold_sources)) >= 2:
        record["outlet_evidence"] = m.outlet_evidence(
            [(c.source, c.quote) for c in answer.citations],
            list(zip(question.gold_sources, question.gold_quotes, strict=True)),
        )
    if question.answerable and question.gold_quotes:
        record["retrieval"] = m.retrieval_scores(chunk_texts, question.gold_quotes)
        quotes = [c.quote for c in answer.citations]
        record["citation"] = vars(m.citation_scores(quotes, question.gold_quotes))
    if question.gold_answers:
        first = answer.citations[0].quote if answer.citations else ""
        record["answer"] = {
            "in_top_citation": m.answer_in(first, question.gold_answers),
            "in_citations": any(
                m.answer_in(c.quote, question.gold_answers) for c in answer.citations
            ),
            "in_top_passage": bool(chunk_texts)
            and m.answer_in(chunk_texts[0], question.gold_answers),
            "in_passages@10": any(m.answer_in(t, question.gold_answers) for t in chunk_texts[:10]),
        }
        # The answer text itself against the gold answer: for a written (LLM) answer this is
        # answer accuracy; an extractive answer is a quote, so these stay low on yes/no questions.
        said = "" if answer.abstained else answer.text
        record["answer"].update(
            {f"accuracy_{k}": v for k, v in m.answer_accuracy(said, question.gold_answers).items()}
        )
    if answer.unsupported:
        record["unsupported"] = list(answer.unsupported)
    return record


def aggregate(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The metrics of one configuration over a list of question records."""
    out: dict[str, Any] = {"questions": len(records)}
    scored = [r["retrieval"] for r in records if "retrieval" in r]
    out["retrieval_questions"] = len(scored)
    for key in ("hits@1", "hits@4", "hits@10", "mrr@10", "map@10", "all_evidence@10"):
        out[key] = m.mean([s[key] for s in scored])
    facts_total = sum(s["facts_total"] for s in scored)
    out["fact_recall@10"] = (
        sum(s["facts_found@10"] for s in scored) / facts_total if facts_total else None
    )
    cites = [r["citation"] for r in records if "citation" in r]
    for key in ("recall_strict", "precision_strict", "recall_tokens", "precision_tokens"):
        out[f"citation_{key}"] = m.mean([c[key] for c in cites])
    all_citations = [c for r in records for c in r.get("citations", [])]
    out["citations"] = len(all_citations)
    out["quote_fidelity"] = (
        sum(c["faithful"] for c in all_citations) / len(all_citations) if all_citations else None
    )
    abst = m.abstention_scores(
        [bool(r["abstained"]) for r in records], [r["answerable"] for r in records]
    )
    out["abstention_precision"], out["abstention_recall"] = abst.precision, abst.recall
    out["abstention_f1"], out["wrong_abstention_rate"] = abst.f1, abst.wrong_rate
    answers = [r["answer"] for r in records if "answer" in r and r["answerable"]]
    for key in (
        "in_top_citation",
        "in_citations",
        "in_top_passage",
        "in_passages@10",
        "accuracy_loose",
        "accuracy_exact",
        "accuracy_leading",
        "accuracy_contains",
    ):
        values = [float(a[key]) for a in answers if key in a]
        out[f"answer_{key}"] = m.mean(values) if values else None
    answered = [r for r in records if not r["abstained"] and "citations" in r]
    out["unsupported_sentences"] = sum(len(r.get("unsupported", [])) for r in records)
    out["answers_with_unsupported"] = (
        sum(1 for r in answered if r.get("unsupported")) / len(answered) if answered else None
    )
    outlets = [r["outlet_evidence"] for r in records if "outlet_evidence" in r]
    out["outlet_evidence_recall"] = m.mean(outlets) if outlets else None
    out["by_outlet_answers"] = sum(1 for r in records if r.get("layout") == "by_outlet")
    timelines = [
        float(r["timeline_in_date_order"]) for r in records if "timeline_in_date_order" in r
    ]
    out["timeline_answers"] = len(timelines)
    out["timeline_in_date_order"] = m.mean(timelines) if timelines else None
    out["errors"] = sum(1 for r in records if "error" in r)
    for stage in ("retrieve_ms", "answer_ms", "total_ms"):
        values = [r["timings"][stage] for r in records if stage in r.get("timings", {})]
        out[f"{stage[:-3]}_p50_ms"] = m.percentile(values, 50)
        out[f"{stage[:-3]}_p95_ms"] = m.percentile(values, 95)
    return out


def run_config(
    assistant: Assistant,
    questions: Sequence[EvalQuestion],
    config: EvalConfig,
    progress: ProgressLine | None = None,
    vectors: QueryVectors | None = None,
) -> dict[str, Any]:
    """All questions under one configuration: per-question records and aggregate metrics,
    overall and per question type."""
    view = configured(assistant, config, vectors)
    texts: dict[str, str] = {}
    records: list[dict[str, Any]] = []
    began = time.perf_counter()
    for done, question in enumerate(questions, start=1):
        records.append(evaluate_question(view, question, texts))
        if progress is not None:
            rate = done / max(time.perf_counter() - began, 1e-9)
            progress(
                f"eval [{config.name}] {done}/{len(questions)} questions, {rate:.1f}/s",
                final=done == len(questions),
            )
    types = sorted({r["type"] for r in records if r["type"]})
    return {
        "config": config.to_dict(),
        "settings": _settings_dict(view.settings),
        "seconds": round(time.perf_counter() - began, 2),
        "metrics": aggregate(records),
        "by_type": {t: aggregate([r for r in records if r["type"] == t]) for t in types},
        "questions": records,
    }


def corpus_fingerprint(assistant: Assistant) -> dict[str, Any]:
    """A hash over the indexed articles (id and content hash), to tell corpora apart."""
    digest = hashlib.sha256()
    summaries = sorted(assistant.articles(), key=lambda a: a.id)
    for summary in summaries:
        digest.update(f"{summary.id}:{summary.content_hash}\n".encode())
    return {
        "hash": digest.hexdigest()[:16],
        "articles": len(summaries),
        "chunks": sum(s.chunk_count for s in summaries),
    }


def run_eval(
    assistant: Assistant,
    questions: Sequence[EvalQuestion],
    configs: Sequence[EvalConfig],
    *,
    name: str,
    progress: ProgressLine | None = None,
    extra: dict[str, Any] | None = None,
    batch_query_vectors: bool = False,
) -> dict[str, Any]:
    """The whole report as a dict (what report.json holds). With batch_query_vectors, question
    vectors are computed in one batch up front, so retrieve_ms leaves out the query embedding
    (the report says so and gives the batch time)."""
    settings = assistant.settings
    vectors = None
    extra = dict(extra or {})
    if batch_query_vectors and any(c.mode != "bm25" for c in configs):
        vectors = QueryVectors(assistant.searcher.embeddings, [q.question for q in questions])
        extra["query_vectors"] = {
            "batched": True,
            "questions": len(vectors.cache),
            "seconds": round(vectors.seconds, 2),
            "note": "retrieve_ms excludes embedding the question (done in one batch first)",
        }
    return {
        "name": name,
        "created": datetime.now().isoformat(timespec="seconds"),
        "model": {
            "embedding": settings.embedding_model,
            "answerer": settings.llm or "extractive",
            "llm_model": settings.llm_model,
            "reranker": (
                "none" if settings.reranker == "none" else f"cross-encoder ({CROSS_ENCODER_MODEL})"
            ),
        },
        "settings": _settings_dict(settings),
        "corpus": corpus_fingerprint(assistant),
        **extra,
        "configs": {
            c.name: run_config(assistant, questions, c, progress, vectors) for c in configs
        },
    }


def _settings_dict(settings: Settings) -> dict[str, Any]:
    return {
        k: (str(v) if isinstance(v, Path) else v) for k, v in vars(settings).items() if k != "extra"
    }


def default_out(name: str) -> Path:
    return REPORTS_DIR / f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{name}"


def main(args: argparse.Namespace, settings: Settings) -> int:
    """Entry point of `assistant eval`."""
    if getattr(args, "compare", None):
        print(compare_reports(Path(args.compare[0]), Path(args.compare[1])))
        return 0
    target = getattr(args, "target", None)
    if not target:
        print("assistant eval: give a gold set (.jsonl), multihop-rag or squad2", file=sys.stderr)
        return 2
    configs = [load_config(n) for n in (args.config or DEFAULT_CONFIGS)]
    progress = ProgressLine()
    limit = getattr(args, "limit", None)
    extra: dict[str, Any] = {"target": target}
    from assistant.api import Assistant

    if target in BENCHMARKS:
        bench_settings, corpus = benchmark_settings(target, settings)
        questions = benchmark_questions(target)
        if target == "squad2" and limit is None:
            questions = evenly_spaced(questions, SQUAD_DEFAULT_LIMIT)
            extra["slice"] = f"{len(questions)} questions evenly spaced through the file"
        name = target
        assistant = Assistant(bench_settings)
        began = time.perf_counter()
        built = ensure_index(assistant, corpus, lambda line: progress(line))
        extra["index"] = {
            "dir": str(bench_settings.data_dir),
            "built": built,
            "seconds": round(time.perf_counter() - began, 2),
        }
    else:
        path = Path(target)
        if not path.exists():
            print(f"assistant eval: no such gold set: {path}", file=sys.stderr)
            return 2
        questions, name = load_gold(path), path.stem
        assistant = Assistant(settings)
        if not assistant.articles():
            print(
                f"assistant eval: no articles in {settings.data_dir}; ingest the articles the "
                "gold set is about first (assistant ingest PATH)",
                file=sys.stderr,
            )
            assistant.close()
            return 2
    if limit is not None:
        questions = questions[:limit]
    extra["limit"] = limit
    with assistant:
        report = run_eval(
            assistant,
            questions,
            configs,
            name=name,
            progress=progress,
            extra=extra,
            batch_query_vectors=target in BENCHMARKS,
        )
    out = Path(args.out) if getattr(args, "out", None) else default_out(name)
    write_report(report, out)
    print(f"wrote {out}/report.json, report.md and charts")
    print(summary_table(report))
    return 0
