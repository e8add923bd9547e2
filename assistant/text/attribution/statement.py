"""The public result of attribution: `Statement`, and the look-ups callers run over a list of
them (grouped by speaker, the speaker of a cited span). Nothing here finds statements."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Statement:
    """One attributed statement. `text[start:end]` is exactly the statement: the words inside
    the quotation marks, or the reported clause."""

    speaker: str  # the name as written nearest the statement ("Stoltenberg", "the Kremlin")
    canonical: str  # the fullest form of that speaker's name in the article
    start: int
    end: int
    verb: str  # the speech verb as written ("said", "according to"); "" when implied
    kind: str  # "direct" (a quotation) or "reported"


def statements_by_speaker(statements: Iterable[Statement]) -> dict[str, list[Statement]]:
    """Statements grouped by canonical speaker, in the order given."""
    grouped: dict[str, list[Statement]] = {}
    for statement in statements:
        grouped.setdefault(statement.canonical, []).append(statement)
    return grouped


def speaker_at(statements: Iterable[Statement], start: int, end: int) -> Statement | None:
    """The statement that overlaps `text[start:end]` the most (None when none does): the
    speaker to name beside a citation of that span."""
    best, best_overlap = None, 0
    for statement in statements:
        overlap = min(end, statement.end) - max(start, statement.start)
        if overlap > best_overlap:
            best, best_overlap = statement, overlap
    return best


@functools.cache
def extractor_version() -> str:
    """A digest of the attribution rules' source: statements stored at ingest are used only
    while the rules that found them are the ones running, so a changed rule never serves
    statements it would not find."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode("utf-8") + b"\0" + module.read_bytes())
    return digest.hexdigest()[:16]
