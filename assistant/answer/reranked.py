"""The extractive answer chosen by meaning: the sentences of the top passages that share most of
the question's words are read together with the question by the cross-encoder, and the ones
that answer are quoted. The same scores, with the question's word coverage, decide abstention:
when no sentence answers, the articles don't cover the question.

A multi-part question ("When will construction begin and who objected?") is scored part by part,
so each part gets its own sentence, and a part no sentence answers is named in the answer."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answer.abstention import (
    ABSTAIN_TEXT,
    NO_PASSAGES_TEXT,
    PENDING_TEXT,
    not_quoted_on,
)
from assistant.answer.already_said import SaidBefore
from assistant.answer.names import as_phrases, unknown_names
from assistant.answer.numbers import (
    contradicts,
    counts_something_else,
    holds,
    names_numbers_as_given,
)
from assistant.answer.pending import answers_too_early
from assistant.answer.said_by import SpeakerQuestion, speaker_asked_about
from assistant.answer.word_overlap import SentenceSimilarity, cite_whole_quotations
from assistant.index.lexical import LexicalIndex, weighted_share
from assistant.models.cross_encoder import RelevanceScorer
from assistant.schema import Answer, Passage
from assistant.settings import Settings
from assistant.text.patterns import PART_BREAK
from assistant.text.question_analysis import SourceMatcher, split_clauses
from assistant.text.sentences import asks_a_question, split_sentences, unfinished_line
from assistant.text.tokens import tokenize

# A sentence that opens by pointing back ("He also said ...", "This would ...") is read with the
# sentence before it, which says who or what it is about.
_POINTS_BACK = re.compile(
    r"^[“\"‘']?(?:(?:but|and|yet|so|still|however|instead),?\s+)?"
    r"(?:he|she|it|they|this|that|these|those|his|her|its|their|there|such|the move|"
    r"the (?:minister|secretary|president|spokesman|spokeswoman|official|alliance|company))\b",
    re.IGNORECASE,
)
# "But NATO called this announcement false.": a demonstrative early in the sentence names
# something the sentence before said.
_NAMES_BACK_EARLY = re.compile(r"^(?:\S+\s+){0,4}?(?:this|these|those)\s+\w", re.IGNORECASE)
# "Liz Truss and Ben Wallace each say ...": one predicate, two subjects, two parts.
_EACH = re.compile(
    r"^(?P<lead>.*?\b)?(?P<first>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)\s+and\s+"
    r"(?P<second>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)\s+(?:each|both)\s+(?P<rest>.+)$"
)
_MIN_PART_WORDS = 1
_ASKS_WHY = re.compile(r"^\s*(?:(?:and|but|so)\s*,?\s+)?why\b", re.IGNORECASE)
# A list entry's sentence that opens with its verb, the subject left to the heading above it:
# "Announced on …", "Issued a new round …", "Is reducing its staff …", "Laid off 20% …". A
# word in "-ed" counts as a verb only before a word in lower case ("United Airlines said").
_OPENS_WITH_VERB = re.compile(
    r"(?:[A-Z][a-z]+ed|Is|Are|Was|Were|Has|Have|Had|Will|Plans|Cut|Cuts|Laid|Lays|Lost)\s+"
    r"(?:[a-z]|\d|\$|“|\"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|"
    r"Fri|Sat|Sun)[a-z]*\b)"
)
_HEADING_WORDS = 6
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")
_WORD = re.compile(r"\w+")
_NO_OUTLETS = SourceMatcher([])


def question_parts(question: str) -> list[str]:
    """The parts of a question that each need their own answer; one part for a simple one."""
    question = question.strip()
    each = _EACH.match(question)
    if each:
        lead = each.group("lead") or ""
        rest = each.group("rest")
        return [f"{lead}{each.group('first')} {rest}", f"{lead}{each.group('second')} {rest}"]
    parts = [p.strip(" ,;") for p in PART_BREAK.split(question)]
    parts = [p for p in parts if p]
    merged: list[str] = []
    for part in parts:
        if merged and len(tokenize(part)) < _MIN_PART_WORDS:
            merged[-1] = f"{merged[-1]} and {part}"
        else:
            merged.append(part)
    return merged or [question]


@dataclass
class Candidate:
    passage: Passage
    start: int
    end: int
    text: str
    scores: list[float] = field(default_factory=list)  # whole question first, then each part

    @property
    def best(self) -> float:
        return self.scores[0]

    @functools.cached_property
    def wording(self) -> str:
        """The text's words as a reader reads them: spacing, case and punctuation aside ("Sam
        Altman has been fired from OpenAI." is worded inside "Sam Altman has been fired from
        OpenAI, Inc., the nonprofit …"). Padded with spaces, so one wording is inside another
        only word for word."""
        return " " + " ".join(_WORD.findall(self.text.casefold())) + " "


def candidates(passages: Sequence[Passage], article_texts: dict[str, str]) -> list[Candidate]:
    """Each sentence of the passages once; one that points back also as a pair with the
    sentence before it (the pair is what gets cited when it answers better). A sentence worded
    as one already found (an outlet's stock line about a story, repeated in each article of a
    series) is left out: quoted twice, it would say nothing new. So is a line that is no
    sentence (a headline, a caption, a table row)."""
    found: list[Candidate] = []
    seen: set[tuple[str, int, int]] = set()
    wordings: set[str] = set()
    for passage in passages:
        text = article_texts.get(passage.article_id)
        if not text:
            continue
        window = text[passage.start : passage.end]
        sentences = split_sentences(window, max_chars=len(window) + 1)
        for number, sentence in enumerate(sentences):
            start, end = passage.start + sentence.start, passage.start + sentence.end
            if unfinished_line(text, start, end):
                continue
            heading = _heading_of(text, start)
            # "Qualtrics\n\nAnnounced on October 4 that 780 roles …": in a list, an entry
            # whose sentence opens with its verb has its subject in the heading above it.
            spans = [(heading if heading is not None else start, end)]
            if heading is None and _points_back(text[start:end]):
                before = _sentence_before(text, passage.start, sentences, number)
                # Across a paragraph break the sentence before is about something else.
                if before is not None and "\n" not in text[before:start]:
                    before_heading = _heading_of(text, before)
                    spans.append((before if before_heading is None else before_heading, end))
            for span in spans:
                candidate = Candidate(passage, span[0], span[1], text[span[0] : span[1]])
                key = (passage.article_id, *span)
                if asks_a_question(candidate.text) or key in seen or candidate.wording in wordings:
                    continue
                seen.add(key)
                wordings.add(candidate.wording)
                found.append(candidate)
    return found


def _heading_of(text: str, start: int) -> int | None:
    """Where the heading line an entry's opening sentence at `start` leaves its subject to
    begins: the sentence opens its paragraph with a verb ("Announced …", "Is reducing …"), and
    the line before it is a name, a few words without a sentence's end. None otherwise."""
    if not _OPENS_WITH_VERB.match(text, start):
        return None
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return None
    before = text[:line_start].rstrip()
    heading_start = before.rfind("\n") + 1
    heading = before[heading_start:]
    words = heading.split()
    if not words or len(words) > _HEADING_WORDS or _ENDS_SENTENCE.search(heading):
        return None
    return heading_start


