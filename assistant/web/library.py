"""The side panel's article list: search, sort and pages, so that it serves 600 articles as
well as one; and a fingerprint of the collection to tell when the page must refresh."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from assistant.index.registry import ArticleSummary

PER_PAGE = 15
SORTS = ["Newest first", "Oldest first", "Title A–Z", "Outlet A–Z"]


@dataclass(frozen=True)
class TablePage:
    rows: list[tuple[str, str, str, int]]
    page: int  # 0-based, clamped to the pages there are
    pages: int
    matched: int
    total: int

    @property
    def label(self) -> str:
        if not self.total:
            return ""
        found = (
            f"{self.matched:,} of {self.total:,} articles"
            if self.matched != self.total
            else f"{self.total:,} article{'s' if self.total != 1 else ''}"
        )
        return f"{found} · page {self.page + 1} of {self.pages}" if self.pages > 1 else found


def _sorted(articles: list[ArticleSummary], sort: str) -> list[ArticleSummary]:
    by_title = sorted(articles, key=lambda a: a.title.casefold())
    if sort == "Title A–Z":
        return by_title
    if sort == "Outlet A–Z":
        return sorted(by_title, key=lambda a: (not a.source, a.source.casefold()))
    dated = [a for a in by_title if a.published_at]
    undated = [a for a in by_title if not a.published_at]
    dated.sort(key=lambda a: a.published_at or "", reverse=sort != "Oldest first")
    return dated + undated  # an article without a date sorts last either way


def table_page(
    articles: list[ArticleSummary], query: str, sort: str, page: int, per_page: int = PER_PAGE
) -> TablePage:
    """The rows of one page: articles whose title or outlet holds every word of `query`."""
    words = (query or "").casefold().split()
    matched = [a for a in articles if all(w in f"{a.title} {a.source}".casefold() for w in words)]
    ordered = _sorted(matched, sort if sort in SORTS else SORTS[0])
    pages = max(1, -(-len(ordered) // per_page))
    page = min(max(0, int(page or 0)), pages - 1)
    rows = [
        (a.title, a.source, a.published_at or "", a.chunk_count)
        for a in ordered[page * per_page : (page + 1) * per_page]
    ]
    return TablePage(rows=rows, page=page, pages=pages, matched=len(matched), total=len(articles))


def fingerprint(articles: list[ArticleSummary]) -> str:
    """Changes whenever an article is added, replaced or removed (by any process)."""
    digest = hashlib.sha256()
    for article in sorted(articles, key=lambda a: a.id):
        digest.update(f"{article.id}:{article.content_hash};".encode())
    return digest.hexdigest()
