"""Embedding speed levers on real chunks, each against torch fp32 in the same run, with cosine
to fp32.

Torch levers (default): batch size, int8 quantisation (all Linear layers, or all but the
feed-forward outputs) and a shorter token cap. Token rates count the tokens of the fp32 run (what
a chunk holds), so a capped model's rate says how fast whole chunks go through, not how many
tokens it read.

ONNX levers (`--onnx`): the model exported to onnxruntime, fp32 and int8 variants (per-tensor or
per-channel weight scales, 7-bit weights, feed-forward outputs kept fp32). For each: cosine to
torch fp32 over the chunks and over MultiHop-RAG questions (mean, min, 1st percentile), how many
of each question's 10 nearest chunks stay the same, and chunks/s against torch fp32.

    .venv/bin/python -m benchmarks.embedding_levers --chunks 256
    .venv/bin/python -m benchmarks.embedding_levers --onnx --chunks 3000 --timing-chunks 1000
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchmarks.common import (
    MULTIHOP_CORPUS,
    corpus_chunk_texts,
    multihop_queries,
    setup_offline,
)


def torch_levers(texts: list[str], repeat: int) -> None:
    from assistant.models.embeddings import ArticleEmbeddings

    configs: list[tuple[str, dict[str, object]]] = [
        ("fp32 batch 32 (default)", {}),
        ("fp32 batch 16", {"batch_size": 16}),
        ("fp32 batch 64", {"batch_size": 64}),
        ("int8 batch 32", {"quantization": "int8"}),
        ("int8-all batch 32", {"quantization": "int8-all"}),
        ("fp32 max 128 tokens", {"max_tokens": 128}),
        ("int8 max 128 tokens", {"quantization": "int8", "max_tokens": 128}),
        ("int8-all max 128 tokens", {"quantization": "int8-all", "max_tokens": 128}),
    ]
    reference: np.ndarray | None = None
    tokens = 0
    base_rate = 0.0
    print(f"{'config':26} {'seconds':>8} {'chunks/s':>9} {'tokens/s':>9} {'ratio':>6} "
          f"{'cos mean':>9} {'cos min':>8}")
    for label, options in configs:
        model = ArticleEmbeddings(**options)  # type: ignore[arg-type]
        model.encode(texts[:8])  # load + warm up outside the timing
        if not tokens and not model.max_tokens:
            tokens = token_count(model, texts)
        best, vectors = timed(model.encode, texts, repeat)
        if reference is None:
            reference, base_rate = vectors, tokens / best
        cosines = np.sum(vectors * reference, axis=1)
        rate = tokens / best
        print(f"{label:26} {best:8.2f} {len(texts) / best:9.1f} {rate:9.0f} "
              f"{rate / base_rate:6.2f} {cosines.mean():9.4f} {cosines.min():8.4f}", flush=True)


def token_count(model: object, texts: list[str]) -> int:
    st = model.model  # type: ignore[attr-defined]
    limit = st.max_seq_length
    return sum(min(len(ids), limit) for ids in st.tokenizer(texts)["input_ids"])


def timed(
    encode: Callable[[list[str]], np.ndarray], texts: list[str], repeat: int
) -> tuple[float, np.ndarray]:
    best = float("inf")
    vectors = np.empty(0)
    for _ in range(repeat):
        began = time.perf_counter()
        vectors = encode(texts)
        best = min(best, time.perf_counter() - began)
    return best, vectors


def cosine_stats(vectors: np.ndarray, reference: np.ndarray) -> str:
    cosines = np.sum(vectors * reference, axis=1)
    return f"{cosines.mean():8.5f} {cosines.min():8.5f} {np.percentile(cosines, 1):8.5f}"


def top10_overlap(chunks: np.ndarray, questions: np.ndarray, ref_chunks: np.ndarray,
                  ref_questions: np.ndarray) -> float:
    """Mean share of each question's 10 nearest chunks (dense only) that fp32 also ranks in
    its 10 nearest."""
    mine = np.argsort(-(questions @ chunks.T), axis=1)[:, :10]
    theirs = np.argsort(-(ref_questions @ ref_chunks.T), axis=1)[:, :10]
    return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(mine, theirs, strict=True)]))


def onnx_levers(texts: list[str], timing_chunks: int, questions: int, repeat: int,
                batch_size: int, cache_dir: Path | None) -> None:
    from assistant.models.embeddings import ArticleEmbeddings, resolve_model_path
    from assistant.models.onnx_embedder import ExportOptions, OnnxEmbedder
    from assistant.models.onnx_session import available_cores

    queries = [str(q["query"]) for q in multihop_queries()][:questions]
    timing = texts[:timing_chunks]
    reference = ArticleEmbeddings(batch_size=batch_size)
    reference.encode(texts[:8])
    tokens = token_count(reference, timing)
    print(f"torch threads {__import__('torch').get_num_threads()}, onnxruntime intra-op threads "
          f"{available_cores()}; timing on {len(timing)} chunks ({tokens} tokens), best of "
          f"{repeat}; cosine on {len(texts)} chunks and {len(queries)} questions")
    ref_seconds, _ = timed(reference.encode, timing, repeat)
    ref_chunks = reference.encode(texts)
    ref_questions = reference.encode(queries)
    candidates: list[tuple[str, ExportOptions]] = [
        ("onnx fp32", ExportOptions()),
        ("onnx int8 per-tensor", ExportOptions(int8=True, per_channel=False)),
        ("onnx int8 per-tensor ffn32", ExportOptions(int8=True, per_channel=False,
                                                     fp32_ffn_output=True)),
        ("onnx int8 per-channel", ExportOptions(int8=True)),
        ("onnx int8 pc ffn32", ExportOptions(int8=True, fp32_ffn_output=True)),
        ("onnx int8 pc 7-bit", ExportOptions(int8=True, reduce_range=True)),
        ("onnx int8 pc 7-bit ffn32", ExportOptions(int8=True, reduce_range=True,
                                                   fp32_ffn_output=True)),
    ]
    header = (f"{'path':28} {'chunks/s':>8} {'tokens/s':>8} {'vs torch':>8} "
              f"{'chunk cos mean / min / p1':>26} {'question cos mean / min / p1':>28} "
              f"{'top10':>6}")
    print(header)
    print(f"{'torch fp32 (sentence-tf.)':28} {len(timing) / ref_seconds:8.1f} "
          f"{tokens / ref_seconds:8.0f} {1.0:8.2f} {'1 (reference)':>26} {'':>28} {1.0:6.3f}",
          flush=True)
    model_dir = resolve_model_path("all-MiniLM-L6-v2")
    for label, options in candidates:
        embedder = OnnxEmbedder(model_dir, options, cache_dir=cache_dir).load()

        def encode(batch: list[str], embedder: OnnxEmbedder = embedder) -> np.ndarray:
            return embedder.encode(batch)  # one text per run, one core each

        encode(texts[:8])
        seconds, _ = timed(encode, timing, repeat)
        chunks, asked = encode(texts), encode(queries)
        overlap = top10_overlap(chunks, asked, ref_chunks, ref_questions)
        print(f"{label:28} {len(timing) / seconds:8.1f} {tokens / seconds:8.0f} "
              f"{ref_seconds / seconds:8.2f}   {cosine_stats(chunks, ref_chunks)} "
              f"    {cosine_stats(asked, ref_questions)} {overlap:6.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=256, help="real chunks to embed per config")
    parser.add_argument("--repeat", type=int, default=1, help="timing repeats (best is kept)")
    parser.add_argument("--onnx", action="store_true", help="the onnxruntime candidates")
    parser.add_argument("--timing-chunks", type=int, default=1000,
                        help="--onnx: the first N chunks are timed (all are used for cosine)")
    parser.add_argument("--questions", type=int, default=851, help="--onnx: MultiHop questions")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="--onnx: where the builds go (default: the user cache)")
    args = parser.parse_args()
    setup_offline()
    from assistant.models.onnx_session import cpu_isa

    texts = corpus_chunk_texts(MULTIHOP_CORPUS, limit_chunks=args.chunks)
    print(f"CPU flags: {' '.join(cpu_isa()) or 'unknown'}")
    print(f"{len(texts)} chunks, mean {np.mean([len(t) for t in texts]):.0f} chars")
    if args.onnx:
        onnx_levers(texts, args.timing_chunks, args.questions, args.repeat, args.batch_size,
                    args.cache_dir)
    else:
        torch_levers(texts, args.repeat)


if __name__ == "__main__":
    main()