def _points_back(sentence: str) -> bool:
    return bool(_POINTS_BACK.match(sentence) or _NAMES_BACK_EARLY.match(sentence))


def _sentence_before(text: str, window_start: int, sentences: list, number: int) -> int | None:
    if number > 0:
        return window_start + sentences[number - 1].start
    head = text[max(0, window_start - 600) : window_start]
    previous = split_sentences(head, max_chars=len(head) + 1)
    if not previous:
        return None
    return window_start - len(head) + previous[-1].start


def score_candidates(
    scorer: RelevanceScorer, question: str, parts: list[str], found: list[Candidate]
) -> None:
    queries = [question, *parts] if len(parts) > 1 else [question]
    pairs = [(query, c.text) for query in queries for c in found]
    scores = scorer.score_pairs(pairs).reshape(len(queries), len(found))
    for number, candidate in enumerate(found):
        candidate.scores = [float(s) for s in scores[:, number]]


def reranked_answer(
    question: str,
    passages: list[Passage],
    *,
    lexical: LexicalIndex,
    article_texts: dict[str, str],
    settings: Settings,
    scorer: RelevanceScorer,
    similarity: SentenceSimilarity | None = None,
    said: SaidBefore | None = None,
) -> Answer:
    """Quote the sentences the cross-encoder finds answer the question (each part of it), or
    abstain when none does or the question names someone no article mentions. `similarity`
    (the embedding model's cosine) lets a paraphrase through the word-coverage rule; no
    sentence that repeats what `said` holds (earlier answers, for a "what else" follow-up) is
    quoted."""
    if not passages:
        return Answer(question=question, text=NO_PASSAGES_TEXT, abstained=True)
    found = candidates(passages[: settings.rerank_passages], article_texts)
    if said:
        found = [c for c in found if not said.repeats(c.text)]
    unknown = as_phrases(question, unknown_names(question, lexical.document_frequency))
    # A name in full that no article mentions ("Olaf Scholz") is someone the articles don't
    # cover. A single unknown word is weaker evidence ("Kyiv's" where the text says "Kiev",
    # "Western" where it says "the West"): it only raises the bar a sentence must clear.
    if not found or any(" " in name for name in unknown):
        return Answer(question=question, text=ABSTAIN_TEXT, abstained=True, related=passages[:3])
    weights = lexical.word_weights(question)
    coverage = {id(c): weighted_share(weights, c.text) for c in found}
    covered = max(coverage.values())
    # The model reads a shortlist: the sentences that share most of the question's words (on
    # the dev sets the answer was as often among the first 12 as among all), which bounds the
    # cost of a question.
    found = sorted(found, key=lambda c: (-coverage[id(c)], c.passage.rank, c.start))[
        : settings.rerank_sentences
    ]
    parts = question_parts(question)
    score_candidates(scorer, question, parts, found)
    # "Why does Moscow want …?": the reason often follows the claim ("He also wants … He argues
    # that they pose a threat …"), and the model scores the pair barely above the claim alone.
    found = _without_needless_pairs(found, gain=0.0 if _ASKS_WHY.match(question) else 1.0)
    ranked = sorted(found, key=lambda c: -c.best)
    best = ranked[0]
    # "How are the 83 constituency MSPs chosen?" and the best sentence is about the 73 of them:
    # it reads like the answer to a question the articles would answer, not to this one. (A
    # question of several clauses names facts that no one sentence holds all of.)
    clauses = split_clauses(question, _NO_OUTLETS)
    clause_count = len(clauses)
    one_clause = clause_count == 1
    given = names_numbers_as_given(question) if one_clause else {}
    if settings.decline_other_numbers and contradicts(given, best.text):
        return Answer(question=question, text=ABSTAIN_TEXT, abstained=True, related=passages[:3])
    # "How many soldiers were wounded?" and the best sentence counts "two civilians".
    if settings.decline_other_counts and one_clause and counts_something_else(question, best.text):
        return Answer(question=question, text=ABSTAIN_TEXT, abstained=True, related=passages[:3])
    # "What did the OSCE mission conclude?" and the best sentence says it "is expected to
    # present its assessment later Thursday": written before the event, it can't tell.
    if settings.decline_pending_events and one_clause and answers_too_early(question, best.text):
        related = [best.passage, *(p for p in passages[:3] if p != best.passage)][:3]
        return Answer(question=question, text=PENDING_TEXT, abstained=True, related=related)
    # "What did Elon Musk say about advertisers?" and the best sentence is Musk on the EU: a
    # speaker's name lifts the score of anything said by or about them, on the topic or not.
    asked = speaker_asked_about(question) if settings.decline_off_topic_statements else None
    if (
        asked is not None
        and one_clause
        and off_topic_statement(asked, best.text, best.best, settings.said_by_min_score)
    ):
        text = not_quoted_on(asked.speaker, asked.about) if asked.about else ABSTAIN_TEXT
        return Answer(question=question, text=text, abstained=True, related=passages[:3])
    threshold = abstain_floor(clause_count, settings, unknown=bool(unknown))
    part_best = [max(found, key=lambda c, n=n: c.scores[n]) for n in range(1, len(best.scores))]
    # A part is a question of its own, often a short one: it is held to its own floor, not
    # to the lower one a long multi-clause question gets.
    part_floors = [
        abstain_floor(_clause_count(part), settings, unknown=bool(unknown))
        for part in parts[: len(part_best)]
    ]
    part_answered = [part_best[n].scores[n + 1] >= part_floors[n] for n in range(len(part_best))]
    answered_parts = [c for c, ok in zip(part_best, part_answered, strict=True) if ok]
    top_score = max([best.best, *(c.scores[n + 1] for n, c in enumerate(part_best))])
    # Few of the question's words anywhere is how a question about something the articles
    # never covered looks, unless the model is sure a sentence answers it, or the sentence it
    # would quote says what the question asks in other words (a paraphrase: "Kyiv's army" for
    # "Ukraine ... its forces").
    weakly_covered = (
        covered < settings.abstain_threshold
        and top_score < settings.coverage_rule_below_score
        and not (
            top_score >= settings.paraphrase_min_score
            and _said_otherwise(question, [best, *answered_parts], similarity, settings)
        )
    )
    # A column of a long question: the sentence that answers one of its clauses is an answer
    # even when the question as a whole scores low against everything.
    clause_pick = (
        _clause_answer(scorer, clauses, found, settings.clause_answer_score)
        if settings.clause_answer_score is not None and clause_count >= 2
        else None
    )
    if ((best.best < threshold and not answered_parts) or weakly_covered) and clause_pick is None:
        return Answer(question=question, text=ABSTAIN_TEXT, abstained=True, related=passages[:3])
    chosen: list[Candidate] = [best] if best.best >= threshold else []
    if clause_pick is not None and not any(_overlaps(clause_pick, c) for c in chosen):
        chosen.append(clause_pick)
    for candidate in answered_parts:
        # A pair that answers a part holds the sentence chosen for another part: it replaces
        # that sentence rather than being left out for overlapping it.
        inside = [c for c in chosen if _contains(candidate, c)]
        if inside and all(_contains(candidate, c) for c in chosen if _overlaps(candidate, c)):
            chosen = [c for c in chosen if c not in inside] + [candidate]
        elif not any(_overlaps(candidate, c) for c in chosen):
            chosen.append(candidate)
    for candidate in ranked[1:]:
        if len(chosen) >= settings.answer_sentences:
            break
        if candidate.best < max(threshold, best.best - settings.answer_score_margin):
            break
        if not any(_overlaps(candidate, c) for c in chosen):
            chosen.append(candidate)
    missing = [part for part, ok in zip(parts, part_answered, strict=False) if not ok]
    # Best first: the first citation is the surest answer (and what a reader sees first); of
    # the quoted sentences, one that gives the number the question names comes first ("What
    # share of Warsaw was Jewish in 1897?": the census of 1897, not the pre-war figure).
    chosen.sort(key=lambda c: (bool(given) and not holds(given, c.text), -c.best))
    citations, texts = cite_whole_quotations(
        [(c.passage, c.start, c.end, round(c.best, 4)) for c in chosen], article_texts
    )
    if missing:
        texts.append("The articles don't say: " + "; ".join(m.rstrip("?") + "?" for m in missing))
    return Answer(
        question=question, text=" ".join(texts), citations=citations, unanswered_parts=missing
    )


