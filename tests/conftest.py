"""Shared fixtures: real model, real Chroma, real files, each test's data in its own folder."""

from __future__ import annotations

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
from tests.helpers import CORPUS, make_assistant


@pytest.fixture(scope="session")
def embeddings() -> ArticleEmbeddings:
    """One loaded model, in the mode a new index gets, for the whole run (loading costs
    seconds)."""
    model = ArticleEmbeddings()
    model.encode(["warm up"])
    return model


@pytest.fixture(scope="session")
def fp32_embeddings() -> ArticleEmbeddings:
    """The model in fp32 on torch: the reference the faster paths are held to, and the mode of
    indexes built before int8 became the default."""
    model = ArticleEmbeddings(quantization="none")
    model.encode(["warm up"])
    return model


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
