"""Who is quoted most on a subject: which questions ask it, and the speakers of the statements
beside a mention of it, tallied across articles, each cited by a statement of theirs (the real
attribution rules, no model)."""

from __future__ import annotations

import pytest

from assistant.answer.by_speaker import LAYOUT_BY_SPEAKER
from assistant.answer.mentions import Mention
from assistant.answer.quoted_most import asks_who_is_quoted, quoted_most_answer
from assistant.schema import Article
from assistant.text.attribution import extract_statements


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Who is quoted most about OpenAI?", "OpenAI"),
        ("Who was quoted on Hamas?", "Hamas"),
        ("Which officials are quoted most often on the dock strike?", "dock strike"),
        ("Who is quoted in the coverage of the UAW strike?", "UAW strike"),
        ("Who are the main voices on the Epic v. Google trial?", "Epic v. Google trial"),
        ("Who is the most quoted person on Brexit?", "Brexit"),
    ],
)
def test_a_question_about_who_is_quoted_names_its_subject(question: str, subject: str) -> None:
    assert asks_who_is_quoted(question) == subject


@pytest.mark.parametrize(
    "question",
    ["Who said the strike would go on?", "Who is Maria Lopez?", "What did Maria Lopez say?"],
)
def test_other_questions_do_not_ask_who_is_quoted(question: str) -> None:
    assert asks_who_is_quoted(question) is None


def _article(article_id: str, day: str, text: str) -> Article:
    return Article(article_id, f"Story {article_id}", "Desk", "", day, text, article_id)


FIRST = _article(
    "a",
    "2023-10-01",
    "The dock strike began on Monday.\n"
    "“We will not back down,” union leader Maria Lopez said of the dock strike.\n"
    "Mayor Tom Reed said the weather was fine for the parade.",
)
SECOND = _article(
    "b",
    "2023-10-05",
    "Talks on the dock strike resumed on Friday.\n"
    "Maria Lopez said the dock strike would go on until the port restored the night shift.\n"
    "Port director Alan Ng said the dock strike cost the port millions.",
)


def _mentioned(article: Article) -> Mention:
    start = article.text.index("The dock strike") if "The dock" in article.text else 0
    return Mention(article, start, article.text.index(".") + 1)


def test_speakers_beside_a_mention_are_tallied_across_articles_each_cited() -> None:
    answer = quoted_most_answer(
        "Who is quoted most about the dock strike?",
        "dock strike",
        [_mentioned(FIRST), _mentioned(SECOND)],
        statements_of=lambda article: extract_statements(article.text),
    )
    assert answer.layout == LAYOUT_BY_SPEAKER and not answer.abstained
    # The mayor speaks in a paragraph that says nothing of the strike: not counted.
    assert [group.label for group in answer.groups] == ["Maria Lopez", "Alan Ng"]
    assert answer.text.splitlines()[0] == (
        "In the 2 articles that mention “dock strike”, 2 speakers are quoted beside a mention "
        "of it; the most often:"
    )
    assert answer.text.splitlines()[1] == (
        "Maria Lopez: quoted in 2 articles (2 statements): Maria Lopez said the dock strike "
        "would go on until the port restored the night shift. [1]"
    )
    for citation in answer.citations:
        article = FIRST if citation.article_id == "a" else SECOND
        assert article.text[citation.start : citation.end] == citation.quote


def test_nobody_quoted_or_no_mention_is_said_plainly() -> None:
    silent = _article("c", "2023-10-02", "The dock strike began on Monday.")
    nobody = quoted_most_answer(
        "Who is quoted most about the dock strike?",
        "dock strike",
        [_mentioned(silent)],
        statements_of=lambda article: extract_statements(article.text),
    )
    assert nobody.abstained and nobody.text == (
        "The 1 article that mentions “dock strike” quotes nobody where it does."
    )
    none = quoted_most_answer(
        "Who is quoted on Lisbon?", "Lisbon", [], statements_of=lambda article: []
    )
    assert none.abstained and none.text.startswith("No article mentions “Lisbon”")


def test_two_speakers_quoted_in_one_sentence_each_get_their_column() -> None:
    shared = _article(
        "d",
        "2023-10-03",
        "Talks on the dock strike resumed.\n“We will win the dock strike,” Maria Lopez said, but "
        "port director Alan Ng said the dock strike would not move the port.",
    )
    answer = quoted_most_answer(
        "Who is quoted most about the dock strike?",
        "dock strike",
        [Mention(shared, 0, 33)],
        statements_of=lambda article: extract_statements(article.text),
    )
    assert [group.label for group in answer.groups] == ["Alan Ng", "Maria Lopez"]
    assert [len(group.citations) for group in answer.groups] == [1, 1]
    assert all(citation.quote.endswith("would not move the port.") for citation in answer.citations)
