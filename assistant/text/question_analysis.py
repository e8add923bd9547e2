"""Query analysis for news questions: the outlets a question names and the clauses it is made of.

A multi-article question is built clause by clause ("X, according to Fortune, and Y, as reported
by The Age"), each clause pointing at a fact in a different article. Retrieving per clause, inside
the outlets that clause names, gives each side of the question its own share of the results."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from assistant.schema import outlet_name
from assistant.text.patterns import PART_BREAK
from assistant.text.question_dates import DateRange, date_ranges_in, without_period
from assistant.text.tokens import tokenize

# A comma breaks clauses, but not inside a number ("2,000 receiving yards").
_CLAUSE_BREAK = re.compile(
    r",(?!\d)\s*(?:and\s+|while\s+|whereas\s+|but\s+)?"
    r"|\s+(?:and|while|whereas|but)\s+"
    r"(?=(?:is|was|has|had|does|did|also|the|a|an|according|as|in|on)\b)"
    r"|;|\?"
)
# Words that only attribute a clause to an outlet; a fragment made of them joins its neighbour.
_ATTRIBUTION = re.compile(
    r"\b(according to|as reported by|reported by|as reported in|reported in|as per|as noted by|"
    r"noted by|as covered by|covered by|in an article (?:from|by|in)|an article (?:from|by|in)|"
    r"article|articles|report|reports|reported|both|the|from|by|in|on|as|also|and)\b",
    re.IGNORECASE,
)
_MIN_CLAUSE_TERMS = 3


@dataclass(frozen=True)
class Clause:
    text: str
    sources: tuple[str, ...]
    periods: tuple[DateRange, ...] = ()  # publication periods the clause names


@dataclass(frozen=True)
class QueryAnalysis:
    """`sources` are the outlets the question names, as it names them ("The Independent",
    "CNBC"); `feeds` gives each the index's sources it stands for (an outlet's sections are
    separate feeds: "The Independent - Travel", "The Independent - Sports")."""

    question: str
    sources: tuple[str, ...]
    clauses: tuple[Clause, ...]
    feeds: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)

    def feeds_of(self, outlets: Iterable[str]) -> tuple[str, ...]:
        """The index's sources that the outlets stand for."""
        return tuple(dict.fromkeys(f for o in outlets for f in self.feeds.get(o, (o,))))

    def outlet_of(self, feed: str) -> str:
        """The named outlet a source belongs to, case aside (the index keeps sources in lower
        case); the source itself when no outlet named stands for it."""
        wanted = feed.lower()
        return next(
            (o for o in self.sources if any(f.lower() == wanted for f in self.feeds_of([o]))),
            feed,
        )


