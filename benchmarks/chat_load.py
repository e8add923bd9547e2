"""Load on the chat server: N concurrent gradio_client users for D seconds against `assistant chat`.

Starts `assistant chat` as a subprocess on 127.0.0.1 (free port, temporary data dir, the seed
corpus ingested at start), then every user asks the seed questions in a loop through the /ask
API, each answer checked for its expected quote. Every 10 s it prints requests, errors, p50/p95
latency of that window and the server's RSS (is memory flat?); at the end one JSON summary.

    .venv/bin/python -m benchmarks.chat_load --users 20 --seconds 120
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, percentile, rss_mb, setup_offline

# (question, a substring the cited quotes must contain): every answer is checked.
QUESTIONS = [
    ("How many troops has Moscow stationed near Ukraine?", "150,000 troops"),
    ("What did Liz Truss say about the reports?", "blatant attempt"),
    ("How many troops did Ben Wallace say had increased?", "7,000"),
]
SEED_CORPUS = REPO / "corpus"


@dataclass
class Tally:
    """What the users saw, shared between their threads under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)  # seconds, every request
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    rss: list[tuple[float, float]] = field(default_factory=list)  # (elapsed s, MB)

    def add(self, latency: float, error: str | None = None, wrong: str | None = None) -> None:
        with self.lock:
            self.latencies.append(latency)
            if error:
                self.errors.append(error)
            if wrong:
                self.wrong.append(wrong)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(data_dir: Path, port: int, timeout: float = 300.0) -> subprocess.Popen[bytes]:
    """`assistant chat` on 127.0.0.1:port with the seed corpus indexed; returns when it answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["ASSISTANT_DATA_DIR"] = str(data_dir)
    log = (data_dir.parent / "server.log").open("wb")
    command = [sys.executable, "-m", "assistant.cli", "chat", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--ingest", str(SEED_CORPUS)]
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.close()
            raise RuntimeError(f"server exited with {proc.returncode}: see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                if reply.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError(f"server did not answer within {timeout:.0f} s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def user(url: str, index: int, deadline: float, max_requests: int, tally: Tally) -> None:
    """One chat user: its own client, the seed questions in turn until time or count runs out."""
    from gradio_client import Client

    try:
        client = Client(url, verbose=False)
    except Exception as exc:
        tally.add(0.0, error=f"connect: {type(exc).__name__}: {exc}")
        return
    for n in range(max_requests):
        if time.monotonic() >= deadline:
            return
        question, expected = QUESTIONS[(index + n) % len(QUESTIONS)]
        began = time.perf_counter()
        try:
            answer = client.predict(question, None, None, api_name="/ask")
        except Exception as exc:
            tally.add(time.perf_counter() - began, error=f"{type(exc).__name__}: {exc}")
            continue
        latency = time.perf_counter() - began
        quotes = [c.get("quote", "") for c in answer.get("citations", [])]
        ok = any(expected in q for q in quotes)
        tally.add(latency, wrong=None if ok else f"{question!r} -> {answer.get('text', '')!r}")


def run_load(
    users: int = 20,
    seconds: float = 120.0,
    max_requests: int = 10_000,
    report_every: float = 10.0,
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Start a server, load it, stop it; returns the figures (also printed through `say`)."""
    setup_offline()
    with tempfile.TemporaryDirectory(prefix="chat-load-") as tmp:
        port = free_port()
        started = time.perf_counter()
        proc = start_server(Path(tmp) / "data", port)
        startup_s = time.perf_counter() - started
        url = f"http://127.0.0.1:{port}/"
        tally = Tally()
        tally.rss.append((0.0, rss_mb(proc.pid)))
        say(f"server up in {startup_s:.1f} s at {url}, RSS {tally.rss[0][1]:.0f} MB")
        began = time.monotonic()
        deadline = began + seconds
        threads = [
            threading.Thread(target=user, args=(url, i, deadline, max_requests, tally), daemon=True)
            for i in range(users)
        ]
        for thread in threads:
            thread.start()
        seen, next_report = 0, report_every

        def report(final: bool = False) -> None:
            nonlocal seen
            with tally.lock:
                window = tally.latencies[seen:]
                seen = len(tally.latencies)
                errors = len(tally.errors) + len(tally.wrong)
            elapsed = time.monotonic() - began
            tally.rss.append((elapsed, rss_mb(proc.pid)))
            say(
                f"{elapsed:6.1f} s{' (end)' if final else ''}  requests {seen:5d}  "
                f"errors {errors}  window p50 {percentile(window, 50) * 1000:6.0f} ms  "
                f"p95 {percentile(window, 95) * 1000:6.0f} ms  "
                f"server RSS {tally.rss[-1][1]:.0f} MB"
            )

        try:
            # Users stop asking at the deadline; one stuck a minute past it counts as an error.
            while any(t.is_alive() for t in threads) and time.monotonic() < deadline + 60:
                time.sleep(0.2)
                if time.monotonic() - began >= next_report:
                    report()
                    next_report += report_every
            report(final=True)
            wall = time.monotonic() - began
            stuck = sum(t.is_alive() for t in threads)
            if stuck:
                tally.errors.append(f"{stuck} user(s) still waiting a minute after the end")
        finally:
            stop_server(proc)
    rss = [mb for _, mb in tally.rss]
    # Memory after the first window (warm: model, queue, clients) against the end.
    warm = rss[1] if len(rss) > 2 else rss[0]
    figures = {
        "users": users,
        "seconds": seconds,
        "wall_s": round(wall, 1),
        "startup_s": round(startup_s, 1),
        "requests": len(tally.latencies),
        "requests_per_s": round(len(tally.latencies) / wall, 2),
        "errors": len(tally.errors),
        "wrong_answers": len(tally.wrong),
        "p50_ms": round(percentile(tally.latencies, 50) * 1000),
        "p95_ms": round(percentile(tally.latencies, 95) * 1000),
        "max_ms": round(max(tally.latencies, default=0.0) * 1000),
        "rss_mb": [round(mb) for mb in rss],
        "rss_growth_after_warmup_mb": round(rss[-1] - warm, 1),
        "error_samples": tally.errors[:5],
        "wrong_samples": tally.wrong[:5],
    }
    say(json.dumps(figures))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--max-requests", type=int, default=10_000, help="per user")
    args = parser.parse_args()
    figures = run_load(args.users, args.seconds, args.max_requests)
    sys.exit(1 if figures["errors"] or figures["wrong_answers"] else 0)


if __name__ == "__main__":
    main()
