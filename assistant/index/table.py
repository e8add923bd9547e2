"""ChunkTable: every chunk's article, offsets, outlet and date in arrays aligned with the BM25
rows, for filters and lookups without a database round trip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np

from assistant.schema import SearchFilter


@dataclass(frozen=True)
class ArticleMeta:
    title: str
    source: str
    url: str
    published_at: str | None


@dataclass
class ChunkTable:
    """In-memory view of every chunk, aligned with the BM25 rows, for filters and lookups."""

    chunk_ids: list[str]
    article_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    articles: dict[str, ArticleMeta]
    sources: np.ndarray
    dates: np.ndarray

    @cached_property
    def newest_day(self) -> date | None:
        """The newest publication date among the indexed articles (None when none has a date).
        Kept with the table: a question reads it up to three times, a new table comes with
        every published generation."""
        days = [meta.published_at[:10] for meta in self.articles.values() if meta.published_at]
        try:
            return date.fromisoformat(max(days)) if days else None
        except ValueError:
            return None

    @cached_property
    def articles_without_outlet(self) -> list[ArticleMeta]:
        """The articles that name no outlet (a plain text file may not)."""
        return [meta for meta in self.articles.values() if not meta.source]

    def row(self, chunk_id: str) -> int | None:
        return self._rows.get(chunk_id)

    def __post_init__(self) -> None:
        self._rows = {chunk_id: i for i, chunk_id in enumerate(self.chunk_ids)}


def filter_mask(filters: SearchFilter, table: ChunkTable) -> np.ndarray:
    """The rows of `table` that `filters` lets through."""
    mask = np.ones(len(table.chunk_ids), dtype=bool)
    if filters.article_ids:
        mask &= np.isin(table.article_ids, list(filters.article_ids))
    if filters.sources:
        mask &= np.isin(table.sources, [s.lower() for s in filters.sources])
    if filters.date_from:
        mask &= table.dates >= filters.date_from
    if filters.date_to:
        mask &= (table.dates <= filters.date_to) & (table.dates != "")
    return mask
