"""One ingest over a folder of nasty files: each bad file is reported with a clear one-line
reason, duplicates are reported as such, and everything else is indexed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.models.embeddings import ArticleEmbeddings
from tests.helpers import make_assistant
from tests.nasty_files import MILLION, write_nasty_corpus
from tests.reliability_checks import article_text, check_answer, check_index

# The million-character line would be ~1,000 chunks at the default 1,000 chars; 8,000-char chunks
# keep this test's embedding work to a few seconds and still prove that chunks stay bounded.
CHUNK_CHARS = 8000


@pytest.fixture(scope="module")
def nasty(tmp_path_factory: pytest.TempPathFactory, embeddings: ArticleEmbeddings):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("nasty")
    folder = root / "files"
    expect = write_nasty_corpus(folder)
    assistant = make_assistant(root / "data", embeddings, chunk_chars=CHUNK_CHARS)
    report = assistant.ingest([folder, folder / "slides.pdf", root / "missing.txt"])
    yield folder, expect, assistant, report
    assistant.close()


def _name(origin: str) -> str:
    return Path(origin.split("#")[0]).name


def test_each_bad_file_fails_with_a_one_line_reason(nasty) -> None:  # type: ignore[no-untyped-def]
    _folder, expect, _, report = nasty
    failed = {_name(origin): reason for origin, reason in report.failed}
    for name, want in expect.items():
        if want.outcome == "failed":
            assert name in failed, f"{name} was not reported as failed: {report.summary()}"
            assert re.search(want.reason, failed[name]), f"{name}: {failed[name]!r}"
        else:
            assert name not in failed, f"{name} failed: {failed.get(name)}"
    for reason in failed.values():
        assert "\n" not in reason and 0 < len(reason) < 300, repr(reason)
        assert "Traceback" not in reason
    assert re.search(r"unsupported file type \.pdf", failed["slides.pdf"])
    assert failed["missing.txt"] == "no such file or folder"
    expected_failures = sum(w.outcome == "failed" for w in expect.values()) + 2
    assert len(report.failed) == expected_failures, report.summary()
    summary = report.summary()
    assert summary.count("\n  failed: ") == expected_failures


def test_the_rest_is_indexed(nasty) -> None:  # type: ignore[no-untyped-def]
    _folder, expect, assistant, report = nasty
    indexed = {_name(a.origin) for a in assistant.articles()}
    want = {name for name, e in expect.items() if e.outcome == "indexed"}
    assert indexed == want, report.summary()
    duplicates = [_name(origin) for origin, _ in report.duplicates]
    assert duplicates == ["dup-b-same-text-other-name.txt"]
    assert "dup-a.txt" in report.duplicates[0][1]
    check_index(assistant)


def test_utf16_and_bom_files_keep_their_text(nasty) -> None:  # type: ignore[no-untyped-def]
    _folder, _, assistant, _ = nasty
    by_name = {_name(a.origin): a for a in assistant.articles()}
    for name, seed in (("utf16-bom.txt", 4), ("utf8-bom.md", 5)):
        article = assistant.article(by_name[name].id)
        assert article is not None
        assert (article.title, article.text) == article_text(seed)
        assert "\ufeff" not in article.text


def test_million_character_line_is_chunked_within_bounds(nasty) -> None:  # type: ignore[no-untyped-def]
    _, _, assistant, _ = nasty
    by_name = {_name(a.origin): a for a in assistant.articles()}
    summary = by_name["million-char-line.txt"]
    assert summary.chars > MILLION * 0.99
    rows = [r for r in assistant.index.registry.all_chunks() if r.article_id == summary.id]
    assert len(rows) >= MILLION // CHUNK_CHARS
    assert max(r.end - r.start for r in rows) <= CHUNK_CHARS
    covered = sorted((r.start, r.end) for r in rows)
    assert covered[0][0] == 0 and covered[-1][1] == summary.chars


def test_questions_still_work_over_the_survivors(nasty) -> None:  # type: ignore[no-untyped-def]
    _, _, assistant, _ = nasty
    _title, body = article_text(4)
    answer = assistant.ask(body.split(". ")[0] + "?")
    assert not answer.abstained
    check_answer(assistant, answer)
    assert any(c.quote in body for c in answer.citations)


def test_reingesting_the_nasty_folder_embeds_nothing(nasty) -> None:  # type: ignore[no-untyped-def]
    folder, _, assistant, first = nasty
    again: Assistant = assistant
    report = again.ingest([folder])
    assert report.chunks_embedded == 0, report.summary()
    assert len(report.failed) == len(first.failed) - 2
