"""BM25 over chunks (bm25s), built at ingest, saved beside the store, loaded once per process."""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from pathlib import Path

import numpy as np

from assistant.text.tokens import tokenize


class LexicalIndex:
    """A bm25s index whose rows are chunk ids, plus document frequencies for sentence scoring."""

    def __init__(self, chunk_ids: list[str], retriever: object, df: dict[str, int]) -> None:
        self.chunk_ids = chunk_ids
        self.row_of = {chunk_id: row for row, chunk_id in enumerate(chunk_ids)}
        self._retriever = retriever
        self._df = df
        self._n = max(len(chunk_ids), 1)

    @classmethod
    def build(cls, chunk_ids: list[str], texts: list[str]) -> LexicalIndex:
        import bm25s

        corpus_tokens = [tokenize(text) for text in texts]
        retriever = bm25s.BM25()
        if corpus_tokens:
            retriever.index(corpus_tokens, show_progress=False)
        df: Counter[str] = Counter()
        for tokens in corpus_tokens:
            df.update(set(tokens))
        return cls(list(chunk_ids), retriever if corpus_tokens else None, dict(df))

    def idf(self, token: str) -> float:
        # A word the corpus never uses weighs like its rarest word, not more: otherwise one
        # unseen everyday word ("happen") outweighs every matched name in a small corpus.
        df = max(self._df.get(token, 0), 1)
        return math.log(1 + (self._n - df + 0.5) / (df + 0.5))

    def word_weights(self, text: str) -> dict[str, float]:
        """Each distinct word of `text` (as `tokenize` gives it) with its idf."""
        return {token: self.idf(token) for token in dict.fromkeys(tokenize(text))}

    def document_frequency(self, token: str) -> int:
        return self._df.get(token, 0)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk row for the query tokens (zeros when nothing matches)."""
        known = [t for t in query_tokens if t in self._df]
        if self._retriever is None or not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)  # type: ignore[attr-defined]

    def save(self, folder: Path, generation: str) -> None:
        """Write to a temporary folder, then swap it in, so a crash never leaves half an index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        if self._retriever is not None:
            self._retriever.save(str(tmp), show_progress=False)  # type: ignore[attr-defined]
        (tmp / "chunk_ids.json").write_text(json.dumps(self.chunk_ids))
        (tmp / "df.json").write_text(json.dumps(self._df))
        (tmp / "generation").write_text(generation)
        old = folder.with_name(folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, generation: str) -> LexicalIndex | None:
        """The saved index if it matches `generation`, else None (the caller rebuilds)."""
        try:
            if (folder / "generation").read_text() != generation:
                return None
            chunk_ids = json.loads((folder / "chunk_ids.json").read_text())
            df = json.loads((folder / "df.json").read_text())
        except (OSError, ValueError):
            return None
        retriever = None
        if chunk_ids:
            import bm25s

            try:
                retriever = bm25s.BM25.load(str(folder), show_progress=False)
            except (OSError, ValueError):
                return None
        return cls(chunk_ids, retriever, df)


def weighted_share(weights: dict[str, float], text: str) -> float:
    """The share of the weighted words (`LexicalIndex.word_weights`) that `text` contains."""
    return share_of_words(weights, set(tokenize(text)))


def share_of_words(weights: dict[str, float], words: set[str]) -> float:
    """The same for a text already split into its words (read once, compared many times)."""
    return sum(w for t, w in weights.items() if t in words) / (sum(weights.values()) or 1.0)
