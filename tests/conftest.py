"""Shared fixtures: real model, real Chroma, real files, each test's data in its own folder."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Prove at every run that nothing is fetched from a hub and nothing phones home.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from assistant.api import Assistant
from assistant.models.embeddings import ArticleEmbeddings
from assistant.settings import Settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SEED_FILE = CORPUS / "000_d1357754b31f4e9d.txt"
SHARED_DATA = REPO.parent / "shared" / "data"
MULTIHOP_CORPUS = SHARED_DATA / "multihop-rag" / "corpus.json"


@pytest.fixture(scope="session")
def embeddings() -> ArticleEmbeddings:
    """One loaded model for the whole run (loading costs seconds)."""
    model = ArticleEmbeddings()
    model.encode(["warm up"])
    return model


def write_wire(path: Path, stories: list[tuple[str, str, str]], *, filler_rounds: int) -> Path:
    """A JSONL file of (outlet, title, body) stories dated 2023-10-02, followed by filler news
    from another outlet (seven topics, `filler_rounds` times) so that BM25's word rarity is
    that of a corpus, not of a handful of articles."""
    topics = ["tides", "orchards", "violins", "glaciers", "lanterns", "comets", "meadows"]
    filler = [
        (
            "Filler Gazette",
            f"Notes on {topic} {number}",
            f"Residents discussed {topic} at meeting {number}. "
            f"The {topic} survey continues, officials said.",
        )
        for number, topic in enumerate(topics * filler_rounds)
    ]
    records = [
        {
            "title": title,
            "source": source,
            "published_at": "2023-10-02",
            "url": f"http://{path.stem}/{number}",
            "body": body,
        }
        for number, (source, title, body) in enumerate([*stories, *filler])
    ]
    path.write_text("\n".join(json.dumps(record) for record in records))
    return path


def make_assistant(data_dir: Path, embeddings: ArticleEmbeddings, **overrides: object) -> Assistant:
    assistant = Assistant(Settings(data_dir=data_dir).with_overrides(**overrides))
    assistant.embeddings = embeddings
    assistant.searcher.embeddings = embeddings
    return assistant


@pytest.fixture(scope="session")
def seed_assistant(
    tmp_path_factory: pytest.TempPathFactory, embeddings: ArticleEmbeddings
) -> Iterator[Assistant]:
    """The seed corpus indexed once, read-only for the tests that share it."""
    assistant = make_assistant(tmp_path_factory.mktemp("seed-index"), embeddings)
    report = assistant.ingest([CORPUS])
    assert len(report.added) == 1, report.summary()
    yield assistant
    assistant.close()


@pytest.fixture
def fresh_assistant(tmp_path: Path, embeddings: ArticleEmbeddings) -> Iterator[Assistant]:
    """An empty index of this test's own."""
    assistant = make_assistant(tmp_path / "data", embeddings)
    yield assistant
    assistant.close()


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed corpus folder."""
    folder = tmp_path / "articles"
    shutil.copytree(CORPUS, folder)
    return folder
