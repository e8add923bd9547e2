"""Names in a question against the names the articles use: which ones no article in reach
mentions, and which are typos of a name the articles do use.

A question about someone the articles never name cannot be answered from them, however well its
other words match; the same holds inside a filter for a name that only articles outside the
filter mention. A misspelt name ("Stoltenbreg") is not unknown, only mistyped: it is corrected
to the articles' spelling before retrieval."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from assistant.index.lexical import LexicalIndex
from assistant.text.patterns import NAME_IN_QUESTION
from assistant.text.tokens import tokenize

_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]+")
_POSSESSIVE = re.compile(r"[’']s$")

DocumentFrequency = Callable[[str], int]
# Capitalised, but not names: a question dated "in March 2023" is not about someone called March.
_CALENDAR_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)


def unknown_names(question: str, document_frequency: DocumentFrequency) -> list[str]:
    """The question's names of which no word occurs in any document counted by
    `document_frequency` (the whole index, or only the articles a filter lets through)."""
    unknown: list[str] = []
    for match in NAME_IN_QUESTION.finditer(question.strip()):
        if match.group(1).rstrip(".").lower() in _CALENDAR_WORDS:
            continue
        tokens = tokenize(match.group(1))
        if tokens and all(document_frequency(token) == 0 for token in tokens):
            unknown.append(match.group(1))
    return unknown


# Countries readers name by initials or by one of their names, and what articles write for
# them instead ("the UK" or "Britain" where the article writes "British Foreign Minister").
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "uk": ("British", "Britain", "United Kingdom"),
    "britain": ("British", "UK", "United Kingdom"),
    "british": ("Britain", "UK", "United Kingdom"),
    "us": ("American", "United States", "America"),
    "usa": ("American", "United States", "America"),
    "america": ("American", "US", "United States"),
    "american": ("America", "US", "United States"),
    "eu": ("European Union",),
    "un": ("United Nations",),
    "uae": ("Emirati", "United Arab Emirates"),
}


def country_names_as_written(
    question: str, document_frequency: DocumentFrequency
) -> tuple[str, dict[str, str]]:
    """The question with each country named in a way no article writes ("the UK", "Britain")
    named as the articles do ("the British"), and {as typed: as written}: the most common of
    its other names that every word of occurs somewhere."""
    renamed: dict[str, str] = {}
    for match in NAME_IN_QUESTION.finditer(question.strip()):
        typed = match.group(1)
        tokens = tokenize(typed)
        aliases = _COUNTRY_ALIASES.get(tokens[0], ()) if len(tokens) == 1 else ()
        if not aliases or document_frequency(tokens[0]) > 0:
            continue
        known = [
            (min(document_frequency(t) for t in tokenize(alias)), alias)
            for alias in aliases
            if all(document_frequency(t) > 0 for t in tokenize(alias))
        ]
        if known:
            renamed[typed] = max(known)[1]
    return _with_words_replaced(question, renamed), renamed


def _with_words_replaced(question: str, replacements: dict[str, str]) -> str:
    """The question with each whole-word occurrence of a key replaced by its value."""
    for typed, written in replacements.items():
        question = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", written, question)
    return question


def as_phrases(question: str, names: list[str]) -> list[str]:
    """Names that stand next to each other in the question joined back ("Olaf Scholz")."""
    phrases: list[str] = []
    for name in names:
        joined = f"{phrases[-1]} {name}" if phrases else ""
        if joined and joined in question:
            phrases[-1] = joined
        else:
            phrases.append(name)
    return phrases


def in_scope_frequency(lexical: LexicalIndex, mask: np.ndarray) -> DocumentFrequency:
    """Document frequency counted over the chunk rows `mask` keeps. A chunk has a BM25 score
    above zero exactly when it contains the token, so the index answers without reading text."""

    def frequency(token: str) -> int:
        if lexical.document_frequency(token) == 0:
            return 0
        return int(np.count_nonzero(lexical.scores([token])[mask] > 0))

    return frequency


def names_outside_scope(question: str, lexical: LexicalIndex, mask: np.ndarray) -> list[str]:
    """Names some indexed article mentions but none of the articles inside the filter does."""
    in_index = set(unknown_names(question, lexical.document_frequency))
    outside = unknown_names(question, in_scope_frequency(lexical, mask))
    return as_phrases(question, [name for name in outside if name not in in_index])


def _max_edits(word: str) -> int:
    # Short words are too close to others for a guess: "Olaf" or "Trust" is one edit from
    # many a word or name.
    if len(word) < 6:
        return 0
    return 1 if len(word) < 9 else 2


@dataclass(frozen=True)
class NameSpeller:
    """The capitalised words of the indexed text, with how often each occurs."""

    counts: dict[str, int]

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> NameSpeller:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(_POSSESSIVE.sub("", w) for w in _CAPITALISED.findall(text))
        return cls({word: n for word, n in counts.items() if len(word) >= 4})

    def suggest(self, word: str) -> str | None:
        """The indexed name `word` is most likely a typo of: within one edit (two from nine
        letters on, none under six; a swap of two letters counts as one), with the same first
        letter, the most frequent on a tie. None when nothing is that close: a name the
        articles never use stays unknown instead of becoming an unrelated one."""
        limit = _max_edits(word)
        if not limit:
            return None
        matches = process.extract(
            word,
            [w for w in self.counts if w[0].lower() == word[0].lower()],
            scorer=OSA.distance,
            processor=str.lower,
            score_cutoff=limit,
            limit=None,
        )
        if not matches:
            return None
        best = min(matches, key=lambda m: (m[1], -self.counts[m[0]]))
        return str(best[0])


def correct_names(
    question: str, lexical: LexicalIndex, speller: Callable[[], NameSpeller]
) -> tuple[str, dict[str, str]]:
    """The question with each unknown name that is a typo of an indexed one replaced by it (and
    a country named by initials as the articles name it), and {as typed: as corrected}.
    `speller` is called only when a name is unknown, since building it reads the whole index."""
    question, corrections = country_names_as_written(question, lexical.document_frequency)
    unknown = unknown_names(question, lexical.document_frequency)
    if not unknown:
        return question, corrections
    names = speller()
    for word in dict.fromkeys(unknown):
        stem = _POSSESSIVE.sub("", word)
        suggestion = names.suggest(stem)
        if suggestion and suggestion.lower() != stem.lower():
            corrections[stem] = suggestion
    return _with_words_replaced(question, corrections), corrections
