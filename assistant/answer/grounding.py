"""Turn a model's [n]-cited answer into verified Citations, or mark it unsupported.

The model only sees numbered passages; what it writes is checked here before anyone sees it:
- a [n] that names no passage is dropped (and counted);
- a quoted span ("..." or “...”) must occur in a cited passage, exactly or after normalising
  whitespace and quote marks, and is mapped back to exact article offsets;
- a sentence without quotes is tied to the cited passage's sentence that shares most words
  with it, so the Citation still points at exact, highlightable article text;
- a sentence with no valid citation, an unverifiable quote, or no lexical support is suffixed
  with UNSUPPORTED_MARK and listed in Answer.unsupported: never presented as sourced."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.schema import Citation, Passage
from assistant.text.patterns import CITATION_MARKERS
from assistant.text.sentences import split_sentences
from assistant.text.tokens import tokenize

UNSUPPORTED_MARK = "[unsupported]"
MIN_SUPPORT = 0.25  # share of a claim's content words its cited sentence must contain

# "claim. [1]" -> "claim [1]." so that the sentence splitter keeps the marker with its claim.
_MARKER_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)")
_SOFT_BREAK = re.compile(r"[ \t]*\n(?![ \t]*(?:\n|[-*•]|\d+[.)]\s))[ \t]*")
_BULLET = re.compile(r"^(?:[-*•]|\d+[.)])\s+")
_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_EDGE_PUNCT = " \t\n,.;:!?'\""


@dataclass
class CheckedAnswer:
    text: str
    citations: list[Citation] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    invalid_markers: list[int] = field(default_factory=list)  # [n] naming no passage
    unverified_quotes: list[str] = field(default_factory=list)


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """`text` with quote marks made straight and whitespace runs made one space, plus for each
    character of the result the index of the original character it came from."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text.translate(_QUOTE_CHARS)):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        out.append(char)
        where.append(i)
    return "".join(out), where


def find_quote(quote: str, article_text: str, start: int, end: int) -> tuple[int, int] | None:
    """Exact article offsets of `quote` inside article_text[start:end]: an exact match first,
    then one with whitespace and quote marks normalised (and edge punctuation trimmed)."""
    window = article_text[start:end]
    for candidate in dict.fromkeys((quote, quote.strip(_EDGE_PUNCT))):
        if len(candidate) < 2:
            continue
        at = window.find(candidate)
        if at >= 0:
            return start + at, start + at + len(candidate)
    norm_window, where = normalise_with_map(window)
    for candidate in dict.fromkeys((quote, quote.strip(_EDGE_PUNCT))):
        norm_quote, _ = normalise_with_map(candidate.strip())
        if len(norm_quote) < 2:
            continue
        at = norm_window.find(norm_quote)
        if at >= 0:
            return start + where[at], start + where[at + len(norm_quote) - 1] + 1
    return None


def best_supporting_sentence(
    claim: str, article_text: str, passage: Passage
) -> tuple[int, int, float] | None:
    """The sentence of `passage` sharing the largest share of the claim's content words."""
    claim_tokens = set(tokenize(claim))
    if not claim_tokens:
        return None
    window = article_text[passage.start : passage.end]
    best: tuple[int, int, float] | None = None
    for sentence in split_sentences(window, max_chars=len(window) + 1):
        tokens = set(tokenize(window[sentence.start : sentence.end]))
        support = len(claim_tokens & tokens) / len(claim_tokens)
        if best is None or support > best[2]:
            best = (passage.start + sentence.start, passage.start + sentence.end, support)
    return best


def split_answer(text: str) -> list[str]:
    """The model's answer as sentences, each keeping the [n] markers that follow it."""
    # A lone line break (wrapping) joins lines; a blank line or a list item starts a new one.
    text = _SOFT_BREAK.sub(" ", text.strip())
    text = _MARKER_AFTER_STOP.sub(lambda m: f"{m.group(2)}{m.group(1)}", text)
    return [text[s.start : s.end] for s in split_sentences(text, max_chars=len(text) + 1)]


def _numbers(sentence: str) -> list[int]:
    found: list[int] = []
    for match in CITATION_MARKERS.finditer(sentence):
        found.extend(int(n) for n in re.split(r"\s*,\s*", match.group(1)))
    return list(dict.fromkeys(found))


def _quotes(claim: str) -> list[str]:
    quotes = [m.group(1) or m.group(2) for m in _QUOTE.finditer(claim)]
    # A one- or two-word "scare quote" is emphasis, not a claim about wording.
    return [q for q in quotes if len(q.split()) >= 3]


class CitationBook:
    """Numbers distinct article spans 1, 2, ... in order of first use."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._by_span: dict[tuple[str, int, int], int] = {}

    def add(self, passage: Passage, article_text: str, start: int, end: int, score: float) -> int:
        key = (passage.article_id, start, end)
        if key not in self._by_span:
            n = len(self.citations) + 1
            self._by_span[key] = n
            self.citations.append(
                Citation.from_passage(n, passage, article_text, start, end, score)
            )
        return self._by_span[key]


def check_answer(
    text: str,
    passages: list[Passage],
    article_texts: dict[str, str],
    *,
    min_support: float = MIN_SUPPORT,
) -> CheckedAnswer:
    """Resolve the [n] markers of `text` (1-based indexes into `passages`) into Citations whose
    quotes are exact article spans; renumber markers to point into the returned citations."""
    book = CitationBook()
    result = CheckedAnswer(text="")
    parts: list[str] = []
    for sentence in split_answer(text):
        claim = re.sub(r"\s+([.!?,;:])", r"\1", CITATION_MARKERS.sub("", sentence)).strip()
        claim = _BULLET.sub("", claim)
        if not claim or not re.search(r"\w", claim):
            continue  # a stray marker or punctuation left over
        numbers = _numbers(sentence)
        cited = [n for n in numbers if 1 <= n <= len(passages)]
        result.invalid_markers.extend(n for n in numbers if n not in cited)
        usable = [passages[n - 1] for n in cited if passages[n - 1].article_id in article_texts]
        markers = _resolve(claim, usable, article_texts, book, result, min_support)
        body, stop = (claim[:-1], claim[-1]) if claim[-1] in ".!?" else (claim, "")
        if markers:
            parts.append(f"{body} {''.join(f'[{n}]' for n in markers)}{stop}")
        else:
            result.unsupported.append(claim)
            parts.append(f"{body} {UNSUPPORTED_MARK}{stop}")
    result.text = " ".join(parts)
    result.citations = book.citations
    return result


def _resolve(
    claim: str,
    usable: list[Passage],
    article_texts: dict[str, str],
    book: CitationBook,
    result: CheckedAnswer,
    min_support: float,
) -> list[int]:
    if not usable:
        return []
    quotes = _quotes(claim)
    if quotes:
        markers: list[int] = []
        for quote in quotes:
            span = None
            for passage in usable:
                text = article_texts[passage.article_id]
                span = find_quote(quote, text, passage.start, passage.end)
                if span:
                    markers.append(book.add(passage, text, span[0], span[1], 1.0))
                    break
            if span is None:
                # One altered quote makes the whole sentence unsupported: its wording is not the
                # article's, whatever else it cites.
                result.unverified_quotes.append(quote)
                return []
        return list(dict.fromkeys(markers))
    markers = []
    for passage in usable:
        text = article_texts[passage.article_id]
        best = best_supporting_sentence(claim, text, passage)
        if best and best[2] >= min_support:
            markers.append(book.add(passage, text, best[0], best[1], best[2]))
    return list(dict.fromkeys(markers))
