"""Reported clauses: what a speech verb says when it is not a quotation just before it. Finds
where the content after a verb starts (past "that", past whom it was told), where a reported
clause ends (the sentence end, or where the next attribution begins), and where a clause
before an attribution starts; adds the statement when it is long enough to be one."""

from __future__ import annotations

import re

from assistant.text.attribution.drafts import Draft, Drafts, Who
from assistant.text.attribution.layout import Article
from assistant.text.attribution.lexicon import (
    AUX,
    CALLING,
    CIRCUMSTANCE,
    CLAUSE_MIN_WORDS,
    CONNECTIVES,
    OBJECT_MIN_WORDS,
    OBJECT_VERBS,
    PARTICIPLES,
    PASSIVE,
    SAY_VERBS,
    TELLING,
    VERB,
    list_form,
)
from assistant.text.attribution.phrases import Phrases


class Clauses:
    """The extent of reported clauses in one article."""

    def __init__(self, article: Article, phrases: Phrases, drafts: Drafts) -> None:
        self.article = article
        self.phrases = phrases
        self.drafts = drafts

    def clause_start(self, s_start: int, limit: int) -> int:
        """Where a statement ending at `limit` starts: after the last statement in the
        sentence, else at the sentence start."""
        text = self.article.text
        start = s_start
        for draft in self.drafts:
            if s_start <= draft.end <= limit:
                start = max(start, draft.end + 1)
        while start < limit and not (text[start].isalnum() or text[start] in '“"‘'):
            start += 1
        return start

    def trim_end(self, start: int, end: int) -> int:
        """`end` moved back past trailing punctuation and a sentence's final stop (not one
        inside a quotation)."""
        text = self.article.text
        while end > start and text[end - 1] in " ,;:—–-":
            end -= 1
        if end > start and text[end - 1] in ".!?" and not self.article.inside[end - 1]:
            end -= 1
        return end

    def content_after(self, end: int, s_end: int, verb: str, who: Who) -> None:
        """The statement after the verb ending at `end`: a quotation that makes up the rest of
        the clause, or the reported clause itself when it is long enough to be a statement."""
        pos = self._content_start(end, s_end, verb)
        if pos is None:
            return
        content_end = self.content_end(pos, s_end)
        for quote in self.article.quotes_in(pos, pos + 1):
            if not re.search(r"\w", self.article.blank[quote.close_at : content_end]):
                self.drafts.direct(quote, verb, who)
                return
        if not self._is_statement(verb, self.article.text[pos:content_end]):
            return
        for quote in self.article.quotes_in(pos, content_end):
            quote.used = True
        self.drafts.add(Draft(pos, content_end, verb, "reported", **who))

    def _content_start(self, end: int, s_end: int, verb: str) -> int | None:
        """Where what was said starts after the verb ending at `end`: past whom it was told
        and past "that"; None when the verb says nothing here ("called for", "told" with
        nobody told)."""
        text = self.article.text
        pos = end
        if verb in TELLING:
            obj = re.match(
                r"\s+(?:(?:me|us|him|her|them|you|reporters|journalists)\b|(?:the\s+)?"
                r"(?:[A-Z][\w’'\-.]*\s+){0,3}[A-Z][\w’'\-.]*)",
                self.article.blank[pos:s_end],
            )
            if not obj:
                return None
            pos += obj.end()
        rest = self.article.blank[pos:s_end]
        that = re.match(r"((?:\s+[\w’'\-.]+){0,14}?)\s+that\b", rest)
        # "said at the time that", "revealed in his press conference ... that"; not the
        # "that" of "it will take that step"
        lead = that.group(1).split() if that else []
        if (
            that
            and verb not in OBJECT_VERBS
            and (not lead or lead[0].lower() in CIRCUMSTANCE or lead[0][0].isupper())
        ):
            pos += that.end()
        elif verb in CALLING and re.match(r"\s+(?:for|on|off|up|out|in|it|to)\b", rest):
            return None
        while pos < s_end and text[pos] in " ,:":
            pos += 1
        if pos >= s_end:
            return None
        return pos

    @staticmethod
    def _is_statement(verb: str, content: str) -> bool:
        """Whether `content`, after `verb`, is long and shaped enough to be what was said."""
        words = len(content.split())
        if verb in OBJECT_VERBS:
            needed = OBJECT_MIN_WORDS
            if verb.startswith("describ") and not re.search(r"\bas\b", content):
                return False
            if verb in CALLING and words > 4 and not re.search(r"[“\"‘]|\bas\b", content):
                return False
        else:
            needed = CLAUSE_MIN_WORDS
        if words < needed or re.match(r"(?:to|up)\s", content):
            return False
        # "Goodman added 0.5 per cent": a gain, not a remark
        return not (verb.startswith("add") and re.match(r"[\d$€£%]", content))

    def content_end(self, pos: int, s_end: int) -> int:
        """The end of a reported clause: the sentence end, or where the next attribution in
        the sentence begins (", adding", " and added", ", while Arteta said")."""
        blank = self.article.blank[pos:s_end]
        verbs = sorted(PARTICIPLES | {"according to"} | SAY_VERBS, key=len, reverse=True)
        stop = re.search(
            r"(?:,\s*|(?<=_)\s+|\s+(?:and|but)\s+(?:(?:he|she|they|has|had|have|also|then|later)\s+)*)(?="
            + "|".join(re.escape(v) for v in verbs)
            + r"\b)",
            blank,
        )
        end = self._before_second_speaker(pos, pos + stop.start() if stop else s_end)
        for quote in self.article.quotes_in(pos, end):  # a quotation the clause opens ends in it
            if end < quote.close_at:
                end = quote.close_at
        return self.trim_end(pos, end)

    def _before_second_speaker(self, pos: int, end: int) -> int:
        """`end`, or earlier where a second speaker's attribution starts in `[pos, end)`."""
        tokens_of = self.article.tokens
        for match in VERB.finditer(self.article.blank, pos, end):
            # a second speaker: the clause ends before "…, while Arteta said"
            tokens = tokens_of(pos, match.start())
            while tokens and list_form(tokens[-1][2]) in AUX:
                tokens.pop()
            if len(tokens) < 3 or list_form(tokens[-1][2]) in PASSIVE:
                continue
            phrase = self.phrases.phrase_before(tokens)
            if phrase is None or (phrase[2] == "pronoun" and phrase[0] == tokens[0][0]):
                continue
            before = tokens_of(pos, phrase[0])
            if before and (before[-1][2] == "," or list_form(before[-1][2]) in CONNECTIVES):
                end = phrase[0]
                while tokens_of(pos, end) and (
                    tokens_of(pos, end)[-1][2] == ","
                    or list_form(tokens_of(pos, end)[-1][2]) in CONNECTIVES
                ):
                    end = tokens_of(pos, end)[-1][0]
                break
        return end
