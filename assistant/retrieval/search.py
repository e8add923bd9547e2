"""Hybrid retrieval: BM25 and dense search, fused by normalised scores, with filters."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.index.article_index import ArticleIndex
from assistant.index.lexical import LexicalIndex
from assistant.index.table import ChunkTable, filter_mask
from assistant.index.vectors import chroma_where
from assistant.models.cross_encoder import RelevanceScorer
from assistant.models.embeddings import ArticleEmbeddings
from assistant.retrieval.feedback import feedback_terms
from assistant.retrieval.rerank import rerank_by_clauses
from assistant.schema import ChunkId, Passage, SearchFilter
from assistant.settings import Settings
from assistant.text.question_analysis import Clause, SourceMatcher, analyse_question
from assistant.text.sentences import split_sentences
from assistant.text.tokens import tokenize

RetrievalMode = Literal["hybrid", "bm25", "dense"]


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
        reranker: Callable[[], RelevanceScorer | None] | None = None,
        *,
        default_mode: RetrievalMode = "hybrid",
    ) -> None:
        self.index = index
        self.default_mode = default_mode
        self.embeddings = embeddings
        self.settings = settings
        # Asked for on first use: the cross-encoder loads only when a question needs it.
        self.reranker = reranker or (lambda: None)
        self._matcher_table: ChunkTable | None = None
        self._source_matcher = SourceMatcher([])
        self._sentence_cache: dict[str, list[frozenset[str]]] = {}
        self._text_cache: dict[str, tuple[str, str]] = {}

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
                vector, candidates, chroma_where(filters)
            ):
                row = table.row(chunk_id)
                if row is not None and mask[row]:
                    dense[row] = similarity
            timings["dense_ms"] = (time.perf_counter() - began) * 1000

        began = time.perf_counter()
        fused = self._fuse(bm25, dense, candidates, mode)
        lists, expansion = [fused], []
        if mode == "hybrid" and self.settings.query_analysis:
            lists, expansion = self._analysed_lists(question, fused, lexical, table, mask, dense)
        clauses = self._clauses_to_rerank(question, table, mode)
        depth = max(k, self.settings.clause_rerank_depth) if clauses else k
        merged = merge_round_robin(lists, table, self.settings.max_passages_per_article, depth)
        passages = self._passages(merged, bm25, dense, table)
        timings["fuse_ms"] = (time.perf_counter() - began) * 1000
        if clauses:
            began = time.perf_counter()
            scorer = self.reranker()
            if scorer is not None:
                passages = rerank_by_clauses(
                    passages, clauses, scorer, lexical, self.settings.clause_rerank_prior
                )
            timings["rerank_ms"] = (time.perf_counter() - began) * 1000
        return RetrievalResult(passages[:k], timings, expansion)

    def _clauses_to_rerank(
        self, question: str, table: ChunkTable, mode: RetrievalMode
    ) -> list[str]:
        """The clauses of a multi-part question, when the cross-encoder is to reorder its
        passages; else none. A single-clause question keeps the pipeline's order: there the
        whole question is the clause, and whole-question scores measured worse."""
        if (
            mode != "hybrid"
            or not self.settings.query_analysis
            or self.settings.clause_rerank_depth <= 0
            or self.settings.reranker == "none"
        ):
            return []
        clauses = [c.text for c in analyse_question(question, self._matcher(table)).clauses]
        return clauses if len(clauses) >= 2 else []

    def _matcher(self, table: ChunkTable) -> SourceMatcher:
        # Keyed by the table object itself (a new one comes with every published generation);
        # an id() could be reused by a later table and keep a stale list of outlets.
        if self._matcher_table is not table:
            self._source_matcher = SourceMatcher(meta.source for meta in table.articles.values())
            self._matcher_table = table
        return self._source_matcher

    def _analysed_lists(
        self,
        question: str,
        fused: list[tuple[int, float]],
        lexical: LexicalIndex,
        table: ChunkTable,
        mask: np.ndarray,
        dense: dict[int, float],
    ) -> tuple[list[list[tuple[int, float]]], list[str]]:
        """One ranked list for the whole question, restricted to the outlets it names, and one
        per clause, restricted to the outlets that clause names, its candidates re-scored by
        their best sentence: the sentence that states a fact, not the chunk that repeats words.
        With feedback on, the clause lists are ranked twice: the second time also for the rare
        words the first results' articles agree on (see feedback.py); those words come back too."""
        analysis = analyse_question(question, self._matcher(table))
        if not analysis.sources and len(analysis.clauses) < 2:
            return [fused], []
        named_mask = self._source_mask(analysis.sources, table, mask)
        whole = [(row, score) for row, score in fused if named_mask[row]] or fused
        if len(analysis.sources) > 1:
            whole = interleave_by_source(whole, table)
        matrix = None
        if self.settings.sentence_vectors and analysis.clauses:
            matrix = self.index.sentence_matrix(table)
        if matrix is not None and not matrix.sentence_count:
            matrix = None
        use_clause_dense = self.settings.clause_dense_weight > 0 and bool(dense)
        clause_vectors = None
        if use_clause_dense or matrix is not None:
            clause_vectors = np.asarray(
                self.embeddings.encode([c.text for c in analysis.clauses]), dtype=np.float32
            )
        # Each chunk's closest sentence to each clause, computed once for both rankings.
        sentence_similarity: list[np.ndarray | None] = [None] * len(analysis.clauses)
        if matrix is not None and clause_vectors is not None:
            sentence_similarity = list(matrix.best_similarity(clause_vectors))
        clause_masks = [
            self._source_mask(clause.sources or analysis.sources, table, mask)
            for clause in analysis.clauses
        ]
        clause_dense: list[dict[int, float]] = [
            self._clause_dense(clause_vectors[number], table, clause_masks[number])
            if clause_vectors is not None and use_clause_dense
            else {}
            for number in range(len(analysis.clauses))
        ]

        def rank_clauses(expansion: list[str]) -> list[list[tuple[int, float]]]:
            lists = [whole]
            for number, clause in enumerate(analysis.clauses):
                ranked = self._clause_list(
                    clause,
                    lexical,
                    table,
                    clause_masks[number],
                    dense,
                    clause_dense[number],
                    expansion,
                    sentence_similarity[number],
                )
                if ranked:
                    lists.append(ranked)
            return lists

        # Agreement leads only where the whole-question list is the plain ranking cut to the
        # outlets named: a question naming none keeps its plain ranking's head, which measured
        # better there (seed gold set MRR@10 0.915 against 0.903 with the lead).
        def lead(lists: list[list[tuple[int, float]]]) -> list[list[tuple[int, float]]]:
            return lead_with_agreement(lists, table) if analysis.sources else lists

        lists = rank_clauses([])
        if self.settings.feedback_terms <= 0:
            return lead(lists), []
        first = merge_round_robin(
            lists, table, self.settings.max_passages_per_article, self.settings.k
        )
        expansion = feedback_terms(
            [(str(table.article_ids[row]), self._sentence_tokens(row, table)) for row, _ in first],
            set(tokenize(question)),
            lexical.idf,
            self.settings.feedback_terms,
        )
        return (
            lead(rank_clauses(expansion) if expansion else lists),
            expansion,
        )

    def _clause_dense(
        self, vector: np.ndarray, table: ChunkTable, mask: np.ndarray
    ) -> dict[int, float]:
        """Similarity of the clause to its nearest chunks inside the clause's outlets."""
        sources = sorted({str(table.sources[row]) for row in np.flatnonzero(mask)})
        where = None
        if len(sources) < len(set(table.sources.tolist())):
            originals = {m.source.lower(): m.source for m in table.articles.values()}
            where = {"source": {"$in": [originals[s] for s in sources if s in originals]}}
        found: dict[int, float] = {}
        for chunk_id, similarity in self.index.store.query(
            vector, self.settings.clause_pool, where
        ):
            row = table.row(chunk_id)
            if row is not None and mask[row]:
                found[row] = similarity
        return found

    @staticmethod
    def _source_mask(sources: tuple[str, ...], table: ChunkTable, mask: np.ndarray) -> np.ndarray:
        if not sources:
            return mask
        return mask & np.isin(table.sources, [source.lower() for source in sources])

    def _clause_list(
        self,
        clause: Clause,
        lexical: LexicalIndex,
        table: ChunkTable,
        mask: np.ndarray,
        dense: dict[int, float],
        clause_dense: dict[int, float] | None = None,
        expansion: list[str] | None = None,
        sentence_similarity: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        tokens = list(dict.fromkeys(tokenize(clause.text)))
        if not tokens:
            return []
        clause_dense = clause_dense or {}
        expansion = [token for token in expansion or () if token not in tokens]
        feedback_weight = self.settings.feedback_weight
        scores = lexical.scores(tokens)
        if expansion:
            scores = scores + feedback_weight * lexical.scores(expansion)
        scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[: self.settings.clause_pool]
        pool = [int(row) for row in top if scores[row] > 0]
        # Chunks that only the clause's meaning finds (paraphrase) join the lexical pool.
        pool += [row for row in clause_dense if row not in set(pool)]
        if not pool:
            return []
        best = float(scores.max()) or 1.0
        low = min(clause_dense.values(), default=0.0)
        spread = max(max(clause_dense.values(), default=0.0) - low, 1e-6)
        weights = {token: lexical.idf(token) for token in tokens}
        # Coverage is a share of the clause's own words; feedback words add to it, at their
        # weight, but do not enlarge the whole, so a clause's exact wording still leads.
        total = sum(weights.values()) or 1.0
        weights.update({token: feedback_weight * lexical.idf(token) for token in expansion})
        near_dates = {
            (day + timedelta(days=offset)).isoformat()
            for day in clause.dates
            for offset in (-1, 0, 1)
        }
        sentence_weight = self.settings.sentence_weight
        rescored = []
        for row in pool:
            sentences = self._sentence_tokens(row, table)
            matched = (sum(w for t, w in weights.items() if t in words) for words in sentences)
            coverage = max(matched, default=0.0) / total
            score = (1 - sentence_weight) * float(scores[row]) / best + sentence_weight * coverage
            score += self.settings.dense_weight * 0.2 * dense.get(row, 0.0)
            if row in clause_dense:
                score += self.settings.clause_dense_weight * (clause_dense[row] - low) / spread
            if sentence_similarity is not None:
                # The clause's meaning against the chunk's closest sentence: paraphrase that
                # shares few words with the clause still counts.
                score += self.settings.sentence_vector_weight * float(sentence_similarity[row])
            if near_dates and str(table.dates[row]) in near_dates:
                # A clause that names a day ("on October 13, 2023") usually means that day's report.
                score += 0.3
            rescored.append((row, score))
        rescored.sort(key=lambda item: -item[1])
        return rescored

    def _sentence_tokens(self, row: int, table: ChunkTable) -> list[frozenset[str]]:
        chunk_id = table.chunk_ids[row]
        cached = self._sentence_cache.get(chunk_id)
        if cached is None:
            article_id = str(table.article_ids[row])
            text = self._article_text(article_id, chunk_id)
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

    def _article_text(self, article_id: str, chunk_id: str) -> str:
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
        ranked: list[tuple[int, float]],
        bm25: np.ndarray,
        dense: dict[int, float],
        table: ChunkTable,
    ) -> list[Passage]:
        passages: list[Passage] = []
        for row, score in ranked:
            article_id = str(table.article_ids[row])
            meta = table.articles.get(article_id)
            text = self._article_text(article_id, table.chunk_ids[row]) if meta else ""
            if meta is None or not text:
                continue
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
                    score=round(score, 6),
                    dense_score=dense.get(row),
                    bm25_score=float(bm25[row]) if bm25[row] > 0 else None,
                    rank=len(passages) + 1,
                )
            )
        return passages


