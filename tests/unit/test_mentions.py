"""How many articles mention something: which questions ask it, and the count, the outlets'
tally, copies counted once and the latest mentions quoted, each where its article says it."""

from __future__ import annotations

import pytest

from assistant.answer.already_said import SaidBefore
from assistant.answer.mentions import Mention, MentionQuestion, asks_about_mentions, mentions_answer
from assistant.schema import Article


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("How many articles mention Taylor Swift?", MentionQuestion("Taylor Swift", True, False)),
        ("Which outlets mentioned Nvidia?", MentionQuestion("Nvidia", False, True)),
        (
            "How many TechCrunch articles mention OpenAI?",
            MentionQuestion("OpenAI", True, False, "TechCrunch"),
        ),
        (
            "How many of the articles from The Verge in October mention Apple?",
            MentionQuestion("Apple", True, False, "from The Verge in October"),
        ),
        ("How many outlets reported on OpenAI?", MentionQuestion("OpenAI", True, True)),
        (
            "In how many articles is the Bletchley Park summit mentioned?",
            MentionQuestion("Bletchley Park summit", True, False),
        ),
        (
            "How often is Elon Musk mentioned?",
            MentionQuestion("Elon Musk", True, False, times=True),
        ),
        (
            "How often do the articles mention Elon Musk?",
            MentionQuestion("Elon Musk", True, False, times=True),
        ),
        (
            "How many articles are there about Taylor Swift?",
            MentionQuestion("Taylor Swift", True, False),
        ),
        ("Which articles are about Apple?", MentionQuestion("Apple", False, False)),
        (
            "When was Taylor Swift first mentioned?",
            MentionQuestion("Taylor Swift", False, False, edge="first"),
        ),
        (
            "Which article first mentioned Taylor Swift?",
            MentionQuestion("Taylor Swift", False, False, edge="first"),
        ),
        (
            "Which outlet last mentioned Nvidia?",
            MentionQuestion("Nvidia", False, True, edge="last"),
        ),
        (
            "When did the articles first mention OpenAI?",
            MentionQuestion("OpenAI", False, False, edge="first"),
        ),
        (
            "Which outlet published the most about Taylor Swift?",
            MentionQuestion("Taylor Swift", False, True),
        ),
        ("What articles mention the iPhone 15?", MentionQuestion("iPhone 15", False, False)),
        (
            "How many reports cite “the ferry service”?",
            MentionQuestion("ferry service", True, False),
        ),
    ],
)
def test_a_question_about_mentions_names_its_subject(question: str, asked: MentionQuestion) -> None:
    assert asks_about_mentions(question) == asked


@pytest.mark.parametrize(
    "question",
    [
        # A story in words of its own ("Altman's ouster"): not counted by these words.
        "How many outlets reported on Sam Altman's firing?",
        "How many articles are there about the war?",
        "When was the UAW strike first reported?",
        "Which outlet wrote the most about the strike?",
        "How many soldiers were wounded?",
        "How many people mentioned the strike?",
        "How often do plankton need to feed?",
        "How often are elections for the mayor held?",
        "What did TechCrunch report about Apple?",
        "Which outlets reported that Google lost?",
        "How many articles mention the?",
    ],
)
def test_other_questions_are_not_about_mentions(question: str) -> None:
    assert asks_about_mentions(question) is None


def _article(article_id: str, source: str, day: str, text: str) -> Article:
    return Article(
        article_id, f"Story {article_id}", source, f"http://n/{article_id}", day, text, article_id
    )


def _mention(article: Article, words: str) -> Mention:
    start = article.text.index(words)
    end = article.text.index(".", start) + 1
    sentence_start = article.text.rfind(". ", 0, start)
    return Mention(article, 0 if sentence_start < 0 else sentence_start + 2, end)


