from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CORPUS, REPO


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
    assert result.stderr.strip() == "error: the question is empty: ask something about the articles"


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
