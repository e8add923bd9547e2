from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from assistant.api import Assistant
from assistant.models.embeddings import ArticleEmbeddings
from tests.helpers import REPO, SEED_FILE, make_assistant


def _write(folder: Path, name: str, title: str, body: str) -> Path:
    path = folder / name
    path.write_text(
        f"---\ntitle: {title}\nsource: Test Wire\npublished_at: 2024-03-01\n---\n{body}\n"
    )
    return path


def _store_ids(assistant: Assistant) -> list[str]:
    return list(assistant.index.store.collection.get(include=[])["ids"])


def _registry_ids(assistant: Assistant) -> list[str]:
    return [row.id for row in assistant.index.registry.all_chunks()]


def test_reingest_does_no_embedding_work_and_adds_nothing(
    fresh_assistant: Assistant, seed_copy: Path
) -> None:
    first = fresh_assistant.ingest([seed_copy])
    assert len(first.added) == 1 and first.chunks_embedded >= 3
    ids = sorted(_store_ids(fresh_assistant))
    second = fresh_assistant.ingest([seed_copy])
    assert (second.unchanged, second.chunks_embedded, second.added) == (1, 0, [])
    assert sorted(_store_ids(fresh_assistant)) == ids
    assert sorted(_registry_ids(fresh_assistant)) == ids


