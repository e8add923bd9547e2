"""What the assistant says when it does not answer: the articles don't cover the question, a
filter leaves out what would, or the question points back at something never named."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.schema import SearchFilter

ABSTAIN_TEXT = (
    "The indexed articles don't cover this question. The closest passages are listed as related; "
    "none of them answers it."
)
# The best passage reports the event the question asks about as still to come.
PENDING_TEXT = (
    "The indexed articles don't say how this turned out: the closest report, listed as related, "
    "was written before it happened."
)
# A follow-up asking for more ("What else did he say?") when all that answers it was said.
NOTHING_MORE_TEXT = (
    "The indexed articles say nothing more on this than the earlier answers already quoted."
)


def not_quoted_on(speaker: str, topic: str) -> str:
    """A "what did X say about Y" question whose best sentence is about something else."""
    return (
        f"None of the passages found quotes {speaker} on {topic}. The closest passages are "
        "listed as related; none of them answers it."
    )


NO_PASSAGES_TEXT = "The indexed articles don't cover this question: no passage matches it."
NO_ARTICLES_TEXT = "No articles are indexed yet: add some with `assistant ingest PATH`."


def _either(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _both(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def outlets_not_in_library(outlets: list[str]) -> str:
    """The abstention for a question about what outlets reported when the library has no
    article from any of them."""
    return (
        f"No articles from {_either(outlets)} are in the library, so what they reported can't "
        "be quoted. The closest passages from other outlets are listed as related."
    )


def describe_filter(filters: SearchFilter, titles: Mapping[str, str]) -> str:
    """The articles a filter lets through, as a phrase: "the articles published from 2023-01-01
    on", "“Tidal lagoon approved” from Coastal News". `titles` maps article ids to titles."""
    if len(filters.article_ids) == 1:
        title = titles.get(filters.article_ids[0])
        phrase = f"“{title}”" if title else "the chosen article"
    elif filters.article_ids:
        phrase = f"the {len(filters.article_ids)} chosen articles"
    else:
        phrase = "the articles"
    if filters.sources:
        phrase += f" from {_either(list(filters.sources))}"
    if filters.date_from and filters.date_to:
        phrase += f" published between {filters.date_from} and {filters.date_to}"
    elif filters.date_from:
        phrase += f" published from {filters.date_from} on"
    elif filters.date_to:
        phrase += f" published up to {filters.date_to}"
    return phrase


def _without_filter(article_count: int, narrowed_by: str) -> str:
    every = "the one indexed article" if article_count == 1 else f"all {article_count:,} articles"
    return f"Ask again without {narrowed_by} to search {every}."


def narrowed_by(*, filtered: bool, period_phrase: str = "") -> str:
    """What narrowed the search, as the advice names it: "the filter", "“in October 2023”"
    (a period the question itself names) or both."""
    phrase = f"“{period_phrase}”" if period_phrase else ""
    if filtered and phrase:
        return f"the filter and {phrase}"
    return phrase or "the filter"


def filtered_abstention(
    scope: str, *, related: bool, article_count: int, narrowed: str = "the filter"
) -> str:
    """Nothing inside the filter answers the question."""
    listed = " The closest passages in them are listed as related; none of them answers it."
    return (
        f"Nothing in {scope} covers this question.{listed if related else ''} "
        f"{_without_filter(article_count, narrowed)}"
    )


def empty_scope(scope: str, *, article_count: int, narrowed: str = "the filter") -> str:
    """The filter lets no article through at all."""
    return f"No indexed article is among {scope}. {_without_filter(article_count, narrowed)}"


def names_outside_scope(
    scope: str, names: list[str], *, article_count: int, narrowed: str = "the filter"
) -> str:
    """Only articles outside the filter mention who or what the question names."""
    advice = _without_filter(article_count, narrowed)
    return f"Nothing in {scope} mentions {_both(names)}. {advice}"


def unknown_names_in_filter(scope: str, names: list[str]) -> str:
    """No article at all mentions them: dropping the filter would not help, so it is not offered."""
    return (
        f"No indexed article mentions {_both(names)}, with or without the filter "
        f"(searched: {scope})."
    )


# "Is that true?": the articles can't settle it, but their quotes name who says so.
CANNOT_JUDGE_TEXT = (
    "The articles report who said what, not whether it is true: each quote names where it comes "
    "from (its outlet, and who said it). To see each side, ask “Who said what about …?” with "
    "the subject."
)
NOTHING_ASKED_TEXT = (
    "What would you like to know? Ask about a person, a place, an event or what someone said "
    "in the articles."
)


def clarification(words: list[str]) -> str:
    """The question only points back ("What did he say about it?") at nothing named before."""
    quoted = _both([f"“{word}”" for word in words])
    return (
        f"Who or what do you mean by {quoted}? Nothing earlier in this conversation says: "
        "ask again with the name or the subject."
    )
