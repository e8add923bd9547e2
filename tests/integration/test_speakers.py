"""Who said what, through Assistant.ask on the seed article: each citation of a statement
names its speaker (as the article names them in full); narration names nobody."""

from __future__ import annotations

import pytest

from assistant.api import Assistant


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What did Stoltenberg say about troop withdrawal?", "Jens Stoltenberg"),
        ("What did Lavrov say?", "Sergei Lavrov"),
        ("Who said there had been an increase in troops of up to 7,000?", "Ben Wallace"),
        ("What did Heappey accuse Moscow of?", "James Heappey"),
    ],
)
def test_a_quoted_statement_names_its_speaker(
    seed_assistant: Assistant, question: str, speaker: str
) -> None:
    answer = seed_assistant.ask(question)
    assert answer.citations, answer.text
    assert answer.citations[0].speaker == speaker
    assert answer.to_dict()["citations"][0]["speaker"] == speaker


def test_narration_has_no_speaker(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("How many troops has Moscow stationed near Ukraine?")
    assert answer.citations and answer.citations[0].speaker is None


def test_a_quote_of_two_speakers_names_the_one_asked_about(seed_assistant: Assistant) -> None:
    # The quote is Russia's announcement read with NATO's answer to it: asked what NATO said,
    # the card names NATO; asked what Russia said, Russia.
    answer = seed_assistant.ask("What did NATO say about the withdrawal?")
    quote = answer.citations[0].quote
    assert quote.endswith("But NATO called this announcement false.")
    assert answer.citations[0].speaker == "NATO"
    answer = seed_assistant.ask("What did Russia say about the withdrawal?")
    assert answer.citations[0].speaker == "Russia"


def test_is_that_true_is_told_what_the_articles_can_say(seed_assistant: Assistant) -> None:
    history = [
        {"role": "user", "content": "Who accused Russia of fabricating a pretext?"},
        {"role": "assistant", "content": "British Foreign Minister Liz Truss said … [1]"},
    ]
    answer = seed_assistant.ask("Is that true?", history=history)
    assert answer.abstained and answer.needs_clarification and not answer.citations
    assert answer.text.startswith("The articles report who said what, not whether it is true")
