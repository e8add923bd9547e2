"""Speaker phrases: the noun phrase that names who spoke, read off the tokens before a speech
verb ("NATO chief Jens Stoltenberg said"), after it ("said Arteta", "according to ESPN's Jeff
Passan"), over an appositive ("Stoltenberg, NATO secretary general, said") or at the start of a
sentence. A phrase is a name, a pronoun or a description ("the Chelsea boss"); who it refers
to is resolved later."""

from __future__ import annotations

import re

from assistant.text.attribution.layout import Article, Token
from assistant.text.attribution.lexicon import (
    AUX,
    CONNECTIVES,
    DETERMINERS,
    FUNCTION_WORDS,
    NAME_JOINERS,
    PASSIVE,
    POSSESSIVE,
    PRONOUNS,
    PUNCTUATION,
    QUALIFIERS,
    SPEAKER_NOUNS,
    SUFFIXES,
    VERB,
    is_name,
    is_word,
    list_form,
)
from assistant.text.attribution.names import Names

Phrase = tuple[int, int, str]  # (start, end, kind): kind is name, pronoun or description
_APPOSITIVE_NAME = re.compile(
    r",\s+((?:[A-Z][\w’'\-.]*\s+){1,3}[A-Z][\w’'\-]*[\w])(?=\s*(?:[,.;:!?]|$))"
)


