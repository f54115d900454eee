"""Batch checking: many articles, one report each, a summary, resumable, in parallel.

Input is a list of :class:`BatchArticle` (from files, folders or a JSONL of articles,
see :func:`articles_from_paths` and :func:`articles_from_jsonl`). :func:`run_batch`
checks each one with the same extractor, retriever and verifier as ``claimscope
check`` (built once per worker by :mod:`ui.wiring`) and writes into the output folder:

* ``reports/<id>.json`` - the article's full report (the ``check --json`` format),
  written atomically (a temporary file renamed into place);
* ``manifest.jsonl`` - one line per finished article, appended after its report is in
  place: a rerun skips the articles listed as done and redoes the rest (an article
  whose report was half-written when the batch stopped has no line, so it is redone;
  failed articles are retried);
* ``summary.jsonl`` and ``summary.csv`` - one row per input article, in input order.

Workers: ``workers=1`` checks in this process; more start that many local processes
(each loads the models once); ``ray`` runs the same work on a Ray cluster
(:mod:`ui.batch_ray`). Reports are always written here, by the process that started
the batch, so workers need no shared file system.

A failed article (unreadable file, empty text, extraction error) is recorded as
failed with its error, never given a verdict, and the batch goes on.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import multiprocessing
import os
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from claims.errors import ClaimscopeError, InputError, PipelineError
from claims.models import Article, Label, Report, SearchFilters
from claims.settings import Settings

log = logging.getLogger(__name__)

MANIFEST = "manifest.jsonl"
BATCH_INFO = "batch.json"
SUMMARY_JSONL = "summary.jsonl"
SUMMARY_CSV = "summary.csv"
REPORTS = "reports"
# Article files a folder contributes (a .jsonl in a folder is not an article: pass it
# with --batch).
ARTICLE_SUFFIXES = {".txt", ".text", "", ".md", ".markdown", ".html", ".htm", ".pdf"}
LABELS = [label.value for label in Label]
SUMMARY_FIELDS = [
    "id",
    "status",
    "title",
    "claims",
    *[label.lower() for label in LABELS],
    "failed_claims",
    "error",
    "report",
]
BATCHES_FILE = "batches.jsonl"  # in the data directory: the batches the app's History lists


@dataclass(frozen=True)
class BatchArticle:
    """One input article: its id in the batch and its text, or why it could not be read."""

    id: str
    article: Article | None
    error: str | None = None


@dataclass(frozen=True)
class CheckOptions:
    """What ``claimscope check`` options apply to every article of a batch."""

    before: date | None = None
    source: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a worker sends back for one article: its report as JSON, or its error."""

    id: str
    report_json: str | None
    error: str | None = None


@dataclass
class BatchResult:
    out_dir: Path
    rows: list[dict[str, Any]] = field(default_factory=list)
    checked: int = 0
    skipped: int = 0

    @property
    def n_failed_articles(self) -> int:
        return sum(1 for r in self.rows if r["status"] == "failed")

    @property
    def n_failed_claims(self) -> int:
        return sum(int(r["failed_claims"] or 0) for r in self.rows)

    @property
    def exit_code(self) -> int:
        """1 when an article or a claim failed (as for one article), else 0."""
        return 1 if self.n_failed_articles or self.n_failed_claims else 0


# -- inputs ---------------------------------------------------------------------------


def articles_from_paths(paths: Sequence[Path]) -> list[BatchArticle]:
    """Articles from files and folders (every article file under a folder, sorted).

    Ids are the file names, or the path under the folder for a folder's files; a
    file that cannot be read becomes a failed article.
    """
    from retrieval.loaders import load_file, printable_name

    found: list[tuple[str, Path]] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputError(f"no such file or folder: {path}")
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if any(p.startswith(".") for p in rel.parts) or not child.is_file():
                    continue
                if child.suffix.lower() in ARTICLE_SUFFIXES:
                    found.append((printable_name(str(Path(path.name) / rel)), child))
        else:
            found.append((printable_name(path.name), path))
    if not found:
        raise InputError("no article files found (.txt, .md, .html or .pdf)")
    articles: list[BatchArticle] = []
    for article_id, path in _unique(found):
        try:
            documents = load_file(path)
        except ClaimscopeError as exc:
            articles.append(BatchArticle(article_id, None, f"{type(exc).__name__}: {exc}"))
            continue
        text = "\n\n".join(d.text for d in documents)
        title = documents[0].title if documents else None
        source = printable_name(str(path))
        articles.append(BatchArticle(article_id, Article(text=text, title=title, source=source)))
    return articles


