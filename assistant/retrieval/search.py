"""Hybrid retrieval as a short list of stages: BM25 and dense candidates -> fusion -> per-clause
lists (query analysis) -> round-robin merge -> passages -> clause rerank."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.index.article_index import ArticleIndex
from assistant.index.table import filter_mask
from assistant.index.vectors import chroma_where
from assistant.models.cross_encoder import RelevanceScorer
from assistant.models.embeddings import ArticleEmbeddings
from assistant.retrieval.candidates import bm25_scores, dense_candidates
from assistant.retrieval.clauses import ClauseLists, OutletMatcher
from assistant.retrieval.fusion import fuse, merge_round_robin
from assistant.retrieval.passages import ChunkTexts
from assistant.retrieval.rerank import ClauseReranker, NoRerank, Reranker
from assistant.retrieval.retriever import ArticleRetriever, RetrievalMode
from assistant.schema import Passage, SearchFilter
from assistant.settings import Settings
from assistant.text.question_analysis import analyse_question

__all__ = ["ArticleRetriever", "HybridSearcher", "RetrievalMode", "RetrievalResult"]


@dataclass
class RetrievalResult:
    passages: list[Passage]
    timings: dict[str, float] = field(default_factory=dict)
    # Words the second search added (pseudo-relevance feedback), for explaining a ranking.
    feedback: list[str] = field(default_factory=list)


class HybridSearcher:
    """Ranks chunks for a question. BM25 leads: on news, names and outlets carry the signal and
    the small dense model is the weaker retriever, so dense scores get a smaller weight."""

    def __init__(
        self,
        index: ArticleIndex,
        embeddings: ArticleEmbeddings,
        settings: Settings,
        scorer: Callable[[], RelevanceScorer | None] | None = None,
        *,
        default_mode: RetrievalMode = "hybrid",
    ) -> None:
        self.index = index
        self.embeddings = embeddings
        self.settings = settings
        self.default_mode = default_mode
        self.texts = ChunkTexts(index)
        self.outlets = OutletMatcher()
        self.clause_lists = ClauseLists(
            settings, self.texts, embeddings.encode_queries, index.sentence_matrix
        )
        self.reranker: Reranker = (
            NoRerank()
            if settings.reranker == "none" or scorer is None
            else ClauseReranker(
                scorer, settings.clause_rerank_prior, settings.clause_rerank_shortlist
            )
        )

    def search(
        self,
        question: str,
        *,
        k: int | None = None,
        filters: SearchFilter | None = None,
        mode: RetrievalMode | None = None,
    ) -> RetrievalResult:
        mode = mode or self.default_mode
        k = k or self.settings.k
        filters = filters or SearchFilter()
        timings: dict[str, float] = {}
        lexical, table = self.index.snapshot()
        if not table.chunk_ids:
            return RetrievalResult([], timings)
        mask = filter_mask(filters, table)
        if not mask.any():
            return RetrievalResult([], timings)
        candidates = max(self.settings.candidates, k)
        hybrid = mode == "hybrid"

        bm25 = np.zeros(len(table.chunk_ids), dtype=np.float32)
        if mode in ("hybrid", "bm25"):
            began = time.perf_counter()
            bm25 = bm25_scores(lexical, question, mask)
            timings["bm25_ms"] = (time.perf_counter() - began) * 1000

        dense: dict[int, float] = {}
        if mode in ("hybrid", "dense"):
            began = time.perf_counter()
            vector = self.embeddings.encode_queries([question])[0]
            timings["embed_ms"] = (time.perf_counter() - began) * 1000
            began = time.perf_counter()
            where = chroma_where(filters)
            dense = dense_candidates(self.index.store, table, vector, candidates, where, mask)
            timings["dense_ms"] = (time.perf_counter() - began) * 1000

        began = time.perf_counter()
        fused = fuse(
            bm25,
            dense,
            candidates,
            bm25_weight=self.settings.bm25_weight if hybrid else 1.0,
            dense_weight=self.settings.dense_weight if hybrid else 1.0,
        )
        lists, expansion = [fused], []
        clauses: list[str] = []
        if hybrid and self.settings.query_analysis:
            analysis = analyse_question(question, self.outlets(table), table.newest_day)
            lists, expansion = self.clause_lists.lists(
                analysis, question, fused, lexical, table, mask, dense
            )
            clauses = [clause.text for clause in analysis.clauses]
        rerank = (
            len(clauses) >= 2
            and self.settings.clause_rerank_depth > 0
            and not isinstance(self.reranker, NoRerank)
        )
        depth = max(k, self.settings.clause_rerank_depth) if rerank else k
        cap = self.settings.max_passages_per_article
        merged = merge_round_robin(lists, table, cap, depth)
        copies = self.index.copies(table)
        if any(str(table.article_ids[row]) in copies.group_of for row, _ in merged):
            # Copies of a story the list already shows are left out, and the next rows fill
            # their places: the merge takes rows in the same order whatever its depth, so
            # merging every row and cutting after the copies are out keeps the ranking.
            everything = sum(len(ranked) for ranked in lists)
            merged = merge_round_robin(lists, table, cap, everything)
        passages = self.texts.passages(merged, bm25, dense, table, copies, limit=depth)
        timings["fuse_ms"] = (time.perf_counter() - began) * 1000
        if rerank:
            began = time.perf_counter()
            passages = self.reranker.rerank(passages, clauses, lexical)
            timings["rerank_ms"] = (time.perf_counter() - began) * 1000
        return RetrievalResult(passages[:k], timings, expansion)
