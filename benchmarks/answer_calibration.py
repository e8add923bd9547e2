"""Calibrate the cross-encoder answer stage: run retrieval and score every candidate sentence
once per question, then sweep the abstention threshold and the quoting margin over the cached
scores, printing citation recall / precision, answer-in-top-citation and abstention figures for
each setting. Dev data only: the seed gold set, the SQuAD 2.0 dev slice, MultiHop-RAG dev.

    python -m benchmarks.answer_calibration --target seed --target squad2 --target multihop-rag
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.common import REPO, setup_offline

setup_offline()

from assistant.answer.reranked import reranked_answer  # noqa: E402
from assistant.api import Assistant  # noqa: E402
from assistant.evals import metrics as m  # noqa: E402
from assistant.evals.benchmarks import (  # noqa: E402
    SQUAD_DEFAULT_LIMIT,
    EvalQuestion,
    benchmark_questions,
    benchmark_settings,
    ensure_index,
    evenly_spaced,
    load_gold,
)
from assistant.settings import Settings  # noqa: E402


class CachedScorer:
    """The cross-encoder with its scores kept, so a sweep re-reads them instead of re-scoring."""

    def __init__(self, scorer: object) -> None:
        self.scorer = scorer
        self.cache: dict[tuple[str, str], float] = {}
        self.seconds = 0.0

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        missing = [p for p in dict.fromkeys(pairs) if p not in self.cache]
        if missing:
            began = time.perf_counter()
            values = self.scorer.score_pairs(missing)  # type: ignore[attr-defined]
            self.seconds += time.perf_counter() - began
            self.cache.update(zip(missing, (float(v) for v in values), strict=True))
        return np.array([self.cache[p] for p in pairs], dtype=np.float32)


def open_target(target: str, workdir: Path) -> tuple[Assistant, list[EvalQuestion]]:
    base = Settings.from_env()
    if target == "seed":
        assistant = Assistant(replace(base, data_dir=workdir / "seed", chroma_url=None))
        assistant.ingest([REPO / "corpus"])
        return assistant, load_gold(REPO / "evals" / "gold" / "seed.jsonl")
    settings, corpus = benchmark_settings(target, base)
    assistant = Assistant(settings)
    ensure_index(assistant, corpus)
    questions = benchmark_questions(target)
    if target == "squad2":
        questions = evenly_spaced(questions, SQUAD_DEFAULT_LIMIT)
    return assistant, questions


def sweep(
    assistant: Assistant,
    questions: list[EvalQuestion],
    thresholds: list[float],
    margins: list[float],
) -> None:
    scorer = CachedScorer(assistant.cross_encoder)
    lexical, _ = assistant.index.snapshot()
    prepared = []
    for question in questions:
        value = {"question": question.question, "history": question.history}
        ready = assistant.pipeline.prepare(value)
        # An answer decided before the answer stage (a clarifying question) has no passages.
        passages = [] if ready.early is not None else ready.passages
        texts = assistant.article_texts(p.article_id for p in passages)
        prepared.append((question, ready.standalone, passages, texts))
    print(f"  {len(questions)} questions retrieved")
    header = (
        f"  {'threshold':>9} {'margin':>6} {'cite_rec':>8} {'cite_prec':>9} {'top_cite':>8} "
        f"{'abst_rec':>8} {'wrong_abst':>10}"
    )
    first = True
    for threshold in thresholds:
        for margin in margins:
            settings = replace(
                assistant.settings, abstain_score=threshold, answer_score_margin=margin
            )
            recalls, precisions, tops, abstained, answerable = [], [], [], [], []
            for question, standalone, passages, texts in prepared:
                answer = reranked_answer(
                    standalone,
                    passages,
                    lexical=lexical,
                    article_texts=texts,
                    settings=settings,
                    scorer=scorer,
                )
                abstained.append(answer.abstained)
                answerable.append(question.answerable)
                quotes = [c.quote for c in answer.citations]
                if question.answerable and question.gold_quotes:
                    scores = m.citation_scores(quotes, question.gold_quotes)
                    recalls.append(scores.recall_strict)
                    precisions.append(scores.precision_strict)
                if question.answerable and question.gold_answers:
                    tops.append(
                        float(bool(quotes) and m.answer_in(quotes[0], question.gold_answers))
                    )
            if first:
                print(f"  cross-encoder: {scorer.seconds / len(prepared) * 1000:.0f} ms a question")
                print(header)
                first = False
            abst = m.abstention_scores(abstained, answerable)
            figures = (
                f"{_f(m.mean(recalls))} {_f(m.mean(precisions), 9)} {_f(m.mean(tops))} "
                f"{_f(abst.recall)} {_f(abst.wrong_rate, 10)}"
            )
            print(f"  {threshold:>9.2f} {margin:>6.1f} {figures}")


def _f(value: float | None, width: int = 8) -> str:
    return f"{value:>{width}.3f}" if value is not None else f"{'–':>{width}}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", action="append", choices=["seed", "squad2", "multihop-rag"])
    parser.add_argument("--thresholds", default="-2,-1,0,1,2,3")
    parser.add_argument("--margins", default="1,2,3,5")
    parser.add_argument("--limit", type=int, default=0, help="first N questions only")
    args = parser.parse_args()
    thresholds = [float(t) for t in args.thresholds.split(",")]
    margins = [float(t) for t in args.margins.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for target in args.target or ["seed"]:
            assistant, questions = open_target(target, Path(tmp))
            if args.limit:
                questions = questions[: args.limit]
            print(f"{target}:")
            with assistant:
                sweep(assistant, questions, thresholds, margins)


if __name__ == "__main__":
    main()
