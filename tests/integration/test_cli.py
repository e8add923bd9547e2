from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import CORPUS, REPO


def _run(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data_dir = tmp_path_factory.mktemp("cli-data")
    _run("ingest", str(CORPUS), data_dir=data_dir)
    yield data_dir


def test_ask_prints_answer_and_numbered_citations(indexed: Path) -> None:
    out = _run("ask", "How many troops has Moscow stationed near Ukraine?", data_dir=indexed).stdout
    assert "150,000 troops" in out
    assert "[1] Moscow has stationed around 150,000 troops" in out
    assert "NATO accuses Russia" in out and "euronews, 2022-02-17" in out


def test_ask_json(indexed: Path) -> None:
    out = _run(
        "ask", "--json", "What did Olaf Scholz say about Nord Stream 2?", data_dir=indexed
    ).stdout
    data = json.loads(out)
    assert data["abstained"] is True and data["citations"] == []
    assert "retrieve_ms" in data["timings"]


def test_articles_and_delete(indexed: Path, tmp_path: Path) -> None:
    listing = _run("articles", "--json", data_dir=indexed).stdout
    [article] = json.loads(listing)
    assert article["source"] == "euronews" and article["chunk_count"] >= 3
    missing = _run("delete", "no-such-id", data_dir=indexed, check=False)
    assert missing.returncode == 1 and "no article with id" in missing.stderr


def test_bad_question_is_a_one_line_error(indexed: Path) -> None:
    result = _run("ask", " ", data_dir=indexed, check=False)
    assert result.returncode == 2
    expected = "error: The question is empty: ask something about the articles."
    assert result.stderr.strip() == expected


def test_light_commands_do_not_import_torch(indexed: Path) -> None:
    code = (
        "import sys; from assistant.cli import main; main(['articles']); "
        "assert 'torch' not in sys.modules and 'chromadb' not in sys.modules, 'heavy import'"
    )
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(indexed)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    help_result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from assistant.cli import build_parser; build_parser(); "
            "assert 'torch' not in sys.modules",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert help_result.returncode == 0, help_result.stderr


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--from", "yesterday"],
            "error: Dates are written YYYY-MM-DD, e.g. 2022-02-17: “yesterday” is not one",
        ),
        (
            ["--to", "2022-13-45"],
            "error: Dates are written YYYY-MM-DD, e.g. 2022-02-17: “2022-13-45” is not one",
        ),
        (
            ["--from", "2022-03-01", "--to", "2022-02-01"],
            "error: the date range ends before it starts: "
            "“2022-02-01” is earlier than “2022-03-01”",
        ),
    ],
)
def test_bad_filter_dates_are_an_error_not_an_abstention(
    indexed: Path, flags: list[str], message: str
) -> None:
    result = _run("ask", *flags, "How many troops?", data_dir=indexed, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip() == message


def test_ingest_prints_progress_lines_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "wire"
    folder.mkdir()
    for n in range(3):
        (folder / f"story-{n}.txt").write_text(f"Story {n}\n\nTown {n} opened a new library.\n")
    result = _run("ingest", "--progress-every", "0", str(folder), data_dir=tmp_path / "d")
    lines = result.stderr.splitlines()
    assert "\r" not in result.stderr
    for n in (1, 2, 3):
        assert any(line.startswith(f"files {n}/3  articles ") for line in lines), result.stderr
    assert any("articles 3  chunks embedded 3  (" in line for line in lines), result.stderr
    assert "added 3, replaced 0" in result.stdout
    quiet = _run("ingest", "--quiet", "--progress-every", "0", str(folder), data_dir=tmp_path / "d")
    assert "files 1/3" not in quiet.stderr


def test_docstring_lists_only_commands_that_exist() -> None:
    import assistant.cli

    usage = assistant.cli.build_parser().format_usage()
    parser_commands = re.search(r"\{([a-z,]+)\}", usage).group(1).split(",")  # type: ignore[union-attr]
    documented = (assistant.cli.__doc__ or "").split("`")[1].removeprefix("assistant ")
    assert documented.split(" | ") == parser_commands


def test_ask_says_which_name_it_searched_for(indexed: Path) -> None:
    result = _run("ask", "What did Stoltenbreg say about troop withdrawal?", data_dir=indexed)
    first_line = result.stdout.splitlines()[0]
    assert first_line == "Showing results for Stoltenberg (you typed Stoltenbreg)."
    assert "Stoltenberg pointed out" in result.stdout