AGREEMENT_DEPTH = 10


def lead_with_agreement(
    lists: list[list[tuple[int, float]]], table: ChunkTable
) -> list[list[tuple[int, float]]]:
    """The lists (whole question first, then one per clause) led by one-row lists: those of
    the whole question's first passages that are also some clause's best, one per article, in
    the whole question's order. Two rankings agreeing on a passage make it the surest answer;
    the round-robin alone would open with the whole question's best, which no clause may back."""
    if len(lists) < 2:
        return lists
    heads = {ranked[0][0] for ranked in lists[1:] if ranked}
    leads: list[list[tuple[int, float]]] = []
    articles: set[str] = set()
    for row, score in lists[0][:AGREEMENT_DEPTH]:
        article_id = str(table.article_ids[row])
        if row in heads and article_id not in articles:
            leads.append([(row, score)])
            articles.add(article_id)
    return [*leads, *lists]


def interleave_by_source(
    ranked: list[tuple[int, float]], table: ChunkTable
) -> list[tuple[int, float]]:
    """The ranking with its outlets taking turns, the outlet of the best row first: a question
    that names several outlets gets each one's best passage near the top, not only the best
    outlet's first few."""
    by_source: dict[str, list[tuple[int, float]]] = {}
    for row, score in ranked:
        by_source.setdefault(str(table.sources[row]), []).append((row, score))
    turns = list(by_source.values())  # dicts keep first-seen order: best outlet first
    interleaved: list[tuple[int, float]] = []
    for position in range(max((len(rows) for rows in turns), default=0)):
        interleaved.extend(rows[position] for rows in turns if position < len(rows))
    return interleaved


