"""Assistant: the composition root. It builds the parts from Settings (or takes them) and wires
them into the question pipeline; the CLI, the chat page, the evals and the Python API use it."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

from assistant.answer.base import Answerer
from assistant.answer.extractive import ExtractiveAnswerer
from assistant.errors import ConfigError
from assistant.index.article_index import ArticleIndex, recorded_embedding_model
from assistant.index.registry import ArticleSummary
from assistant.ingest.pipeline import IngestReport, ProgressCallback, delete_article, ingest_paths
from assistant.models.cross_encoder import RERANKERS, RelevanceScorer, shared_cross_encoder
from assistant.models.embeddings import MODEL_DIMENSIONS, ArticleEmbeddings, resolve_quantization
from assistant.offline import enforce_offline
from assistant.pipeline import AnswerChain, QuestionPipeline
from assistant.retrieval.search import ArticleRetriever, HybridSearcher, RetrievalMode
from assistant.schema import Answer, Article, Passage, SearchFilter
from assistant.settings import Settings

_FROM_SETTINGS: Any = object()


class Assistant:
    """Ingest articles and answer questions about them with verified citations.

    >>> a = Assistant()                      # settings from ASSISTANT_* environment variables
    >>> a.ingest(["corpus/"]).summary()
    >>> a.ask("How many troops has Moscow stationed near Ukraine?").text

    Every part can be given instead of built from settings (tests, evals, other backends):
    `Assistant(settings, embedder=..., index=..., searcher=..., reranker=..., answerer=...)`;
    `reranker=None` is the fast profile. `derive(**overrides)` makes another Assistant over the
    same model and index with other settings."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        embedder: ArticleEmbeddings | None = None,
        index: ArticleIndex | None = None,
        searcher: HybridSearcher | None = None,
        reranker: RelevanceScorer | None = _FROM_SETTINGS,
        answerer: Answerer | None = None,
        **overrides: Any,
    ) -> None:
        enforce_offline()
        base = settings or Settings.from_env()
        chosen = base.with_overrides(**overrides) if overrides else base
        self.settings = _with_embedding_mode(chosen, embedder, index)
        if self.settings.reranker not in RERANKERS:
            raise ConfigError(
                f"unknown reranker {self.settings.reranker!r}: use one of {', '.join(RERANKERS)}"
            )
        self.embeddings = embedder or ArticleEmbeddings(
            self.settings.embedding_model,
            batch_size=self.settings.embedding_batch_size,
            quantization=self.settings.embedding_quantization,
            max_tokens=self.settings.embedding_max_tokens,
            threads=self.settings.embedding_threads,
        )
        if index is None:
            dimension = (
                MODEL_DIMENSIONS.get(self.settings.embedding_model) or self.embeddings.dimension
            )
            index = ArticleIndex(
                self.settings, model_name=self.embeddings.index_name, dimension=dimension
            )
        self.index = index
        self._reranker_lock = threading.Lock()
        self._reranker: RelevanceScorer | None = reranker
        self.searcher = searcher or HybridSearcher(
            self.index, self.embeddings, self.settings, lambda: self.cross_encoder
        )
        self._answerer_lock = threading.Lock()
        self._answerer: Answerer | None = answerer

    def derive(self, settings: Settings | None = None, **overrides: Any) -> Assistant:
        """Another Assistant over this one's model, index and (when still wanted) cross-encoder,
        with other settings: how evals run configurations and tests try an LLM backend."""
        derived = (settings or self.settings).with_overrides(**overrides)
        keep = self._reranker if derived.reranker == self.settings.reranker else _FROM_SETTINGS
        return Assistant(derived, embedder=self.embeddings, index=self.index, reranker=keep)

    # the parts
    @property
    def cross_encoder(self) -> RelevanceScorer | None:
        """The relevance model, loaded on first use; None in the fast profile (reranker "none")."""
        with self._reranker_lock:
            if self._reranker is _FROM_SETTINGS:
                self._reranker = (
                    None
                    if self.settings.reranker == "none"
                    else shared_cross_encoder(self.settings.embedding_threads)
                )
            return self._reranker

    @property
    def answerer(self) -> Answerer:
        with self._answerer_lock:
            if self._answerer is None:
                self._answerer = self._make_answerer()
            return self._answerer

    def extractive_answerer(self) -> ExtractiveAnswerer:
        return ExtractiveAnswerer(
            self.settings,
            lexical=lambda: self.index.snapshot()[0],
            article_texts=self.index.article_texts,
            scorer=lambda: self.cross_encoder,
            encode=self.embeddings.encode,
            encode_queries=self.embeddings.encode_queries,
        )

    def _make_answerer(self) -> Answerer:
        extractive = self.extractive_answerer()
        if not self.settings.llm:
            return extractive
        from assistant.answer.generative import GenerativeAnswerer  # loads LangChain's models

        return GenerativeAnswerer(
            self.settings, article_texts=self.index.article_texts, fallback=extractive
        )

    @cached_property
    def pipeline(self) -> QuestionPipeline:
        return QuestionPipeline(
            self.settings, index=self.index, searcher=self.searcher, answerer=self.answerer
        )

    @cached_property
    def chain(self) -> AnswerChain:
        return AnswerChain(self.pipeline)

    def retriever(
        self,
        k: int | None = None,
        filters: SearchFilter | None = None,
        mode: RetrievalMode = "hybrid",
    ) -> ArticleRetriever:
        return ArticleRetriever(
            searcher=self.searcher,
            k=k or self.settings.k,
            filters=filters or SearchFilter(),
            mode=mode,
        )

    def standalone_question(self, question: str, history: list[dict[str, str]] | None) -> str:
        return self.pipeline.standalone_question(question, history)

    def article_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        return self.index.article_texts(article_ids)

    # public API
    def ingest(
        self,
        paths: Iterable[str | Path],
        progress: ProgressCallback | None = None,
        prune: bool = False,
    ) -> IngestReport:
        """Index files and folders (txt, md, html, json, jsonl). Unchanged articles are skipped;
        with `prune`, articles whose files under `paths` were deleted are removed."""
        return ingest_paths(
            [Path(p) for p in paths],
            index=self.index,
            embeddings=self.embeddings,
            progress=progress,
            prune=prune,
        )

    def ask(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        filters: SearchFilter | dict[str, Any] | None = None,
    ) -> Answer:
        """Answer with verified citations, or abstain when the articles don't cover it."""
        return self.chain.invoke(
            {"question": question, "history": history or [], "filters": filters}
        )

    def stream(
        self,
        question: str,
        history: list[dict[str, str]] | None = None,
        filters: SearchFilter | dict[str, Any] | None = None,
    ) -> Iterator[Answer]:
        yield from self.chain.stream(
            {"question": question, "history": history or [], "filters": filters}
        )

    def retrieve(
        self,
        question: str,
        k: int = 10,
        filters: SearchFilter | dict[str, Any] | None = None,
        mode: RetrievalMode = "hybrid",
    ) -> list[Passage]:
        """The ranked passages for a question (text, article metadata, offsets, scores)."""
        if not isinstance(filters, SearchFilter):
            filters = SearchFilter.from_dict(filters)
        return self.searcher.search(question, k=k, filters=filters, mode=mode).passages

    def articles(self) -> list[ArticleSummary]:
        return self.index.registry.articles()

    def article(self, article_id: str) -> Article | None:
        return self.index.article(article_id)

    def delete(self, article_id: str) -> bool:
        return delete_article(article_id, index=self.index)

    def close(self) -> None:
        self.index.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _with_embedding_mode(
    settings: Settings, embedder: ArticleEmbeddings | None, index: ArticleIndex | None
) -> Settings:
    """The settings with the embedding mode that will run: a given embedder's, else "auto"
    resolved against the index (an existing index keeps the mode it was built with)."""
    if embedder is not None:
        mode = embedder.quantization
    else:
        recorded = index.model_name if index is not None else recorded_embedding_model(settings)
        mode = resolve_quantization(
            settings.embedding_quantization,
            settings.embedding_model,
            settings.embedding_max_tokens,
            recorded,
        )
    if mode == settings.embedding_quantization:
        return settings
    return settings.with_overrides(embedding_quantization=mode)


def build_chain(settings: Settings | None = None) -> AnswerChain:
    """The question chain as a LangChain Runnable (invoke, stream, batch)."""
    return Assistant(settings).chain
