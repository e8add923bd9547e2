"""Ingest: files -> articles -> chunks -> vectors -> store, skipping what is already indexed."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.errors import LoadError
from assistant.index.article_index import ArticleIndex
from assistant.index.registry import SignatureRow, StatementRow
from assistant.index.sentence_vectors import ArticleSentenceVectors, article_sentences
from assistant.ingest.chunking import chunk_article, embedding_text
from assistant.ingest.duplicates import CopyGrouper
from assistant.ingest.readers import LoadFailure, Skipped, iter_files, read_articles
from assistant.models.embeddings import ArticleEmbeddings
from assistant.schema import Article, Chunk
from assistant.settings import Settings
from assistant.text.attribution import extract_statements
from assistant.text.attribution.statement import extractor_version

log = logging.getLogger(__name__)

# Embedding several articles in one call keeps the model's batches full.
_EMBED_GROUP_CHUNKS = 256
# Articles per transaction when adding sentence vectors to articles indexed without them.
_SENTENCE_GROUP_ARTICLES = 32
# Same-name additions listed one by one in the summary; past this many, one line counts the rest.
_SAME_NAME_LINES = 10

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(stage, done, total); stages: "files", "articles", "embeddings",
"sentences"."""


@dataclass
class IngestReport:
    """What an ingest did. `failed` holds (file, one-line reason); a corpus file's bad records
    are there one by one, the reason starting with their line or position. `skipped` holds
    (path, reason) for links a folder scan did not follow. `same_name` holds (file name, title
    added, title of the indexed article from another file or upload of that name) for each
    article added beside, not instead of, one with the same file name. `near_duplicates`
    holds (title added, title of the indexed story it copies) for each article grouped as a
    copy of another (see ingest/duplicates.py); unlike `duplicates`, those are indexed."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    same_name: list[tuple[str, str, str]] = field(default_factory=list)
    near_duplicates: list[tuple[str, str]] = field(default_factory=list)
    files: int = 0
    chunks_embedded: int = 0
    sentences_embedded: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed)

    def summary(self) -> str:
        lines = [
            f"added {len(self.added)}, replaced {len(self.replaced)}, unchanged {self.unchanged}, "
            + (f"removed {len(self.removed)}, " if self.removed else "")
            + f"duplicates {len(self.duplicates)}, failed {len(self.failed)}"
            + (f", skipped {len(self.skipped)}" if self.skipped else "")
            + f" ({self.files} files, {self.chunks_embedded} chunks embedded, "
            + (f"{self.sentences_embedded} sentences embedded, " if self.sentences_embedded else "")
            + f"{self.seconds:.1f} s)"
        ]
        lines += [
            f"  added beside: {title} (another {name} holds {other})"
            for name, title, other in self.same_name[:_SAME_NAME_LINES]
        ]
        if len(self.same_name) > _SAME_NAME_LINES:
            more = len(self.same_name) - _SAME_NAME_LINES
            lines.append(f"  added beside: {more} more articles with a file name indexed already")
        lines += [
            f"  duplicate: {origin} (same text as {other})" for origin, other in self.duplicates
        ]
        lines += [f"  copy: {title} (copy of: {other})" for title, other in self.near_duplicates]
        lines += [f"  skipped: {origin}: {reason}" for origin, reason in self.skipped]
        lines += [f"  failed: {origin}: {reason}" for origin, reason in self.failed]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "duplicates": [list(d) for d in self.duplicates],
            "failed": [list(f) for f in self.failed],
            "skipped": [list(s) for s in self.skipped],
            "same_name": [list(s) for s in self.same_name],
            "near_duplicates": [list(n) for n in self.near_duplicates],
            "files": self.files,
            "chunks_embedded": self.chunks_embedded,
            "sentences_embedded": self.sentences_embedded,
            "seconds": round(self.seconds, 2),
        }


def upload_folder(settings: Settings) -> Path:
    """Where the chat page keeps uploaded files. A file there is identified by its name and
    content, not its path: the page stores every upload of `news.txt` under that one path."""
    return (settings.data_dir / "uploads").resolve()


@dataclass
class _Pending:
    article: Article
    chunks: list[Chunk]
    texts: list[str]
    replacing: bool


def ingest_paths(
    paths: list[Path],
    *,
    index: ArticleIndex,
    embeddings: ArticleEmbeddings,
    progress: ProgressCallback | None = None,
    prune: bool = False,
    group_copies: bool = True,
) -> IngestReport:
    """Index every accepted file under `paths`. One bad file is reported, never fatal. With
    `prune`, articles whose file under `paths` no longer exists are removed (a sync).

    Each added or changed article is compared with the indexed ones and grouped with the story
    it copies, if any (see ingest/duplicates.py); articles indexed without a signature get one
    first, so that new copies of them are found. `group_copies=False` skips that step (the
    next ingest with it on catches up), for measuring what it costs.

    A file is the article of its path (edited in place, it replaces it), except in the upload
    folder, where name and content say which article it is (see upload_folder).

    Safe to interrupt: an article is recorded only after its vectors are stored, and the next
    run removes vectors of articles that were never recorded."""
    report = IngestReport()
    began = time.perf_counter()
    notify = progress or (lambda stage, done, total: None)
    settings = index.settings
    with index.writer():
        copies = CopyGrouper(index.registry) if group_copies else None
        regrouped = copies.add_missing() if copies else 0
        known = index.registry.content_hashes()
        by_hash = {digest: article_id for article_id, digest in known.items()}
        summaries = index.registry.articles()
        origins = {a.id: a.origin for a in summaries}
        namesakes = _Namesakes((a.id, a.origin, a.title) for a in summaries)
        uploads = upload_folder(settings)
        seen_ids: set[str] = set()
        group: list[_Pending] = []
        files = list(iter_files(paths))
        for done, item in enumerate(files, start=1):
            notify("files", done, len(files))
            if isinstance(item, Skipped):
                report.skipped.append((item.origin, item.reason))
                continue
            if isinstance(item, LoadFailure):
                report.failed.append((item.origin, item.reason))
                continue
            report.files += 1
            try:
                loaded = read_articles(
                    item,
                    max_bytes=settings.max_file_bytes,
                    by_content=item.resolve().is_relative_to(uploads),
                )
            except LoadError as exc:
                report.failed.append((str(item), str(exc)))
                continue
            except (OSError, MemoryError) as exc:
                report.failed.append((str(item), f"cannot read file: {exc}"))
                continue
            report.failed += [(str(item), failure.reason) for failure in loaded.failures]
            for article in loaded.articles:
                if article.id in seen_ids:
                    report.duplicates.append((article.origin, article.title))
                    continue
                seen_ids.add(article.id)
                if known.get(article.id) == article.content_hash:
                    report.unchanged += 1
                    continue
                twin = by_hash.get(article.content_hash)
                if twin and twin != article.id:
                    if _origin_still_exists(origins.get(twin, "")):
                        report.duplicates.append((article.origin, origins.get(twin, twin)))
                        continue
                    # Same text at a new path whose old path is gone: a rename, not a copy.
                    index.registry.mark_pending([twin])
                    index.store.delete_article(twin)
                    index.registry.delete_article(twin)
                    if copies:
                        copies.forget(twin)
                    namesakes.forget(twin, origins.pop(twin, ""))
                other = namesakes.add(article.id, article.origin, article.title)
                if other and article.id not in known:
                    report.same_name.append((_file_name(article.origin), article.title, other))
                chunks = chunk_article(
                    article,
                    max_chars=settings.chunk_chars,
                    overlap_sentences=settings.chunk_overlap_sentences,
                )
                texts = [embedding_text(article, chunk) for chunk in chunks]
                group.append(_Pending(article, chunks, texts, replacing=article.id in known))
                by_hash[article.content_hash] = article.id
                origins[article.id] = article.origin
                if sum(len(p.chunks) for p in group) >= _EMBED_GROUP_CHUNKS:
                    _store_group(group, index, embeddings, report, notify, copies)
                    group = []
        if group:
            _store_group(group, index, embeddings, report, notify, copies)
        if prune:
            _prune_missing(paths, index, report)
        backfilled = (
            _add_missing_sentence_vectors(index, embeddings, report, notify)
            if settings.sentence_vectors
            else 0
        )
        if report.changed or backfilled or regrouped or index.generation() == "":
            index.publish()
    report.seconds = time.perf_counter() - began
    return report


def _prune_missing(paths: list[Path], index: ArticleIndex, report: IngestReport) -> None:
    roots = [path.resolve() for path in paths if path.exists() or not path.suffix]
    for summary in index.registry.articles():
        origin = summary.origin
        if "://" in origin or "#" in origin or _origin_still_exists(origin):
            continue
        if any(Path(origin).is_relative_to(root) for root in roots):
            index.registry.mark_pending([summary.id])
            index.store.delete_article(summary.id)
            index.registry.delete_article(summary.id)
            report.removed.append(summary.title)


class _Namesakes:
    """Whole-file articles by file name, to tell an article added beside another of the same
    file name (from another folder or upload) from one that replaces its own older version."""

    def __init__(self, articles: Iterable[tuple[str, str, str]]) -> None:
        self._by_name: dict[str, dict[str, str]] = {}
        for article_id, origin, title in articles:
            self.add(article_id, origin, title)

    def add(self, article_id: str, origin: str, title: str) -> str | None:
        """Record the article; returns the title of another article of its file name, if any."""
        name = _file_name(origin)
        if not name:
            return None
        titles = self._by_name.setdefault(name, {})
        other = next((t for i, t in titles.items() if i != article_id), None)
        titles[article_id] = title
        return other

    def forget(self, article_id: str, origin: str) -> None:
        self._by_name.get(_file_name(origin), {}).pop(article_id, None)


def _file_name(origin: str) -> str:
    """The file name of an article that is a whole file; "" for a corpus record or a url."""
    if not origin or "://" in origin or "#" in origin:
        return ""
    return Path(origin).name


def _origin_still_exists(origin: str) -> bool:
    if not origin or "://" in origin or "#" in origin:
        return True
    return Path(origin).exists()


def _store_group(
    group: list[_Pending],
    index: ArticleIndex,
    embeddings: ArticleEmbeddings,
    report: IngestReport,
    notify: ProgressCallback,
    copies: CopyGrouper | None,
) -> None:
    texts = [text for pending in group for text in pending.texts]
    vectors = embeddings.encode(texts)
    report.chunks_embedded += len(texts)
    notify("embeddings", report.chunks_embedded, report.chunks_embedded)
    index.registry.mark_pending(p.article.id for p in group)
    # One write per group, not per article: against a Chroma server each call is a round trip.
    chunks = [chunk for pending in group for chunk in pending.chunks]
    index.store.upsert(
        [chunk.id for chunk in chunks],
        vectors,
        [chunk.text for chunk in chunks],
        [
            index.chunk_metadata(pending.article, c.start, c.end, c.n)
            for pending in group
            for c in pending.chunks
        ],
    )
    stale: list[str] = []
    for pending in group:
        if pending.replacing:
            kept = {chunk.id for chunk in pending.chunks}
            stale += [i for i in index.registry.chunk_ids(pending.article.id) if i not in kept]
    if stale:
        index.store.delete_ids(sorted(stale))
    sentence_vectors = (
        _sentence_vectors([p.article for p in group], index, embeddings, report, notify)
        if index.settings.sentence_vectors
        else []
    )
    signatures: list[SignatureRow] = []
    copied: list[tuple[str, str]] = []
    if copies is not None:
        for pending in group:
            row, match = copies.assign(pending.article)
            signatures.append(row)
            if match is not None:
                copied.append((pending.article.title, match.title))
    index.registry.save_articles(
        [(p.article, p.chunks, p.texts) for p in group],
        sentence_vectors,
        signatures,
        [row for p in group if (row := _statement_row(p.article)) is not None],
    )
    report.near_duplicates += copied
    for pending in group:
        (report.replaced if pending.replacing else report.added).append(pending.article.title)
    notify("articles", len(report.added) + len(report.replaced), 0)


def _statement_row(article: Article) -> StatementRow | None:
    """The article's attributed statements, found once here rather than at every answer that
    cites it; None when the rules fail on this text (answers then find them, or go without)."""
    try:
        found = extract_statements(article.text)
    except Exception:  # a rule tripping on odd text must not cost the article its index
        log.exception("finding the statements of %s failed; they are left out", article.title)
        return None
    return StatementRow(article.id, article.content_hash, extractor_version(), tuple(found))


def _sentence_vectors(
    articles: list[Article],
    index: ArticleIndex,
    embeddings: ArticleEmbeddings,
    report: IngestReport,
    notify: ProgressCallback,
) -> list[tuple[str, ArticleSentenceVectors]]:
    """Every sentence of each article embedded, in one call for the group."""
    split = [article_sentences(a.text, index.settings.chunk_chars) for a in articles]
    texts = [text for _, sentences in split for text in sentences]
    vectors = embeddings.encode(texts) if texts else []
    report.sentences_embedded += len(texts)
    notify("sentences", report.sentences_embedded, report.sentences_embedded)
    out: list[tuple[str, ArticleSentenceVectors]] = []
    cursor = 0
    for article, (offsets, sentences) in zip(articles, split, strict=True):
        block = np.asarray(vectors[cursor : cursor + len(sentences)], dtype=np.float16)
        cursor += len(sentences)
        out.append((article.id, ArticleSentenceVectors(article.content_hash, offsets, block)))
    return out


def _add_missing_sentence_vectors(
    index: ArticleIndex,
    embeddings: ArticleEmbeddings,
    report: IngestReport,
    notify: ProgressCallback,
) -> int:
    """Sentence vectors for articles indexed before the setting was on (or by a run stopped
    between groups). Each group is one transaction; a stop midway loses no finished group."""
    missing = index.registry.articles_without_sentence_vectors()
    added = 0
    for first in range(0, len(missing), _SENTENCE_GROUP_ARTICLES):
        articles = [
            article
            for article_id in missing[first : first + _SENTENCE_GROUP_ARTICLES]
            if (article := index.article(article_id)) is not None
        ]
        index.registry.save_sentence_vectors(
            _sentence_vectors(articles, index, embeddings, report, notify)
        )
        added += len(articles)
    return added


def delete_article(article_id: str, *, index: ArticleIndex) -> bool:
    """Remove an article and all its chunks. Returns False when no such article exists."""
    with index.writer():
        index.registry.mark_pending([article_id])
        index.store.delete_article(article_id)
        found = index.registry.delete_article(article_id)
        index.publish()
    return found
