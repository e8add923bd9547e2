"""Writes a folder of nasty input files at test time (nothing big is committed) and says what an
ingest must do with each: index it, report it as a duplicate, or fail it with a reason that
matches a pattern."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from tests.reliability_checks import article_text

MILLION = 1_000_000


@dataclass(frozen=True)
class Expect:
    outcome: str  # "indexed", "duplicate" or "failed"
    reason: str = ""  # regex the failure reason must match


def _plain(seed: int) -> str:
    title, body = article_text(seed)
    date = f"2023-05-0{seed % 9 + 1}"
    return f"---\ntitle: {title}\nsource: Nasty Gazette\ndate: {date}\n---\n{body}\n"


def write_nasty_corpus(folder: Path, *, big_mb: float = 20.0) -> dict[str, Expect]:
    """Write the nasty files into `folder`; returns file name -> what ingest must do."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    expect: dict[str, Expect] = {}

    def put(name: str, data: bytes | str, outcome: Expect) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        (folder / name).write_bytes(raw)
        expect[name] = outcome

    put("dup-a.txt", _plain(1), Expect("indexed"))
    put("dup-b-same-text-other-name.txt", _plain(1), Expect("duplicate"))
    put("empty.txt", b"", Expect("failed", r"^empty file$"))
    put("whitespace.md", "  \n\n\t\n", Expect("failed", r"no article text"))
    put("binary.txt", bytes(rng.randrange(256) for _ in range(4096)) + b"\x00\x00", Expect(
        "failed", r"binary|not UTF-8"))
    put("nul-bytes.txt", _plain(2).replace("Officials", "Offic\x00ials"), Expect(
        "failed", r"binary file \(NUL bytes\)"))
    put("invalid-utf8.txt", _plain(3).encode("utf-8").replace(b"Residents", b"R\xe9sidents"),
        Expect("failed", r"not UTF-8 text \(invalid byte 0xe9 at offset \d+\)"))
    put("latin1-bom-lookalike.txt", b"\xef\xbb" + b"plain words", Expect("failed", r"not UTF-8"))
    put("utf16-bom.txt", _plain(4).encode("utf-16"), Expect("indexed"))
    put("utf8-bom.md", "\ufeff" + _plain(5), Expect("indexed"))
    line = " ".join(rng.choice(["tallinn", "harbour", "berths", "cargo", "vote"]) for _ in range(
        MILLION // 6))
    put("million-char-line.txt", ("Long line report\n" + line + "\n")[: MILLION + 100], Expect(
        "indexed"))
    big = folder / "twenty-mb.txt"
    with big.open("wb") as handle:
        block = (_plain(6) * 40).encode("utf-8")
        for _ in range(int(big_mb * 1024 * 1024) // len(block) + 1):
            handle.write(block)
    expect[big.name] = Expect("failed", r"file is \d+\.\d MB, over the \d+ MB limit")
    put("deeply-nested.json", "[" * 200_000 + "]" * 200_000, Expect(
        "failed", r"nested too deeply|record 1: not a JSON object"))
    huge = {"title": "Huge JSON record", "body": article_text(8)[1], "source": "Big Data Daily",
            "tags": list(range(300_000))}
    put("huge.json", json.dumps(huge), Expect("indexed"))
    put("malformed.json", '{"title": "Cut short", "body": "The harbour of', Expect(
        "failed", r"malformed JSON at line 1 column \d+"))
    put("not-objects.json", "[1, 2, 3]", Expect(
        "failed", r"none of its 3 records could be read; first: record 1: not a JSON object"))
    put("no-body.jsonl", '{"title": "No body here"}\n', Expect("failed", r"^line 1: no body"))
    put("no-body.html", "<html><head><title>Only a head</title></head></html>", Expect(
        "failed", r"no article text found in the HTML page"))
    put("script-only.html", "<html><body><script>alert(1)</script></body></html>", Expect(
        "failed", r"no article text found"))
    put("bad-sidecar.txt", _plain(9), Expect("failed", r"metadata file bad-sidecar\.meta\.json"))
    (folder / "bad-sidecar.meta.json").write_text("{not json", encoding="utf-8")
    # Skipped by the folder scan (not an accepted type); fails when named explicitly.
    (folder / "slides.pdf").write_bytes(b"%PDF-1.4 not really")
    return expect
