"""The names an article mentions: every capitalised run outside quotations, with the titles
and roles written beside it ("Arsenal boss Mikel Arteta"), and whether it is a person or an
organisation, team, place or date. Later steps ask it who is a person, which surnames are
known, and which full names a shorter form may stand for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.text.attribution.layout import Article, Token
from assistant.text.attribution.lexicon import (
    FUNCTION_WORDS,
    NAME_JOINERS,
    ORG_NOUNS,
    ORG_WORDS,
    PERSON_NOUNS,
    POSSESSIVE,
    SUFFIXES,
    TITLES,
    VERB,
    is_name,
    is_word,
    list_form,
)


@dataclass
class Name:
    """One mention of a name: where, as written (without titles or owner), whether a person,
    and the role words written with it ("boss", "arsenal")."""

    start: int
    end: int
    text: str
    person: bool
    descriptors: set[str] = field(default_factory=set)


class Names:
    """The name mentions of one article and what they tell about its people."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.mentions: list[Name] = []
        self.surnames: set[str] = set()
        self.full_names: set[str] = set()
        self.person_names: set[str] = set()
        self.full_people: list[list[str]] = []
        self.acronyms: dict[str, str] = {}
        self._collect()

    def _collect(self) -> None:
        """Capitalised runs outside quotations, without titles or owners; a run is a person
        unless it looks like an organisation or place. Single words count as persons when
        they are the surname or first name of one."""
        for p_start, p_end in self.article.paragraphs:
            tokens = self.article.tokens(p_start, p_end)
            k = 0
            while k < len(tokens):
                if not is_name(tokens[k][2]):
                    k += 1
                    continue
                j = k + 1
                while j < len(tokens) and (
                    is_name(tokens[j][2])
                    or list_form(tokens[j][2]) in SUFFIXES
                    or (
                        tokens[j][2] in NAME_JOINERS - {"and"}
                        and j + 1 < len(tokens)
                        and is_name(tokens[j + 1][2])
                    )
                ):
                    j += 1
                self._add_name(tokens, k, j)
                k = j
        people = [n for n in self.mentions if n.person and len(n.text.split()) >= 2]
        self.surnames = {surname_of(n.text) for n in people}
        firsts = {n.text.split()[0] for n in people}
        for name in self.mentions:
            if len(name.text.split()) == 1 and name.text in self.surnames | firsts:
                name.person = True
        self.full_names = {n.text for n in self.mentions if len(n.text.split()) >= 2}
        self.person_names = {n.text for n in self.mentions if n.person}
        # The full names a shorter form can stand for: no organisation word in them.
        self.full_people = [
            full.split()
            for full in sorted(self.full_names)
            if not any(list_form(w) in ORG_WORDS for w in full.split())
        ]
        self.acronyms = {
            m.group(2): re.sub(r"^(?:The|A|An)\s+", "", m.group(1))
            for m in re.finditer(
                r"((?:[A-Z][\w’'-]*\s+){1,6}?[A-Z][\w’'-]*)\s+\(([A-Z]{2,})\)", self.article.text
            )
        }

    def _add_name(self, tokens: list[Token], k: int, j: int) -> None:
        run = tokens[k:j]
        owners = [i for i, t in enumerate(run[:-1]) if POSSESSIVE.search(t[2])]
        if owners:
            run = run[owners[-1] + 1 :]
        words = [t[2] for t in run]
        descriptors: set[str] = set()
        titled = [i for i, w in enumerate(words) if list_form(w) in TITLES]
        if titled and titled[-1] < len(words) - 1:
            descriptors |= {w.lower() for w in words[: titled[-1] + 1]}
            run = run[titled[-1] + 1 :]
            words = words[titled[-1] + 1 :]
        while run and words[0] in NAME_JOINERS:
            run, words = run[1:], words[1:]
        if not run:
            return
        # the role words just before the name: "Arsenal boss Mikel Arteta"
        if k > 0 and list_form(tokens[k - 1][2]) in TITLES | PERSON_NOUNS:
            before = k - 1
            while (
                before >= 0
                and k - before <= 3
                and is_word(tokens[before][2])
                and list_form(tokens[before][2]) not in FUNCTION_WORDS
                and not VERB.fullmatch(tokens[before][2])
            ):
                descriptors.add(tokens[before][2].lower())
                before -= 1
        end = run[-1][1]
        # "In Ellison’s telling": the name is "Ellison".
        owner = POSSESSIVE.search(words[-1])
        if owner and len(words[-1]) > len(owner.group()):
            end -= len(owner.group()) - (1 if owner.group()[0] == "s" else 0)
        appositive = re.match(r",\s+([^,.;]+?),", self.article.blank[end : end + 100])
        if appositive and re.search(
            r"\b(?:" + "|".join(TITLES | PERSON_NOUNS) + r")\b|\d+-year-old",
            appositive.group(1).lower(),
        ):
            descriptors |= {w.lower() for w in re.findall(r"[\w-]+", appositive.group(1))}
        text = self.article.text[run[0][0] : end]
        previous = list_form(tokens[k - 1][2]) if k > 0 else ""
        org = (
            any(list_form(w) in ORG_WORDS for w in words)
            or (len(words) == 1 and words[0].isupper())
            or any(w.isupper() and len(w) > 1 and list_form(w) not in SUFFIXES for w in words[1:])
            or previous in {"the", "at", "in", "from", "of", "on", "near", "into"}
            or previous in ORG_NOUNS
            or any(ch.isdigit() for ch in text)
        )
        person = not org and (len(words) in (2, 3, 4) or bool(descriptors))
        self.mentions.append(Name(run[0][0], end, text, person, descriptors))

    def is_person(self, name: str) -> bool:
        """Whether `name` is a person of this article, by its full name or its surname."""
        return name in self.person_names or name in self.surnames


def surname_of(name: str) -> str:
    """The last word of a name, past any "Jr." or "III"."""
    words = [w for w in name.split() if list_form(w) not in SUFFIXES]
    return words[-1] if words else name
