"""What one outlet's column of a by-outlet answer asks: the part of the question about that
outlet, without the outlets' names (no sentence of the article itself contains them), reading
as a question a person could be shown ("The articles don't say: ...")."""

from __future__ import annotations

import re

from assistant.text.question_analysis import QueryAnalysis, SourceMatcher
from assistant.text.tokens import tokenize


def column_question(outlet: str, analysis: QueryAnalysis, matcher: SourceMatcher) -> str:
    """What one outlet's column answers: the clauses that name it and no other outlet, when
    they say what about, and the clauses that name no outlet, which ask of every outlet ("...,
    was there a discrepancy in the bonus offered if the first bet loses?"). A clause that names
    two outlets ("Does the article from The Independent about X describe the same as FOX News
    reports on Y?") gives each the words on its side of it. Else the whole question: a clause
    such as "Did The Age report on November 7" or "as reported by both The Verge and
    TechCrunch" holds no topic of its own, the rest of the question has it.

    A column's part that says "his" or "she" where the question named the person elsewhere
    ("..., while The Guardian article focuses on his performance") gets the name back, which
    is what the outlet's sentences contain."""
    own = [clause.text for clause in analysis.clauses if clause.sources == (outlet,)]
    if not _has_topic(own, matcher):
        own = [
            side
            for clause in analysis.clauses
            if outlet in clause.sources and len(clause.sources) > 1
            for side in [_outlet_side(clause.text, outlet, analysis, matcher)]
            if side
        ]
    if not _has_topic(own, matcher):
        return without_outlets(analysis.question, matcher) or analysis.question
    common = [clause.text for clause in analysis.clauses if not clause.sources]
    asked = without_outlets(", ".join(own + common), matcher) or analysis.question
    return with_name_for_pronoun(asked, analysis.question, matcher)


def _has_topic(texts: list[str], matcher: SourceMatcher) -> bool:
    return len(_topic_words(matcher.strip(" ".join(texts)))) >= _MIN_TOPIC_WORDS


# "... described in The Age", "according to Fortune": what the outlet said comes before its name.
_NAMED_AFTER_ITS_WORDS = re.compile(
    r"(?:\b(?:reported|covered|published|noted|discussed|described|detailed|mentioned|featured|"
    r"written|quoted|cited|stated|claimed|suggested|implied|presented|portrayed|shown|given|"
    r"outlined|highlighted|said|told)\s+(?:by|in|on)|\baccording\s+to|\bas\s+per)"
    r"\s+(?:both\s+)?(?:the\s+)?['\"‘“]?\s*$",
    re.IGNORECASE,
)
# Outlets named one after another are one list: "The Verge, TechCrunch and CNBC".
_BETWEEN_LISTED = re.compile(r"^\s*['\"’”]?\s*(?:,|and|&|or|,\s*and)\s*(?:the\s+)?['\"‘“]?\s*$")


def _outlet_side(
    clause: str, outlet: str, analysis: QueryAnalysis, matcher: SourceMatcher
) -> str | None:
    """The words of a clause naming several outlets that are about `outlet`: those after its
    name up to the next outlet's ("the article from The Independent about X describe ... as"),
    or, when its name comes after what it said ("... Y reported by The Age"), those before it
    back to the previous outlet's. None when it is named in one list with others ("as reported
    by both The Verge and TechCrunch"): the clause is about all of them alike."""
    wanted = analysis.feeds_of([outlet])
    spans = matcher.find(clause)
    lists: list[list[tuple[int, int, str]]] = []
    for span in spans:
        if lists and _BETWEEN_LISTED.match(clause[lists[-1][-1][1] : span[0]]):
            lists[-1].append(span)
        else:
            lists.append([span])
    for number, named in enumerate(lists):
        if not any(matcher.feeds(alias) == wanted for _, _, alias in named):
            continue
        if len(named) > 1:
            return None
        start, end = named[0][0], named[-1][1]
        # The side keeps the outlet's name, so that `without_outlets` takes it away together
        # with the words that only point at it ("described in", "the ... article").
        # The quotation marks around a name ("'The Age' article") go with the name.
        start -= start > 0 and clause[start - 1] in _QUOTES
        end += end < len(clause) and clause[end] in _QUOTES
        if _NAMED_AFTER_ITS_WORDS.search(clause[:start]):
            previous_end = lists[number - 1][-1][1] if number else 0
            previous_end += previous_end < len(clause) and clause[previous_end] in _QUOTES
            side = clause[previous_end:end]
        else:
            next_start = lists[number + 1][0][0] if number + 1 < len(lists) else len(clause)
            next_start -= next_start > 0 and clause[next_start - 1] in _QUOTES
            side = clause[start:next_start]
        side = _LOOSE_END.sub("", without_outlets(side, matcher))
        return _without_stray_quotes(_LOOSE_START.sub("", side)) or None
    return None


