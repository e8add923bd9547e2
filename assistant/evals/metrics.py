"""Eval metrics as plain functions of texts and flags, so each one can be checked by hand.

Retrieval metrics follow MultiHop-RAG's retrieval_evaluate.py: a chunk is relevant when it holds
a whole gold fact once spaces and newlines are removed from both."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text.patterns import CITATION_MARKERS

_TOKEN = re.compile(r"\w+", re.UNICODE)


def squash(text: str) -> str:
    """The official normalisation: drop spaces and newlines, nothing else."""
    return text.replace(" ", "").replace("\n", "")


def _squash_all(texts: Sequence[str]) -> list[str]:
    return [squash(t) for t in texts]


def hits_at(retrieved: Sequence[str], gold: Sequence[str], k: int) -> float:
    """1.0 when some chunk in the top k contains a whole gold fact."""
    facts, chunks = _squash_all(gold), _squash_all(retrieved[:k])
    return float(any(f in c for c in chunks for f in facts))


def reciprocal_rank(retrieved: Sequence[str], gold: Sequence[str], k: int = 10) -> float:
    facts = _squash_all(gold)
    for rank, chunk in enumerate(_squash_all(retrieved[:k]), start=1):
        if any(f in chunk for f in facts):
            return 1.0 / rank
    return 0.0


def average_precision(retrieved: Sequence[str], gold: Sequence[str], k: int = 10) -> float:
    """Sum over ranks r <= k of (gold facts first found at r) / r, divided by min(#facts, k).
    Like the official script, the denominator counts facts as listed (duplicates included)."""
    if not gold:
        return 0.0
    facts = _squash_all(gold)
    found: set[str] = set()
    total = 0.0
    for rank, chunk in enumerate(_squash_all(retrieved[:k]), start=1):
        new = [f for f in dict.fromkeys(facts) if f not in found and f in chunk]
        found.update(new)
        total += len(new) / rank
    return total / min(len(facts), k)


def facts_found(retrieved: Sequence[str], gold: Sequence[str], k: int = 10) -> tuple[int, int]:
    """(distinct gold facts contained whole in some top-k chunk, distinct gold facts)."""
    facts = list(dict.fromkeys(_squash_all(gold)))
    chunks = _squash_all(retrieved[:k])
    return sum(1 for f in facts if any(f in c for c in chunks)), len(facts)


def retrieval_scores(retrieved: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """All per-question retrieval numbers for one ranked list of chunk texts."""
    found, total = facts_found(retrieved, gold, 10)
    return {
        "hits@1": hits_at(retrieved, gold, 1),
        "hits@4": hits_at(retrieved, gold, 4),
        "hits@10": hits_at(retrieved, gold, 10),
        "mrr@10": reciprocal_rank(retrieved, gold, 10),
        "map@10": average_precision(retrieved, gold, 10),
        "facts_found@10": float(found),
        "facts_total": float(total),
        "all_evidence@10": float(total > 0 and found == total),
    }


def normalise(text: str) -> str:
    """Whitespace-collapsed text, for comparing quotes that were reflowed."""
    return " ".join(text.split())


def tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(text.lower()))


def contains_either_way(a: str, b: str) -> bool:
    """Strict match: one quote contains the other (after collapsing whitespace)."""
    a, b = normalise(a), normalise(b)
    return bool(a and b) and (a in b or b in a)


def token_share(part: str, whole: str) -> float:
    """Share of `part`'s distinct tokens that also occur in `whole`."""
    wanted = tokens(part)
    return len(wanted & tokens(whole)) / len(wanted) if wanted else 0.0


@dataclass(frozen=True)
class CitationScores:
    recall_strict: float | None
    precision_strict: float | None
    recall_tokens: float | None
    precision_tokens: float | None


def _covered(items: Sequence[str], others: Sequence[str]) -> tuple[float | None, float | None]:
    """(share of items that overlap some other strictly, mean best token share of each item
    found in the others); None for both when there are no items."""
    if not items:
        return None, None
    strict = sum(any(contains_either_way(i, o) for o in others) for i in items) / len(items)
    graded = sum(max((token_share(i, o) for o in others), default=0.0) for i in items)
    return strict, graded / len(items)


def citation_scores(quotes: Sequence[str], gold: Sequence[str]) -> CitationScores:
    """Recall: share of gold quotes covered by a citation. Precision: share of citations that
    overlap a gold quote. Strict = containment either way; tokens = graded, the best share of
    one side's tokens found in the other. None where the denominator is empty."""
    recall_strict, recall_tokens = _covered(gold, quotes)
    precision_strict, precision_tokens = _covered(quotes, gold)
    return CitationScores(recall_strict, precision_strict, recall_tokens, precision_tokens)


def outlet_evidence(citations: Sequence[tuple[str, str]], gold: Sequence[tuple[str, str]]) -> float:
    """Share of the outlets with gold evidence whose own citations (source, quote) include one
    of that outlet's gold facts (strict overlap): did each outlet's column hold its evidence?"""
    outlets = dict.fromkeys(source for source, _ in gold if source)
    if not outlets:
        return 0.0
    found = sum(
        any(
            cited_source == outlet and contains_either_way(quote, fact)
            for cited_source, quote in citations
            for source, fact in gold
            if source == outlet
        )
        for outlet in outlets
    )
    return found / len(outlets)


def timeline_in_date_order(groups: Sequence[dict], citations: Sequence[dict]) -> bool:
    """The groups of a timeline run oldest first, and each holds only citations of its day."""
    day_of = {c["n"]: (c.get("published_at") or "")[:10] for c in citations}
    days = [g.get("published_at") or "" for g in groups]
    dated = [d for d in days if d]
    return dated == sorted(dated) and all(
        day_of.get(n, "") == (g.get("published_at") or "") for g in groups for n in g["citations"]
    )


def answer_in(text: str, answers: Sequence[str]) -> bool:
    """SQuAD-style: a gold answer text occurs in `text` (case and whitespace ignored)."""
    haystack = normalise(text).lower()
    return any(normalise(a).lower() in haystack for a in answers if a.strip())


_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCTUATION = re.compile(r"[^\w\s]")


def normalise_answer(text: str) -> str:
    """SQuAD's answer normalisation (lower case, no punctuation, no a/an/the, spaces collapsed),
    after dropping [n] citation markers."""
    text = CITATION_MARKERS.sub(" ", text.lower())
    return " ".join(_ARTICLES.sub(" ", _PUNCTUATION.sub(" ", text)).split())


def answer_loose(prediction: str, gold: str) -> bool:
    """MultiHop-RAG's official QA metric (qa_evaluate.py): the lower-cased prediction and gold
    answer share at least one whitespace-separated word. Very lenient; report it beside EM."""
    return bool(set(prediction.lower().split()) & set(gold.lower().split()))


def answer_exact(prediction: str, gold: str) -> bool:
    """Exact match after SQuAD normalisation: the whole answer is the gold answer."""
    return normalise_answer(prediction) == normalise_answer(gold)


def answer_leading(prediction: str, gold: str) -> bool:
    """The answer opens with the gold answer as whole words ("Yes [1]. Both reported ...")."""
    said, wanted = normalise_answer(prediction), normalise_answer(gold)
    return bool(wanted) and (said == wanted or said.startswith(wanted + " "))


def answer_accuracy(prediction: str, golds: Sequence[str]) -> dict[str, bool]:
    """Every answer-accuracy variant of one answer text against its gold answers (any counts)."""
    present = [g for g in golds if g.strip()]
    return {
        "loose": any(answer_loose(prediction, g) for g in present),
        "exact": any(answer_exact(prediction, g) for g in present),
        "leading": any(answer_leading(prediction, g) for g in present),
        "contains": answer_in(prediction, present),
    }


@dataclass(frozen=True)
class AbstentionScores:
    precision: float | None
    recall: float | None
    wrong_rate: float | None
    f1: float | None


def abstention_scores(abstained: Sequence[bool], answerable: Sequence[bool]) -> AbstentionScores:
    """Precision/recall of abstaining as a detector of unanswerable questions, and the share of
    answerable questions that were wrongly declined. None where nothing to divide by."""
    pairs = list(zip(abstained, answerable, strict=True))
    declined = [ans for abst, ans in pairs if abst]
    unanswerable = [abst for abst, ans in pairs if not ans]
    answerable_flags = [abst for abst, ans in pairs if ans]
    precision = sum(1 for ans in declined if not ans) / len(declined) if declined else None
    recall = sum(unanswerable) / len(unanswerable) if unanswerable else None
    wrong = sum(answerable_flags) / len(answerable_flags) if answerable_flags else None
    f1 = None
    if precision is not None and recall is not None and precision + recall > 0:
        f1 = 2 * precision * recall / (precision + recall)
    return AbstentionScores(precision, recall, wrong, f1)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def mean(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None
