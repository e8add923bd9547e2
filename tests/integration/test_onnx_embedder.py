"""The onnxruntime embedder: close to torch fp32, built once and cached, rebuilt when its cache
is damaged, recorded in the index, and built offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.errors import StoreMismatchError
from assistant.models.embeddings import ArticleEmbeddings, index_model_name
from assistant.models.onnx_embedder import MANIFEST, MODEL_FILE, OnnxEmbedder
from assistant.settings import Settings
from tests.helpers import CORPUS, REPO, make_assistant

SENTENCES = [
    "Russia has stationed about 150,000 troops near the Ukrainian border, NATO said.",
    "The central bank raised interest rates by a quarter point to fight inflation.",
    "Apple unveiled a new iPhone with a faster chip and a better camera.",
    "Which company, reported by TechCrunch, faces a lawsuit over its privacy policy?",
    "Stoltenberg said there was no sign of a withdrawal.",
    "Short.",
]
# Lowest cosine to torch fp32 measured on 2,000 MultiHop-RAG chunks and 851 questions, less a
# margin (README, Performance: embedding levers).
INT8_MIN_COSINE = 0.98


@pytest.fixture(scope="module")
def onnx_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder whose int8 entry was built by another process that had no HF_HUB_OFFLINE
    of its own and a hub address that cannot answer: the package sets offline mode itself and
    the build reads only the installed files."""
    cache = tmp_path_factory.mktemp("onnx-cache")
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env["HF_ENDPOINT"] = "http://127.0.0.1:9"  # nothing listens: any download would fail
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from assistant.models.embeddings import ArticleEmbeddings\n"
        "e = ArticleEmbeddings(quantization='onnx-int8', cache_dir=Path(sys.argv[1]))\n"
        "assert e.encode(['NATO said so.']).shape == (1, 384)\n"
        "assert e.model.entry.built\n"
        "print(os.environ['HF_HUB_OFFLINE'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(cache)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().splitlines()[-1] == "1"
    return cache


@pytest.fixture(scope="module")
def int8_embeddings(onnx_cache: Path) -> ArticleEmbeddings:
    model = ArticleEmbeddings(quantization="onnx-int8", cache_dir=onnx_cache)
    model.encode(["warm up"])
    return model


def test_int8_vectors_stay_close_to_fp32(
    fp32_embeddings: ArticleEmbeddings, int8_embeddings: ArticleEmbeddings
) -> None:
    reference = fp32_embeddings.encode(SENTENCES)
    vectors = int8_embeddings.encode(SENTENCES)
    assert vectors.shape == reference.shape and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(vectors * reference, axis=1)
    assert cosines.min() >= INT8_MIN_COSINE, cosines
    assert list(np.argmax(vectors @ reference.T, axis=1)) == list(range(len(SENTENCES)))


def test_an_int8_vector_does_not_depend_on_the_texts_embedded_with_it(
    int8_embeddings: ArticleEmbeddings,
) -> None:
    # The int8 export quantises activations with one scale per run: in a padded batch, a long
    # batch-mate moved a text's vector.
    alone = int8_embeddings.encode(SENTENCES[:1])[0]
    beside = int8_embeddings.encode([SENTENCES[0], "harbour lagoon turbines " * 60, *SENTENCES[1:]])
    assert np.array_equal(beside[0], alone)
    assert np.array_equal(beside[2:], int8_embeddings.encode(SENTENCES[1:]))


def test_second_load_builds_nothing(int8_embeddings: ArticleEmbeddings, onnx_cache: Path) -> None:
    # The module's fixture built the entry in another process; this process only reused it.
    model = int8_embeddings.model
    assert isinstance(model, OnnxEmbedder) and model.entry is not None
    assert not model.entry.built
    again = ArticleEmbeddings(quantization="onnx-int8", cache_dir=onnx_cache)
    again.encode(["one more"])
    assert isinstance(again.model, OnnxEmbedder) and again.model.entry is not None
    assert not again.model.entry.built
    assert again.model.entry.folder == model.entry.folder
    entries = [p for p in onnx_cache.iterdir() if p.is_dir()]
    assert len(entries) == 1, entries  # no build folders left behind


