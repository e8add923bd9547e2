"""Quotation-aware citation spans, on hand-written texts and on the seed article."""

from __future__ import annotations

from assistant.api import Assistant
from assistant.text.quotations import quotation_pairs, whole_quotations


def _span_of(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


def _widened(text: str, fragment: str) -> str:
    start, end = whole_quotations(text, *_span_of(text, fragment))
    return text[start:end]


SPLIT = "Intro here. “We saw one thing. We saw another,” the minister said on Monday. Next one."


def test_a_sentence_that_ends_a_quotation_gets_its_opening() -> None:
    assert _widened(SPLIT, "We saw another,” the minister said on Monday.") == (
        "“We saw one thing. We saw another,” the minister said on Monday."
    )


def test_a_sentence_that_opens_a_quotation_gets_its_close_and_attribution() -> None:
    assert _widened(SPLIT, "“We saw one thing.") == (
        "“We saw one thing. We saw another,” the minister said on Monday."
    )


def test_a_span_outside_every_quotation_is_unchanged() -> None:
    for fragment in ("Intro here.", "Next one."):
        assert _widened(SPLIT, fragment) == fragment


def test_a_quote_split_by_its_attribution_is_cited_whole() -> None:
    text = "“We are ready,” she said. “But we will not wait. Not again.” Then she left."
    assert _widened(text, "Not again.”") == "“But we will not wait. Not again.”"
    # The attribution sits between two quotations and is inside neither.
    assert _widened(text, "“We are ready,” she said.") == "“We are ready,” she said."


def test_nested_quotations_widen_to_the_outer_pair() -> None:
    text = "He said: “They called it “a sham”. We disagree.” Later, more."
    assert [text[a:b] for a, b in quotation_pairs(text)] == [
        "“They called it “a sham”. We disagree.”",
        "“a sham”",
    ]
    assert _widened(text, "We disagree.”") == "He said: “They called it “a sham”. We disagree.”"


def test_unbalanced_marks_never_swallow_the_text() -> None:
    # An opening mark the paragraph never closes, and a stray closing mark.
    text = "“This quote never closes. Still going.\nA new paragraph. Done” here. End."
    assert quotation_pairs(text) == []
    assert _widened(text, "Still going.") == "Still going."
    assert _widened(text, "A new paragraph.") == "A new paragraph."


def test_straight_quotes_pair_by_position() -> None:
    text = 'A pipe 12" long. "First part. Second part," he said. Tail.'
    assert _widened(text, 'Second part," he said.') == '"First part. Second part," he said.'
    assert _widened(text, 'A pipe 12" long.') == 'A pipe 12" long.'


def test_wallace_answer_quotes_the_whole_statement(seed_assistant: Assistant) -> None:
    answer = seed_assistant.ask("What did Ben Wallace say about the troops?")
    wallace = [c for c in answer.citations if "Ben Wallace" in c.quote]
    assert wallace, answer.text
    assert wallace[0].quote.startswith("“We have seen the opposite of some statements.")
    assert wallace[0].quote.endswith("ahead of a NATO meeting on Thursday.")
    for citation in answer.citations:
        article = seed_assistant.article(citation.article_id)
        assert article is not None
        assert article.text[citation.start : citation.end] == citation.quote
        assert citation.quote.count("“") == citation.quote.count("”")
        assert answer.text.count(citation.quote) == 1
