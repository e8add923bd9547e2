"""One frozen Settings object, read from ASSISTANT_* environment variables or a TOML file."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

ENV_PREFIX = "ASSISTANT_"


@dataclass(frozen=True)
class Settings:
    """Everything that can be configured. Passed explicitly; there is no module-level state."""

    data_dir: Path = Path(".assistant")
    chroma_url: str | None = None
    collection: str = "articles"
    embedding_model: str = "all-MiniLM-L6-v2"
    embedding_batch_size: int = 32
    # torch: "none" (fp32), "int8", "int8-all"; ONNX Runtime: "onnx", "onnx-int8"
    # (see models/embeddings.QUANTIZATIONS); the vectors' identity is recorded in the index.
    # "auto": what an existing index was built with, "onnx-int8-rr" for a new one.
    embedding_quantization: str = "auto"
    embedding_max_tokens: int = 0  # tokens of each chunk the model reads; 0 = the model's limit
    embedding_threads: int = 0  # 0: torch's default, or on ONNX Runtime the cores available
    chunk_chars: int = 1000
    chunk_overlap_sentences: int = 1
    max_file_mb: float = 16.0
    max_question_chars: int = 2000
    # Retrieval: BM25 is the stronger signal on news; dense breaks ties and catches paraphrase.
    k: int = 10
    candidates: int = 100
    bm25_weight: float = 1.0
    dense_weight: float = 0.2
    max_passages_per_article: int = 5
    # Query analysis: per-clause, per-outlet retrieval merged round-robin (retrieval/clauses.py).
    query_analysis: bool = True
    clause_pool: int = 150
    sentence_weight: float = 0.5
    # Pseudo-relevance feedback (retrieval/feedback.py): words added to the clause searches, and
    # their weight against the clause's own words. 0 terms switches it off.
    feedback_terms: int = 5
    feedback_weight: float = 0.3
    # Sentence vectors (index/sentence_vectors.py): every sentence embedded at ingest (about
    # twice the embedding work), and clause candidates scored by their closest sentence.
    sentence_vectors: bool = False
    sentence_vector_weight: float = 1.0
    # Answering
    answer_sentences: int = 3
    answer_passages: int = 4
    semantic_sentences: bool = False
    abstain_threshold: float = 0.16  # share of the question's (idf-weighted) words covered
    abstain_similarity: float = 0.45
    # The relevance model that picks answer sentences and decides abstention (see
    # models/cross_encoder.py): "cross-encoder", or "none" for the fast profile (word overlap only).
    reranker: str = "cross-encoder"
    rerank_passages: int = 5  # passages whose sentences are candidates
    rerank_sentences: int = 12  # of those, the ones the cross-encoder reads
    # Abstain when the best sentence's cross-encoder score is below this (a question of one
    # clause), below the second (several clauses), or below the third (the question has a
    # word no article has); or when no sentence covers `abstain_threshold` of its words.
    abstain_score: float = -2.0
    abstain_score_multi_clause: float = -7.0
    abstain_score_unknown_name: float = 3.0
    # "What did X say about Y?" quotes X's own statements first, when the best of them scores
    # at least this: the speaker's name alone lifts the score of any statement of theirs, on
    # the topic or not ("Tim Sweeney says he plays Jellie in Fortnite" for what he said about
    # Apple). Below it, the question is answered from all the passages.
    said_by_min_score: float = 4.0
    # An outlet's column in an answer another column already answers: its passages were found
    # for the question, so its best sentence is quoted down to this score (and the word-coverage
    # rule is off) before the answer says the outlet has no matching report.
    column_abstain_score: float = -7.0
    # A column's question of several clauses scores low as a whole against every sentence (the
    # model was trained on short queries): its sentences are read against each clause too, and
    # the one that answers a clause at least this well is quoted. `clause_answer_score` is that
    # bar on the answerer that reads columns (None elsewhere: the clauses are not read).
    column_clause_score: float = 0.0
    clause_answer_score: float | None = None
    coverage_rule_below_score: float = 5.0  # the word-coverage rule holds below this score
    # ... unless the sentence to quote says the question in other words: the model scores it
    # at least `paraphrase_min_score` and its meaning is this close (embedding cosine) to the
    # question's. Above 1: words alone decide.
    paraphrase_similarity: float = 0.45
    paraphrase_min_score: float = 0.0
    answer_score_margin: float = 2.0  # further sentences quoted within this of the best
    # Abstain when the best sentence gives another number than a one-clause question takes as
    # given ("How are the 83 MSPs chosen?" and the sentence is about 73; answer/numbers.py).
    decline_other_numbers: bool = True
    # Abstain when a one-clause "how many" question's best sentence never names what it counts
    # and counts something else ("How many soldiers ...?" / "wounding two civilians").
    decline_other_counts: bool = True
    # Abstain when a one-clause question asks how something turned out ("What did the mission
    # conclude?") and the best sentence only says it is to come (answer/pending.py).
    decline_pending_events: bool = True
    # Abstain when a one-clause "what did X say about Y" question's best sentence shares no
    # word of Y and scores below `said_by_min_score` (answer/reranked.py).
    decline_off_topic_statements: bool = True
    # Multi-part questions: the first `clause_rerank_depth` passages re-ordered by the
    # cross-encoder clause by clause (retrieval/rerank.py); 0 switches it off.
    clause_rerank_depth: int = 25
    clause_rerank_prior: float = 5.0  # weight of the pipeline's own order against the model
    # Of those, the model reads for each clause the ones sharing most of its words (0: all).
    clause_rerank_shortlist: int = 0
    # News layouts (answer/layout.py): a column per outlet for a question comparing outlets,
    # citations as a timeline for a question about order in time.
    news_layouts: bool = True
    # "What happened on November 17?": stories of the period quoted at most (answer/digest.py).
    digest_stories: int = 8
    llm: str | None = None
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_timeout_s: float = 60.0
    llm_model_path: Path | None = None  # GGUF file for ASSISTANT_LLM=llamacpp (in-process)
    llm_api_key_env: str = "OPENAI_API_KEY"  # env var holding the key for ASSISTANT_LLM=openai
    llm_temperature: float = 0.0
    llm_max_tokens: int = 384
    llm_context_tokens: int = 4096  # n_ctx for in-process llama.cpp
    llm_passages: int = 5  # passages shown to the model (prompt size drives CPU latency)
    # Chat page
    host: str = "127.0.0.1"
    port: int = 7860
    max_upload_mb: float = 16.0
    max_upload_files: int = 20  # files per upload; the rest are refused with a message
    chat_concurrency: int = 4
    # Gradio login, used when both are set; serve refuses a non-loopback host without it
    # unless allow_public_without_auth says so.
    auth_user: str | None = None
    auth_password: str | None = None
    allow_public_without_auth: bool = False

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from a TOML file (ASSISTANT_CONFIG), then ASSISTANT_* variables, then
        keyword overrides, later ones winning."""
        env = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        config_path = env.get(f"{ENV_PREFIX}CONFIG")
        if config_path:
            values.update(_read_toml(Path(config_path)))
        known = {f.name: f for f in fields(cls)}
        for name in known:
            raw = env.get(ENV_PREFIX + name.upper())
            if raw is not None and raw != "":
                values[name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(known)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(
            **{name: _coerce(name, known[name].type, value) for name, value in values.items()}
        )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"config file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    return dict(data.get("assistant", data))


def _coerce(name: str, annotation: Any, value: Any) -> Any:
    kind = str(annotation)
    try:
        if "Path" in kind:
            return Path(value).expanduser()
        if kind.startswith("int"):
            return int(value)
        if kind.startswith("float"):
            return float(value)
        if kind.startswith("bool"):
            return str(value).lower() in {"1", "true", "yes", "on"}
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name} must be {kind}, got {value!r}") from exc
    if kind.startswith("str") and value is not None:
        return str(value)
    return value