def test_truncated_cache_file_is_rebuilt(
    int8_embeddings: ArticleEmbeddings, onnx_cache: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    shutil.copytree(onnx_cache, cache)
    entry = next(p for p in cache.iterdir() if p.is_dir())
    model_file = entry / MODEL_FILE
    size = model_file.stat().st_size
    with model_file.open("r+b") as handle:  # as a copy cut short would leave it
        handle.truncate(size // 2)
    # A build that died before its rename leaves only a temporary folder, never read.
    (cache / ".build-interrupted").mkdir()
    (cache / ".build-interrupted" / MODEL_FILE).write_bytes(b"partial")

    rebuilt = ArticleEmbeddings(quantization="onnx-int8", cache_dir=cache)
    vectors = rebuilt.encode(SENTENCES)
    assert isinstance(rebuilt.model, OnnxEmbedder) and rebuilt.model.entry is not None
    assert rebuilt.model.entry.built
    assert rebuilt.model.entry.folder == entry
    assert model_file.stat().st_size > size // 2
    np.testing.assert_allclose(vectors, int8_embeddings.encode(SENTENCES), atol=1e-5)

    # A manifest cut short is rebuilt too.
    manifest = entry / MANIFEST
    manifest.write_text(manifest.read_text()[:20])
    again = ArticleEmbeddings(quantization="onnx-int8", cache_dir=cache)
    again.encode(["x"])
    assert isinstance(again.model, OnnxEmbedder) and again.model.entry is not None
    assert again.model.entry.built
    assert json.loads(manifest.read_text())["options"]["int8"] is True


def test_fp32_onnx_gives_the_torch_vectors(
    fp32_embeddings: ArticleEmbeddings, onnx_cache: Path
) -> None:
    fp32 = ArticleEmbeddings(quantization="onnx", cache_dir=onnx_cache)
    long = " ".join(SENTENCES * 12)  # past the 256-token limit: truncated alike
    texts = [*SENTENCES, long, "", "  padded with spaces  "]
    cosines = np.sum(fp32.encode(texts) * fp32_embeddings.encode(texts), axis=1)
    assert cosines.min() > 0.99999, cosines
    assert fp32.index_name == fp32_embeddings.index_name  # same vectors, same index


def test_token_cap_applies_to_onnx(int8_embeddings: ArticleEmbeddings, onnx_cache: Path) -> None:
    capped = ArticleEmbeddings(quantization="onnx-int8", max_tokens=16, cache_dir=onnx_cache)
    assert capped.index_name == "all-MiniLM-L6-v2+onnx-int8-ffn32+max16"
    assert isinstance(capped.model, OnnxEmbedder)
    assert capped.model.max_seq_length == 16
    long = SENTENCES[0] + " " + " ".join(["The talks in Geneva went on for hours."] * 20)
    assert float(capped.encode([long])[0] @ int8_embeddings.encode([long])[0]) < 0.99


def test_index_names_of_the_onnx_modes() -> None:
    assert index_model_name("all-MiniLM-L6-v2", "onnx") == "all-MiniLM-L6-v2"
    # The int8 mode's name spells its export options: other options, other name.
    assert index_model_name("all-MiniLM-L6-v2", "onnx-int8") == "all-MiniLM-L6-v2+onnx-int8-ffn32"


def test_torch_index_refuses_the_int8_onnx_model(
    fp32_embeddings: ArticleEmbeddings, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    make_assistant(data_dir, fp32_embeddings).close()
    with pytest.raises(StoreMismatchError, match=r"\+onnx-int8.*rebuild it"):
        Assistant(Settings(data_dir=data_dir, embedding_quantization="onnx-int8"))
    # fp32 on onnxruntime reads the same vectors: it opens the torch-built index.
    Assistant(Settings(data_dir=data_dir, embedding_quantization="onnx")).close()


def test_int8_onnx_index_works_and_refuses_torch(
    int8_embeddings: ArticleEmbeddings, fp32_embeddings: ArticleEmbeddings, tmp_path: Path
) -> None:
    assistant = make_assistant(tmp_path / "data", int8_embeddings)
    report = assistant.ingest([CORPUS])
    assert len(report.added) == 1 and report.chunks_embedded > 0
    question = "How many troops has Moscow stationed near Ukraine?"
    passages = assistant.retrieve(question, k=3)
    assert "150,000" in passages[0].text
    assistant.close()
    with pytest.raises(StoreMismatchError, match=r"all-MiniLM-L6-v2\+onnx-int8.*rebuild it"):
        make_assistant(tmp_path / "data", fp32_embeddings)
