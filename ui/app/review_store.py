"""The reviewer's audit trail: checked articles, machine verdicts and every review action.

Stored in one SQLite file in the data directory so that nothing is lost on a
reload or a restart of the app. The machine :class:`~claims.models.Report` is
kept verbatim; reviews never change it. A claim's reviewed state (edited text,
dismissed, reviewer verdict) is the replay of its audit events, so the trail is
the single source of truth::

    articles(id, title, source, created_at, n_claims, report_json, settings_json)
    events(id, article_id, claim_id, action, reviewer, at, before, after, note)

sqlite3 errors are translated into :class:`~claims.errors.StoreError` here.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from claims.errors import InputError, StoreError
from claims.models import ClaimResult, Label, Report

DB_NAME = "reviews.sqlite3"

Action = Literal[
    "edit", "dismiss", "restore", "override", "clear_override", "confirm", "add", "more_evidence"
]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT,
    source TEXT,
    created_at TEXT NOT NULL,
    n_claims INTEGER NOT NULL,
    report_json TEXT NOT NULL,
    settings_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    claim_id TEXT NOT NULL,
    action TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    before TEXT,
    after TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS events_article ON events(article_id, id);
"""


class ReviewEvent(BaseModel):
    """One change a reviewer made: who, when, what it was before and after, and why."""

    id: int
    article_id: str
    claim_id: str
    action: Action
    reviewer: str
    at: datetime
    before: str | None = None
    after: str | None = None
    note: str = ""


class ClaimReview(BaseModel):
    """A claim's state after replaying its review events."""

    claim_id: str
    text: str | None = None  # edited claim text, None when unchanged
    dismissed: bool = False
    label: Label | None = None  # the reviewer's verdict, None when not overridden
    note: str = ""
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    added_by: str | None = None  # the person who added this claim by hand, if one did

    @property
    def touched(self) -> bool:
        return self.text is not None or self.dismissed or self.label is not None


class ArticleSummary(BaseModel):
    id: str
    title: str | None
    source: str | None
    created_at: datetime
    n_claims: int
    n_events: int


def replay(events: list[ReviewEvent]) -> dict[str, ClaimReview]:
    """Fold events (oldest first) into each claim's current review state."""
    states: dict[str, ClaimReview] = {}
    for event in events:
        state = states.setdefault(event.claim_id, ClaimReview(claim_id=event.claim_id))
        if event.action == "edit":
            state.text = event.after
        elif event.action == "dismiss":
            state.dismissed = True
        elif event.action == "restore":
            state.dismissed = False
        elif event.action in ("override", "confirm"):
            state.label = Label(event.after) if event.after else None
            state.note = event.note
        elif event.action == "add":
            state.added_by = event.reviewer
        elif event.action == "clear_override":
            state.label = None
            state.note = event.note
        state.reviewer = event.reviewer
        state.reviewed_at = event.at
    return states


