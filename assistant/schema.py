"""The data shapes shared by every module: Article, Chunk (and its id), SearchFilter, Passage,
Citation, Answer."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, ClassVar

from assistant.errors import QuestionError

# How many characters of an article's content hash a chunk id carries.
CHUNK_VERSION_CHARS = 12


@dataclass(frozen=True)
class ChunkId:
    """A chunk's id, "<article id>:<content hash prefix>:<position>": deterministic, and it
    says which version of the article text its offsets refer to. Article ids may contain
    colons (paths, urls), so the id is parsed from the right."""

    article_id: str
    version: str
    n: int

    @classmethod
    def of(cls, article_id: str, content_hash: str, n: int) -> ChunkId:
        return cls(article_id, cls.version_for(content_hash), n)

    @staticmethod
    def version_for(content_hash: str) -> str:
        """The part of an article's content hash that its chunk ids carry."""
        return content_hash[:CHUNK_VERSION_CHARS]

    @classmethod
    def parse(cls, chunk_id: str) -> ChunkId | None:
        parts = chunk_id.rsplit(":", 2)
        if len(parts) != 3 or not parts[2].isdigit():
            return None
        return cls(parts[0], parts[1], int(parts[2]))

    @staticmethod
    def version_of(chunk_id: str) -> str:
        """The content-hash prefix of a chunk id, or "" for an id of another shape."""
        parsed = ChunkId.parse(chunk_id)
        return parsed.version if parsed else ""

    def __str__(self) -> str:
        return f"{self.article_id}:{self.version}:{self.n}"


def day_number(published_at: str | None) -> int:
    """YYYY-MM-DD as the integer YYYYMMDD (0 when unknown): dates that compare as numbers."""
    if not published_at:
        return 0
    return int(published_at.replace("-", "")[:8])


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
    # The cross-encoder's relevance when the clause reranking ordered it (retrieval/rerank.py).
    rerank_score: float | None = None
    # The score of the ranked list that contributed it to the merge (the fused BM25 + dense
    # score, or a clause list's score); `score` itself follows the merged order (1 / position).
    list_score: float | None = None
    # Outlets of the other copies of this story (ingest/duplicates.py), which search leaves
    # out in favour of this one; its own outlet is not repeated.
    also_published_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Feed titles put the outlet's name first: "Cnbc | World Business News Leader", "The Independent
# - Travel", "Live Science: The Most Interesting Articles".
_FEED_TITLE_BREAK = re.compile(r" [|-] |: ")


def outlet_name(source: str) -> str:
    """The outlet a feed belongs to, by its title: "The Independent - Travel" is The
    Independent's."""
    head = _FEED_TITLE_BREAK.split(source, maxsplit=1)[0].strip()
    return head if len(head) >= 3 else source


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
    # Outlets of the other copies of the quoted story (see Passage.also_published_by).
    also_published_by: tuple[str, ...] = ()
    # Who said the quoted words, when they are an attributed statement ("Jens Stoltenberg"):
    # the fullest form of the speaker's name in the article (answer/speakers.py).
    speaker: str | None = None
    # The days the quote names relative to its report, read against its publication day:
    # (("Tuesday", "2022-02-15"), ("tomorrow", "2022-02-17")) (text/relative_days.py).
    days: tuple[tuple[str, str], ...] = ()

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
            also_published_by=passage.also_published_by,
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CitationGroup:
    """Citations shown together: one outlet's column (`label` is the outlet, `text` its own
    answer) or one day of a timeline (`label` and `published_at` are the day)."""

    label: str
    citations: tuple[int, ...]
    text: str = ""
    published_at: str | None = None

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
    used). A question that names the period its articles come from ("What did TechCrunch
    publish in October 2023 about …") is searched in that period only; `period_note` says so.

    `layout` says how to show it: "answer" (text with citations), "by_outlet" (a question
    comparing outlets: `groups` holds one column per outlet that answers, `missing_outlets`
    the outlets named that have no matching report), "by_speaker" (who said what: one column
    per speaker, each quoting only that speaker's statements) or "timeline" (a question about
    order in time: `groups` holds the citations of each publication day, oldest first)."""

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
    layout: str = "answer"
    groups: list[CitationGroup] = field(default_factory=list)
    missing_outlets: list[str] = field(default_factory=list)
    # "Searched the articles published in … (“in October 2023” in the question)." when the
    # question named the period its articles come from; else "".
    period_note: str = ""
    # Outlets the question names that the library has no article from ("the Reuters article"
    # in a library without Reuters): whatever is quoted comes from other outlets.
    outlets_not_in_library: list[str] = field(default_factory=list)
    # The parts of a multi-part question no sentence answers (the text ends "The articles don't
    # say: …" for them); empty when every part is answered or the answerer doesn't split.
    unanswered_parts: list[str] = field(default_factory=list)

    @property
    def correction_note(self) -> str:
        """A line such as 'Showing results for Stoltenberg (you typed Stoltenbreg).', or ''."""
        if not self.corrections:
            return ""
        used = " and ".join(self.corrections.values())
        typed = " and ".join(self.corrections)
        return f"Showing results for {used} (you typed {typed})."

    @property
    def outlet_note(self) -> str:
        """'No articles from Reuters are in the library; the quotes are from other outlets.'
        when the question names outlets the library lacks; else ''."""
        if not self.outlets_not_in_library:
            return ""
        names = self.outlets_not_in_library
        named = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        note = f"No articles from {named} are in the library"
        if note in self.text:  # the answer says it already
            return ""
        if self.abstained or not self.citations:
            return note + "."
        return note + "; the quotes are from other outlets."

    @property
    def corroboration_note(self) -> str:
        """How many separate reports the citations come from, counting copies of one story
        (syndicated or republished, see ingest/duplicates.py) once: "Quoted from 3 reports by 2
        outlets (Fortune, TechCrunch). The same story also appeared at Reuters: a copy, counted
        once." '' for an abstention, or when one report by one outlet is all there is."""
        if self.abstained or not self.citations:
            return ""
        reports = list(dict.fromkeys(c.article_id for c in self.citations))
        # An outlet's sections are feeds of their own ("FOX News - Health", "FOX News -
        # Lifestyle"): one outlet.
        outlets = list(dict.fromkeys(outlet_name(c.source) for c in self.citations if c.source))
        copies = [
            outlet
            for outlet in dict.fromkeys(
                outlet_name(o) for c in self.citations for o in c.also_published_by
            )
            if outlet not in outlets
        ]
        if len(reports) < 2 and not copies:
            return ""
        report_word = "report" if len(reports) == 1 else "reports"
        outlet_word = "outlet" if len(outlets) == 1 else "outlets"
        note = (
            f"Quoted from {len(reports)} {report_word} by {len(outlets)} {outlet_word} "
            f"({', '.join(outlets)})."
        )
        if copies:
            plural = "copies, each counted once" if len(copies) > 1 else "a copy, counted once"
            note += f" The same story also appeared at {', '.join(copies)}: {plural}."
        return note

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
            "period_note": self.period_note,
            "outlets_not_in_library": list(self.outlets_not_in_library),
            "outlet_note": self.outlet_note,
            "corroboration_note": self.corroboration_note,
            "needs_clarification": self.needs_clarification,
            "layout": self.layout,
            "groups": [g.to_dict() for g in self.groups],
            "missing_outlets": list(self.missing_outlets),
            "timings": {k: round(v, 2) for k, v in self.timings.items()},
        }
        if with_passages:
            data["passages"] = [p.to_dict() for p in self.passages]
        return data


