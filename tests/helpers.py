"""What tests share besides fixtures: paths to the seed article and benchmark data, and builders
of assistants and corpora."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.answer.extractive import ExtractiveAnswerer
from assistant.api import Assistant
from assistant.index.lexical import LexicalIndex
from assistant.models.embeddings import ArticleEmbeddings
from assistant.settings import Settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SEED_FILE = CORPUS / "000_d1357754b31f4e9d.txt"
SHARED_DATA = REPO.parent / "shared" / "data"
MULTIHOP_CORPUS = SHARED_DATA / "multihop-rag" / "corpus.json"



def write_wire(path: Path, stories: list[tuple[str, str, str]], *, filler_rounds: int) -> Path:
    """A JSONL file of (outlet, title, body) stories dated 2023-10-02, followed by filler news
    from another outlet (seven topics, `filler_rounds` times) so that BM25's word rarity is
    that of a corpus, not of a handful of articles."""
    topics = ["tides", "orchards", "violins", "glaciers", "lanterns", "comets", "meadows"]
    filler = [
        (
            "Filler Gazette",
            f"Notes on {topic} {number}",
            f"Residents discussed {topic} at meeting {number}. "
            f"The {topic} survey continues, officials said.",
        )
        for number, topic in enumerate(topics * filler_rounds)
    ]
    records = [
        {
            "title": title,
            "source": source,
            "published_at": "2023-10-02",
            "url": f"http://{path.stem}/{number}",
            "body": body,
        }
        for number, (source, title, body) in enumerate([*stories, *filler])
    ]
    path.write_text("\n".join(json.dumps(record) for record in records))
    return path


def make_assistant(data_dir: Path, embeddings: ArticleEmbeddings, **overrides: object) -> Assistant:
    """An Assistant on its own data folder that shares the session's loaded model."""
    return Assistant(Settings(data_dir=data_dir).with_overrides(**overrides), embedder=embeddings)


def word_overlap_answerer(texts: dict[str, str]) -> ExtractiveAnswerer:
    """The fast profile's real answerer (word overlap, no model) over articles given as
    id -> text, each one chunk "<id>:abc:0"."""
    ids = list(texts)
    lexical = LexicalIndex.build([f"{i}:abc:0" for i in ids], [texts[i] for i in ids])
    return ExtractiveAnswerer(
        Settings(reranker="none"),
        lexical=lambda: lexical,
        article_texts=lambda wanted: {i: texts[i] for i in wanted if i in texts},
        scorer=lambda: None,
    )
