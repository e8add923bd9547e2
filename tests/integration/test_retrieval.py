from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from langchain_core.retrievers import BaseRetriever

from assistant.api import Assistant
from assistant.index.table import ChunkTable
from assistant.models.embeddings import ArticleEmbeddings
from assistant.retrieval.fusion import interleave_by_source, lead_with_agreement
from assistant.schema import SearchFilter
from tests.helpers import CORPUS, make_assistant, write_wire

WIRE = [
    {
        "title": "Port strike ends",
        "source": "Harbor Times",
        "published_at": "2023-10-02",
        "url": "http://t/1",
        "body": "Dock workers ended their strike on Monday. "
        "The union said wages will rise by six percent.",
    },
    {
        "title": "Election results",
        "source": "Capital Post",
        "published_at": "2023-11-15",
        "url": "http://t/2",
        "body": "The mayor won a second term. "
        "Turnout reached a record high in the northern districts.",
    },
    {
        "title": "Storm damage",
        "source": "Harbor Times",
        "published_at": "2023-12-20",
        "url": "http://t/3",
        "body": "A winter storm damaged the port cranes. "
        "Repairs will take three weeks, officials said.",
    },
]


@pytest.fixture(scope="module")
def wire_assistant(
    tmp_path_factory: pytest.TempPathFactory, embeddings: ArticleEmbeddings
) -> Assistant:
    folder = tmp_path_factory.mktemp("wire")
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in WIRE))
    assistant = make_assistant(folder / "data", embeddings)
    assistant.ingest([folder / "wire.jsonl", CORPUS])
    return assistant


def test_passages_carry_offsets_metadata_and_scores(seed_assistant: Assistant) -> None:
    passages = seed_assistant.retrieve("How many troops has Moscow stationed near Ukraine?", k=3)
    assert passages and passages[0].rank == 1
    article = seed_assistant.article(passages[0].article_id)
    assert article is not None
    for passage in passages:
        assert article.text[passage.start : passage.end] == passage.text
        assert passage.source == "euronews" and passage.published_at == "2022-02-17"
    assert "150,000" in passages[0].text
    assert passages[0].bm25_score and passages[0].dense_score is not None
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


@pytest.mark.parametrize("mode", ["hybrid", "bm25", "dense"])
def test_each_mode_finds_the_obvious_passage(wire_assistant: Assistant, mode: str) -> None:
    [top, *_] = wire_assistant.retrieve("dock workers strike wages union", k=3, mode=mode)  # type: ignore[arg-type]
    assert top.title == "Port strike ends"


def test_filters_by_source_article_and_date(wire_assistant: Assistant) -> None:
    by_source = wire_assistant.retrieve("port", k=10, filters={"sources": ["Harbor Times"]})
    assert {p.source for p in by_source} == {"Harbor Times"}
    by_date = wire_assistant.retrieve(
        "port", k=10, filters={"date_from": "2023-12-01", "date_to": "2023-12-31"}
    )
    assert {p.title for p in by_date} == {"Storm damage"}
    storm_id = by_date[0].article_id
    only = wire_assistant.retrieve("mayor", k=10, filters=SearchFilter(article_ids=(storm_id,)))
    assert {p.article_id for p in only} <= {storm_id}
    assert wire_assistant.retrieve("mayor", k=5, filters={"sources": ["Nobody"]}) == []


def test_langchain_retriever(wire_assistant: Assistant) -> None:
    retriever = wire_assistant.retriever(k=2)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke("Who won the election?")
    assert len(documents) <= 2
    assert documents[0].metadata["title"] == "Election results"
    assert {"start", "end", "article_id", "score", "source"} <= set(documents[0].metadata)


