"""Chunks made of whole sentences, and the text of a chunk that is embedded."""

from __future__ import annotations

from assistant.schema import Article, Chunk, ChunkId
from assistant.text.sentences import split_sentences


def chunk_article(
    article: Article, *, max_chars: int = 1000, overlap_sentences: int = 1
) -> list[Chunk]:
    """Group whole sentences into chunks of at most about `max_chars`, overlapping by whole
    sentences. Chunk ids are deterministic: article id, content hash and position."""
    sentences = split_sentences(article.text, max_chars=max_chars)
    chunks: list[Chunk] = []
    first = 0
    while first < len(sentences):
        last = first
        while (
            last + 1 < len(sentences)
            and sentences[last + 1].end - sentences[first].start <= max_chars
        ):
            last += 1
        start, end = sentences[first].start, sentences[last].end
        n = len(chunks)
        chunks.append(
            Chunk(
                id=str(ChunkId.of(article.id, article.content_hash, n)),
                article_id=article.id,
                n=n,
                start=start,
                end=end,
                text=article.text[start:end],
            )
        )
        if last + 1 >= len(sentences):
            break
        first = max(first + 1, last + 1 - overlap_sentences)
    return chunks


def embedding_text(article: Article, chunk: Chunk) -> str:
    """What the model and BM25 see: a header with title, outlet and date, then the chunk."""
    header = " | ".join(
        part for part in (article.title, article.source, article.published_at) if part
    )
    return f"{header}\n{chunk.text}" if header else chunk.text
