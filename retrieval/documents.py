"""What goes into the knowledge base (documents) and what an ingest did (report)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from claims.models import EvidenceKind


class Document(BaseModel):
    """One source document before chunking.

    ``source`` names where it came from (a resolved file path or a URL) and is the
    unit that re-ingesting replaces; ``id`` tells documents of one source apart
    (a JSONL file holds many).
    """

    id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    published: date | None = None
    kind: EvidenceKind | None = Field(
        default=None, description="for fetched evidence: web, wikipedia or fact-check"
    )
    retrieved_at: datetime | None = Field(default=None, description="when a page was fetched")


class SkippedFile(BaseModel):
    """A file found inside a folder that was not ingested, and why."""

    path: str
    reason: str


class IngestReport(BaseModel):
    """What one ingest changed in the knowledge base."""

    sources: list[str] = Field(default_factory=list)
    documents: int = 0
    passages: int = Field(default=0, description="passages in the ingested documents")
    added: int = 0
    unchanged: int = 0
    removed: int = Field(default=0, description="stale passages of edited sources")
    skipped: list[SkippedFile] = Field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """One human-readable paragraph, as the CLI prints it."""
        lines = [
            f"ingested {len(self.sources)} source(s), {self.documents} document(s), "
            f"{self.passages} passage(s): {self.added} added, {self.unchanged} unchanged, "
            f"{self.removed} removed in {self.seconds:.1f} s"
        ]
        lines += [f"skipped {s.path}: {s.reason}" for s in self.skipped]
        return "\n".join(lines)
