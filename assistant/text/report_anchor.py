"""A time set by another report: "What did TechCrunch report after The Verge's report on the
verdict?" means the articles published after that report's day. The words name the anchoring
report (its outlet and what it was about); finding it, and its date, is the search's job.

Only one-part questions that ask what or who: "Did TechCrunch report it after The Verge did?"
asks about the order itself, and keeping to one side of the anchor would answer it in
advance."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.question_analysis import asks_one_thing

_REPORT = r"(?P<noun>report|article|story|coverage|piece|reporting)s?"
# Nouns only news has: "the report into the scandal" may be an inquiry's, "the article on" not.
_NEWS_NOUNS = frozenset({"article", "story", "coverage", "piece"})
_ANCHOR = re.compile(
    r"(?P<phrase>(?<![\w-])(?P<relation>before|after|following|prior\s+to|since|until)\s+"
    rf"(?P<named>(?:[\w&.'’-]+\s+){{0,6}}?){_REPORT}"
    r"(?P<by>\s+(?:by|from|in)\s+(?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z|-][\w&.'’|-]*)*)?"
    r"\s+(?:on|about|regarding|of|covering|discussing|into)\s+(?P<topic>[^,?;:]+?))"
    r"(?=\s*(?:[,?;:.]|$))",
    re.IGNORECASE,
)
_ASKS_WHAT = re.compile(
    r"^\s*(?:what|which|who|whom|whose|how|where|why|list|summari[sz]e|tell|show|describe)\b",
    re.IGNORECASE,
)
_AFTER = frozenset({"after", "following", "since"})


@dataclass(frozen=True)
class ReportAnchor:
    """`relation` is "before" or "after" the anchoring report; `outlet_words` the words that
    may name its outlet ("The Verge's", "by Reuters"); `topic` what it was about; `phrase` the
    words as the question has them; `news_noun` whether it is called an article, a story, a
    piece or coverage (a "report" alone may be an inquiry's: only one an outlet made counts)."""

    relation: str
    outlet_words: str
    topic: str
    phrase: str
    news_noun: bool


def report_anchor(question: str) -> ReportAnchor | None:
    """The report a what/who question dates its articles by, or None."""
    match = _ANCHOR.search(question)
    if match is None:
        return None
    rest = (question[: match.start()] + question[match.end() :]).strip(" ,")
    if not _ASKS_WHAT.match(rest):
        return None
    # As with a date: in a question of several parts the report dates one part, not the others.
    if not asks_one_thing(rest):
        return None
    topic = match.group("topic").strip()
    if len(re.findall(r"\w{3,}", topic)) < 1:
        return None
    relation = " ".join(match.group("relation").lower().split())
    return ReportAnchor(
        relation="after" if relation in _AFTER else "before",
        outlet_words=f"{match.group('named')}{match.group('by') or ''}".strip(),
        topic=topic,
        phrase=match.group("phrase"),
        news_noun=match.group("noun").lower() in _NEWS_NOUNS,
    )
