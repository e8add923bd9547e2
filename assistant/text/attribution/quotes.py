"""Where the quotations of an article are: top-level quotation spans, paragraph by paragraph,
including a quotation that runs on over several paragraphs. Who said them is decided
elsewhere; this module only finds the marks and the words between them.

(assistant.text.quotations pairs quotation marks for citing: nested pairs too, and none across
a line break. Attribution wants the top-level quotation, however many paragraphs it runs over.)"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Quote:
    """A top-level quotation; `used` once a statement has taken it."""

    open_at: int  # the opening mark (or the line start of a continued paragraph)
    start: int  # the first character inside
    end: int  # after the last character inside
    close_at: int  # after the closing mark (== end when the paragraph never closes it)
    used: bool = False


def _opens_straight(line: str, i: int) -> bool:
    """A straight " opens a quotation when it starts a word (after a space, a bracket, a dash
    or a colon); elsewhere it closes one."""
    before = line[i - 1] if i > 0 else " "
    after = line[i + 1] if i + 1 < len(line) else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def find_quotes(text: str) -> list[Quote]:
    """Top-level quotations, paragraph by paragraph. A quotation the paragraph never closes
    runs to the paragraph's end (news reopens it in the next paragraph); a paragraph whose
    first mark closes continues the previous paragraph's open quotation. An opening mark
    right after a sentence ends closes a quotation left open: a missing closing mark is more
    common than a nested quotation that starts a sentence."""
    quotes: list[Quote] = []
    previous_open = False
    for line_match in re.finditer(r"[^\n]+", text):
        line, offset = line_match.group(), line_match.start()
        depth, outer, first_mark = 0, -1, True
        for mark in re.finditer(r"[“”\"]", line):
            i, char = mark.start(), mark.group()
            opening = char == "“" or (char == '"' and _opens_straight(line, i))
            if opening and depth and re.search(r"[.!?…]['’]?\s+$", line[outer:i]):
                end = offset + len(line[:i].rstrip())
                quotes.append(Quote(offset + outer, offset + outer + 1, end, end))
                depth = 0
            if opening:
                outer = i if depth == 0 else outer
                depth += 1
            elif depth:
                depth -= 1
                if depth == 0:
                    quotes.append(
                        Quote(offset + outer, offset + outer + 1, offset + i, offset + i + 1)
                    )
            elif first_mark and previous_open:
                quotes.append(Quote(offset, offset, offset + i, offset + i + 1))
            first_mark = False
        previous_open = depth > 0
        if depth:
            end = offset + len(line.rstrip())
            quotes.append(Quote(offset + outer, offset + outer + 1, end, end))
    for quote in quotes:  # the inside never starts or ends with a space or a trailing comma
        while quote.start < quote.end and text[quote.start].isspace():
            quote.start += 1
        while quote.end > quote.start and text[quote.end - 1] in " \t,":
            quote.end -= 1
    return sorted(quotes, key=lambda q: q.open_at)
