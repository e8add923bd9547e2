"""Quotation marks in article text: a cited span never starts or ends inside a quotation.

News quotes a statement over several sentences (“We have seen ... statements. We have seen an
increase ..., up to 7,000,” X said). A citation of one of those sentences alone reads as if the
speaker said half of it, or cuts off who said it; so a span is widened to the whole quotation
and to the sentences the quotation starts and ends in."""

from __future__ import annotations

import re

from assistant.text.sentences import sentence_around

_MARK = re.compile(r"[“”\"]")
_LINE = re.compile(r"[^\n]+")


def _opens_straight(line: str, i: int) -> bool:
    """A straight " opens a quotation when it starts a word: after a space or an opening bracket
    and before a non-space. Elsewhere it closes one (or is an inch mark)."""
    before = line[i - 1] if i > 0 else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    return (before.isspace() or before in "([{—–-") and not after.isspace()


def quotation_pairs(text: str) -> list[tuple[int, int]]:
    """(index of the opening mark, index after the closing mark) of every quotation in `text`,
    nested ones included. A pair never spans a line break: a quote whose paragraph never closes
    it (the multi-paragraph convention, or a typo) is left unpaired rather than swallowing the
    rest of the article. Stray closing marks are ignored."""
    pairs: list[tuple[int, int]] = []
    for line_match in _LINE.finditer(text):
        line, offset = line_match.group(), line_match.start()
        curly: list[int] = []
        straight: int | None = None
        for mark in _MARK.finditer(line):
            i = mark.start()
            if mark.group() == "“":
                curly.append(i)
            elif mark.group() == "”":
                if curly:
                    pairs.append((offset + curly.pop(), offset + i + 1))
            elif straight is None:
                if _opens_straight(line, i):
                    straight = i
            else:
                pairs.append((offset + straight, offset + i + 1))
                straight = None
    return sorted(pairs)


def whole_quotations(text: str, start: int, end: int) -> tuple[int, int]:
    """`(start, end)` widened so that neither end falls inside a quotation: an end inside one
    moves out to the start (or end) of the sentence the quotation opens (or closes) in. Repeats
    until stable, since a widened end can land inside another quotation. A span that starts or
    ends outside every quotation is returned unchanged."""
    pairs = quotation_pairs(text)
    changed = True
    while changed:
        changed = False
        for opening, after_closing in pairs:
            if opening < start < after_closing:
                widened = min(start, sentence_around(text, opening)[0], opening)
                changed |= widened != start
                start = widened
            if opening < end < after_closing:
                widened = max(end, sentence_around(text, after_closing)[1], after_closing)
                changed |= widened != end
                end = widened
    return start, end
