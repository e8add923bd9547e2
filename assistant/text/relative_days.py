"""The days a quote names relative to its report: "on Tuesday", "yesterday", "last Friday",
"tomorrow". A reader of an archive can't tell which Tuesday a story meant; its publication day
can. News writes a past event's weekday for the latest such day (a Wednesday report's "on
Tuesday" is the day before) and an event to come's for the next one ("will meet on Friday").

Only days are resolved, and only these forms: a weekday alone is read as past unless its clause
speaks of what is to come; "last" and "next" say which side; "this Tuesday" and a weekday in a
date ("Tuesday, Feb. 15") are left alone, since the writer named the day another way or both
readings are common."""

from __future__ import annotations

import re
from datetime import date, timedelta

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A weekday that names a day, not a feast or a sale ("Black Friday", "Super Tuesday"), a habit
# ("every Saturday", "on Sundays") or a date written out ("Tuesday, Feb. 15"). "Today" is the
# report's own day, which its card shows already, and as often "nowadays".
_DAY_WORDS = re.compile(
    r"(?<!\bevery )(?<!\beach )(?<!\bthe )(?<!\ba )(?<!\bthat )"
    r"(?<!\bBlack )(?<!\bCyber )(?<!\bGood )(?<!\bSuper )(?<!\bGiving )(?<!\bAsh )"
    r"(?<!\bEaster )(?<!\bPalm )(?<!\bHoly )(?<!\bMaundy )(?<!\bBowl )(?<!\bManic )"
    r"\b(?:(?P<side>last|next|this|coming)\s+)?"
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b(?!s\b)"
    r"(?!,?\s+\w+\.?\s+\d)(?!\s+(?-i:[A-Z][a-z]))"
    r"|\b(?P<fixed>yesterday|tomorrow|last night)\b",
    re.IGNORECASE,
)
_FIXED = {"yesterday": -1, "last night": -1, "tomorrow": 1}
# What is to come, said before the weekday in its sentence: "will meet on Friday", "is due to
# vote on Monday", "the summit scheduled for Thursday".
_TO_COME = re.compile(
    r"\b(?:will|won['’]t|shall|is\s+due|are\s+due|due\s+to|expected\s+to|set\s+to|scheduled|"
    r"plans?\s+to|planning\s+to|going\s+to|upcoming|ahead\s+of)\b|['’]ll\b",
    re.IGNORECASE,
)
# Where the clause a weekday is in starts: "…they'll be pitching in 2024, according to
# reports Tuesday" reports the past.
_CLAUSE_START = re.compile(r"[.!?;,—–]\s+|\s+-\s+")


def named_days(text: str, published_at: str | None) -> tuple[tuple[str, str], ...]:
    """(the words as written, the ISO day they name) for each relative day in `text`, read
    against `published_at` (an ISO date, or a date and time); none without a publication day.
    A phrase written twice is given once."""
    published = _day(published_at)
    if published is None:
        return ()
    found: dict[str, str] = {}
    for match in _DAY_WORDS.finditer(text):
        day = _resolve(match, text, published)
        if day is not None:
            found.setdefault(match.group(0), day.isoformat())
    return tuple(found.items())


def _day(published_at: str | None) -> date | None:
    try:
        return date.fromisoformat((published_at or "")[:10])
    except ValueError:
        return None


def _resolve(match: re.Match[str], text: str, published: date) -> date | None:
    fixed = match.group("fixed")
    if fixed:
        return published + timedelta(days=_FIXED[fixed.lower()])
    side = (match.group("side") or "").lower()
    if side in ("this", "coming"):
        return None
    wanted = _WEEKDAYS.index(match.group("weekday").lower())
    if side == "next" or (not side and _to_come(text, match.start())):
        ahead = (wanted - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead)
    back = (published.weekday() - wanted) % 7
    if side == "last":
        back = back or 7
    return published - timedelta(days=back)


def _to_come(text: str, position: int) -> bool:
    """Whether the clause speaks of what is to come before `position`."""
    starts = [m.end() for m in _CLAUSE_START.finditer(text, 0, position)]
    return bool(_TO_COME.search(text, starts[-1] if starts else 0, position))


def days_line(days: tuple[tuple[str, str], ...]) -> str:
    """The days for a reader: "Tuesday = Tue 15 Feb 2022 · tomorrow = Thu 17 Feb 2022"."""
    return " · ".join(f"{words} = {_spelled(date.fromisoformat(day))}" for words, day in days)


def _spelled(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
