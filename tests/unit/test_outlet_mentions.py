"""Outlets a question names that the library has no article from: only names the wording
presents as an outlet, never the library's own outlets or the subject of the news."""

from __future__ import annotations

import pytest

from assistant.text.outlet_mentions import (
    asks_only_of_missing_outlets,
    may_be_from,
    outlets_not_in_library,
)
from assistant.text.question_analysis import SourceMatcher

LIBRARY = SourceMatcher(
    [
        "The Guardian",
        "TechCrunch",
        "The Verge",
        "euronews",
        "Sport Grill",
        "CBSSports.com",
        "The Independent - Life and Style",
    ]
)


@pytest.mark.parametrize(
    ("question", "absent"),
    [
        ("What did the Reuters article say about the troops?", ["Reuters"]),
        ("Did the Guardian article and the Bloomberg piece agree?", ["Bloomberg"]),
        ("How did the TechCrunch and Reuters articles describe it?", ["Reuters"]),
        ("Was it reported by Reuters and The Verge?", ["Reuters"]),
        (
            "Was it published in The New York Times before TechCrunch covered it?",
            ["The New York Times"],
        ),
        (
            "What did the October article from The Wall Street Journal say?",
            ["The Wall Street Journal"],
        ),
        ("Was the story reported by NBC News, according to CNN?", ["NBC News"]),
        ("Did The Verge's coverage differ from the Bloomberg coverage?", ["Bloomberg"]),
        ("Did the 'Sport Grill' article and the 'Reuters' article agree?", ["Reuters"]),
        # Counts of the articles an outlet published.
        ("How many Reuters articles mention the bridge?", ["Reuters"]),
        ("Which Bloomberg articles mention Nvidia?", ["Bloomberg"]),
        ("How many articles from Reuters mention OpenAI?", ["Reuters"]),
    ],
)
def test_outlets_the_wording_names_and_the_library_lacks(question: str, absent: list[str]) -> None:
    assert outlets_not_in_library(question, LIBRARY) == absent


@pytest.mark.parametrize(
    "question",
    [
        # The subject of the news, not its publisher.
        "What did the NATO report say?",
        "What did Reuters report?",
        "Was the withdrawal reported by Ukrainian officials?",
        # The library's own outlets, however written.
        "Did an article from Euronews say so?",
        "What did the guardian article say? And the Guardian's coverage?",
        "Does the article from CBSSports.com credit Jonathan Smith?",
        "Does 'The Independent - Life and Style' article suggest a memoir?",
        # Words that are no outlet: a month, an order, the end of a quoted title.
        "What did the latest article say?",
        "What did the October article say about the bridge?",
        "Does the 'NBA Rookie of the Year Odds' article from TechCrunch agree?",
        "How many TechCrunch articles mention OpenAI?",
        "How many articles mention Reuters?",
    ],
)
def test_no_outlet_where_the_wording_names_none_or_the_library_has_it(question: str) -> None:
    assert outlets_not_in_library(question, LIBRARY) == []


def test_an_article_without_an_outlet_may_be_from_the_one_its_title_or_address_names() -> None:
    assert may_be_from("Reuters", "Bridge repair bill grows | Reuters", "")
    assert may_be_from("The Wall Street Journal", "", "https://www.wallstreetjournal.com/a")
    assert not may_be_from("Reuters", "Bridge repair bill grows", "file:///notes/bridge.txt")


def test_a_library_outlet_written_shorter_or_longer_is_no_absent_outlet() -> None:
    library = SourceMatcher(["BBC News", "Reuters", "The New York Times"])
    assert outlets_not_in_library("What did the BBC article say?", library) == []
    assert outlets_not_in_library("Was it reported by Reuters Business?", library) == []
    assert outlets_not_in_library("What did the Times article say?", library) == []
    assert outlets_not_in_library("What did the Bloomberg article say?", library) == ["Bloomberg"]


def test_only_an_outlet_named_as_news_names_outlets_and_none_of_the_librarys_declines() -> None:
    def declines(question: str) -> bool:
        missing = outlets_not_in_library(question, LIBRARY)
        return asks_only_of_missing_outlets(question, LIBRARY, missing)

    assert declines("What did the Reuters article say?")
    assert declines("What did a story from Bloomberg say about the merger?")
    # A library outlet named too, however written ("the Guardian article"): answered from it.
    assert not declines("What did the Guardian article and the Reuters article say?")
    assert not declines("What did TechCrunch and the Reuters article say?")
    # An agency or watchdog fits "reported by" as well as an outlet: named, not declined.
    watchdog = "What abuses were reported by Human Rights Watch?"
    assert outlets_not_in_library(watchdog, LIBRARY) == ["Human Rights Watch"]
    assert not declines(watchdog)
    # An article found in the library may be from it (its title names it): nothing missing.
    assert not asks_only_of_missing_outlets("What did the Reuters article say?", LIBRARY, [])


def test_an_articles_author_is_no_outlet() -> None:
    assert outlets_not_in_library("What did the article by Sarah Perez say?", LIBRARY) == []
    assert (
        outlets_not_in_library("First published by Sir Charles Lyell, what was it called?", LIBRARY)
        == []
    )
