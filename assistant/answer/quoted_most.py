"""Whose words the coverage of a subject carries: "Who is quoted most about OpenAI?", "Who are
the main voices on the UAW strike?". The articles that mention the subject (answer/mentions.py)
and the attributed statements in their passages that mention it, tallied by speaker across
articles; each speaker shown is cited by one statement of theirs, so the count can be checked
against their words."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from assistant.answer.by_speaker import LAYOUT_BY_SPEAKER
from assistant.answer.digest import passage_of
from assistant.answer.layout import Columns
from assistant.answer.mentions import Mention, counted, no_mention
from assistant.answer.word_overlap import cite_whole_quotations
from assistant.schema import Answer, Article, Passage
from assistant.text.attribution import Statement
from assistant.text.sentences import line_around, sentence_around
from assistant.text.tokens import tokenize

_PEOPLE = r"(?:people|persons|officials|experts|sources|speakers|politicians|executives|figures)"
_ASKS = re.compile(
    rf"^\s*(?:who|which\s+{_PEOPLE})\s+(?:is|are|was|were|has\s+been|have\s+been|gets?|got)\s+"
    r"quoted\s+(?:the\s+)?(?:most|more)?\s*(?:often\s+)?"
    r"(?:about|on|over|regarding|in\s+(?:the\s+)?(?:articles?|reports?|stories|coverage|news)"
    r"\s+(?:about|on|of))\s+(?P<subject>.+?)[\s?.!]*$"
    r"|^\s*who\s+(?:are|were)\s+the\s+(?:main|key|leading|most\s+quoted)\s+"
    r"(?:voices|speakers|sources|people(?:\s+quoted)?)\s+(?:on|about|in)\s+"
    r"(?P<voices>.+?)[\s?.!]*$"
    r"|^\s*who\s+(?:is|was)\s+(?:the\s+)?most(?:\s+often)?\s+quoted\s+(?:person\s+|source\s+)?"
    r"(?:on|about|in)\s+(?P<most>.+?)[\s?.!]*$",
    re.IGNORECASE,
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
# Speakers shown: those quoted in most articles.
SPEAKERS_SHOWN = 5


def asks_who_is_quoted(question: str) -> str | None:
    """The subject of a question about who is quoted on it ("OpenAI" for "Who is quoted most
    about OpenAI?"), or None for any other question."""
    match = _ASKS.match(" ".join(question.split()))
    if match is None:
        return None
    subject = next(g for g in ("subject", "voices", "most") if match.group(g))
    text = _LEADING_ARTICLE.sub("", match.group(subject).strip(" “”\"'"))
    return text if tokenize(text) else None


@dataclass
class _Speaker:
    """One speaker's statements on the subject, in the articles they are quoted in."""

    names: Counter[str] = field(default_factory=Counter)
    statements: list[tuple[Article, Statement]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names.most_common(1)[0][0]

    @property
    def articles(self) -> int:
        return len({article.id for article, _ in self.statements})


def quoted_most_answer(
    question: str,
    subject: str,
    mentions: Iterable[Mention],
    statements_of: Callable[[Article], list[Statement]],
    shown: int = SPEAKERS_SHOWN,
) -> Answer:
    """The `shown` speakers quoted in most of the articles that mention `subject` (a statement
    counts when its paragraph mentions it), one column each with one statement of theirs (see
    `_best_statement`), under a line saying what they were counted from."""
    found = list(mentions)
    if not found:
        return no_mention(question, subject)
    named = f"“{subject}”"
    words = set(tokenize(subject))
    speakers = _tally(found, statements_of, words)
    in_articles = counted(len(found), "article")
    mention = f"mention {named}" if len(found) != 1 else f"mentions {named}"
    if not speakers:
        quote = "quote nobody where they do" if len(found) != 1 else "quotes nobody where it does"
        return Answer(
            question=question, text=f"The {in_articles} that {mention} {quote}.", abstained=True
        )
    ranked = sorted(speakers, key=lambda s: (-s.articles, -len(s.statements), s.name))[:shown]
    columns = Columns()
    for speaker in ranked:
        article, statement = _best_statement(speaker, words)
        # Cited one by one: two speakers quoted in one sentence each get their column.
        (citation,), _ = cite_whole_quotations(
            [_sentence_of(article, statement)], {article.id: article.text}
        )
        count = (
            f"quoted in {counted(speaker.articles, 'article')} "
            f"({counted(len(speaker.statements), 'statement')})"
        )
        columns.add(speaker.name, [citation], f"{count}: {citation.quote} [{citation.n}]")
    are = "are" if len(speakers) != 1 else "is"
    lead = (
        f"In the {in_articles} that {mention}, {counted(len(speakers), 'speaker')} {are} "
        f"quoted beside a mention of it; {'the most often' if len(ranked) > 1 else 'the only one'}:"
    )
    return Answer(
        question=question,
        text="\n".join([lead, *columns.lines]),
        citations=columns.citations,
        layout=LAYOUT_BY_SPEAKER,
        groups=columns.groups,
    )


def _tally(
    mentions: list[Mention], statements_of: Callable[[Article], list[Statement]], words: set[str]
) -> list[_Speaker]:
    """Speakers of the statements whose paragraph has every word of the subject: a statement
    elsewhere in an article that mentions it is often on something else (a roundup's other
    items). One speaker per name in the fullest form each article writes it, case and a
    leading "the" aside ("the Kremlin" and "Kremlin" are one)."""
    by_key: dict[str, _Speaker] = {}
    for mention in mentions:
        text = mention.article.text
        for statement in statements_of(mention.article):
            name = _LEADING_ARTICLE.sub("", statement.canonical.strip())
            if not name[:1].isupper():
                continue
            start, end = line_around(text, statement.start, statement.end)
            if not words <= set(tokenize(text[start:end])):
                continue
            speaker = by_key.setdefault(name.casefold(), _Speaker())
            speaker.names[statement.canonical] += 1
            speaker.statements.append((mention.article, statement))
    return list(by_key.values())


def _best_statement(speaker: _Speaker, words: set[str]) -> tuple[Article, Statement]:
    """The statement to show: the one whose sentence has most of the subject's words, then
    the longest (a few words are seldom the point), then the latest."""

    def rank(item: tuple[Article, Statement]) -> tuple[int, int, str]:
        article, statement = item
        _, start, end, _ = _sentence_of(article, statement)
        shared = len(words & set(tokenize(article.text[start:end])))
        return shared, statement.end - statement.start, article.published_at or ""

    return max(speaker.statements, key=rank)


def _sentence_of(article: Article, statement: Statement) -> tuple[Passage, int, int, float]:
    """The sentence a statement starts in, to the statement's end, as a span to cite (a
    statement is a clause: its sentence names who says it)."""
    start, end = sentence_around(article.text, statement.start)
    end = max(end, statement.end)
    return passage_of(article, start, end), start, end, 0.0
