"""Speech verbs outside quotations ("said", "told", "warned", "pointed out"): whether each one
attributes, who its speaker is (the noun phrase before it, the one after it when inverted,
or the speaker of the statement it continues), and which statement it attaches to: the
quotation just before it (“…,” X said), the clause before an inverted speaker (CLAUSE, says
X), or the content after it (X said that …)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.attribution.drafts import Draft, Who
from assistant.text.attribution.lexicon import (
    AUX,
    CIRCUMSTANCE,
    CLAUSE_MIN_WORDS,
    CONNECTIVES,
    INVERTIBLE,
    OBJECT_PRONOUNS,
    PARTICIPLES,
    PASSIVE,
    PUNCTUATION,
    QUOTED,
    RELATIVES,
    TELLING,
    VERB,
    list_form,
)
from assistant.text.attribution.passes import MatchPass
from assistant.text.attribution.phrases import Phrase
from assistant.text.attribution.quotes import Quote


@dataclass(frozen=True)
class _Verb:
    """A speech verb and the sentence it is in."""

    text: str  # as written
    start: int
    end: int
    s_start: int
    s_end: int


class SpeechVerbs(MatchPass):
    """Attributes the speech verbs of one article."""

    pattern = VERB

    def attribute(self, start: int, end: int) -> None:
        """The statement of the verb at `text[start:end]`, when it is an attribution."""
        s_start, s_end = self.article.sentence_at(start)
        verb = _Verb(self.article.text[start:end], start, end, s_start, s_end)
        lo, quote_before = self._quote_before(verb)
        subject = self._subject(verb, lo)
        if subject is None:
            return
        speaker, inherit, inverted = subject
        if speaker is None and not inherit and quote_before is not None and lo > s_start:
            # the quotation sat inside an appositive: "Lewis — his books include “…” — said"
            whole = self.article.tokens(s_start, start)
            while whole and list_form(whole[-1][2]) in AUX:
                whole.pop()
            if whole and whole[-1][2] in PUNCTUATION - {QUOTED}:
                speaker = self.phrases.phrase_over_appositive(whole)
                quote_before = None
        source = None
        if inherit:
            source = self._previous_in_sentence(start, s_start)
            if source is None:
                speaker = self.phrases.subject_at_start(s_start, start)
        if source is None and speaker is None:
            return
        who: Who = {
            "speaker": self.article.text[speaker[0] : speaker[1]] if speaker else "",
            "anchor": speaker[0] if speaker and inverted else start,
            "source": source,
        }
        self._attach(verb, quote_before, who, speaker[1] if inverted and speaker else None)

    def _quote_before(self, verb: _Verb) -> tuple[int, Quote | None]:
        """Where the words before the verb start (after a quotation that closed just before
        it in its sentence, else at the sentence start), and that quotation."""
        lo, quote_before, previous_sentence = verb.s_start, None, False
        for quote in self.article.quotes_in(self.article.paragraph_at(verb.start)[0], verb.start):
            if quote.close_at > verb.start:
                continue
            if verb.s_start <= quote.open_at:
                lo, quote_before, previous_sentence = quote.close_at, quote, False
            elif quote.close_at <= verb.s_start and re.fullmatch(
                r"[ \t]*", self.article.text[quote.close_at : verb.s_start]
            ):
                # The splitter ends a sentence after “…?” even when the attribution follows
                # ("“…?” Lewis recounted."); a clause after the verb says otherwise below.
                lo, quote_before, previous_sentence = quote.close_at, quote, True
        if (
            previous_sentence
            and quote_before is not None
            and not self._only_circumstance(verb.text, self.article.blank[verb.end : verb.s_end])
        ):
            lo, quote_before = verb.s_start, None
        return lo, quote_before

    def _subject(self, verb: _Verb, lo: int) -> tuple[Phrase | None, bool, bool] | None:
        """(speaker phrase, whether the verb continues an earlier speaker of its sentence,
        whether the speaker follows the verb), from the words in `[lo, verb)`; None when the
        verb is no attribution here."""
        tokens = self.article.tokens(lo, verb.start)
        while tokens and list_form(tokens[-1][2]) in AUX:
            tokens.pop()
        progressive = False
        if (
            verb.text in PARTICIPLES
            and tokens
            and list_form(tokens[-1][2]) in PASSIVE - {"been", "be"}
        ):
            tokens.pop()  # "Dunlop is promising": a finite verb after all
            progressive = True
        elif tokens and list_form(tokens[-1][2]) in PASSIVE:
            return None  # "was accused of": no speaker named here
        last = list_form(tokens[-1][2]) if tokens else ""
        speaker: Phrase | None = None
        inherit = False
        inverted = False
        if verb.text in PARTICIPLES and not progressive:
            if last not in {",", QUOTED}:
                return None  # "on the verge of adding", "By simply saying": not attributions
            inherit = True
        elif last in CONNECTIVES:
            inherit = True  # "Pochettino ... and says"; "... although admitted"
        elif last in RELATIVES:
            before = tokens[:-1]
            while before and before[-1][2] in PUNCTUATION:
                before.pop()
            speaker = self.phrases.phrase_over_appositive(before) if before else None
            if speaker is None and before:
                speaker = self.phrases.phrase_before(before)
        elif not tokens or last == ",":
            after = (
                self.phrases.phrase_after(verb.end, verb.s_end) if verb.text in INVERTIBLE else None
            )
            if after and self._ends_clause(after[1], verb.s_end):
                speaker, inverted = after, True
            elif tokens:
                speaker = self.phrases.phrase_over_appositive(tokens)
        elif last in PUNCTUATION:
            speaker = self.phrases.phrase_over_appositive(tokens)
        else:
            speaker = self.phrases.phrase_before(tokens)
        return speaker, inherit, inverted

    def _attach(
        self, verb: _Verb, quote_before: Quote | None, who: Who, inverted_end: int | None
    ) -> None:
        """Add the statement the verb attributes to `who`. `inverted_end` is the end of a
        speaker that follows the verb ("said Arteta"), None when the speaker precedes it."""
        text, blank = self.article.text, self.article.blank
        # “…,” X said / “…,” said X: the quotation just before is the statement.
        if (
            quote_before is not None
            and not re.search(r"(?<![A-Z])[.!?]\s", blank[quote_before.close_at : verb.start])
            and len(text[quote_before.close_at : verb.start].split()) <= 30
            and not quote_before.used
        ):
            self.drafts.direct(quote_before, verb.text, who)
            after = inverted_end if inverted_end is not None else verb.end
            self._split_continuation(after, verb.s_end, verb.text, who)
            return
        if inverted_end is not None:  # CLAUSE, says X, a partner at Y.
            clause_start = self.clauses.clause_start(verb.s_start, verb.start)
            clause_end = self.clauses.trim_end(clause_start, verb.start)
            if len(text[clause_start:clause_end].split()) >= CLAUSE_MIN_WORDS:
                self.drafts.add(Draft(clause_start, clause_end, verb.text, "reported", **who))
            return
        self.clauses.content_after(verb.end, verb.s_end, verb.text, who)

    @staticmethod
    def _only_circumstance(verb: str, rest: str) -> bool:
        """Whether what follows a verb is only when, where or to whom it was said ("Lewis
        recounted.", "said ahead of a meeting", "told The Age on Sunday"), not a clause."""
        words = re.findall(r"[\w’'-]+", rest)
        if verb in TELLING and words and (words[0][0].isupper() or words[0] in OBJECT_PRONOUNS):
            while words and (words[0][0].isupper() or words[0] in OBJECT_PRONOUNS):
                words = words[1:]
        return not words or words[0].lower() in CIRCUMSTANCE

    def _ends_clause(self, pos: int, s_end: int) -> bool:
        """An inverted speaker ends its clause: "says Jon Turow, a partner", "said Arteta."."""
        rest = self.article.blank[pos:s_end]
        return bool(
            re.match(
                r"\s*(?:[,.;:!?)—–]|\(|$|\s(?:in|on|at|of|as|during|who|after|before|when|while|per)\b)",
                rest,
            )
        )

    def _previous_in_sentence(self, pos: int, s_start: int) -> Draft | None:
        """The statement attributed last before `pos` in its sentence: the one a participle or
        a connective ("…, adding", "and says") continues."""
        before = [d for d in self.drafts if s_start <= d.anchor < pos]
        return max(before, key=lambda d: d.anchor) if before else None

    def _split_continuation(self, pos: int, s_end: int, verb: str, who: Who) -> None:
        """“…,” X said, “…”: the second half belongs to X too."""
        gap = re.match(r"[ ,:;]*", self.article.text[pos:s_end])
        after = pos + (gap.end() if gap else 0)
        for quote in self.article.quotes_in(after, after + 1):
            if after > pos and not quote.used:
                self.drafts.direct(quote, verb, who)
