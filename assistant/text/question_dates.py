"""Publication periods named in a question: "on October 13, 2023", "in October 2023", "published
before Nov. 1", "between October 2 and October 7, 2023", "last week".

Each becomes a range of publication days. dateparser reads the date phrase itself (and says
whether it names a day, a week, a month or a year); the word in front of it says which side of
it the question means. Dates without a year, and relative ones ("last week"), are read against
`base`: the newest publication date of the indexed articles, so a question about an archive
means that archive's last week.

Two shapes are left out on purpose: a weekday alone ("Russia announced on Tuesday") and a year
alone ("at war since 2014"). In news questions both nearly always date the event the article
tells of, not the article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

# "…, according to the reports?", "… in the articles published?": a closing phrase that names
# only the articles searched.
_WHERE_TO_LOOK = re.compile(
    r",?\s+(?:according to|per|in|from|by)\s+(?:the\s+)?(?:news\s+)?"
    r"(?:reports?|articles?|stor(?:y|ies)|coverage)(?:\s+published)?(?=\s*[?.!]?\s*$)",
    re.IGNORECASE,
)

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_DATE_PHRASE = (
    rf"\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"
    rf"|{_MONTH},?\s+{_YEAR}"
    rf"|{_MONTH}(?!\s*\d)"
    r"|yesterday|today|(?:last|this|past|previous)\s+(?:week|month|year)"
    r"|\d{1,2}\s+(?:days|weeks|months)\s+ago"
)
# "May" alone is usually the verb: a month without a day or a year counts only after a word that
# dates take ("in September", "since March").
_BARE_MONTH = re.compile(_MONTH)
_MONTH_RELATIONS = ("in", "during", "before", "after", "since", "until", "till", "from")
_RELATION = r"(?P<relation>on|in|during|before|after|since|until|till|by|from|of|between)?"
_PHRASE = re.compile(
    rf"(?:(?<![\w-]){_RELATION}\s+(?:the\s+)?)?(?P<when>{_DATE_PHRASE})"
    rf"(?:\s+(?:and|to|through|until)\s+(?P<until>{_DATE_PHRASE}))?(?!\w)"
)
# Cue words that say the date is the article's own ("published in", "reports from"), not the
# date of an event the article tells of.
_PUBLICATION_CUE = re.compile(
    r"\b(?:publish(?:es|ed)?|post(?:s|ed)?|report(?:s|ed)?|wr[io]te|written|dated|articles?|"
    r"stories|story|cover(?:s|ed|age)?|news)\s*(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
# A day written in the question is the article's day, or the day next to it: a report of an
# evening event is often dated the day after, and time zones move a date either way.
_DAY_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class DateRange:
    """Publication days from `first` to `last`, both included; None is open on that side."""

    first: date | None
    last: date | None
    phrase: str  # as written in the question
    publication: bool = False  # the question says it is the articles' date ("published in …")

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return (self.first is None or self.first <= day) and (self.last is None or day <= self.last)

    def describe(self) -> str:
        """As a reader would write it: "published between 2023-10-01 and 2023-10-31"."""
        if self.first and self.last:
            if self.first == self.last:
                return f"published on {self.first.isoformat()}"
            return f"published between {self.first.isoformat()} and {self.last.isoformat()}"
        if self.first:
            return f"published from {self.first.isoformat()} on"
        if self.last:
            return f"published up to {self.last.isoformat()}"
        return "published at any time"


@lru_cache(maxsize=4)
def _parser(base: date) -> DateDataParser:
    # Imported on first use: dateparser's import costs a tenth of a second the chat page and
    # the CLI don't need until a question names a date.
    from dateparser.date import DateDataParser

    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime(base.year, base.month, base.day),
        "PREFER_DAY_OF_MONTH": "first",
    }
    return DateDataParser(languages=["en"], settings=settings)


def _period(phrase: str, base: date) -> tuple[date, date] | None:
    """The days a date phrase names, or None when it is not a date dateparser can read."""
    data = _parser(base).get_date_data(phrase.replace(".", ""))
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    if day > base and not re.search(_YEAR, phrase):
        # No year written: the latest such day up to the newest article, not one in its future.
        try:
            day = day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            day = day - timedelta(days=365)
    period = data.period or "day"
    if period == "month":
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    elif period == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=6)
    elif period == "year":
        first, last = date(day.year, 1, 1), date(day.year, 12, 31)
    else:
        first = last = day
    return first, last


def date_ranges_in(text: str, base: date) -> list[DateRange]:
    """The publication periods a question names, in order of appearance."""
    ranges: list[DateRange] = []
    for match in _PHRASE.finditer(text):
        when = _period(match.group("when"), base)
        if when is None:
            continue
        relation = (match.group("relation") or "").lower()
        if _BARE_MONTH.fullmatch(match.group("when")) and relation not in _MONTH_RELATIONS:
            continue
        first, last = when
        if match.group("until"):
            until = _period(match.group("until"), base)
            if until is None or until[1] < first:
                continue
            last = until[1]
            relation = "between"
        if first == last and relation not in ("before", "until", "till", "by", "after", "since"):
            first, last = first - _DAY_SLACK, last + _DAY_SLACK
        bounds: tuple[date | None, date | None]
        if relation == "before":
            bounds = (None, first - timedelta(days=1))
        elif relation in ("until", "till", "by"):
            bounds = (None, last)
        elif relation == "after":
            bounds = (last + timedelta(days=1), None)
        elif relation == "since":
            bounds = (first, None)
        else:
            bounds = (first, last)
        publication = bool(_PUBLICATION_CUE.search(text[: match.start()]))
        ranges.append(DateRange(*bounds, phrase=match.group(0).strip(), publication=publication))
    return ranges


def without_period(question: str, period: DateRange) -> str:
    """The question with the words that named the period taken out, once the period is a
    filter: "How many homes, per the reports from March 2023?" -> "How many homes, per the
    reports?". Left whole when nothing but the period would remain."""
    start = question.find(period.phrase)
    if start < 0:
        return question
    rest = question[:start].rstrip(" ,") + " " + question[start + len(period.phrase) :].lstrip()
    rest = re.sub(r"\s+([?.!,;])", r"\1", rest).strip()
    # What is left of "according to the reports from March 2023" only said where to look: the
    # filter says it now, and the model would read the words as part of what is asked.
    rest = _WHERE_TO_LOOK.sub("", rest).strip()
    return rest if re.search(r"\w{3}", rest) else question
