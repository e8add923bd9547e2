"""Embed the first N MultiHop-RAG chunks with one embedding mode, meant to run under valgrind,
whose virtual CPU has AVX2 and no AVX-512: torch and onnxruntime then take their AVX2 kernels,
so the instruction counts tell how the modes compare on a CPU without VNNI. Counts are repeatable
whatever else the machine is doing. Run each mode twice, with --chunks 0 (load only) and with
--chunks N; the difference is the embedding's own count:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        python -m benchmarks.embedder_instructions --mode none --chunks 64 2>&1 | grep Collected
"""

from __future__ import annotations

import argparse

from benchmarks.common import MULTIHOP_CORPUS, corpus_chunk_texts, setup_offline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="none", help="EMBEDDING_QUANTIZATION value")
    parser.add_argument("--chunks", type=int, default=64, help="0: load the model only")
    args = parser.parse_args()
    setup_offline()
    from assistant.models.embeddings import ArticleEmbeddings

    texts = corpus_chunk_texts(MULTIHOP_CORPUS, limit_chunks=args.chunks) if args.chunks else []
    model = ArticleEmbeddings(quantization=args.mode, threads=1)
    model.encode(["load the model"])
    if texts:
        vectors = model.encode(texts)
        print(f"{args.mode}: {len(texts)} chunks embedded, dimension {vectors.shape[1]}")


if __name__ == "__main__":
    main()
