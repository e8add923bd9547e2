"""News-shaped answers: one column per outlet when a question compares outlets, a timeline when
it asks about order in time. Both only regroup citations that the answerer made and the verify
stage checks; nothing here writes a claim of its own."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from assistant.answer.base import Answerer
from assistant.schema import Answer, Citation, CitationGroup, Passage, outlet_name
from assistant.text.patterns import CITATION_MARKERS
from assistant.text.question_analysis import QueryAnalysis, SourceMatcher
from assistant.text.tokens import tokenize

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
# "The latest report on ...", "the most recent article", "the first outlet to report ...".
_LATEST = re.compile(r"\b(?:latest|most recent|newest|last)\b", re.IGNORECASE)
_FIRST = re.compile(r"\b(?:first|earliest|initial)\b", re.IGNORECASE)
_REPORT_WORDS = re.compile(
    r"\b(?:reports?|reported|articles?|stor(?:y|ies)|coverage|news|updates?|outlets?|published)\b",
    re.IGNORECASE,
)
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
    ("What did the latest report say ...", "Which outlet reported it first?"), else None. A
    word like "first" alone is not enough ("the first quarter"): a word about reports must be
    there too."""
    if not _REPORT_WORDS.search(question):
        return None
    if _LATEST.search(question):
        return "latest"
    if _FIRST.search(question):
        return "first"
    return None


def edge_article_answer(
    question: str, passages: list[Passage], edge: str, answerer: Answerer, depth: int
) -> Answer | None:
    """The answer from the latest (or first) dated article among the first `depth` passages,
    the articles that cover the question; None when there is no choice to make (fewer than two
    dated articles) or that article's passages don't answer it."""
    covering = {p.article_id: p.published_at for p in passages[:depth] if p.published_at}
    if len(set(covering.values())) < 2:
        return None
    pick = max if edge == "latest" else min
    chosen = pick(covering, key=lambda article_id: (covering[article_id] or "")[:10])
    answer = answerer.answer(question, [p for p in passages if p.article_id == chosen])
    return None if answer.abstained or not answer.citations else answer


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


def column_question(outlet: str, analysis: QueryAnalysis, matcher: SourceMatcher) -> str:
    """What one outlet's column answers: the clauses that name it and no other outlet, when
    they say what about (else the whole question), and the clauses that name no outlet, which
    ask of every outlet ("..., was there a discrepancy in the bonus offered if the first bet
    loses?"); all without the outlet names, which no sentence of the article itself contains.
    A clause such as "Did The Age report on November 7" or "as reported by both The Verge and
    TechCrunch" holds no topic of its own: the rest of the question has it."""
    own = [clause.text for clause in analysis.clauses if clause.sources == (outlet,)]
    if len(_topic_words(matcher.strip(" ".join(own)))) < _MIN_TOPIC_WORDS:
        return without_outlets(analysis.question, matcher) or analysis.question
    common = [clause.text for clause in analysis.clauses if not clause.sources]
    return without_outlets(", ".join(own + common), matcher) or analysis.question


def without_outlets(text: str, matcher: SourceMatcher) -> str:
    """`text` without the outlets it names and without the words that only pointed at them:
    "..., as reported by TechCrunch, The Verge, and CNBC?" ends at "...?", "covered by both The
    Verge and TechCrunch" reads "covered", "TechCrunch's report" reads "the report", "Does 'The
    Age' suggest" reads "Does the report suggest". A column's question is shown to the reader
    when part of it goes unanswered ("The articles don't say: ..."), so what is left must read
    as a sentence, not as "reported by,, and?"."""
    for start, end, _ in reversed(matcher.find(text)):
        text = f"{text[:start]}{_MARK}{text[end:]}"
    text = _QUOTED_MARK.sub(_MARK, text)
    text = _MARK_LIST.sub(_MARK, text)
    text = _POINTS_AT_MARK.sub("", text)
    text = _POSSESSIVE_MARK.sub("the", text)
    text = _SUBJECT_MARK.sub(r"\1 the report", text)
    return _tidy(text.replace(_MARK, " "))


# Words (other than dates and stop words) a clause needs to stand as a column's question.
_MIN_TOPIC_WORDS = 4
# Tokens (stemmed, as tokenize gives them) that say when or where, not what.
_NOT_TOPIC = frozenset(
    "januari februari march april may june juli august septemb sept octob novemb decemb "
    "jan feb mar apr jun jul aug sep oct nov dec st nd rd th "
    "report articl publish stori outlet coverag".split()
)
# An outlet's name while it is being removed (a private-use character no text has).
_MARK = "\ue000"
_QUOTED_MARK = re.compile(r"""['"‘’“”]\s*\ue000\s*['"‘’“”]""")
# "X, Y, and Z", "X and Y", "X & Y": one list of outlets.
_MARK_LIST = re.compile(
    r"\ue000(?:\s*(?:,\s*(?:and\s+|&\s+)?|and\s+|&\s+|or\s+)(?:the\s+)?\ue000)+"
)
# The words that only point at the outlets: "as reported by both", "according to", "including".
_POINTS_AT_MARK = re.compile(
    r"(?:,\s*)?(?:\band\s+)?\b(?:as\s+)?"
    r"(?:(?:(?:reported|covered|published|noted|discussed|described|detailed|mentioned|featured|"
    r"written|quoted|cited)\s+)(?:by|in|on)|by|from|including|according\s+to|per)"
    r"\s+(?:both\s+)?(?:the\s+)?\ue000(?!\s*['’]s\b)(?:,?\s+respectively\b)?",
    re.IGNORECASE,
)
_POSSESSIVE_MARK = re.compile(r"(?:\bthe\s+)?\ue000\s*['’]s\b", re.IGNORECASE)
# "Does 'The Age' suggest ...": the outlet is the subject; "Does the report suggest ..." reads.
_SUBJECT_MARK = re.compile(r"\b(does|did|do|has|have|is|was|were|are)\s+\ue000", re.IGNORECASE)
# What removing an outlet's name leaves behind: empty quotation marks, "both and", "by and".
_EMPTY_QUOTES = re.compile(r"""(['"‘’“”])\s*(['"‘’“”])""")
_DANGLING = re.compile(r"\b(both|by|from|and|between)(\s*,?\s*(?:and|,)\b)+", re.IGNORECASE)


def _topic_words(text: str) -> list[str]:
    return [word for word in tokenize(text) if word not in _NOT_TOPIC and not word.isdigit()]


def _tidy(text: str) -> str:
    text = _EMPTY_QUOTES.sub(" ", text)
    text = _DANGLING.sub(r"\1", text)
    text = re.sub(r"\s+([,?.])", r"\1", " ".join(text.split()))
    return text.strip(" ,")


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
    (`for_columns`, when it has one) before "no matching report" is said of them."""
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
    if second is not None:
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
