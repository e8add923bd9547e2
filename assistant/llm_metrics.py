"""Answer accuracy for generated answers against a gold short answer (MultiHop-RAG's "answer").

- `multihop_loose_match`: the official MultiHop-RAG QA metric (qa_evaluate.py of the benchmark's
  repository): after taking the text inside 'The answer to the question is "..."' when present,
  prediction and gold are lower-cased and split on whitespace; correct when the two word sets
  share at least one word. Applied here to the answer with citation markers removed.
- `exact_match`: SQuAD-style normalisation (lower case, punctuation and a/an/the dropped,
  whitespace collapsed), then equality; an answer whose first sentence is the gold also counts.
- `answer_accuracy`: both as rates over a list of (prediction, gold) pairs."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

_OFFICIAL_ANSWER = re.compile(r'The answer to the question is "(.*?)"')
_PUNCTUATION = frozenset(string.punctuation) | {"’", "‘", "“", "”"}
_MARKERS = re.compile(r"\s*\[(?:\d+(?:\s*,\s*\d+)*|unsupported)\]")


def strip_markers(text: str) -> str:
    """The answer without [n] and [unsupported] markers."""
    return _MARKERS.sub("", text).strip()


def multihop_loose_match(prediction: str, gold: str) -> bool:
    match = _OFFICIAL_ANSWER.search(prediction)
    prediction = match.group(1) if match else strip_markers(prediction)
    return bool(set(prediction.lower().split()) & set(gold.lower().split()))


def normalize_answer(text: str) -> str:
    text = "".join(c for c in text.lower() if c not in _PUNCTUATION)
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())


def exact_match(prediction: str, gold: str) -> bool:
    clean = strip_markers(prediction)
    gold_norm = normalize_answer(gold)
    if normalize_answer(clean) == gold_norm:
        return True
    first = re.split(r"(?<=[.!?])\s+", clean, maxsplit=1)[0]
    return normalize_answer(first) == gold_norm


def answer_accuracy(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """{"loose": rate, "exact": rate, "n": count} over (prediction, gold) pairs."""
    pairs = list(pairs)
    if not pairs:
        return {"loose": 0.0, "exact": 0.0, "n": 0}
    loose = sum(multihop_loose_match(p, g) for p, g in pairs)
    exact = sum(exact_match(p, g) for p, g in pairs)
    return {"loose": loose / len(pairs), "exact": exact / len(pairs), "n": len(pairs)}


def citation_precision(answers: Iterable[object]) -> float:
    """Share of answer sentences that came out sourced: sentences with at least one verified
    citation over all sentences (cited + unsupported), across the given Answers. Abstentions
    count as neither."""
    cited = unsupported = 0
    for answer in answers:
        if getattr(answer, "abstained", False):
            continue
        text = str(getattr(answer, "text", ""))
        unsupported += len(getattr(answer, "unsupported", []))
        cited += len(re.findall(r"\[\d+\](?:\[\d+\])*[.!?]?", text))
    total = cited + unsupported
    return cited / total if total else 0.0
