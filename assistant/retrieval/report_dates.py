"""The publication period a question sets by another report ("What did TechCrunch report after
The Verge's report on the verdict?"): that report is found by a search of its outlet for what it
was about, and its day bounds the period. Not found, or found too unsure, and no period is set:
a wrong bound would hide the answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.index.lexical import LexicalIndex, weighted_share
from assistant.index.table import ChunkTable
from assistant.retrieval.search import HybridSearcher
from assistant.schema import Passage, SearchFilter
from assistant.text.question_dates import DateRange
from assistant.text.report_anchor import ReportAnchor, report_anchor

# The share of the topic's (idf-weighted) words the anchoring report's title and passage must
# hold.
_MIN_TOPIC_COVER = 0.6


# A capitalised word other than "The": the report's outlet, named.
_NAMES_SOMEONE = re.compile(r"\b(?!The\b)[A-Z]")


def _name_in(anchor: ReportAnchor) -> str:
    """The outlet's name in the anchor's words: "the Verge's" is "Verge"."""
    words = re.sub(r"['’]s\b", "", anchor.outlet_words).split()
    return " ".join(w for w in words if w.lower() not in _POINTERS)


_POINTERS = frozenset({"the", "a", "an", "by", "from", "in"})


@dataclass(frozen=True)
class AnchoredPeriod:
    period: DateRange
    report: Passage  # the passage of the report that sets the date


def anchored_period(
    question: str,
    searcher: HybridSearcher,
    table: ChunkTable,
    lexical: LexicalIndex,
) -> AnchoredPeriod | None:
    """The period before or after the report the question dates its articles by, or None."""
    anchor = report_anchor(question)
    if anchor is None:
        return None
    matcher = searcher.outlets(table)
    found_names = matcher.find(anchor.outlet_words)
    outlet = found_names[0][2] if found_names else matcher.outlet_named(_name_in(anchor))
    if outlet is None and (not anchor.news_noun or _NAMES_SOMEONE.search(anchor.outlet_words)):
        # No report, or one of an outlet the library lacks ("after the Reuters article on
        # …"): another outlet's article would set a date the question never gave.
        return None
    # The report that sets the date may lie outside what the question is asked of: the
    # caller's filter narrows the answer, not the search for it.
    scope = SearchFilter(sources=matcher.feeds(outlet)) if outlet else SearchFilter()
    found = searcher.search(anchor.topic, filters=scope, k=1).passages
    if not found or not found[0].published_at:
        return None
    report = found[0]
    cover = weighted_share(lexical.word_weights(anchor.topic), f"{report.title} {report.text}")
    if cover < _MIN_TOPIC_COVER:
        return None
    try:
        day = date.fromisoformat(report.published_at[:10])
    except ValueError:
        return None
    if anchor.relation == "after":
        period = DateRange(day + timedelta(days=1), None, anchor.phrase, publication=True)
    else:
        period = DateRange(None, day - timedelta(days=1), anchor.phrase, publication=True)
    return AnchoredPeriod(period, report)