class ReviewStore:
    """SQLite-backed articles + audit events. Open one per app session or per call."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the review store at {path}: {exc}") from exc

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> ReviewStore:
        return cls(data_dir / DB_NAME)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=10)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the review store at {self.path}: {exc}") from exc
        try:
            db.execute("PRAGMA foreign_keys = ON")
            with db:
                yield db
        except sqlite3.Error as exc:
            raise StoreError(f"review store error ({self.path}): {exc}") from exc
        finally:
            db.close()

    # -- articles ---------------------------------------------------------------------

    def save_report(self, report: Report, *, settings: dict[str, Any] | None = None) -> str:
        """Store an article with its machine report; returns the new article id.

        ``settings`` must be a public dict (``Settings.public_dict()``): no API key.
        """
        article_id = uuid.uuid4().hex[:12]
        title = report.article.title or _first_line(report.article.text)
        with self._connect() as db:
            db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    title,
                    report.article.source,
                    report.created_at.isoformat(),
                    len(report.claims),
                    report.model_dump_json(),
                    json.dumps(settings or {}),
                ),
            )
        return article_id

    def report(self, article_id: str) -> Report:
        with self._connect() as db:
            row = db.execute(
                "SELECT report_json FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        if row is None:
            raise InputError(f"no checked article with id {article_id!r}")
        try:
            return Report.model_validate_json(row[0])
        except ValidationError as exc:
            raise StoreError(f"stored report {article_id} cannot be read: {exc}") from exc

    def settings(self, article_id: str) -> dict[str, Any]:
        with self._connect() as db:
            row = db.execute(
                "SELECT settings_json FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return json.loads(row[0]) if row else {}

    def articles(self) -> list[ArticleSummary]:
        """Every stored article, newest first, with how many review events it has."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT a.id, a.title, a.source, a.created_at, a.n_claims, "
                "(SELECT COUNT(*) FROM events e WHERE e.article_id = a.id) "
                "FROM articles a ORDER BY a.created_at DESC, a.rowid DESC"
            ).fetchall()
        return [
            ArticleSummary(
                id=r[0], title=r[1], source=r[2], created_at=r[3], n_claims=r[4], n_events=r[5]
            )
            for r in rows
        ]

    def add_claim(self, article_id: str, result: ClaimResult, *, reviewer: str) -> None:
        """Append a claim a person added by hand to the article's report, and sign it.

        The machine's own claims are left as they were; the ``add`` event in the
        audit trail says who added this one and when.
        """
        if not reviewer.strip():
            raise InputError("set a reviewer name in the sidebar before adding a claim")
        report = self.report(article_id)
        report.claims.append(result)
        with self._connect() as db:
            db.execute(
                "UPDATE articles SET report_json = ?, n_claims = ? WHERE id = ?",
                (report.model_dump_json(), len(report.claims), article_id),
            )
        self.record(article_id, result.claim.id, "add", reviewer=reviewer, after=result.claim.text)

    def replace_result(
        self, article_id: str, result: ClaimResult, *, reviewer: str, note: str = ""
    ) -> None:
        """Put a claim's new machine result (re-verified after more evidence was gathered)
        in place of its old one, and sign it: a ``more_evidence`` event records who asked,
        the verdict before and after, and ``note`` (what was found)."""
        if not reviewer.strip():
            raise InputError("set a reviewer name in the sidebar before re-checking a claim")
        report = self.report(article_id)
        index = next(
            (i for i, r in enumerate(report.claims) if r.claim.id == result.claim.id), None
        )
        if index is None:
            raise InputError(f"article {article_id} has no claim {result.claim.id!r}")
        old = report.claims[index]
        report.claims[index] = result
        with self._connect() as db:
            db.execute(
                "UPDATE articles SET report_json = ? WHERE id = ?",
                (report.model_dump_json(), article_id),
            )
        self.record(
            article_id, result.claim.id, "more_evidence", reviewer=reviewer,
            before=old.verdict.label.value if old.verdict else None,
            after=result.verdict.label.value if result.verdict else None, note=note,
        )  # fmt: skip

    def delete_article(self, article_id: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM events WHERE article_id = ?", (article_id,))
            db.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    # -- review events ----------------------------------------------------------------

    def record(
        self,
        article_id: str,
        claim_id: str,
        action: Action,
        *,
        reviewer: str,
        before: str | None = None,
        after: str | None = None,
        note: str = "",
    ) -> ReviewEvent:
        """Append one event to the audit trail. The reviewer's name is required."""
        reviewer = reviewer.strip()
        if not reviewer:
            raise InputError("set a reviewer name in the sidebar before reviewing")
        at = datetime.now(UTC)
        with self._connect() as db:
            if db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
                raise InputError(f"no checked article with id {article_id!r}")
            cur = db.execute(
                "INSERT INTO events (article_id, claim_id, action, reviewer, at, before, after, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, claim_id, action, reviewer, at.isoformat(), before, after, note),
            )
            event_id = cur.lastrowid
        return ReviewEvent(
            id=event_id or 0,
            article_id=article_id,
            claim_id=claim_id,
            action=action,
            reviewer=reviewer,
            at=at,
            before=before,
            after=after,
            note=note,
        )

    def events(self, article_id: str, claim_id: str | None = None) -> list[ReviewEvent]:
        """The audit trail, oldest first, of an article or of one of its claims."""
        query = "SELECT * FROM events WHERE article_id = ?"
        params: tuple[str, ...] = (article_id,)
        if claim_id is not None:
            query += " AND claim_id = ?"
            params += (claim_id,)
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(query + " ORDER BY id", params).fetchall()
        return [ReviewEvent(**dict(row)) for row in rows]

    def reviews(self, article_id: str) -> dict[str, ClaimReview]:
        return replay(self.events(article_id))


def _first_line(text: str, limit: int = 80) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"
