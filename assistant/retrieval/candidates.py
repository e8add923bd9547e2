"""The two first-stage searches: BM25 over every chunk, and the dense model's nearest chunks."""

from __future__ import annotations

from typing import Any

import numpy as np

from assistant.index.lexical import LexicalIndex
from assistant.index.table import ChunkTable
from assistant.index.vectors import ChunkStore
from assistant.text.tokens import tokenize


def bm25_scores(lexical: LexicalIndex, text: str, mask: np.ndarray) -> np.ndarray:
    """Every chunk's BM25 score for `text` (0 outside `mask`), aligned with the table's rows."""
    return np.where(mask, lexical.scores(tokenize(text)), 0.0)


def dense_candidates(
    store: ChunkStore,
    table: ChunkTable,
    vector: np.ndarray,
    count: int,
    where: dict[str, Any] | None,
    mask: np.ndarray,
) -> dict[int, float]:
    """Row -> cosine similarity for the `count` nearest chunks that `mask` lets through."""
    found: dict[int, float] = {}
    for chunk_id, similarity in store.query(vector, count, where):
        row = table.row(chunk_id)
        if row is not None and mask[row]:
            found[row] = similarity
    return found
