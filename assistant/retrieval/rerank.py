"""Passages of a multi-part question re-ordered by the cross-encoder, clause by clause.

Scored against the whole of a long question, the model rewards a passage that matches one part
of it well (it ranks worse than the lexical pipeline on MultiHop-RAG). Scored against each clause,
with each clause's scores put on one scale (z-scores) and a passage's best clause kept, a
passage that answers any one part ranks by how well it answers that part. The pipeline's own
order stays as a prior, so the model reorders within what retrieval found.

Each (clause, passage) pair is read at sentence level: the passage's sentence that shares most
of the clause's words, which keeps the cost to a few short pairs per passage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

import numpy as np

from assistant.index.lexical import LexicalIndex
from assistant.models.cross_encoder import RelevanceScorer
from assistant.schema import Passage
from assistant.text.sentences import split_sentences
from assistant.text.tokens import tokenize


def best_sentence(text: str, weights: dict[str, float]) -> str:
    """The sentence of `text` that covers most of the clause's (idf-weighted) words."""
    return _best_sentence_and_cover(text, weights)[0]


def _best_sentence_and_cover(text: str, weights: dict[str, float]) -> tuple[str, float]:
    """That sentence and how much of the clause it covers (the whole text when it has none)."""
    best, best_cover = text, -1.0
    for sentence in split_sentences(text, max_chars=len(text) + 1):
        cover = _cover(text[sentence.start : sentence.end], weights)
        if cover > best_cover:
            best, best_cover = text[sentence.start : sentence.end], cover
    return best, best_cover if best_cover >= 0 else _cover(text, weights)


def _cover(text: str, weights: dict[str, float]) -> float:
    words = set(tokenize(text))
    return sum(w for t, w in weights.items() if t in words)


def rerank_by_clauses(
    passages: Sequence[Passage],
    clauses: Sequence[str],
    scorer: RelevanceScorer,
    lexical: LexicalIndex,
    prior_weight: float,
    shortlist: int = 0,
) -> list[Passage]:
    """The passages re-ordered by their best clause's z-scored cross-encoder score plus a prior
    that falls linearly with their rank in the pipeline's order (1 for the first, 0 past the
    last). With a `shortlist`, the model reads for each clause only that many passages, those
    whose best sentence shares most of the clause's words; the others are given the lowest
    score the clause's shortlist got."""
    if len(passages) < 2 or not clauses:
        return list(passages)
    read = shortlist if 0 < shortlist < len(passages) else len(passages)
    pairs: list[tuple[str, str]] = []
    places: list[tuple[int, int]] = []
    for row, clause in enumerate(clauses):
        weights = lexical.word_weights(clause)
        sentences, covers = zip(
            *(_best_sentence_and_cover(p.text, weights) for p in passages), strict=True
        )
        chosen = sorted(range(len(passages)), key=lambda i: -covers[i])[:read]
        pairs += [(clause, sentences[i]) for i in chosen]
        places += [(row, i) for i in chosen]
    scored = scorer.score_pairs(pairs)
    scores = np.full((len(clauses), len(passages)), np.nan, dtype=np.float32)
    for (row, column), value in zip(places, scored, strict=True):
        scores[row, column] = value
    floors = np.nanmin(scores, axis=1, keepdims=True)
    scores = np.where(np.isnan(scores), floors, scores)
    spread = scores.std(axis=1, keepdims=True)
    z = (scores - scores.mean(axis=1, keepdims=True)) / np.where(spread > 1e-6, spread, 1.0)
    relevance = z.max(axis=0)
    prior = 1.0 - np.arange(len(passages)) / len(passages)
    final = relevance + prior_weight * prior
    order = sorted(range(len(passages)), key=lambda i: -final[i])
    return [
        replace(passages[i], rank=rank, rerank_score=round(float(scores[:, i].max()), 4))
        for rank, i in enumerate(order, start=1)
    ]


class Reranker(Protocol):
    """The stage after retrieval: reorders passages for a question. `clauses` are the parts of
    the question (the whole question when it has one part)."""

    def rerank(
        self, passages: Sequence[Passage], clauses: Sequence[str], lexical: LexicalIndex
    ) -> list[Passage]: ...


class NoRerank:
    """Keeps retrieval's order (the fast profile)."""

    def rerank(
        self, passages: Sequence[Passage], clauses: Sequence[str], lexical: LexicalIndex
    ) -> list[Passage]:
        return list(passages)


class ClauseReranker:
    """The cross-encoder, clause by clause, over a multi-part question's first passages; a
    one-part question keeps retrieval's order (whole-question scores measured worse)."""

    def __init__(
        self,
        scorer: Callable[[], RelevanceScorer | None],
        prior_weight: float,
        shortlist: int = 0,
    ) -> None:
        # Asked for on first use: the model loads only when a question needs it.
        self.scorer = scorer
        self.prior_weight = prior_weight
        self.shortlist = shortlist

    def rerank(
        self, passages: Sequence[Passage], clauses: Sequence[str], lexical: LexicalIndex
    ) -> list[Passage]:
        scorer = self.scorer() if len(clauses) >= 2 else None
        if scorer is None:
            return list(passages)
        return rerank_by_clauses(
            passages, clauses, scorer, lexical, self.prior_weight, self.shortlist
        )
