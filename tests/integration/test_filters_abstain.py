"""Abstention inside a filter: the same rule as without one, and words that name the filter.

The corpus is the seed article (euronews, 2022-02-17) plus an article of 2023 about a tidal
lagoon that would power 61,000 homes: the shape of corpus in which a date filter once made the
assistant quote the lagoon article, cited, to a question about Stoltenberg."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from assistant.answer.abstention import describe_filter
from assistant.api import Assistant
from assistant.errors import QuestionError
from assistant.models.embeddings import ArticleEmbeddings
from assistant.schema import SearchFilter
from tests.helpers import CORPUS, make_assistant

LAGOON = {
    "title": "Tidal lagoon plan approved for Swansea Bay",
    "source": "Coastal Energy News",
    "published_at": "2023-03-14",
    "url": "http://coastal.example/lagoon",
    "body": (
        "Plans for a tidal power lagoon in Swansea Bay were approved by the council on Tuesday. "
        "The lagoon would generate enough electricity for 61,000 homes, its developers said. "
        "Construction is expected to take four years and employ about 1,900 people. "
        "Environmental groups asked for more studies of the effect on fish and sandbanks."
    ),
}
FROM_2023 = {"date_from": "2023-01-01"}


@pytest.fixture(scope="module")
def two_articles(
    tmp_path_factory: pytest.TempPathFactory, embeddings: ArticleEmbeddings
) -> Iterator[Assistant]:
    folder = tmp_path_factory.mktemp("two-articles")
    (folder / "lagoon.jsonl").write_text(json.dumps(LAGOON) + "\n")
    assistant = make_assistant(folder / "data", embeddings)
    report = assistant.ingest([CORPUS, folder / "lagoon.jsonl"])
    assert len(report.added) == 2, report.summary()
    yield assistant
    assistant.close()


def test_a_filter_that_leaves_out_the_answer_abstains_and_says_so(
    two_articles: Assistant,
) -> None:
    answer = two_articles.ask("What did Stoltenberg say?", filters=FROM_2023)
    assert answer.abstained and answer.citations == []
    assert "61,000" not in answer.text
    assert "published from 2023-01-01 on" in answer.text
    assert "without the filter" in answer.text and "all 2 articles" in answer.text
    # The same question without the filter is answered from the seed article.
    unfiltered = two_articles.ask("What did Stoltenberg say?")
    assert not unfiltered.abstained
    assert "Stoltenberg" in unfiltered.citations[0].quote


def test_a_filter_that_keeps_the_answer_answers(two_articles: Assistant) -> None:
    answer = two_articles.ask(
        "What did Stoltenberg say about troop withdrawal?", filters={"date_to": "2022-12-31"}
    )
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Stoltenberg pointed out")


def test_an_unanswerable_question_inside_a_filter_names_the_filter(
    two_articles: Assistant,
) -> None:
    question = "How many homes would the lagoon power?"
    assert "61,000" in two_articles.ask(question).citations[0].quote
    answer = two_articles.ask(question, filters={"sources": ["euronews"]})
    assert answer.abstained and answer.citations == []
    assert "the articles from euronews" in answer.text
    assert "without the filter" in answer.text


def test_a_filter_that_lets_nothing_through_lists_nothing(two_articles: Assistant) -> None:
    answer = two_articles.ask("What did Stoltenberg say?", filters={"date_from": "2030-01-01"})
    assert answer.abstained and answer.related == [] and answer.citations == []
    assert "closest passages" not in answer.text
    assert "from 2030-01-01 on" in answer.text and "without the filter" in answer.text


def test_a_name_no_article_mentions_is_not_blamed_on_the_filter(
    two_articles: Assistant,
) -> None:
    answer = two_articles.ask("What did Olaf Scholz say about Nord Stream 2?", filters=FROM_2023)
    assert answer.abstained and answer.citations == []
    assert "Olaf Scholz" in answer.text and "with or without the filter" in answer.text


def test_streaming_inside_a_filter_ends_with_the_same_answer(two_articles: Assistant) -> None:
    question = "How many homes would the lagoon power?"
    filters = {"date_to": "2022-12-31"}
    parts = list(two_articles.stream(question, filters=filters))
    final = two_articles.ask(question, filters=filters)
    assert parts[-1].complete and parts[-1].text == final.text
    assert all(final.text.startswith(part.text) for part in parts)


def test_describe_filter_names_sources_articles_and_dates() -> None:
    titles = {"a1": "Tidal lagoon plan approved", "a2": "Other"}
    assert describe_filter(SearchFilter(date_from="2023-01-01"), titles) == (
        "the articles published from 2023-01-01 on"
    )
    assert describe_filter(
        SearchFilter(sources=("euronews", "Coastal Energy News"), date_to="2022-12-31"), titles
    ) == ("the articles from euronews or Coastal Energy News published up to 2022-12-31")
    assert describe_filter(
        SearchFilter(article_ids=("a1",), date_from="2023-01-01", date_to="2023-12-31"), titles
    ) == ("“Tidal lagoon plan approved” published between 2023-01-01 and 2023-12-31")
    assert describe_filter(SearchFilter(article_ids=("a1", "a2")), titles) == (
        "the 2 chosen articles"
    )


def test_a_period_the_question_names_narrows_the_search_and_says_so(
    two_articles: Assistant,
) -> None:
    answer = two_articles.ask("How many homes, according to the reports from March 2023?")
    assert not answer.abstained
    assert "61,000" in answer.citations[0].quote
    assert answer.period_note == (
        "Searched the articles published between 2023-03-01 and 2023-03-31 "
        "(“from March 2023” in the question)."
    )
    # The seed article (2022) is outside the period: a question only it answers abstains, and
    # the advice names the words of the question that narrowed it, not a filter.
    answer = two_articles.ask("What did Stoltenberg say in the articles published in March 2023?")
    assert answer.abstained and answer.citations == []
    assert "published between 2023-03-01 and 2023-03-31" in answer.text
    assert "without “in March 2023”" in answer.text and "filter" not in answer.text
    # A date that only dates an event ("on Tuesday") narrows nothing.
    assert two_articles.ask("What was approved by the council on Tuesday?").period_note == ""


def test_a_period_outside_the_filter_is_a_clear_error(two_articles: Assistant) -> None:
    with pytest.raises(QuestionError, match="outside the filter's dates"):
        two_articles.ask(
            "How many homes, according to reports from March 2023?",
            filters={"date_to": "2022-12-31"},
        )
