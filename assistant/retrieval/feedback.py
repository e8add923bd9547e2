"""Pseudo-relevance feedback: words the first results agree on, added to a second search.

A news question often describes its subject without naming it ("the individual alleged to have
built a crypto exchange on falsehoods"); the passages it needs then name that subject
("Bankman-Fried") and little else of the question. When several different articles among the
first results share a rare word the question lacks, that word is very likely the subject, and
searching for it too finds the passages that state the facts in their own words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

# A word must recur across articles to count as agreement: at least this many, and at least this
# share of the distinct articles among the first results.
MIN_ARTICLES = 2
MIN_ARTICLE_SHARE = 0.3
# Common words (low idf) say nothing about the subject, however often they recur.
MIN_IDF = 2.0


def feedback_terms(
    results: Sequence[tuple[str, Iterable[frozenset[str]]]],
    question_tokens: set[str],
    idf: Callable[[str], float],
    count: int,
) -> list[str]:
    """Up to `count` tokens, best first, that several of the results' articles share and the
    question lacks. `results` holds (article id, token sets of the passage's sentences)."""
    if count <= 0 or not results:
        return []
    articles_with: dict[str, set[str]] = defaultdict(set)
    for article_id, sentences in results:
        for sentence in sentences:
            for token in sentence:
                if token not in question_tokens:
                    articles_with[token].add(article_id)
    distinct = len({article_id for article_id, _ in results})
    needed = max(MIN_ARTICLES, MIN_ARTICLE_SHARE * distinct)
    ranked: list[tuple[float, str]] = []
    for token, articles in articles_with.items():
        weight = idf(token)
        if len(articles) >= needed and weight > MIN_IDF:
            ranked.append((len(articles) * weight, token))
    # Ties broken by the token itself so the same results always give the same terms.
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [token for _, token in ranked[:count]]