def _clause_answer(
    scorer: RelevanceScorer, clauses: list[str], found: list[Candidate], floor: float
) -> Candidate | None:
    """The candidate that answers one of a question's `clauses` best, when its score for that
    clause reaches `floor`."""
    pairs = [(clause, c.text) for clause in clauses for c in found]
    scores = scorer.score_pairs(pairs).reshape(len(clauses), len(found)).max(axis=0)
    pick = int(scores.argmax())
    return found[pick] if scores[pick] >= floor else None


def _clause_count(question: str) -> int:
    return len(split_clauses(question, _NO_OUTLETS))


_SEVERAL = re.compile(r"\band\b|,|&")


def off_topic_statement(asked: SpeakerQuestion, sentence: str, score: float, sure: float) -> bool:
    """Whether `sentence` (scored `score`) fails to answer the "what did X say about Y" question:
    it shares no word of Y, and the model is not sure (`sure`) it answers in other words. Asked
    about several speakers ("What did Liz Truss and Ben Wallace each say about …"), one may
    speak to the topic in a sentence other than the best."""
    return (
        bool(asked.topic)
        and not _SEVERAL.search(asked.speaker)
        and score < sure
        and not asked.topic.intersection(tokenize(sentence))
    )


def abstain_floor(clause_count: int, settings: Settings, *, unknown: bool) -> float:
    """The score the best sentence of a question of `clause_count` clauses must reach. The
    model was trained on short search queries: a long multi-clause question scores lower
    against even the sentence that answers it, so it gets a lower floor. A question with a word
    no article has must clear a higher one."""
    if unknown:
        return settings.abstain_score_unknown_name
    if clause_count >= 2:
        return settings.abstain_score_multi_clause
    return settings.abstain_score


