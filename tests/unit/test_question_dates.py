"""Publication periods read from questions: which days each phrase means, and the shapes that
are left alone because they date an event, not an article."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.text.question_analysis import SourceMatcher, analyse_question, publication_period
from assistant.text.question_dates import DateRange, date_ranges_in, without_period

NEWEST = date(2023, 12, 31)


def bounds(question: str) -> list[tuple[date | None, date | None]]:
    return [(r.first, r.last) for r in date_ranges_in(question, NEWEST)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A day: that day or one next to it (evening events are reported the day after).
        ("Fortune, on October 13th, 2023?", [(date(2023, 10, 12), date(2023, 10, 14))]),
        ("the story of 25 October 2023", [(date(2023, 10, 24), date(2023, 10, 26))]),
        ("reports dated 2023-12-01", [(date(2023, 11, 30), date(2023, 12, 2))]),
        ("Sept. 5, 2023", [(date(2023, 9, 4), date(2023, 9, 6))]),
        # A month or a relative period: all of it.
        ("What did TechCrunch publish in October 2023?", [(date(2023, 10, 1), date(2023, 10, 31))]),
        ("articles from last week", [(date(2023, 12, 18), date(2023, 12, 24))]),
        ("coverage in September", [(date(2023, 9, 1), date(2023, 9, 30))]),
        # One side of a date.
        ("articles published before Nov. 1 about FTX", [(None, date(2023, 10, 31))]),
        ("Did The Verge report it after October 7, 2023?", [(date(2023, 10, 8), None)]),
        ("since March", [(date(2023, 3, 1), None)]),
        ("until December 15, 2023", [(None, date(2023, 12, 15))]),
        # Both ends.
        ("between October 2 and October 7, 2023", [(date(2023, 10, 2), date(2023, 10, 7))]),
    ],
)
def test_periods(question: str, expected: list[tuple[date | None, date | None]]) -> None:
    assert bounds(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "What did Russia announce on Tuesday?",  # the event's day, not the article's
        "separatists at war with Ukrainian forces since 2014",  # the event's year
        "We may see troops leave",  # the verb, not the month
        "on February 30, 2023",  # no such day
    ],
)
def test_not_publication_periods(question: str) -> None:
    assert date_ranges_in(question, NEWEST) == []


def test_a_day_without_a_year_is_the_latest_one_up_to_the_newest_article() -> None:
    assert bounds("on December 30") == [(date(2023, 12, 29), date(2023, 12, 31))]
    assert bounds("on 18th October") == [(date(2023, 10, 17), date(2023, 10, 19))]
    # Later in the calendar than the newest article: last year's.
    assert date_ranges_in("on December 30", date(2024, 1, 5))[0].last == date(2023, 12, 31)


def test_the_words_before_a_date_say_whether_it_is_the_articles_own() -> None:
    published, event = (
        date_ranges_in("articles published in October 2023", NEWEST)[0],
        date_ranges_in("the trial began in October 2023", NEWEST)[0],
    )
    assert published.publication and not event.publication
    assert date_ranges_in("after the report by Fortune on October 4, 2023", NEWEST)[0].publication


def test_a_range_holds_its_days_and_describes_itself() -> None:
    october = DateRange(date(2023, 10, 1), date(2023, 10, 31), "in October 2023")
    assert date(2023, 10, 31) in october and date(2023, 11, 1) not in october
    assert october.describe() == "published between 2023-10-01 and 2023-10-31"
    assert DateRange(None, date(2023, 10, 31), "before").describe() == "published up to 2023-10-31"


def test_each_clause_carries_its_own_periods() -> None:
    matcher = SourceMatcher(["Fortune", "TechCrunch"])
    analysis = analyse_question(
        "Did Fortune report on the trial on October 4, 2023, and did TechCrunch report on the "
        "verdict after November 2, 2023?",
        matcher,
        NEWEST,
    )
    assert [[(p.first, p.last) for p in c.periods] for c in analysis.clauses] == [
        [(date(2023, 10, 3), date(2023, 10, 5))],
        [(date(2023, 11, 3), None)],
    ]


def test_the_words_of_a_period_leave_the_question_once_it_is_a_filter() -> None:
    question = "What did TechCrunch publish in October 2023 about Google?"
    period = date_ranges_in(question, NEWEST)[0]
    assert without_period(question, period) == "What did TechCrunch publish about Google?"
    question = "How many homes, according to the reports from March 2023?"
    period = date_ranges_in(question, NEWEST)[0]
    assert without_period(question, period) == "How many homes?"
    question = "What did Stoltenberg say in the articles published in March 2023?"
    period = date_ranges_in(question, NEWEST)[0]
    assert without_period(question, period) == "What did Stoltenberg say?"
    # Words about what is asked stay.
    question = "What did the reports from March 2023 say about the lagoon?"
    period = date_ranges_in(question, NEWEST)[0]
    assert without_period(question, period) == "What did the reports say about the lagoon?"


def test_only_a_one_part_question_about_its_articles_dates_is_narrowed() -> None:
    assert publication_period("What did TechCrunch publish in October 2023?", NEWEST)
    assert publication_period("What happened to FTX in October 2023?", NEWEST) is None  # event
    two_parts = "Did Fortune report it on October 4, 2023, and did the Verge report the verdict?"
    assert publication_period(two_parts, NEWEST) is None


def test_a_question_for_the_news_of_a_period_is_about_that_periods_articles() -> None:
    for question in (
        "What happened on November 17, 2023?",
        "What was in the news last week?",
        "What were the top stories in October?",
        "Any news from yesterday?",
    ):
        period = publication_period(question, NEWEST)
        assert period is not None and period.publication, question
    # A day that dates an event of a subject is the event's, not the articles'.
    assert publication_period("What happened to FTX on November 17, 2023?", NEWEST) is None
    assert publication_period("What did Russia announce on November 17, 2023?", NEWEST) is None
