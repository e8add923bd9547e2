"""Statements as they are found, before their speakers are resolved: `Draft`, the `Who` of an
attribution (the speaker as written and where), and `Drafts`, the article's collection of them,
where a statement inside another is part of that one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypedDict

from assistant.text.attribution.quotes import Quote


@dataclass
class Draft:
    """A statement found, with its speaker as written; `resolved`, `canonical` and `person`
    are filled in by resolution."""

    start: int
    end: int
    verb: str
    kind: str
    speaker: str  # as written: a name, a pronoun or a description; "" with a source
    anchor: int  # where the attribution is, for "nearest preceding" look-ups
    source: Draft | None = None  # the statement whose speaker this one continues
    resolved: str = ""
    canonical: str = ""
    person: bool = False


class Who(TypedDict):
    """The speaker fields of a Draft, found once and given to each statement they cover."""

    speaker: str
    anchor: int
    source: Draft | None


class Drafts:
    """The drafts of one article, in the order they were found."""

    def __init__(self) -> None:
        self.items: list[Draft] = []

    def __iter__(self) -> Iterator[Draft]:
        return iter(self.items)

    def add(self, draft: Draft) -> None:
        """Keep `draft` unless a statement found already contains it; drop those it contains."""
        if draft.end - draft.start < 2:
            return
        for other in self.items:
            if other.start <= draft.start and draft.end <= other.end:
                return  # a quotation inside a reported clause is part of it
        self.items = [d for d in self.items if not (draft.start <= d.start and d.end <= draft.end)]
        self.items.append(draft)

    def direct(self, quote: Quote, verb: str, who: Who) -> None:
        """`quote` is a statement of `who`; no other statement takes it."""
        quote.used = True
        self.add(Draft(quote.start, quote.end, verb, "direct", **who))
