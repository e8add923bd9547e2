"""The answerer that needs no LLM: it quotes the sentences that answer."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

import numpy as np

from assistant.answer.abstention import NOTHING_MORE_TEXT
from assistant.answer.already_said import SaidBefore
from assistant.answer.base import ArticleTexts
from assistant.answer.reranked import reranked_answer
from assistant.answer.word_overlap import extractive_answer
from assistant.index.lexical import LexicalIndex
from assistant.models.cross_encoder import RelevanceScorer
from assistant.schema import Answer, Passage
from assistant.settings import Settings

Encode = Callable[[list[str]], np.ndarray]


class ExtractiveAnswerer:
    """Quotes the best sentences of the passages: chosen by the cross-encoder when there is one
    (the default), by word overlap in the fast profile."""

    def __init__(
        self,
        settings: Settings,
        *,
        lexical: Callable[[], LexicalIndex],
        article_texts: ArticleTexts,
        scorer: Callable[[], RelevanceScorer | None],
        encode: Encode | None = None,
        encode_queries: Encode | None = None,
    ) -> None:
        self.settings = settings
        self.lexical = lexical
        self.article_texts = article_texts
        # Asked for on first use: the cross-encoder loads only when a question needs it.
        self.scorer = scorer
        self.encode = encode
        # Questions may need their own encoding (an instruction prefix); articles' plain one.
        self.encode_queries = encode_queries or encode
        self._sentence_vectors: dict[str, np.ndarray] = {}
        # Earlier answers of the conversation that this one must not repeat (see `excluding`).
        self.said = SaidBefore(())

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        answer = self._answer(question, passages)
        if answer.abstained and self.said:
            # Said apart from "nothing answers this": the earlier answers did, and nothing else
            # does. (The sentences' scores are kept by the model: the second reading is cheap.)
            unexcluded = copy.copy(self)
            unexcluded.said = SaidBefore(())
            if not unexcluded._answer(question, passages).abstained:
                answer.text = NOTHING_MORE_TEXT
        return answer

    def _answer(self, question: str, passages: list[Passage]) -> Answer:
        lexical = self.lexical()
        texts = self.article_texts(p.article_id for p in passages)
        scorer = self.scorer()
        if scorer is not None:
            return reranked_answer(
                question,
                passages,
                lexical=lexical,
                article_texts=texts,
                settings=self.settings,
                scorer=scorer,
                similarity=self.similarity if self.encode is not None else None,
                said=self.said,
            )
        semantic = self.settings.semantic_sentences and self.encode is not None
        return extractive_answer(
            question,
            passages,
            lexical=lexical,
            article_texts=texts,
            settings=self.settings,
            similarity=self.similarity if semantic else None,
            said=self.said,
        )

    def excluding(self, said: Sequence[str]) -> ExtractiveAnswerer:
        """This answerer for a follow-up that asks for more: no sentence that repeats one of
        `said` (the conversation's earlier answers) is quoted."""
        narrowed = copy.copy(self)
        narrowed.said = SaidBefore(said)
        return narrowed

    def for_columns(self) -> ExtractiveAnswerer | None:
        """This answerer with the bar of a column in an answer another column answers; None
        in the fast profile, whose word-overlap bar has no lower setting to fall back to."""
        if self.settings.reranker == "none":
            return None
        lenient = copy.copy(self)
        lenient.settings = replace(
            self.settings,
            abstain_score=self.settings.column_abstain_score,
            abstain_score_multi_clause=min(
                self.settings.abstain_score_multi_clause, self.settings.column_abstain_score
            ),
            abstain_threshold=0.0,
            clause_answer_score=self.settings.column_clause_score,
        )
        return lenient

    def for_speakers(self) -> ExtractiveAnswerer:
        """This answerer for the columns of a who-said-what view: each asks one speaker about
        the question's subject, and a statement of theirs on the story in other words ("We
        should have found the corrosion a year ago" on the bridge repairs) is their side of it,
        not an answer on another subject to decline."""
        reader = copy.copy(self)
        reader.settings = replace(self.settings, decline_off_topic_statements=False)
        return reader

    def similarity(self, question: str, sentences: list[str]) -> list[float]:
        """The embedding model's cosine of the question to each sentence."""
        assert self.encode is not None and self.encode_queries is not None
        # Sentence vectors are cached: the same passages come back for related questions.
        missing = [s for s in dict.fromkeys(sentences) if s not in self._sentence_vectors]
        if self.encode_queries is self.encode:
            vectors = self.encode([question, *missing])
            asked, new = vectors[0], vectors[1:]
        else:
            asked = self.encode_queries([question])[0]
            new = self.encode(missing) if missing else []
        if len(self._sentence_vectors) > 50_000:
            self._sentence_vectors.clear()
        self._sentence_vectors.update(zip(missing, new, strict=True))
        return [float(self._sentence_vectors[s] @ asked) for s in sentences]

    def stream(self, question: str, passages: list[Passage]) -> Iterator[Answer]:
        final = self.answer(question, passages)
        # A few words at a time, so a chat page shows text as it would from a model.
        words = final.text.split(" ")
        for end in range(6, len(words), 6):
            yield replace(final, text=" ".join(words[:end]), citations=[], complete=False)
        yield final