class Phrases:
    """Finds speaker phrases in one article."""

    def __init__(self, article: Article, names: Names) -> None:
        self.article = article
        self.names = names  # read for its surnames, which end a name ("Wick of ...")

    def _analyse(self, seq: list[Token], determiner: Token | None) -> Phrase | None:
        """The speaker in a run of words: a name at its end (after any title or owner), or a
        description whose head is a speaker noun ("Ukraine’s military command")."""
        if not seq:
            return None
        words = [t[2] for t in seq]
        if is_name(words[-1]) or list_form(words[-1]) in SUFFIXES:
            r = len(seq) - 1
            while r > 0 and (
                is_name(words[r - 1])
                or (words[r - 1] in NAME_JOINERS and r > 1 and is_name(words[r - 2]))
            ):
                r -= 1
            owner = [k for k in range(r, len(seq) - 1) if POSSESSIVE.search(words[k])]
            if owner:
                r = owner[-1] + 1
            if r > 1 and words[r - 1] in QUALIFIERS and list_form(words[r - 2]) in SPEAKER_NOUNS:
                return self._description(seq, determiner)
            if r > 0 and words[r - 1] == "of":
                return None  # "50 per cent of Americans": a share of a group
            if words[r] in NAME_JOINERS:
                r += 1
            start = seq[r][0]
            if determiner and r == 0 and determiner[2].lower() == "the":
                start = determiner[0]  # "the Kremlin", "the Argentinean"
            return start, seq[-1][1], "name"
        if list_form(words[-1]) in SPEAKER_NOUNS:
            return self._description(seq, determiner)
        return None

    def _description(self, seq: list[Token], determiner: Token | None) -> Phrase:
        """A description over `seq`, from its determiner when it has one."""
        start = determiner[0] if determiner else seq[0][0]
        return start, seq[-1][1], "description"

    def phrase_before(self, tokens: list[Token]) -> Phrase | None:
        """The speaker phrase that ends with the last of `tokens`."""
        if not tokens:
            return None
        last = list_form(tokens[-1][2])
        if last in PRONOUNS:
            return tokens[-1][0], tokens[-1][1], "pronoun"
        j = len(tokens) - 1
        while j > 0:
            word = tokens[j - 1][2]
            low = list_form(word)
            if is_word(word) and low not in FUNCTION_WORDS and low not in AUX | PASSIVE:
                if VERB.fullmatch(word):
                    break
                j -= 1
            elif low in QUALIFIERS | NAME_JOINERS and j > 1 and is_word(tokens[j - 2][2]):
                j -= 1
            else:
                break
        determiner = None
        if j > 0 and list_form(tokens[j - 1][2]) in DETERMINERS:
            determiner = tokens[j - 1]
        seq = tokens[j:]
        while seq and seq[0][2] in NAME_JOINERS | QUALIFIERS:
            seq = seq[1:]
        found = self._analyse(seq, determiner)
        if found is None:
            found = self._head_before_qualifier(tokens)
        return found

    def _head_before_qualifier(self, tokens: list[Token]) -> Phrase | None:
        """For "Separatist authorities in the Luhansk region said": a speaker noun a few words
        back, followed by the place or body it belongs to."""
        for k in range(len(tokens) - 2, max(len(tokens) - 9, 0) - 1, -1):
            word = tokens[k][2]
            if word in PUNCTUATION or list_form(word) in CONNECTIVES:
                return None
            if (
                list_form(word) in SPEAKER_NOUNS
                and word.islower()
                and (list_form(tokens[k + 1][2]) in {"in", "of", "at", "from", "for", "with", "on"})
            ):
                return self.phrase_before(tokens[: k + 1])
        return None

    def phrase_after(self, pos: int, limit: int) -> Phrase | None:
        """The speaker phrase that starts at `pos` ("said Arteta", "says the Chelsea boss",
        "according to ESPN's Jeff Passan")."""
        tokens = self.article.tokens(pos, limit)
        if not tokens:
            return None
        if list_form(tokens[0][2]) in PRONOUNS:
            return tokens[0][0], tokens[0][1], "pronoun"
        determiner = None
        if list_form(tokens[0][2]) in DETERMINERS | {"its", "his", "her", "their"}:
            determiner, tokens = tokens[0], tokens[1:]
        seq, determiner = self._speaker_part(_leading_words(tokens), determiner)
        found = self._analyse(seq, determiner)
        if found is not None and found[2] == "description":
            # "said the assistant US attorney, Thane Rehn, in …": the name set off after the
            # description is who it describes.
            named = _APPOSITIVE_NAME.match(self.article.blank, found[1], limit)
            if named:
                return named.start(1), named.end(1), "name"
        return found

    def _speaker_part(
        self, seq: list[Token], determiner: Token | None
    ) -> tuple[list[Token], Token | None]:
        """The words of `seq` that name the speaker, and the determiner still before them."""
        # a description ends at its head noun: "the Chelsea boss", "a spokesman for BEUC"
        heads = [
            k for k, t in enumerate(seq) if list_form(t[2]) in SPEAKER_NOUNS and t[2].islower()
        ]
        if heads and not all(is_name(t[2]) for t in seq[heads[-1] + 1 :] if t[2] not in QUALIFIERS):
            seq = seq[: heads[-1] + 1]
        if (
            seq
            and heads
            and seq[-1][2] not in QUALIFIERS
            and all(is_name(t[2]) or t[2] in NAME_JOINERS for t in seq[heads[-1] + 1 :])
            and heads[-1] + 1 < len(seq)
            and seq[heads[-1] + 1][2] not in QUALIFIERS
        ):
            # "coach Adam Forde": the role introduces the name
            seq = seq[heads[-1] + 1 :]
            determiner = None
        # "Wick of Massachusetts Cranberries": a known surname ends the name
        if len(seq) > 2 and seq[1][2] == "of" and seq[0][2] in self.names.surnames:
            seq = seq[:1]
        while seq and seq[-1][2] in NAME_JOINERS | QUALIFIERS:
            seq = seq[:-1]
        return seq, determiner

    def phrase_over_appositive(self, tokens: list[Token]) -> Phrase | None:
        """In "Jens Stoltenberg, NATO secretary general, said": the last bare name among the
        comma- or dash-separated segments, else the phrase opening the first segment that is
        not an introductory phrase ("Separatist authorities in the Luhansk region, where …,")."""
        segments: list[list[Token]] = [[]]
        for token in tokens:
            if token[2] in PUNCTUATION:
                segments.append([])
            else:
                segments[-1].append(token)
        segments = [s for s in segments if s]
        for segment in reversed(segments):
            words = [t[2] for t in segment]
            if (
                len(words) <= 6
                and is_name(words[0])
                and all(is_name(w) or w in NAME_JOINERS or list_form(w) in SUFFIXES for w in words)
            ):
                found = self._analyse(segment, None)
                if found:
                    return found
        for segment in segments[:-1] or segments:
            first = list_form(segment[0][2])
            if first in FUNCTION_WORDS or first.endswith("ing"):
                continue
            return self.phrase_after(segment[0][0], segment[-1][1])
        return None

    def subject_at_start(self, s_start: int, limit: int) -> Phrase | None:
        """The subject that opens a sentence, past an introductory phrase ("At the summit, he
        appeared ..., saying")."""
        tokens = self.article.tokens(s_start, limit)
        if not tokens:
            return None
        first = list_form(tokens[0][2])
        if (first in FUNCTION_WORDS - PRONOUNS - DETERMINERS or first.endswith("ing")) and any(
            t[2] == "," for t in tokens
        ):
            comma = next(k for k, t in enumerate(tokens) if t[2] == ",")
            tokens = tokens[comma + 1 :]
        if not tokens:
            return None
        found = self.phrase_after(tokens[0][0], limit)
        if found is None and any(t[2] == "," for t in tokens):
            comma = next(k for k, t in enumerate(tokens) if t[2] == ",")
            if comma + 1 < len(tokens):
                found = self.phrase_after(tokens[comma + 1][0], limit)
        return found


def _leading_words(tokens: list[Token]) -> list[Token]:
    """The words opening `tokens` that can belong to a speaker phrase: up to a verb, a
    function word or punctuation, eight at most."""
    seq: list[Token] = []
    for k, token in enumerate(tokens):
        word, low = token[2], list_form(token[2])
        if is_word(word) and low not in FUNCTION_WORDS and low not in AUX | PASSIVE:
            if VERB.fullmatch(word):
                break
            if (
                seq
                and word.islower()
                and low not in SPEAKER_NOUNS
                and (is_name(seq[-1][2]) or list_form(seq[-1][2]) in SPEAKER_NOUNS)
            ):
                break  # "Arteta shared ...", "the spokesman added ...": the verb
            seq.append(token)
        elif (
            low in QUALIFIERS | NAME_JOINERS
            and seq
            and k + 1 < len(tokens)
            and is_name(tokens[k + 1][2])
        ):
            seq.append(token)
        else:
            break
        if len(seq) >= 8:
            break
    return seq
