"""Questions about an article rather than its story: when it was published, by which outlet
("When was the article published?", "Who published the article about the bridge?"). The answer
is the article's own details, each article cited by its opening sentence, so its card shows
the outlet and the date beside words of the article itself."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answer.abstention import NO_PASSAGES_TEXT
from assistant.answer.digest import opening_sentences, passage_of
from assistant.answer.word_overlap import cite_whole_quotations
from assistant.schema import Answer, Article, Passage

_ARTICLE = r"(?:the|this|that)\s+(?:article|story|report|piece|news\s+story)"
# "When was the article (about the bridge) published?", "Who published this story?", "Which
# outlet ran the report on the strike?", "What is the source of this article?"
_DETAILS = re.compile(
    rf"^\s*(?:"
    rf"when\s+(?:was|were)\s+{_ARTICLE}(?P<topic1>\s+(?:about|on)\s+.+?)?\s+"
    rf"(?:published|written|posted|released|out)|"
    rf"(?:who|which\s+(?:outlet|site|paper|newspaper|publication|news\s+site))\s+"
    rf"(?:published|wrote|posted|ran|reported|released)\s+"
    rf"{_ARTICLE}(?P<topic2>\s+(?:about|on)\s+.+?)?|"
    rf"(?:what\s+is|what['’]s|who\s+is)\s+the\s+"
    rf"(?:source|outlet|date|publication\s+date|author|writer)\s+of\s+"
    rf"{_ARTICLE}(?P<topic3>\s+(?:about|on)\s+.+?)?|"
    rf"where\s+(?:is|was)\s+{_ARTICLE}(?P<topic4>\s+(?:about|on)\s+.+?)?\s+(?:from|published)"
    rf")[\s?.!]*$",
    re.IGNORECASE,
)
# "Who wrote the article?", "the author of this story": a name the library does not keep.
_AUTHOR = re.compile(r"\bwho\s+wrote\b|\bauthors?\b|\bwriters?\b", re.IGNORECASE)
# Articles named when a question about "the article … about X" matches several, and the
# passages found for X they are taken from.
_CLOSEST = 3
SUBJECT_PASSAGES = 5


def asks_for_details(question: str) -> str | None:
    """For a question about an article's details, the subject it finds the article by ("the
    bridge" in "… the article about the bridge …"; "" when it names none). None for any other
    question."""
    match = _DETAILS.match(question)
    if match is None:
        return None
    topics = [match.group(f"topic{n}") for n in range(1, 5)]
    named = next((t for t in topics if t), "")
    return re.sub(r"^\s*(?:about|on)\s+", "", named, flags=re.IGNORECASE).strip()


def _details(article: Article) -> str:
    """ "euronews published “NATO accuses Russia …” on 2022-02-17", as far as it is known."""
    day = (article.published_at or "")[:10]
    title = f"“{article.title}”"
    if article.source and day:
        return f"{article.source} published {title} on {day}"
    if article.source:
        return f"{article.source} published {title} (no publication date given)"
    if day:
        return f"{title} was published on {day} (no outlet given)"
    return f"{title} names no outlet and no publication date"


def details_answer(question: str, articles: Sequence[Article]) -> Answer:
    """The details of one article, or of the closest few, each cited by its opening sentence.
    Several articles and no way to tell which is meant: the reader is asked."""
    if not articles:
        return Answer(question=question, text=NO_PASSAGES_TEXT, abstained=True)
    chosen = list(articles[:_CLOSEST])
    spans: list[tuple[Passage, int, int, float]] = []
    for article in chosen:
        opening = opening_sentences(article)
        if opening:
            start, end = opening[0]
            spans.append((passage_of(article, start, end), start, end, 0.0))
    citations, _ = cite_whole_quotations(spans, {a.id: a.text for a in chosen})
    numbers = {c.article_id: f" [{c.n}]" for c in citations}
    lines = [f"{_details(a)}{numbers.get(a.id, '')}" for a in chosen]
    lead = "" if len(chosen) == 1 else "The closest matching articles: "
    text = lead + "; ".join(lines) + "."
    if _AUTHOR.search(question):
        text += " Who wrote it is not recorded: an article's outlet and day are."
    return Answer(question=question, text=text, citations=citations)


def which_article(question: str, count: int) -> Answer:
    """A question about "the article" in a library of several: which one?"""
    return Answer(
        question=question,
        text=(
            f"Which article? {count:,} are indexed: name its subject (“When was the article "
            "about the bridge published?”) or pick it with the filter."
        ),
        abstained=True,
        needs_clarification=True,
    )
