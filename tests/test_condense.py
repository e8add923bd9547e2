from __future__ import annotations

from assistant.condense import condense_question

FIRST = [
    {"role": "user", "content": "What did Stoltenberg say about troop withdrawal?"},
    {
        "role": "assistant",
        "content": "He said a tank on a train does not prove a troop withdrawal [1].",
    },
]


def test_it_takes_the_previous_topic() -> None:
    assert (
        condense_question("What did the British defence secretary say about it?", FIRST)
        == "What did the British defence secretary say about troop withdrawal?"
    )


def test_he_takes_the_previous_person() -> None:
    assert condense_question("What did he say about Russia's capability?", FIRST) == (
        "What did Stoltenberg say about Russia's capability?"
    )


def test_leading_and_carries_the_topic() -> None:
    assert condense_question("And the Kremlin?", FIRST) == "And the Kremlin troop withdrawal?"


def test_standalone_questions_are_left_alone() -> None:
    assert (
        condense_question("How many troops has Moscow stationed?", FIRST)
        == "How many troops has Moscow stationed?"
    )
    assert condense_question("What did he say?", []) == "What did he say?"
