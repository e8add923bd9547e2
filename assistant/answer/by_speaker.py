"""The "who said what" view: for a question about what each side said, the statements of each
speaker on it, grouped by speaker. Each column is an answer to "What did <speaker> say about
<topic>?" from the same passages, keeping only the citations that are that speaker's own
attributed statements, so a column never quotes someone else."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.base import Answerer
from assistant.answer.layout import Columns
from assistant.schema import Answer, Citation, Passage
from assistant.text.attribution import Statement

LAYOUT_BY_SPEAKER = "by_speaker"

# "Who said what about ...", "What did the two sides say about ...", "What do officials say ...".
_WHO_SAID_WHAT = re.compile(
    r"\bwho said what\b|\bwho says what\b"
    r"|\bwhat (?:do|did|does|have|has) (?:the |each |both )?(?:different |various |two |opposing )?"
    r"(?:sides?|parties|camps|officials|governments|leaders)\b(?: each| both)? "
    r"(?:say|said|claim|argue)",
    re.IGNORECASE,
)
_TOPIC = re.compile(r"\b(?:about|on|over|regarding|concerning)\s+(?P<topic>.+?)[?.!]*\s*$", re.I)
# Columns shown at most: the speakers of the first passages, in rank order.
MAX_SPEAKERS = 6

StatementsOf = Callable[[Passage], list[Statement]]
"""The attributed statements of a passage's article (the article version it was cut from)."""
Label = Callable[[list[Citation]], list[Citation]]
"""Citations with their speakers named (answer/speakers.py)."""


def asks_who_said_what(question: str) -> bool:
    return bool(_WHO_SAID_WHAT.search(question))


def topic_of(question: str) -> str:
    """What the question asks them about ("troop withdrawal"), or "" when it doesn't say."""
    match = _TOPIC.search(question)
    return match.group("topic").strip() if match else ""


def speakers_in(passages: list[Passage], statements_of: StatementsOf, depth: int) -> list[str]:
    """Canonical speakers with a statement inside the first `depth` passages, in rank order."""
    found: dict[str, None] = {}
    for passage in passages[:depth]:
        for statement in statements_of(passage):
            if passage.start <= statement.start and statement.end <= passage.end:
                found.setdefault(statement.canonical, None)
    return list(found)


def by_speaker_answer(
    question: str,
    passages: list[Passage],
    *,
    statements_of: StatementsOf,
    label: Label,
    answerer: Answerer,
    depth: int,
) -> Answer | None:
    """One column per speaker of the first passages, each quoting only that speaker's own
    statements; None when fewer than two speakers have a statement that answers."""
    topic = topic_of(question)
    for_speakers = getattr(answerer, "for_speakers", None)
    reader: Answerer = for_speakers() if callable(for_speakers) else answerer
    columns = Columns()
    for speaker in speakers_in(passages, statements_of, depth)[:MAX_SPEAKERS]:
        asked = f"What did {speaker} say about {topic}?" if topic else f"What did {speaker} say?"
        column = reader.answer(asked, passages)
        if column.abstained:
            continue
        own = [c for c in label(column.citations) if c.speaker == speaker]
        if own:
            columns.add(speaker, own)
    if len(columns.groups) < 2:
        return None
    return Answer(
        question=question,
        text="\n".join(columns.lines),
        citations=columns.citations,
        layout=LAYOUT_BY_SPEAKER,
        groups=columns.groups,
    )