@dataclass(frozen=True)
class SearchFilter:
    """Restrict retrieval to some articles, outlets or a date range (ISO dates, inclusive).
    Dates are checked on the calendar when the filter is made; a bad one is a QuestionError."""

    article_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    _ISO_DAY: ClassVar[re.Pattern[str]] = re.compile(r"\d{4}-\d{2}-\d{2}")

    def __post_init__(self) -> None:
        date_from, date_to = self.parse_date(self.date_from), self.parse_date(self.date_to)
        if date_from and date_to and date_from > date_to:
            raise QuestionError(
                f"the date range ends before it starts: “{date_to}” is earlier than “{date_from}”"
            )
        # Frozen: normalised values (stripped text, dates as ISO strings) go in this way.
        object.__setattr__(self, "date_from", date_from)
        object.__setattr__(self, "date_to", date_to)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> SearchFilter:
        data = data or {}
        return cls(
            article_ids=tuple(data.get("article_ids") or ()),
            sources=tuple(data.get("sources") or ()),
            date_from=data.get("date_from") or None,
            date_to=data.get("date_to") or None,
        )

    def within(self, first: str | None, last: str | None) -> SearchFilter:
        """This filter narrowed to publication days `first`..`last` (ISO, None: open). A range
        that misses the filter's own is a QuestionError saying both."""
        starts = [d for d in (self.date_from, first) if d]
        ends = [d for d in (self.date_to, last) if d]
        date_from, date_to = (max(starts) if starts else None), (min(ends) if ends else None)
        if date_from and date_to and date_from > date_to:
            raise QuestionError(
                f"the question asks for articles published from {first or 'any date'} to "
                f"{last or 'any date'}, outside the filter's dates "
                f"({self.date_from or 'any date'} to {self.date_to or 'any date'})"
            )
        return SearchFilter(self.article_ids, self.sources, date_from, date_to)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_ids": list(self.article_ids),
            "sources": list(self.sources),
            "date_from": self.date_from,
            "date_to": self.date_to,
        }

    @classmethod
    def parse_date(cls, value: object) -> str | None:
        """A filter date as YYYY-MM-DD, or None when blank; anything else that is not a real
        calendar day is a QuestionError that says what to type."""
        if isinstance(value, date):
            return value.isoformat()[:10]
        text = str(value or "").strip()
        if not text:
            return None
        try:
            # fromisoformat also takes 20220217 and week dates: the shape is checked first.
            if not cls._ISO_DAY.fullmatch(text):
                raise ValueError(text)
            return date.fromisoformat(text).isoformat()
        except ValueError:
            message = f"Dates are written YYYY-MM-DD, e.g. 2022-02-17: “{text}” is not one"
            raise QuestionError(message) from None

    @property
    def empty(self) -> bool:
        return not (self.article_ids or self.sources or self.date_from or self.date_to)
