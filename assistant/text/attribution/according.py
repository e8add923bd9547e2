"""Attribution by "according to": "According to X, CLAUSE", "CLAUSE, according to X", and
"The effect, according to X, has been positive". X is the speaker phrase after it, or a name
set off by a comma at the sentence end ("according to executive GM of marketing at the Swans,
Loretta Johns")."""

from __future__ import annotations

import re

from assistant.text.attribution.drafts import Draft, Who
from assistant.text.attribution.lexicon import ACCORDING, CLAUSE_MIN_WORDS
from assistant.text.attribution.passes import MatchPass


class According(MatchPass):
    """Attributes the "according to" phrases of one article."""

    pattern = ACCORDING

    def attribute(self, start: int, end: int) -> None:
        """The statement that "according to" at `text[start:end]` attributes: the clause after
        "According to X," or the clause around ", according to X"."""
        text, blank = self.article.text, self.article.blank
        s_start, s_end = self.article.sentence_at(start)
        found = self.phrases.phrase_after(end, s_end)
        after_end = found[1] if found else end
        # "according to executive GM of marketing at the Swans, Loretta Johns."
        named = re.match(
            r"[^,.;]*,\s+((?:[A-Z][\w’'\-.]*\s+){0,3}[A-Z][\w’'\-.]*)\s*[.!?]?\s*$",
            blank[end:s_end],
        )
        if named and (
            found is None or re.search(r"\b[a-z]{3,}\b", blank[found[1] : end + named.start(1)])
        ):
            found = (end + named.start(1), end + named.end(1), "name")
            after_end = s_end
        if found is None:
            return
        who: Who = {"speaker": text[found[0] : found[1]], "anchor": start, "source": None}
        lead = blank[s_start:start]
        if not re.search(r"\w", lead):  # According to X, CLAUSE.
            comma = blank.find(",", found[1], s_end)
            if comma < 0:
                return
            clause_start = comma + 1
            while clause_start < s_end and text[clause_start].isspace():
                clause_start += 1
            clause_end = self.clauses.content_end(clause_start, s_end)
        else:
            if any(s_start <= d.anchor < start for d in self.drafts):
                return  # "“…,” wrote Diller, according to Bloomberg": the source of a source
            clause_start = self.clauses.clause_start(s_start, start)
            trailing = blank[after_end:s_end]
            if re.match(r"\s*[.!?]?\s*$", trailing):  # CLAUSE, according to X.
                clause_end = self.clauses.trim_end(clause_start, start)
            else:  # "The effect, according to Livingstone, has been positive."
                clause_end = self.clauses.trim_end(clause_start, s_end)
        if len(text[clause_start:clause_end].split()) >= CLAUSE_MIN_WORDS:
            self.drafts.add(Draft(clause_start, clause_end, "according to", "reported", **who))
