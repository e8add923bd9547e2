"""Concurrency: questions while an ingest runs (threads in the same process, and a second
process on the same data dir), and a second writer, which must get IndexBusyError."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.api import Assistant
from assistant.errors import IndexBusyError
from assistant.ingest.readers import article_id_for
from assistant.models.embeddings import ArticleEmbeddings
from tests.helpers import REPO, make_assistant
from tests.reliability_checks import article_text, check_answer, check_index, write_article

BASE_SEEDS = range(6)
ASKED_SEEDS = range(4)  # seeds 4 and 5 get edited by the concurrent ingest


def _base(tmp_path: Path, embeddings: ArticleEmbeddings) -> tuple[Path, Assistant, dict[str, str]]:
    """An indexed folder of six articles and, for four of them, a question -> article id."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for seed in BASE_SEEDS:
        write_article(folder / f"base-{seed}.txt", seed)
    assistant = make_assistant(tmp_path / "data", embeddings)
    assert len(assistant.ingest([folder]).added) == len(BASE_SEEDS)
    questions = {
        article_text(seed)[1].split(". ")[0] + "?": article_id_for(
            str((folder / f"base-{seed}.txt").resolve())
        )
        for seed in ASKED_SEEDS
    }
    return folder, assistant, questions


def _grow(folder: Path, seeds: range) -> None:
    """New articles for the concurrent ingest, plus edits of two base articles."""
    for seed in seeds:
        write_article(folder / f"new-{seed}.md", seed)
    for seed in (4, 5):
        write_article(folder / f"base-{seed}.txt", seed, version=1)


