from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from assistant.errors import ModelNotFoundError
from assistant.models.embeddings import ArticleEmbeddings, resolve_model_path
from tests.helpers import REPO


def test_bundled_model_resolves_to_installed_package() -> None:
    path = resolve_model_path("all-MiniLM-L6-v2")
    assert (path / "config.json").exists()
    assert "site-packages" in str(path)


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ModelNotFoundError, match="unknown embedding model"):
        resolve_model_path("no-such-model")


def test_embeddings_are_normalised_and_semantic(embeddings: ArticleEmbeddings) -> None:
    vectors = np.array(
        embeddings.embed_documents(
            ["troops at the border", "soldiers near the frontier", "a cake recipe"]
        )
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert len(embeddings.embed_query("x")) == 384


def test_model_loads_with_hub_access_switched_off() -> None:
    """A fresh process with HF_HUB_OFFLINE=1 and no network proxy still embeds."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    code = (
        "from assistant.models.embeddings import ArticleEmbeddings; "
        "print(len(ArticleEmbeddings().embed_query('hi')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "384"