def _unique(found: list[tuple[str, Path]]) -> Iterator[tuple[str, Path]]:
    """Ids made unique: a second ``a.txt`` (from another folder) becomes ``a.txt#2``."""
    seen: dict[str, int] = {}
    for article_id, path in found:
        seen[article_id] = seen.get(article_id, 0) + 1
        yield (article_id if seen[article_id] == 1 else f"{article_id}#{seen[article_id]}"), path


def articles_from_jsonl(path: Path) -> list[BatchArticle]:
    """Articles from a JSONL file: ``{"id", "text"[, "title", "url", "date"]}`` per line.

    A malformed line or a repeated id stops the batch before any model loads (the
    file is the user's to fix); an article with an empty text is checked and fails.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    articles: list[BatchArticle] = []
    ids: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path} line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected an object with id and text")
        article_id, text = row.get("id"), row.get("text")
        if isinstance(article_id, int) and not isinstance(article_id, bool):
            article_id = str(article_id)
        if not isinstance(article_id, str) or not article_id.strip():
            raise InputError(f"{where}: 'id' must be a non-empty string")
        if not isinstance(text, str):
            raise InputError(f"{where}: 'text' must be a string")
        if article_id in ids:
            raise InputError(f"{where}: id {article_id!r} appears twice")
        ids.add(article_id)
        published = None
        if row.get("date"):
            try:
                published = date.fromisoformat(str(row["date"])[:10])
            except ValueError:
                raise InputError(f"{where}: 'date' must be YYYY-MM-DD") from None
        title, url = row.get("title"), row.get("url")
        article = Article(
            text=text,
            title=title if isinstance(title, str) else None,
            source=url if isinstance(url, str) and url else article_id,
            published=published,
        )
        articles.append(BatchArticle(article_id, article))
    if not articles:
        raise InputError(f"{path}: no articles")
    return articles


# -- checking one article ---------------------------------------------------------------


class ArticleChecker:
    """The extractor, knowledge base and verifier of one worker, loaded once.

    Built from the settings by :mod:`ui.wiring` (``CLAIMSCOPE_APP_SERVICES`` can name
    another wiring, as for the app).
    """

    def __init__(self, settings: Settings, options: CheckOptions | None = None) -> None:
        from ui.wiring import wiring

        self.settings = settings
        self.options = options or CheckOptions()
        parts = wiring(settings)
        self.kb = parts.knowledge_base(settings)
        self.extractor, self.verifier = parts.models(settings)
        resolve = getattr(self.kb, "resolve_source", None)
        source = self.options.source
        if source and resolve is not None:
            source = resolve(source)
        self.filters = SearchFilters(published_before=self.options.before, source=source)

    def check(self, article: Article) -> Report:
        from claims.pipeline import check_article

        gatherer = None
        if self.settings.evidence_sources:
            from claims.factory import build_question_writer
            from retrieval.gather import EvidenceGatherer, evidence_cutoff
            from retrieval.sources import build_sources

            before = self.options.before
            if before is None and not self.settings.evidence_include_later:
                before = evidence_cutoff(article, None)  # as `check --search` does for one
            gatherer = EvidenceGatherer(
                self.kb,  # type: ignore[arg-type]
                build_sources(self.settings, self.settings.evidence_sources),
                self.settings,
                before=before,
                questions=build_question_writer(self.settings),
            )
        try:
            report = check_article(
                article,
                extractor=self.extractor,
                retriever=gatherer or self.kb,
                verifier=self.verifier,
                settings=self.settings,
                filters=self.filters,
            )
            return gatherer.annotate(report) if gatherer is not None else report
        finally:
            if gatherer is not None:
                gatherer.close()

    def outcome(self, item: BatchArticle) -> Outcome:
        """The article's report, or its error as one line: never raises for the article."""
        if item.article is None:
            return Outcome(item.id, None, item.error or "the article could not be read")
        try:
            return Outcome(item.id, self.check(item.article).model_dump_json(indent=2))
        except Exception as exc:  # noqa: BLE001 - recorded as this article's failure
            return Outcome(item.id, None, f"{type(exc).__name__}: {' '.join(str(exc).split())}")


# One checker per worker process, built by the pool's initializer (or why it could not be).
_WORKER: ArticleChecker | None = None
_WORKER_ERROR: str | None = None