def test_bm25_is_loaded_once_and_reloaded_after_a_new_generation(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    writer = make_assistant(tmp_path, embeddings)
    writer.ingest([CORPUS])
    reader = make_assistant(tmp_path, embeddings)
    first = reader.index.snapshot()[0]
    assert reader.index.snapshot()[0] is first
    (tmp_path / "extra.md").write_text("---\ntitle: Extra\n---\nA brand new zeppelin story.")
    writer.ingest([tmp_path / "extra.md"])
    assert reader.index.snapshot()[0] is not first
    assert reader.retrieve("zeppelin", k=1)[0].title == "Extra"


def test_each_outlet_named_gets_its_share(wire_assistant: Assistant) -> None:
    question = (
        "What damaged the port cranes, according to Harbor Times, and how high was turnout, "
        "as reported by Capital Post?"
    )
    top = wire_assistant.retrieve(question, k=2)
    assert {p.title for p in top} == {"Storm damage", "Election results"}
    plain = wire_assistant.derive(query_analysis=False)
    assert plain.retrieve(question, k=10), "without analysis the plain ranking still answers"


def _trial_stories() -> list[tuple[str, str, str]]:
    """A trial covered by two outlets: the question describes the defendant without naming
    him; the articles about the trial all name him."""
    return [
        (
            "Daily Ledger",
            "Quillmark trial opens",
            "Prosecutors said Zorvath built the Quillmark exchange on lies. "
            "The founder is accused of fraud.",
        ),
        (
            "Daily Ledger",
            "Defence opens its case",
            "Lawyers for Zorvath said the founder acted in good faith at the exchange.",
        ),
        (
            "Evening Wire",
            "Testimony at the exchange trial",
            "Zorvath told jurors he could no longer run both companies because they had grown "
            "so much.",
        ),
    ]


def test_feedback_adds_the_subject_the_first_results_agree_on(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    wire = write_wire(tmp_path / "trial.jsonl", _trial_stories(), filler_rounds=4)
    question = (
        "Who is the founder accused of fraud at the exchange trial, and who was unable to "
        "manage two firms, as reported by Daily Ledger and Evening Wire?"
    )
    assistant = make_assistant(tmp_path / "data", embeddings)
    assistant.ingest([wire])
    result = assistant.searcher.search(question, k=4)
    assert result.feedback == ["zorvath"]
    assert {p.title for p in result.passages} >= {
        "Quillmark trial opens",
        "Defence opens its case",
        "Testimony at the exchange trial",
    }
    without = assistant.derive(feedback_terms=0)
    assert without.searcher.search(question, k=4).feedback == []
    # A plain one-clause question is searched once, as before.
    assert assistant.searcher.search("Who testified at the trial?", k=4).feedback == []
    assistant.close()


def _table(sources: list[str], articles: list[str]) -> ChunkTable:
    size = len(sources)
    return ChunkTable(
        chunk_ids=[f"c{i}" for i in range(size)],
        article_ids=np.array(articles),
        starts=np.zeros(size, dtype=int),
        ends=np.ones(size, dtype=int),
        articles={},
        sources=np.array(sources),
        dates=np.array([""] * size),
    )


def test_outlets_take_turns_in_the_whole_question_ranking() -> None:
    table = _table(["a", "a", "a", "b", "c", "b"], [f"art{i}" for i in range(6)])
    ranked = [(row, 1.0 - row / 10) for row in range(6)]
    assert [row for row, _ in interleave_by_source(ranked, table)] == [0, 3, 4, 1, 5, 2]


def test_passages_the_whole_question_and_a_clause_agree_on_lead() -> None:
    # Rows 5 and 6 are both clause heads but come from one article: only the first leads.
    table = _table(["s"] * 10, ["a0", "a1", "a2", "a3", "a4", "a5", "a5", "a7", "a8", "a9"])
    whole = [(7, 0.9), (3, 0.8), (5, 0.7), (6, 0.6), (8, 0.5)]
    clauses = [[(5, 0.6), (7, 0.5)], [(9, 0.4)], [(8, 0.3)], [(6, 0.2)]]
    assert lead_with_agreement([whole, *clauses], table) == [
        [(5, 0.7)],
        [(8, 0.5)],
        whole,
        *clauses,
    ]
    # No agreement, or nothing to agree with: the lists stay as they are.
    assert lead_with_agreement([whole, [(9, 0.4)]], table) == [whole, [(9, 0.4)]]
    assert lead_with_agreement([whole], table) == [whole]


def test_the_feeds_of_one_outlet_share_its_turn() -> None:
    table = _table(["a - x", "a - y", "a - x", "b", "b"], [f"art{i}" for i in range(5)])
    ranked = [(row, 1.0 - row / 10) for row in range(5)]

    def outlet_of(source: str) -> str:
        return source.split(" - ")[0]

    assert [row for row, _ in interleave_by_source(ranked, table, outlet_of)] == [0, 3, 1, 4, 2]
