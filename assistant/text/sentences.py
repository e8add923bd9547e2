"""Sentences with character offsets: the unit that chunks, quotes and answers are cut from."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
# A line that ends without a sentence's closing mark is a headline, a sub-heading, a caption, a
# table row or the date line of an embedded post ("Current favorite: Tyreek Hill", "TIMELINE OF
# THE TAKEOVER SAGA"): it is not a statement to quote. A colon ends a lead-in to a list or a
# formula, which may hold the answer ("The four general questions available to opposition
# leaders are:"). The closing marks of other scripts count too (a Chinese line ends in "。"),
# and so does a sentence followed by its reference marks ("… turbine engine.[citation needed]",
# "… string theory.:212–219").
_SENTENCE_END = re.compile(r"[.!?…。！？؟।:][\"'”’」)\]]*(?:\s*\[[^\[\]\n]{1,40}\]|:[\d:–-]+)*$")
# ... and the line after it starts a sentence of its own (or there is none): a line broken
# inside a sentence ("… with the formula O\n2 …", a subscript lost) goes on in lower case or
# with a digit.
_LINE_END = re.compile(r"[ \t]*(?:$|\n\s*(?:$|[\"“‘'(\[]?[A-ZÀ-ÖØ-Þ]))")
# A page widget's label left in the text before a sentence on the same line ("… experience.
# Loading The most challenging aspects …", from an embedded video or an ad slot): no word of the
# sentence, so no quote starts with it.
_WIDGET_LABEL = re.compile(
    r"(?:Loading|Advertisement|ADVERTISEMENT|Skip Advertisement|"
    r"Story continues below(?: this)? advertisement)\s+(?=[\"“‘'(\[]?[A-Z0-9])"
)
_LONGEST_HEADLINE_WORDS = 20
_MID_PHRASE = re.compile(r"[a-z,]$")
# A sentence that ends in a question mark, inside its closing quotes or brackets or not.
_ASKS = re.compile(r"\?[\s”\"’')\]]*$")


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
    widget = _WIDGET_LABEL.match(text, start, end)
    if widget:
        start = widget.end()
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


def line_around(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The line of `text` that holds text[start:end] (a paragraph, as articles are stored):
    from after the line break before `start` to the line break after `end`."""
    stop = text.find("\n", start if end is None else end)
    return text.rfind("\n", 0, start) + 1, len(text) if stop == -1 else stop


def sentence_around(text: str, position: int) -> tuple[int, int]:
    """The sentence of `text` that holds `position` (split on its line only: a sentence never
    spans a line break); `(position, position)` when none does."""
    line_start, line_end = line_around(text, position)
    line = text[line_start:line_end]
    for sentence in split_sentences(line, max_chars=len(line) + 1):
        if sentence.start <= position - line_start <= sentence.end:
            return line_start + sentence.start, line_start + sentence.end
    return position, position


def unfinished_line(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends a line without ending a sentence: a headline, a caption or
    a table row, which answers quote no fact from. A long line that stops mid-phrase is a
    sentence broken where a formula or a price tag was lost, not a headline."""
    line = text[start:end].rstrip()
    if _SENTENCE_END.search(line) or not _LINE_END.match(text, end):
        return False
    return not (len(line.split()) >= _LONGEST_HEADLINE_WORDS and _MID_PHRASE.search(line))


def asks_a_question(sentence: str) -> bool:
    """Whether the sentence ends as a question ("Is he a liar and a fraud?", an interviewer's
    line): it asks rather than reports, so an answer quotes no fact from it."""
    return bool(_ASKS.search(sentence))