def test_changed_file_replaces_its_chunks(fresh_assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    path = _write(
        folder,
        "a.md",
        "Harbour plan",
        "The harbour will be dredged in May. Boats will wait outside.",
    )
    fresh_assistant.ingest([folder])
    old_ids = set(_store_ids(fresh_assistant))
    _write(
        folder,
        "a.md",
        "Harbour plan",
        "The harbour dredging moved to June. Fishermen protested loudly.",
    )
    report = fresh_assistant.ingest([path])
    assert report.replaced == ["Harbour plan"] and not report.added
    new_ids = set(_store_ids(fresh_assistant))
    assert new_ids.isdisjoint(old_ids)
    assert new_ids == set(_registry_ids(fresh_assistant))
    answer = fresh_assistant.ask("When will the harbour dredging happen?")
    assert "June" in answer.text and "May" not in answer.text


def test_bad_files_are_reported_and_the_rest_is_indexed(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    _write(
        folder, "good.md", "Good story", "The bridge reopened after repairs that lasted two years."
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (folder / "latin1.txt").write_bytes("Le café est fermé.".encode("latin-1"))
    (folder / "broken.json").write_text('[{"title": "x", "body": ')
    (folder / "huge.txt").write_bytes(b"A sentence that repeats. " * (20 * 1024 * 1024 // 25 + 1))
    report = fresh_assistant.ingest([folder, tmp_path / "missing.md"])
    assert report.added == ["Good story"]
    reasons = {Path(origin).name: reason for origin, reason in report.failed}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "malformed JSON" in reasons["broken.json"]
    assert "MB limit" in reasons["huge.txt"]
    assert reasons["missing.md"] == "no such file or folder"
    assert all("\n" not in reason for reason in reasons.values())
    assert "failed: " in report.summary()


def test_same_text_under_another_name_is_a_duplicate(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "dups"
    folder.mkdir()
    _write(folder, "one.md", "Same", "Identical body text for both files.")
    _write(folder, "two.md", "Same", "Identical body text for both files.")
    report = fresh_assistant.ingest([folder])
    assert len(report.added) == 1 and len(report.duplicates) == 1
    assert fresh_assistant.index.registry.article_count() == 1


def test_renamed_file_keeps_one_copy(fresh_assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "ren"
    folder.mkdir()
    path = _write(folder, "old.md", "Moved", "A story about a file that moves to a new name.")
    fresh_assistant.ingest([folder])
    path.rename(folder / "new.md")
    report = fresh_assistant.ingest([folder])
    assert report.added == ["Moved"]
    [summary] = fresh_assistant.articles()
    assert summary.origin.endswith("new.md")
    assert set(_store_ids(fresh_assistant)) == set(_registry_ids(fresh_assistant))


def test_delete_removes_article_chunks_and_bm25_rows(
    fresh_assistant: Assistant, seed_copy: Path
) -> None:
    fresh_assistant.ingest([seed_copy])
    [summary] = fresh_assistant.articles()
    assert fresh_assistant.delete(summary.id)
    assert fresh_assistant.articles() == []
    assert _store_ids(fresh_assistant) == []
    assert fresh_assistant.index.snapshot()[0].chunk_ids == []
    assert not fresh_assistant.delete(summary.id)
    assert fresh_assistant.ask("How many troops has Moscow stationed near Ukraine?").abstained


def test_killed_ingest_is_completed_by_the_next_one(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    """kill -9 an ingest of many articles midway; the next ingest completes without duplicates.
    Articles are recorded a group (256 chunks) at a time: 200 two-chunk articles make two."""
    folder = tmp_path / "many"
    folder.mkdir()
    records = [
        {
            "title": f"Story {i}",
            "source": "Wire",
            "url": f"http://wire.test/{i}",
            "body": " ".join(
                f"Sentence {j} of story {i} mentions town{i} and topic{j % 7}." for j in range(30)
            ),
        }
        for i in range(200)
    ]
    (folder / "corpus.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    data_dir = tmp_path / "data"
    command = [
        sys.executable,
        "-m",
        "assistant.cli",
        "--data-dir",
        str(data_dir),
        "ingest",
        "--quiet",
        str(folder),
    ]
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    registry_path = data_dir / "registry.sqlite3"
    deadline = time.time() + 240
    import sqlite3

    while time.time() < deadline and process.poll() is None:
        if registry_path.exists():
            try:
                with sqlite3.connect(registry_path) as db:
                    if db.execute("SELECT count(*) FROM articles").fetchone()[0] >= 1:
                        break
            except sqlite3.Error:
                pass
        time.sleep(0.05)
    assert process.poll() is None, "ingest finished before it could be killed"
    process.kill()
    process.wait()

    assistant = make_assistant(data_dir, embeddings)
    partial = assistant.index.registry.article_count()
    assert 0 < partial < 200
    report = assistant.ingest([folder])
    assert report.unchanged == partial and len(report.added) == 200 - partial
    store_ids = _store_ids(assistant)
    assert len(store_ids) == len(set(store_ids))
    assert sorted(store_ids) == sorted(_registry_ids(assistant))
    assert sorted(assistant.index.snapshot()[0].chunk_ids) == sorted(store_ids)
    assistant.close()


def test_cli_ingest_summary(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "--data-dir",
            str(tmp_path / "d"),
            "ingest",
            str(SEED_FILE),
            str(tmp_path / "nope.txt"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "added 1, replaced 0, unchanged 0" in result.stdout
    assert "nope.txt: no such file or folder" in result.stdout


def test_prune_removes_articles_whose_files_are_gone(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "sync"
    folder.mkdir()
    keep = _write(folder, "keep.md", "Kept", "This story stays in the folder.")
    gone = _write(folder, "gone.md", "Gone", "This story is deleted from the folder.")
    other = tmp_path / "elsewhere.md"
    other.write_text("---\ntitle: Elsewhere\n---\nA story outside the synced folder.")
    fresh_assistant.ingest([folder, other])
    gone.unlink()
    other.unlink()
    plain = fresh_assistant.ingest([folder])
    assert plain.removed == [] and fresh_assistant.index.registry.article_count() == 3
    report = fresh_assistant.ingest([folder], prune=True)
    assert report.removed == ["Gone"]
    assert {a.title for a in fresh_assistant.articles()} == {"Kept", "Elsewhere"}
    assert set(_store_ids(fresh_assistant)) == set(_registry_ids(fresh_assistant))
    assert keep.exists()


def test_a_bad_jsonl_line_costs_only_that_record(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    corpus = tmp_path / "wire.jsonl"
    records = [
        {"title": "Quay works", "source": "Wire", "body": "The quay works end in April."},
        {"title": "Canal locks", "source": "Wire", "body": "The canal locks were replaced."},
    ]
    lines = [json.dumps(records[0]), json.dumps(records[1]), '{"title": "Cut off", "body": ']
    lines += ['{"title": "Empty", "body": "  "}']
    corpus.write_text("\n".join(lines) + "\n")
    report = fresh_assistant.ingest([corpus])
    assert sorted(report.added) == ["Canal locks", "Quay works"]
    reasons = [reason for origin, reason in report.failed if origin == str(corpus)]
    assert reasons[0].startswith("line 3: malformed JSON (") and reasons[1:] == [
        "line 4: no body/text"
    ]
    assert f"failed: {corpus}: line 3: malformed JSON" in report.summary()
    assert "canal locks" in fresh_assistant.ask("What was replaced at the canal?").text.lower()
    again = fresh_assistant.ingest([corpus])
    assert (again.unchanged, again.chunks_embedded, len(again.failed)) == (2, 0, 2)


def test_cli_reports_links_it_skips(tmp_path: Path) -> None:
    folder = tmp_path / "links"
    folder.mkdir()
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "loop").symlink_to(".")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "--data-dir",
            str(tmp_path / "d"),
            "ingest",
            str(folder),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "failed 0, skipped 3 (0 files" in result.stdout
    assert f"skipped: {folder / 'a.txt'}: link loops back on itself" in result.stdout
    assert f"skipped: {folder / 'loop'}: link to a folder that is read already" in result.stdout
