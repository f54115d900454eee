"""The Chroma seam: client, collection, embedding function, metadata and errors.

Everything that touches ``chromadb`` lives here, so vendor exceptions are translated
into :class:`claims.errors.StoreError` in one place.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.collection_configuration import CreateHNSWConfiguration
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError
from chromadb.utils.embedding_functions import register_embedding_function

from claims.errors import ConfigError, StoreError
from claims.models import Passage, Span
from claims.protocols import Embedder
from claims.redaction import redact

DEFAULT_PORT = 8000


@register_embedding_function
class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our embedder.

    Registered under :meth:`name`, so a collection reopened in a new process builds
    this class from its stored config instead of falling back to Chroma's default
    model (which would try to download weights).
    """

    def __init__(self, embedder: Embedder | None = None) -> None:
        if embedder is None:
            from retrieval.embedder import default_embedder

            embedder = default_embedder()
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embedder.embed(list(input)))

    @staticmethod
    def name() -> str:
        return "claimscope-minilm"

    def get_config(self) -> dict[str, Any]:
        return {"model": self.embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        from retrieval.embedder import MiniLMEmbedder, default_embedder

        model = config.get("model", MiniLMEmbedder.name)
        if model != MiniLMEmbedder.name:
            raise ValueError(
                f"collection was embedded with {model!r}, which claimscope cannot rebuild"
            )
        return ChromaEmbeddingFunction(default_embedder())

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    def is_legacy(self) -> bool:
        return False


@contextmanager
def store_errors(action: str, where: str) -> Iterator[None]:
    """Translate whatever chromadb, sqlite or the OS raise into a one-line StoreError."""
    import httpx

    try:
        yield
    except StoreError:
        raise
    except (ChromaError, sqlite3.Error, OSError, httpx.HTTPError, ValueError, RuntimeError) as exc:
        raise StoreError(f"cannot {action} the knowledge base at {where}: {_reason(exc)}") from exc


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    lowered = text.lower()
    if "not a directory" in lowered or "read-only" in lowered or "permission denied" in lowered:
        return f"the directory is not writable ({text})"
    if "not a database" in lowered or "malformed" in lowered:
        return f"the store is corrupt or not a Chroma store ({text})"
    if "could not connect" in lowered or "connect" in lowered and "refused" in lowered:
        return "the Chroma server is unreachable; is it running?"
    return text


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """``(host, port, ssl)`` of a Chroma server URL such as ``http://127.0.0.1:8000``."""
    try:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        parts.hostname  # noqa: B018  (parsing a bracketed host can raise here too)
    except ValueError as exc:
        raise ConfigError(f"invalid Chroma URL {redact(url)!r}: {exc}") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError(f"invalid Chroma URL {redact(url)!r}: expected http://HOST:PORT")
    try:
        port = parts.port
    except ValueError:
        raise ConfigError(f"invalid port in Chroma URL {redact(url)!r}") from None
    ssl = parts.scheme == "https"
    return parts.hostname, port or (443 if ssl else DEFAULT_PORT), ssl


def open_client(
    chroma_dir: Path, chroma_url: str | None, *, timeout_s: float = 30.0
) -> tuple[ClientAPI, str]:
    """A Chroma client (server when ``chroma_url`` is set, else embedded) and where it points.

    A server must answer every request within ``timeout_s`` (connect and each read).
    """
    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        host, port, ssl = parse_chroma_url(chroma_url)
        where = redact(chroma_url)  # named in messages: never with its credentials
        _heartbeat(host, port, ssl, timeout_s, where)
        with store_errors("reach", where):
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=settings)
        _bound_requests(client, timeout_s)
        return client, where
    path = Path(chroma_dir).expanduser()
    where = str(path)
    if path.exists() and not path.is_dir():
        raise StoreError(
            f"cannot open the knowledge base at {where}: it is a file, not a folder; "
            "move it away or choose another data directory"
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the knowledge base at {where}: the directory is not writable "
            f"({exc.strerror or exc})"
        ) from None
    if not os.access(path, os.W_OK):
        raise StoreError(
            f"cannot open the knowledge base at {where}: the directory is not writable"
        )
    refuse_foreign_database(path / "chroma.sqlite3", where)
    with store_errors("open", where):
        return chromadb.PersistentClient(str(path), settings=settings), where


def _heartbeat(host: str, port: int, ssl: bool, timeout_s: float, where: str) -> None:
    """Ask the server for its heartbeat first, with a timeout: chromadb's own client waits
    without limit, so a listener that never answers would hang the constructor."""
    import httpx

    scheme = "https" if ssl else "http"
    bracketed = f"[{host}]" if ":" in host else host
    try:
        httpx.get(f"{scheme}://{bracketed}:{port}/api/v2/heartbeat", timeout=timeout_s)
    except httpx.TimeoutException:
        raise StoreError(
            f"the Chroma server at {where} did not answer within {timeout_s:g} s "
            "(CLAIMSCOPE_CHROMA_TIMEOUT_S)"
        ) from None
    except httpx.HTTPError as exc:
        raise StoreError(
            f"cannot reach the knowledge base at {where}: the Chroma server is unreachable "
            f"({type(exc).__name__}: {exc or 'no answer'}); is it running?"
        ) from None


