"""The news of a period ("What happened on November 17?", "What was in the news last week?"):
the stories published in it, one sentence each, as a timeline. A question about nothing but a
period has no words for a model to match, so the stories choose themselves: those that most
other reports of the period also tell of come first (a story in many reports is news), and
each is quoted by the sentence of its opening that says most of what its headline says."""

from __future__ import annotations

from collections.abc import Iterable

from assistant.answer.abstention import NOTHING_MORE_TEXT
from assistant.answer.already_said import SaidBefore
from assistant.answer.word_overlap import cite_whole_quotations
from assistant.index.lexical import LexicalIndex
from assistant.schema import Answer, Article, Passage
from assistant.text.sentences import asks_a_question, split_sentences, unfinished_line
from assistant.text.tokens import tokenize

# A report tells of another's story when it holds this share of that story's headline words
# (weighted by rarity).
_ECHO_SHARE = 0.5
# The opening sentences a story's quote is chosen from; fewer words than _MIN_WORDS is a
# dateline, a byline or a caption.
_OPENING_SENTENCES = 5
_MIN_WORDS = 6
_OPENING_CHARS = 3_000


def opening_sentences(article: Article) -> list[tuple[int, int]]:
    """The spans of the article's first sentences that read as sentences: not its headline
    repeated, not a line that ends no sentence, not a question, not a few words only."""
    text = article.text
    window = text[:_OPENING_CHARS]
    title = " ".join(article.title.split()).casefold()
    found: list[tuple[int, int]] = []
    for sentence in split_sentences(window, max_chars=len(window) + 1):
        words = text[sentence.start : sentence.end]
        if (
            unfinished_line(text, sentence.start, sentence.end)
            or asks_a_question(words)
            or len(words.split()) < _MIN_WORDS
            or " ".join(words.split()).casefold() == title
        ):
            continue
        found.append((sentence.start, sentence.end))
        if len(found) == _OPENING_SENTENCES:
            break
    return found


def _share(weights: dict[str, float], words: set[str]) -> float:
    return sum(w for t, w in weights.items() if t in words) / (sum(weights.values()) or 1.0)


def digest_answer(
    question: str,
    articles: Iterable[Article],
    group_of: dict[str, str],
    lexical: LexicalIndex,
    limit: int,
    said: SaidBefore | None = None,
) -> Answer | None:
    """Up to `limit` stories among `articles`, in publication order: those most other reports
    among them tell of, the latest first on a tie. A story's copies (grouped in `group_of`)
    count once, as its earliest; a story whose sentence the conversation already quoted
    (`said`, for "Tell me more") is left out. None when no article has a sentence to quote;
    `period_note` says how many stories there were when not all are quoted."""
    stories: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: (a.published_at or "", a.id)):
        stories.setdefault(group_of.get(article.id, article.id), article)
    weights = {a.id: lexical.word_weights(a.title) for a in stories.values()}
    words = {a.id: set(tokenize(a.text)) for a in stories.values()}

    def told_by(story: Article) -> int:
        return sum(
            1
            for other in stories.values()
            if other is not story and _share(weights[story.id], words[other.id]) >= _ECHO_SHARE
        )

    # Latest first, then (a stable sort) the stories most reports tell of first.
    ranked = sorted(stories.values(), key=lambda a: a.published_at or "", reverse=True)
    ranked.sort(key=lambda a: -told_by(a))
    spans: list[tuple[Passage, int, int, float]] = []
    for article in ranked:
        if len(spans) == limit:
            break
        opening = opening_sentences(article)
        if not opening:
            continue
        text = article.text
        # The headline's words say what the story is; the opening sentence that has most of
        # them tells it (the first on a tie: the lead).
        start, end = max(
            opening, key=lambda span: _share(weights[article.id], set(tokenize(text[slice(*span)])))
        )
        if said and said.repeats(text[start:end]):
            continue
        passage = Passage(
            chunk_id=f"{article.id}#opening",
            article_id=article.id,
            title=article.title,
            source=article.source,
            url=article.url,
            published_at=article.published_at,
            text=text[start:end],
            start=start,
            end=end,
            score=0.0,
        )
        spans.append((passage, start, end, 0.0))
    if not spans:
        if said:
            return Answer(question=question, text=NOTHING_MORE_TEXT, abstained=True)
        return None
    spans.sort(key=lambda span: (span[0].published_at or "", span[0].article_id))
    texts = {article.id: article.text for article in stories.values()}
    citations, parts = cite_whole_quotations(spans, texts)
    answer = Answer(question=question, text=" ".join(parts), citations=citations)
    if len(stories) > len(citations):
        which = "not quoted before" if said else "that most other reports also tell of"
        answer.period_note = (
            f"{len(stories)} stories were published then: the {len(citations)} {which} are "
            "quoted. Ask about a subject to search them all."
        )
    return answer
