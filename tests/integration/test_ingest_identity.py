"""Which article a file is: a file edited in place stays one article; two different files of
the same name (two uploads, or two folders) are two articles, and the report says so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from assistant.api import Assistant
from assistant.ingest.pipeline import upload_folder
from tests.helpers import REPO


def _story(folder: Path, name: str, title: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"{title}\n\n{body}\n")
    return path


def _upload(assistant: Assistant, source: Path):  # type: ignore[no-untyped-def]
    """What the chat page does with an upload: copy it to the upload folder under its own
    name, then ingest that copy."""
    target = upload_folder(assistant.settings) / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return assistant.ingest([target])


def test_second_upload_of_another_file_with_the_same_name_is_another_article(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    story_a = _story(tmp_path / "tmp-a", "news.txt", "Harbour reopens", "The harbour reopened.")
    story_b = _story(tmp_path / "tmp-b", "news.txt", "Bridge closes", "The bridge closed today.")
    first = _upload(fresh_assistant, story_a)
    assert first.added == ["Harbour reopens"] and first.same_name == []
    second = _upload(fresh_assistant, story_b)
    assert second.added == ["Bridge closes"] and second.replaced == []
    assert second.same_name == [("news.txt", "Bridge closes", "Harbour reopens")]
    assert "added beside: Bridge closes (another news.txt holds Harbour reopens)" in (
        second.summary()
    )
    assert {a.title for a in fresh_assistant.articles()} == {"Harbour reopens", "Bridge closes"}
    assert "harbour reopened" in fresh_assistant.ask("What reopened?").text


def test_uploading_the_same_file_again_is_the_same_article(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    story = _story(tmp_path / "tmp-1", "index.html.txt", "Tide tables", "High tide is at noon.")
    _upload(fresh_assistant, story)
    copy = _story(tmp_path / "tmp-2", "index.html.txt", "Tide tables", "High tide is at noon.")
    again = _upload(fresh_assistant, copy)
    assert (again.unchanged, again.added, again.chunks_embedded) == (1, [], 0)
    assert again.same_name == []
    # Back to an earlier upload after another one of that name: still known, nothing embedded.
    other = _story(tmp_path / "tmp-3", "index.html.txt", "Ferry news", "The ferry runs late.")
    assert _upload(fresh_assistant, other).added == ["Ferry news"]
    back = _upload(fresh_assistant, story)
    assert (back.unchanged, back.chunks_embedded) == (1, 0)
    assert fresh_assistant.index.registry.article_count() == 2


def test_chat_page_upload_keeps_both_same_named_articles(
    fresh_assistant: Assistant, tmp_path: Path
) -> None:
    from assistant.web.app import ChatPage

    page = ChatPage(fresh_assistant)
    page.upload([str(_story(tmp_path / "a", "article.txt", "Dam report", "The dam holds."))])
    said = page.upload(
        [str(_story(tmp_path / "b", "article.txt", "Mill report", "The mill shut."))]
    )
    assert "Added: Mill report (a different article with the same file name" in said
    assert "Dam report" in said and "was kept" in said
    page.upload([str(_story(tmp_path / "c", "article.txt", "Dam report", "The dam holds."))])
    assert sorted(a.title for a in fresh_assistant.articles()) == ["Dam report", "Mill report"]


def test_cli_two_folders_with_files_of_the_same_name(tmp_path: Path) -> None:
    first = _story(tmp_path / "east", "story.txt", "East wing", "The east wing opened.")
    _story(tmp_path / "west", "story.txt", "West wing", "The west wing closed.")
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(tmp_path / "data")}

    def ingest(*paths: Path) -> dict[str, object]:
        result = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "ingest", "--json", *map(str, paths)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    report = ingest(tmp_path / "east", tmp_path / "west")
    assert sorted(report["added"]) == ["East wing", "West wing"]  # type: ignore[arg-type]
    assert report["same_name"] == [["story.txt", "West wing", "East wing"]]
    # Edited in place, a file is still the one article it was.
    first.write_text("East wing\n\nThe east wing opened again after repairs.\n")
    again = ingest(tmp_path / "east", tmp_path / "west")
    assert (again["replaced"], again["unchanged"], again["same_name"]) == (["East wing"], 1, [])
