"""The knowledge base: ingest documents into Chroma, search them by dense + BM25 fusion.

Ingest is two-phase so that a failure leaves the store as it was: every file is
read and chunked, and every new passage embedded, before the first write; if a
write fails, the passages already added by this ingest are deleted again.

Besides the passages' collection, a store holds:

* ``<collection>__sentences``: one vector per passage sentence (id ``<passage id>:<i>``),
  embedded at ingest, so ranking a found passage's sentences is a lookup and a dot
  product. A passage without them (a store written before they existed) has its
  sentences embedded at query time; ``kb repair`` fills them in.
* a BM25 snapshot of all passages saved on disk per collection revision
  (:class:`retrieval.lexical.LexicalStore`): beside an embedded store in its folder,
  for a Chroma server in the local cache, keyed by the server collection's revision.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from claims.errors import InputError, StoreError
from claims.models import Evidence, Passage, SearchFilters
from claims.protocols import Embedder
from claims.settings import Settings
from retrieval.chunking import chunk_document
from retrieval.documents import Document, IngestReport, SkippedFile
from retrieval.fusion import reciprocal_rank_fusion
from retrieval.lexical import LexicalIndex, LexicalStore, index_text, tokenize
from retrieval.loaders import load_paths, source_name
from retrieval.locking import (
    LOCK_COLLECTION_SUFFIX,
    ServerWriteLock,
    file_write_lock,
    server_write_lock,
)
from retrieval.store import (
    ChromaEmbeddingFunction,
    as_float32,
    open_client,
    open_collection,
    open_sentence_collection,
    passage_from_record,
    passage_metadata,
    store_errors,
    where_clause,
)

log = logging.getLogger(__name__)

EMBED_CHUNK = 256  # texts per embedder call during ingest: one progress-bar step
READ_PAGE = 5000  # records per `get` when snapshotting the collection
SENTENCE_CACHE_LIMIT = 20_000
LEXICAL_WEIGHT = 0.25  # share of query-word overlap in a sentence's match score
INDEX_PROBE = 20  # nearest neighbours asked for when checking the index at open
REBUILD_SUFFIX = "__rebuild"
SENTENCE_SUFFIX = "__sentences"
LEXICAL_FOLDER = "claimscope-lexical"  # inside an embedded store's folder


def open_knowledge_base(
    settings: Settings, embedder: Embedder | None = None, *, check_index: bool = True
) -> KnowledgeBase:
    """The knowledge base ``settings`` point at: a Chroma server if ``chroma_url`` is set,
    else the embedded store in ``settings.chroma_dir``.

    ``check_index``: fail with a StoreError naming ``claimscope kb repair`` when the
    vector index and the stored records disagree (``kb check`` / ``kb repair`` open
    without the check)."""
    if embedder is None:
        from retrieval.embedder import default_embedder

        embedder = default_embedder()
    client, where = open_client(
        settings.chroma_dir, settings.chroma_url, timeout_s=settings.chroma_timeout_s
    )
    kb = KnowledgeBase(
        client,
        embedder,
        collection=settings.collection,
        where=where,
        lock_dir=None if settings.chroma_url else Path(settings.chroma_dir).expanduser(),
        lock_timeout_s=settings.write_lock_timeout_s,
        lexical_dir=lexical_dir(settings),
    )
    if check_index:
        problem = kb.index_problem()
        if problem:
            raise StoreError(
                f"the knowledge base at {where} is damaged: {problem}; "
                "run `claimscope kb check` for details and `claimscope kb repair` to re-embed "
                "its passages"
            )
    return kb


def lexical_dir(settings: Settings) -> Path:
    """Where the BM25 snapshots of ``settings``' collection are saved: in an embedded
    store's folder, or for a Chroma server in the local cache (one folder per server)."""
    if settings.chroma_url:
        server = hashlib.sha256(settings.chroma_url.encode()).hexdigest()[:16]
        return settings.cache_dir / "lexical" / server / settings.collection
    return Path(settings.chroma_dir).expanduser() / LEXICAL_FOLDER / settings.collection