def _said_otherwise(
    question: str,
    quoted: list[Candidate],
    similarity: SentenceSimilarity | None,
    settings: Settings,
) -> bool:
    """Whether a sentence the answer would quote is close in meaning to the question."""
    if similarity is None or settings.paraphrase_similarity > 1:
        return False
    texts = list(dict.fromkeys(c.text for c in quoted))
    return max(similarity(question, texts), default=0.0) >= settings.paraphrase_similarity


def _without_needless_pairs(found: list[Candidate], gain: float = 1.0) -> list[Candidate]:
    """A pair (a sentence that points back, with the one before it) is kept only when it
    answers clearly better than that sentence before it does alone: otherwise the answer is the
    earlier sentence, and the pair only adds words a reader must skip."""
    alone: dict[tuple[str, int], Candidate] = {}
    for candidate in found:  # the shortest candidate starting at each place: the sentence
        key = (candidate.passage.article_id, candidate.start)
        if key not in alone or candidate.end < alone[key].end:
            alone[key] = candidate
    kept = []
    for candidate in found:
        first = alone[(candidate.passage.article_id, candidate.start)]
        # Compared query by query: a pair may answer a part of the question the sentence
        # before doesn't, while both answer another part alike.
        needless = first is not candidate and all(
            alone_score >= pair_score - gain
            for alone_score, pair_score in zip(first.scores, candidate.scores, strict=True)
        )
        if not needless:
            kept.append(candidate)
    return kept


def _contains(outer: Candidate, inner: Candidate) -> bool:
    return (
        outer.passage.article_id == inner.passage.article_id
        and outer.start <= inner.start
        and inner.end <= outer.end
    )


def _overlaps(a: Candidate, b: Candidate) -> bool:
    """Whether the two share words a reader would read twice: the same stretch of one
    article, or one's wording inside the other's (a stock sentence repeated in another
    article of a series, there with the sentence after it)."""
    if a.passage.article_id == b.passage.article_id:
        return a.start < b.end and b.start < a.end
    return a.wording in b.wording or b.wording in a.wording
