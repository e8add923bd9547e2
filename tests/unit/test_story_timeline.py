"""How a story developed: which questions ask it, and the timeline of its articles, each quoted
by its own best sentence, answered by the fast profile's real answerer (word overlap, no
model)."""

from __future__ import annotations

import pytest

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.answer.layout import LAYOUT_TIMELINE
from assistant.answer.story_timeline import asks_for_a_story_timeline, story_timeline_answer
from assistant.schema import Passage
from tests.helpers import word_overlap_answerer

STOCK = "The dock strike began when the port cut the night shift."
ARTICLES = {
    "a": ("Harbor Daily", "2023-10-02", f"{STOCK} Dock workers walked out on Monday."),
    "b": ("Metro Ledger", "2023-10-09", f"{STOCK} The dock strike talks resumed on Friday."),
    "c": ("Harbor Daily", "2023-10-20", "The dock strike ended with a new contract on Friday."),
    "d": ("Valley Times", "2023-10-05", "Apple growers picked a record harvest this season."),
}


def passages(ids: list[str]) -> list[Passage]:
    return [
        Passage(
            chunk_id=f"{article_id}:abc:0",
            article_id=article_id,
            title=f"Story {article_id}",
            source=ARTICLES[article_id][0],
            url="",
            published_at=ARTICLES[article_id][1],
            text=ARTICLES[article_id][2],
            start=0,
            end=len(ARTICLES[article_id][2]),
            score=1 / rank,
            rank=rank,
        )
        for rank, article_id in enumerate(ids, start=1)
    ]


def answerer() -> ExtractiveAnswerer:
    return word_overlap_answerer({i: text for i, (_, _, text) in ARTICLES.items()})


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("Give me a timeline of the OpenAI leadership crisis", "the OpenAI leadership crisis"),
        ("What is the timeline of the dock strike?", "the dock strike"),
        ("Chronology of the Epic v. Google trial", "the Epic v. Google trial"),
        ("How did the Epic v. Google trial unfold?", "the Epic v. Google trial"),
        ("How has the UAW strike developed over time?", "the UAW strike"),
        ("How did the dock strike play out?", "the dock strike"),
        ("Dock strike timeline", "Dock strike"),
    ],
)
def test_a_question_about_how_a_story_developed_names_the_story(question: str, topic: str) -> None:
    assert asks_for_a_story_timeline(question) == topic


@pytest.mark.parametrize(
    "question",
    [
        "How did the company develop its chips?",
        "What happened on the timeline?",
        "When did the dock strike end?",
        "How did the Kessler Bridge story develop from the closure to the reopening?",
    ],
)
def test_other_questions_ask_for_no_story_timeline(question: str) -> None:
    assert asks_for_a_story_timeline(question) is None


def test_each_article_is_a_stop_in_date_order_a_shared_line_with_the_earliest() -> None:
    # Retrieval's order is not the story's: the ending came first, the apple story is noise.
    found = passages(["c", "b", "d", "a"])
    answer = story_timeline_answer(
        "How did the dock strike unfold?", "dock strike", found, answerer(), 8
    )
    assert answer is not None and answer.layout == LAYOUT_TIMELINE
    assert [c.published_at for c in answer.citations] == ["2023-10-02", "2023-10-09", "2023-10-20"]
    quotes = [c.quote for c in answer.citations]
    # The line two reports repeat is the first report's; the second is quoted by its own news.
    assert quotes[0] == STOCK
    assert quotes[1] == "The dock strike talks resumed on Friday."
    assert [g.label for g in answer.groups] == ["2023-10-02", "2023-10-09", "2023-10-20"]
    assert answer.text.startswith(f"{STOCK} [1] The dock strike talks resumed")


def test_one_day_is_no_development() -> None:
    found = passages(["c", "d"])
    assert (
        story_timeline_answer("Dock strike timeline", "dock strike", found, answerer(), 8) is None
    )
    assert story_timeline_answer("Dock strike timeline", "dock strike", [], answerer(), 8) is None
