"""Calibrate the cross-encoder answer stage: run retrieval and score every candidate sentence
once per question, then sweep the abstention threshold and the quoting margin over the cached
scores, printing citation recall / precision, answer-in-top-citation and abstention figures for
each setting. Dev data only: the seed gold set, the SQuAD 2.0 dev slice, MultiHop-RAG dev;
`squad2-tune` is 800 other SQuAD dev questions, outside the eval slice, to tune on.

    python -m benchmarks.answer_calibration --target seed --target squad2 --target multihop-rag
    python -m benchmarks.answer_calibration --target seed --grid rerank_sentences=12,16 \
        --grid paraphrase_similarity=2,0.45
"""

from __future__ import annotations

import argparse
import itertools
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

SQUAD_TUNING_COUNT = 800


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
    settings, corpus = benchmark_settings(target.removesuffix("-tune"), base)
    assistant = Assistant(settings)
    ensure_index(assistant, corpus)
    questions = benchmark_questions(target.removesuffix("-tune"))
    if target == "squad2":
        questions = evenly_spaced(questions, SQUAD_DEFAULT_LIMIT)
    elif target == "squad2-tune":
        questions = squad_tuning_questions(questions)
    return assistant, questions


def squad_tuning_questions(questions: list[EvalQuestion]) -> list[EvalQuestion]:
    """SQuAD dev questions outside the default eval slice, evenly spaced: what a rule is tuned
    on, so that the slice's figure stays a check of it."""
    in_slice = {q.id for q in evenly_spaced(questions, SQUAD_DEFAULT_LIMIT)}
    return evenly_spaced([q for q in questions if q.id not in in_slice], SQUAD_TUNING_COUNT)


def sweep(
    assistant: Assistant, questions: list[EvalQuestion], grid: dict[str, list[float]]
) -> None:
    """Every combination of the grid's Settings values over the same retrieved passages."""
    scorer = CachedScorer(assistant.cross_encoder)
    # The answerer's own cosine, which keeps the sentence vectors it has computed.
    similarity = assistant.extractive_answerer().similarity
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
    names = list(grid)
    header = " ".join(f"{name:>{max(len(name), 6)}}" for name in names) + (
        f" {'cite_rec':>8} {'cite_prec':>9} {'top_cite':>8} {'abst_rec':>8} {'wrong_abst':>10}"
    )
    first = True
    for values in itertools.product(*grid.values()):
        changes = {
            name: type(getattr(assistant.settings, name))(value)
            for name, value in zip(names, values, strict=True)
        }
        settings = replace(assistant.settings, **changes)
        recalls, precisions, tops, abstained, answerable = [], [], [], [], []
        for question, standalone, passages, texts in prepared:
            answer = reranked_answer(
                standalone,
                passages,
                lexical=lexical,
                article_texts=texts,
                settings=settings,
                scorer=scorer,
                similarity=similarity,
            )
            abstained.append(answer.abstained)
            answerable.append(question.answerable)
            quotes = [c.quote for c in answer.citations]
            if question.answerable and question.gold_quotes:
                scores = m.citation_scores(quotes, question.gold_quotes)
                recalls.append(scores.recall_strict)
                precisions.append(scores.precision_strict)
            if question.answerable and question.gold_answers:
                tops.append(float(bool(quotes) and m.answer_in(quotes[0], question.gold_answers)))
        if first:
            print(f"  cross-encoder: {scorer.seconds / len(prepared) * 1000:.0f} ms a question")
            print("  " + header)
            first = False
        abst = m.abstention_scores(abstained, answerable)
        figures = (
            f"{_f(m.mean(recalls))} {_f(m.mean(precisions), 9)} {_f(m.mean(tops))} "
            f"{_f(abst.recall)} {_f(abst.wrong_rate, 10)}"
        )
        row = " ".join(
            f"{value:>{max(len(name), 6)}g}" for name, value in zip(names, values, strict=True)
        )
        print(f"  {row} {figures}")


def _f(value: float | None, width: int = 8) -> str:
    return f"{value:>{width}.3f}" if value is not None else f"{'–':>{width}}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--target", action="append", choices=["seed", "squad2", "squad2-tune", "multihop-rag"]
    )
    parser.add_argument(
        "--grid",
        action="append",
        default=[],
        metavar="SETTING=V1,V2",
        help="a Settings field and the values to try (repeatable), e.g. abstain_score=-2,-1 "
        "rerank_sentences=12,16 paraphrase_similarity=2,0.45",
    )
    parser.add_argument("--limit", type=int, default=0, help="first N questions only")
    args = parser.parse_args()
    grid: dict[str, list[float]] = {}
    for item in args.grid or ["abstain_score=-2,-1,0,1,2,3", "answer_score_margin=1,2,3,5"]:
        name, _, values = item.partition("=")
        if not hasattr(Settings(), name):
            parser.error(f"no such setting: {name}")
        grid[name] = [float(v) for v in values.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        for target in args.target or ["seed"]:
            assistant, questions = open_target(target, Path(tmp))
            if args.limit:
                questions = questions[: args.limit]
            print(f"{target}:")
            with assistant:
                sweep(assistant, questions, grid)


if __name__ == "__main__":
    main()
