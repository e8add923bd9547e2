"""Outlets a question names that the library has no article from ("What did the Reuters article
say about …?" in a library without Reuters). A question about such outlets alone can't be
answered from the library: quotes from other outlets would stand for the one asked about. One
that also names the library's outlets is answered from those, and the reader is told which
outlets are missing.

Only names the wording presents as an outlet count: "the Reuters article", "reported by
Bloomberg", "a story from The Atlantic". A name alone ("What did NATO say?", "the NATO report")
is more often the subject of the news than its publisher, and "an article by Sarah Perez" names
its author."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from assistant.text.question_analysis import SourceMatcher

# A name as questions write outlets: capitalised words, "The" in front, "&" or "." inside.
_WORD = r"[A-Z](?:[\w&.’'-]*\w)?"
_NAME = rf"(?P<name>(?:The\s+)?{_WORD}(?:\s+(?:&\s+)?{_WORD})*)"
_OPEN = r"(?P<open>['\"‘“])?"
_CLOSE = r"(?P<close>['\"’”])?"
# What may follow a name that ends the outlet's mention: punctuation, or a word that starts the
# next phrase. "reported by Ukrainian officials" is no outlet: "officials" is not such a word.
_ENDS_NAME = (
    r"(?=\s*(?:[,.;:?!)]|$)|\s+(?:and|or|on|about|in|that|which|as|for|to|from|with|when|"
    r"before|after|while|were|was|is|are|had|has|have|did|do|does|say|said|suggest|report|"
    r"mention|mentions|mentioned|name|names|named|cite|cites|cited)\b)"
)
# Cues that only news has: an article, a story, a piece, coverage of a named outlet.
_NEWS_CUES = [
    # "the Reuters article", "a Bloomberg piece", "the Reuters and Bloomberg articles".
    re.compile(
        rf"\b(?:the|an?|one|another|and|or|&|many|(?i:which|what))\s+{_OPEN}{_NAME}{_CLOSE}"
        r"(?:['’]s)?\s+"
        r"(?:articles?|pieces?|coverage|op-eds?|editorials?|columns?|columnists?|reporters?|"
        r"journalists?|podcasts?|newsletters?)\b"
    ),
    # "an article from Reuters", "a story in The Atlantic", "coverage in Bloomberg".
    re.compile(
        rf"\b(?:articles?|stor(?:y|ies)|pieces?|coverage)\s+(?:from|in)\s+"
        rf"{_OPEN}{_NAME}{_CLOSE}{_ENDS_NAME}"
    ),
]
# Cues that an agency or a watchdog fits as well as an outlet: "reported by Human Rights Watch",
# "a report from the Pentagon". They name what is missing; they decline nothing. ("Published
# by" names an author or a publishing house more often than a news outlet.)
_REPORT_CUES = [
    re.compile(
        rf"\b(?:(?:reported|covered)\s+(?:by|in)|published\s+in)\s+(?:both\s+)?"
        rf"{_OPEN}{_NAME}{_CLOSE}{_ENDS_NAME}"
    ),
    re.compile(rf"\breports?\s+(?:from|in)\s+{_OPEN}{_NAME}{_CLOSE}{_ENDS_NAME}"),
]
_MASK = "\ue000"
_POSSESSIVE = re.compile(r"['’]s$")
# Capitalised words that are no outlet's name: "the October article", "the First article".
_NOT_OUTLETS = frozenset(
    "the a an this that these those it its his her their one another first second third last "
    "latest earlier later previous next new same other original "
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


@dataclass(frozen=True)
class NamedOutlet:
    name: str
    news_cue: bool  # named as only an outlet is ("the Reuters article"), not "reported by"


def outlets_not_in_library(question: str, matcher: SourceMatcher) -> list[str]:
    """The outlets `question` names, in its wording's own terms, that `matcher` (the library's
    outlets) does not know; in the order named."""
    return [o.name for o in _outlets_named(question, matcher) if not matcher.knows(o.name)]


def asks_only_of_missing_outlets(question: str, matcher: SourceMatcher, missing: list[str]) -> bool:
    """Whether `question` asks what outlets the library lacks reported, and names none of the
    library's: one of the `missing` outlets is named as only news names an outlet ("the
    Reuters article", "a story from Bloomberg"), and no outlet named is the library's, however
    written."""
    named = _outlets_named(question, matcher)
    if matcher.find(question) or any(matcher.knows(o.name) for o in named):
        return False
    return any(o.news_cue and o.name in missing for o in named)


def named_as_news(question: str, matcher: SourceMatcher) -> list[str]:
    """The names `question` presents as only news presents an outlet ("the Reuters article",
    "a story from Bloomberg"), other than the library's outlets as the library writes them."""
    return [o.name for o in _outlets_named(question, matcher) if o.news_cue]


# A question's outlets are asked for three times (missing, declined, named as news): its cues
# are read once per question and library.
@functools.lru_cache(maxsize=64)
def _outlets_named(question: str, matcher: SourceMatcher) -> tuple[NamedOutlet, ...]:
    """The names `question`'s wording presents as outlets, other than the library's outlets
    written as the library writes them; in the order named."""
    # The library's outlets are masked first: inside "The Independent - Life and Style
    # article" no "Style" is to be found.
    masked = question
    for start, end, _ in matcher.find(question):
        masked = masked[:start] + _MASK * (end - start) + masked[end:]
    found: dict[str, bool] = {}
    for cues, news in ((_NEWS_CUES, True), (_REPORT_CUES, False)):
        for cue in cues:
            for match in cue.finditer(masked):
                # "the 'NBA Rookie of the Year Odds' article": the end of a quoted title.
                if match.group("close") and not match.group("open"):
                    continue
                name = _POSSESSIVE.sub("", match.group("name")).strip(" .'’")
                if name.lower().removeprefix("the ") not in _NOT_OUTLETS:
                    found[name] = found.get(name, False) or news
    return tuple(
        NamedOutlet(name, news)
        for name, news in sorted(found.items(), key=lambda n: question.find(n[0]))
    )


def may_be_from(outlet: str, title: str, url: str) -> bool:
    """Whether an article that names no outlet may still be from `outlet`: its title or web
    address names it ("… | Reuters", "reuters.com/…")."""
    name = outlet.casefold().removeprefix("the ")
    return name in title.casefold() or name.replace(" ", "") in url.casefold()
