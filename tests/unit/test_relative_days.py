"""Which day "on Tuesday", "yesterday" or "next Monday" in a quote was, read against the day
its report was published (16 February 2022 was a Wednesday)."""

from __future__ import annotations

import pytest

from assistant.schema import Citation
from assistant.text.relative_days import days_line, named_days
from assistant.web.render import source_card

WEDNESDAY = "2022-02-16"


@pytest.mark.parametrize(
    ("text", "days"),
    [
        # A past event: the latest such day, the report's own day included.
        ("Russia announced on Tuesday that troops were leaving.", [("Tuesday", "2022-02-15")]),
        ("Officials met on Wednesday.", [("Wednesday", "2022-02-16")]),
        ("Prices rose Monday.", [("Monday", "2022-02-14")]),
        ("The vote took place last Wednesday.", [("last Wednesday", "2022-02-09")]),
        # What is to come: the next such day.
        ("NATO ministers will meet on Thursday.", [("Thursday", "2022-02-17")]),
        ("The summit is next Monday.", [("next Monday", "2022-02-21")]),
        (
            "He said yesterday that talks were over. Talks resume tomorrow.",
            [("yesterday", "2022-02-15"), ("tomorrow", "2022-02-17")],
        ),
        (
            "The coach spoke Tuesday night ahead of Saturday's game.",
            [("Tuesday", "2022-02-15"), ("Saturday", "2022-02-19")],
        ),
        # Named another way, or either reading: left alone.
        ("The vote on Tuesday, Feb. 15, passed.", []),
        ("They meet again this Friday.", []),
        # In a clause of its own, a day reported is past.
        ("They'll pitch in 2024, according to reports Tuesday.", [("Tuesday", "2022-02-15")]),
        # No day: a sale, a habit, the report's own day, a name, a day described.
        ("Sunday Dech nailed a three-pointer.", []),
        ("Nothing is open on the Monday following Thanksgiving.", []),
        ("Black Friday deals started early.", []),
        ("The newsletter comes every Saturday; shops shut on Sundays.", []),
        ("Apple today announced a new iPad.", []),
    ],
)
def test_a_day_named_relative_to_the_report(text: str, days: list[tuple[str, str]]) -> None:
    assert list(named_days(text, WEDNESDAY)) == days


def test_no_publication_day_no_days() -> None:
    assert named_days("Russia announced on Tuesday.", None) == ()
    assert named_days("Russia announced on Tuesday.", "unknown") == ()
    assert named_days("Russia announced on Tuesday.", "2022-02-16T09:30:00Z") == (
        ("Tuesday", "2022-02-15"),
    )


def test_the_card_says_which_day_it_was() -> None:
    text = "Russia announced on Tuesday that troops were leaving."
    citation = Citation(
        1,
        "a",
        "Troops",
        "Wire",
        "",
        WEDNESDAY,
        text,
        0,
        len(text),
        1.0,
        days=named_days(text, WEDNESDAY),
    )
    assert days_line(citation.days) == "Tuesday = Tue 15 Feb 2022"
    card = source_card(citation, text)
    assert "Tuesday = Tue 15 Feb 2022" in card
    assert card.index("card-head") < card.index("card-days") < card.index("card-context")
