"""Names in questions against the index's own names: typos corrected, unknown names left alone."""

from __future__ import annotations

import numpy as np

from assistant.answer.names import (
    NameSpeller,
    as_phrases,
    correct_names,
    country_names_as_written,
    names_outside_scope,
)
from assistant.api import Assistant

SPELLER = NameSpeller.from_texts(
    [
        "Jens Stoltenberg said so. Stoltenberg's aides agreed. Ben Wallace spoke.",
        "Liz Truss and Sergei Lavrov met. Stoltenberg left.",
    ]
)


def test_a_typo_of_an_indexed_name_is_corrected() -> None:
    assert SPELLER.suggest("Stoltenbreg") == "Stoltenberg"  # two letters swapped
    assert SPELLER.suggest("Stoltenburg") == "Stoltenberg"  # one letter wrong
    assert SPELLER.suggest("Lavorv") == "Lavrov"
    assert SPELLER.counts["Stoltenberg"] == 3  # the possessive counts as the name


def test_names_the_index_never_uses_are_not_turned_into_others() -> None:
    for word in ("Scholz", "Olaf", "Biden", "Wallis", "Stalin", "Trust"):
        assert SPELLER.suggest(word) is None, word


def test_correct_names_rewrites_only_unknown_names(seed_assistant: Assistant) -> None:
    lexical, _ = seed_assistant.index.snapshot()
    built: list[bool] = []

    def seed_speller() -> NameSpeller:
        built.append(True)
        article = seed_assistant.article(seed_assistant.articles()[0].id)
        assert article is not None
        return NameSpeller.from_texts([article.text])

    # Nothing unknown: nothing changes, and the index is not read for names.
    question, corrections = correct_names("What did Stoltenberg say?", lexical, seed_speller)
    assert (question, corrections, built) == ("What did Stoltenberg say?", {}, [])
    question, corrections = correct_names(
        "What did Stoltenbreg's aide and Olaf Scholz say?", lexical, seed_speller
    )
    assert question == "What did Stoltenberg's aide and Olaf Scholz say?"
    assert corrections == {"Stoltenbreg": "Stoltenberg"}


def test_a_country_named_by_initials_is_named_as_the_articles_do(
    seed_assistant: Assistant,
) -> None:
    # The seed article never writes "UK"; it writes "British Foreign Minister Liz Truss". It
    # writes "US", which stays.
    lexical, _ = seed_assistant.index.snapshot()
    frequency = lexical.document_frequency
    assert country_names_as_written("What did the UK say?", frequency) == (
        "What did the British say?",
        {"UK": "British"},
    )
    assert country_names_as_written("What did the US say?", frequency) == (
        "What did the US say?",
        {},
    )
    assert country_names_as_written("What did Britain say about the troops?", frequency) == (
        "What did British say about the troops?",
        {"Britain": "British"},
    )
    answer = seed_assistant.ask("What did the UK say?")
    assert not answer.abstained and answer.corrections == {"UK": "British"}, answer.text
    assert answer.citations[0].speaker == "Liz Truss"
    assert answer.correction_note == "Showing results for British (you typed UK)."


def test_names_outside_the_filter(seed_assistant: Assistant) -> None:
    lexical, table = seed_assistant.index.snapshot()
    nothing = np.zeros(len(table.chunk_ids), dtype=bool)
    everything = np.ones(len(table.chunk_ids), dtype=bool)
    question = "What did Jens Stoltenberg and Olaf Scholz say?"
    # Scholz is unknown to the whole index: that is the unfiltered rule's business.
    assert names_outside_scope(question, lexical, nothing) == ["Jens Stoltenberg"]
    assert names_outside_scope(question, lexical, everything) == []


def test_as_phrases_joins_neighbouring_names() -> None:
    question = "Did Olaf Scholz meet Joe Biden in Kyiv?"
    assert as_phrases(question, ["Olaf", "Scholz", "Joe", "Biden", "Kyiv"]) == [
        "Olaf Scholz",
        "Joe Biden",
        "Kyiv",
    ]
