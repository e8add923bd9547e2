from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.evals.benchmarks import ensure_index
from assistant.index.sentence_vectors import ArticleSentenceVectors, build_matrix
from assistant.index.table import ChunkTable
from assistant.models.embeddings import ArticleEmbeddings
from assistant.text.sentences import split_sentences
from tests.helpers import make_assistant, write_wire


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def _table(chunk_ids: list[str], spans: list[tuple[int, int]]) -> ChunkTable:
    return ChunkTable(
        chunk_ids=chunk_ids,
        article_ids=np.array([chunk_id.split(":")[0] for chunk_id in chunk_ids], dtype=object),
        starts=np.array([start for start, _ in spans]),
        ends=np.array([end for _, end in spans]),
        articles={},
        sources=np.array(["s"] * len(chunk_ids), dtype=object),
        dates=np.array([""] * len(chunk_ids), dtype=object),
    )


def test_each_chunk_scores_its_closest_sentence() -> None:
    # Article a: sentences at 0-10, 11-20, 21-30; chunks overlap on the middle sentence.
    # Article b's vectors were computed for an older text (another hash): they are not used.
    table = _table(
        ["a:aaaaaaaaaaaa:0", "a:aaaaaaaaaaaa:1", "b:bbbbbbbbbbbb:0", "c:cccccccccccc:0"],
        [(0, 20), (11, 30), (0, 10), (0, 10)],
    )
    stored = {
        "a": ArticleSentenceVectors(
            "aaaaaaaaaaaa-full-hash",
            np.array([[0, 10], [11, 20], [21, 30]], dtype=np.int32),
            np.stack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(0, 0, 1)]).astype(np.float16),
        ),
        "b": ArticleSentenceVectors(
            "older0000000-full-hash",
            np.array([[0, 10]], dtype=np.int32),
            np.stack([_unit(1, 0, 0)]).astype(np.float16),
        ),
    }
    matrix = build_matrix(table, stored, 3)
    assert matrix.sentence_count == 3
    best = matrix.best_similarity(np.stack([_unit(0, 0, 1), _unit(1, 1, 0)]))
    assert best.shape == (2, 4)
    np.testing.assert_allclose(best[0], [0.0, 1.0, 0.0, 0.0], atol=1e-3)
    # The shared middle sentence counts for both chunks.
    np.testing.assert_allclose(best[1], [0.7071, 0.7071, 0.0, 0.0], atol=1e-3)
    # Nothing stored: every row scores 0, nothing fails.
    empty = build_matrix(table, {}, 3)
    assert not empty.best_similarity(np.stack([_unit(1, 0, 0)])).any()


def test_stored_vectors_round_trip_through_blobs() -> None:
    entry = ArticleSentenceVectors(
        "hash", np.array([[0, 4], [5, 9]], dtype=np.int32), np.eye(2, 3, dtype=np.float16)
    )
    again = ArticleSentenceVectors.from_blobs("hash", *entry.to_blobs(), dimension=3)
    np.testing.assert_array_equal(again.offsets, entry.offsets)
    np.testing.assert_array_equal(again.vectors, entry.vectors)


def _write(path: Path, title: str, body: str) -> None:
    path.write_text(f"---\ntitle: {title}\nsource: Test Wire\n---\n{body}\n")


