"""What a question naming outlets the library lacks gets: declined when it asks only what they
reported ("What did the Reuters article say …?"), else answered without their names (see
text/outlet_mentions.py for which names count as outlets)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer.column_question import without_outlets
from assistant.index.table import ChunkTable
from assistant.text.outlet_mentions import (
    asks_only_of_missing_outlets,
    may_be_from,
    named_as_news,
    outlets_not_in_library,
)
from assistant.text.question_analysis import SourceMatcher


@dataclass(frozen=True)
class MissingOutlets:
    """`names`: the outlets the question names that no article is from. `declined`: the
    question asks only what they reported. `question`: what to search and answer, without the
    missing outlets it names as only news names an outlet ("the euronews article and the
    Reuters article" reads "the euronews article and the article"): a name no article has
    would count as the question's subject and decline it. One named as an agency could be
    ("reported by Human Rights Watch") may be what the question is about, and stays."""

    question: str
    names: list[str] = field(default_factory=list)
    declined: bool = False


def missing_outlets(question: str, table: ChunkTable, matcher: SourceMatcher) -> MissingOutlets:
    """The outlets `question` names that no article in `table` is from. An article that names
    no outlet (a plain text file) counts as from the one named when its title or web address
    names it."""
    if not table.articles:
        return MissingOutlets(question)
    names = [
        outlet
        for outlet in outlets_not_in_library(question, matcher)
        if not any(may_be_from(outlet, a.title, a.url) for a in table.articles_without_outlet)
    ]
    if not names:
        return MissingOutlets(question)
    if asks_only_of_missing_outlets(question, matcher, names):
        return MissingOutlets(question, names, declined=True)
    as_news = [name for name in named_as_news(question, matcher) if name in names]
    if as_news:
        question = without_outlets(question, SourceMatcher(as_news)) or question
        question = _AN.sub(r"\1n ", question)  # "a CNET article" reads "an article"
    return MissingOutlets(question, names)


_AN = re.compile(r"\b([Aa])\s+(?=(?:articles?|op-eds?|editorials?|interviews?)\b)")
