"""Hybrid retrieval: BM25 and dense search, fused by normalised scores, with filters."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.embeddings import ArticleEmbeddings
from assistant.index import ArticleIndex, ChunkTable
from assistant.lexical import tokenize
from assistant.schema import Passage
from assistant.settings import Settings

RetrievalMode = Literal["hybrid", "bm25", "dense"]


@dataclass(frozen=True)
class SearchFilter:
    """Restrict retrieval to some articles, outlets or a date range (ISO dates, inclusive)."""

    article_ids: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> SearchFilter:
        data = data or {}
        return cls(
            article_ids=tuple(data.get("article_ids") or ()),
            sources=tuple(data.get("sources") or ()),
            date_from=data.get("date_from") or None,
            date_to=data.get("date_to") or None,
        )

    @property
    def empty(self) -> bool:
        return not (self.article_ids or self.sources or self.date_from or self.date_to)

    def row_mask(self, table: ChunkTable) -> np.ndarray:
        mask = np.ones(len(table.chunk_ids), dtype=bool)
        if self.article_ids:
            mask &= np.isin(table.article_ids, list(self.article_ids))
        if self.sources:
            mask &= np.isin(table.sources, [s.lower() for s in self.sources])
        if self.date_from:
            mask &= table.dates >= self.date_from
        if self.date_to:
            mask &= (table.dates <= self.date_to) & (table.dates != "")
        return mask

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.article_ids:
            clauses.append({"article_id": {"$in": list(self.article_ids)}})
        if self.sources:
            clauses.append({"source": {"$in": list(self.sources)}})
        if self.date_from:
            clauses.append({"published_day": {"$gte": int(self.date_from.replace("-", "")[:8])}})
        if self.date_to:
            clauses.append({"published_day": {"$lte": int(self.date_to.replace("-", "")[:8])}})
            clauses.append({"published_day": {"$gt": 0}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


@dataclass
class RetrievalResult:
    passages: list[Passage]
    timings: dict[str, float] = field(default_factory=dict)


class HybridSearcher:
    """Ranks chunks for a question. BM25 leads: on news, names and outlets carry the signal and
    the small dense model is the weaker retriever, so dense scores get a smaller weight."""

    def __init__(
        self, index: ArticleIndex, embeddings: ArticleEmbeddings, settings: Settings
    ) -> None:
        self.index = index
        self.embeddings = embeddings
        self.settings = settings

    def search(
        self,
        question: str,
        *,
        k: int | None = None,
        filters: SearchFilter | None = None,
        mode: RetrievalMode = "hybrid",
    ) -> RetrievalResult:
        k = k or self.settings.k
        filters = filters or SearchFilter()
        timings: dict[str, float] = {}
        lexical, table = self.index.snapshot()
        if not table.chunk_ids:
            return RetrievalResult([], timings)
        mask = filters.row_mask(table)
        if not mask.any():
            return RetrievalResult([], timings)
        candidates = max(self.settings.candidates, k)

        bm25 = np.zeros(len(table.chunk_ids), dtype=np.float32)
        if mode in ("hybrid", "bm25"):
            began = time.perf_counter()
            bm25 = lexical.scores(tokenize(question))
            bm25 = np.where(mask, bm25, 0.0)
            timings["bm25_ms"] = (time.perf_counter() - began) * 1000

        dense: dict[int, float] = {}
        if mode in ("hybrid", "dense"):
            began = time.perf_counter()
            vector = self.embeddings.encode([question])[0]
            timings["embed_ms"] = (time.perf_counter() - began) * 1000
            began = time.perf_counter()
            for chunk_id, similarity in self.index.store.query(
                vector, candidates, filters.chroma_where()
            ):
                row = table.row(chunk_id)
                if row is not None and mask[row]:
                    dense[row] = similarity
            timings["dense_ms"] = (time.perf_counter() - began) * 1000

        began = time.perf_counter()
        fused = self._fuse(bm25, dense, candidates, mode)
        passages = self._passages(fused, bm25, dense, table, k)
        timings["fuse_ms"] = (time.perf_counter() - began) * 1000
        return RetrievalResult(passages, timings)

    def _fuse(
        self, bm25: np.ndarray, dense: dict[int, float], candidates: int, mode: RetrievalMode
    ) -> list[tuple[int, float]]:
        scores: dict[int, float] = {}
        if mode in ("hybrid", "bm25"):
            top = np.argsort(-bm25)[:candidates]
            best = float(bm25[top[0]]) if len(top) else 0.0
            if best > 0:
                weight = self.settings.bm25_weight if mode == "hybrid" else 1.0
                for row in top:
                    if bm25[row] > 0:
                        scores[int(row)] = weight * float(bm25[row]) / best
        if mode in ("hybrid", "dense") and dense:
            values = np.array(list(dense.values()))
            low, high = float(values.min()), float(values.max())
            spread = max(high - low, 1e-6)
            weight = self.settings.dense_weight if mode == "hybrid" else 1.0
            for row, similarity in dense.items():
                # Min-max within the candidates puts dense on BM25's 0..1 scale.
                scores[row] = scores.get(row, 0.0) + weight * (similarity - low) / spread
        return sorted(scores.items(), key=lambda item: -item[1])

    def _passages(
        self,
        fused: list[tuple[int, float]],
        bm25: np.ndarray,
        dense: dict[int, float],
        table: ChunkTable,
        k: int,
    ) -> list[Passage]:
        per_article: dict[str, int] = {}
        passages: list[Passage] = []
        texts: dict[str, str] = {}
        for row, score in fused:
            article_id = str(table.article_ids[row])
            if per_article.get(article_id, 0) >= self.settings.max_passages_per_article:
                continue
            meta = table.articles.get(article_id)
            if meta is None:
                continue
            if article_id not in texts:
                article = self.index.article(article_id)
                if article is None:
                    continue
                texts[article_id] = article.text
            start, end = int(table.starts[row]), int(table.ends[row])
            per_article[article_id] = per_article.get(article_id, 0) + 1
            passages.append(
                Passage(
                    chunk_id=table.chunk_ids[row],
                    article_id=article_id,
                    title=meta.title,
                    source=meta.source,
                    url=meta.url,
                    published_at=meta.published_at,
                    text=texts[article_id][start:end],
                    start=start,
                    end=end,
                    score=round(score, 6),
                    dense_score=dense.get(row),
                    bm25_score=float(bm25[row]) if bm25[row] > 0 else None,
                    rank=len(passages) + 1,
                )
            )
            if len(passages) >= k:
                break
        return passages


class ArticleRetriever(BaseRetriever):
    """LangChain retriever over the article index: Documents carry offsets and article metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 10
    filters: SearchFilter = SearchFilter()
    mode: RetrievalMode = "hybrid"

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        result = self.searcher.search(query, k=self.k, filters=self.filters, mode=self.mode)
        return [passage_to_document(p) for p in result.passages]


def passage_to_document(passage: Passage) -> Document:
    metadata = passage.to_dict()
    text = metadata.pop("text")
    return Document(page_content=text, metadata=metadata, id=passage.chunk_id)
