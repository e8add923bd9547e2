from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import ConfigError
from assistant.settings import Settings


def test_environment_variables_are_read_and_typed() -> None:
    settings = Settings.from_env(
        {
            "ASSISTANT_DATA_DIR": "/tmp/x",
            "ASSISTANT_K": "7",
            "ASSISTANT_CHROMA_URL": "http://127.0.0.1:8000",
        }
    )
    assert settings.data_dir == Path("/tmp/x")
    assert settings.k == 7
    assert settings.chroma_url == "http://127.0.0.1:8000"


def test_toml_file_then_env_then_overrides(tmp_path: Path) -> None:
    config = tmp_path / "assistant.toml"
    config.write_text("[assistant]\nk = 5\nchunk_chars = 800\n")
    settings = Settings.from_env(
        {"ASSISTANT_CONFIG": str(config), "ASSISTANT_K": "6"}, bm25_weight=2.0
    )
    assert (settings.k, settings.chunk_chars, settings.bm25_weight) == (6, 800, 2.0)


def test_bad_values_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="setting k must be int"):
        Settings.from_env({"ASSISTANT_K": "ten"})
    with pytest.raises(ConfigError, match="unknown setting"):
        Settings.from_env({}, colour="blue")
    with pytest.raises(ConfigError, match="not found"):
        Settings.from_env({"ASSISTANT_CONFIG": str(tmp_path / "none.toml")})


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().k = 3  # type: ignore[misc]


def test_an_unknown_reranker_is_a_clear_error(tmp_path: Path) -> None:
    from assistant.api import Assistant

    with pytest.raises(ConfigError, match="use one of cross-encoder, none"):
        Assistant(Settings(data_dir=tmp_path, reranker="cross-encodr"))
