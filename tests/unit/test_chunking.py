from __future__ import annotations

import itertools

from assistant.ingest.chunking import chunk_article, embedding_text
from assistant.ingest.readers import load_file
from assistant.schema import Article
from assistant.text.sentences import split_sentences, unfinished_line
from tests.helpers import SEED_FILE


def _article(text: str) -> Article:
    return Article(
        id="a1",
        title="T",
        source="S",
        url="",
        published_at="2024-01-02",
        text=text,
        content_hash="0123456789abcdef",
        origin="x",
    )


def test_sentences_carry_exact_offsets() -> None:
    text = (
        "Mr. Smith went to Washington. He met Gen. Jones at 3 p.m. on Jan. 20! “Was it good?” Yes."
    )
    sentences = split_sentences(text)
    assert [text[s.start : s.end] for s in sentences] == [
        "Mr. Smith went to Washington.",
        "He met Gen. Jones at 3 p.m. on Jan. 20!",
        "“Was it good?”",
        "Yes.",
    ]


def test_paragraph_breaks_end_sentences_and_decimals_do_not() -> None:
    text = "Growth was 2.5 per cent in the U.S. economy\n\nA new paragraph starts"
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "Growth was 2.5 per cent in the U.S. economy",
        "A new paragraph starts",
    ]


def test_a_line_that_ends_no_sentence_is_unfinished() -> None:
    text = (
        "TIMELINE OF THE SAGA\nThe club was sold. Bids closed in\nthe spring, the owner said.\n"
        "Key dates:\n“We will appeal,” he said.\nThe end (AP)\n"
        "The engine was replaced by the turbine.[citation needed]\n"
        "Oxygen gas (O\n2) is made by plants.\n"
        "For example, prime ideals in the ring of integers of quadratic number fields can be "
        "used in proving quadratic reciprocity, a statement about quadratic equations\n"
        "Last line without a stop"
    )
    unfinished = [
        text[s.start : s.end]
        for s in split_sentences(text)
        if unfinished_line(text, s.start, s.end)
    ]
    assert unfinished == ["TIMELINE OF THE SAGA", "The end (AP)", "Last line without a stop"]
    # A sentence cut before its line ends (a window's edge) is no line of its own.
    assert not unfinished_line("Bids closed in March.", 0, len("Bids closed in"))


def test_a_page_widget_label_starts_no_sentence() -> None:
    # Left by an embedded video or an ad slot on a news page, on the same line as the text.
    text = (
        "It has been a positive experience. Loading The hardest part? They are retired.\n"
        "Advertisement “We won,” she said. Loading the truck took hours."
    )
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "It has been a positive experience.",
        "The hardest part?",
        "They are retired.",
        "“We won,” she said.",
        "Loading the truck took hours.",
    ]


def test_a_huge_sentence_is_cut_at_words() -> None:
    text = "word " * 50_000
    sentences = split_sentences(text, max_chars=1000)
    assert all(s.end - s.start <= 1000 for s in sentences)
    assert sentences[0].start == 0 and sentences[-1].end == len(text.rstrip())


def test_chunks_are_whole_sentences_within_the_limit_with_overlap() -> None:
    [article] = load_file(SEED_FILE, max_bytes=1 << 24)
    chunks = chunk_article(article, max_chars=1000, overlap_sentences=1)
    sentences = split_sentences(article.text)
    starts = {s.start for s in sentences}
    ends = {s.end for s in sentences}
    assert len(chunks) >= 3
    for chunk in chunks:
        assert chunk.text == article.text[chunk.start : chunk.end]
        assert chunk.start in starts and chunk.end in ends
        assert len(chunk.text) <= 1000
    for before, after in itertools.pairwise(chunks):
        assert after.start < before.end, "consecutive chunks share a sentence"
    assert chunks[0].start == 0 and chunks[-1].end == len(article.text)


def test_chunk_ids_are_deterministic_and_follow_content() -> None:
    text = "One sentence here. Another sentence there. " * 40
    first = chunk_article(_article(text))
    again = chunk_article(_article(text))
    assert [c.id for c in first] == [c.id for c in again]
    assert first[0].id == "a1:0123456789ab:0"
    assert len({c.id for c in first}) == len(first)


def test_embedding_text_has_a_header_but_offsets_stay_on_the_article() -> None:
    article = _article("A single sentence.")
    [chunk] = chunk_article(article)
    assert embedding_text(article, chunk) == "T | S | 2024-01-02\nA single sentence."
    assert article.text[chunk.start : chunk.end] == "A single sentence."
