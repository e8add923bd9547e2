"""News-shaped answers: one column per outlet when a question compares outlets, a timeline when
it asks about order in time. Both only regroup citations that the answerer made and the verify
stage checks; nothing here writes a claim of its own."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answer.base import Answerer
from assistant.answer.column_question import column_question
from assistant.schema import Answer, Citation, CitationGroup, Passage, outlet_name
from assistant.text.patterns import CITATION_MARKERS
from assistant.text.question_analysis import QueryAnalysis, SourceMatcher

LAYOUT_PLAIN = "answer"
LAYOUT_BY_OUTLET = "by_outlet"
LAYOUT_TIMELINE = "timeline"

# "How did TechCrunch and The Verge cover ...", "Which outlets reported ...": the reader wants
# each outlet's own words side by side ("Do Fortune and The Age agree" names two outlets).
_OUTLET_QUESTION = re.compile(
    r"\bhow (?:did|do|does|have|has|were|was)\b.{0,120}?\b(?:report|cover|describe|portray|frame)"
    r"|\b(?:which|what) (?:news )?(?:outlets|sources|publications|media|papers|sites)\b",
    re.IGNORECASE,
)
# Questions about order in time: when, before/after, first/latest, how something developed.
_TIME_QUESTION = re.compile(
    r"\b(?:when|before|after|earlier|later|latest|most recent|first|earliest|since|until|"
    r"timeline|chronolog\w*|develop(?:ed|ing|ments?)?|evolv\w*|over time|sequence)\b",
    re.IGNORECASE,
)
# "The latest report on ...", "the most recent article", "the first outlet to report ...": the
# edge word says which report ("the last quarter", "the first letter of", "its latest tour" don't).
_REPORT_NOUN = r"(?:reports?|articles?|stor(?:y|ies)|coverage|news|updates?|headlines?)"
_BETWEEN = r"(?:(?!(?:week|month|year|quarter|season|night|time)\b)[\w'’-]+\s+){0,2}?"
_LATEST = re.compile(
    rf"\b(?:latest|most recent|newest|last)\s+{_BETWEEN}{_REPORT_NOUN}\b", re.IGNORECASE
)
_FIRST = re.compile(
    rf"\b(?:first|earliest|initial)\s+{_BETWEEN}{_REPORT_NOUN}\b"
    r"|\bfirst\s+(?:outlets?|sources?|publications?|sites?|papers?|one)\s+to\s+"
    r"(?:report|cover|publish|break|write)"
    r"|\b(?:reported|published|covered|broke|wrote about)\b[^?.!]{0,100}?\bfirst\s*[?.!]?\s*$",
    re.IGNORECASE,
)
_SECOND_REPORT = re.compile(rf"\b(?:second|other|next)\s+{_REPORT_NOUN}", re.IGNORECASE)
# "What's the latest on the strike?": news of the latest report, though no word says "report".
_LATEST_ON = re.compile(
    r"\b(?:latest|most recent|newest)\s+(?:on|about|with|regarding|concerning)\b", re.IGNORECASE
)
# The words of an edge question that pick the report rather than say what it is about: "What did
# the latest report say about" in "What did the latest report say about the UAW strike?". Read
# with the question, "latest" made the model prefer an older article's "The latest wrinkle …".
_EDGE_WORDS = re.compile(
    r"^\s*(?:what(?:['’]s|\s+(?:is|was|are|were|did|does|do|has|have))?\s+)?"
    r"(?:the\s+)?(?:very\s+)?(?:latest|most recent|newest|last|first|earliest|initial)\s+"
    rf"(?:{_REPORT_NOUN}\s+)?"
    r"(?:(?:says?|said|reports?|reported|tells? us|told us|writes?|wrote)\s+)?"
    r"(?:on|about|with|regarding|concerning|of)\s+(?=\w)",
    re.IGNORECASE,
)
# How many covering articles an edge question reads, from the edge inward, for one that answers.
_EDGE_TRIES = 3
# Outlets given their own column when a question asks how "the outlets" reported something
# without naming them: the first few that the search found.
_UNNAMED_OUTLET_COLUMNS = 4


def asks_by_outlet(question: str, analysis: QueryAnalysis) -> bool:
    """Two or more outlets named, or a question about how outlets reported something."""
    return len(analysis.sources) >= 2 or bool(_OUTLET_QUESTION.search(question))


def asks_about_time(question: str) -> bool:
    return bool(_TIME_QUESTION.search(question))


def asks_for_edge(question: str) -> str | None:
    """ "latest" or "first" when the question asks for the latest or first report of something
    ("What did the latest report say ...", "What's the latest on ...", "Which outlet reported
    it first?"), else None. An edge word must pick a report: "the first quarter", "the first
    letter of", "the last year" ask for no report. Outlet names are the caller's to leave out
    ("Business Today | Latest Stock Market And Economy News India")."""
    if _LATEST_ON.search(question) or _LATEST.search(question):
        return "latest"
    # "… in the first article, and … the second article": the first of those named.
    if _FIRST.search(question) and not _SECOND_REPORT.search(question):
        return "first"
    return None


def edge_topic(question: str) -> str:
    """What an edge question asks about, without the words that pick the report: "The UAW
    strike?" for "What did the latest report say about the UAW strike?"; the question itself
    when it is not worded so ("Which outlet reported the recall first?")."""
    rest = _EDGE_WORDS.sub("", question, count=1).strip()
    return rest[:1].upper() + rest[1:] if re.search(r"\w{3}", rest) else question


# "What did The Verge report about Apple?", "What have the articles said about the strike?":
# what was reported on a subject, by an outlet or by the articles at large.
_COVERAGE = re.compile(
    r"^\s*(?:(?:and|so)\s+)?what\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+"
    r"(?:report(?:ed|s)?|say|said|write|written|wrote|publish(?:ed)?|cover(?:ed)?)\s+"
    r"(?:about|on|regarding|concerning)\s+(?P<topic>[^?]+?)[\s?.!]*$",
    re.IGNORECASE,
)
# What is left of the "who" once its outlets are taken out, when it names only reports.
_ONLY_REPORTS = re.compile(
    r"^(?:\s|\bthe\b|['’]s\b|\b(?:articles?|reports?|reporting|news|coverage|stor(?:y|ies)|"
    r"press|media|outlets?|papers?)\b)*$",
    re.IGNORECASE,
)


def coverage_topic(question: str, matcher: SourceMatcher) -> str | None:
    """What a question about what was reported asks about: "Apple?" for "What did The Verge
    report about Apple?" (the outlet is the search's filter, and the model, reading "The Verge
    report", finds no sentence that answers: none names The Verge). None for any other
    question, "What did Putin say about …" included."""
    match = _COVERAGE.match(question)
    if match is None:
        return None
    if not _ONLY_REPORTS.match(matcher.without_names(match.group("who"))):
        return None
    topic = match.group("topic").strip()
    return topic[:1].upper() + topic[1:] + "?"


def edge_article_answer(
    question: str, passages: list[Passage], edge: str, answerer: Answerer, depth: int
) -> Answer | None:
    """The answer from the latest (or first) dated article among the first `depth` passages,
    the articles that cover the question; when that article's passages don't answer it, the
    next one inward does (the latest report on a subject is the latest that says something
    about it). None when there is no choice to make (fewer than two dated articles) or none of
    the first few answers. The question keeps its own wording in the answer; the answerer reads
    only what it asks about."""
    covering = {p.article_id: p.published_at for p in passages[:depth] if p.published_at}
    if len(set(covering.values())) < 2:
        return None
    # Articles of one day stay in rank order (a stable sort keeps ties in place, reversed too).
    order = sorted(
        covering,
        key=lambda article_id: (covering[article_id] or "")[:10],
        reverse=edge == "latest",
    )
    topic = edge_topic(question)
    for chosen in order[:_EDGE_TRIES]:
        answer = answerer.answer(topic, [p for p in passages if p.article_id == chosen])
        if not answer.abstained and answer.citations:
            return replace(answer, question=question)
    return None


def column_outlets(analysis: QueryAnalysis, passages: Sequence[Passage]) -> list[str]:
    """The outlets named in the question, in the order named; else the outlets of the passages
    found, in rank order (an outlet's feeds, "FOX News - Health" and "FOX News - Lifestyle",
    are one outlet)."""
    if analysis.sources:
        return list(analysis.sources)
    found = dict.fromkeys(outlet_name(p.source) for p in passages if p.source)
    return list(found)[:_UNNAMED_OUTLET_COLUMNS]


def in_column(passage: Passage, outlet: str, analysis: QueryAnalysis) -> bool:
    """Whether a passage belongs in an outlet's column: its source is one of the feeds the
    question's outlet stands for or, when the question names none, one of the outlet's feeds."""
    if analysis.sources:
        return passage.source in analysis.feeds_of([outlet])
    return bool(passage.source) and outlet_name(passage.source) == outlet


def renumber(text: str, mapping: dict[int, int]) -> str:
    """The [n] markers of `text` with each n replaced by mapping[n]."""

    def swap(match: re.Match[str]) -> str:
        numbers = [int(n) for n in match.group(1).split(",")]
        return "[" + ", ".join(str(mapping.get(n, n)) for n in numbers) + "]"

    return CITATION_MARKERS.sub(swap, text)


class Columns:
    """The columns of one answer: citations numbered on across the columns, each column's text
    pointing at its own numbers, and a "label: text" line per column for the answer's text."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self.groups: list[CitationGroup] = []
        self.lines: list[str] = []

    def add(self, label: str, citations: list[Citation], text: str | None = None) -> None:
        """A column of `citations` (renumbered here). `text` is the column's own answer with
        the citations' old numbers; without it, the column reads as its quotes."""
        mapping: dict[int, int] = {}
        for citation in citations:
            mapping[citation.n] = len(self.citations) + 1
            self.citations.append(replace(citation, n=mapping[citation.n]))
        numbered = self.citations[len(self.citations) - len(citations) :]
        if text is None:
            body = " ".join(f"{c.quote} [{c.n}]" for c in numbered)
        else:
            body = renumber(text, mapping)
        self.groups.append(CitationGroup(label=label, citations=tuple(mapping.values()), text=body))
        self.lines.append(f"{label}: {body}")


def by_outlet_answer(
    question: str,
    passages: list[Passage],
    analysis: QueryAnalysis,
    matcher: SourceMatcher,
    answerer: Answerer,
    *,
    whole_answers: Callable[[], bool] | None = None,
) -> Answer | None:
    """One answer per outlet, each from that outlet's passages only, joined into one Answer
    whose groups are the columns. An outlet with no passage, or whose passages don't answer its
    part of the question, is listed as having no matching report. None when no column answers:
    a column's question is held to a question's bar, so the whole question, read at once,
    decides then whether the articles answer it.

    Once one column answers, or `whole_answers()` says the whole question is answered, the
    question is one the articles answer, and the outlets' passages were retrieved for it: the
    columns that don't answer are read again against the answerer's lower column bar
    (`for_columns`, when it has one) before "no matching report" is said of them. That second
    reading is for the outlets the question names, which the reader expects to see: outlets the
    search found for "Which outlets reported ...?" are columns only where they answer at the
    question's own bar (a passage that shares a word with the question is no report of it),
    and one that doesn't is left out, not listed as having no matching report."""
    named = bool(analysis.sources)
    outlets = column_outlets(analysis, passages)
    own = {outlet: [p for p in passages if in_column(p, outlet, analysis)] for outlet in outlets}
    asked = {outlet: column_question(outlet, analysis, matcher) for outlet in outlets}
    answers = {
        outlet: answerer.answer(asked[outlet], own[outlet]) for outlet in outlets if own[outlet]
    }
    if not any(_answers(a) for a in answers.values()) and not (whole_answers and whole_answers()):
        return None
    for_columns = getattr(answerer, "for_columns", None)
    second: Answerer | None = for_columns() if callable(for_columns) else None
    if second is not None and named:
        for outlet, answer in answers.items():
            if not _answers(answer):
                answers[outlet] = second.answer(asked[outlet], own[outlet])
    if not any(_answers(a) for a in answers.values()):
        return None
    columns = Columns()
    missing: list[str] = []
    for outlet in outlets:
        column = answers.get(outlet)
        if column is None or not _answers(column):
            if named:
                missing.append(outlet)
            continue
        columns.add(outlet, column.citations, column.text)
    lines = list(columns.lines)
    if missing:
        lines.append("No matching report from: " + ", ".join(missing) + ".")
    return Answer(
        question=question,
        text="\n".join(lines),
        citations=columns.citations,
        layout=LAYOUT_BY_OUTLET,
        groups=columns.groups,
        missing_outlets=missing,
    )


def _answers(answer: Answer) -> bool:
    return not answer.abstained and bool(answer.citations)


def as_timeline(answer: Answer) -> Answer:
    """The answer's citations grouped by publication day, oldest first (undated last), when
    they come from at least two days; otherwise the answer as it was."""
    days = {c.published_at[:10] for c in answer.citations if c.published_at}
    if answer.abstained or len(days) < 2:
        return answer
    by_day: dict[str, list[int]] = {}
    for citation in sorted(answer.citations, key=_day_order):
        by_day.setdefault((citation.published_at or "")[:10], []).append(citation.n)
    answer.groups = [
        CitationGroup(label=day or "undated", citations=tuple(numbers), published_at=day or None)
        for day, numbers in by_day.items()
    ]
    answer.layout = LAYOUT_TIMELINE
    return answer


def _day_order(citation: Citation) -> tuple[int, str, int]:
    day = (citation.published_at or "")[:10]
    return (0 if day else 1, day, citation.n)
