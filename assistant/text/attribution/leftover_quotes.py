"""Quotations without a speech verb of their own, once every verb has taken its quotation: a
pull quote signed with a name, a quotation that continues the statement before it, or one
spoken by the person the paragraph before just introduced."""

from __future__ import annotations

import re

from assistant.text.attribution.drafts import Drafts, Who
from assistant.text.attribution.layout import Article
from assistant.text.attribution.names import Names
from assistant.text.attribution.phrases import Phrases
from assistant.text.attribution.quotes import Quote


class LeftoverQuotes:
    """Gives the leftover quotations of one article a speaker."""

    def __init__(self, article: Article, phrases: Phrases, names: Names, drafts: Drafts) -> None:
        self.article = article
        self.phrases = phrases
        self.names = names
        self.drafts = drafts

    def run(self) -> None:
        """A quotation nobody was attached to that opens a sentence: a pull quote signed with
        a name; else the speaker of the statement it continues (earlier in its paragraph, or
        the previous paragraph's quotation); else the person the paragraph just introduced."""
        for quote in self.article.quotes:
            if quote.used:
                continue
            who = self._speaker_of(quote)
            if who is not None:
                self.drafts.direct(quote, "", who)

    def _speaker_of(self, quote: Quote) -> Who | None:
        text = self.article.text
        p_start, p_end = self.article.paragraph_at(quote.open_at)
        s_start, _ = self.article.sentence_at(quote.open_at)
        if re.search(r"\w", self.article.blank[s_start : quote.open_at]):
            return None  # inside a sentence: a title, a term, a scare quote
        signed = re.fullmatch(
            r"\s*(?:[—–-]\s*)?((?:[A-Z][\w’'\-.]*\s+){1,3}[A-Z][\w’'\-.]*)\s*",
            text[quote.close_at : p_end],
        )
        if signed and quote.close_at < p_end:
            return {"speaker": signed.group(1), "anchor": quote.close_at, "source": None}
        earlier = [d for d in self.drafts if p_start <= d.start < quote.open_at]
        if earlier:
            source = max(earlier, key=lambda d: d.start)
            return {"speaker": "", "anchor": quote.open_at, "source": source}
        index = self.article.paragraph_starts.index(p_start)
        if quote.open_at == p_start and index:
            who = self._from_previous_paragraph(quote, index - 1)
            if who is not None:
                return who
        if len(text[quote.start : quote.end].split()) < 3:
            return None
        person = self._nearest_person(quote.open_at, p_start)
        if person is not None:
            return {"speaker": person[1], "anchor": person[0], "source": None}
        return None

    def _from_previous_paragraph(self, quote: Quote, previous: int) -> Who | None:
        """For a quotation that opens its paragraph: the speaker of the paragraph before
        (number `previous`) when that ended with a quotation, or the person it introduced in
        a single sentence."""
        prev_start, prev_end = self.article.paragraphs[previous]
        last = [d for d in self.drafts if prev_start <= d.start < prev_end]
        if last and max(last, key=lambda d: d.start).kind == "direct":
            source = max(last, key=lambda d: d.start)
            return {"speaker": "", "anchor": quote.open_at, "source": source}
        if (
            not last
            and len([s for s in self.article.sentences if prev_start <= s[0] < prev_end]) == 1
        ):
            subject = self.phrases.subject_at_start(prev_start, prev_end)
            if subject and subject[2] in ("name", "pronoun"):
                name = self.article.text[subject[0] : subject[1]]
                if subject[2] == "pronoun" or self.names.is_person(name):
                    return {"speaker": name, "anchor": subject[0], "source": None}
        return None

    def _nearest_person(self, pos: int, lo: int) -> tuple[int, str] | None:
        """The last person named (or referred to as he or she) between `lo` and `pos`."""
        best = None
        for name in self.names.mentions:
            if lo <= name.start and name.end <= pos and name.person:
                best = (name.start, name.text)
        for m in re.finditer(r"\b(?:he|she|He|She)\b", self.article.blank[lo:pos]):
            if best is None or lo + m.start() > best[0]:
                best = (lo + m.start(), m.group())
        return best
