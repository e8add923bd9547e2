"""Source guide: the sentences central to one article and questions that article answers.

Key sentences are those closest in meaning to the rest of the article (with an `embed` function,
e.g. the Assistant's embedding model; without one, those that carry the article's recurring
words), with a lift for named people's statements. Questions are built only from templates that
read as a person would write them: a named person's statement, a count, a noun phrase the
article itself introduces with "the"/"a". A caller can pass `answers(question) -> bool` so that
only questions the index really answers from this article are offered."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from assistant.schema import Article
from assistant.text.sentences import split_sentences

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
# Capitalised words that end an organisation's name ("European Commission"), never a surname.
_ORGANISATIONS = frozenset(
    """Commission Association Research Group Company Council Committee Department Ministry
    Agency Office Union Party Government Court Institute University Bank Fund Foundation""".split()
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


Embed = Callable[[list[str]], np.ndarray]

# How much a named person's statement counts over plain narration, in cosine units (a sentence
# that quotes someone is what a reader of news looks for; 0.05 moves it a few places, no more).
_STATEMENT_LIFT = 0.05
# Two key sentences closer than this say the same thing; the second adds nothing.
_SAME_MEANING = 0.85


def _lexical_centrality(article: Article, sentences: list[KeySentence]) -> list[float]:
    frequency = Counter(_content_words(article.text))
    scores = []
    for position, sentence in enumerate(sentences):
        words = set(_content_words(sentence.text))
        # Words seen more than once in the article are its topic; one-off words are detail.
        weight = sum(frequency[w] - 1 for w in words) / (len(words) ** 0.5) if words else 0.0
        # News puts the gist first: a mild lead bonus.
        scores.append(weight * (1.0 + 0.5 * (1.0 - position / len(sentences))))
    top = max(scores, default=0.0) or 1.0
    return [score / top for score in scores]


def key_sentences(article: Article, n: int = 3, embed: Embed | None = None) -> list[KeySentence]:
    """The n sentences most central to the article, in reading order.

    With `embed` (unit vectors per text), a sentence's centrality is its mean cosine to every
    other body sentence: the one the rest of the article keeps circling back to, not the lead.
    Statements by a named person get a small lift; near-repeats of a chosen sentence are skipped."""
    sentences = [s for s in _sentences(article) if _is_body_sentence(s, article.title)]
    if not sentences:
        return []
    vectors: np.ndarray | None = None
    if embed is not None and len(sentences) > n:
        vectors = np.asarray(embed([s.text for s in sentences]), dtype=np.float32)
        similarity = vectors @ vectors.T
        centrality = (similarity.sum(axis=1) - similarity.diagonal()) / (len(sentences) - 1)
        scores = [float(c) for c in centrality]
    else:
        scores = [0.2 * c for c in _lexical_centrality(article, sentences)]
    statements = {(s.start, s.end) for _, s in speakers(article, people_only=True)}
    lifted = [
        score + _STATEMENT_LIFT * ((s.start, s.end) in statements)
        for score, s in zip(scores, sentences, strict=True)
    ]
    ranked = sorted(range(len(sentences)), key=lambda i: (-lifted[i], i))
    chosen: list[int] = []
    for i in ranked:
        if len(chosen) == n:
            break
        if vectors is not None and any(
            float(vectors[i] @ vectors[j]) > _SAME_MEANING for j in chosen
        ):
            continue
        chosen.append(i)
    return [sentences[i] for i in sorted(chosen)]


def _surname(name: str) -> str | None:
    tokens = [t for t in name.split() if t not in _NOT_NAMES]
    if not tokens:
        return None
    return tokens[-1].rstrip("’'s") if tokens[-1].endswith(("’s", "'s")) else tokens[-1]


def is_person(name: str, article: Article) -> bool:
    """Whether the article names `name` the way it names people: after a first name at least
    once ("Jens Stoltenberg"), which an outlet, a city or a party ("NATO", "Moscow") never gets."""
    if name.isupper() or name.lower() in STOPWORDS or name in _ORGANISATIONS:
        return False  # "NATO", "CEO", "Will": an acronym or a common word, not a surname
    first_name = re.compile(rf"\b([A-Z][a-z’'\-]+)\s+(?:[A-Z]\.\s+)?{re.escape(name)}\b")
    return any(m.group(1) not in _NOT_NAMES for m in first_name.finditer(article.text))


def speakers(article: Article, *, people_only: bool = False) -> list[tuple[str, KeySentence]]:
    """(surname, sentence) for each sentence that attributes words to someone, first per name;
    with people_only, only names the article gives a first name to."""
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
    return [(n, s) for n, s in found.items() if not people_only or is_person(n, article)]


def _quoted_chars(text: str) -> int:
    return sum(len(m.group(1)) for m in _QUOTED.finditer(text))


# A noun phrase the article introduces itself: a determiner, then one to three words up to the
# next function word or punctuation. "the troop withdrawal", "a battle tank", "the reports".
_DETERMINED = re.compile(
    r"\b(?:the|a|an|its|their|his|her|this|these)\s+((?:[A-Za-z][\w’'\-]*\s+){0,2}[A-Za-z][\w’'\-]*)"
)
# Word endings that mark a verb or an adverb, not a noun: "separatists shelled", "fought back".
_NOT_NOUN_END = re.compile(r"(?:ed|ing|ly)$")
# Words that end a noun phrase though they pass the tests above: particles, time adverbs,
# irregular past tenses and the adjectives that make "the best" or "the same" no topic.
_NOT_NOUNS = frozenset(
    """together back ago ahead done due away again already still even yet well today yesterday
    tomorrow later earlier instead enough last next first best worst most least same other
    fought made took came went got gave left held found saw knew thought brought began became
    won lost ran sent spent built paid met kept set put hit cut play plays keep lot way thing
    things big former latter three four five six seven eight nine ten hundred thousand million
    billion""".split()
)


def noun_phrases(text: str) -> list[str]:
    """Noun phrases in `text` as the article writes them after a determiner, without it."""
    phrases = []
    for match in _DETERMINED.finditer(text):
        words: list[str] = []
        for word in match.group(1).split():
            bare = word.strip("’'-")
            lowered = bare.lower()
            if lowered in STOPWORDS or lowered in _NOT_NOUNS or len(bare) < 3:
                break
            if not bare.isalpha() or lowered.endswith("est"):
                break
            if words and (
                _NOT_NOUN_END.search(lowered) or (bare[0].isupper() > words[-1][0].isupper())
            ):
                break  # a verb, or a name, after the noun: the phrase ended before it
            words.append(bare)
            if bare.islower() and bare.endswith("s") and not bare.endswith("ss"):
                break  # a plural ends the phrase: "the issues years ago" is "the issues"
        # A phrase must end on its noun: a lone adjective or verb form is no topic.
        while words and _NOT_NOUN_END.search(words[-1].lower()):
            words.pop()
        if words:
            phrases.append(" ".join(words))
    return phrases


def topic_phrase(text: str, frequency: Counter[str], exclude: set[str] | None = None) -> str | None:
    """The noun phrase in `text` (see noun_phrases) whose words the article repeats most."""
    exclude = {e.lower() for e in (exclude or set())}
    best: tuple[float, str] | None = None
    for phrase in noun_phrases(text):
        words = phrase.split()
        if any(w.lower() in exclude for w in words):
            continue
        if max(frequency[_norm(w)] for w in words) < 2:
            continue  # a word the article uses once is a detail, not a topic
        # Common nouns name a topic ("troop withdrawal"); a capitalised word is mostly a name
        # the question already carries, so it counts for less.
        score = sum(frequency[_norm(w)] * (0.3 if w[:1].isupper() else 1.0) for w in words)
        score += 1.5 * (len(words) - 1)
        if best is None or score > best[0]:
            best = (score, phrase)
    return best[1] if best else None


def _about(phrase: str) -> str:
    """The phrase as the object of "about": a proper name stands alone, a noun takes "the"."""
    if len(phrase.split()) == 1 and phrase[:1].isupper():
        return phrase
    return f"the {phrase}"


def _counts(noun: str, subject: str) -> bool:
    """Whether "How many <noun> has <subject> ...?" reads as a question: a plural noun, and a
    subject that is a name or "the ..." rather than a stray clause ("but just three players")."""
    if len(noun) < 4 or not noun.endswith("s") or noun in STOPWORDS:
        return False
    words = subject.split()
    if words[0] in ("The", "A", "An"):
        words = words[1:]
    return bool(words) and not any(w.lower() in STOPWORDS or w in _NOT_NAMES for w in words)


def candidate_questions(article: Article) -> list[str]:
    """Questions built from the article's own attributions, counts and central sentences."""
    frequency = Counter(_content_words(article.text))
    questions: list[str] = []
    for name, sentence in speakers(article, people_only=True):
        exclude = set(name.split()) | {w.lower() for w in _NOT_NAMES}
        # What follows the name is what they said; fall back to the whole sentence.
        quoted = " ".join(m.group(1) for m in _QUOTED.finditer(sentence.text))
        said = quoted or sentence.text.split(name, 1)[-1] or sentence.text
        topic = topic_phrase(said, frequency, exclude) or topic_phrase(
            sentence.text, frequency, exclude
        )
        if topic:
            questions.append(f"What did {name} say about {_about(topic)}?")
    for sentence in _sentences(article):
        match = _HOW_MANY.match(sentence.text)
        if match and _counts(match.group("noun"), match.group("subject")):
            subject = match.group("subject")
            first, _, rest = subject.partition(" ")
            if first in _NOT_NAMES:
                subject = f"{first.lower()} {rest}".strip()
            questions.append(
                f"How many {match.group('noun')} {match.group('aux')} "
                f"{subject} {match.group('verb')}?"
            )
    for sentence in key_sentences(article, n=3):
        topic = topic_phrase(sentence.text, frequency)
        if topic:
            questions.append(f"What does the article say about {_about(topic)}?")
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
    embed: Embed | None = None,
) -> SourceGuide:
    """Key sentences and up to n_questions questions; with `answers`, only answered ones."""
    chosen: list[str] = []
    for question in _interleave(candidate_questions(article)):
        if len(chosen) == n_questions:
            break
        if answers is None or answers(question):
            chosen.append(question)
    return SourceGuide(
        article_id=article.id, summary=key_sentences(article, n_sentences, embed), questions=chosen
    )
