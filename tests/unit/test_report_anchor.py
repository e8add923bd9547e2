"""The report a question dates its articles by: "after The Verge's report on the verdict"."""

from __future__ import annotations

import pytest

from assistant.text.report_anchor import report_anchor


def test_after_an_outlets_report_on_a_topic() -> None:
    anchor = report_anchor("What did TechCrunch report after The Verge's report on the verdict?")
    assert anchor is not None
    assert anchor.relation == "after" and anchor.topic == "the verdict"
    assert "The Verge" in anchor.outlet_words
    assert anchor.phrase == "after The Verge's report on the verdict"


def test_the_anchor_may_open_the_question_and_name_its_outlet_after_the_noun() -> None:
    anchor = report_anchor(
        "Before the article by Metro Ledger about the repair bill, what did Harbor Daily say?"
    )
    assert anchor is not None
    assert anchor.relation == "before" and anchor.topic == "the repair bill"
    assert "Metro Ledger" in anchor.outlet_words and anchor.news_noun


@pytest.mark.parametrize(
    "question",
    [
        # Asks about the order itself: keeping to one side would answer it in advance.
        "Did TechCrunch report it after The Verge's report on the verdict?",
        "Was the bridge closed before the Metro Ledger article on the repair bill?",
        # No report sets the time.
        "What did the council decide after the inspection?",
        "What did Harbor Daily report about the bridge?",
    ],
)
def test_no_anchor(question: str) -> None:
    assert report_anchor(question) is None


def test_a_report_alone_may_be_an_inquirys_an_article_is_news() -> None:
    inquiry = report_anchor("Who resigned following the report into the scandal?")
    assert inquiry is not None and not inquiry.news_noun
    article = report_anchor("Who resigned following the article on the scandal?")
    assert article is not None and article.news_noun


def test_a_question_of_several_parts_is_not_dated_by_one_report() -> None:
    assert (
        report_anchor(
            "What did Harbor Daily report about the bridge after the Metro Ledger article on "
            "the repair bill, and who objected to the ferry?"
        )
        is None
    )