class SourceMatcher:
    """Finds the corpus's own outlets in a question: full names ("The Independent - Travel") and
    their short forms (the outlet's name before " - ", " | " or ": "), matched as whole words,
    case as written, since many outlet names are also ordinary words ("Fortune", "The Age").
    A short form stands for every feed of its outlet: "The Independent" is its Travel, Sports
    and Life and Style sections."""

    def __init__(self, sources: Iterable[str]) -> None:
        feeds: dict[str, set[str]] = {}
        for source in {s for s in sources if s}:
            for alias in _aliases(source):
                feeds.setdefault(alias, set()).add(source)
        self._feeds = {alias: tuple(sorted(named)) for alias, named in feeds.items()}
        # Each name case and a leading "The" aside, for names as questions write them.
        self._by_bare = {_bare(alias): alias for alias in sorted(self._feeds, reverse=True)}
        # Longest names first, so "The Independent - Travel" wins over "The Independent".
        self._patterns = [
            (re.compile(r"(?<!\w)" + re.escape(alias) + r"(?!\w)"), alias)
            for alias in sorted(self._feeds, key=lambda alias: (-len(alias), alias))
        ]

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, outlet) of each outlet named in `text`, in order, without overlaps; the
        outlet as the text names it (see `feeds`)."""
        found: list[tuple[int, int, str]] = []
        for pattern, alias in self._patterns:
            for match in pattern.finditer(text):
                if any(match.start() < end and match.end() > start for start, end, _ in found):
                    continue
                found.append((match.start(), match.end(), alias))
        return sorted(found)

    def without_names(self, text: str) -> str:
        """`text` with each outlet it names replaced by a space."""
        for start, end, _ in reversed(self.find(text)):
            text = f"{text[:start]} {text[end:]}"
        return text

    def feeds(self, outlet: str) -> tuple[str, ...]:
        """The sources an outlet found by `find` stands for."""
        return self._feeds.get(outlet, (outlet,))

    def knows(self, name: str) -> bool:
        """Whether `name` may be one of the outlets: one of their names, case and a leading
        "The" aside ("the Guardian article" names "The Guardian"), or words of one, or one's
        words with more ("BBC" for a feed titled "BBC News", "BBC News" for one titled "BBC").
        Of an outlet asked about, a wrong "no" declines a question the library may answer; a
        wrong "maybe" only leaves a note out."""
        wanted = f" {_bare(name)} "
        return any(wanted in f" {bare} " or f" {bare} " in wanted for bare in self._by_bare if bare)

    def outlet_named(self, name: str) -> str | None:
        """The outlet `name` is, case and a leading "The" aside ("the Verge" is "The Verge"),
        as `find` would return it; None when it is none of them."""
        return self._by_bare.get(_bare(name))

    def strip(self, text: str) -> str:
        for pattern, _ in self._patterns:
            text = pattern.sub(" ", text)
        return text


def _bare(name: str) -> str:
    return " ".join(name.split()).casefold().removeprefix("the ")


def _aliases(source: str) -> set[str]:
    names = {source, outlet_name(source)}
    names = {name.strip() for name in names if len(name.strip()) >= 3}
    # Feeds often title-case an acronym ("Cnbc"); questions write it in capitals ("CNBC").
    # Only one-word names of up to five letters (initials are short): a longer word written in
    # capitals is more often emphasis than an outlet.
    names |= {name.upper() for name in names if name.isalpha() and len(name) <= 5}
    # A feed titled in lower case ("euronews") is written with capitals in a question.
    names |= {string.capwords(name) for name in names if name.islower()}
    return names


def _content_terms(text: str, matcher: SourceMatcher) -> int:
    return len(tokenize(_ATTRIBUTION.sub(" ", matcher.strip(text))))


def split_clauses(question: str, matcher: SourceMatcher) -> list[str]:
    """Clauses with enough content of their own; attribution fragments ("according to
    'Fortune'") stay attached to the clause they attribute."""
    clauses: list[str] = []
    for part in _CLAUSE_BREAK.split(question):
        part = part.strip() if part else ""
        if not part:
            continue
        if clauses and _content_terms(part, matcher) < _MIN_CLAUSE_TERMS:
            clauses[-1] = f"{clauses[-1]}, {part}"
        else:
            clauses.append(part)
    if len(clauses) > 1 and _content_terms(clauses[0], matcher) < _MIN_CLAUSE_TERMS:
        clauses[1] = f"{clauses[0]}, {clauses[1]}"
        clauses = clauses[1:]
    return clauses


def analyse_question(
    question: str, matcher: SourceMatcher, newest: date | None = None
) -> QueryAnalysis:
    """Outlets and clauses of a question; dates without a year and relative ones ("last week")
    are read against `newest`, the newest article's publication date (today when None)."""
    base = newest or date.today()
    # One outlet named two ways ("Cnbc", "CNBC") is one outlet, by the name it had first.
    first_name: dict[tuple[str, ...], str] = {}

    def outlets_in(text: str) -> tuple[str, ...]:
        return tuple(
            dict.fromkeys(
                first_name.setdefault(matcher.feeds(outlet), outlet)
                for _, _, outlet in matcher.find(text)
            )
        )

    named = outlets_in(question)
    clauses = tuple(
        Clause(text, outlets_in(text), tuple(date_ranges_in(text, base)))
        for text in split_clauses(question, matcher)
    )
    feeds = {outlet: feeds for feeds, outlet in first_name.items()}
    return QueryAnalysis(question=question, sources=named, clauses=clauses, feeds=feeds)


def asks_one_thing(question: str) -> bool:
    """Whether `question` is of one part and one clause: a date or a report it names then dates
    the whole of it, not one part among others."""
    return not PART_BREAK.search(question) and len(split_clauses(question, SourceMatcher([]))) < 2


# "What happened?", "What was in the news?", "What were the top stories?": asked of a period
# and nothing else, the news of that period.
_THE_NEWS = re.compile(
    r"^\s*(?:what\s+(?:happened|(?:was|is)\s+(?:in\s+the\s+news|new|reported)|"
    r"were\s+the\s+(?:top\s+|main\s+|biggest\s+|big\s+)?(?:stories|headlines|news))|"
    r"(?:any|the)\s+(?:news|headlines))[\s?.!]*$",
    re.IGNORECASE,
)


def asks_for_the_news(question: str) -> bool:
    """Whether the question, its period taken out, asks for the news and nothing else."""
    return bool(_THE_NEWS.match(question))


_DOCUMENT = (
    r"(?:the|this|that|these|those|all\s+the)\s+(?:articles?|stor(?:y|ies)|reports?|pieces?|news)"
)
# "Summarize the article", "What is this story about?", "What are the main points?", "TL;DR":
# asked of the articles themselves, not of a subject in them.
_SUMMARY = re.compile(
    rf"^\s*(?:(?:please|can\s+you|could\s+you)\s+)?(?:"
    rf"(?:summari[sz]e|sum\s+up|recap|outline)(?:\s+{_DOCUMENT})?|"
    rf"(?:give\s+me\s+)?(?:a\s+|the\s+)?(?:summary|overview|recap|gist)(?:\s+of\s+{_DOCUMENT})?|"
    rf"what(?:['’]s|\s+is|\s+are)\s+(?:{_DOCUMENT}|this|it)\s+about|"
    rf"what\s+(?:does|do)\s+{_DOCUMENT}\s+say|"
    rf"(?:what\s+are\s+)?(?:the\s+)?(?:main|key)\s+points(?:\s+of\s+{_DOCUMENT})?|"
    rf"tl;?\s*dr"
    rf")[\s?.!]*$",
    re.IGNORECASE,
)


def asks_for_a_summary(question: str) -> bool:
    """Whether the question asks what the articles say as a whole, about no subject of theirs."""
    return bool(_SUMMARY.match(question))


def publication_period(question: str, newest: date | None = None) -> DateRange | None:
    """The period a one-part question says its articles come from ("What did TechCrunch
    publish in October 2023 about Google?", "reports from last week on …"): the question is
    then about those articles only. So is a question for the news of a day or a week ("What
    happened on November 17?"): that day's reports tell what happened on it. None when it
    names no such period, or several, or asks several things (a period there dates one part,
    not the others)."""
    periods = date_ranges_in(question, newest or date.today())
    if len(periods) != 1:
        return None
    period = periods[0]
    if not period.publication:
        if not asks_for_the_news(without_period(question, period)):
            return None
        period = replace(period, publication=True)
    return period if asks_one_thing(question) else None
