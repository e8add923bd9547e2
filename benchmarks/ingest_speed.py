"""Ingest speed: our pipeline vs the plain LangChain pipeline, same articles, same run.

Plain pipeline = RecursiveCharacterTextSplitter(chunk_size=1000) + the same bundled
all-MiniLM-L6-v2 through sentence-transformers (what HuggingFaceEmbeddings does) +
langchain_chroma.Chroma.from_documents. Both models are loaded before the clock starts, so the
figures compare parse + split + embed + store. Then re-ingest of the unchanged corpus is timed
with a fresh Assistant on the same data dir (index open included).

    .venv/bin/python -m benchmarks.ingest_speed --limit 30 --ours none,int8
    .venv/bin/python -m benchmarks.ingest_speed --limit 0 --ours none,onnx-int8 --quality 200

A variant of ours is an ASSISTANT_EMBEDDING_QUANTIZATION value (none, int8, int8-all on torch;
onnx, onnx-int8 on onnxruntime), optionally with `+maxN` to cap the tokens the model reads of
each chunk (ASSISTANT_EMBEDDING_MAX_TOKENS) and `+sentences` to embed every sentence too
(ASSISTANT_SENTENCE_VECTORS). The CPU's instruction sets are printed first: int8 speed-ups
differ between CPUs with and without VNNI. `--quality N` (full corpus only) scores each index
this run built on the first N answerable MultiHop-RAG dev questions (hybrid retrieval, k=10);
the eval runner (`assistant eval multihop-rag --config hybrid`) gives the full figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.common import MULTIHOP_CORPUS, peak_rss_mb, rss_mb, setup_offline

if TYPE_CHECKING:
    from assistant.settings import Settings


@dataclass
class Run:
    label: str
    articles: int
    chunks: int
    tokens: int
    seconds: float
    cpu_seconds: float  # CPU time of this process: steadier than wall time on shared cores

    def line(self, base: Run | None) -> str:
        ratio = f"{base.seconds / self.seconds:5.2f}x" if base else "    -"
        cpu_ratio = f"{base.cpu_seconds / self.cpu_seconds:5.2f}x" if base else "    -"
        return (
            f"{self.label:24} {self.articles:8} {self.chunks:7} {self.seconds:8.1f} "
            f"{self.chunks / self.seconds:8.1f} {self.tokens / self.seconds:8.0f} {ratio:>7} "
            f"{self.cpu_seconds:8.1f} {cpu_ratio:>7}"
        )


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def count_tokens(tokenizer: object, texts: list[str], limit: int) -> int:
    """Model tokens actually embedded (the model truncates at max_seq_length)."""
    encoded = tokenizer(texts, add_special_tokens=True)["input_ids"]  # type: ignore[operator]
    return sum(min(len(ids), limit) for ids in encoded)


def plain_pipeline(corpus: Path, workdir: Path, model: object) -> tuple[Run, list[str]]:
    """The textbook LangChain pipeline, as a user would write it."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_core.embeddings import Embeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    class STEmbeddings(Embeddings):
        """What langchain_huggingface.HuggingFaceEmbeddings does (not installed here)."""

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return model.encode(texts, batch_size=32, show_progress_bar=False).tolist()  # type: ignore[attr-defined]

        def embed_query(self, text: str) -> list[float]:
            return self.embed_documents([text])[0]

    began, cpu = clocks()
    rows = json.loads(corpus.read_text(encoding="utf-8"))
    docs = [
        Document(page_content=r["body"], metadata={"title": r["title"], "source": r["source"],
                                                   "url": r["url"]})
        for r in rows
    ]
    splits = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=0).split_documents(docs)
    Chroma.from_documents(
        splits, STEmbeddings(), persist_directory=str(workdir / "plain-chroma"),
        collection_name="plain",
    )
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    texts = [d.page_content for d in splits]
    return Run("plain LangChain (fp32)", len(rows), len(splits), 0, seconds, cpu_seconds), texts


def variant_settings(variant: str, data_dir: Path) -> Settings:
    """Settings for a variant such as "none", "int8", "int8+max128" or "none+sentences"."""
    from assistant.settings import Settings

    quantization, *options = variant.split("+")
    caps = [int(option[3:]) for option in options if option.startswith("max")]
    return Settings(
        data_dir=data_dir,
        embedding_quantization=quantization,
        embedding_max_tokens=caps[0] if caps else 0,
        sentence_vectors="sentences" in options,
    )


