"""Sentence vectors (opt-in): one embedding per sentence of every article, for scoring a chunk
by its best sentence's meaning, not only its best sentence's words.

A question's clause often paraphrases the fact it was built from ("unable to manage both
companies" for "could no longer run both companies"). Chunk vectors blur one sentence among
ten; BM25 and word coverage miss the paraphrase. The sentence that states the fact, embedded on
its own, is close to the clause. Costs about as much embedding again as the chunks at ingest,
hence a setting (`sentence_vectors`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from assistant.schema import ChunkId
from assistant.text.sentences import split_sentences

if TYPE_CHECKING:
    from assistant.index.table import ChunkTable


@dataclass(frozen=True)
class ArticleSentenceVectors:
    """An article's sentences as (start, end) offsets into its text, and their vectors."""

    content_hash: str
    offsets: np.ndarray  # int32, shape (sentences, 2)
    vectors: np.ndarray  # float16 on disk, shape (sentences, dimension)

    def to_blobs(self) -> tuple[bytes, bytes]:
        return (
            np.ascontiguousarray(self.offsets, dtype=np.int32).tobytes(),
            np.ascontiguousarray(self.vectors, dtype=np.float16).tobytes(),
        )

    @classmethod
    def from_blobs(
        cls, content_hash: str, offsets: bytes, vectors: bytes, dimension: int
    ) -> ArticleSentenceVectors:
        spans = np.frombuffer(offsets, dtype=np.int32).reshape(-1, 2)
        return cls(
            content_hash, spans, np.frombuffer(vectors, dtype=np.float16).reshape(-1, dimension)
        )


def _matmul_transposed(queries: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """queries @ vectors.T on torch's thread pool, the one the embedding model runs on. NumPy's
    OpenBLAS keeps its own threads spinning after a product; on a small machine they then
    compete with the model's next forward pass (question latency p50 88 -> 154 ms measured)."""
    import torch

    with torch.inference_mode():
        product = torch.from_numpy(queries) @ torch.from_numpy(vectors).T
    return product.numpy()


def article_sentences(text: str, max_chars: int) -> tuple[np.ndarray, list[str]]:
    """The sentence offsets chunking uses (so every chunk holds whole sentences of this list)
    and the sentence texts to embed."""
    sentences = split_sentences(text, max_chars=max_chars)
    offsets = np.array([(s.start, s.end) for s in sentences], dtype=np.int32).reshape(-1, 2)
    return offsets, [text[s.start : s.end] for s in sentences]


@dataclass(frozen=True)
class SentenceMatrix:
    """Every stored sentence vector, and for each chunk row of a table the sentences inside it
    (a sentence shared by two overlapping chunks is listed under both)."""

    vectors: np.ndarray  # float32, (sentences, dimension)
    members: np.ndarray  # sentence indices, grouped by row
    row_starts: np.ndarray  # where each covered row's group begins in `members`
    covered_rows: np.ndarray  # rows that have sentence vectors, in the order of their groups
    rows: int

    def best_similarity(self, queries: np.ndarray) -> np.ndarray:
        """(queries, rows): each row's highest cosine between a query vector and one of its
        sentences; 0 for rows without sentence vectors. Vectors are L2-normalised."""
        best = np.zeros((len(queries), self.rows), dtype=np.float32)
        if not len(self.members):
            return best
        similarity = _matmul_transposed(np.asarray(queries, dtype=np.float32), self.vectors)
        grouped = similarity[:, self.members]
        best[:, self.covered_rows] = np.maximum.reduceat(grouped, self.row_starts, axis=1)
        return best

    @property
    def sentence_count(self) -> int:
        return len(self.vectors)


def build_matrix(
    table: ChunkTable, stored: Mapping[str, ArticleSentenceVectors], dimension: int
) -> SentenceMatrix:
    """Align stored sentence vectors with the table's chunk rows. Vectors of another version of
    an article's text (its content hash differs from the chunk id's) are left out."""
    blocks: list[np.ndarray] = []
    members: list[np.ndarray] = []
    row_starts: list[int] = []
    covered: list[int] = []
    total = 0
    by_article: dict[str, list[int]] = {}
    for row, article_id in enumerate(table.article_ids):
        by_article.setdefault(str(article_id), []).append(row)
    position = 0
    for article_id, rows in by_article.items():
        entry = stored.get(article_id)
        if entry is None or not len(entry.offsets):
            continue
        version = ChunkId.version_for(entry.content_hash)
        rows = [row for row in rows if ChunkId.version_of(table.chunk_ids[row]) == version]
        if not rows:
            continue
        first = total
        blocks.append(np.asarray(entry.vectors, dtype=np.float32))
        total += len(entry.offsets)
        starts, ends = entry.offsets[:, 0], entry.offsets[:, 1]
        for row in rows:
            inside = np.flatnonzero((starts >= table.starts[row]) & (ends <= table.ends[row]))
            if not len(inside):
                continue
            members.append(inside + first)
            row_starts.append(position)
            covered.append(row)
            position += len(inside)
    return SentenceMatrix(
        vectors=np.concatenate(blocks) if blocks else np.zeros((0, dimension), np.float32),
        members=np.concatenate(members) if members else np.zeros(0, dtype=np.int64),
        row_starts=np.array(row_starts, dtype=np.int64),
        covered_rows=np.array(covered, dtype=np.int64),
        rows=len(table.chunk_ids),
    )