ARTICLES = [
    _article("a", "Harbor Daily - Local", "2023-10-02", "Rain fell. The bridge closed on Monday."),
    _article("b", "Harbor Daily - Business", "2023-10-05", "The bridge cost more than planned."),
    _article("c", "Metro Ledger", "2023-10-09", "Traffic slowed. The bridge reopened at last."),
    _article("d", "Copy Sheet", "2023-10-10", "Traffic slowed. The bridge reopened at last."),
]
MENTIONS = [_mention(a, "The bridge") for a in ARTICLES]
QUESTION = "How many articles mention the bridge?"
ASKED = MentionQuestion("bridge", True, False)


def test_the_count_tallies_outlets_and_quotes_a_copied_story_once() -> None:
    answer = mentions_answer(QUESTION, ASKED, MENTIONS, {"d": "c"}, limit=8)
    assert answer.text.startswith(
        "4 articles from 3 outlets mention “bridge” (3 stories: 1 is a copy of another's): "
        "Harbor Daily 2, Metro Ledger 1, Copy Sheet 1. The bridge closed on Monday. [1]"
    )
    assert [c.quote for c in answer.citations] == [
        "The bridge closed on Monday.",
        "The bridge cost more than planned.",
        "The bridge reopened at last.",
    ]
    assert answer.citations[2].also_published_by == ("Copy Sheet",)
    assert answer.period_note == ""
    outlets = mentions_answer(QUESTION, MentionQuestion("bridge", True, True), MENTIONS, {}, 8)
    assert outlets.text.startswith("3 outlets mention “bridge”, in 4 articles: Harbor Daily 2")


def test_the_latest_are_quoted_and_tell_me_more_reads_back_in_time() -> None:
    latest = mentions_answer(QUESTION, ASKED, MENTIONS, {"d": "c"}, limit=2)
    assert [c.article_id for c in latest.citations] == ["b", "c"]
    assert latest.period_note.startswith("The 2 latest of the 3 stories are quoted")
    said = SaidBefore([latest.text])
    earlier = mentions_answer(QUESTION, ASKED, MENTIONS, {"d": "c"}, limit=2, said=said)
    assert [c.article_id for c in earlier.citations] == ["a"]
    said = SaidBefore([latest.text, earlier.text])
    assert mentions_answer(QUESTION, ASKED, MENTIONS, {"d": "c"}, limit=2, said=said).abstained


def test_no_mention_is_said_plainly() -> None:
    answer = mentions_answer(QUESTION, MentionQuestion("Lisbon", True, False), [], {}, limit=8)
    assert answer.abstained and answer.text.startswith("No article mentions “Lisbon”")


def test_how_often_counts_the_sentences_too() -> None:
    often = [
        Mention(m.article, m.start, m.end, sentences=n)
        for m, n in zip(MENTIONS, (2, 1, 3, 1), strict=True)
    ]
    asked = MentionQuestion("bridge", True, False, times=True)
    answer = mentions_answer("How often is the bridge mentioned?", asked, often, {}, limit=8)
    assert answer.text.startswith(
        "“bridge” is mentioned in 7 sentences. 4 articles from 3 outlets mention “bridge”"
    )


def test_the_first_or_last_article_that_mentions_it_is_the_answer() -> None:
    first = MentionQuestion("bridge", False, False, edge="first")
    answer = mentions_answer("When was the bridge first mentioned?", first, MENTIONS, {}, 8)
    assert answer.text == (
        "The earliest of the 4 articles that mention “bridge” is Harbor Daily - Local's “Story a” "
        "of 2023-10-02: The bridge closed on Monday. [1]"
    )
    assert [c.article_id for c in answer.citations] == ["a"]
    last = MentionQuestion("bridge", False, False, edge="last")
    latest = mentions_answer("Which article last mentioned the bridge?", last, MENTIONS, {}, 8)
    assert [c.article_id for c in latest.citations] == ["d"]
    only = mentions_answer("When was the bridge first mentioned?", first, MENTIONS[:1], {}, 8)
    assert only.text.startswith("The only article that mentions “bridge” is Harbor Daily")
    undated = [Mention(_article("u", "Desk", "", "The bridge is old."), 0, 18)]
    assert mentions_answer("When was the bridge first mentioned?", first, undated, {}, 8).abstained