def _bound_requests(client: ClientAPI, timeout_s: float) -> None:
    """Give chromadb's HTTP session a timeout (it creates it with ``timeout=None``).

    This reaches into chromadb's client (``_server._session``, an ``httpx.Client``)
    because chromadb 1.5 offers no setting for it; if that layout changes, the
    heartbeat above still bounds the first contact and a warning says the rest is not.
    """
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout_s)
    else:
        logging.getLogger(__name__).warning(
            "cannot set a timeout on chromadb's HTTP client; a stalled server may hang requests"
        )


CHROMA_TABLES = {"collections", "segments", "embeddings", "embeddings_queue"}


def refuse_foreign_database(database: Path, where: str) -> None:
    """Refuse, without touching it, a database file that is not a Chroma store.

    Chroma would initialise an empty or foreign SQLite file in place; a user who
    pointed claimscope at the wrong folder would lose that file's meaning.
    """
    if not database.exists():
        return
    if database.is_dir():
        raise StoreError(f"cannot open the knowledge base at {where}: {database} is a folder")
    if database.stat().st_size == 0:
        raise StoreError(
            f"cannot open the knowledge base at {where}: {database.name} is empty (0 bytes); "
            "move it away to start a new store"
        )
    try:
        with database.open("rb") as handle:
            header = handle.read(16)
        if header != b"SQLite format 3\x00":
            raise StoreError(
                f"cannot open the knowledge base at {where}: {database.name} is not an SQLite "
                "database (the store is corrupt or not a Chroma store)"
            )
        uri = f"{database.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as connection:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(
            f"cannot open the knowledge base at {where}: the store is corrupt or not a Chroma "
            f"store ({exc})"
        ) from None
    if not CHROMA_TABLES <= tables:
        raise StoreError(
            f"cannot open the knowledge base at {where}: {database.name} is an SQLite database "
            "of another program, not a Chroma store; it was left untouched"
        )


def open_collection(client: ClientAPI, name: str, embedder: Embedder, where: str) -> Collection:
    with store_errors("open", where):
        return client.get_or_create_collection(
            name,
            configuration={"hnsw": {"space": "cosine"}},
            # Chroma types the parameter for text-or-image functions; ours embeds text only.
            embedding_function=ChromaEmbeddingFunction(embedder),  # type: ignore[arg-type]
        )


# Sentence vectors are only ever fetched by id, never searched by similarity, but
# Chroma indexes every vector: a sparse graph keeps that cheap at ingest.
SENTENCE_HNSW: CreateHNSWConfiguration = {
    "space": "cosine",
    "ef_construction": 16,
    "max_neighbors": 4,
}


def open_sentence_collection(
    client: ClientAPI, name: str, embedder: Embedder, where: str
) -> Collection:
    """The collection of a store's sentence vectors (``<passage id>:<sentence index>``)."""
    with store_errors("open", where):
        return client.get_or_create_collection(
            name,
            configuration={"hnsw": SENTENCE_HNSW},
            embedding_function=ChromaEmbeddingFunction(embedder),  # type: ignore[arg-type]
        )


def passage_metadata(passage: Passage) -> dict[str, Any]:
    """Flat Chroma metadata (no None values, which Chroma rejects)."""
    meta: dict[str, Any] = {
        "source": passage.source,
        "doc_id": passage.doc_id,
        "start": passage.start,
        "end": passage.end,
        "sentences": json.dumps([[s.start, s.end] for s in passage.sentences]),
    }
    if passage.title:
        meta["title"] = passage.title
    if passage.url:
        meta["url"] = passage.url
    if passage.published:
        meta["published"] = passage.published.isoformat()
        meta["published_ord"] = passage.published.toordinal()
    if passage.ingested_at:
        meta["ingested_at"] = passage.ingested_at.isoformat()
    if passage.kind:
        meta["kind"] = passage.kind
    if passage.retrieved_at:
        meta["retrieved_at"] = passage.retrieved_at.isoformat()
    return meta


def passage_from_record(pid: str, text: str, meta: dict[str, Any]) -> Passage:
    """Rebuild a :class:`Passage` from what Chroma stores."""
    sentences = [Span.of(text, s, e) for s, e in json.loads(meta.get("sentences") or "[]")]
    published = meta.get("published")
    ingested_at = meta.get("ingested_at")
    retrieved_at = meta.get("retrieved_at")
    kind = meta.get("kind")
    return Passage(
        id=pid,
        doc_id=str(meta.get("doc_id", meta.get("source", ""))),
        text=text,
        source=str(meta.get("source", "")),
        title=meta.get("title"),
        url=meta.get("url"),
        published=date.fromisoformat(published) if published else None,
        ingested_at=datetime.fromisoformat(ingested_at) if ingested_at else None,
        kind=kind if kind in ("web", "wikipedia", "fact-check") else None,
        retrieved_at=datetime.fromisoformat(retrieved_at) if retrieved_at else None,
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", len(text))),
        sentences=sentences,
    )


def where_clause(source: str | None, published_before: date | None) -> dict[str, Any] | None:
    """Chroma ``where`` for the search filters (passages without a date never pass a date filter)."""
    terms: list[dict[str, Any]] = []
    if source:
        terms.append({"source": source})
    if published_before:
        terms.append({"published_ord": {"$lt": published_before.toordinal()}})
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else {"$and": terms}


def as_float32(vectors: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(vectors, dtype=np.float32)
