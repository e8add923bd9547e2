"""Putting ranked lists together: BM25 and dense scores fused on one scale, and several lists
(whole question, each clause) merged into one ranking that gives each its share."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from assistant.index.table import ChunkTable

# A ranked list: (table row, score), best first.
Ranked = list[tuple[int, float]]

AGREEMENT_DEPTH = 10


def fuse(
    bm25: np.ndarray,
    dense: dict[int, float],
    candidates: int,
    *,
    bm25_weight: float,
    dense_weight: float,
) -> Ranked:
    """The best `candidates` BM25 rows and the dense rows, each min-max scaled to 0..1 and
    weighted, summed where a row is in both. A weight of 0 for one side's absence is the
    single-retriever modes (pass only one side)."""
    scores: dict[int, float] = {}
    top = np.argsort(-bm25)[:candidates]
    best = float(bm25[top[0]]) if len(top) else 0.0
    if best > 0:
        for row in top:
            if bm25[row] > 0:
                scores[int(row)] = bm25_weight * float(bm25[row]) / best
    if dense:
        values = np.array(list(dense.values()))
        low, high = float(values.min()), float(values.max())
        spread = max(high - low, 1e-6)
        for row, similarity in dense.items():
            # Min-max within the candidates puts dense on BM25's 0..1 scale.
            scores[row] = scores.get(row, 0.0) + dense_weight * (similarity - low) / spread
    return sorted(scores.items(), key=lambda item: -item[1])


def lead_with_agreement(lists: list[Ranked], table: ChunkTable) -> list[Ranked]:
    """The lists (whole question first, then one per clause) led by one-row lists: those of
    the whole question's first passages that are also some clause's best, one per article, in
    the whole question's order. Two rankings agreeing on a passage make it the surest answer;
    the round-robin alone would open with the whole question's best, which no clause may back."""
    if len(lists) < 2:
        return lists
    heads = {ranked[0][0] for ranked in lists[1:] if ranked}
    leads: list[Ranked] = []
    articles: set[str] = set()
    for row, score in lists[0][:AGREEMENT_DEPTH]:
        article_id = str(table.article_ids[row])
        if row in heads and article_id not in articles:
            leads.append([(row, score)])
            articles.add(article_id)
    return [*leads, *lists]


def interleave_by_source(
    ranked: Ranked, table: ChunkTable, outlet_of: Callable[[str], str] = str
) -> Ranked:
    """The ranking with its outlets taking turns, the outlet of the best row first: a question
    that names several outlets gets each one's best passage near the top, not only the best
    outlet's first few. `outlet_of` gives a source's outlet (an outlet's feeds share a turn)."""
    by_source: dict[str, Ranked] = {}
    for row, score in ranked:
        by_source.setdefault(outlet_of(str(table.sources[row])), []).append((row, score))
    turns = list(by_source.values())  # dicts keep first-seen order: best outlet first
    interleaved: Ranked = []
    for position in range(max((len(rows) for rows in turns), default=0)):
        interleaved.extend(rows[position] for rows in turns if position < len(rows))
    return interleaved


def merge_round_robin(lists: list[Ranked], table: ChunkTable, cap: int, k: int) -> Ranked:
    """Take the best remaining row of each list in turn, skipping rows already taken and
    articles that have `cap` passages, until k rows. A list whose best row was just taken by
    another list this round counts as served, so one article can't take two lists' turns.
    Each row keeps the score its own list gave it; the merged order is the ranking."""
    merged: Ranked = []
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
                row, score = ranked[cursors[which]]
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
                merged.append((row, score))
                still_active.append(which)
                break
            if len(merged) >= k:
                break
        active = still_active
    return merged