# What joined one outlet's words to the next outlet's: "... before", "... compared to the",
# "and ...": said of one side alone, it reads as a sentence broken off.
_LOOSE_END = re.compile(
    r"(?:[\s,]+(?:before|after|than|and|or|while|whereas|compared|to|with|as|the|in|by|"
    r"of|on|from|how|way|similar|a|that|which|article|articles|report|reports|piece|story|"
    r"reported|covered|published|noted|discussed|described|detailed|mentioned|featured|implied|"
    r"presented|suggested|claimed|stated|portrayed|highlighted))+[\s,]*$",
    re.IGNORECASE,
)
_LOOSE_START = re.compile(r"^[\s,]*(?:(?:and|or|but|while|whereas)\b[\s,]*)?", re.IGNORECASE)
_QUOTES = "'\"‘’“”"


def _without_stray_quotes(text: str) -> str:
    """`text` without a quotation mark at either end that closes or opens nothing (the mark
    that stood around an outlet's name, "'Sport Grill' report ..." cut at the name)."""
    text = text.strip()
    while text and text[-1] in _QUOTES and len(_QUOTE_MARK.findall(text)) % 2:
        text = text[:-1].rstrip()
    while text and text[0] in _QUOTES and len(_QUOTE_MARK.findall(text)) % 2:
        text = text[1:].lstrip()
    return text


# A quotation mark, not an apostrophe inside a word ("Smith's", "don't").
_QUOTE_MARK = re.compile(r"""(?<!\w)['"‘’“”]|['"‘’“”](?!\w)""")


# Pronouns for a person: "its" and "their" more often stand for a company or a team than for
# the person the question names first.
_PRONOUN = re.compile(r"\b(?:(his)|(her)|(he|she|him))\b(\s+\w+)?", re.IGNORECASE)
# Words after "her" that show it is not possessive ("praised her for", "told her that").
_NOT_OWNED = frozenset(
    "a an the and or but for to of in on at by with that as from about than".split()
)
# Capitalised words that start a question or a clause rather than name someone.
_NOT_NAMES = frozenset(
    "does did do is was were are has have had which who what when where why how between after "
    "before while whereas considering according both the a an and or but if in on as".split()
)


def with_name_for_pronoun(text: str, question: str, matcher: SourceMatcher) -> str:
    """`text` with its first pronoun replaced by the name the question gives the person or
    thing, when `text` names no one itself and the question names someone outside it."""
    if _names(text, matcher):
        return text
    pronoun = _PRONOUN.search(text)
    if pronoun is None:
        return text
    outside = [name for name in _names(question, matcher) if name not in text]
    if not outside:
        return text
    name = max(outside[:3], key=lambda n: (len(n.split()) > 1, -outside.index(n)))
    possessive, her, _person, following = pronoun.groups()
    if possessive or (her and following and following.strip().lower() not in _NOT_OWNED):
        replacement = f"{name}’s" if not name.endswith("s") else f"{name}’"
    else:
        replacement = name
    return f"{text[: pronoun.start()]}{replacement}{following or ''}{text[pronoun.end() :]}"


def _names(text: str, matcher: SourceMatcher) -> list[str]:
    """The names in `text` ("Tyreek Hill", "Taylor Swift"), outlets and calendar words aside."""
    text = matcher.strip(text)
    found: list[str] = []
    for match in _NAME.finditer(text):
        words = [w for w in match.group(0).split() if w.lower() not in _NOT_NAMES]
        words = [w for w in words if _possessive_off(w).lower() not in _CALENDAR]
        name = _possessive_off(" ".join(words))
        # A single capitalised word that opens the text may be any word; two are a name.
        if name and (match.start() > 0 or " " in name):
            found.append(name)
    return list(dict.fromkeys(found))


def _possessive_off(word: str) -> str:
    return word.removesuffix("’s").removesuffix("'s")


_NAME = re.compile(r"(?<![.?!]\s)\b[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday week".split()
)


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
