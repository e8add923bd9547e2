"""Per-clause retrieval: a question that names outlets or asks several things gets one ranked
list for the whole question (cut to the outlets it names) and one per clause, each clause's
candidates re-scored by their best sentence: the sentence that states a fact, not the chunk
that repeats words. With feedback on, the clause lists are ranked twice, the second time also
for the rare words the first results' articles agree on (see feedback.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from assistant.index.lexical import LexicalIndex
from assistant.index.sentence_vectors import SentenceMatrix
from assistant.index.table import ChunkTable
from assistant.retrieval.feedback import feedback_terms
from assistant.retrieval.fusion import (
    Ranked,
    interleave_by_source,
    lead_with_agreement,
    merge_round_robin,
)
from assistant.retrieval.passages import ChunkTexts
from assistant.settings import Settings
from assistant.text.question_analysis import Clause, QueryAnalysis, SourceMatcher
from assistant.text.tokens import tokenize

Encode = Callable[[list[str]], np.ndarray]


class OutletMatcher:
    """The outlets of the current index, to find in questions; rebuilt with each new table."""

    def __init__(self) -> None:
        self._table: ChunkTable | None = None
        self._matcher = SourceMatcher([])

    def __call__(self, table: ChunkTable) -> SourceMatcher:
        # Keyed by the table object itself (a new one comes with every published generation);
        # an id() could be reused by a later table and keep a stale list of outlets.
        if self._table is not table:
            self._matcher = SourceMatcher(meta.source for meta in table.articles.values())
            self._table = table
        return self._matcher


def source_mask(sources: tuple[str, ...], table: ChunkTable, mask: np.ndarray) -> np.ndarray:
    if not sources:
        return mask
    return mask & np.isin(table.sources, [source.lower() for source in sources])


class ClauseLists:
    """The ranked lists of an analysed question, to be merged round-robin."""

    def __init__(
        self,
        settings: Settings,
        texts: ChunkTexts,
        encode: Encode,
        sentence_matrix: Callable[[ChunkTable], SentenceMatrix],
    ) -> None:
        self.settings = settings
        self.texts = texts
        self.encode = encode
        self.sentence_matrix = sentence_matrix

    def lists(
        self,
        analysis: QueryAnalysis,
        question: str,
        fused: Ranked,
        lexical: LexicalIndex,
        table: ChunkTable,
        mask: np.ndarray,
        dense: dict[int, float],
    ) -> tuple[list[Ranked], list[str]]:
        """The lists (whole question first) and the feedback words the second ranking used."""
        if not analysis.sources and len(analysis.clauses) < 2:
            return [fused], []
        named_mask = source_mask(analysis.feeds_of(analysis.sources), table, mask)
        whole = [(row, score) for row, score in fused if named_mask[row]] or fused
        if len(analysis.sources) > 1:
            whole = interleave_by_source(whole, table, analysis.outlet_of)
        sentence_similarity = self._sentence_similarity(analysis.clauses, table)
        clause_masks = [
            source_mask(analysis.feeds_of(clause.sources or analysis.sources), table, mask)
            for clause in analysis.clauses
        ]

        def rank_clauses(expansion: list[str]) -> list[Ranked]:
            lists = [whole]
            for number, clause in enumerate(analysis.clauses):
                ranked = self.clause_list(
                    clause,
                    lexical,
                    table,
                    clause_masks[number],
                    dense,
                    expansion,
                    sentence_similarity[number],
                )
                if ranked:
                    lists.append(ranked)
            return lists

        # Agreement leads only where the whole-question list is the plain ranking cut to the
        # outlets named: a question naming none keeps its plain ranking's head, which measured
        # better there (seed gold set, see README).
        def lead(lists: list[Ranked]) -> list[Ranked]:
            return lead_with_agreement(lists, table) if analysis.sources else lists

        lists = rank_clauses([])
        if self.settings.feedback_terms <= 0:
            return lead(lists), []
        first = merge_round_robin(
            lists, table, self.settings.max_passages_per_article, self.settings.k
        )
        first_sentences = [
            (str(table.article_ids[row]), self.texts.sentence_tokens(row, table))
            for row, _ in first
        ]
        expansion = feedback_terms(
            first_sentences,
            set(tokenize(question)),
            lexical.idf,
            self.settings.feedback_terms,
        )
        return lead(rank_clauses(expansion) if expansion else lists), expansion

    def _sentence_similarity(
        self, clauses: Sequence[Clause], table: ChunkTable
    ) -> list[np.ndarray | None]:
        """Each chunk's closest sentence to each clause (sentence vectors, when switched on)."""
        none: list[np.ndarray | None] = [None] * len(clauses)
        if not (self.settings.sentence_vectors and clauses):
            return none
        matrix = self.sentence_matrix(table)
        if not matrix.sentence_count:
            return none
        vectors = np.asarray(self.encode([c.text for c in clauses]), dtype=np.float32)
        return list(matrix.best_similarity(vectors))

    def clause_list(
        self,
        clause: Clause,
        lexical: LexicalIndex,
        table: ChunkTable,
        mask: np.ndarray,
        dense: dict[int, float],
        expansion: list[str] | None = None,
        sentence_similarity: np.ndarray | None = None,
    ) -> Ranked:
        tokens = list(dict.fromkeys(tokenize(clause.text)))
        if not tokens:
            return []
        expansion = [token for token in expansion or () if token not in tokens]
        feedback_weight = self.settings.feedback_weight
        scores = lexical.scores(tokens)
        if expansion:
            scores = scores + feedback_weight * lexical.scores(expansion)
        scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[: self.settings.clause_pool]
        pool = [int(row) for row in top if scores[row] > 0]
        if not pool:
            return []
        best = float(scores.max()) or 1.0
        weights = {token: lexical.idf(token) for token in tokens}
        # Coverage is a share of the clause's own words; feedback words add to it, at their
        # weight, but do not enlarge the whole, so a clause's exact wording still leads.
        total = sum(weights.values()) or 1.0
        weights.update({token: feedback_weight * lexical.idf(token) for token in expansion})
        periods = [
            (p.first.isoformat() if p.first else "", p.last.isoformat() if p.last else "9999")
            for p in clause.periods
        ]
        sentence_weight = self.settings.sentence_weight
        rescored = []
        for row in pool:
            sentences = self.texts.sentence_tokens(row, table)
            matched = (sum(w for t, w in weights.items() if t in words) for words in sentences)
            coverage = max(matched, default=0.0) / total
            score = (1 - sentence_weight) * float(scores[row]) / best + sentence_weight * coverage
            score += self.settings.dense_weight * 0.2 * dense.get(row, 0.0)
            if sentence_similarity is not None:
                # The clause's meaning against the chunk's closest sentence: paraphrase that
                # shares few words with the clause still counts.
                score += self.settings.sentence_vector_weight * float(sentence_similarity[row])
            day = str(table.dates[row])[:10]
            if day and any(first <= day <= last for first, last in periods):
                # A clause that names a day or a period ("on October 13, 2023", "published
                # before November") usually means the reports of that time.
                score += 0.3
            rescored.append((row, score))
        rescored.sort(key=lambda item: -item[1])
        return rescored