def test_questions_from_threads_while_ingesting(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    folder, assistant, questions = _base(tmp_path, embeddings)
    _grow(folder, range(200, 230))
    ingesting = threading.Event()
    done = threading.Event()
    errors: list[str] = []
    during: list[int] = []
    reports = []

    def ingest() -> None:
        try:
            reports.append(assistant.ingest([folder], progress=lambda *_: ingesting.set()))
        except Exception as exc:  # collected and asserted below
            errors.append(f"ingest: {type(exc).__name__}: {exc}")
        finally:
            ingesting.set()
            done.set()

    def ask() -> None:
        ingesting.wait(60)
        while not done.is_set() or len(during) < 3:
            for question, article_id in questions.items():
                running = not done.is_set()
                try:
                    answer = assistant.ask(question)
                    check_answer(assistant, answer)
                    assert answer.citations, f"no citation for {question!r}"
                    assert answer.citations[0].article_id == article_id, question
                except (Exception, AssertionError) as exc:
                    errors.append(f"ask: {type(exc).__name__}: {exc}")
                    return
                if running:
                    during.append(1)
            if len(during) >= 3 and done.is_set():
                return

    threads = [threading.Thread(target=ingest)] + [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert not errors, errors
    assert len(during) >= 3, "no question was answered while the ingest ran"
    assert len(reports[0].added) == 30 and len(reports[0].replaced) == 2, reports[0].summary()
    assert len(check_index(assistant)) == 36
    assistant.close()


def test_a_second_writer_gets_index_busy(tmp_path: Path, embeddings: ArticleEmbeddings) -> None:
    folder, assistant, _ = _base(tmp_path, embeddings)
    _grow(folder, range(300, 306))
    holding = threading.Event()
    release = threading.Event()
    reports = []

    def hold_after_first_article(stage: str, done: int, total: int) -> None:
        if stage == "articles" and not holding.is_set():
            holding.set()
            release.wait(300)

    writer = threading.Thread(
        target=lambda: reports.append(assistant.ingest([folder], progress=hold_after_first_article))
    )
    writer.start()
    try:
        assert holding.wait(120)
        some_id = assistant.articles()[0].id
        with pytest.raises(IndexBusyError, match="already running in this process"):
            assistant.ingest([folder])
        with pytest.raises(IndexBusyError, match="already running in this process"):
            assistant.delete(some_id)
        other = make_assistant(tmp_path / "data", embeddings)
        with pytest.raises(IndexBusyError, match="another process is writing to the index"):
            other.ingest([folder])
        other.close()
        command = [sys.executable, "-m", "assistant.cli", "--data-dir", str(tmp_path / "data"),
                   "ingest", "--quiet", str(folder)]
        process = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert process.returncode != 0
        assert "another process is writing to the index" in process.stderr
        assert "Traceback" not in process.stderr
        assert assistant.article(some_id) is not None
    finally:
        release.set()
        writer.join(300)
    assert len(reports[0].added) == 6 and len(reports[0].replaced) == 2, reports[0].summary()
    assert len(check_index(assistant)) == 12
    assistant.close()


def test_a_second_process_asks_while_the_first_ingests(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    folder, assistant, questions = _base(tmp_path, embeddings)
    _grow(folder, range(400, 412))
    command = [sys.executable, "-m", "tests.ingest_worker", "ask", str(tmp_path / "data"),
               json.dumps(list(questions)), "3"]
    reader = subprocess.Popen(command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    assert reader.stdout is not None and reader.stdin is not None
    assert reader.stdout.readline().strip() == "ready"
    lines: list[dict[str, object]] = []
    answered_during_ingest = []

    def collect() -> None:
        assert reader.stdout is not None
        for line in reader.stdout:
            lines.append(json.loads(line))

    collector = threading.Thread(target=collect)
    collector.start()
    started = [False]

    def pace(stage: str, done: int, total: int) -> None:
        """Hold the ingest between two articles until the reader has asked a few questions,
        so that its questions certainly meet a half-written index."""
        if stage == "articles":
            if not started[0]:
                started[0] = True
                reader.stdin.write("go\n")  # type: ignore[union-attr]
                reader.stdin.flush()  # type: ignore[union-attr]
            deadline = time.time() + 120
            while len(lines) < 2 * (done) and len(lines) < 8 and time.time() < deadline:
                time.sleep(0.05)
            answered_during_ingest.append(len(lines))

    report = assistant.ingest([folder], progress=pace)
    reader.wait(300)
    collector.join(60)
    assert reader.returncode == 0
    assert len(lines) == 3 * len(questions)
    for line in lines:
        assert line["ok"], line["error"]
        assert line["cited"] and line["cited"][0] == questions[str(line["question"])], line
    assert max(answered_during_ingest) >= 8, answered_during_ingest
    assert len(report.added) == 12 and len(report.replaced) == 2, report.summary()
    assert len(check_index(assistant)) == 18
    assistant.close()


def test_passages_never_mix_versions_of_a_replaced_article(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    """A question asked before, during and after the ingest that replaces an article: every
    passage is the current text at its offsets, and never a chunk of the old version."""
    folder, assistant, questions = _base(tmp_path, embeddings)
    question, article_id = next(iter(questions.items()))
    edited = folder / "base-0.txt"

    def passages_are_current() -> list[str]:
        current = {row.id for row in assistant.index.registry.all_chunks()}
        texts = []
        for passage in assistant.retrieve(question, k=10):
            article = assistant.article(passage.article_id)
            assert article is not None and passage.chunk_id in current, passage.chunk_id
            assert article.text[passage.start : passage.end] == passage.text
            texts.append(passage.text)
        return texts

    assert any("harbour authority" in t for t in passages_are_current())  # caches the text
    edited.write_text(edited.read_text().replace("The harbour", "After a long debate, the harbour"))
    holding, release = threading.Event(), threading.Event()

    def hold(stage: str, done: int, total: int) -> None:
        if stage == "articles" and not holding.is_set():
            holding.set()
            release.wait(120)

    writer = threading.Thread(target=lambda: assistant.ingest([folder], progress=hold))
    writer.start()
    try:
        assert holding.wait(120)
        passages_are_current()  # the article is replaced, BM25 not yet published
        check_answer(assistant, assistant.ask(question))
    finally:
        release.set()
        writer.join(120)
    after = passages_are_current()
    assert any(t.startswith("After a long debate") for t in after), after
    answer = assistant.ask(question)
    check_answer(assistant, answer)
    assert answer.citations[0].article_id == article_id
    assert answer.citations[0].quote.startswith("After a long debate")
    assistant.close()
