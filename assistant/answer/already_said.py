"""Follow-ups that ask for something new ("What else did he say?", "Anything besides the
sanctions?", "What did NATO also say?"): the sentences the conversation's earlier answers already
gave are not quoted again. Without this, the best-scoring sentence for "what else did Austin say
about the reports" is the very sentence the previous answer quoted."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.patterns import CITATION_MARKERS
from assistant.text.tokens import tokenize

_ASKS_FOR_MORE = re.compile(
    r"\b(?:else|besides|apart from|other than|aside from|in addition to|another|also)\b"
    r"|\b(?:tell me|say|said|anything|what|any) more\b|\bmore about\b"
    r"|\bother (?:things?|points?)\b",
    re.IGNORECASE,
)
# Earlier answers looked at: the last few (older ones are about earlier subjects).
_ANSWERS_KEPT = 3
# A sentence repeats an earlier answer when this share of its words is in that answer (the
# answer quoted it), or this share of a short answer's words is in the sentence (the answer
# said it in other words: "He called the reports disturbing.").
_REPEATED_SHARE = 0.8
_MIN_ANSWER_WORDS = 4
# A sentence of fewer words could be made of any longer answer's words ("Russia denied it.").
_MIN_SENTENCE_WORDS = 3


def asks_for_more(question: str) -> bool:
    return bool(_ASKS_FOR_MORE.search(question))


def already_said(question: str, history: Sequence[dict[str, str]] | None) -> tuple[str, ...]:
    """The earlier answers a follow-up asking for more must not repeat (none otherwise)."""
    if not history or not asks_for_more(question):
        return ()
    answers = [
        " ".join(CITATION_MARKERS.sub(" ", str(message.get("content") or "")).split())
        for message in history
        if message.get("role") == "assistant"
    ]
    return tuple(answer for answer in answers[-_ANSWERS_KEPT:] if answer.strip())


class SaidBefore:
    """Tells whether a sentence repeats one of the earlier answers."""

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = [set(tokenize(answer)) for answer in answers]
        self.answers = [words for words in self.answers if words]

    def __bool__(self) -> bool:
        return bool(self.answers)

    def repeats(self, sentence: str) -> bool:
        words = set(tokenize(sentence))
        if len(words) < _MIN_SENTENCE_WORDS:
            return False
        for answer in self.answers:
            shared = len(words & answer)
            if shared >= _REPEATED_SHARE * len(words):
                return True
            if len(answer) >= _MIN_ANSWER_WORDS and shared >= _REPEATED_SHARE * len(answer):
                return True
        return False
