"""Statements set off as whole paragraphs rather than in quotation marks or after a verb: the
paragraphs after one that ends "X said:" (or is "From X:"), and embedded posts signed
"— Name (@handle) Month D, YYYY"."""

from __future__ import annotations

import re

from assistant.text.attribution.drafts import Draft, Drafts, Who
from assistant.text.attribution.layout import Article
from assistant.text.attribution.lexicon import AUX, PUNCTUATION, VERB, list_form
from assistant.text.attribution.phrases import Phrases


class Blocks:
    """Finds the paragraph statements of one article."""

    def __init__(self, article: Article, phrases: Phrases, drafts: Drafts) -> None:
        self.article = article
        self.phrases = phrases
        self.drafts = drafts

    def block_quotes(self) -> None:
        """Paragraphs after one that ends "X said:" (or is "From X:") are X's statement, each
        one, up to a paragraph with quotation marks, an introduction of its own or a heading."""
        for index, (p_start, p_end) in enumerate(self.article.paragraphs):
            line = self.article.text[p_start:p_end].rstrip()
            if not line.endswith(":"):
                continue
            introduced = self._introduction(p_start, line)
            if introduced is None:
                continue
            who, verb = introduced
            self._block(index + 1, verb, who)

    def _introduction(self, p_start: int, line: str) -> tuple[Who, str] | None:
        """Who a paragraph ending in ":" introduces, and the verb it does so with ("" for
        "From X:"); None when it introduces nobody."""
        source = re.fullmatch(r"From ((?:the )?[A-Z][\w’'\-.]*(?:\s+[A-Z][\w’'\-.]*){0,4}):", line)
        if source:
            return {"speaker": source.group(1), "anchor": p_start, "source": None}, ""
        last = None
        for match in VERB.finditer(line):
            last = match
        if not (last and len(line[last.end() :].split()) <= 3):
            return None
        s_start = self.article.sentence_at(p_start + last.start())[0]
        tokens = self.article.tokens(s_start, p_start + last.start())
        while tokens and list_form(tokens[-1][2]) in AUX:
            tokens.pop()
        phrase = None
        if tokens and tokens[-1][2] in PUNCTUATION:
            phrase = self.phrases.phrase_over_appositive(tokens)
        elif tokens:
            phrase = self.phrases.phrase_before(tokens)
        if not phrase:
            return None
        who: Who = {
            "speaker": self.article.text[phrase[0] : phrase[1]],
            "anchor": p_start + last.start(),
            "source": None,
        }
        return who, last.group()

    def _block(self, first: int, verb: str, who: Who) -> None:
        """The paragraphs from index `first` on are `who`'s statements, up to one with
        quotation marks (taken when it opens with one), a heading, or an introduction."""
        text = self.article.text
        for q_start, q_end in self.article.paragraphs[first:]:
            body = text[q_start:q_end]
            quoted = [q for q in self.article.quotes if q_start <= q.open_at < q_end]
            if quoted:
                if quoted[0].open_at == q_start and not quoted[0].used:
                    self.drafts.direct(quoted[0], verb, who)
                break
            if body.rstrip().endswith(":") or len(body.split()) < 8:
                break
            end = q_end - 1 if body.endswith(('"', "”")) else q_end
            self.drafts.add(Draft(q_start, end, verb, "direct", **who))
            if end < q_end:
                break  # the closing mark of the block

    def posts(self) -> None:
        """A paragraph signed "— Name (@handle) Month D, YYYY" is an embedded post: its
        author's statement, unless it reports what someone else said."""
        text = self.article.text
        signature = re.compile(r"\s+—\s+([^()\n]{2,60}?)\s+\(@\w+\)\s+\w+\s+\d{1,2},\s+\d{4}\s*$")
        for p_start, p_end in self.article.paragraphs:
            match = signature.search(text[p_start:p_end])
            if not match:
                continue
            body_end = p_start + match.start()
            if any(p_start <= d.start < body_end for d in self.drafts):
                continue
            text_end = body_end
            link = re.search(
                r"(?:\s*(?:pic\.twitter\.com|https?://)\S+)+\s*$", text[p_start:body_end]
            )
            if link:
                text_end = p_start + link.start()
            start = p_start
            if text[start] in '“"' and text[text_end - 1] in '”"':
                start, text_end = start + 1, text_end - 1
            for quote in self.article.quotes_in(p_start, body_end):
                quote.used = True
            who: Who = {
                "speaker": match.group(1),
                "anchor": p_start + match.start(1),
                "source": None,
            }
            self.drafts.add(Draft(start, text_end, "posted", "direct", **who))
