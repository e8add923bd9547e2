"""What the articles say as a whole, in their own words. The news of a period ("What happened on
November 17?", "What was in the news last week?"), or a summary of several articles: their
stories, one sentence each, as a timeline. A summary of one article ("Summarize the article"):
its opening sentences. Such a question has no words for a model to match, so the stories choose
themselves: those that most other reports of the period also tell of come first (a story in
many reports is news), and each is quoted by the sentence of its opening that says most of what
its headline says."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from assistant.answer.abstention import ABSTAIN_TEXT, NOTHING_MORE_TEXT
from assistant.answer.already_said import SaidBefore
from assistant.answer.word_overlap import cite_whole_quotations
from assistant.index.lexical import LexicalIndex, share_of_words, weighted_share
from assistant.schema import Answer, Article, Passage
from assistant.text.sentences import asks_a_question, split_sentences, unfinished_line
from assistant.text.tokens import tokenize

# Sentences a summary of one article quotes at a time.
SUMMARY_SENTENCES = 5
# A report tells of another's story when it holds this share of that story's headline words
# (weighted by rarity).
_ECHO_SHARE = 0.5
# The opening sentences a story's quote is chosen from; fewer words than _MIN_WORDS is a
# dateline, a byline or a caption.
_OPENING_SENTENCES = 5
_MIN_WORDS = 6
_OPENING_CHARS = 3_000


def readable_sentences(article: Article, chars: int | None = None) -> Iterator[tuple[int, int]]:
    """The spans of the article's sentences (in its first `chars` characters) that read as
    sentences: not its headline repeated, not a line that ends no sentence, not a question,
    not a few words only."""
    text = article.text
    window = text[:chars] if chars else text
    title = " ".join(article.title.split()).casefold()
    for sentence in split_sentences(window, max_chars=len(window) + 1):
        words = text[sentence.start : sentence.end]
        if (
            unfinished_line(text, sentence.start, sentence.end)
            or asks_a_question(words)
            or len(words.split()) < _MIN_WORDS
            or " ".join(words.split()).casefold() == title
        ):
            continue
        yield sentence.start, sentence.end


def opening_sentences(article: Article) -> list[tuple[int, int]]:
    """The first few readable sentences of the article."""
    return list(islice(readable_sentences(article, _OPENING_CHARS), _OPENING_SENTENCES))


def article_summary(
    question: str, article: Article, count: int, said: SaidBefore | None = None
) -> Answer:
    """One article in its own words: its first `count` readable sentences after those the
    conversation already quoted ("Tell me more" reads on). News is written lead first, so the
    opening says what the story is, and reading on adds what matters next."""
    text = article.text
    passage = passage_of(article, 0, len(text))
    unsaid = (
        (passage, start, end, 0.0)
        for start, end in readable_sentences(article)
        if not (said and said.repeats(text[start:end]))
    )
    spans = list(islice(unsaid, count))  # read no further than needed: an article can be long
    if not spans:
        message = NOTHING_MORE_TEXT if said else ABSTAIN_TEXT
        return Answer(question=question, text=message, abstained=True)
    citations, parts = cite_whole_quotations(spans, {article.id: text})
    return Answer(question=question, text=" ".join(parts), citations=citations)


def passage_of(article: Article, start: int, end: int) -> Passage:
    """A span of the article as a passage to cite from."""
    return Passage(
        chunk_id=f"{article.id}#{start}",
        article_id=article.id,
        title=article.title,
        source=article.source,
        url=article.url,
        published_at=article.published_at,
        text=article.text[start:end],
        start=start,
        end=end,
        score=0.0,
    )


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
            if other is not story
            and share_of_words(weights[story.id], words[other.id]) >= _ECHO_SHARE
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
            opening, key=lambda span: weighted_share(weights[article.id], text[slice(*span)])
        )
        if said and said.repeats(text[start:end]):
            continue
        spans.append((passage_of(article, start, end), start, end, 0.0))
    if not spans:
        if said:
            return Answer(question=question, text=NOTHING_MORE_TEXT, abstained=True)
        return None
    # Oldest first, as a timeline reads; undated last.
    spans.sort(
        key=lambda span: (not span[0].published_at, span[0].published_at or "", span[0].article_id)
    )
    texts = {article.id: article.text for article in stories.values()}
    citations, parts = cite_whole_quotations(spans, texts)
    answer = Answer(question=question, text=" ".join(parts), citations=citations)
    if len(stories) > len(citations):
        which = "not quoted before" if said else "that most other reports also tell of"
        answer.period_note = (
            f"Of {len(stories)} stories, the {len(citations)} {which} are quoted. Ask about a "
            "subject to search them all."
        )
    return answer
