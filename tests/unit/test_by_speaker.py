"""Which questions get the "who said what" view, and what they ask about."""

from __future__ import annotations

from assistant.answer.by_speaker import asks_who_said_what, topic_of


def test_questions_about_each_side_get_the_view_and_who_said_x_does_not() -> None:
    assert asks_who_said_what("Who said what about the troop withdrawal?")
    assert asks_who_said_what("What did the two sides say about the ceasefire?")
    assert asks_who_said_what("What do officials say about the bridge?")
    # One speaker asked for: a plain answer names them.
    assert not asks_who_said_what("Who said the separatists fought back?")
    assert not asks_who_said_what("What did Stoltenberg say about troop withdrawal?")


def test_the_topic_is_what_follows_about() -> None:
    assert topic_of("Who said what about the troop withdrawal?") == "the troop withdrawal"
    assert topic_of("What did the two sides say?") == ""
