from __future__ import annotations

import pytest

from assistant.answer.numbers import (
    contradicts,
    counted_noun,
    counts_something_else,
    holds,
    names_numbers_as_given,
    numbers_in,
)


def test_numbers_are_read_by_kind_with_words_and_separators_alike() -> None:
    assert numbers_in("In 1640, three of the 1,000 samples; 2.5 times; the second one") == {
        "year": {"1640"},
        "count": {"3", "1000"},
        "decimal": {"2.5"},
        "ordinal": {"2nd"},
    }
    # A team's name and "one of" are no counts.
    assert numbers_in("One of the 49ers' best games") == {}


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("How are the 83 constituency MSPs chosen?", "Of the 129 MSPs, 73 are elected."),
        ("What did the visits in 1973 and 1989 encourage?", "His visits in 1979 and 1983 helped."),
        ("What did the August 4, 1774 experiment show?", "On August 1, 1774, an experiment ..."),
        ("If three fermions have a symmetric spin, what follows?", "If two fermions have ..."),
    ],
)
def test_a_sentence_giving_another_number_of_the_same_kind_contradicts(
    question: str, sentence: str
) -> None:
    assert contradicts(numbers_in(question), sentence)


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # The question's number is there (written another way).
        (
            "Which country bought 5 times more arms?",
            "Saudi purchases exceeded five times Israel's.",
        ),
        # No number of that kind: the sentence says nothing about it either way.
        ("What share of Warsaw was Jewish in 1897?", "About 30 percent of the city was Jewish."),
        # One of the question's years is enough.
        ("What happened in 1973 and 1989?", "In 1973 the first visit took place."),
        ("Who won the game?", "The 49ers won 31-10."),
    ],
)
def test_a_sentence_with_the_number_or_none_of_its_kind_does_not(
    question: str, sentence: str
) -> None:
    assert not contradicts(numbers_in(question), sentence)


def test_a_yes_no_question_takes_no_number_as_given() -> None:
    assert names_numbers_as_given("How are the 83 MSPs chosen?") == {"count": {"83"}}
    assert names_numbers_as_given("Will the lagoon power 50,000 homes?") == {}
    assert names_numbers_as_given("And did the council vote 7 to 6?") == {}
    # How many answers are asked for: no premise.
    assert names_numbers_as_given("In what two age groups is immunity reduced?") == {}
    assert names_numbers_as_given("Which three members were elected in 1999?") == {"year": {"1999"}}
    # Dates say when, in too many ways to hold a sentence to.
    assert names_numbers_as_given("What did TechCrunch report on October 31, 2023?") == {}


def test_a_sentence_holds_the_question_number_in_any_writing() -> None:
    asked = names_numbers_as_given("What share of Warsaw was Jewish in 1897?")
    assert holds(asked, "According to the census of 1897, Jews were around 34% of 638,000.")
    assert not holds(asked, "The pre-war Jewish population was about 30 percent of the city.")
    assert holds(names_numbers_as_given("Who won the three titles?"), "She won 3 of them.")


def test_what_a_how_many_question_counts() -> None:
    assert counted_noun("How many Ukrainian soldiers were killed?") == "soldiers"
    assert counted_noun("How many civilians live in Warsaw?") == "civilians"
    # A noun that names no kind of thing: the sentence names what it stands for.
    assert counted_noun("How many people live in Warsaw?") is None
    assert counted_noun("In how many places is oxygen stored?") is None
    assert counted_noun("How many of the MSPs are elected?") is None
    assert counted_noun("What did the council decide?") is None


@pytest.mark.parametrize(
    ("question", "sentence", "other"),
    [
        (
            "How many Ukrainian soldiers were killed or wounded in the shelling?",
            "Shells hit a kindergarten building, wounding two civilians.",
            True,
        ),
        ("How many homes will the lagoon power?", "It will power 61,000 homes.", False),
        # What it counts is named (singular here), or nothing else is counted.
        ("How many soldiers were wounded?", "One soldier and two civilians were hurt.", False),
        ("How many people live in Warsaw?", "Warsaw has a population of 1.7 million.", False),
        ("How many ships sank?", "The storm sank the whole fleet.", False),
        ("In how many places is oxygen stored?", "It moves between three reservoirs.", False),
        # British and American spellings count the same thing.
        ("How many kilometers is it from Warsaw?", "It stands 300 kilometres away.", False),
        ("How many litres were sold?", "Some 2,000 liters were sold.", False),
    ],
)
def test_a_sentence_counting_something_else_does_not_answer_how_many(
    question: str, sentence: str, other: bool
) -> None:
    assert counts_something_else(question, sentence) is other


def test_a_count_of_the_same_thing_in_other_words_is_no_other_count() -> None:
    cuts = "Qualtrics\n\nAnnounced on October 4 that 780 roles are being eliminated."
    assert not counts_something_else("How many jobs did Qualtrics cut?", cuts)
    assert not counts_something_else("How many jobs went?", "It laid off 200 employees.")
    assert not counts_something_else("How many troops?", "About 100,000 soldiers wait.")
    # Kin of one count are no kin of another.
    assert counts_something_else("How many jobs went?", "It sold 300 cars.")
    assert counts_something_else("How many soldiers were wounded?", "It hurt two civilians.")
