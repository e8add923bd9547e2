"""Chroma: an embedded PersistentClient in the data dir, or an HttpClient for a Chroma server.

We always pass precomputed vectors: Chroma's default embedding function would download a model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.errors import StoreMismatchError, StoreUnavailableError
from assistant.offline import enforce_offline
from assistant.schema import SearchFilter, day_number
from assistant.settings import Settings

# Writes go in slices: Chroma caps a single call (max_batch_size) and big calls hold locks long.
_WRITE_BATCH = 1000
HNSW_CONFIGURATION = {"hnsw": {"space": "cosine", "ef_search": 200, "ef_construction": 200}}


def _connection_errors() -> tuple[type[BaseException], ...]:
    import httpx

    return (httpx.HTTPError, ConnectionError, OSError)


class ChunkStore:
    """Chunk vectors, texts and filter metadata in one Chroma collection."""

    def __init__(self, settings: Settings, *, model_name: str, dimension: int) -> None:
        enforce_offline()
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.settings = settings
        self.model_name = model_name
        self.dimension = dimension
        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        self.location = settings.chroma_url or str(settings.chroma_dir)
        try:
            if settings.chroma_url:
                url = urlparse(settings.chroma_url)
                self.client = chromadb.HttpClient(
                    host=url.hostname or "127.0.0.1",
                    port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https",
                    settings=chroma_settings,
                )
            else:
                settings.chroma_dir.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(
                    path=str(settings.chroma_dir), settings=chroma_settings
                )
            self.collection = self.client.get_or_create_collection(
                settings.collection,
                configuration=HNSW_CONFIGURATION,  # type: ignore[arg-type]
                metadata={"embedding_model": model_name, "embedding_dim": dimension},
                embedding_function=None,
            )
        except _connection_errors() as exc:
            raise StoreUnavailableError(self._unreachable(exc)) from exc
        except ValueError as exc:
            if settings.chroma_url and "connect" in str(exc).lower():
                raise StoreUnavailableError(self._unreachable(exc)) from exc
            raise
        self._check_model()

    def _unreachable(self, exc: BaseException) -> str:
        return (
            f"cannot reach the Chroma server at {self.settings.chroma_url} ({exc}); start it "
            "with `chroma run --path DIR --host 127.0.0.1 --port 8000` "
            "or unset ASSISTANT_CHROMA_URL"
        )

    def _check_model(self) -> None:
        recorded = self.collection.metadata or {}
        model = recorded.get("embedding_model")
        dim = recorded.get("embedding_dim")
        if model != self.model_name or (dim is not None and int(dim) != self.dimension):
            raise StoreMismatchError(
                f"the index at {self.location} was built with embedding model {model} "
                f"({dim}-d), not {self.model_name} ({self.dimension}-d); rebuild it: delete "
                f"{self.settings.data_dir} (or use another ASSISTANT_DATA_DIR) and ingest again"
            )

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except _connection_errors() as exc:
            raise StoreUnavailableError(self._unreachable(exc)) from exc

    def count(self) -> int:
        return int(self._call(self.collection.count))

    def ids_for_article(self, article_id: str) -> set[str]:
        result = self._call(self.collection.get, where={"article_id": article_id}, include=[])
        return set(result["ids"])

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        documents: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        for begin in range(0, len(ids), _WRITE_BATCH):
            end = begin + _WRITE_BATCH
            self._call(
                self.collection.upsert,
                ids=list(ids[begin:end]),
                embeddings=vectors[begin:end],
                documents=list(documents[begin:end]),
                metadatas=list(metadatas[begin:end]),
            )

    def delete_ids(self, ids: Sequence[str]) -> None:
        for begin in range(0, len(ids), _WRITE_BATCH):
            self._call(self.collection.delete, ids=list(ids[begin : begin + _WRITE_BATCH]))

    def delete_article(self, article_id: str) -> None:
        self._call(self.collection.delete, where={"article_id": article_id})

    def query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) of the n nearest chunks, best first."""
        total = self.count()
        if total == 0:
            return []
        result = self._call(
            self.collection.query,
            query_embeddings=[vector],
            n_results=min(n, total),
            where=where or None,
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result.get("distances") else [1.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def as_vectorstore(self, embeddings: Any) -> Any:
        """The same collection as a LangChain `Chroma` vector store, for LangChain users."""
        from langchain_chroma import Chroma

        return Chroma(
            client=self.client,
            collection_name=self.settings.collection,
            embedding_function=embeddings,
        )


def chroma_where(filters: SearchFilter) -> dict[str, Any] | None:
    """`filters` in Chroma's metadata filter syntax, or None when it lets everything through."""
    clauses: list[dict[str, Any]] = []
    if filters.article_ids:
        clauses.append({"article_id": {"$in": list(filters.article_ids)}})
    if filters.sources:
        clauses.append({"source": {"$in": list(filters.sources)}})
    if filters.date_from:
        clauses.append({"published_day": {"$gte": day_number(filters.date_from)}})
    if filters.date_to:
        clauses.append({"published_day": {"$lte": day_number(filters.date_to)}})
        clauses.append({"published_day": {"$gt": 0}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