def our_pipeline(corpus: Path, workdir: Path, variant: str) -> tuple[Run, list[str], Path]:
    from assistant.api import Assistant

    data_dir = workdir / f"ours-{variant}"
    assistant = Assistant(variant_settings(variant, data_dir))
    assistant.embeddings.encode(["warm up"])  # model load (and quantisation) outside the clock
    began, cpu = clocks()
    report = assistant.ingest([corpus])
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
    texts = [row.indexed_text for row in assistant.index.registry.all_chunks()]
    assistant.close()
    run = Run(f"ours ({variant})", len(report.added), report.chunks_embedded, 0, seconds,
              cpu_seconds)
    if report.sentences_embedded:
        print(f"  {variant}: {report.sentences_embedded} sentences embedded too", flush=True)
    return run, texts, data_dir


def quality(data_dir: Path, variant: str, questions: list[Any]) -> str:
    """Retrieval figures of the index this run built, on the first answerable dev questions."""
    from assistant.api import Assistant
    from benchmarks.retrieval_quality import COLUMNS, evaluate

    assistant = Assistant(variant_settings(variant, data_dir))
    try:
        assistant.retrieve("warm up the model and the index", k=10)
        row = evaluate(assistant, questions, "hybrid")["all"]
    finally:
        assistant.close()
    return ", ".join(f"{column} {row[column]:.3f}" for column in COLUMNS)


def reingest(data_dir: Path, corpus: Path, variant: str) -> tuple[float, int]:
    from assistant.api import Assistant

    began = time.perf_counter()
    assistant = Assistant(variant_settings(variant, data_dir))
    report = assistant.ingest([corpus])
    seconds = time.perf_counter() - began
    assistant.close()
    return seconds, report.unchanged


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0, help="first N articles (0: all 609)")
    parser.add_argument(
        "--ours",
        default="none,int8",
        help="variants: none, int8, int8-all, onnx, onnx-int8, each with opt. +maxN and "
             "+sentences",
    )
    parser.add_argument("--skip-plain", action="store_true", help="only our pipeline")
    parser.add_argument("--quality", type=int, default=0,
                        help="score each index on the first N answerable dev questions "
                             "(needs --limit 0)")
    args = parser.parse_args()
    if args.quality and args.limit:
        parser.error("--quality needs the whole corpus (--limit 0)")
    setup_offline()
    from assistant.models.onnx_session import available_cores, cpu_isa

    print(f"CPU flags: {' '.join(cpu_isa()) or 'unknown'}; cores available "
          f"{available_cores()} (onnxruntime intra-op threads)", flush=True)
    questions: list[Any] = []
    if args.quality:
        from assistant.evals.benchmarks import benchmark_questions

        answerable = [q for q in benchmark_questions("multihop-rag") if q.answerable]
        questions = answerable[: args.quality]
    workdir = Path(tempfile.mkdtemp(prefix="ingest-speed-"))
    corpus = MULTIHOP_CORPUS
    if args.limit:
        rows = json.loads(MULTIHOP_CORPUS.read_text(encoding="utf-8"))[: args.limit]
        corpus = workdir / "corpus.json"
        corpus.write_text(json.dumps(rows), encoding="utf-8")
    from assistant.models.embeddings import ArticleEmbeddings

    began = time.perf_counter()
    reference = ArticleEmbeddings(quantization="none")  # the plain pipeline runs fp32 torch
    model = reference.model
    print(f"model load {time.perf_counter() - began:.1f} s, rss {rss_mb():.0f} MB", flush=True)
    tokenizer, limit = model.tokenizer, model.max_seq_length

    runs: list[Run] = []
    base: Run | None = None
    try:
        if not args.skip_plain:
            base, texts = plain_pipeline(corpus, workdir, model)
            base.tokens = count_tokens(tokenizer, texts, limit)
            runs.append(base)
            print(base.line(None), f"peak rss {peak_rss_mb():.0f} MB", flush=True)
        for mode in [m.strip() for m in args.ours.split(",") if m.strip()]:
            run, texts, data_dir = our_pipeline(corpus, workdir, mode)
            run.tokens = count_tokens(tokenizer, texts, limit)
            runs.append(run)
            print(run.line(base), f"peak rss {peak_rss_mb():.0f} MB", flush=True)
            gc.collect()
            seconds, unchanged = reingest(data_dir, corpus, mode)
            print(f"  re-ingest unchanged ({mode}): {seconds:.2f} s, {unchanged} unchanged "
                  f"(target < 5 s: {'pass' if seconds < 5 else 'FAIL'})", flush=True)
            if questions:
                print(f"  quality ({mode}, {len(questions)} questions): "
                      f"{quality(data_dir, mode, questions)}", flush=True)
        print()
        print(f"{'pipeline':24} {'articles':>8} {'chunks':>7} {'wall s':>8} {'chunks/s':>8} "
              f"{'tokens/s':>8} {'speedup':>7} {'cpu s':>8} {'cpu-x':>7}")
        for run in runs:
            print(run.line(base))
        print(f"peak RSS of this process (all pipelines, one model each): {peak_rss_mb():.0f} MB")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
