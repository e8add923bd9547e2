"""Copies of one story through the real ingest and search: one copy shown, the other outlets
named on its citation; the group survives deletes, interrupted ingests and old indexes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.ingest import pipeline
from assistant.ingest.duplicates import SCHEME
from assistant.models.embeddings import ArticleEmbeddings
from tests.helpers import make_assistant
from tests.reliability_checks import check_answer, check_index
from tests.unit.test_duplicates import PARAGRAPHS, SAME_TOPIC

QUESTION = "When will the dredging of the northern channel in Porto begin?"
OUTLETS = ["Coastal Herald", "Porto Daily", "Atlantic Wire"]


def _write(folder: Path, name: str, title: str, source: str, body: str) -> None:
    (folder / name).write_text(
        f"---\ntitle: {title}\nsource: {source}\npublished_at: 2024-03-01\n---\n{body}\n"
    )


def _corpus(folder: Path) -> Path:
    """Three copies of one story under three outlets (headline changed, a paragraph dropped,
    a footer added), another outlet's own report of the same event, and an unrelated story."""
    folder.mkdir()
    _write(
        folder,
        "a_herald.md",
        "Porto approves harbour dredging",
        OUTLETS[0],
        "\n\n".join(PARAGRAPHS),
    )
    _write(
        folder,
        "b_daily.md",
        "Bigger ships for Porto as channel is deepened",
        OUTLETS[1],
        "\n\n".join(PARAGRAPHS[:2] + PARAGRAPHS[3:]),
    )
    _write(
        folder,
        "c_wire.md",
        "Porto dredging plan gets green light",
        OUTLETS[2],
        "\n\n".join(PARAGRAPHS) + "\n\nCopyright 2024 Atlantic Wire. All rights reserved.",
    )
    _write(folder, "d_tribune.md", "Porto votes for a deeper channel", "Lisbon Tribune", SAME_TOPIC)
    _write(
        folder,
        "e_gazette.md",
        "Library extends opening hours",
        "Ghent Gazette",
        "The public library of Ghent will stay open until ten in the evening from May, the "
        "city announced, after students asked for more room to revise before exams.",
    )
    return folder


def _group_citations(assistant: Assistant) -> list[tuple[str, tuple[str, ...]]]:
    answer = assistant.ask(QUESTION)
    assert not answer.abstained, answer.text
    check_answer(assistant, answer)
    # Corroboration counts the story once: its copies are named as copies, not as reports.
    copies = {o for c in answer.citations for o in c.also_published_by}
    _, _, named_as_copies = answer.corroboration_note.partition("also appeared at")
    assert copies and all(outlet in named_as_copies for outlet in copies)
    return [(c.source, c.also_published_by) for c in answer.citations if c.source in OUTLETS]


def _assert_one_copy_shown(assistant: Assistant) -> None:
    passages = assistant.retrieve(QUESTION, k=10)
    shown = {p.source for p in passages if p.source in OUTLETS}
    assert len(shown) == 1, [(p.source, p.title) for p in passages]
    [source] = shown
    expected = sorted(set(OUTLETS) - {source})
    assert all(sorted(p.also_published_by) == expected for p in passages if p.source == source)
    assert "Lisbon Tribune" in {p.source for p in passages}
    citations = _group_citations(assistant)
    assert len({source for source, _ in citations}) == 1, citations
    assert citations and sorted(citations[0][1]) == sorted(set(OUTLETS) - {citations[0][0]})


def test_one_copy_is_shown_and_its_citation_names_the_other_outlets(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    folder = _corpus(tmp_path / "news")
    report = fresh_assistant.ingest([folder])
    assert len(report.added) == 5
    assert sorted(report.near_duplicates) == [
        ("Bigger ships for Porto as channel is deepened", "Porto approves harbour dredging"),
        ("Porto dredging plan gets green light", "Porto approves harbour dredging"),
    ]
    assert (
        "copy: Porto dredging plan gets green light (copy of: Porto approves harbour dredging)"
        in report.summary()
    )
    _assert_one_copy_shown(fresh_assistant)
    # A story without copies names no other outlets.
    others = [p for p in fresh_assistant.retrieve("Ghent library") if p.source not in OUTLETS]
    assert others and all(not p.also_published_by for p in others)

    # The representative (the earliest indexed copy) is deleted: another copy takes its place.
    herald = next(a for a in fresh_assistant.articles() if a.source == OUTLETS[0])
    assert fresh_assistant.delete(herald.id)
    passages = fresh_assistant.retrieve(QUESTION, k=10)
    shown = [p for p in passages if p.source in OUTLETS]
    assert {p.source for p in shown} in ({OUTLETS[1]}, {OUTLETS[2]})
    assert len(shown[0].also_published_by) == 1
    # Ingested again, it joins the surviving group instead of starting its own.
    again = fresh_assistant.ingest([folder])
    assert again.added == ["Porto approves harbour dredging"] and again.unchanged == 4
    assert len(again.near_duplicates) == 1
    _assert_one_copy_shown(fresh_assistant)
    check_index(fresh_assistant)


def test_an_interrupted_ingest_leaves_every_article_with_its_group(
    tmp_path: Path, embeddings: ArticleEmbeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus(tmp_path / "news")
    assistant = make_assistant(tmp_path / "data", embeddings)
    # One article per write, and the third write fails: two articles are recorded.
    monkeypatch.setattr(pipeline, "_EMBED_GROUP_CHUNKS", 1)
    registry = assistant.index.registry
    save = registry.save_articles
    calls = {"n": 0}

    def failing_save(*args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        save(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(registry, "save_articles", failing_save)
    with pytest.raises(OSError, match="disk full"):
        assistant.ingest([folder])
    assert registry.article_count() == 2
    rows = registry.signatures(SCHEME)
    assert sorted(r.article_id for r in rows) == sorted(a.id for a in assistant.articles())
    assert {r.group_id for r in rows} == {rows[0].article_id}

    monkeypatch.setattr(registry, "save_articles", save)
    report = assistant.ingest([folder])
    assert len(report.added) == 3 and report.unchanged == 2
    check_index(assistant)
    _assert_one_copy_shown(assistant)
    assistant.close()


def test_an_index_made_before_copies_were_grouped_gets_its_groups_on_the_next_ingest(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    folder = _corpus(tmp_path / "news")
    data_dir = tmp_path / "data"
    assistant = make_assistant(data_dir, embeddings)
    assistant.ingest([folder])
    assistant.close()
    with sqlite3.connect(data_dir / "registry.sqlite3") as db:
        db.execute("DROP TABLE signatures")
    old = make_assistant(data_dir, embeddings)
    assert len({p.source for p in old.retrieve(QUESTION, k=10)} & set(OUTLETS)) >= 2
    report = old.ingest([folder])
    assert report.unchanged == 5 and report.chunks_embedded == 0
    _assert_one_copy_shown(old)
    old.close()
