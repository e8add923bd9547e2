"""An ingest that can be told to die: the fault-injection tests run it in a child process and kill
it with SIGKILL, at a random moment or at a chosen call (ASSISTANT_TEST_KILL_AT).

A kill point is "module:Class.method:N:when": the process kills itself (SIGKILL, no cleanup,
like a power cut) at the N-th call of that method, before or after the call runs. The patch
lives in this worker only; the product code is untouched.

By hand: ASSISTANT_TEST_KILL_AT=assistant.store:ChunkStore.upsert:2:after \
    python -m tests.ingest_worker DATA_DIR FOLDER"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

KILL_ENV = "ASSISTANT_TEST_KILL_AT"


def install_kill_point(spec: str) -> None:
    module_name, attribute, nth, when = spec.split(":")
    class_name, method_name = attribute.split(".")
    owner = getattr(importlib.import_module(module_name), class_name)
    original: Callable[..., Any] = getattr(owner, method_name)
    target, calls = int(nth), [0]
    if when not in ("before", "after"):
        raise ValueError(f"kill point {spec!r}: when must be before or after")

    def die_at_nth_call(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == target and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if calls[0] == target and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(owner, method_name, die_at_nth_call)


def _checked_ingest(assistant: Any, folder: str) -> dict[str, Any]:
    """Ingest, verify the index invariants, ingest again (which must embed nothing)."""
    from tests.reliability_checks import check_index

    outcome: dict[str, Any] = {"ok": False, "error": "", "report": None, "articles": []}
    try:
        outcome["report"] = assistant.ingest([folder]).to_dict()
        outcome["articles"] = sorted(check_index(assistant))
        outcome["second_embedded"] = assistant.ingest([folder]).chunks_embedded
        outcome["ok"] = True
    except (Exception, AssertionError) as exc:  # reported by the parent test
        outcome["error"] = f"{type(exc).__name__}: {exc}"
    return outcome


def serve(data_dir: str, folder: str, results: Any, commands: Any, ready: Any) -> None:
    """One fault-injection round in one process (so the model loads once per round): first
    the recovery ingest after the previous kill, checked; then, on command (kill point, ids to
    delete), a second ingest that is meant to be killed."""
    from assistant.api import Assistant
    from assistant.settings import Settings

    assistant = Assistant(Settings(data_dir=Path(data_dir)))
    results.put(_checked_ingest(assistant, folder))
    command = commands.get()
    if command is None:
        assistant.close()
        return
    kill_at, delete_ids = command
    if kill_at:
        install_kill_point(kill_at)
    assistant.embeddings.encode(["warm up"])
    ready.set()
    began = time.perf_counter()
    for article_id in delete_ids:
        assistant.delete(article_id)
    assistant.ingest([folder])
    results.put({"finished": True, "seconds": time.perf_counter() - began})
    assistant.close()


def ask_loop(data_dir: str, questions: list[str], rounds: int) -> None:
    """A second process that asks questions against an index another process is writing:
    prints "ready", then one JSON line per answer (ok, error, cited article ids)."""
    from assistant.api import Assistant
    from assistant.settings import Settings
    from tests.reliability_checks import check_answer

    assistant = Assistant(Settings(data_dir=Path(data_dir)))
    assistant.embeddings.encode(["warm up"])
    print("ready", flush=True)
    sys.stdin.readline()  # the parent says go once its ingest is running
    for _ in range(rounds):
        for question in questions:
            line: dict[str, Any] = {"question": question, "ok": False, "error": "", "cited": []}
            try:
                answer = assistant.ask(question)
                check_answer(assistant, answer)
                line.update(ok=True, cited=[c.article_id for c in answer.citations])
            except (Exception, AssertionError) as exc:
                line["error"] = f"{type(exc).__name__}: {exc}"
            print(json.dumps(line), flush=True)
    assistant.close()


def main() -> None:
    from assistant.api import Assistant
    from assistant.settings import Settings

    if sys.argv[1] == "ask":
        ask_loop(sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]))
        return
    if os.environ.get(KILL_ENV):
        install_kill_point(os.environ[KILL_ENV])
    assistant = Assistant(Settings(data_dir=Path(sys.argv[1])))
    print(json.dumps(assistant.ingest([sys.argv[2]]).to_dict()))


if __name__ == "__main__":
    main()