def merge_round_robin(
    lists: list[list[tuple[int, float]]], table: ChunkTable, cap: int, k: int
) -> list[tuple[int, float]]:
    """Take the best remaining row of each list in turn, skipping rows already taken and
    articles that have `cap` passages, until k rows. A list whose best row was just taken by
    another list this round counts as served, so one article can't take two lists' turns.
    Scores follow the merged order, so the result reads best first."""
    merged: list[tuple[int, float]] = []
    taken: set[int] = set()
    per_article: dict[str, int] = {}
    cursors = [0] * len(lists)
    active = list(range(len(lists)))
    while len(merged) < k and active:
        this_round: set[int] = set()
        still_active = []
        for which in active:
            ranked = lists[which]
            while cursors[which] < len(ranked):
                row, _ = ranked[cursors[which]]
                if row in this_round:
                    still_active.append(which)
                    break
                cursors[which] += 1
                article_id = str(table.article_ids[row])
                if row in taken or per_article.get(article_id, 0) >= cap:
                    continue
                taken.add(row)
                this_round.add(row)
                per_article[article_id] = per_article.get(article_id, 0) + 1
                merged.append((row, 1.0 / (len(merged) + 1)))
                still_active.append(which)
                break
            if len(merged) >= k:
                break
        active = still_active
    return merged


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
