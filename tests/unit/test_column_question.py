"""What each outlet's column asks when one clause names two outlets, and when a column's part
says "his" where the question named the person elsewhere."""

from __future__ import annotations

import pytest

from assistant.answer.column_question import column_question, with_name_for_pronoun
from assistant.text.question_analysis import SourceMatcher, analyse_question

MATCHER = SourceMatcher(
    [
        "The Independent - Life and Style",
        "FOX News - Entertainment",
        "The Age",
        "Globes English | Israel Business Arena",
        "Sporting News",
        "The Guardian",
        "TechCrunch",
        "The Verge",
    ]
)


def asked(question: str, outlet: str) -> str:
    return column_question(outlet, analyse_question(question, MATCHER), MATCHER)


def test_each_outlet_of_one_clause_gets_the_words_on_its_side() -> None:
    question = (
        "Does the article from 'The Independent - Life and Style' about Will Smith and Jada "
        "Pinkett Smith's marriage describe a similar acknowledgment of marital challenges as "
        "'FOX News - Entertainment' reports on Garth Brooks' statement about his past marriage?"
    )
    independent = asked(question, "The Independent - Life and Style")
    fox = asked(question, "FOX News - Entertainment")
    assert "Jada Pinkett Smith's marriage" in independent and "Garth" not in independent
    assert fox == "reports on Garth Brooks' statement about his past marriage"


def test_an_outlet_named_after_what_it_said_gets_the_words_before_it() -> None:
    question = (
        "Does the article from Globes English | Israel Business Arena report a different "
        "percentage change in market capitalization for Group Psagot than the percentage "
        "changes in the Dow Jones Industrial Average reported by The Age?"
    )
    age = asked(question, "The Age")
    assert "Dow Jones Industrial Average" in age
    assert "reported by" not in age and "The Age" not in age


def test_outlets_named_in_one_list_share_the_whole_question() -> None:
    question = (
        "Which company makes the headset whose battery lasts two hours, as reported by both "
        "The Verge and TechCrunch?"
    )
    for outlet in ("The Verge", "TechCrunch"):
        assert asked(question, outlet) == (
            "Which company makes the headset whose battery lasts two hours?"
        )


def test_a_side_leaves_no_joining_words_or_stray_quotation_marks() -> None:
    question = (
        "Did 'Sporting News' report on Tessa Wullaert missing a decisive penalty before "
        "'The Guardian' reported on Harry Kane scoring from the spot?"
    )
    assert asked(question, "Sporting News") == "report on Tessa Wullaert missing a decisive penalty"
    assert asked(question, "The Guardian") == "reported on Harry Kane scoring from the spot"


def test_a_part_that_says_his_gets_the_name_the_question_gave() -> None:
    question = (
        "Does the Sporting News article rank Tyreek Hill as the top wide receiver for Week 14, "
        "while The Guardian article focuses on his performance in a specific game?"
    )
    assert asked(question, "The Guardian") == (
        "article focuses on Tyreek Hill’s performance in a specific game"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mentions her engagement with a video", "mentions Taylor Swift’s engagement with a video"),
        ("praised her for the show", "praised Taylor Swift for the show"),
        ("says he will tour", "says Taylor Swift will tour"),
        # A part that names someone itself keeps its pronoun: it may be about that person.
        ("says Travis Kelce met her", "says Travis Kelce met her"),
        # A name that opens the part is a name too: "he" is that person.
        ("Travis Kelce says he will tour", "Travis Kelce says he will tour"),
        # "its" and "their" more often stand for a company or team than for the person.
        ("reports on its revenue", "reports on its revenue"),
    ],
)
def test_pronouns_for_a_person_only(text: str, expected: str) -> None:
    question = "Did The Age say Taylor Swift was at the stadium, while The Verge " + text + "?"
    assert with_name_for_pronoun(text, question, MATCHER) == expected
