"""The fast embedding paths (int8 weights, a token cap): close to fp32, recorded in the index,
refused on a mismatch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.errors import ConfigError, StoreMismatchError
from assistant.models.embeddings import ArticleEmbeddings, index_model_name
from assistant.settings import Settings
from tests.helpers import CORPUS, make_assistant

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
    assert index_model_name("all-MiniLM-L6-v2", "int8", 128) == "all-MiniLM-L6-v2+int8+max128"
    with pytest.raises(ConfigError, match="embedding_max_tokens"):
        index_model_name("all-MiniLM-L6-v2", "none", -1)


def test_token_cap_only_changes_text_beyond_the_cap(fp32_embeddings: ArticleEmbeddings) -> None:
    capped = ArticleEmbeddings(quantization="none", max_tokens=16)
    assert capped.model.max_seq_length == 16
    short = "NATO accused Russia of seeking a pretext."  # under 16 tokens: read whole either way
    long = short + " " + " ".join(["The talks in Geneva went on for hours."] * 20)
    reference = fp32_embeddings.encode([short, long])
    vectors = capped.encode([short, long])
    assert float(vectors[0] @ reference[0]) > 0.9999
    # Beyond the cap the model sees only the opening, so the long text moves towards it.
    assert float(vectors[1] @ reference[0]) > float(reference[1] @ reference[0])
    # A cap above the model's own limit is no cap.
    assert ArticleEmbeddings(quantization="none", max_tokens=4096).model.max_seq_length == 256


def test_int8_vectors_stay_close_to_fp32(fp32_embeddings: ArticleEmbeddings) -> None:
    quantised = ArticleEmbeddings(quantization="int8")
    reference = fp32_embeddings.encode(SENTENCES)
    vectors = quantised.encode(SENTENCES)
    assert vectors.shape == reference.shape
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    cosines = np.sum(vectors * reference, axis=1)
    # Feed-forward outputs stay fp32, which keeps vectors near the fp32 ones (all-int8: ~0.93).
    assert cosines.min() > 0.97, cosines
    # Still a working embedder: each sentence is nearest to its own fp32 vector.
    assert list(np.argmax(vectors @ reference.T, axis=1)) == [0, 1, 2]


def test_fp32_index_refuses_an_int8_model(
    fp32_embeddings: ArticleEmbeddings, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    make_assistant(data_dir, fp32_embeddings).close()
    with pytest.raises(StoreMismatchError, match=r"\+int8"):
        Assistant(Settings(data_dir=data_dir, embedding_quantization="int8"))


def test_quantisation_is_a_setting() -> None:
    settings = Settings.from_env({"ASSISTANT_EMBEDDING_QUANTIZATION": "int8",
                                  "ASSISTANT_EMBEDDING_THREADS": "2"})
    assert settings.embedding_quantization == "int8"
    assert settings.embedding_threads == 2
    onnx = Settings.from_env({"ASSISTANT_EMBEDDING_QUANTIZATION": "onnx-int8"})
    assert ArticleEmbeddings(quantization=onnx.embedding_quantization).backend == "onnxruntime"
    assert ArticleEmbeddings(quantization="int8").backend == "torch"
    capped = Settings.from_env({"ASSISTANT_EMBEDDING_MAX_TOKENS": "128"})
    assert capped.embedding_max_tokens == 128


def test_uncapped_index_refuses_a_capped_model(fresh_assistant: Assistant) -> None:
    data_dir = Path(fresh_assistant.settings.data_dir)
    with pytest.raises(StoreMismatchError, match=r"\+max128"):
        Assistant(Settings(data_dir=data_dir, embedding_max_tokens=128))


def test_auto_keeps_the_mode_an_index_was_built_with(
    fp32_embeddings: ArticleEmbeddings, tmp_path: Path
) -> None:
    # An index built in fp32 before int8 became the default keeps opening, and keeps answering
    # from vectors of its own kind, with no setting changed.
    old = tmp_path / "fp32-index"
    built = make_assistant(old, fp32_embeddings)
    built.ingest([CORPUS])
    built.close()
    with Assistant(Settings(data_dir=old)) as reopened:
        assert reopened.settings.embedding_quantization == "none"
        assert reopened.embeddings.backend == "torch"
        passages = reopened.retrieve("How many troops has Moscow stationed near Ukraine?", k=3)
        assert "150,000" in passages[0].text
    # A new index gets the int8 ONNX model; asking for a mode by name still pins it.
    with Assistant(Settings(data_dir=tmp_path / "new-index")) as new:
        assert new.settings.embedding_quantization == "onnx-int8-rr"
        assert new.embeddings.index_name == "all-MiniLM-L6-v2+onnx-int8-rr-ffn32"
    with pytest.raises(StoreMismatchError, match=r"\+onnx-int8"):
        Assistant(Settings(data_dir=old, embedding_quantization="onnx-int8"))
