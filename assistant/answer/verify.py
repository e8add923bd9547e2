"""The citation invariant: a quote is shown only if it is the article's text at its offsets."""

from __future__ import annotations

from collections.abc import Callable

from assistant.errors import CitationMismatchError
from assistant.schema import Article, Citation


def verify_citations(
    citations: list[Citation], article_for: Callable[[str], Article | None]
) -> list[Citation]:
    """Return the citations unchanged after checking each one against its article."""
    for citation in citations:
        article = article_for(citation.article_id)
        if article is None:
            raise CitationMismatchError(
                f"citation [{citation.n}] names unknown article {citation.article_id}"
            )
        if article.text[citation.start : citation.end] != citation.quote:
            raise CitationMismatchError(
                f"citation [{citation.n}] quote differs from {citation.article_id}"
                f"[{citation.start}:{citation.end}]"
            )
    return citations
