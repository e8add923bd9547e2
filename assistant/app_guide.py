"""Source guide: an extractive summary of one article and questions that article answers.

No model is needed: key sentences are scored by how many of the article's recurring words they
carry, and questions are built from the article's own attributions ("X said ...") and figures.
A caller can pass `answers(question) -> bool` so that only questions the index really answers
from this article are offered."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.chunking import split_sentences
from assistant.schema import Article

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours said says say told added according would could may might
    must shall also however meanwhile mr mrs ms one two like us its it's s t""".split()
)

# Words that open a sentence or name a title, never a speaker's surname.
_NOT_NAMES = frozenset(
    """The A An But And Or So If In On At By For From To Of As It Its He She They We You I This That
    These Those There Here His Her Their Our My Your When While After Before Since Meanwhile However
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov
    Dec Secretary Minister President General Chancellor Prime Foreign Defense Defence Spokesperson
    Spokesman Spokeswoman Official Officials Mr Mrs Ms Dr""".split()
)

_SPEECH = (
    r"(?:said|says|told|added|warned|accused|called|pointed out|described|argued|stressed|"
    r"announced|insisted|claimed|denied|denies|urged|noted|wrote|explained|admitted)"
)
_NAME = r"(?:[A-Z][\w’'\-]+\s+){0,4}[A-Z][\w’'\-]+"
# "Jens Stoltenberg, NATO secretary general, said" / "Ben Wallace said" / "said Ben Wallace"
_BEFORE_VERB = re.compile(rf"({_NAME})(?:,[^,]{{1,80}},)?\s+(?:also\s+|has\s+|had\s+)?{_SPEECH}\b")
# Only verbs whose next name is the speaker ("said Ben Wallace"), not the object ("accused X").
_AFTER_VERB = re.compile(rf"\b(?:said|says|added|wrote)\s+({_NAME})")
_WORD = re.compile(r"[A-Za-z][A-Za-z’'\-]*")
_FIGURE = re.compile(r"\b(\d[\d,.]*\d|[1-9]\d)\s+([a-z]{4,})\b")
_QUOTED = re.compile(r"[“\"]([^”\"]{12,})[”\"]")
# "Moscow has stationed around 150,000 troops" -> "How many troops has Moscow stationed?"
_HOW_MANY = re.compile(
    r"^(?P<subject>[A-Z][\w’'\- ]{1,40}?)\s+(?P<aux>has|have|had)\s+(?P<verb>[a-z]+ed)\s+"
    r"(?:around|about|some|nearly|almost|roughly|more than|over|up to|at least)?\s*"
    r"(?P<number>\d[\d,.]*)\s+(?P<noun>[a-z]+)"
)


@dataclass(frozen=True)
class KeySentence:
    """A sentence of the article; article.text[start:end] == text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class SourceGuide:
    article_id: str
    summary: list[KeySentence] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


def _norm(word: str) -> str:
    """Lower case and a crude plural strip, so that "troop" and "troops" count as one word."""
    word = word.lower().strip("’'-")
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _content_words(text: str) -> list[str]:
    return [_norm(w) for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2]


def _sentences(article: Article) -> list[KeySentence]:
    out = []
    for sentence in split_sentences(article.text):
        text = article.text[sentence.start : sentence.end]
        out.append(KeySentence(text=text, start=sentence.start, end=sentence.end))
    return out


def _is_body_sentence(sentence: KeySentence, title: str) -> bool:
    """Page furniture and the headline repeated in the body are not summary material."""
    words = _WORD.findall(sentence.text)
    if len(words) < 6:
        return False
    return sentence.text.strip().rstrip(".").lower() != title.strip().rstrip(".").lower()


def key_sentences(article: Article, n: int = 3) -> list[KeySentence]:
    """The n sentences that best carry the article's recurring words, in reading order."""
    sentences = [s for s in _sentences(article) if _is_body_sentence(s, article.title)]
    if not sentences:
        return []
    frequency = Counter(_content_words(article.text))
    scored = []
    for position, sentence in enumerate(sentences):
        words = set(_content_words(sentence.text))
        if not words:
            continue
        # Words seen more than once in the article are its topic; one-off words are detail.
        weight = sum(frequency[w] - 1 for w in words) / (len(words) ** 0.5)
        # News puts the gist first: a mild lead bonus.
        weight *= 1.0 + 0.5 * (1.0 - position / len(sentences))
        scored.append((weight, position, sentence))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:n]
    return [sentence for _, _, sentence in sorted(best, key=lambda item: item[1])]


def _surname(name: str) -> str | None:
    tokens = [t for t in name.split() if t not in _NOT_NAMES]
    if not tokens:
        return None
    return tokens[-1].rstrip("’'s") if tokens[-1].endswith(("’s", "'s")) else tokens[-1]


