"""The extractive answerer: quotes the sentences that best answer the question, or abstains."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.answer.abstention import ABSTAIN_TEXT, NO_PASSAGES_TEXT
from assistant.answer.already_said import SaidBefore
from assistant.answer.names import unknown_names
from assistant.index.lexical import LexicalIndex
from assistant.schema import Answer, Citation, Passage
from assistant.settings import Settings
from assistant.text.patterns import SPEAKER_QUESTION, SPEECH_VERBS
from assistant.text.quotations import whole_quotations
from assistant.text.sentences import asks_a_question, split_sentences, unfinished_line
from assistant.text.tokens import tokenize

SentenceSimilarity = Callable[[str, list[str]], list[float]]
"""Cosine similarity of the question to each sentence (the embedding model)."""


def _text_of(sentence: ScoredSentence, article_texts: dict[str, str]) -> str:
    return article_texts[sentence.passage.article_id][sentence.start : sentence.end]


@dataclass
class ScoredSentence:
    passage: Passage
    start: int
    end: int
    coverage: float
    score: float
    similarity: float = 0.0


def speaker_of(question: str) -> list[str]:
    """Tokens of the person a "what did X say" question asks about (else empty)."""
    match = SPEAKER_QUESTION.search(question)
    return tokenize(match.group("speaker")) if match else []


def score_sentences(
    question: str,
    passages: list[Passage],
    lexical: LexicalIndex,
    article_texts: dict[str, str],
    similarity: SentenceSimilarity | None = None,
    semantic_weight: float = 0.5,
    semantic_candidates: int = 16,
) -> list[ScoredSentence]:
    """Every sentence of the retrieved passages, scored by how much of the question it covers
    (idf-weighted, so rare names weigh most) and, when `similarity` is given, by its meaning
    (paraphrased questions share few words with their answer); nudged by its passage's rank
    and, for who-said-what questions, by naming the speaker next to a speech verb."""
    query = list(dict.fromkeys(tokenize(question)))
    if not query:
        return []
    weights = {token: lexical.idf(token) for token in query}
    total = sum(weights.values()) or 1.0
    speaker = set(speaker_of(question))
    best_passage = max((p.score for p in passages), default=1.0) or 1.0
    seen: set[tuple[str, int]] = set()
    scored: list[ScoredSentence] = []
    for passage in passages:
        text = article_texts[passage.article_id]
        window = text[passage.start : passage.end]
        for sentence in split_sentences(window, max_chars=len(window) + 1):
            start, end = passage.start + sentence.start, passage.start + sentence.end
            if (passage.article_id, start) in seen or unfinished_line(text, start, end):
                continue
            if asks_a_question(text[start:end]):
                continue
            seen.add((passage.article_id, start))
            tokens = set(tokenize(text[start:end]))
            coverage = sum(w for t, w in weights.items() if t in tokens) / total
            score = coverage + 0.15 * passage.score / best_passage - 0.01 * passage.rank
            if speaker and speaker <= tokens and SPEECH_VERBS.search(text[start:end]):
                score += 0.15
            scored.append(ScoredSentence(passage, start, end, coverage, score))
    if similarity is not None and scored:
        # Only the lexical front-runners are embedded: it bounds the cost per question.
        scored.sort(key=lambda s: -s.score)
        shortlist = scored[:semantic_candidates]
        sentences = [article_texts[s.passage.article_id][s.start : s.end] for s in shortlist]
        for sentence, value in zip(shortlist, similarity(question, sentences), strict=True):
            sentence.similarity = float(value)
            sentence.score += semantic_weight * sentence.similarity
    scored.sort(key=lambda s: -s.score)
    return scored


def extractive_answer(
    question: str,
    passages: list[Passage],
    *,
    lexical: LexicalIndex,
    article_texts: dict[str, str],
    settings: Settings,
    similarity: SentenceSimilarity | None = None,
    said: SaidBefore | None = None,
) -> Answer:
    """Quote up to `answer_sentences` best sentences, each cited (none that repeats what
    `said` holds). Abstain when the question names someone or something no article mentions,
    or when no sentence matches it either in words or in meaning."""
    if not passages:
        # Nothing to list as related: the usual text would promise passages that aren't there.
        return Answer(question=question, text=NO_PASSAGES_TEXT, abstained=True)
    scored = score_sentences(
        question, passages[: settings.answer_passages], lexical, article_texts, similarity
    )
    if said:
        scored = [s for s in scored if not said.repeats(_text_of(s, article_texts))]
    best_coverage = max((s.coverage for s in scored), default=0.0)
    best_similarity = max((s.similarity for s in scored), default=0.0)
    if (
        not scored
        or unknown_names(question, lexical.document_frequency)
        or (
            best_coverage < settings.abstain_threshold
            and (similarity is None or best_similarity < settings.abstain_similarity)
        )
    ):
        return Answer(question=question, text=ABSTAIN_TEXT, abstained=True, related=passages[:3])
    best = scored[0]
    chosen = [best]
    for candidate in scored[1:]:
        if len(chosen) >= settings.answer_sentences:
            break
        if candidate.score < 0.8 * best.score:
            break
        chosen.append(candidate)
    chosen.sort(key=lambda s: (s.passage.rank, s.start))
    citations, parts = cite_whole_quotations(
        [(s.passage, s.start, s.end, s.score) for s in chosen], article_texts
    )
    return Answer(question=question, text=" ".join(parts), citations=citations)


def cite_whole_quotations(
    spans: list[tuple[Passage, int, int, float]], article_texts: dict[str, str]
) -> tuple[list[Citation], list[str]]:
    """Citations numbered from 1 for (passage, start, end, score) spans in the order given, each
    widened to whole quotations, and the "quote [n]" text of each. Two sentences of one
    quotation widen to the same span: it is quoted once."""
    citations: list[Citation] = []
    parts: list[str] = []
    for passage, sentence_start, sentence_end, score in spans:
        text = article_texts[passage.article_id]
        start, end = whole_quotations(text, sentence_start, sentence_end)
        if any(
            c.article_id == passage.article_id and c.start < end and start < c.end
            for c in citations
        ):
            continue
        n = len(citations) + 1
        citation = Citation.from_passage(n, passage, text, start, end, score)
        citations.append(citation)
        parts.append(f"{citation.quote} [{n}]")
    return citations, parts
