"""Which embedding mode runs: "auto" follows the index it opens, else new indexes get int8."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.index.registry import Registry, recorded_meta
from assistant.models.embeddings import NEW_INDEX_QUANTIZATION, resolve_quantization
from assistant.settings import Settings

MODEL = "all-MiniLM-L6-v2"


def test_auto_follows_the_recorded_model_name() -> None:
    assert resolve_quantization("auto", MODEL, 0, MODEL) == "none"
    assert resolve_quantization("auto", MODEL, 0, MODEL + "+int8") == "int8"
    assert resolve_quantization("auto", MODEL, 0, MODEL + "+onnx-int8-ffn32") == "onnx-int8"
    assert resolve_quantization("auto", MODEL, 128, MODEL + "+int8+max128") == "int8"


def test_auto_without_a_matching_index_is_the_new_index_mode() -> None:
    assert NEW_INDEX_QUANTIZATION == "onnx-int8-rr"
    assert resolve_quantization("auto", MODEL, 0, None) == "onnx-int8-rr"
    # Another model, or another token cap: the open fails later with its own message.
    assert resolve_quantization("auto", MODEL, 0, "bge-small-en-v1.5") == "onnx-int8-rr"
    assert resolve_quantization("auto", MODEL, 128, MODEL) == "onnx-int8-rr"


def test_a_named_mode_is_never_changed() -> None:
    assert resolve_quantization("none", MODEL, 0, MODEL + "+onnx-int8-ffn32") == "none"
    assert resolve_quantization("int8", MODEL, 0, None) == "int8"


def test_auto_is_the_default_setting() -> None:
    assert Settings().embedding_quantization == "auto"
    assert Settings.from_env({}).embedding_quantization == "auto"


def test_recorded_meta_reads_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite3"
    assert recorded_meta(path, "embedding_model") is None
    assert not path.exists()  # looking did not create a registry
    registry = Registry(path)
    registry.set_meta({"embedding_model": MODEL})
    registry.close()
    assert recorded_meta(path, "embedding_model") == MODEL
    assert recorded_meta(path, "chunking") is None


def test_recorded_meta_of_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The default data folder is relative (".assistant").
    monkeypatch.chdir(tmp_path)
    registry = Registry(Path(".assistant") / "registry.sqlite3")
    registry.set_meta({"embedding_model": MODEL})
    registry.close()
    assert recorded_meta(Path(".assistant") / "registry.sqlite3", "embedding_model") == MODEL


def test_recorded_meta_of_an_unreadable_file_is_none(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite3"
    path.write_bytes(b"not a database" * 100)
    assert recorded_meta(path, "embedding_model") is None
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    assert recorded_meta(empty, "embedding_model") is None
