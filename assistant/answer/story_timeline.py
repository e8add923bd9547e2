"""How a story developed, as a timeline: "Give me a timeline of the OpenAI leadership crisis",
"How did the Epic v. Google trial unfold?". A plain answer quotes the few sentences that answer
the question best, often from one article and one day; a timeline is the story's reports in
date order, so each article found for it is a stop, quoted by its own sentence that answers the
question best (at the question's bar: an article that only mentions the story is no stop)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.answer.base import Answerer
from assistant.answer.layout import as_timeline
from assistant.schema import Answer, Citation, Passage

# "(Give me / Show me / Make / What is) a timeline of X", "the chronology of X", "X timeline",
# "How did X develop / unfold / evolve / play out?", "How has X developed?".
_TIMELINE_OF = re.compile(
    r"^\s*(?:(?:please\s+)?(?:give|show|make|build|draw)\s+(?:me\s+)?|"
    r"(?:can|could)\s+you\s+(?:give|show|make)\s+(?:me\s+)?|what\s+is\s+|what['’]s\s+)?"
    r"(?:a|the)?\s*(?:timeline|chronology|time\s*line)\s+(?:of|for|on)\s+(?P<topic>.+?)"
    r"[\s?.!]*$"
    r"|^\s*(?!(?:what|who|when|where|why|how|which|is|are|was|were|did|does|do)\b)"
    r"(?P<named>.+?)\s+(?:timeline|chronology)[\s?.!]*$"
    r"|^\s*how\s+(?:did|has|have)\s+(?P<developed>.+?)\s+"
    r"(?:develop(?:ed)?|unfold(?:ed)?|evolve[sd]?|play(?:ed)?\s+out|progress(?:ed)?)"
    r"(?:\s+over\s+time)?[\s?.!]*$",
    re.IGNORECASE,
)
_LEADING_WORDS = re.compile(r"^(?:the\s+story\s+of\s+|the\s+)", re.IGNORECASE)


def asks_for_a_story_timeline(question: str) -> str | None:
    """What a question asking how a story developed is about ("the OpenAI leadership crisis"),
    or None for any other question."""
    match = _TIMELINE_OF.match(" ".join(question.split()))
    if match is None:
        return None
    topic = next(match.group(g) for g in ("topic", "named", "developed") if match.group(g))
    topic = topic.strip(" “”\"'")
    return topic if re.search(r"\w{2}", _LEADING_WORDS.sub("", topic)) else None


def story_timeline_answer(
    question: str,
    topic: str,
    passages: Sequence[Passage],
    answerer: Answerer,
    stops: int,
    min_score: float | None = None,
) -> Answer | None:
    """Up to `stops` of the articles among `passages` (found for `topic`), each quoted by the
    sentence of its passages that answers `topic` best (scoring at least `min_score`, when
    given), in publication order. A sentence another stop already quotes (an outlet's stock
    line about the story) is no stop of its own: the article's next best one is. None when
    fewer than two articles on two days answer: then there is no development to show."""
    articles: dict[str, list[Passage]] = {}
    for passage in passages:
        articles.setdefault(passage.article_id, []).append(passage)
    asked = topic[:1].upper() + topic[1:] + "?"
    answered: list[tuple[str, list[Citation]]] = []
    for own in articles.values():
        if len(answered) == stops:
            break
        answer = answerer.answer(asked, own)
        day = own[0].published_at
        good = [c for c in answer.citations if min_score is None or c.score >= min_score]
        if not answer.abstained and day and good:
            answered.append((day, sorted(good, key=lambda c: -c.score)))
    # In date order, so that a line several reports repeat stays with the earliest of them.
    answered.sort(key=lambda stop: stop[0])
    found: list[tuple[str, Citation]] = []
    quoted: set[str] = set()
    for day, ranked in answered:
        fresh = [c for c in ranked if _said(c.quote) not in quoted]
        if fresh:
            found.append((day, fresh[0]))
            quoted.add(_said(fresh[0].quote))
    if len({day[:10] for day, _ in found}) < 2:
        return None
    citations = [replace(citation, n=n) for n, (_, citation) in enumerate(found, start=1)]
    text = " ".join(f"{c.quote} [{c.n}]" for c in citations)
    return as_timeline(Answer(question=question, text=text, citations=citations))


def _said(quote: str) -> str:
    return " ".join(quote.split()).casefold()
