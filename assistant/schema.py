"""The data shapes shared by every module: Article, Chunk, Passage, Citation, Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Article:
    """A cleaned article. `id` is stable for its origin (path or url), not its content."""

    id: str
    title: str
    source: str
    url: str
    published_at: str | None
    text: str
    content_hash: str
    origin: str = ""


@dataclass(frozen=True)
class Chunk:
    """A window of whole sentences of one article; offsets index into `Article.text`."""

    id: str
    article_id: str
    n: int
    start: int
    end: int
    text: str


@dataclass
class Passage:
    """A retrieved chunk with its article's metadata and the scores that ranked it."""

    chunk_id: str
    article_id: str
    title: str
    source: str
    url: str
    published_at: str | None
    text: str
    start: int
    end: int
    score: float
    dense_score: float | None = None
    bm25_score: float | None = None
    rank: int = 0
    # The cross-encoder's relevance when the clause reranking ordered it (see passage_rerank.py).
    rerank_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """A quote shown to the user. Invariant: article.text[start:end] == quote."""

    n: int
    article_id: str
    title: str
    source: str
    url: str
    published_at: str | None
    quote: str
    start: int
    end: int
    score: float

    @classmethod
    def from_passage(
        cls, n: int, passage: Passage, article_text: str, start: int, end: int, score: float
    ) -> Citation:
        """The quote is cut from the article text at its offsets, never retyped."""
        return cls(
            n=n,
            article_id=passage.article_id,
            title=passage.title,
            source=passage.source,
            url=passage.url,
            published_at=passage.published_at,
            quote=article_text[start:end],
            start=start,
            end=end,
            score=round(score, 4),
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    """What a question gets back. `text` carries [n] markers that point into `citations`.

    When `abstained` is true the articles don't answer the question; `related` then holds the
    closest passages, which are not citations. `needs_clarification` (with `abstained`) means
    the question only pointed back ("What did he say?") at nothing named before: `text` asks
    who or what is meant, and nothing was searched.

    `question` is the question as asked; `standalone_question` is what was searched for and
    answered: follow-ups resolved, misspelt names corrected (`corrections`, as typed -> as
    used)."""

    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    standalone_question: str = ""
    related: list[Passage] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    complete: bool = True
    unsupported: list[str] = field(default_factory=list)
    corrections: dict[str, str] = field(default_factory=dict)
    needs_clarification: bool = False

    @property
    def correction_note(self) -> str:
        """A line such as 'Showing results for Stoltenberg (you typed Stoltenbreg).', or ''."""
        if not self.corrections:
            return ""
        used = " and ".join(self.corrections.values())
        typed = " and ".join(self.corrections)
        return f"Showing results for {used} (you typed {typed})."

    def to_dict(self, *, with_passages: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "question": self.question,
            "standalone_question": self.standalone_question,
            "text": self.text,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "related": [p.to_dict() for p in self.related],
            "unsupported": list(self.unsupported),
            "corrections": dict(self.corrections),
            "correction_note": self.correction_note,
            "needs_clarification": self.needs_clarification,
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
        }
        if with_passages:
            data["passages"] = [p.to_dict() for p in self.passages]
        return data
