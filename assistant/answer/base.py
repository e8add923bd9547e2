"""What every answerer is: a part that writes an Answer from ranked passages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, runtime_checkable

from assistant.schema import Answer, Passage

# Article id -> article text, for the articles of some passages (missing ids are left out).
ArticleTexts = Callable[[Iterable[str]], dict[str, str]]


@runtime_checkable
class Answerer(Protocol):
    """Writes an Answer from passages. `stream` yields growing Answers (complete=False) and
    ends with the complete one. An answerer may also offer `condense(question, history)`."""

    def answer(self, question: str, passages: list[Passage]) -> Answer: ...

    def stream(self, question: str, passages: list[Passage]) -> Iterator[Answer]: ...
