"""Who said what, found at ingest: each article's statements are stored with its chunks, in
the same transaction, and answers read them instead of running the rules again."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import speakers as speakers_module
from assistant.answer.speakers import CitationSpeakers
from assistant.api import Assistant
from assistant.text.attribution import extract_statements
from assistant.text.attribution.statement import extractor_version
from tests.helpers import SEED_FILE


def test_ingest_stores_every_articles_statements_exactly(seed_assistant: Assistant) -> None:
    registry = seed_assistant.index.registry
    (summary,) = registry.articles()
    article = registry.article(summary.id)
    assert article is not None
    stored = registry.stored_statements(article.id, article.content_hash, extractor_version())
    assert stored == extract_statements(article.text)
    assert len(stored) > 10  # the seed article is a chain of attributed claims
    assert any(s.canonical == "NATO" for s in stored)
    for statement in stored:
        assert 0 <= statement.start < statement.end <= len(article.text)
    # Rows of other rules, or of another text, are not served.
    assert registry.stored_statements(article.id, article.content_hash, "other-rules") is None
    assert registry.stored_statements(article.id, "other-text", extractor_version()) is None


def test_answers_label_speakers_from_the_stored_statements(
    seed_assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = seed_assistant.index
    (summary,) = index.registry.articles()
    article = index.article(summary.id)
    assert article is not None
    expected = extract_statements(article.text)

    def rules_not_run(text: str) -> list[object]:
        raise AssertionError("the statements stored at ingest should have been read")

    monkeypatch.setattr(speakers_module, "extract_statements", rules_not_run)
    speakers = CitationSpeakers(index.article, index.registry.stored_statements)
    assert speakers.statements(article) == expected


def test_an_index_without_stored_statements_finds_them_at_answer_time(
    seed_assistant: Assistant,
) -> None:
    index = seed_assistant.index
    (summary,) = index.registry.articles()
    article = index.article(summary.id)
    assert article is not None
    speakers = CitationSpeakers(index.article, lambda *key: None)
    assert speakers.statements(article) == extract_statements(article.text)


def test_a_replaced_article_gets_new_statements_and_a_deleted_one_loses_them(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    story = folder / SEED_FILE.name
    story.write_text(SEED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    fresh_assistant.ingest([folder])
    registry = fresh_assistant.index.registry
    (first,) = registry.articles()
    assert registry.statement_count() == 1

    added = '\n\n"We will not wait any longer," the mayor of Kharkiv said on Friday.\n'
    story.write_text(story.read_text(encoding="utf-8") + added, encoding="utf-8")
    fresh_assistant.ingest([folder])
    (second,) = registry.articles()
    assert second.content_hash != first.content_hash
    assert registry.statement_count() == 1
    article = registry.article(second.id)
    assert article is not None
    stored = registry.stored_statements(second.id, second.content_hash, extractor_version())
    assert stored is not None
    mayor = [s for s in stored if "We will not wait any longer" in article.text[s.start : s.end]]
    assert mayor and "mayor" in mayor[0].canonical.lower()

    assert fresh_assistant.delete(second.id)
    assert registry.statement_count() == 0
