from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.errors import StoreMismatchError, StoreUnavailableError
from assistant.index.vectors import ChunkStore
from assistant.models.embeddings import ArticleEmbeddings
from assistant.settings import Settings
from tests.helpers import CORPUS, REPO, make_assistant

CHROMA = REPO / ".venv" / "bin" / "chroma"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` server on 127.0.0.1, started for these tests."""
    executable = str(CHROMA) if CHROMA.exists() else "chroma"
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("w")
    process = subprocess.Popen(
        [executable, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("chroma server did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


def test_embedded_store_round_trip(tmp_path: Path) -> None:
    store = ChunkStore(Settings(data_dir=tmp_path), model_name="all-MiniLM-L6-v2", dimension=4)
    vectors = np.eye(4, dtype=np.float32)[:3]
    metadata = [{"article_id": "a", "n": i} for i in range(3)]
    store.upsert(["a:0", "a:1", "a:2"], vectors, ["x", "y", "z"], metadata)
    store.upsert(["a:0", "a:1", "a:2"], vectors, ["x", "y", "z"], metadata)
    assert store.count() == 3
    [(best, similarity), *_] = store.query(np.array([0, 1, 0, 0], dtype=np.float32), 2)
    assert best == "a:1" and similarity == pytest.approx(1.0, abs=1e-5)
    store.delete_ids(["a:0"])
    assert store.ids_for_article("a") == {"a:1", "a:2"}
    store.delete_article("a")
    assert store.count() == 0


def test_another_embedding_model_is_a_clear_error(tmp_path: Path) -> None:
    ChunkStore(Settings(data_dir=tmp_path), model_name="all-MiniLM-L6-v2", dimension=384)
    with pytest.raises(StoreMismatchError, match="rebuild it"):
        ChunkStore(Settings(data_dir=tmp_path), model_name="all-mpnet-base-v2", dimension=768)


def test_index_records_chunking_and_refuses_other_settings(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    make_assistant(tmp_path, embeddings).close()
    with pytest.raises(StoreMismatchError, match="chunking"):
        make_assistant(tmp_path, embeddings, chunk_chars=500)


def test_chroma_server_path(
    chroma_server: str, tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    assistant = make_assistant(
        tmp_path, embeddings, chroma_url=chroma_server, collection="server_test"
    )
    report = assistant.ingest([CORPUS])
    assert len(report.added) == 1
    assert assistant.index.store.count() == report.chunks_embedded
    answer = assistant.ask("How many troops has Moscow stationed near Ukraine?")
    assert "150,000" in answer.citations[0].quote
    again = assistant.ingest([CORPUS])
    assert again.chunks_embedded == 0
    assistant.close()


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    assistant = Assistant(Settings(data_dir=tmp_path, chroma_url=url))
    with pytest.raises(StoreUnavailableError, match="cannot reach the Chroma server"):
        assistant.ingest([CORPUS])


def test_langchain_vectorstore_view(seed_assistant: Assistant) -> None:
    store = seed_assistant.index.store.as_vectorstore(seed_assistant.embeddings)
    [document] = store.similarity_search("troops stationed along the border", k=1)
    assert document.metadata["source"] == "euronews"
    assert document.metadata["article_id"] == seed_assistant.articles()[0].id
