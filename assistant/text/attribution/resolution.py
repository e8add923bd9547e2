"""Speaker resolution: from the speaker as written beside each statement to the speaker
reported. A pronoun goes to the person who spoke or was named last before it ("he", "she")
or to the organisation that spoke last ("it"); a description ("the Chelsea boss") to the
person introduced with those words; a statement that continues another takes that one's
speaker; and every name gets its canonical form."""

from __future__ import annotations

import re

from assistant.text.attribution.canonical import CanonicalNames
from assistant.text.attribution.drafts import Draft, Drafts
from assistant.text.attribution.layout import Article
from assistant.text.attribution.lexicon import (
    DEMONYM,
    NAME_JOINERS,
    ORG_WORDS,
    PERSON_NOUNS,
    PRONOUNS,
    TITLES,
    is_name,
    list_form,
)
from assistant.text.attribution.names import Name, Names
from assistant.text.attribution.statement import Statement

_POSSESSIVE_END = re.compile(r"(?:['’]s|(?<=s)['’])$")
# An aside in brackets: "(There was a staff revolt, according to Michael Lewis’ Going Infinite.)"
_ASIDE = re.compile(r"\([^()\n]*\)")
# A name that owns what follows it ("Altman’s ouster"), and one verb between two names
# ("Sutskever defended Altman’s …").
_OWNER_AFTER = re.compile(r"['’]s\b")
_ONE_VERB = re.compile(r" [a-z]+(?:ed|s) ")


