"""Embedding speed levers on real chunks: batch size, int8 quantisation (all Linear layers, or
all but the feed-forward outputs) and a shorter token cap, each against fp32 in the same run,
with cosine to fp32. Token rates count the tokens of the fp32 run (what a chunk holds), so a
capped model's rate says how fast whole chunks go through, not how many tokens it read.

    .venv/bin/python -m benchmarks.embedding_levers --chunks 256
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.common import MULTIHOP_CORPUS, corpus_chunk_texts, setup_offline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=256, help="real chunks to embed per config")
    parser.add_argument("--repeat", type=int, default=1, help="timing repeats (best is kept)")
    args = parser.parse_args()
    setup_offline()
    from assistant.models.embeddings import ArticleEmbeddings

    texts = corpus_chunk_texts(MULTIHOP_CORPUS, limit_chunks=args.chunks)
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
    print(f"{len(texts)} chunks, mean {np.mean([len(t) for t in texts]):.0f} chars")
    print(f"{'config':26} {'seconds':>8} {'chunks/s':>9} {'tokens/s':>9} {'ratio':>6} "
          f"{'cos mean':>9} {'cos min':>8}")
    for label, options in configs:
        model = ArticleEmbeddings(**options)  # type: ignore[arg-type]
        model.encode(texts[:8])  # load + warm up outside the timing
        if not tokens and not model.max_tokens:
            tokenizer = model.model.tokenizer
            limit = model.model.max_seq_length
            tokens = sum(min(len(tokenizer(t)["input_ids"]), limit) for t in texts)
        best = float("inf")
        vectors = np.empty(0)
        for _ in range(args.repeat):
            began = time.perf_counter()
            vectors = model.encode(texts)
            best = min(best, time.perf_counter() - began)
        if reference is None:
            reference, base_rate = vectors, tokens / best
        cosines = np.sum(vectors * reference, axis=1)
        rate = tokens / best
        print(f"{label:26} {best:8.2f} {len(texts) / best:9.1f} {rate:9.0f} "
              f"{rate / base_rate:6.2f} {cosines.mean():9.4f} {cosines.min():8.4f}", flush=True)


if __name__ == "__main__":
    main()
