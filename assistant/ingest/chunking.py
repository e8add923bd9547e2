"""Sentences with character offsets, and chunks made of whole sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.schema import Article, Chunk

# Abbreviations after which a period does not end a sentence (lower-cased, without the period).
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres jan
    feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thurs fri sat sun inc
    corp co ltd llc plc bros dept univ assn est approx vs etc al fig no nos vol pp ed eds u.s
    u.k u.n e.u e.g i.e a.m p.m d.c u.s.a ph.d""".split()
)
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"“‘'(\[]?[A-Z0-9À-ÖØ-Þ]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


def split_sentences(text: str, *, max_chars: int = 1000) -> list[Sentence]:
    """Split text into sentences; offsets index into `text`, surrounding whitespace excluded.

    Paragraph breaks always end a sentence. A sentence longer than `max_chars` is cut at word
    boundaries so that no chunk grows without bound (a million-character line stays usable)."""
    sentences: list[Sentence] = []
    for block in re.finditer(r"[^\n]+", text):
        block_start = block.start()
        line = block.group()
        cursor = 0
        for match in _BOUNDARY.finditer(line):
            end = match.end()
            if not _NEXT_STARTS_SENTENCE.match(line, end) or _is_abbreviation(line, match.start()):
                continue
            _append(sentences, text, block_start + cursor, block_start + end, max_chars)
            cursor = end
        _append(sentences, text, block_start + cursor, block_start + len(line), max_chars)
    return sentences


def _is_abbreviation(line: str, dot_index: int) -> bool:
    if line[dot_index] != ".":
        return False
    word = _WORD_BEFORE.search(line, 0, dot_index)
    if not word:
        return False
    token = word.group(1).lower().rstrip(".")
    # Single initials ("J. Smith") and known abbreviations ("Gen.", "U.S.") don't end sentences.
    return len(token) == 1 or token in _ABBREVIATIONS


def _append(out: list[Sentence], text: str, start: int, end: int, max_chars: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > max_chars:
        cut = text.rfind(" ", start + max_chars // 2, start + max_chars)
        cut = cut if cut > start else start + max_chars
        out.append(Sentence(start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        out.append(Sentence(start, end))


def chunk_article(
    article: Article, *, max_chars: int = 1000, overlap_sentences: int = 1
) -> list[Chunk]:
    """Group whole sentences into chunks of at most about `max_chars`, overlapping by whole
    sentences. Chunk ids are deterministic: article id, content hash and position."""
    sentences = split_sentences(article.text, max_chars=max_chars)
    chunks: list[Chunk] = []
    first = 0
    while first < len(sentences):
        last = first
        while (
            last + 1 < len(sentences)
            and sentences[last + 1].end - sentences[first].start <= max_chars
        ):
            last += 1
        start, end = sentences[first].start, sentences[last].end
        n = len(chunks)
        chunks.append(
            Chunk(
                id=f"{article.id}:{article.content_hash[:12]}:{n}",
                article_id=article.id,
                n=n,
                start=start,
                end=end,
                text=article.text[start:end],
            )
        )
        if last + 1 >= len(sentences):
            break
        first = max(first + 1, last + 1 - overlap_sentences)
    return chunks


def embedding_text(article: Article, chunk: Chunk) -> str:
    """What the model and BM25 see: a header with title, outlet and date, then the chunk."""
    header = " | ".join(
        part for part in (article.title, article.source, article.published_at) if part
    )
    return f"{header}\n{chunk.text}" if header else chunk.text
