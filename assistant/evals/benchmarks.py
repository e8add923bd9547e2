"""Benchmark adapters: MultiHop-RAG and SQuAD 2.0 read from ../shared/data (never copied into the
repo), turned into eval questions, with their indexes cached under ~/.cache so reruns are fast."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError
from assistant.ingest.duplicates import SCHEME as COPY_SCHEME
from assistant.models.embeddings import resolve_quantization
from assistant.settings import Settings

BENCHMARKS = ("multihop-rag", "squad2")
# The default SQuAD slice: 500 questions evenly spaced through the file (every ~9th), so every
# run scores the same questions and all 12 articles are covered (the first 500 in file order
# would be the first two articles only). --limit N takes the first N instead.
SQUAD_DEFAULT_LIMIT = 500
INDEX_VERSION = "3"  # bump when the article layout written for a benchmark, its reading, or how
# its vectors are computed changes (3: one text per run, not padded batches)


@dataclass
class EvalQuestion:
    """One question to score. gold_quotes are exact substrings of the gold articles; for SQuAD
    gold_answers are the short answer texts (any one counts)."""

    id: str
    question: str
    answerable: bool
    type: str = ""
    gold_quotes: list[str] = field(default_factory=list)
    gold_answers: list[str] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    # The outlet of each gold quote (MultiHop-RAG), for scoring answers outlet by outlet.
    gold_sources: list[str] = field(default_factory=list)


def shared_data_dir() -> Path:
    """ASSISTANT_SHARED_DATA, else ../shared/data beside the folder the eval runs in (the
    checkout): found from where the user works, not from where the package is installed."""
    configured = os.environ.get("ASSISTANT_SHARED_DATA")
    if configured:
        return Path(configured).expanduser()
    return Path.cwd().resolve().parent / "shared" / "data"


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "article-assistant" / "eval-index"


def index_key(corpus_file: Path, settings: Settings) -> str:
    """Everything the stored vectors depend on: corpus bytes, model, quantisation, chunking."""
    digest = hashlib.sha256()
    digest.update(corpus_file.read_bytes())
    parts = [
        INDEX_VERSION,
        settings.embedding_model,
        str(settings.chunk_chars),
        str(settings.chunk_overlap_sentences),
    ]
    # Quantised models give other vectors; fp32 ("none") keeps the original key. The index is
    # built afresh, so "auto" is the mode a new index gets.
    max_tokens = int(getattr(settings, "embedding_max_tokens", 0) or 0)
    quantization = resolve_quantization(
        str(getattr(settings, "embedding_quantization", "none")),
        settings.embedding_model,
        max_tokens,
        None,
    )
    if quantization != "none":
        parts.append(f"quantization={quantization}")
    if max_tokens:
        parts.append(f"max_tokens={max_tokens}")
    for part in parts:
        digest.update(b"\x1f" + part.encode("utf-8"))
    return digest.hexdigest()[:20]


def load_gold(path: Path) -> list[EvalQuestion]:
    """A gold set: one JSON object a line with id, question, gold_quotes, answerable, history."""
    questions: list[EvalQuestion] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        questions.append(
            EvalQuestion(
                id=str(row.get("id") or f"{path.stem}-{number}"),
                question=str(row["question"]),
                answerable=bool(row.get("answerable", True)),
                type=str(row.get("type") or ""),
                gold_quotes=list(row.get("gold_quotes") or []),
                gold_answers=list(row.get("gold_answers") or []),
                history=list(row.get("history") or []),
            )
        )
    return questions


def multihop_questions(data: Path) -> list[EvalQuestion]:
    """queries-dev.json: facts are the gold quotes; null_query items cannot be answered."""
    rows = json.loads((data / "multihop-rag" / "queries-dev.json").read_text(encoding="utf-8"))
    return [
        EvalQuestion(
            id=f"mh-{number:04d}",
            question=row["query"],
            answerable=row["question_type"] != "null_query",
            type=row["question_type"],
            gold_quotes=[e["fact"] for e in row.get("evidence_list") or []],
            gold_sources=[e.get("source", "") for e in row.get("evidence_list") or []],
            gold_answers=[row["answer"]] if row["question_type"] != "null_query" else [],
        )
        for number, row in enumerate(rows)
    ]


def squad_questions(data: Path) -> list[EvalQuestion]:
    """Every question of dev-articles.json in file order (the default slice is taken later)."""
    raw = json.loads((data / "squad2" / "dev-articles.json").read_text(encoding="utf-8"))
    questions: list[EvalQuestion] = []
    for article in raw["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                impossible = bool(qa.get("is_impossible"))
                questions.append(
                    EvalQuestion(
                        id=qa["id"],
                        question=qa["question"],
                        answerable=not impossible,
                        type="unanswerable" if impossible else "answerable",
                        gold_answers=list(dict.fromkeys(a["text"] for a in qa.get("answers", []))),
                    )
                )
    return questions


def evenly_spaced(items: list[EvalQuestion], count: int) -> list[EvalQuestion]:
    """`count` items at fixed, evenly spaced positions (all of them when there are fewer)."""
    if count >= len(items):
        return list(items)
    return [items[i * len(items) // count] for i in range(count)]


def squad_corpus_file(data: Path, folder: Path) -> Path:
    """The paragraphs as a jsonl of articles (one per paragraph, titled by its Wikipedia page),
    written into the cache folder so the repo and the shared data stay untouched."""
    raw = json.loads((data / "squad2" / "dev-articles.json").read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "squad2-paragraphs.jsonl"
    lines = []
    for a, article in enumerate(raw["data"]):
        title = article["title"].replace("_", " ")
        for p, paragraph in enumerate(article["paragraphs"]):
            record = {
                "id": f"squad2-{a:02d}-{p:03d}",
                "title": title,
                "body": paragraph["context"],
                "source": "Wikipedia",
                "url": f"squad2://{article['title']}#{p}",
            }
            lines.append(json.dumps(record, ensure_ascii=False))
    text = "\n".join(lines) + "\n"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def corpus_source(name: str, data: Path) -> Path:
    if name == "multihop-rag":
        return data / "multihop-rag" / "corpus.json"
    return data / "squad2" / "dev-articles.json"


def benchmark_questions(name: str, data: Path | None = None) -> list[EvalQuestion]:
    data = data or shared_data_dir()
    return multihop_questions(data) if name == "multihop-rag" else squad_questions(data)


def benchmark_settings(
    name: str, settings: Settings, data: Path | None = None
) -> tuple[Settings, Path]:
    """Settings pointing at the cached index for a benchmark, and the corpus file to ingest.
    The index is local (no Chroma server) and its folder name is the cache key."""
    data = data or shared_data_dir()
    source = corpus_source(name, data)
    if not source.exists():
        raise ConfigError(
            f"benchmark data not found: {source}. Run from the checkout next to shared/, or "
            "set ASSISTANT_SHARED_DATA to the folder that holds multihop-rag/ and squad2/."
        )
    folder = cache_root() / f"{name}-{index_key(source, settings)}"
    corpus = source if name == "multihop-rag" else squad_corpus_file(data, folder)
    # replace(), not with_overrides(): chroma_url must become None, which with_overrides skips.
    return replace(
        settings, data_dir=folder / "data", chroma_url=None, collection="articles"
    ), corpus


def ensure_index(
    assistant: Any, corpus: Path, progress: Callable[[str], None] | None = None
) -> bool:
    """Ingest the benchmark corpus unless a finished build is marked. Returns True if it built.
    An interrupted build resumes: ingest skips articles already stored. With sentence vectors
    on, a cached index that lacks some gets them added (the chunk vectors are reused), and so
    does one without near-duplicate signatures."""
    marker = Path(assistant.settings.data_dir).parent / "complete.json"
    settings = assistant.settings
    registry = assistant.index.registry
    missing_sentence_vectors = (
        settings.sentence_vectors and registry.articles_without_sentence_vectors()
    )
    # A cache built before copies were grouped gets its signatures (the vectors are reused).
    missing_signatures = bool(registry.articles_without_signatures(COPY_SCHEME))
    if marker.exists() and not (missing_sentence_vectors or missing_signatures):
        return False
    say = progress or (lambda line: None)

    def report(stage: str, done: int, total: int) -> None:
        if stage in ("embeddings", "articles"):
            say(f"building benchmark index: {stage} {done}")

    result = assistant.ingest([corpus], progress=report)
    if marker.exists():
        return True
    marker.write_text(json.dumps({"corpus": str(corpus), **result.to_dict()}, indent=1) + "\n")
    return True


if __name__ == "__main__":
    # `python -m assistant.evals.benchmarks multihop-rag` builds a cache ahead of time.
    from assistant.api import Assistant

    for bench in sys.argv[1:] or list(BENCHMARKS):
        bench_settings, bench_corpus = benchmark_settings(bench, Settings.from_env())
        with Assistant(bench_settings) as bench_assistant:
            built = ensure_index(
                bench_assistant, bench_corpus, lambda line: print(line, flush=True)
            )
            print(bench, "built" if built else "cached", bench_settings.data_dir, flush=True)
