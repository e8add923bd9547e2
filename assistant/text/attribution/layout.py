"""The layout of one article as attribution reads it: its quotations, the text with those
quotations blanked out, its paragraphs and sentences, and its tokens. Built once per article
and read by every other step; nothing here decides who said what."""

from __future__ import annotations

import bisect
import re

from assistant.text.attribution.lexicon import QUOTED, TOKEN
from assistant.text.attribution.quotes import Quote, find_quotes
from assistant.text.sentences import split_sentences

Token = tuple[int, int, str]


class Article:
    """`text` with its quotations, paragraphs and sentences located."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.quotes = find_quotes(text)
        self.quote_opens = [q.open_at for q in self.quotes]
        chars = list(text)
        self.inside = [False] * (len(text) + 1)
        for quote in self.quotes:
            for i in range(quote.open_at, quote.close_at):
                self.inside[i] = True
                chars[i] = "_"
        # The text with quotations blanked out (same length): their commas and names are
        # not the surrounding sentence's.
        self.blank = "".join(chars)
        self.paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
        self.paragraph_starts = [p[0] for p in self.paragraphs]
        self.sentences = self._sentences()
        self.sentence_starts = [s[0] for s in self.sentences]

    def _sentences(self) -> list[tuple[int, int]]:
        """split_sentences, rejoined where a boundary falls inside a quotation: a quotation of
        several sentences and its attribution are one unit here."""
        merged: list[tuple[int, int]] = []
        for sentence in split_sentences(self.text, max_chars=len(self.text) + 1):
            if (
                merged
                and self.inside[sentence.start - 1]
                and "\n" not in self.text[merged[-1][1] : sentence.start]
            ):
                merged[-1] = (merged[-1][0], sentence.end)
            else:
                merged.append((sentence.start, sentence.end))
        return merged

    def sentence_at(self, pos: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self.sentence_starts, pos) - 1, 0)
        return self.sentences[i] if self.sentences else (0, len(self.text))

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(self.paragraph_starts, pos) - 1, 0)
        return self.paragraphs[i] if self.paragraphs else (0, len(self.text))

    def quotes_in(self, lo: int, hi: int) -> list[Quote]:
        """The quotations that open in [lo, hi)."""
        i = bisect.bisect_left(self.quote_opens, lo)
        j = bisect.bisect_left(self.quote_opens, hi)
        return self.quotes[i:j]

    def tokens(self, start: int, end: int) -> list[Token]:
        """Words and punctuation of `text[start:end]`; a quotation is one QUOTED token."""
        return [
            (start + m.start(), start + m.end(), QUOTED if m.group()[0] == "_" else m.group())
            for m in TOKEN.finditer(self.blank[start:end])
        ]
