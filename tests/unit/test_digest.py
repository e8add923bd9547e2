"""The news of a period: one sentence per story, copies counted once, the stories most other
reports tell of first, and the sentence of a story's opening that says what its headline says."""

from __future__ import annotations

from assistant.answer.already_said import SaidBefore
from assistant.answer.digest import article_summary, digest_answer, opening_sentences
from assistant.index.lexical import LexicalIndex
from assistant.schema import Article
from assistant.text.question_analysis import asks_for_a_summary


def article(article_id: str, title: str, day: str, text: str, source: str = "Desk") -> Article:
    return Article(article_id, title, source, f"http://n/{article_id}", day, text, article_id)


STORIES = [
    article(
        "a",
        "Sam Altman ousted as OpenAI chief",
        "2023-11-17",
        "Sam Altman ousted as OpenAI chief\n\nBy Staff Writer\n\nIt was a dramatic Friday in San "
        "Francisco for everyone. OpenAI's board said Sam Altman was ousted as chief executive "
        "on Friday. Investors were stunned.",
    ),
    article(
        "b",
        "Board explains why Altman left OpenAI",
        "2023-11-18",
        "The OpenAI board gave its reasons for removing Sam Altman in a memo to staff on "
        "Saturday morning.",
        source="Wire",
    ),
    article(
        "c",
        "Board explains why Altman left OpenAI",
        "2023-11-18",
        "The OpenAI board gave its reasons for removing Sam Altman in a memo to staff on "
        "Saturday morning.",
        source="Copy Daily",
    ),
    article(
        "d",
        "Harbour ferry timetable changes",
        "2023-11-18",
        "The harbour ferry will leave ten minutes earlier from Monday, the operator said.",
    ),
]
LEXICAL = LexicalIndex.build([s.id for s in STORIES], [s.text for s in STORIES])


def test_the_opening_sentence_that_tells_the_headline_is_quoted() -> None:
    # The headline repeated, the byline and a sentence of three words are no sentences to quote.
    assert [STORIES[0].text[s:e] for s, e in opening_sentences(STORIES[0])] == [
        "It was a dramatic Friday in San Francisco for everyone.",
        "OpenAI's board said Sam Altman was ousted as chief executive on Friday.",
    ]
    answer = digest_answer("What happened?", STORIES, {"b": "g", "c": "g"}, LEXICAL, limit=8)
    assert answer is not None
    quotes = [c.quote for c in answer.citations]
    assert quotes[0] == "OpenAI's board said Sam Altman was ousted as chief executive on Friday."
    # The copy is the same story: quoted once, from its earliest member.
    assert [c.article_id for c in answer.citations] == ["a", "b", "d"]
    assert answer.period_note == ""


def test_stories_other_reports_tell_of_come_first_when_not_all_fit() -> None:
    answer = digest_answer("What happened?", STORIES, {}, LEXICAL, limit=2)
    assert answer is not None
    # The two Altman stories tell of each other; the ferry story of nothing else.
    assert {c.article_id for c in answer.citations} <= {"a", "b", "c"}
    assert answer.period_note.startswith("Of 4 stories, the 2 that most other reports")


def test_a_question_about_the_articles_as_a_whole_asks_for_a_summary() -> None:
    for question in (
        "Summarize the article",
        "Can you summarise this story?",
        "What is the article about?",
        "What are these reports about?",
        "What are the main points?",
        "TL;DR",
        "Give me a summary",
    ):
        assert asks_for_a_summary(question), question
    for question in (
        "What does the article say about troops?",
        "Summarize the troop withdrawal",
        "What is the OSCE about?",
    ):
        assert not asks_for_a_summary(question), question


def test_one_article_is_summed_up_by_its_opening_and_read_on() -> None:
    first = article_summary("Summarize the article", STORIES[0], count=1)
    assert [c.quote for c in first.citations] == [
        "It was a dramatic Friday in San Francisco for everyone."
    ]
    said = SaidBefore([first.text])
    more = article_summary("Summarize the article", STORIES[0], count=1, said=said)
    assert [c.quote for c in more.citations] == [
        "OpenAI's board said Sam Altman was ousted as chief executive on Friday."
    ]
    said = SaidBefore([first.text, more.text])
    assert article_summary("Summarize the article", STORIES[0], count=1, said=said).abstained
