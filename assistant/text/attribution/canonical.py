"""Canonical names across an article: the fullest form of each speaker's name that the article
uses ("Stoltenberg" -> "Jens Stoltenberg", an acronym -> what it stands for), so that every
statement of one speaker is grouped under one name."""

from __future__ import annotations

import re

from assistant.text.attribution.lexicon import NAME_JOINERS, SUFFIXES, is_name, list_form
from assistant.text.attribution.names import Names, surname_of


class CanonicalNames:
    """The fullest form of a name in one article, remembered once it is certain."""

    def __init__(self, names: Names) -> None:
        self.names = names
        self.cache: dict[str, str] = {}

    def canonical(self, name: str, pos: int = 0) -> str:
        """The fullest form of `name` in the article: "Stoltenberg" -> "Jens Stoltenberg",
        "BEUC" -> "European Consumer Organisation"; "A and B" part by part. Two people with
        one surname: the one named last before `pos`. A long run that ends with a name the
        article also uses on its own is cut to that name ("First-year Magpie Oleg Markov" ->
        "Oleg Markov")."""
        parts = re.split(r"\s+and\s+", name)
        if len(parts) > 1 and all(p[:1].isupper() for p in parts):
            return " and ".join(self.canonical(p, pos) for p in parts)
        if name in self.names.acronyms:
            return self.names.acronyms[name]
        words = name.split()
        if not words or not all(
            is_name(w) or w in NAME_JOINERS or list_form(w) in SUFFIXES for w in words
        ):
            return name
        if name in self.cache:
            return self.cache[name]
        best = self.shortened(name)
        if best != name:
            self.cache[name] = best
            return best
        surname = surname_of(name)
        candidates = [
            " ".join(full_words)
            for full_words in self.names.full_people
            if len(full_words) > len(words)
            and (
                (len(words) == 1 and surname_of(" ".join(full_words)) == surname)
                or full_words[-len(words) :] == words
            )
        ]
        people = {self.shortened(c) for c in candidates}
        if len(people) > 1:  # the Kelce brothers: the one named last before this point
            before = [n for n in self.names.mentions if n.text in candidates and n.start < pos]
            if before:
                return self.shortened(max(before, key=lambda n: n.start).text)
        for candidate in candidates:
            if len(candidate.split()) > len(best.split()):
                best = candidate
        best = self.shortened(best)
        if len(people) <= 1:
            self.cache[name] = best
        return best

    def shortened(self, name: str) -> str:
        """A run of three or more words cut to its last two or three when the article also
        uses those alone: an unknown title or label stood before the name."""
        words = name.split()
        for size in (2, 3):
            tail = " ".join(words[-size:])
            if size < len(words) and tail in self.names.full_names:
                return tail
        return name
