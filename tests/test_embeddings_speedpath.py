"""The int8 embedding backend: close to fp32, recorded in the index, refused on a mismatch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.core import Assistant
from assistant.embeddings import ArticleEmbeddings, index_model_name
from assistant.errors import ConfigError, StoreMismatchError
from assistant.settings import Settings

SENTENCES = [
    "Russia has stationed about 150,000 troops near the Ukrainian border, NATO said.",
    "The central bank raised interest rates by a quarter point to fight inflation.",
    "Apple unveiled a new iPhone with a faster chip and a better camera.",
]


def test_index_name_records_quantisation() -> None:
    assert index_model_name("all-MiniLM-L6-v2") == "all-MiniLM-L6-v2"
    assert index_model_name("all-MiniLM-L6-v2", "int8") == "all-MiniLM-L6-v2+int8"
    assert index_model_name("all-MiniLM-L6-v2", "int8-all") == "all-MiniLM-L6-v2+int8all"
    with pytest.raises(ConfigError, match="embedding_quantization"):
        index_model_name("all-MiniLM-L6-v2", "int4")


def test_int8_vectors_stay_close_to_fp32(embeddings: ArticleEmbeddings) -> None:
    quantised = ArticleEmbeddings(quantization="int8")
    reference = embeddings.encode(SENTENCES)
    vectors = quantised.encode(SENTENCES)
    assert vectors.shape == reference.shape
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    cosines = np.sum(vectors * reference, axis=1)
    # Feed-forward outputs stay fp32, which keeps vectors near the fp32 ones (all-int8: ~0.93).
    assert cosines.min() > 0.97, cosines
    # Still a working embedder: each sentence is nearest to its own fp32 vector.
    assert list(np.argmax(vectors @ reference.T, axis=1)) == [0, 1, 2]


def test_fp32_index_refuses_an_int8_model(fresh_assistant: Assistant) -> None:
    data_dir = Path(fresh_assistant.settings.data_dir)
    with pytest.raises(StoreMismatchError, match=r"\+int8"):
        Assistant(Settings(data_dir=data_dir, embedding_quantization="int8"))


def test_quantisation_is_a_setting() -> None:
    settings = Settings.from_env({"ASSISTANT_EMBEDDING_QUANTIZATION": "int8",
                                  "ASSISTANT_EMBEDDING_THREADS": "2"})
    assert settings.embedding_quantization == "int8"
    assert settings.embedding_threads == 2
