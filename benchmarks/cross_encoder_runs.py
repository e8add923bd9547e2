"""How the cross-encoder runs its pairs: padded batches on all cores (how it ran before) against
one pair per run, one core each (how it runs now), in the same process on the same pairs.

Prints the time per pair of each and their ratio, and how far a pair's score moves when it is
read beside other pairs: the int8 model quantises its activations with one scale per run, so in
a batch a pair's score depends on its batch-mates; alone it does not. Pairs: MultiHop-RAG dev
questions, each with sentences of corpus articles (no index needed).

    .venv/bin/python -m benchmarks.cross_encoder_runs --questions 20 --sentences 20
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from benchmarks.common import multihop_articles, multihop_queries, setup_offline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--sentences", type=int, default=20, help="sentences per question")
    parser.add_argument("--batch-size", type=int, default=16, help="the batched baseline's")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    setup_offline()

    import numpy as np

    from assistant.models.cross_encoder import DISTRIBUTION, FILE_HASHES, FOLDER, CrossEncoder
    from assistant.models.onnx_session import (
        available_cores,
        inference_session,
        length_sorted_batches,
        packaged_model_dir,
        pad,
    )
    from assistant.text.sentences import split_sentences

    rng = random.Random(0)
    sentences = [
        article["body"][s.start : s.end]
        for article in rng.sample(multihop_articles(), 60)
        for s in split_sentences(article["body"])[:8]
    ]
    questions = [str(q["query"]) for q in multihop_queries()][::7][: args.questions]
    pairs = [(q, s) for q in questions for s in rng.sample(sentences, args.sentences)]

    model = CrossEncoder().load()  # one pair per run, one core each: the code as it runs
    assert model._tokenizer is not None
    encodings = model._tokenizer.encode_batch(pairs)
    lengths = [len(e.ids) for e in encodings]
    batched_session = inference_session(
        packaged_model_dir(DISTRIBUTION, FOLDER, FILE_HASHES) / "model.onnx"
    )

    def batched() -> np.ndarray:
        """Each question's pairs in length-sorted padded batches on all cores."""
        out = np.zeros(len(pairs), dtype=np.float32)
        for begin in range(0, len(pairs), args.sentences):
            rows = list(range(begin, begin + args.sentences))
            for batch in length_sorted_batches([lengths[i] for i in rows], args.batch_size):
                chosen = [rows[i] for i in batch]
                feeds = {
                    "input_ids": pad([encodings[i].ids for i in chosen]),
                    "attention_mask": pad([encodings[i].attention_mask for i in chosen]),
                    "token_type_ids": pad([encodings[i].type_ids for i in chosen]),
                }
                out[chosen] = batched_session.run(None, feeds)[0].reshape(-1)
        return out

    def one_per_core() -> np.ndarray:
        model.forget()
        return model.score_pairs(pairs)

    def timed(run: Callable[[], np.ndarray]) -> tuple[float, np.ndarray]:
        run()  # warm up
        best, scores = float("inf"), np.zeros(0)
        for _ in range(args.repeats):
            began = time.perf_counter()
            scores = run()
            best = min(best, time.perf_counter() - began)
        return best, scores

    batched_s, batched_scores = timed(batched)
    single_s, single_scores = timed(one_per_core)
    print(
        f"{len(pairs)} pairs ({len(questions)} questions x {args.sentences} sentences), "
        f"{sum(lengths) / len(lengths):.0f} tokens a pair, {available_cores()} cores"
    )
    print(
        f"padded batches of {args.batch_size} on all cores: {batched_s * 1000 / len(pairs):.2f}"
        f" ms a pair"
    )
    print(
        f"one pair per run, one core each:     {single_s * 1000 / len(pairs):.2f} ms a pair "
        f"({batched_s / single_s:.2f}x)"
    )

    drift = np.abs(batched_scores - single_scores)
    print(
        f"a pair's score in a batch against alone: mean |change| {drift.mean():.3f}, "
        f"max {drift.max():.3f}"
    )
    model.forget()
    shuffled = list(range(len(pairs)))
    rng.shuffle(shuffled)
    again = model.score_pairs([pairs[i] for i in shuffled])
    same = bool((again == single_scores[shuffled]).all())
    print(f"one pair per run, read again in another order and company: identical scores: {same}")


if __name__ == "__main__":
    main()