def _init_worker(settings: Settings, options: CheckOptions) -> None:
    global _WORKER, _WORKER_ERROR
    try:
        _WORKER = ArticleChecker(settings, options)
    except Exception as exc:  # noqa: BLE001 - reported by the first task, as one line
        _WORKER_ERROR = f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def _check_in_worker(item: BatchArticle) -> Outcome:
    if _WORKER is None:
        # Not the article's fault: the batch stops with the reason (a missing model file,
        # a damaged store, an unreachable Chroma server).
        raise PipelineError(f"a batch worker could not start: {_WORKER_ERROR}")
    return _WORKER.outcome(item)


# -- the output folder --------------------------------------------------------------------


def report_name(article_id: str) -> str:
    """A file name for the article's report: the id made safe, plus a hash when it changed."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", article_id).strip("._")[:80] or "article"
    if safe != article_id:
        safe += "-" + hashlib.sha1(article_id.encode()).hexdigest()[:8]
    return f"{safe}.json"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The last manifest line of each article id (a torn last line is ignored)."""
    return _last_rows(out_dir / MANIFEST, "id")


def _last_rows(path: Path, key: str) -> dict[str, dict[str, Any]]:
    """The last JSON line of ``path`` for each value of its string field ``key`` (lines
    that do not parse, such as a torn last line, are skipped); {} without the file."""
    rows: dict[str, dict[str, Any]] = {}
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict) and isinstance(row.get(key), str):
            rows[row[key]] = row
    return rows


def summary_row(article_id: str, report: Report | None, error: str | None, path: str | None):
    """One summary row: counts per verdict, failed claims, or the article's error."""
    row: dict[str, Any] = {"id": article_id, "status": "failed" if error else "done"}
    row["title"] = (report.article.title if report else None) or ""
    row["claims"] = len(report.claims) if report else 0
    for label in LABELS:
        row[label.lower()] = (
            sum(1 for r in report.claims if r.verdict is not None and r.verdict.label == label)
            if report
            else 0
        )
    row["failed_claims"] = report.n_failed if report else 0
    row["error"] = error or ""
    row["report"] = path or ""
    return row


def read_summary(out_dir: Path) -> list[dict[str, Any]]:
    """The rows of a batch's ``summary.jsonl`` (for the app's History)."""
    path = Path(out_dir) / SUMMARY_JSONL
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read_report(out_dir: Path, row: dict[str, Any]) -> Report:
    """The report a summary row names, read from inside the batch folder only."""
    base = Path(out_dir).resolve()
    path = (base / str(row.get("report") or "")).resolve()
    if not row.get("report") or base not in path.parents:
        raise InputError(f"article {row.get('id')!r} has no report in {out_dir}")
    try:
        return Report.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise InputError(f"cannot read the report {path}: {exc}") from None


def known_batches(settings: Settings) -> list[dict[str, Any]]:
    """Batches run with these settings' data directory, newest first (still on disk)."""
    batches = _last_rows(settings.data_dir / BATCHES_FILE, "out_dir")
    alive = [b for b in batches.values() if (Path(b["out_dir"]) / SUMMARY_JSONL).exists()]
    return sorted(alive, key=lambda b: str(b.get("finished_at", "")), reverse=True)


def _remember_batch(settings: Settings, out_dir: Path, result: BatchResult) -> None:
    entry = {
        "out_dir": str(out_dir.resolve()),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "articles": len(result.rows),
        "failed_articles": result.n_failed_articles,
    }
    try:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with (settings.data_dir / BATCHES_FILE).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")
    except OSError as exc:  # the batch itself is done; only the app's list misses it
        log.warning("cannot record the batch in %s: %s", settings.data_dir, exc)


# -- the batch ----------------------------------------------------------------------------

Runner = Callable[[list[BatchArticle], Callable[[Outcome], None]], None]


