"""The article registry: SQLite beside the vector store, the source of truth for article text.

An article row is written only after its chunks are stored, so a row means "fully indexed".
Articles in the `pending` table were written after the last BM25 publish (or were being written
when a run stopped); publish clears them, and the next writer repairs what a stopped run left."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from pathlib import Path

from assistant.index.sentence_vectors import ArticleSentenceVectors
from assistant.schema import Article, Chunk
from assistant.text.attribution.statement import Statement

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT NOT NULL, url TEXT NOT NULL,
    published_at TEXT, text TEXT NOT NULL, content_hash TEXT NOT NULL, origin TEXT NOT NULL,
    chunk_count INTEGER NOT NULL, ingested_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, article_id TEXT NOT NULL, n INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, indexed_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_article ON chunks(article_id);
CREATE TABLE IF NOT EXISTS pending (article_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS sentence_vectors (
    article_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, dimension INTEGER NOT NULL,
    offsets BLOB NOT NULL, vectors BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS statements (
    article_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, extractor TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS signatures (
    article_id TEXT PRIMARY KEY, content_hash TEXT NOT NULL, scheme TEXT NOT NULL,
    shingles INTEGER NOT NULL, signature BLOB NOT NULL, group_id TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS signatures_by_group ON signatures(group_id);
"""


@dataclass(frozen=True)
class ArticleSummary:
    id: str
    title: str
    source: str
    url: str
    published_at: str | None
    content_hash: str
    origin: str
    chunk_count: int
    chars: int


@dataclass(frozen=True)
class SignatureRow:
    """An article's near-duplicate signature (see ingest/duplicates.py) and its group of copies:
    `group_id` is the id of the group's member with the lowest `seq` (the earliest indexed)."""

    article_id: str
    content_hash: str
    scheme: str
    shingles: int
    signature: bytes
    group_id: str
    seq: int


@dataclass(frozen=True)
class StatementRow:
    """An article's attributed statements (text/attribution), as found in the text with
    `content_hash` by the rules of version `extractor`."""

    article_id: str
    content_hash: str
    extractor: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class CopyRow:
    """One member of a group of copies, for search: its group and its outlet."""

    article_id: str
    group_id: str
    source: str


@dataclass(frozen=True)
class ChunkRow:
    id: str
    article_id: str
    n: int
    start: int
    end: int
    indexed_text: str


def recorded_meta(path: Path, key: str) -> str | None:
    """One value from a registry's meta table, read without creating or changing anything:
    None when there is no registry yet, it has no such key, or it cannot be read."""
    if not path.is_file():
        return None
    try:
        address = f"{path.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(address, uri=True)) as db:
            row = db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


