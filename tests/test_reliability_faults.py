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
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.articles import article_id_for
from tests.ingest_worker import serve
from tests.reliability_checks import write_article

CTX = multiprocessing.get_context("forkserver")
CTX.set_forkserver_preload(["tests.ingest_worker", "torch", "sentence_transformers", "chromadb"])

# module:Class.method:N:when; each one lands in a different gap of the write path.
KILL_POINTS = [
    "assistant.registry:Registry.save_article:1:after",  # recorded, BM25 not yet published
    "assistant.store:ChunkStore.delete_article:1:after",  # rename or delete: vectors gone only
    "assistant.store:ChunkStore.upsert:2:after",  # vectors stored, article not recorded
    "bm25s:BM25.save:1:after",  # half-written BM25 folder
    "assistant.store:ChunkStore.upsert:1:before",  # embedded, nothing stored
    "assistant.store:ChunkStore.delete_ids:1:before",  # new vectors in, stale ones not yet out
    "assistant.registry:Registry.save_article:2:before",  # between two articles
    "assistant.lexical:LexicalIndex.save:1:after",  # BM25 saved, generation not recorded
    "assistant.registry:Registry.delete_article:1:before",
    "assistant.registry:Registry.set_meta:1:before",  # publish: generation not switched
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
            time.sleep(rng.uniform(0.0, 1.0))
            round_.process.kill()
        round_.process.join(CHILD_TIMEOUT_S)
        previous = f"run {number} killed at {kill_at or 'a random moment'}"
        tally["runs"] += 1
        if round_.process.exitcode == -signal.SIGKILL:
            tally["kills"] += 1
        else:
            assert round_.process.exitcode == 0, f"{previous}: exit {round_.process.exitcode}"
            tally["finished_before_kill"] += 1
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