def test_sentence_vectors_stay_in_step_with_the_articles(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    _write(folder / "port.md", "Port", "Cranes fell in the storm. The port closed for a day.")
    _write(folder / "vote.md", "Vote", "Turnout was high. Counting ended at midnight. Few spoiled.")

    # Built without sentence vectors: nothing is stored for them.
    plain = make_assistant(tmp_path / "data", embeddings)
    report = plain.ingest([folder])
    assert report.sentences_embedded == 0
    assert plain.index.registry.sentence_vector_count() == 0
    plain.close()

    # Turned on: the next ingest embeds only the sentences, once.
    assistant = make_assistant(tmp_path / "data", embeddings, sentence_vectors=True)
    report = assistant.ingest([folder])
    assert (report.chunks_embedded, report.sentences_embedded) == (0, 5)
    assert "5 sentences embedded" in report.summary()
    assert assistant.ingest([folder]).sentences_embedded == 0
    stored = assistant.index.registry.sentence_vectors()
    assert len(stored) == 2
    for article_id, entry in stored.items():
        article = assistant.index.article(article_id)
        assert article is not None and entry.content_hash == article.content_hash
        spans = [(s.start, s.end) for s in split_sentences(article.text)]
        assert [tuple(pair) for pair in entry.offsets.tolist()] == spans
        # Stored vectors are the model's vectors of those sentences (float16 on disk). The int8
        # model quantises its activations per batch, so a sentence's vector moves a little with
        # the sentences it was batched with: compared by direction, not digit by digit.
        expected = embeddings.encode([article.text[a:b] for a, b in spans])
        cosines = np.sum(entry.vectors.astype(np.float32) * expected, axis=1)
        assert cosines.min() > 0.98, cosines
        assert list(np.argmax(entry.vectors.astype(np.float32) @ expected.T, axis=1)) == list(
            range(len(spans))
        )

    # A changed article gets new sentence vectors with its new chunks, in one ingest.
    _write(folder / "port.md", "Port", "Cranes fell in the storm. Repairs will take a month.")
    report = assistant.ingest([folder])
    assert report.replaced == ["Port"] and report.sentences_embedded == 2
    port = next(a for a in assistant.index.registry.articles() if a.title == "Port")
    assert assistant.index.registry.sentence_vectors()[port.id].content_hash == port.content_hash

    # The chunk table's rows all have their sentences.
    _, table = assistant.index.snapshot()
    matrix = assistant.index.sentence_matrix(table)
    assert sorted(matrix.covered_rows.tolist()) == list(range(len(table.chunk_ids)))
    assert matrix.sentence_count == 5

    # Deleting an article deletes its sentence vectors.
    assert assistant.delete(port.id)
    assert set(assistant.index.registry.sentence_vectors()) == {
        a.id for a in assistant.index.registry.articles()
    }
    assistant.close()


def _harbour_stories() -> list[tuple[str, str, str]]:
    """A clause that paraphrases its fact: the sentence that states it shares almost no words
    with the clause, while another article of the same outlet repeats some of them."""
    return [
        (
            "Daily Ledger",
            "Shipping chief steps down",
            "The executive Anneli Lindqvist is leaving Nordhavn Lines after nine years. "
            "She said she could no longer run both companies at once. "
            "The board thanked her for steering the group through the pandemic.",
        ),
        (
            "Daily Ledger",
            "Backlog at the docks",
            "Two ferries ran late on Monday. Shipping firms complained to the port. "
            "Council members set the timetable, a spokesman said.",
        ),
        (
            "Evening Wire",
            "Budget passes",
            "The city budget passed on Tuesday with money for new ferries.",
        ),
    ]


def test_sentence_vectors_find_the_fact_a_clause_paraphrases(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    wire = write_wire(tmp_path / "wire.jsonl", _harbour_stories(), filler_rounds=3)
    question = (
        "Which executive, according to Daily Ledger, was unable to manage two firms at the "
        "same time, and which city budget paid for new ferries, as reported by Evening Wire?"
    )
    # The lever alone: the cross-encoder's clause reranking would reorder both lists.
    plain = make_assistant(tmp_path / "data", embeddings, clause_rerank_depth=0)
    plain.ingest([wire])
    before = [p.title for p in plain.retrieve(question, k=10)]
    plain.close()
    assistant = make_assistant(
        tmp_path / "data", embeddings, sentence_vectors=True, clause_rerank_depth=0
    )
    assistant.ingest([wire])
    after = [p.title for p in assistant.retrieve(question, k=10)]
    assistant.close()
    assert after.index("Shipping chief steps down") < before.index("Shipping chief steps down")
    assert after.index("Shipping chief steps down") < after.index("Backlog at the docks")


def test_a_cached_benchmark_index_gets_sentence_vectors_when_they_are_turned_on(
    tmp_path: Path, embeddings: ArticleEmbeddings
) -> None:
    corpus = tmp_path / "news"
    corpus.mkdir()
    _write(corpus / "port.md", "Port", "Cranes fell in the storm. The port closed for a day.")
    plain = make_assistant(tmp_path / "cache" / "data", embeddings)
    assert ensure_index(plain, corpus) is True
    assert ensure_index(plain, corpus) is False
    plain.close()
    assistant = make_assistant(tmp_path / "cache" / "data", embeddings, sentence_vectors=True)
    assert ensure_index(assistant, corpus) is True
    assert assistant.index.registry.articles_without_sentence_vectors() == []
    assert ensure_index(assistant, corpus) is False
    assistant.close()
