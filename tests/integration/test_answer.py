from __future__ import annotations

import pytest

from assistant.answer.names import unknown_names
from assistant.answer.word_overlap import extractive_answer, speaker_of
from assistant.api import Assistant


def test_seed_question_cites_the_150000_sentence(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("How many troops has Moscow stationed near Ukraine?")
    assert not answer.abstained
    assert answer.citations[0].quote.startswith("Moscow has stationed around 150,000 troops")
    assert "[1]" in answer.text


def test_every_quote_is_the_article_text_at_its_offsets(seed_assistant: Assistant) -> None:
    for question in (
        "What did Stoltenberg say about troop withdrawal?",
        "What did Liz Truss say about the reports?",
        "Who disputed the separatists' claim?",
    ):
        answer = seed_assistant.ask(question)
        assert answer.citations, question
        for citation in answer.citations:
            article = seed_assistant.article(citation.article_id)
            assert article is not None
            assert article.text[citation.start : citation.end] == citation.quote
            assert f"[{citation.n}]" in answer.text


def test_stoltenberg_question_quotes_stoltenberg(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("What did Stoltenberg say about troop withdrawal?")
    assert answer.citations[0].quote.startswith("Stoltenberg pointed out")


@pytest.mark.parametrize(
    "question",
    [
        "What did Olaf Scholz say about Nord Stream 2?",
        "What is the capital of Australia?",
        "Which football club won the Champions League?",
    ],
)
def test_abstains_when_the_articles_do_not_cover_it(
    seed_assistant: Assistant, question: str
) -> None:
    answer = seed_assistant.ask(question)
    assert answer.abstained and answer.citations == []
    assert "don't cover" in answer.text
    assert answer.related, "the closest passages are shown as related"


def test_speaker_of() -> None:
    assert speaker_of("What did Ben Wallace say about the troops?") == ["ben", "wallac"]
    assert speaker_of("How many troops?") == []


def test_unknown_names_are_what_no_article_mentions(seed_assistant: Assistant) -> None:
    lexical, _ = seed_assistant.index.snapshot()
    frequency = lexical.document_frequency
    assert unknown_names("What did Joe Biden say about Stoltenberg?", frequency) == ["Joe", "Biden"]
    assert unknown_names("What did Stoltenberg say about Moscow?", frequency) == []


def test_no_passages_at_all_promises_no_related_passages(seed_assistant: Assistant) -> None:
    lexical, _ = seed_assistant.index.snapshot()
    answer = extractive_answer(
        "What did Stoltenberg say?",
        [],
        lexical=lexical,
        article_texts={},
        settings=seed_assistant.settings,
    )
    assert answer.abstained and answer.related == []
    assert "don't cover" in answer.text and "listed" not in answer.text
