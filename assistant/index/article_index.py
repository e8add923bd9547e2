"""The article index: registry (SQLite) + vectors (Chroma) + BM25, and the write lock over them."""

from __future__ import annotations

import fcntl
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from assistant.errors import IndexBusyError, StoreMismatchError
from assistant.index.lexical import LexicalIndex
from assistant.index.registry import CopyRow, Registry, recorded_meta
from assistant.index.sentence_vectors import SentenceMatrix, build_matrix
from assistant.index.table import ArticleMeta, ChunkTable
from assistant.index.vectors import ChunkStore
from assistant.schema import Article, day_number
from assistant.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Copies:
    """The groups of copies of one story (ingest/duplicates.py) as search uses them: each
    grouped article's group, and the outlets of its group's other members (distinct, earliest
    indexed first, without its own outlet). Articles in no group of two are absent."""

    group_of: dict[str, str]
    also_published_by: dict[str, tuple[str, ...]]

    @classmethod
    def from_rows(cls, rows: list[CopyRow]) -> Copies:
        members: dict[str, list[CopyRow]] = {}
        for row in rows:
            members.setdefault(row.group_id, []).append(row)
        group_of: dict[str, str] = {}
        outlets: dict[str, tuple[str, ...]] = {}
        for group_id, group in members.items():
            if len(group) < 2:
                continue
            for row in group:
                group_of[row.article_id] = group_id
                own = row.source.strip().lower()
                others: dict[str, str] = {}
                for other in group:
                    name = other.source.strip()
                    if other is not row and name and name.lower() != own:
                        others.setdefault(name.lower(), name)
                outlets[row.article_id] = tuple(others.values())
        return cls(group_of, outlets)


def registry_path(settings: Settings) -> Path:
    return settings.data_dir / "registry.sqlite3"


def recorded_embedding_model(settings: Settings) -> str | None:
    """The embedding model name an existing index was built with (None: no index yet)."""
    return recorded_meta(registry_path(settings), "embedding_model")