def speakers(article: Article) -> list[tuple[str, KeySentence]]:
    """(surname, sentence) for each sentence that attributes words to someone, first per name."""
    found: dict[str, KeySentence] = {}
    for sentence in _sentences(article):
        for pattern in (_BEFORE_VERB, _AFTER_VERB):
            for match in pattern.finditer(sentence.text):
                name = _surname(match.group(1))
                if not name or len(name) < 3:
                    continue
                # A sentence that quotes the speaker says more about them than a paraphrase.
                if name not in found or _quoted_chars(sentence.text) > _quoted_chars(
                    found[name].text
                ):
                    found[name] = sentence
    return list(found.items())


def _quoted_chars(text: str) -> int:
    return sum(len(m.group(1)) for m in _QUOTED.finditer(text))


def topic_phrase(text: str, frequency: Counter[str], exclude: set[str] | None = None) -> str | None:
    """The run of one to three content words in `text` that the article repeats most."""
    exclude = {e.lower() for e in (exclude or set())}
    best: tuple[float, str] | None = None
    for run in re.split(r"[^A-Za-z’'\- ]+", text):
        words = run.split()
        for i in range(len(words)):
            for size in (1, 2, 3):
                window = words[i : i + size]
                if len(window) < size:
                    break
                lowered = [w.lower().strip("’'-") for w in window]
                if any(w in STOPWORDS or len(w) < 3 or w in exclude for w in lowered):
                    break
                # Common nouns name a topic ("troop withdrawal"); a capitalised word is mostly a
                # name the question already carries, so it counts for less.
                score = sum(
                    frequency[_norm(w)] * (0.3 if w[:1].isupper() else 1.0) for w in window
                ) + 1.5 * (size - 1)
                if best is None or score > best[0]:
                    best = (score, " ".join(w.strip("’'-") for w in window))
    return best[1] if best else None


def candidate_questions(article: Article) -> list[str]:
    """Questions built from the article's own attributions, figures and key sentences."""
    frequency = Counter(_content_words(article.text))
    questions: list[str] = []
    for name, sentence in speakers(article):
        exclude = set(name.split()) | {w.lower() for w in _NOT_NAMES}
        # What follows the name is what they said; fall back to the whole sentence.
        quoted = " ".join(m.group(1) for m in _QUOTED.finditer(sentence.text))
        said = quoted or sentence.text.split(name, 1)[-1] or sentence.text
        topic = topic_phrase(said, frequency, exclude) or topic_phrase(
            sentence.text, frequency, exclude
        )
        if topic:
            questions.append(f"What did {name} say about {topic.lower()}?")
    for sentence in _sentences(article):
        match = _HOW_MANY.match(sentence.text)
        if match and match.group("noun") not in STOPWORDS:
            subject = match.group("subject")
            first, _, rest = subject.partition(" ")
            if first in _NOT_NAMES:
                subject = f"{first.lower()} {rest}".strip()
            questions.append(
                f"How many {match.group('noun')} {match.group('aux')} "
                f"{subject} {match.group('verb')}?"
            )
            continue
        figure = _FIGURE.search(sentence.text)
        # A figure is worth asking about when its noun is one the article keeps coming back to.
        if figure and figure.group(2) not in STOPWORDS and frequency[_norm(figure.group(2))] > 1:
            questions.append(
                f"What does the article say about the {figure.group(1)} {figure.group(2)}?"
            )
    for sentence in key_sentences(article, n=3):
        topic = topic_phrase(sentence.text, frequency)
        if topic:
            questions.append(f"What does the article say about {topic}?")
    return list(dict.fromkeys(questions))


def _interleave(questions: list[str]) -> list[str]:
    """Mix kinds (people, figures, topics) so three suggestions are not all alike."""
    kinds: dict[str, list[str]] = {}
    for question in questions:
        kinds.setdefault(question.split()[1], []).append(question)
    mixed: list[str] = []
    while any(kinds.values()):
        for bucket in kinds.values():
            if bucket:
                mixed.append(bucket.pop(0))
    return mixed


def build_guide(
    article: Article,
    *,
    n_sentences: int = 3,
    n_questions: int = 3,
    answers: Callable[[str], bool] | None = None,
) -> SourceGuide:
    """Key sentences and up to n_questions questions; with `answers`, only answered ones."""
    chosen: list[str] = []
    for question in _interleave(candidate_questions(article)):
        if len(chosen) == n_questions:
            break
        if answers is None or answers(question):
            chosen.append(question)
    return SourceGuide(
        article_id=article.id, summary=key_sentences(article, n_sentences), questions=chosen
    )