class Registry:
    """Thread-safe access to the SQLite registry (one connection, serialised)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._db
                self._db.commit()
            except BaseException:
                self._db.rollback()
                raise

    # meta
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, values: dict[str, str]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    # articles
    def content_hashes(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT id, content_hash FROM articles"))

    def content_hash(self, article_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT content_hash FROM articles WHERE id=?", (article_id,)
            ).fetchone()
        return row[0] if row else None

    def article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, title, source, url, published_at, text, content_hash, origin "
                "FROM articles WHERE id=?",
                (article_id,),
            ).fetchone()
        return Article(*row) if row else None

    def articles(self) -> list[ArticleSummary]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, title, source, url, published_at, content_hash, origin, chunk_count, "
                "length(text) FROM articles ORDER BY published_at DESC, title"
            ).fetchall()
        return [ArticleSummary(*row) for row in rows]

    def article_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def mark_pending(self, article_ids: Iterable[str]) -> None:
        with self.transaction() as db:
            db.executemany("INSERT OR IGNORE INTO pending VALUES (?)", [(i,) for i in article_ids])

    def pending(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self._db.execute("SELECT article_id FROM pending")]

    def clear_pending(self, article_ids: Iterable[str]) -> None:
        with self.transaction() as db:
            db.executemany("DELETE FROM pending WHERE article_id=?", [(i,) for i in article_ids])

    def save_articles(
        self,
        items: Sequence[tuple[Article, list[Chunk], list[str]]],
        sentence_vectors: Sequence[tuple[str, ArticleSentenceVectors]] = (),
        signatures: Sequence[SignatureRow] = (),
        statements: Sequence[StatementRow] = (),
    ) -> None:
        """Replace several articles and their chunk rows (and, when given, their sentence
        vectors, near-duplicate signatures and attributed statements) in one transaction: an
        article is never recorded without the group it was assigned, nor a group without its
        article."""
        with self.transaction() as db:
            self._write_sentence_vectors(db, sentence_vectors)
            self._write_signatures(db, signatures)
            self._write_statements(db, statements)
            for article, chunks, indexed_texts in items:
                for table in ("sentence_vectors", "statements"):
                    db.execute(
                        f"DELETE FROM {table} WHERE article_id=? AND content_hash<>?",
                        (article.id, article.content_hash),
                    )
                stale = db.execute(
                    "SELECT 1 FROM signatures WHERE article_id=? AND content_hash<>?",
                    (article.id, article.content_hash),
                ).fetchone()
                if stale:
                    self._drop_signature(db, article.id)
                db.execute("DELETE FROM chunks WHERE article_id=?", (article.id,))
                db.executemany(
                    'INSERT INTO chunks (id, article_id, n, start, "end", indexed_text) '
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (c.id, c.article_id, c.n, c.start, c.end, t)
                        for c, t in zip(chunks, indexed_texts, strict=True)
                    ],
                )
                db.execute(
                    "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.title,
                        article.source,
                        article.url,
                        article.published_at,
                        article.text,
                        article.content_hash,
                        article.origin,
                        len(chunks),
                        time.time(),
                    ),
                )

    def delete_article(self, article_id: str) -> bool:
        with self.transaction() as db:
            db.execute("DELETE FROM sentence_vectors WHERE article_id=?", (article_id,))
            db.execute("DELETE FROM statements WHERE article_id=?", (article_id,))
            self._drop_signature(db, article_id)
            db.execute("DELETE FROM chunks WHERE article_id=?", (article_id,))
            cursor = db.execute("DELETE FROM articles WHERE id=?", (article_id,))
            return cursor.rowcount > 0

    # chunks
    def chunk_ids(self, article_id: str) -> list[str]:
        with self._lock:
            return [
                row[0]
                for row in self._db.execute(
                    "SELECT id FROM chunks WHERE article_id=? ORDER BY n", (article_id,)
                )
            ]

    def all_chunks(self) -> list[ChunkRow]:
        with self._lock:
            rows = self._db.execute(
                'SELECT id, article_id, n, start, "end", indexed_text FROM chunks '
                "ORDER BY article_id, n"
            ).fetchall()
        return [ChunkRow(*row) for row in rows]

    def chunk_spans(self) -> dict[str, tuple[str, int, int]]:
        """chunk id -> (article id, start, end), without the chunk texts."""
        with self._lock:
            rows = self._db.execute('SELECT id, article_id, start, "end" FROM chunks').fetchall()
        return {row[0]: (row[1], row[2], row[3]) for row in rows}

    def article_rows(self) -> list[tuple[str, str, str, str, str | None]]:
        """(id, title, source, url, published_at) for every article, for in-memory lookups."""
        with self._lock:
            return self._db.execute(
                "SELECT id, title, source, url, published_at FROM articles"
            ).fetchall()

    # sentence vectors (opt-in; see sentence_vectors.py)
    def save_sentence_vectors(self, items: Sequence[tuple[str, ArticleSentenceVectors]]) -> None:
        with self.transaction() as db:
            self._write_sentence_vectors(db, items)

    @staticmethod
    def _write_sentence_vectors(
        db: sqlite3.Connection, items: Sequence[tuple[str, ArticleSentenceVectors]]
    ) -> None:
        rows = []
        for article_id, entry in items:
            offsets, vectors = entry.to_blobs()
            dimension = int(entry.vectors.shape[1]) if entry.vectors.ndim == 2 else 0
            rows.append((article_id, entry.content_hash, dimension, offsets, vectors))
        db.executemany("INSERT OR REPLACE INTO sentence_vectors VALUES (?, ?, ?, ?, ?)", rows)

    def sentence_vectors(self) -> dict[str, ArticleSentenceVectors]:
        """Stored sentence vectors of every article whose text they were computed from."""
        with self._lock:
            rows = self._db.execute(
                "SELECT s.article_id, s.content_hash, s.dimension, s.offsets, s.vectors "
                "FROM sentence_vectors s JOIN articles a "
                "ON a.id = s.article_id AND a.content_hash = s.content_hash"
            ).fetchall()
        return {
            row[0]: ArticleSentenceVectors.from_blobs(row[1], row[3], row[4], row[2] or 1)
            for row in rows
        }

    def articles_without_sentence_vectors(self) -> list[str]:
        with self._lock:
            return [
                row[0]
                for row in self._db.execute(
                    "SELECT a.id FROM articles a LEFT JOIN sentence_vectors s "
                    "ON s.article_id = a.id AND s.content_hash = a.content_hash "
                    "WHERE s.article_id IS NULL ORDER BY a.id"
                )
            ]

    def sentence_vector_count(self) -> int:
        with self._lock:
            return int(
                self._db.execute(
                    "SELECT count(*) FROM sentence_vectors s JOIN articles a "
                    "ON a.id = s.article_id AND a.content_hash = s.content_hash"
                ).fetchone()[0]
            )

    # attributed statements (see text/attribution), found at ingest
    @staticmethod
    def _write_statements(db: sqlite3.Connection, rows: Sequence[StatementRow]) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO statements VALUES (?, ?, ?, ?)",
            [
                (
                    row.article_id,
                    row.content_hash,
                    row.extractor,
                    json.dumps([astuple(statement) for statement in row.statements]),
                )
                for row in rows
            ],
        )

    def stored_statements(
        self, article_id: str, content_hash: str, extractor: str
    ) -> list[Statement] | None:
        """The statements stored for this text of the article by these rules; None when there
        are none (an index from before statements were stored, or other rules)."""
        with self._lock:
            row = self._db.execute(
                "SELECT body FROM statements WHERE article_id=? AND content_hash=? "
                "AND extractor=?",
                (article_id, content_hash, extractor),
            ).fetchone()
        if row is None:
            return None
        return [Statement(*fields) for fields in json.loads(row[0])]

    def statement_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM statements").fetchone()[0])

    # near-duplicate signatures and groups of copies (see ingest/duplicates.py)
    def save_signatures(self, rows: Sequence[SignatureRow]) -> None:
        with self.transaction() as db:
            self._write_signatures(db, rows)

    @classmethod
    def _write_signatures(cls, db: sqlite3.Connection, rows: Sequence[SignatureRow]) -> None:
        for row in rows:
            old = db.execute(
                "SELECT seq FROM signatures WHERE article_id=?", (row.article_id,)
            ).fetchone()
            if old is not None and old[0] != row.seq:
                # A new seq means the article left its group (it no longer copies it): the
                # group it leaves gets a new representative first, as on delete.
                cls._drop_signature(db, row.article_id)
            db.execute(
                "INSERT OR REPLACE INTO signatures VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    row.article_id,
                    row.content_hash,
                    row.scheme,
                    row.shingles,
                    row.signature,
                    row.group_id,
                    row.seq,
                ),
            )

    @staticmethod
    def _drop_signature(db: sqlite3.Connection, article_id: str) -> None:
        """Remove an article from its group; a group that loses its representative (the
        member whose id is the group's) is renamed after its earliest remaining member."""
        row = db.execute(
            "SELECT group_id FROM signatures WHERE article_id=?", (article_id,)
        ).fetchone()
        db.execute("DELETE FROM signatures WHERE article_id=?", (article_id,))
        if row is None or row[0] != article_id:
            return
        successor = db.execute(
            "SELECT article_id FROM signatures WHERE group_id=? ORDER BY seq, article_id LIMIT 1",
            (article_id,),
        ).fetchone()
        if successor is not None:
            db.execute(
                "UPDATE signatures SET group_id=? WHERE group_id=?", (successor[0], article_id)
            )

    def signatures(self, scheme: str) -> list[SignatureRow]:
        """The stored signatures made by `scheme` from each article's current text."""
        with self._lock:
            rows = self._db.execute(
                "SELECT s.article_id, s.content_hash, s.scheme, s.shingles, s.signature, "
                "s.group_id, s.seq FROM signatures s JOIN articles a "
                "ON a.id = s.article_id AND a.content_hash = s.content_hash "
                "WHERE s.scheme=? ORDER BY s.seq",
                (scheme,),
            ).fetchall()
        return [SignatureRow(*row) for row in rows]

    def drop_other_signatures(self, scheme: str) -> int:
        """Remove signatures made by another scheme (they compare with nothing made by this
        one); their articles count as without a signature until they get a new one."""
        with self.transaction() as db:
            return db.execute("DELETE FROM signatures WHERE scheme<>?", (scheme,)).rowcount

    def articles_without_signatures(self, scheme: str) -> list[str]:
        """Article ids without a signature of `scheme` for their current text, oldest first,
        so that the earliest-indexed article of a group becomes its representative."""
        with self._lock:
            return [
                row[0]
                for row in self._db.execute(
                    "SELECT a.id FROM articles a LEFT JOIN signatures s "
                    "ON s.article_id = a.id AND s.content_hash = a.content_hash AND s.scheme=? "
                    "WHERE s.article_id IS NULL ORDER BY a.ingested_at, a.id",
                    (scheme,),
                )
            ]

    def copy_groups(self) -> list[CopyRow]:
        """Members of every group of two or more copies, earliest indexed first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT s.article_id, s.group_id, a.source FROM signatures s JOIN articles a "
                "ON a.id = s.article_id AND a.content_hash = s.content_hash "
                "WHERE s.group_id IN "
                "(SELECT group_id FROM signatures GROUP BY group_id HAVING count(*) > 1) "
                "ORDER BY s.group_id, s.seq, s.article_id"
            ).fetchall()
        return [CopyRow(*row) for row in rows]