class KnowledgeBase:
    """Passages of the user's sources in one Chroma collection. Implements ``Retriever``."""

    def __init__(
        self,
        client: Any,
        embedder: Embedder,
        *,
        collection: str,
        where: str,
        lock_dir: Path | None = None,
        lock_timeout_s: float = 600.0,
        lexical_dir: Path | None = None,
    ) -> None:
        """``lock_dir``: the embedded store's data directory (None: a server, locked by record).
        ``lexical_dir``: where BM25 snapshots are saved (None: kept in memory only)."""
        self._client = client
        self._embedder = embedder
        self._name = collection
        self.where = where
        self._finish_interrupted_repair()
        self._collection = open_collection(client, collection, embedder, where)
        self._sentences = open_sentence_collection(
            client, f"{collection}{SENTENCE_SUFFIX}", embedder, where
        )
        self._lexical = LexicalStore(lexical_dir) if lexical_dir is not None else None
        self.lexical_builds = 0  # BM25 snapshots built from the records by this instance
        self.lexical_loads = 0  # ... and loaded from disk
        self.sentence_fallbacks = 0  # passages whose sentences were embedded at query time
        with store_errors("read", where):
            self._max_batch = int(client.get_max_batch_size())
        self._snapshot: LexicalIndex | None = None
        self._snapshot_revision: str | None = None
        self._sentence_vectors: dict[str, np.ndarray] = {}
        self._snapshot_lock = threading.Lock()  # the pipeline may search from several threads
        self._lock_dir = lock_dir
        self._lock_timeout_s = lock_timeout_s

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the store's write lock: one writer at a time, across processes."""
        if self._lock_dir is not None:
            with file_write_lock(self._lock_dir, timeout_s=self._lock_timeout_s, where=self.where):
                yield
            return
        with store_errors("lock", self.where):
            side = self._client.get_or_create_collection(
                f"{self._name}{LOCK_COLLECTION_SUFFIX}",
                embedding_function=ChromaEmbeddingFunction(self._embedder),
            )
        lock = ServerWriteLock(side, where=self.where)
        with store_errors("lock", self.where):
            with server_write_lock(lock, timeout_s=self._lock_timeout_s, where=self.where):
                yield

    # ---------------------------------------------------------------- ingest

    def ingest_paths(self, paths: Iterable[Path | str], *, progress: bool = True) -> IngestReport:
        """Ingest files and folders; files named explicitly must all load or nothing is written."""
        started = time.perf_counter()
        documents, skipped = load_paths([Path(p) for p in paths])
        return self._ingest(documents, skipped, progress=progress, started=started)

    def ingest_documents(
        self,
        documents: Sequence[Document],
        *,
        progress: bool = False,
        on_document: Callable[[int, int], None] | None = None,
    ) -> IngestReport:
        """Ingest documents; each source's passages become exactly those of the given documents.

        ``on_document(done, total)``: called as each document's passages are embedded (then
        they go one document after another), so a progress bar moves per document even
        inside one source; the store is still written once, at the end."""
        return self._ingest(
            list(documents), [], progress=progress, started=time.perf_counter(),
            on_document=on_document,
        )  # fmt: skip

    def _ingest(
        self,
        documents: list[Document],
        skipped: list[SkippedFile],
        *,
        progress: bool,
        started: float,
        on_document: Callable[[int, int], None] | None = None,
    ) -> IngestReport:
        # The lock covers reading what each source holds through the last write, so a
        # concurrent ingest sees this one's result instead of interleaving with it.
        with self.writing():
            return self._ingest_locked(
                documents, skipped, progress=progress, started=started, on_document=on_document
            )

    def _ingest_locked(
        self,
        documents: list[Document],
        skipped: list[SkippedFile],
        *,
        progress: bool,
        started: float,
        on_document: Callable[[int, int], None] | None = None,
    ) -> IngestReport:
        now = datetime.now(UTC)
        by_source: dict[str, dict[str, Passage]] = defaultdict(dict)
        for document in documents:
            by_source.setdefault(document.source, {})  # an emptied file still replaces its passages
            passages = chunk_document(document, ingested_at=now)
            if not passages:
                skipped.append(
                    SkippedFile(
                        path=document.source, reason=f"document {document.id!r} has no text"
                    )
                )
            for passage in passages:
                by_source[document.source].setdefault(
                    passage.id, passage
                )  # repeated text: keep the first
        new: list[Passage] = []
        stale: list[str] = []
        unchanged = 0
        for source, by_id in by_source.items():
            existing = set(self._ids_of_source(source))
            new.extend(p for pid, p in by_id.items() if pid not in existing)
            stale.extend(sorted(existing - by_id.keys()))
            unchanged += len(existing & by_id.keys())
        before = self._revision_key()
        if on_document is None:
            vectors, sentence_vectors = self._embed_passages(new, progress=progress)
        else:
            vectors, sentence_vectors = self._embed_by_document(new, documents, on_document)
        self._write(new, vectors, sentence_vectors, stale, progress=progress)
        if new or stale:
            self._refresh_snapshot(before, new, set(stale))
        return IngestReport(
            sources=sorted(by_source),
            documents=len(documents),
            passages=sum(len(p) for p in by_source.values()),
            added=len(new),
            unchanged=unchanged,
            removed=len(stale),
            skipped=skipped,
            seconds=time.perf_counter() - started,
        )

    def _embed_passages(
        self, passages: list[Passage], *, progress: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """The passages' vectors and their sentences' vectors (all sentences in order)."""
        texts = [index_text(p.title, p.text) for p in passages]
        texts += [s.text for p in passages for s in p.sentences]
        vectors = self._embed_all(texts, progress=progress)
        return vectors[: len(passages)], vectors[len(passages) :]

    def _embed_all(self, texts: list[str], *, progress: bool) -> np.ndarray:
        vectors = np.zeros((len(texts), 0), dtype=np.float32)
        # One global length order keeps padding small across the embedder's batches
        # (passages and their sentences together: sentences fill short batches).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with tqdm(
            total=len(texts), desc="embedding", unit="text", disable=not progress or not texts
        ) as bar:
            for lo in range(0, len(order), EMBED_CHUNK):
                idx = order[lo : lo + EMBED_CHUNK]
                batch = as_float32(self._embedder.embed([texts[i] for i in idx]))
                if vectors.shape[1] == 0:
                    vectors = np.zeros((len(texts), batch.shape[1]), dtype=np.float32)
                vectors[idx] = batch
                bar.update(len(idx))
        return vectors

    def _embed_by_document(
        self,
        passages: list[Passage],
        documents: Sequence[Document],
        on_document: Callable[[int, int], None],
    ) -> tuple[np.ndarray, np.ndarray]:
        """As :meth:`_embed_passages`, one document after another, calling
        ``on_document(done, total)`` after each (documents without new passages count too)."""
        groups: dict[tuple[str, str], list[int]] = {(d.source, d.id): [] for d in documents}
        for i, passage in enumerate(passages):
            groups.setdefault((passage.source, passage.doc_id), []).append(i)
        # sentence rows follow the passages' order: passage i's sentences start at offset[i]
        offset = np.cumsum([0] + [len(p.sentences) for p in passages])
        vectors = np.zeros((len(passages), 0), dtype=np.float32)
        sentence_vectors = np.zeros((int(offset[-1]), 0), dtype=np.float32)
        for done, indices in enumerate(groups.values(), start=1):
            if indices:
                part, part_sentences = self._embed_passages(
                    [passages[i] for i in indices], progress=False
                )
                if vectors.shape[1] == 0:
                    vectors = np.zeros((len(passages), part.shape[1]), dtype=np.float32)
                    sentence_vectors = np.zeros((int(offset[-1]), part.shape[1]), dtype=np.float32)
                vectors[indices] = part
                rows = [r for i in indices for r in range(offset[i], offset[i + 1])]
                sentence_vectors[rows] = part_sentences
            on_document(done, len(groups))
        return vectors, sentence_vectors

    def _write(
        self,
        passages: list[Passage],
        vectors: np.ndarray,
        sentence_vectors: np.ndarray,
        stale: list[str],
        *,
        progress: bool,
    ) -> None:
        if not passages and not stale:
            return
        added: list[str] = []
        try:
            with store_errors("write to", self.where):
                for lo in range(0, len(passages), self._max_batch):
                    chunk = passages[lo : lo + self._max_batch]
                    self._collection.add(
                        ids=[p.id for p in chunk],
                        embeddings=vectors[lo : lo + len(chunk)],
                        documents=[p.text for p in chunk],
                        metadatas=[passage_metadata(p) for p in chunk],
                    )
                    added.extend(p.id for p in chunk)
                self._add_sentences(self._sentences, passages, sentence_vectors)
                for lo in range(0, len(stale), self._max_batch):
                    self._collection.delete(ids=stale[lo : lo + self._max_batch])
                self._delete_sentences(stale)
                self._bump_revision()
        except StoreError:
            self._undo_add(added)
            raise

    def _add_sentences(self, collection: Any, passages: list[Passage], vectors: np.ndarray) -> None:
        """Store each passage sentence's vector as ``<passage id>:<index>``."""
        ids = [f"{p.id}:{i}" for p in passages for i in range(len(p.sentences))]
        metadatas = [{"passage": p.id, "source": p.source} for p in passages for _ in p.sentences]
        for lo in range(0, len(ids), self._max_batch):
            collection.add(
                ids=ids[lo : lo + self._max_batch],
                embeddings=vectors[lo : lo + self._max_batch],
                metadatas=metadatas[lo : lo + self._max_batch],
            )

    def _delete_sentences(self, passage_ids: list[str]) -> None:
        step = max(1, self._max_batch // 16)  # a where clause, not ids: keep it small
        for lo in range(0, len(passage_ids), step):
            where: dict[str, Any] = {"passage": {"$in": passage_ids[lo : lo + step]}}
            self._sentences.delete(where=where)

    def _undo_add(self, ids: list[str]) -> None:
        """Best effort: remove what a failed ingest added, so the store is as before."""
        if not ids:
            return
        try:
            for lo in range(0, len(ids), self._max_batch):
                self._collection.delete(ids=ids[lo : lo + self._max_batch])
            self._delete_sentences(ids)
            self._bump_revision()
        except Exception as exc:  # the store already failed once; report the first error
            log.error("could not roll back %d passages after a failed ingest: %s", len(ids), exc)

    def _bump_revision(self) -> None:
        """Mark the collection as changed, for every process that caches a snapshot of it."""
        self._collection.modify(metadata={"revision": uuid.uuid4().hex})

    def _revision_key(self) -> str:
        """``<revision>:<count>`` of the collection as the store has it now."""
        with store_errors("read", self.where):
            current = self._client.get_collection(
                self._name, embedding_function=ChromaEmbeddingFunction(self._embedder)
            )
            revision = (current.metadata or {}).get("revision", "")
            return f"{revision}:{current.count()}"

    def _refresh_snapshot(self, before: str, added: list[Passage], removed: set[str]) -> None:
        """After this process's write: the new BM25 snapshot, saved for other processes.

        When the snapshot in memory was that of the revision this write started from,
        the new one is derived from it (no reading back of the whole collection)."""
        with self._snapshot_lock:
            old, old_key = self._snapshot, self._snapshot_revision
        if old is None or old_key != before:
            self._current_snapshot()
            return
        key = self._revision_key()
        kept = [i for i, pid in enumerate(old.ids) if pid not in removed]
        snapshot = LexicalIndex(
            [old.ids[i] for i in kept] + [p.id for p in added],
            [old.texts[i] for i in kept] + [p.text for p in added],
            [old.metadatas[i] for i in kept] + [passage_metadata(p) for p in added],
        )
        self.lexical_builds += 1
        if len(snapshot) != int(key.rsplit(":", 1)[1]):
            self._current_snapshot()  # not what the store holds: read it back instead
            return
        if self._lexical is not None:
            self._lexical.save(key, snapshot)
        with self._snapshot_lock:
            self._snapshot, self._snapshot_revision = snapshot, key

    def _ids_of_source(self, source: str) -> list[str]:
        with store_errors("read", self.where):
            return list(self._collection.get(where={"source": source}, include=[])["ids"])

    # ---------------------------------------------------------------- integrity

    def _finish_interrupted_repair(self) -> None:
        """A repair killed between dropping the old collection and renaming the new one
        left only the rebuilt collection: give it the store's name."""
        with store_errors("open", self.where):
            names = {getattr(c, "name", c) for c in self._client.list_collections()}
            spare = f"{self._name}{REBUILD_SUFFIX}"
            if self._name not in names and spare in names:
                log.warning("finishing an interrupted repair of %s", self.where)
                self._client.get_collection(
                    spare, embedding_function=ChromaEmbeddingFunction(self._embedder)
                ).modify(name=self._name)

    def index_problem(self, probe: int = INDEX_PROBE) -> str | None:
        """Why the vector index disagrees with the stored records, or None when it agrees.

        Cheap (one embedding and one query): a nearest-neighbour query for ``probe``
        results must return ``min(probe, records)`` of them. A deleted or truncated index
        segment answers with far fewer, and search would silently fall back to BM25.
        """
        with store_errors("read", self.where):
            records = self._collection.count()
        if records == 0:
            return None
        wanted = min(probe, records)
        vector = as_float32(self._embedder.embed(["knowledge base index check"]))[0]
        try:
            with store_errors("read", self.where):
                result = self._collection.query(
                    query_embeddings=[vector], n_results=wanted, include=[]
                )
        except StoreError as exc:
            if "dimension" in str(exc):
                return None  # another embedding model, not damage: ingest and search say so
            raise
        found = result["ids"]
        answered = len(found[0]) if found else 0
        if answered < wanted:
            return (
                f"it holds {records} passages but its vector index answers only {answered} of "
                f"{wanted} nearest neighbours"
            )
        return None

    def repair(self, *, progress: bool = True) -> int:
        """Re-embed every stored passage into a fresh index; returns how many.

        The passages are read from the records (which survive a damaged index), embedded
        again and written to a new collection, which then takes the old one's name. Until
        that rename the old collection is untouched, so an interrupted repair loses nothing
        and can simply be run again.
        """
        with self.writing():
            snapshot = self._read_snapshot(self._collection.count())
            passages = [
                passage_from_record(pid, text, meta)
                for pid, text, meta in zip(
                    snapshot.ids, snapshot.texts, snapshot.metadatas, strict=True
                )
            ]
            vectors, sentence_vectors = self._embed_passages(passages, progress=progress)
            spare = f"{self._name}{REBUILD_SUFFIX}"
            with store_errors("repair", self.where):
                if spare in {c.name for c in self._client.list_collections()}:
                    self._client.delete_collection(spare)
                fresh = open_collection(self._client, spare, self._embedder, self.where)
                for lo in range(0, len(passages), self._max_batch):
                    chunk = passages[lo : lo + self._max_batch]
                    fresh.add(
                        ids=[p.id for p in chunk],
                        embeddings=vectors[lo : lo + len(chunk)],
                        documents=[p.text for p in chunk],
                        metadatas=[passage_metadata(p) for p in chunk],
                    )
                self._client.delete_collection(self._name)
                fresh.modify(name=self._name)
                self._collection = open_collection(
                    self._client, self._name, self._embedder, self.where
                )
                # Sentence vectors last: until they are back, search embeds sentences itself.
                sentences = f"{self._name}{SENTENCE_SUFFIX}"
                if sentences in {c.name for c in self._client.list_collections()}:
                    self._client.delete_collection(sentences)
                self._sentences = open_sentence_collection(
                    self._client, sentences, self._embedder, self.where
                )
                self._add_sentences(self._sentences, passages, sentence_vectors)
                self._sentence_vectors.clear()
                self._bump_revision()
        return len(passages)

    # ---------------------------------------------------------------- inspect

    def remove_source(self, source: str) -> int:
        """Delete every passage of ``source``; returns how many there were (0: no such source)."""
        try:
            source = self.resolve_source(source)
        except InputError:
            return 0
        with self.writing(), store_errors("write to", self.where):
            before = self._revision_key()
            ids = self._ids_of_source(source)
            for lo in range(0, len(ids), self._max_batch):
                self._collection.delete(ids=ids[lo : lo + self._max_batch])
            self._sentences.delete(where={"source": source})
            if ids:
                self._bump_revision()
                self._refresh_snapshot(before, [], set(ids))
        return len(ids)

    def remove_document(self, source: str, doc_id: str) -> int:
        """Delete the passages of one document of ``source`` (a line of a JSONL, a file of a
        folder); returns how many there were (0: no such document). Ingesting the source
        again brings the document back."""
        with self.writing(), store_errors("write to", self.where):
            where: dict[str, Any] = {"$and": [{"source": source}, {"doc_id": doc_id}]}
            before = self._revision_key()
            ids = list(self._collection.get(where=where, include=[])["ids"])
            for lo in range(0, len(ids), self._max_batch):
                self._collection.delete(ids=ids[lo : lo + self._max_batch])
            self._delete_sentences(ids)
            if ids:
                self._bump_revision()
                self._refresh_snapshot(before, [], set(ids))
        return len(ids)

    def resolve_source(self, name: str) -> str:
        """The stored source ``name`` means: as stored, or a path as the user typed it when
        ingesting (relative, with ``~``); an InputError listing near matches otherwise."""
        known = {m.get("source", "") for m in self._current_snapshot().metadatas}
        if name in known:
            return name
        path = Path(name).expanduser()
        if path.exists():
            resolved = source_name(path)
            if resolved in known:
                return resolved
        near = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)
        near += [s for s in sorted(known) if Path(s).name == Path(name).name and s not in near]
        hint = f"; did you mean: {', '.join(near[:3])}" if near else ""
        raise InputError(f"no source named {name!r} in the knowledge base{hint}")

    def stats(self) -> dict[str, Any]:
        """Passage, document and source counts, and where the store is."""
        snapshot = self._current_snapshot()
        documents = {(m.get("source"), m.get("doc_id")) for m in snapshot.metadatas}
        return {
            "passages": len(snapshot),
            "documents": len(documents),
            "sources": len({m.get("source") for m in snapshot.metadatas}),
            "collection": self._name,
            "store": self.where,
        }

    def sources(self, kind: str | None = None) -> list[dict[str, Any]]:
        """One row per source: source, title, documents, passages, published, ingested_at,
        and for fetched evidence its kind, url and retrieved_at. ``kind``: only sources of
        that kind (``web``, ``wikipedia``, ``fact-check``)."""
        rows: dict[str, dict[str, Any]] = {}
        for meta in self._current_snapshot().metadatas:
            if kind is not None and meta.get("kind") != kind:
                continue
            source = meta.get("source", "")
            row = rows.setdefault(
                source,
                {"source": source, "title": meta.get("title"), "documents": set(), "passages": 0,
                 "published": meta.get("published"), "ingested_at": meta.get("ingested_at"),
                 "kind": meta.get("kind"), "url": meta.get("url"),
                 "retrieved_at": meta.get("retrieved_at")},
            )  # fmt: skip
            row["documents"].add(meta.get("doc_id"))
            row["passages"] += 1
            row["published"] = max(
                filter(None, [row["published"], meta.get("published")]), default=None
            )
            row["ingested_at"] = max(
                filter(None, [row["ingested_at"], meta.get("ingested_at")]), default=None
            )
            row["retrieved_at"] = max(
                filter(None, [row["retrieved_at"], meta.get("retrieved_at")]), default=None
            )
        out = []
        for source in sorted(rows):
            row = rows[source]
            row["documents"] = len(row["documents"])
            if row["documents"] > 1:
                row["title"] = None  # a collection of documents has no single title
            out.append(row)
        return out

    def documents(self) -> list[dict[str, Any]]:
        """One row per document (a file, or a line of a JSONL): source, doc_id, title,
        url, published and its passage count; by source, then title. Reads only."""
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for meta in self._current_snapshot().metadatas:
            source, doc_id = meta.get("source", ""), str(meta.get("doc_id", ""))
            row = rows.setdefault(
                (source, doc_id),
                {"source": source, "doc_id": doc_id, "title": meta.get("title"),
                 "url": meta.get("url"), "published": meta.get("published"), "passages": 0},
            )  # fmt: skip
            row["passages"] += 1
        return sorted(rows.values(), key=lambda r: (r["source"], r["title"] or "", r["doc_id"]))

    def _current_snapshot(self) -> LexicalIndex:
        """All passages with their BM25 index: loaded from disk or rebuilt only when the
        collection changed."""
        key = self._revision_key()
        with self._snapshot_lock:
            if self._snapshot is None or self._snapshot_revision != key:
                self._snapshot = self._load_or_build_snapshot(key)
                self._snapshot_revision = key
            return self._snapshot

    def _load_or_build_snapshot(self, key: str) -> LexicalIndex:
        count = int(key.rsplit(":", 1)[1])
        if self._lexical is not None:
            loaded = self._lexical.load(key)
            if loaded is not None and len(loaded) == count:
                self.lexical_loads += 1
                return loaded
        snapshot = self._read_snapshot(count)
        self.lexical_builds += 1
        log.info("built the BM25 index of %d passages at %s", len(snapshot), self.where)
        # Saved only when no writer changed the collection while it was being read.
        if self._lexical is not None and self._revision_key() == key:
            self._lexical.save(key, snapshot)
        return snapshot

    def _read_snapshot(self, count: int) -> LexicalIndex:
        ids: list[str] = []
        texts: list[str] = []
        metadatas: list[dict[str, Any]] = []
        with store_errors("read", self.where):
            for offset in range(0, count, READ_PAGE):
                page = self._collection.get(
                    include=["documents", "metadatas"], limit=READ_PAGE, offset=offset
                )
                ids.extend(page["ids"])
                texts.extend(page["documents"] or [])
                metadatas.extend(dict(m or {}) for m in page["metadatas"] or [])
        return LexicalIndex(ids, texts, metadatas)

    # ---------------------------------------------------------------- search

    def search(
        self, query: str, *, top_k: int = 5, filters: SearchFilters | None = None
    ) -> list[Evidence]:
        """The ``top_k`` passages for ``query`` by reciprocal rank fusion of dense and BM25 ranks."""
        if not query.strip() or top_k < 1:
            return []
        filters = filters or SearchFilters()
        snapshot = self._current_snapshot()
        if not len(snapshot):
            return []
        pool = max(4 * top_k, 20)
        query_vector = as_float32(self._embedder.embed([query]))[0]
        dense = self._dense(query_vector, pool, filters)
        lexical = snapshot.search(
            query, top_k=pool, source=filters.source, published_before=filters.published_before
        )
        fused = reciprocal_rank_fusion([[pid for pid, _ in dense], [pid for pid, _ in lexical]])[
            :top_k
        ]
        dense_scores, bm25_scores = dict(dense), dict(lexical)
        passages = [self._passage(pid, snapshot) for pid, _ in fused]
        best = self._best_sentences(query, query_vector, passages)
        return [
            Evidence(
                passage=passage,
                score=score,
                rank=rank,
                dense_score=dense_scores.get(pid),
                bm25_score=bm25_scores.get(pid),
                best_sentences=order,
            )
            for rank, ((pid, score), passage, order) in enumerate(
                zip(fused, passages, best, strict=True), start=1
            )
        ]

    def _dense(
        self, vector: np.ndarray, pool: int, filters: SearchFilters
    ) -> list[tuple[str, float]]:
        where = where_clause(filters.source, filters.published_before)
        with store_errors("search", self.where):
            result = self._collection.query(
                query_embeddings=[vector], n_results=pool, where=where, include=["distances"]
            )
        found_ids, found_distances = result["ids"], result.get("distances")
        ids = found_ids[0] if found_ids else []
        distances = found_distances[0] if found_distances else [1.0] * len(ids)
        return [(pid, 1.0 - float(d)) for pid, d in zip(ids, distances, strict=True)]

    def _passage(self, pid: str, snapshot: LexicalIndex) -> Passage:
        record = snapshot.record(pid)
        if record is None:  # written by another process since the snapshot was taken
            with store_errors("read", self.where):
                page = self._collection.get(ids=[pid], include=["documents", "metadatas"])
            documents, metadatas = page["documents"], page["metadatas"]
            if documents is None or metadatas is None:  # both were asked for in include
                raise StoreError(f"{self.where}: the store returned no text for passage {pid}")
            record = (documents[0], dict(metadatas[0] or {}))
        return passage_from_record(pid, *record)

    def _stored_sentence_vectors(self, passages: list[Passage]) -> list[Passage]:
        """Cache the stored sentence vectors of ``passages``; returns those without them."""
        ids = [f"{p.id}:{i}" for p in passages for i in range(len(p.sentences))]
        if not ids:
            return []
        try:
            with store_errors("search", self.where):
                found = self._sentences.get(ids=ids, include=["embeddings"])
        except StoreError as exc:
            # An embedded store written by another process since this one opened it:
            # Chroma's in-memory vector segment here does not know the new ids yet.
            log.info("sentence vectors not readable here (%s); embedding them instead", exc)
            return passages
        embeddings = found.get("embeddings")
        stored = dict(zip(found["ids"], embeddings if embeddings is not None else [], strict=True))
        without = []
        for p in passages:
            keys = [f"{p.id}:{i}" for i in range(len(p.sentences))]
            if not all(key in stored for key in keys):
                without.append(p)
                continue
            self._sentence_vectors[p.id] = as_float32(np.stack([stored[k] for k in keys]))
        return without

    def _best_sentences(
        self, query: str, query_vector: np.ndarray, passages: list[Passage]
    ) -> list[list[int]]:
        """Per passage, sentence indices by similarity to the query plus word overlap, best first."""
        missing = [p for p in passages if p.id not in self._sentence_vectors and p.sentences]
        if len(self._sentence_vectors) > SENTENCE_CACHE_LIMIT:
            self._sentence_vectors.clear()
        missing = self._stored_sentence_vectors(missing)
        texts = [s.text for p in missing for s in p.sentences]
        if texts:  # a store from before sentence vectors were stored, or one being repaired
            self.sentence_fallbacks += len(missing)
            vectors = as_float32(self._embedder.embed(texts))
            at = 0
            for p in missing:
                self._sentence_vectors[p.id] = vectors[at : at + len(p.sentences)]
                at += len(p.sentences)
        query_words = set(tokenize(query))
        orders: list[list[int]] = []
        for p in passages:
            if not p.sentences:
                orders.append([])
                continue
            similarity = self._sentence_vectors[p.id] @ query_vector
            overlap = np.array(
                [
                    len(query_words & set(tokenize(s.text))) / max(len(query_words), 1)
                    for s in p.sentences
                ]
            )
            scores = similarity + LEXICAL_WEIGHT * overlap
            orders.append([int(i) for i in np.argsort(-scores, kind="stable")])
        return orders