def run_batch(
    articles: Sequence[BatchArticle],
    out_dir: Path,
    settings: Settings,
    *,
    options: CheckOptions | None = None,
    workers: int = 1,
    resume: bool | None = None,
    ray_address: str | None = None,
    progress: bool = True,
    progress_file: TextIO | None = None,
) -> BatchResult:
    """Check ``articles`` into ``out_dir``; see the module's docstring.

    ``resume``: None resumes when ``out_dir`` holds a manifest; False starts over.
    """
    options = options or CheckOptions()
    out_dir = Path(out_dir)
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise InputError("article ids in a batch must be unique")
    if workers < 1:
        raise InputError("--workers must be at least 1")
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path = out_dir / MANIFEST
    if resume is None:
        resume = manifest_path.exists()
    if not resume:
        manifest_path.unlink(missing_ok=True)
    done = {
        i: row
        for i, row in read_manifest(out_dir).items()
        if row.get("status") == "done" and (out_dir / str(row.get("report", ""))).is_file()
    }
    info = {
        "version": 1,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "articles": len(articles),
        "workers": workers,
        "ray": ray_address,
        "settings": settings.public_dict(),
    }
    write_atomic(out_dir / BATCH_INFO, json.dumps(info, indent=2, default=str))

    todo = [a for a in articles if a.id not in done]
    result = BatchResult(out_dir=out_dir, skipped=len(articles) - len(todo))
    bar = _progress_bar(len(articles), result.skipped, progress, progress_file)

    def record(outcome: Outcome) -> None:
        report = None
        error = outcome.error
        rel = None
        if outcome.report_json is not None:
            report = Report.model_validate_json(outcome.report_json)
            rel = f"{REPORTS}/{report_name(outcome.id)}"
            write_atomic(out_dir / rel, outcome.report_json)
        row = summary_row(outcome.id, report, error, rel)
        row["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        with manifest_path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        done[outcome.id] = row
        result.checked += 1
        bar.update(1)
        if error:
            log.info("article %s failed: %s", outcome.id, error)

    try:
        if todo:
            runner = _runner(settings, options, workers, ray_address)
            runner(todo, record)
    finally:
        bar.close()
    result.rows = [_public_row(done[i]) for i in ids if i in done]
    _write_summary(out_dir, result.rows)
    _remember_batch(settings, out_dir, result)
    return result


def _public_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row.get(k, "") for k in SUMMARY_FIELDS}


def _write_summary(out_dir: Path, rows: list[dict[str, Any]]) -> None:
    write_atomic(out_dir / SUMMARY_JSONL, "".join(json.dumps(r) + "\n" for r in rows))
    with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as buffer:
        writer = csv.DictWriter(buffer, fieldnames=SUMMARY_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
        buffer.seek(0)
        write_atomic(out_dir / SUMMARY_CSV, buffer.read())


def _runner(
    settings: Settings, options: CheckOptions, workers: int, ray_address: str | None
) -> Runner:
    if ray_address is not None:
        return _ray_runner(settings, options, workers, ray_address)
    if workers == 1:
        return _sequential_runner(settings, options)
    return _process_runner(settings, options, workers)


def _ray_runner(settings: Settings, options: CheckOptions, workers: int, address: str) -> Runner:
    """Articles as tasks on ``workers`` Ray actors, each an :class:`ArticleChecker`
    (:mod:`ui.batch_ray`); the embedded store only on a one-machine cluster."""

    def run(todo: list[BatchArticle], record: Callable[[Outcome], None]) -> None:
        from ui.batch_ray import ray_map

        for outcome in ray_map(
            address,
            workers,
            (ArticleChecker, (settings, options)),
            "outcome",
            [(item,) for item in todo],
            local_store=settings.chroma_url is None,
            ordered=False,
        ):
            record(outcome)

    return run


def _sequential_runner(settings: Settings, options: CheckOptions) -> Runner:
    def run(todo: list[BatchArticle], record: Callable[[Outcome], None]) -> None:
        checker = ArticleChecker(settings, options)
        for item in todo:
            record(checker.outcome(item))

    return run


def _process_runner(settings: Settings, options: CheckOptions, workers: int) -> Runner:
    """``workers`` local processes (spawned: no model or store state is inherited), each
    building its checker once; at most two articles in flight per worker."""

    def run(todo: list[BatchArticle], record: Callable[[Outcome], None]) -> None:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=min(workers, len(todo)),
            mp_context=context,
            initializer=_init_worker,
            initargs=(settings, options),
        ) as pool:
            pending = iter(todo)
            running: set[Future[Outcome]] = set()
            for item in _take(pending, 2 * workers):
                running.add(pool.submit(_check_in_worker, item))
            while running:
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    try:
                        outcome = future.result()
                    except BrokenProcessPool as exc:
                        raise PipelineError(
                            "a batch worker process died (out of memory, or its models could "
                            f"not load: {exc}); finished articles are in the manifest: run the "
                            "command again to resume"
                        ) from exc
                    record(outcome)
                for item in _take(pending, len(finished)):
                    running.add(pool.submit(_check_in_worker, item))

    return run


def _take(items: Iterator[BatchArticle], n: int) -> Iterable[BatchArticle]:
    for _ in range(n):
        item = next(items, None)
        if item is None:
            return
        yield item


class _NoProgress:
    """What ``--no-progress`` shows: nothing."""

    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, skipped: int, enabled: bool, out: TextIO | None) -> Any:
    if not enabled:
        return _NoProgress()
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=skipped,
        unit="article",
        desc="checking",
        file=out or sys.stderr,
        dynamic_ncols=True,
    )