class ArticleIndex:
    """Everything stored about the articles. Reading is thread-safe; writing takes the lock."""

    def __init__(self, settings: Settings, *, model_name: str, dimension: int) -> None:
        self.settings = settings
        self.model_name = model_name
        self.dimension = dimension
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.registry = Registry(registry_path(settings))
        self._check_recorded_settings()
        self._thread_lock = threading.RLock()
        self._cache_lock = threading.Lock()
        self._lexical: LexicalIndex | None = None
        self._table: ChunkTable | None = None
        self._loaded_generation: str | None = None
        # Values derived from the registry for one table (sentence matrix, copy groups).
        self._table_derived: dict[str, tuple[ChunkTable, Any]] = {}

    def _fingerprint(self) -> dict[str, str]:
        return {
            "embedding_model": self.model_name,
            "embedding_dim": str(self.dimension),
            "chunking": (
                f"sentences<={self.settings.chunk_chars},"
                f"overlap={self.settings.chunk_overlap_sentences}"
            ),
        }

    def _check_recorded_settings(self) -> None:
        expected = self._fingerprint()
        recorded = {key: self.registry.get_meta(key) for key in expected}
        if all(value is None for value in recorded.values()):
            self.registry.set_meta(expected)
            return
        for key, value in expected.items():
            if recorded[key] != value:
                data_dir = self.settings.data_dir
                raise StoreMismatchError(
                    f"the index in {data_dir} was built with {key} = {recorded[key]}, "
                    f"but the settings ask for {value}; rebuild it: delete {data_dir} "
                    "(or use another ASSISTANT_DATA_DIR) and ingest again"
                )

    @cached_property
    def store(self) -> ChunkStore:
        return ChunkStore(self.settings, model_name=self.model_name, dimension=self.dimension)

    def close(self) -> None:
        self.registry.close()

    # writing
    @contextmanager
    def writer(self) -> Iterator[None]:
        """Exclusive write access across threads and processes; a second writer gets
        IndexBusyError at once instead of interleaving with the first."""
        if not self._thread_lock.acquire(blocking=False):
            raise IndexBusyError(
                "an ingest or delete is already running in this process; wait for it"
            )
        lock_path = self.settings.data_dir / "write.lock"
        handle = lock_path.open("a+")
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise IndexBusyError(
                    f"another process is writing to the index in {self.settings.data_dir}; "
                    "try again when its ingest has finished"
                ) from exc
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            self.repair_pending()
            yield
        finally:
            handle.close()
            self._thread_lock.release()

    def repair_pending(self) -> int:
        """Finish what a run that stopped midway left behind: remove vectors stored for an
        article that was never recorded, drop an article whose vectors were already removed
        (a delete or replace cut short; its file's next ingest adds it again), and publish
        BM25, which may have missed articles recorded after the last publish. Articles stay
        pending until publish. Returns how many articles needed repair."""
        pending = self.registry.pending()
        for article_id in pending:
            keep = set(self.registry.chunk_ids(article_id))
            stored = self.store.ids_for_article(article_id)
            if keep - stored:
                self.store.delete_article(article_id)
                self.registry.delete_article(article_id)
                continue
            stray = sorted(stored - keep)
            if stray:
                self.store.delete_ids(stray)
        if pending:
            self.publish()
        return len(pending)

    def publish(self) -> None:
        """Rebuild BM25 from the registry and make it the current generation."""
        generation = uuid.uuid4().hex
        rows = self.registry.all_chunks()
        lexical = LexicalIndex.build([r.id for r in rows], [r.indexed_text for r in rows])
        lexical.save(self._lexical_dir, generation)
        self.registry.set_meta({"generation": generation})
        self.registry.clear_pending(self.registry.pending())
        with self._cache_lock:
            self._lexical = lexical
            self._table = self._build_table(lexical.chunk_ids)
            self._loaded_generation = generation

    # reading
    @property
    def _lexical_dir(self) -> Path:
        return self.settings.data_dir / "bm25"

    def generation(self) -> str:
        return self.registry.get_meta("generation") or ""

    def snapshot(self) -> tuple[LexicalIndex, ChunkTable]:
        """The BM25 index and chunk table of the current generation, loaded once and reloaded
        only when another writer has published a new generation."""
        generation = self.generation()
        with self._cache_lock:
            if (
                self._lexical is None
                or self._table is None
                or self._loaded_generation != generation
            ):
                lexical = LexicalIndex.load(self._lexical_dir, generation)
                if lexical is None:
                    rows = self.registry.all_chunks()
                    lexical = LexicalIndex.build(
                        [r.id for r in rows], [r.indexed_text for r in rows]
                    )
                self._lexical = lexical
                self._table = self._build_table(lexical.chunk_ids)
                self._loaded_generation = generation
            return self._lexical, self._table

    def _build_table(self, chunk_ids: list[str]) -> ChunkTable:
        articles = {
            row[0]: ArticleMeta(title=row[1], source=row[2], url=row[3], published_at=row[4])
            for row in self.registry.article_rows()
        }
        spans = self.registry.chunk_spans()
        article_ids = np.array([spans[c][0] if c in spans else "" for c in chunk_ids], dtype=object)
        missing = ArticleMeta("", "", "", None)
        return ChunkTable(
            chunk_ids=chunk_ids,
            article_ids=article_ids,
            starts=np.array([spans.get(c, ("", 0, 0))[1] for c in chunk_ids], dtype=np.int64),
            ends=np.array([spans.get(c, ("", 0, 0))[2] for c in chunk_ids], dtype=np.int64),
            articles=articles,
            sources=np.array(
                [articles.get(a, missing).source.lower() for a in article_ids], dtype=object
            ),
            dates=np.array(
                [articles.get(a, missing).published_at or "" for a in article_ids], dtype=object
            ),
        )

    def sentence_matrix(self, table: ChunkTable) -> SentenceMatrix:
        """The stored sentence vectors aligned with `table`'s rows, loaded once per table."""
        return self._per_table(
            "sentence_matrix",
            table,
            lambda: build_matrix(table, self.registry.sentence_vectors(), self.dimension),
        )

    def copies(self, table: ChunkTable) -> Copies:
        """The groups of copies, loaded once per table (every ingest that groups an article
        publishes)."""
        return self._per_table(
            "copies", table, lambda: Copies.from_rows(self.registry.copy_groups())
        )

    def _per_table(self, name: str, table: ChunkTable, build: Callable[[], T]) -> T:
        """What `build` makes from the registry, kept until the next table: every published
        generation comes with a new table object, and the cache is keyed by that object (an
        id() could be reused by a later table)."""
        with self._cache_lock:
            cached = self._table_derived.get(name)
            if cached is not None and cached[0] is table:
                return cached[1]
        value = build()
        with self._cache_lock:
            self._table_derived[name] = (table, value)
        return value

    def article(self, article_id: str) -> Article | None:
        return self.registry.article(article_id)

    def article_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id -> text for the ids that are indexed (the others are left out)."""
        texts: dict[str, str] = {}
        for article_id in dict.fromkeys(article_ids):
            article = self.article(article_id)
            if article is not None:
                texts[article_id] = article.text
        return texts

    def chunk_metadata(self, article: Article, start: int, end: int, n: int) -> dict[str, Any]:
        return {
            "article_id": article.id,
            "title": article.title,
            "source": article.source,
            "url": article.url,
            "published_at": article.published_at or "",
            "published_day": day_number(article.published_at),
            "start": start,
            "end": end,
            "n": n,
        }
