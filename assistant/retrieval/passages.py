"""From table rows to Passages: the article text each chunk was cut from (never a newer version
of it), and the words of each chunk's sentences, both cached across questions."""

from __future__ import annotations

import numpy as np

from assistant.index.article_index import ArticleIndex, Copies
from assistant.index.table import ChunkTable
from assistant.schema import ChunkId, Passage
from assistant.text.sentences import split_sentences
from assistant.text.tokens import tokenize


class ChunkTexts:
    """Article texts and chunk sentences as the chunks saw them."""

    def __init__(self, index: ArticleIndex) -> None:
        self.index = index
        self._sentence_cache: dict[str, list[frozenset[str]]] = {}
        self._text_cache: dict[str, tuple[str, str]] = {}

    def article_text(self, article_id: str, chunk_id: str) -> str:
        """The article text the chunk was cut from, or "" when the article has been replaced
        or deleted since (chunk ids carry the content hash): stale offsets never cut a passage
        from another version of the text."""
        version = ChunkId.version_of(chunk_id)
        if ChunkId.version_for(self.index.registry.content_hash(article_id) or "") != version:
            return ""
        cached = self._text_cache.get(article_id)
        if cached is None or cached[0] != version:
            article = self.index.article(article_id)
            if article is None:
                return ""
            cached = (ChunkId.version_for(article.content_hash), article.text)
            if len(self._text_cache) > 5_000:
                self._text_cache.clear()
            self._text_cache[article_id] = cached
        return cached[1] if cached[0] == version else ""

    def sentence_tokens(self, row: int, table: ChunkTable) -> list[frozenset[str]]:
        """The words of each sentence of the chunk at `row`."""
        chunk_id = table.chunk_ids[row]
        cached = self._sentence_cache.get(chunk_id)
        if cached is None:
            article_id = str(table.article_ids[row])
            text = self.article_text(article_id, chunk_id)
            if not text:
                return []
            start, end = int(table.starts[row]), int(table.ends[row])
            window = text[start:end]
            cached = [
                frozenset(tokenize(window[s.start : s.end]))
                for s in split_sentences(window, max_chars=len(window) + 1)
            ]
            if len(self._sentence_cache) > 200_000:
                self._sentence_cache.clear()
            self._sentence_cache[chunk_id] = cached
        return cached

    def passages(
        self,
        merged: list[tuple[int, float]],
        bm25: np.ndarray,
        dense: dict[int, float],
        table: ChunkTable,
        copies: Copies | None = None,
        limit: int | None = None,
    ) -> list[Passage]:
        """The merged rows as Passages, in order, with each stage's score, up to `limit`; rows
        whose article changed since the snapshot are left out, and so are rows of a copy of a
        story whose first-ranked copy is another article (that one carries the others'
        outlets)."""
        passages: list[Passage] = []
        shown: dict[str, str] = {}
        for position, (row, list_score) in enumerate(merged):
            if limit is not None and len(passages) >= limit:
                break
            article_id = str(table.article_ids[row])
            meta = table.articles.get(article_id)
            group = copies.group_of.get(article_id) if copies else None
            if group is not None and shown.get(group, article_id) != article_id:
                continue
            text = self.article_text(article_id, table.chunk_ids[row]) if meta else ""
            if meta is None or not text:
                continue
            if group is not None:
                shown[group] = article_id
            start, end = int(table.starts[row]), int(table.ends[row])
            passages.append(
                Passage(
                    chunk_id=table.chunk_ids[row],
                    article_id=article_id,
                    title=meta.title,
                    source=meta.source,
                    url=meta.url,
                    published_at=meta.published_at,
                    text=text[start:end],
                    start=start,
                    end=end,
                    score=round(1.0 / (position + 1), 6),
                    dense_score=dense.get(row),
                    bm25_score=float(bm25[row]) if bm25[row] > 0 else None,
                    rank=len(passages) + 1,
                    list_score=round(list_score, 6),
                    also_published_by=copies.also_published_by.get(article_id, ())
                    if copies
                    else (),
                )
            )
        return passages
