"""Patterns that several stages read the same way: names in a question, "what did X say"
questions, speech verbs, and the [n] citation markers of an answer."""

from __future__ import annotations

import re

# A capitalised word inside the question (not its first word): a name, place or organisation.
NAME_IN_QUESTION = re.compile(r"(?<!^)(?<![.?!]\s)\b([A-Z][\w’'-]+)")
# The person a "what did X say" question asks about.
SPEAKER_QUESTION = re.compile(
    r"\bwhat (?:did|does|has|had) (?P<speaker>.+?) (?:say|said|tell|told|claim|warn|argue)\b",
    re.IGNORECASE,
)
SPEECH_VERBS = re.compile(
    r"\b(said|says|say|told|tells|stated|added|adding|warned|accused|argued|argues|claimed|"
    r"called|described|describing|denied|denies|insisted|pointed out|noted|announced|wrote|"
    r"according to|asked|urged|admitted|suggested)\b",
    re.IGNORECASE,
)
# "[1]" or "[1, 3]": the passages a sentence cites (group 1 holds the numbers).
CITATION_MARKERS = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# Parts of a question: "..., and how ...", "... and who objected?", "...; ...". Only a break
# followed by a question word starts a new part, so "Ukraine and Georgia" stays whole.
PART_BREAK = re.compile(
    r"(?:,\s*|\s+)(?:and|but|while)\s+(?=(?:who|whom|whose|what|when|where|why|how|which|"
    r"did|does|do|is|are|was|were|has|have|had|will|would|can|could)\b)"
    r"|;\s*|\?\s+(?=\S)",
    re.IGNORECASE,
)
