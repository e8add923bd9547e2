"""The retrieval and answer stages on small hand-made tables: no model, no Chroma."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer.generative import format_already_said, load_prompt
from assistant.evals.configurations import load_config, packaged_configs
from assistant.index.table import ArticleMeta, ChunkTable, filter_mask
from assistant.index.vectors import chroma_where
from assistant.retrieval.fusion import fuse, merge_round_robin
from assistant.retrieval.rerank import ClauseReranker, NoRerank
from assistant.schema import ChunkId, Passage, SearchFilter, day_number


def table(article_ids: list[str], sources: list[str], dates: list[str]) -> ChunkTable:
    return ChunkTable(
        chunk_ids=[f"{a}:abc:{n}" for n, a in enumerate(article_ids)],
        article_ids=np.array(article_ids),
        starts=np.zeros(len(article_ids), dtype=int),
        ends=np.full(len(article_ids), 10),
        articles={
            a: ArticleMeta(a, s, "", d or None)
            for a, s, d in zip(article_ids, sources, dates, strict=True)
        },
        sources=np.array([s.lower() for s in sources]),
        dates=np.array(dates),
    )


def test_chunk_ids_are_written_and_read_in_one_place() -> None:
    chunk_id = ChunkId.of("file:/news/a:b.txt", "0123456789abcdef", 7)
    assert str(chunk_id) == "file:/news/a:b.txt:0123456789ab:7"
    assert ChunkId.parse(str(chunk_id)) == chunk_id  # colons in the article id survive
    assert ChunkId.version_of(str(chunk_id)) == "0123456789ab"
    assert ChunkId.parse("no-colons") is None and ChunkId.version_of("a:b") == ""


def test_filters_as_table_rows_and_as_chroma_where() -> None:
    rows = table(["a", "b", "c"], ["Wire", "Post", "Wire"], ["2023-10-01", "2023-10-05", ""])
    wire = SearchFilter(sources=("Wire",))
    assert filter_mask(wire, rows).tolist() == [True, False, True]
    dated = SearchFilter(date_from="2023-10-02")
    assert filter_mask(dated, rows).tolist() == [False, True, False]
    assert filter_mask(SearchFilter(date_to="2023-10-02"), rows).tolist() == [True, False, False]
    assert chroma_where(SearchFilter()) is None
    assert chroma_where(wire) == {"source": {"$in": ["Wire"]}}
    assert chroma_where(SearchFilter(date_from="2023-10-02", date_to="2023-10-31")) == {
        "$and": [
            {"published_day": {"$gte": 20231002}},
            {"published_day": {"$lte": 20231031}},
            {"published_day": {"$gt": 0}},
        ]
    }
    assert day_number("2023-10-02") == 20231002 and day_number(None) == 0


def test_fusion_puts_both_retrievers_on_one_scale() -> None:
    bm25 = np.array([4.0, 2.0, 0.0, 1.0], dtype=np.float32)
    dense = {2: 0.9, 0: 0.5}
    fused = dict(fuse(bm25, dense, 10, bm25_weight=1.0, dense_weight=0.5))
    assert fused[0] == pytest.approx(1.0)  # best BM25, lowest dense similarity
    assert fused[2] == pytest.approx(0.5)  # dense only, best similarity
    assert fused[1] == pytest.approx(0.5) and fused[3] == pytest.approx(0.25)
    assert fuse(np.zeros(3, dtype=np.float32), {}, 10, bm25_weight=1, dense_weight=1) == []


def test_merge_takes_turns_caps_articles_and_keeps_each_lists_score() -> None:
    rows = table(["a", "a", "a", "b", "c"], ["W"] * 5, [""] * 5)
    whole = [(0, 0.9), (1, 0.8), (2, 0.7)]
    clause = [(0, 0.6), (3, 0.5), (4, 0.4)]
    merged = merge_round_robin([whole, clause], rows, cap=2, k=5)
    # row 0 is taken by the whole question; the clause list, whose best it was, counts as
    # served that round; article "a" stops at two passages.
    assert merged == [(0, 0.9), (1, 0.8), (3, 0.5), (4, 0.4)]
    assert merge_round_robin([whole, clause], rows, cap=2, k=2) == merged[:2]


def passage(n: int) -> Passage:
    return Passage(f"a:abc:{n}", "a", "t", "s", "", None, f"text {n}", 0, 6, 1 / n, rank=n)


def test_rerankers_keep_order_when_they_have_nothing_to_add() -> None:
    passages = [passage(1), passage(2)]
    assert NoRerank().rerank(passages, ["one", "two"], lexical=None) == passages  # type: ignore[arg-type]

    def no_model() -> None:
        raise AssertionError("a one-part question must not load the model")

    one_part = ClauseReranker(no_model, prior_weight=2.0)
    assert one_part.rerank(passages, ["the whole question"], lexical=None) == passages  # type: ignore[arg-type]
    off = ClauseReranker(lambda: None, prior_weight=2.0)  # fast profile: no model
    assert off.rerank(passages, ["one", "two"], lexical=None) == passages  # type: ignore[arg-type]


def test_a_what_else_prompt_shows_the_model_what_was_already_said() -> None:
    said = format_already_said(["Austin called the reports “disturbing”.", "A <passage> tag"])
    messages = load_prompt("answer_with_citations").format_messages(
        passages="[1] text", question="What else?", abstain_sentence="No.", already_said=said
    )
    prompt = messages[-1].content
    assert "do not repeat it" in prompt and "- Austin called the reports “disturbing”." in prompt
    assert "<passage>" not in said  # an earlier answer can't open a passage of its own
    assert format_already_said([]) == ""


def test_prompts_and_eval_configs_are_package_data() -> None:
    prompt = load_prompt("answer_with_citations")
    messages = prompt.format_messages(
        passages="[1] text", question="Q?", abstain_sentence="No.", already_said=""
    )
    assert "Q?" in messages[-1].content
    names = sorted(p.name for p in packaged_configs().iterdir() if p.name.endswith(".toml"))
    assert {"hybrid.toml", "fast.toml", "bm25.toml", "dense.toml"} <= set(names)
    assert load_config("fast").settings == {"reranker": "none"}
