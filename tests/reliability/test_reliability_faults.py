"""Fault injection: an ingest killed with SIGKILL at random moments and at chosen calls (between
embedding and storing, between two articles, while writing BM25, in the middle of a rename or a
delete); the next ingest must complete and leave registry == Chroma == BM25, no duplicates, no
orphan vectors.

Children come from a forkserver that has already imported torch, so a run costs the model load
from disk (about a second), not the import of the whole stack."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import StoreUnavailableError
from assistant.ingest.readers import article_id_for
from assistant.models.embeddings import ArticleEmbeddings
from tests.helpers import make_assistant
from tests.ingest_worker import serve
from tests.reliability_checks import check_answer, check_index, write_article

CTX = multiprocessing.get_context("forkserver")
CTX.set_forkserver_preload(["tests.ingest_worker", "torch", "sentence_transformers", "chromadb"])

# module:Class.method:N:when; each one lands in a different gap of the write path.
KILL_POINTS = [
    "assistant.index.registry:Registry.save_articles:1:after",  # recorded, BM25 not yet published
    # rename or delete: vectors gone only
    "assistant.index.vectors:ChunkStore.delete_article:1:after",
    "assistant.index.vectors:ChunkStore.upsert:1:after",  # vectors stored, articles not recorded
    "bm25s:BM25.save:1:after",  # half-written BM25 folder
    "assistant.index.vectors:ChunkStore.upsert:1:before",  # embedded, nothing stored
    # new vectors in, stale ones not yet out
    "assistant.index.vectors:ChunkStore.delete_ids:1:before",
    # Articles are recorded a group at a time: this is the gap where the group's vectors are
    # written and stale ones removed, but none of its articles is recorded yet.
    "assistant.index.registry:Registry.save_articles:1:before",
    "assistant.index.lexical:LexicalIndex.save:1:after",  # BM25 saved, generation not recorded
    "assistant.index.registry:Registry.delete_article:1:before",
    "assistant.index.registry:Registry.set_meta:1:before",  # publish: generation not switched
]
CHILD_TIMEOUT_S = 180


class Corpus:
    """A folder of short articles that every run changes a little: edits, a rename, an add."""

    def __init__(self, folder: Path, rng: random.Random, size: int = 15) -> None:
        self.folder, self.rng = folder, rng
        folder.mkdir(parents=True)
        self.files: dict[str, tuple[int, int]] = {}
        self.counter = 0
        for _ in range(size):
            self.add()

    def _name(self, seed: int) -> str:
        self.counter += 1
        return f"n{self.counter:03d}-{seed}" + (".md" if seed % 2 else ".txt")

    def add(self) -> None:
        seed = len(self.files) + self.counter * 7
        name = self._name(seed)
        write_article(self.folder / name, seed)
        self.files[name] = (seed, 0)

    def mutate(self) -> None:
        names = self.rng.sample(sorted(self.files), 3)
        for name in names[:2]:
            seed, version = self.files[name]
            write_article(self.folder / name, seed, version + 1)
            self.files[name] = (seed, version + 1)
        old = names[2]
        seed, version = self.files.pop(old)
        new = self._name(seed).replace(f"-{seed}", f"-{seed}r")
        (self.folder / old).rename(self.folder / new)
        sidecar = (self.folder / old).with_name(Path(old).stem + ".meta.json")
        if sidecar.exists():
            sidecar.rename((self.folder / new).with_name(Path(new).stem + ".meta.json"))
        self.files[new] = (seed, version)
        self.add()

    def article_ids(self) -> set[str]:
        return {article_id_for(str((self.folder / name).resolve())) for name in self.files}


class Round:
    """One child process: recovery ingest (checked), then the ingest that gets killed."""

    def __init__(self, data_dir: Path, folder: Path) -> None:
        self.results, self.commands, self.ready = CTX.Queue(), CTX.Queue(), CTX.Event()
        self.process = CTX.Process(
            target=serve, args=(str(data_dir), str(folder), self.results, self.commands, self.ready)
        )
        self.process.start()

    def recovery(self) -> dict[str, Any]:
        return self.results.get(timeout=CHILD_TIMEOUT_S)

    def stop(self) -> None:
        self.commands.put(None)
        self.process.join(CHILD_TIMEOUT_S)


def fault_loop(tmp_path: Path, runs: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    corpus = Corpus(tmp_path / "articles", rng)
    data_dir = tmp_path / "data"
    tally = {"runs": 0, "kills": 0, "finished_before_kill": 0, "failures": 0}
    previous = "first ingest"
    # A random kill lands within this many seconds of the ingest starting: the time the last
    # ingest that ran to the end took, so the window follows the ingest's real speed.
    window = 1.0
    for number in range(runs + 1):
        round_ = Round(data_dir, corpus.folder)
        outcome = round_.recovery()
        ok = outcome["ok"] and set(outcome["articles"]) == corpus.article_ids()
        tally["failures"] += 0 if ok else 1
        assert outcome["ok"], f"after {previous}: {outcome['error']}"
        assert set(outcome["articles"]) == corpus.article_ids(), f"after {previous}"
        assert outcome["second_embedded"] == 0, f"after {previous}: unchanged files re-embedded"
        if number == runs:
            round_.stop()
            break
        corpus.mutate()
        delete_ids = tuple(rng.sample(sorted(corpus.article_ids()), 1)) if number % 3 == 0 else ()
        if number % 2 == 0:
            kill_at = KILL_POINTS[(number // 2) % len(KILL_POINTS)]
            round_.commands.put((kill_at, delete_ids))
        else:
            kill_at = None
            round_.commands.put((None, delete_ids))
            assert round_.ready.wait(CHILD_TIMEOUT_S)
            time.sleep(rng.uniform(0.0, window))
            round_.process.kill()
        round_.process.join(CHILD_TIMEOUT_S)
        previous = f"run {number} killed at {kill_at or 'a random moment'}"
        tally["runs"] += 1
        if round_.process.exitcode == -signal.SIGKILL:
            tally["kills"] += 1
        else:
            assert round_.process.exitcode == 0, f"{previous}: exit {round_.process.exitcode}"
            tally["finished_before_kill"] += 1
            window = round_.results.get(timeout=CHILD_TIMEOUT_S)["seconds"]
    print(f"fault loop: {tally}")
    return tally


def test_killed_ingest_recovers_short(tmp_path: Path) -> None:
    tally = fault_loop(tmp_path, runs=int(os.environ.get("ASSISTANT_FAULT_RUNS", "5")), seed=8)
    assert tally["failures"] == 0
    assert tally["kills"] >= tally["runs"] // 2


@pytest.mark.slow
def test_killed_ingest_recovers_long(tmp_path: Path) -> None:
    tally = fault_loop(tmp_path, runs=24, seed=2024)
    assert tally["failures"] == 0
    assert tally["kills"] >= 20


# A Chroma server that goes away in the middle of a question or an ingest, then comes back.


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ChromaServer:
    def __init__(self, path: Path, port: int) -> None:
        self.path, self.port = path, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        chroma = Path(sys.executable).with_name("chroma")
        self.process = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1",
             "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                assert self.process.poll() is None, "chroma run exited"
                time.sleep(0.2)
        raise AssertionError("chroma server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(30)


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path / "chroma-server", _free_port())
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.kill()


def test_chroma_server_going_away_is_a_clear_error_and_work_resumes(
    tmp_path: Path, chroma_server: ChromaServer, embeddings: ArticleEmbeddings
) -> None:
    rng = random.Random(3)
    corpus = Corpus(tmp_path / "articles", rng, size=6)
    url = f"http://127.0.0.1:{chroma_server.port}"
    assistant = make_assistant(tmp_path / "data", embeddings, chroma_url=url)
    assert len(assistant.ingest([corpus.folder]).added) == 6
    check_index(assistant)
    question = "How many new berths did the harbour authority approve?"
    assert assistant.ask(question).citations

    # The server dies in the middle of an ingest: the changed articles are embedded, then their
    # vectors can't be written (writes go a group of chunks at a time).
    corpus.mutate()
    corpus.mutate()

    def kill_server_once_embedded(stage: str, done: int, total: int) -> None:
        if stage == "embeddings" and chroma_server.process.poll() is None:
            chroma_server.kill()

    with pytest.raises(StoreUnavailableError) as during_ingest:
        assistant.ingest([corpus.folder], progress=kill_server_once_embedded)
    for error in (during_ingest.value,):
        message = str(error)
        assert "cannot reach the Chroma server at " + url in message
        assert "chroma run --path" in message and "\n" not in message

    # While it is down: questions fail with the same clear error, not a traceback.
    with pytest.raises(StoreUnavailableError, match="cannot reach the Chroma server"):
        assistant.ask(question)
    with pytest.raises(StoreUnavailableError, match="cannot reach the Chroma server"):
        assistant.ingest([corpus.folder])

    # Back on the same path and port: the next ingest completes the work and repairs the rest.
    chroma_server.start()
    report = assistant.ingest([corpus.folder])
    assert not report.failed, report.summary()
    indexed = check_index(assistant)
    assert indexed == corpus.article_ids()
    assert assistant.ingest([corpus.folder]).chunks_embedded == 0
    answer = assistant.ask(question)
    assert answer.citations
    check_answer(assistant, answer)
    assistant.close()
    # A fresh process view (new Assistant) agrees.
    reopened = make_assistant(tmp_path / "data", embeddings, chroma_url=url)
    assert check_index(reopened) == indexed
    reopened.close()
