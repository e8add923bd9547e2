"""Clause-by-clause reordering of a multi-part question's passages, with the real
cross-encoder: a passage that answers one part well rises, whatever its place in the list."""

from __future__ import annotations

import pytest

from assistant.index.lexical import LexicalIndex
from assistant.models.cross_encoder import shared_cross_encoder
from assistant.retrieval.rerank import best_sentence, rerank_by_clauses
from assistant.schema import Passage

TEXTS = [
    "The council met on Monday. Members discussed the harbour budget and parking fees.",
    "Tourism rose in the summer. Hotels reported full bookings in August.",
    "The mayor said the lagoon will power 61,000 homes once it is complete.",
    "Weather was mild. Rain is expected later in the week.",
    "The fishermen's association objected to the lagoon, saying it blocks their channel.",
]


def _passages() -> list[Passage]:
    return [
        Passage(f"a{n}:h:0", f"a{n}", f"t{n}", "s", "u", None, text, 0, len(text), 1.0, rank=n + 1)
        for n, text in enumerate(TEXTS)
    ]


def test_best_sentence_is_the_one_sharing_most_of_the_clause() -> None:
    text = "The council met on Monday. Members discussed the harbour budget and parking fees."
    weights = {"harbour": 2.0, "budget": 1.0}
    assert best_sentence(text, weights) == "Members discussed the harbour budget and parking fees."


def test_the_passages_that_answer_a_part_lead() -> None:
    lexical = LexicalIndex.build([f"a{n}" for n in range(len(TEXTS))], TEXTS)
    reordered = rerank_by_clauses(
        _passages(),
        ["How many homes will the lagoon power", "who objected to the lagoon?"],
        shared_cross_encoder(),
        lexical,
        prior_weight=1.0,
    )
    assert {p.article_id for p in reordered[:2]} == {"a2", "a4"}
    assert [p.rank for p in reordered] == [1, 2, 3, 4, 5]
    assert all(p.rerank_score is not None for p in reordered)


def test_a_strong_prior_keeps_the_pipeline_order() -> None:
    lexical = LexicalIndex.build([f"a{n}" for n in range(len(TEXTS))], TEXTS)
    kept = rerank_by_clauses(
        _passages(), ["homes powered", "who objected?"], shared_cross_encoder(), lexical, 1000.0
    )
    assert [p.article_id for p in kept] == [f"a{n}" for n in range(len(TEXTS))]


def test_with_a_shortlist_the_model_reads_only_the_passages_sharing_each_clauses_words() -> None:
    lexical = LexicalIndex.build([f"a{n}" for n in range(len(TEXTS))], TEXTS)
    model = shared_cross_encoder()
    read: list[tuple[str, str]] = []

    class Reading:
        def score_pairs(self, pairs):  # type: ignore[no-untyped-def]
            read.extend(pairs)
            return model.score_pairs(pairs)

    clauses = ["How many homes will the lagoon power", "who objected to the lagoon?"]
    reordered = rerank_by_clauses(_passages(), clauses, Reading(), lexical, 1.0, shortlist=2)
    assert len(read) == 4  # two passages for each clause
    assert {text for _, text in read} >= {TEXTS[2], TEXTS[4]}
    assert {p.article_id for p in reordered[:2]} == {"a2", "a4"}
    # A passage the model read for no clause gets, for each, the lowest score its shortlist
    # got: its best clause's is the higher of those floors.
    scores = model.score_pairs(read)
    floor = max(min(scores[:2]), min(scores[2:]))
    unread = [p for p in reordered if not any(text in p.text for _, text in read)]
    assert unread and all(p.rerank_score == pytest.approx(floor, abs=1e-3) for p in unread)
