"""The citation checker on hand-written model outputs, against the real seed index."""

from __future__ import annotations

import pytest

from assistant.answer.grounding import UNSUPPORTED_MARK, check_answer, find_quote
from assistant.api import Assistant
from assistant.evals.metrics import answer_accuracy, answer_exact, answer_leading, answer_loose
from assistant.schema import Passage

QUESTION = "What did Stoltenberg say about troop withdrawal?"
QUOTE = (
    "the fact that you put a battle tank on a train and you move it in one direction "
    "does not prove a troop withdrawal"
)


@pytest.fixture(scope="module")
def context(seed_assistant: Assistant) -> tuple[list[Passage], dict[str, str], int]:
    passages = seed_assistant.retrieve(QUESTION, k=5)
    texts = seed_assistant.article_texts(p.article_id for p in passages)
    holder = next(i for i, p in enumerate(passages, start=1) if QUOTE in p.text)
    return passages, texts, holder


def _assert_exact(checked, texts: dict[str, str]) -> None:
    for citation in checked.citations:
        assert texts[citation.article_id][citation.start : citation.end] == citation.quote


def test_valid_quote_gets_exact_offsets(context) -> None:
    passages, texts, n = context
    out = f'Stoltenberg said "{QUOTE}" [{n}].'
    checked = check_answer(out, passages, texts)
    assert checked.unsupported == []
    assert [c.quote for c in checked.citations] == [QUOTE]
    assert checked.text == f'Stoltenberg said "{QUOTE}" [1].'
    _assert_exact(checked, texts)


def test_quote_with_other_quote_marks_and_spacing_maps_back(context) -> None:
    passages, texts, n = context
    spaced = QUOTE.replace(" a battle tank ", "  a battle\ntank ")
    checked = check_answer(f"He said “{spaced},” [{n}]", passages, texts)
    assert checked.unsupported == []
    assert checked.citations[0].quote == QUOTE
    _assert_exact(checked, texts)


def test_altered_quote_is_unsupported(context) -> None:
    passages, texts, n = context
    altered = QUOTE.replace("does not prove", "proves")
    checked = check_answer(f'Stoltenberg said "{altered}" [{n}].', passages, texts)
    assert checked.citations == []
    assert checked.unverified_quotes == [altered]
    assert checked.text.endswith(f"{UNSUPPORTED_MARK}.")
    assert len(checked.unsupported) == 1


def test_citation_to_missing_passage_is_dropped(context) -> None:
    passages, texts, _ = context
    checked = check_answer("Stoltenberg doubted the withdrawal [9].", passages, texts)
    assert checked.invalid_markers == [9]
    assert checked.citations == []
    assert "[9]" not in checked.text
    assert UNSUPPORTED_MARK in checked.text


def test_sentence_without_citation_is_unsupported_and_paraphrase_is_tied(context) -> None:
    passages, texts, n = context
    out = (
        "Stoltenberg said moving a battle tank on a train does not prove a troop withdrawal. "
        f"[{n}] "
        "The moon is made of cheese."
    )
    checked = check_answer(out, passages, texts)
    assert checked.unsupported == ["The moon is made of cheese."]
    assert len(checked.citations) == 1
    assert "battle tank" in checked.citations[0].quote
    _assert_exact(checked, texts)
    assert checked.text.startswith("Stoltenberg said") and "[1]." in checked.text
    assert checked.text.endswith(f"cheese {UNSUPPORTED_MARK}.")


def test_citation_without_lexical_support_is_unsupported(context) -> None:
    passages, texts, n = context
    checked = check_answer(f"Bananas grow quickly in Ecuador [{n}].", passages, texts)
    assert checked.citations == []
    assert checked.unsupported == ["Bananas grow quickly in Ecuador."]


def test_find_quote_respects_the_passage_window(context) -> None:
    passages, texts, _ = context
    other = next(p for p in passages if QUOTE not in p.text)
    assert find_quote(QUOTE, texts[other.article_id], other.start, other.end) is None


def test_answer_metrics() -> None:
    # MultiHop-RAG's official check: any shared whitespace word, lower-cased.
    assert answer_loose("The man is Sam Bankman-Fried [1].", "Sam Bankman-Fried")
    assert not answer_loose("Nobody was charged [2].", "Sam Bankman-Fried")
    assert answer_exact("Sam Bankman-Fried [1].", "Sam Bankman-Fried")
    assert not answer_exact("It was Sam Bankman-Fried [1].", "Sam Bankman-Fried")
    assert answer_leading("Sam Bankman-Fried [1]. He was tried [2].", "Sam Bankman-Fried")
    assert answer_accuracy("Yes [1]", ["Yes"]) == {
        "loose": True, "exact": True, "leading": True, "contains": True
    }
    assert not any(answer_accuracy("No.", ["Yes"]).values())