class Resolver:
    """Resolves the speakers of one article's drafts."""

    def __init__(self, article: Article, names: Names, drafts: Drafts) -> None:
        self.article = article
        self.names = names
        self.drafts = drafts
        self.canonical_names = CanonicalNames(names)
        self.asides = [(m.start(), m.end()) for m in _ASIDE.finditer(article.text)]

    def resolve(self) -> list[Statement]:
        """The statements whose speaker resolves, in text order."""
        self.drafts.items.sort(key=lambda d: (d.start, d.end))
        for draft in sorted(self.drafts, key=lambda d: d.anchor):
            self._resolve_one(draft)
        return [
            Statement(d.resolved, d.canonical, d.start, d.end, d.verb, d.kind)
            for d in self.drafts
            if d.resolved
        ]

    def _resolve_one(self, draft: Draft, depth: int = 0) -> None:
        """Set the speaker of `draft`; one that continues another takes that one's."""
        if draft.resolved or depth > 50:
            return
        if draft.source is not None:
            self._resolve_one(draft.source, depth + 1)
            draft.resolved, draft.canonical = draft.source.resolved, draft.source.canonical
            draft.person = draft.source.person
            return
        raw = re.sub(r"\s+", " ", draft.speaker).strip()
        if re.search(r"\w{3}\.$", raw):
            raw = raw[:-1]
        # "according to the company's own report", "according to Michael Lewis' book": the
        # owner is the speaker.
        raw = _POSSESSIVE_END.sub("", raw)
        if raw.lower() in PRONOUNS:
            self._resolve_pronoun(draft, raw.lower())
        else:
            self._resolve_phrase(draft, raw)

    def _resolve_pronoun(self, draft: Draft, low: str) -> None:
        """A pronoun: "he" or "she" to a person, "it" to an organisation; "they" to nobody
        (the statement is dropped)."""
        if low in {"he", "she"}:
            found = self._antecedent(self._pronoun_at(draft))
            if found:
                draft.resolved, draft.person = found, True
                draft.canonical = self.canonical_names.canonical(found, draft.anchor)
        elif low == "it":
            org = self._last_org_speaker(draft.anchor)
            if org:
                draft.resolved, draft.canonical = org.resolved, org.canonical

    def _pronoun_at(self, draft: Draft) -> int:
        """Where the draft's pronoun is written: the last one before its attribution in its
        sentence ("He dismissed suggestions that pushing Altman out amounted to …, and
        claimed …": the names after "He" are not who "He" is)."""
        start, _ = self.article.sentence_at(draft.anchor)
        pronoun = re.compile(rf"\b{re.escape(draft.speaker.strip())}\b")
        written = [m.start() for m in pronoun.finditer(self.article.text, start, draft.anchor)]
        return written[-1] if written else draft.anchor

    def _resolve_phrase(self, draft: Draft, raw: str) -> None:
        """A name or a description. A description of a person ("the Chelsea boss") keeps its
        words and takes the canonical name of the person it describes; anything else is its own
        speaker, without its titles."""
        low = raw.lower()
        words = raw.split()
        if not words:
            return
        head = list_form(words[-1])
        singular = head in PERSON_NOUNS and not re.search(r"[^su]s$", head)
        described = (
            singular and words[-1].islower() and list_form(words[0]) not in {"a", "an", "one"}
        ) or (low.startswith("the ") and len(words) == 2 and bool(DEMONYM.search(low)))
        if described:
            person = self._described_person(raw, draft.anchor)
            if person:
                draft.resolved, draft.person = raw, True
                draft.canonical = self.canonical_names.canonical(person)
                return
        name = self._strip_title(raw)
        draft.resolved, draft.canonical = name, self.canonical_names.canonical(name, draft.anchor)
        draft.person = (
            singular or self.names.is_person(name) or self.names.is_person(draft.canonical)
        ) and not any(list_form(w) in ORG_WORDS for w in words)

    @staticmethod
    def _strip_title(raw: str) -> str:
        """A name without the titles written before it ("NATO chief Jens Stoltenberg" ->
        "Jens Stoltenberg"); anything else unchanged."""
        words = raw.split()
        titled = [k for k, w in enumerate(words) if list_form(w) in TITLES]
        if (
            titled
            and titled[-1] < len(words) - 1
            and all(is_name(w) or w in NAME_JOINERS for w in words)
        ):
            words = words[titled[-1] + 1 :]
        return " ".join(words)

    def _antecedent(self, pos: int) -> str | None:
        """Who "he" or "she" at `pos` is: the last person who spoke earlier in the same
        paragraph, else the last person named or heard before it. Who an aside in brackets
        names or quotes is not who the text goes on about: a pronoun after it skips it."""
        p_start, _ = self.article.paragraph_at(pos)
        spoken = [
            d
            for d in self.drafts
            if p_start <= d.anchor < pos
            and d.resolved
            and d.person
            and self._in_thread(d.anchor, pos)
        ]
        if spoken:
            return max(spoken, key=lambda d: d.anchor).resolved
        best: tuple[int, str] | None = None
        last_named: Name | None = None
        for name in self.names.mentions:
            if (
                name.person
                and name.end <= pos
                and (best is None or name.start > best[0])
                and self._in_thread(name.start, pos)
            ):
                best, last_named = (name.start, name.text), name
        actor = self._actor_on(last_named) if last_named is not None else None
        if actor is not None:
            best = (actor.start, actor.text)
        for draft in self.drafts:
            if (
                draft.person
                and draft.resolved
                and draft.anchor < pos
                and (best is None or draft.anchor > best[0])
                and self._in_thread(draft.anchor, pos)
            ):
                best = (draft.anchor, draft.resolved)
        if best and best[0] < p_start and self._org_spoke(p_start, pos):
            # "The Kremlin denies any intention to invade … He argues that …": a paragraph
            # that an organisation speaks in, with no person before the pronoun, is about
            # someone the text never names (its leader), not the person of an earlier one.
            return None
        return best[1] if best else None

    def _org_spoke(self, start: int, pos: int) -> bool:
        """Whether an organisation spoke in `text[start:pos]`."""
        return any(start <= d.anchor < pos and d.resolved and not d.person for d in self.drafts)

    def _actor_on(self, owner: Name) -> Name | None:
        """For a name written as an owner right after a person and a verb ("Sutskever
        defended Altman’s ouster. He …"): that person, the one acting, whom a "he" after it
        is about. None for any other name."""
        if not _OWNER_AFTER.match(self.article.text, owner.end):
            return None
        for name in self.names.mentions:
            if name.person and _ONE_VERB.fullmatch(self.article.text, name.end, owner.start):
                return name
        return None

    def _in_thread(self, at: int, pos: int) -> bool:
        """Whether what is at `at` can be what a pronoun at `pos` points back to: not inside an
        aside in brackets that `pos` is outside of."""
        return not any(start <= at < end and not start <= pos < end for start, end in self.asides)

    def _last_org_speaker(self, pos: int) -> Draft | None:
        """Who "it" at `pos` is: the organisation that spoke last before it, in its paragraph
        or the one before."""
        p_start, _ = self.article.paragraph_at(pos)
        index = self.article.paragraph_starts.index(p_start)
        lo = self.article.paragraphs[index - 1][0] if index else p_start
        orgs = [d for d in self.drafts if lo <= d.anchor < pos and d.resolved and not d.person]
        return max(orgs, key=lambda d: d.anchor) if orgs else None

    def _described_person(self, description: str, pos: int) -> str | None:
        """For "the Chelsea boss": the person introduced with the most of those words (a proper
        noun counts double), the nearest one on a tie; with no word shared, the last person
        who spoke."""
        wanted = [w for w in re.findall(r"[\w-]+", description.lower()) if w != "the"]
        proper = {w.lower() for w in re.findall(r"\b[A-Z][\w-]*", description)}
        best, best_score = None, 0
        later = None  # a headline names its speaker only after it
        for name in self.names.mentions:
            if not name.person:
                continue
            score = sum(2 if w in proper else 1 for w in wanted if w in name.descriptors)
            if score and name.start >= pos and later is None:
                later = name.text
            elif score and score >= best_score and name.start < pos:
                best, best_score = name.text, score
        return best or later or self._antecedent(pos)
