"""The question chain, read top to bottom: validate -> standalone question -> retrieve ->
answer -> verify citations. A LangChain Runnable: invoke, stream, batch (and their async twins).

Input: {"question": str, "history": [{"role", "content"}, ...], "filters": {...}} or a plain
string. Output: an Answer. `stream` yields growing Answers (complete=False) and ends with the
same Answer `invoke` returns (complete=True, citations verified)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from langchain_core.runnables import Runnable, RunnableConfig

from assistant.answer import NO_ARTICLES_TEXT, extractive_answer
from assistant.citations import CitationMismatchError, verify_citations
from assistant.errors import QuestionError
from assistant.retrieval import SearchFilter
from assistant.schema import Answer, Passage
from assistant.sentence_answer import reranked_answer

if TYPE_CHECKING:
    from assistant.core import Assistant


class Answerer(Protocol):
    """Writes an Answer from passages; the generative backends implement the same shape."""

    def answer(self, question: str, passages: list[Passage]) -> Answer: ...

    def stream(self, question: str, passages: list[Passage]) -> Iterator[Answer]: ...


class ExtractiveAnswerer:
    """Needs no LLM: quotes the best sentences."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self._sentence_vectors: dict[str, np.ndarray] = {}

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        lexical, _ = self.assistant.index.snapshot()
        texts = self.assistant.article_texts(p.article_id for p in passages)
        scorer = self.assistant.cross_encoder
        if scorer is not None:
            return reranked_answer(
                question,
                passages,
                lexical=lexical,
                article_texts=texts,
                settings=self.assistant.settings,
                scorer=scorer,
            )
        return extractive_answer(
            question,
            passages,
            lexical=lexical,
            article_texts=texts,
            settings=self.assistant.settings,
            similarity=self._similarity if self.assistant.settings.semantic_sentences else None,
        )

    def _similarity(self, question: str, sentences: list[str]) -> list[float]:
        # Sentence vectors are cached: the same passages come back for related questions.
        missing = [s for s in dict.fromkeys(sentences) if s not in self._sentence_vectors]
        vectors = self.assistant.embeddings.encode([question, *missing])
        if len(self._sentence_vectors) > 50_000:
            self._sentence_vectors.clear()
        self._sentence_vectors.update(zip(missing, vectors[1:], strict=True))
        return [float(self._sentence_vectors[s] @ vectors[0]) for s in sentences]

    def stream(self, question: str, passages: list[Passage]) -> Iterator[Answer]:
        final = self.answer(question, passages)
        # A few words at a time, so a chat page shows text as it would from a model.
        words = final.text.split(" ")
        for end in range(6, len(words), 6):
            yield replace(final, text=" ".join(words[:end]), citations=[], complete=False)
        yield final


def parse_input(value: Any) -> tuple[str, list[dict[str, str]], SearchFilter]:
    if isinstance(value, str):
        return value, [], SearchFilter()
    if not isinstance(value, dict):
        raise QuestionError(
            "chain input must be a question string or {'question': ..., 'history': [...]}"
        )
    history = list(value.get("history") or [])
    filters = value.get("filters")
    if not isinstance(filters, SearchFilter):
        filters = SearchFilter.from_dict(filters)
    return str(value.get("question") or ""), history, filters


def validate_question(question: str, max_chars: int) -> str:
    question = question.strip()
    if not question:
        raise QuestionError("the question is empty: ask something about the articles")
    if len(question) > max_chars:
        raise QuestionError(
            f"the question is {len(question):,} characters long; the limit is {max_chars:,} "
            "(ASSISTANT_MAX_QUESTION_CHARS): ask a shorter question"
        )
    return question


class AnswerChain(Runnable[Any, Answer]):
    """history -> standalone question -> hybrid retrieval -> answer -> verified citations."""

    def __init__(self, assistant: Assistant, answerer: Answerer | None = None) -> None:
        self.assistant = assistant
        self.answerer = answerer or assistant.answerer

    @property
    def InputType(self) -> type:
        return dict

    @property
    def OutputType(self) -> type:
        return Answer

    def invoke(self, input: Any, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        return self._call_with_config(self._run, input, config, run_type="chain")

    def stream(
        self, input: Any, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Answer]:
        yield from self._transform_stream_with_config(iter([input]), self._run_stream, config)

    def _prepare(self, value: Any) -> tuple[str, str, list[Passage], dict[str, float]]:
        question, history, filters = parse_input(value)
        question = validate_question(question, self.assistant.settings.max_question_chars)
        timings: dict[str, float] = {}
        began = time.perf_counter()
        standalone = self.assistant.standalone_question(question, history)
        timings["condense_ms"] = (time.perf_counter() - began) * 1000
        began = time.perf_counter()
        result = self.assistant.searcher.search(standalone, filters=filters)
        timings["retrieve_ms"] = (time.perf_counter() - began) * 1000
        timings.update(result.timings)  # the retrieval stages: embed, bm25, dense, fuse
        return question, standalone, result.passages, timings

    def _finish(
        self,
        answer: Answer,
        question: str,
        standalone: str,
        passages: list[Passage],
        timings: dict[str, float],
        began: float,
    ) -> Answer:
        verify_citations(answer.citations, self.assistant.index.article)
        if not passages and self.assistant.index.registry.article_count() == 0:
            answer.text = NO_ARTICLES_TEXT
        answer.question = question
        answer.standalone_question = standalone
        answer.passages = passages
        answer.timings = {**timings, **answer.timings}
        answer.timings["answer_ms"] = (time.perf_counter() - began) * 1000
        answer.timings["total_ms"] = sum(
            v
            for key, v in answer.timings.items()
            if key in ("condense_ms", "retrieve_ms", "answer_ms")
        )
        answer.complete = True
        return answer

    def _run(self, value: Any) -> Answer:
        try:
            return self._run_once(value)
        except CitationMismatchError:
            # An ingest replaced an article between retrieval and the check: ask again, once,
            # against the new text. A second mismatch is a bug and propagates.
            return self._run_once(value)

    def _run_once(self, value: Any) -> Answer:
        question, standalone, passages, timings = self._prepare(value)
        began = time.perf_counter()
        answer = self.answerer.answer(standalone, passages)
        return self._finish(answer, question, standalone, passages, timings, began)

    def _run_stream(self, values: Iterator[Any]) -> Iterator[Answer]:
        for value in values:
            question, standalone, passages, timings = self._prepare(value)
            began = time.perf_counter()
            final: Answer | None = None
            for partial in self.answerer.stream(standalone, passages):
                if partial.complete:
                    final = partial
                    break
                partial.question = question
                partial.standalone_question = standalone
                yield partial
            if final is None:
                final = self.answerer.answer(standalone, passages)
            yield self._finish(final, question, standalone, passages, timings, began)
