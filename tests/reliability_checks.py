"""Index invariants shared by the reliability tests: one checker, so every test means the same
thing by "the index is consistent"."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from assistant.api import Assistant
from assistant.schema import Answer

_TOPICS = [
    ("Harbour", "The harbour authority in {place} approved {n} new berths for cargo ships."),
    ("Rail", "Engineers in {place} finished {n} kilometres of new railway track this spring."),
    ("Library", "The public library of {place} lent {n} books during the winter festival."),
    ("Vineyard", "Growers near {place} harvested {n} tonnes of grapes after a dry summer."),
    ("Bridge", "The council of {place} closed the old bridge after inspectors found {n} cracks."),
    ("Orchestra", "The {place} orchestra sold {n} tickets for its opening concert."),
]
PLACES = ["Tallinn", "Porto", "Ghent", "Bergen", "Lviv", "Cork", "Graz", "Split", "Turku", "Brno"]


def article_text(seed: int, version: int = 0) -> tuple[str, str]:
    """(title, body) of a short article that is distinct for each (seed, version)."""
    rng = random.Random(seed * 1000 + version)
    topic, sentence = _TOPICS[seed % len(_TOPICS)]
    place = PLACES[seed % len(PLACES)]
    title = f"{topic} news from {place} number {seed}"
    lines = [sentence.format(place=place, n=rng.randint(10, 9999))]
    cost = rng.randint(2, 90)
    lines.append(f"Officials said the plan for {place} would cost {cost} million euros.")
    lines.append(f"Residents of {place} will vote on version {version} of the proposal in May.")
    return title, " ".join(lines)


def write_article(path: Path, seed: int, version: int = 0) -> None:
    """A txt article with front matter, or an md one with a sidecar .meta.json."""
    title, body = article_text(seed, version)
    date = f"2024-0{1 + seed % 9}-1{seed % 10}"
    if path.suffix == ".md":
        path.write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
        sidecar = path.with_name(path.stem + ".meta.json")
        sidecar.write_text(
            f'{{"title": "{title}", "source": "Sidecar Times", "published_at": "{date}"}}',
            encoding="utf-8",
        )
    else:
        path.write_text(
            f"---\ntitle: {title}\nsource: Front Matter Post\ndate: {date}\n---\n{body}\n",
            encoding="utf-8",
        )


def store_ids(assistant: Assistant) -> list[str]:
    return list(assistant.index.store.collection.get(include=[])["ids"])


def check_index(assistant: Assistant) -> set[str]:
    """Registry, Chroma and BM25 hold exactly the same chunks, each once; every chunk belongs
    to a recorded article and lies inside its text. Returns the indexed article ids."""
    registry = assistant.index.registry
    rows = registry.all_chunks()
    registry_ids = [row.id for row in rows]
    duplicated = [i for i, c in Counter(registry_ids).items() if c > 1]
    assert not duplicated, f"duplicate chunk rows in the registry: {duplicated[:3]}"
    chroma_ids = store_ids(assistant)
    duplicated = [i for i, c in Counter(chroma_ids).items() if c > 1]
    assert not duplicated, f"duplicate chunk ids in Chroma: {duplicated[:3]}"
    orphans = set(chroma_ids) - set(registry_ids)
    assert not orphans, f"{len(orphans)} orphan vectors in Chroma, e.g. {sorted(orphans)[:3]}"
    missing = set(registry_ids) - set(chroma_ids)
    assert not missing, f"{len(missing)} registry chunks have no vector, e.g. {sorted(missing)[:3]}"
    lexical, table = assistant.index.snapshot()
    assert sorted(lexical.chunk_ids) == sorted(registry_ids), "BM25 and registry disagree"
    assert table.chunk_ids == lexical.chunk_ids
    articles = {a.id: a for a in registry.articles()}
    per_article = Counter(row.article_id for row in rows)
    for row in rows:
        assert row.article_id in articles, f"chunk {row.id} of unknown article {row.article_id}"
        length = articles[row.article_id].chars
        assert 0 <= row.start < row.end <= length, f"chunk {row.id} outside its article"
    for article_id, summary in articles.items():
        assert per_article[article_id] == summary.chunk_count, f"chunk count of {article_id}"
        assert summary.chunk_count > 0, f"article {article_id} has no chunks"
    assert registry.pending() == [], f"pending repairs left: {registry.pending()}"
    return set(articles)


def check_answer(assistant: Assistant, answer: Answer) -> None:
    """Every citation is the article's text at its offsets (checked again, independently)."""
    for citation in answer.citations:
        article = assistant.article(citation.article_id)
        assert article is not None, f"citation [{citation.n}] names a missing article"
        assert article.text[citation.start : citation.end] == citation.quote
        assert citation.quote.strip(), "empty quote"
