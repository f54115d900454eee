"""The evaluation runner: every example through the real pipeline, one JSONL line each.

``evaluate`` is the pure-ish core (claims in, per-example results out, through
the same ``check_claim`` the app uses). ``start_run`` / ``execute`` add the run
folder around it::

    runs/<timestamp>-<dataset>-<setting>/
        run.json        what was asked: dataset, hash, setting, sample ids, settings, versions
        results.jsonl   one ExampleResult per line, appended and flushed as each finishes
        summary.json, report.md, *.png   rebuilt from results.jsonl by eval.report

A run that is killed keeps every finished line; ``execute`` on the same folder
(``claimscope eval --resume RUN``) skips the ids already written.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, ValidationError
from tqdm import tqdm

from claims.errors import InputError
from claims.models import Citation, Claim, ClaimResult, CrossCheck, Evidence, Failure, Span, Usage
from claims.pipeline import check_claim
from claims.protocols import Embedder, Retriever, Verifier
from claims.settings import Settings
from eval import provenance
from eval.datasets import (
    CheckworthinessSet,
    CorpusDoc,
    Dataset,
    EvalClaim,
    load_any,
    stratified_sample,
)
from eval.oracle import StaticRetriever, oracle_evidence
from eval.report import DEFAULT_PRICES, write_report

if TYPE_CHECKING:
    from retrieval import Document

log = logging.getLogger(__name__)

Setting = Literal["open", "oracle"]
RUN_FILE, RESULTS_FILE = "run.json", "results.jsonl"
KB_DIR = "kb"


class ExampleResult(BaseModel):
    """What happened to one claim: gold, prediction, evidence, time, cost, or the error."""

    id: str
    claim: str
    gold: str
    setting: Setting
    predicted: str | None = None
    confidence: float | None = None
    correct: bool
    original_label: str | None = None
    rationale: str = ""
    citations: list[Citation] = Field(default_factory=list)
    retrieved_doc_ids: list[str] = Field(default_factory=list)
    gold_doc_ids: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    latency_s: float
    usage: Usage = Field(default_factory=Usage)
    verifier: str | None = None
    cross_check: CrossCheck | None = None
    error: Failure | None = None


class RunConfig(BaseModel):
    """Everything needed to redo or resume a run (written to run.json; no secrets)."""

    task: Literal["verification", "checkworthiness"]
    dataset: str = Field(description="the name or path given on the command line")
    dataset_name: str
    dataset_hash: str
    data_dir: str
    setting: Setting | None = None
    limit: int | None = None
    seed: int
    ids: list[str]
    max_corpus: int | None = Field(
        default=None, description="corpus cut to the claims' documents + seeded distractors"
    )
    verifier_choice: str = "auto"
    prices: dict[str, dict[str, float]] = Field(default_factory=dict)
    settings: dict[str, Any]
    code: dict[str, Any]
    model_hashes: dict[str, str]
    created_at: datetime
    sessions: list[dict[str, Any]] = Field(default_factory=list)


# ------------------------------------------------------------------ core


def as_claim(item: EvalClaim) -> Claim:
    """The dataset's claim as a pipeline Claim: the whole text is the claim and its sentence."""
    span = Span.of(item.claim, 0, len(item.claim))
    return Claim(id=item.id, text=item.claim, span=span, sentence=span, checkworthiness=1.0)


def evaluate(
    claims: Sequence[EvalClaim],
    *,
    verifier: Verifier,
    setting: Setting,
    dataset: Dataset,
    retriever: Retriever | None = None,
    top_k: int = 5,
    skip: Iterable[str] = (),
    on_result: Callable[[ExampleResult], None] | None = None,
    progress: bool = True,
) -> list[ExampleResult]:
    """Verify each claim (open: retrieved evidence; oracle: gold evidence); one result each.

    A failed retrieval or verification is a result with ``error`` set and
    ``correct`` false, never an exception and never a verdict.
    """
    if setting == "open" and retriever is None:
        raise ValueError("the open setting needs a retriever")
    corpus = {doc.id: doc for doc in dataset.corpus}
    done = set(skip)
    todo = [c for c in claims if c.id not in done]
    results = []
    with tqdm(
        total=len(claims), initial=len(claims) - len(todo), desc=f"eval {setting}", unit="claim",
        disable=not progress,
    ) as bar:  # fmt: skip
        for item in todo:
            source = (
                retriever if setting == "open" else StaticRetriever(oracle_evidence(item, corpus))
            )
            result = check_claim(as_claim(item), retriever=source, verifier=verifier, top_k=top_k)
            example = to_example(item, result, setting)
            results.append(example)
            if on_result is not None:
                on_result(example)
            bar.update(1)
    return results


def to_example(item: EvalClaim, result: ClaimResult, setting: Setting) -> ExampleResult:
    verdict = result.verdict
    predicted = verdict.label.value if verdict is not None else None
    latency = result.timings.get("total_s", sum(result.timings.values()))
    return ExampleResult(
        id=item.id,
        claim=item.claim,
        gold=item.label.value,
        setting=setting,
        predicted=predicted,
        confidence=verdict.confidence if verdict is not None else None,
        correct=predicted == item.label.value,
        original_label=item.original_label,
        rationale=verdict.rationale if verdict is not None else "",
        citations=verdict.citations if verdict is not None else [],
        retrieved_doc_ids=list(dict.fromkeys(e.passage.doc_id for e in result.evidence)),
        gold_doc_ids=item.gold_doc_ids,
        timings=result.timings,
        latency_s=latency,
        usage=result.usage,
        verifier=verdict.verifier if verdict is not None else None,
        cross_check=verdict.cross_check if verdict is not None else None,
        error=result.failure,
    )


# ------------------------------------------------------------------ run folders


def start_run(
    target: str,
    *,
    settings: Settings,
    data_dir: Path,
    out: Path,
    setting: Setting = "open",
    limit: int | None = None,
    seed: int = 0,
    verifier_choice: str = "auto",
    prices: dict[str, dict[str, float]] | None = None,
    max_corpus: int | None = None,
) -> Path:
    """Load the dataset, draw the sample, create the run folder with its run.json."""
    if limit is not None and limit < 1:
        raise InputError("--limit must be at least 1")
    if max_corpus is not None and max_corpus < 1:
        raise InputError("--max-corpus must be at least 1")
    data = load_any(target, data_dir)
    if isinstance(data, CheckworthinessSet):
        task, items, name = "checkworthiness", data.sentences, data.name
        chosen_sentences = (
            stratified_sample(items, limit, seed, key=lambda s: str(s.checkworthy))
            if limit
            else list(items)
        )
        ids = [s.id for s in chosen_sentences]
        mode = "extract"
    else:
        task, items, name = "verification", data.claims, data.name
        if not items:
            raise InputError(f"{target}: the dataset holds no claims")
        chosen = stratified_sample(items, limit, seed) if limit else list(items)
        ids = [c.id for c in chosen]
        mode = setting
    run_dir = new_run_folder(out, f"{name}-{mode}")
    config = RunConfig(
        task=task,
        dataset=target,
        dataset_name=name,
        dataset_hash=data.fingerprint(),
        data_dir=str(data_dir),
        setting=setting if task == "verification" else None,
        limit=limit,
        seed=seed,
        ids=ids,
        max_corpus=max_corpus if task == "verification" else None,
        verifier_choice=verifier_choice,
        prices=prices if prices is not None else DEFAULT_PRICES,
        settings=settings.public_dict(),
        code=provenance.code_version(),
        model_hashes=provenance.model_hashes(),
        created_at=datetime.now(UTC),
    )
    write_config(run_dir, config)
    return run_dir


def read_config(run_dir: Path) -> RunConfig:
    path = run_dir / RUN_FILE
    if not path.is_file():
        raise InputError(f"{run_dir} is not a run folder: {RUN_FILE} is missing")
    try:
        return RunConfig.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise InputError(
            f"{path} is not a valid run description: {where}: {first['msg']}"
        ) from None
    except (ValueError, OSError) as exc:
        raise InputError(f"{path} is not a valid run description: {exc}") from None


def write_config(run_dir: Path, config: RunConfig) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    tmp = run_dir / (RUN_FILE + ".tmp")
    tmp.write_text(config.model_dump_json(indent=2), encoding="utf-8")
    tmp.replace(run_dir / RUN_FILE)


def read_results(run_dir: Path) -> list[dict[str, Any]]:
    """The finished results of a run; a line cut short by a kill is dropped (and redone)."""
    path = run_dir / RESULTS_FILE
    if not path.is_file():
        return []
    rows, good_bytes = [], 0
    raw = path.read_bytes()
    for line in raw.splitlines(keepends=True):
        try:
            if not line.endswith(b"\n"):
                raise ValueError("unterminated line")
            rows.append(json.loads(line))
            good_bytes += len(line)
        except ValueError:
            log.warning("dropping an incomplete last line of %s (the run was interrupted)", path)
            break
    if good_bytes != len(raw):
        with path.open("r+b") as handle:
            handle.truncate(good_bytes)
    return rows


def execute(
    run_dir: Path,
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    verifier: Verifier | None = None,
    progress: bool = True,
    keep_kb: bool = False,
    distribute: Distribute | None = None,
) -> dict[str, Any]:
    """Run (or resume) the run in ``run_dir``, then write its summary, report and plots.

    ``verifier`` overrides the one the settings choose (tests inject fakes or faults).
    ``distribute`` verifies the claims on other workers (``claimscope eval --ray``, see
    :class:`ClaimWorker`). Returns the summary.
    """
    config = read_config(run_dir)
    data = load_any(config.dataset, Path(config.data_dir))
    if data.fingerprint() != config.dataset_hash:
        raise InputError(
            f"the dataset {config.dataset!r} changed since the run started "
            f"(hash {data.fingerprint()[:12]} vs {config.dataset_hash[:12]}); start a new run"
        )
    done = {row["id"] for row in read_results(run_dir)}
    started = time.perf_counter()
    session: dict[str, Any] = {"started_at": datetime.now(UTC).isoformat(), "resumed": bool(done)}
    if embedder is None:
        from retrieval.embedder import default_embedder

        embedder = default_embedder()
    writer = append_jsonl(run_dir / RESULTS_FILE)
    try:
        if config.task == "checkworthiness":
            from eval.extraction import evaluate_checkworthiness

            wanted = set(config.ids)
            sentences = [s for s in data.sentences if s.id in wanted]
            evaluate_checkworthiness(
                sentences, settings=settings, embedder=embedder, skip=done,
                on_result=writer, progress=progress,
            )  # fmt: skip
        else:
            _execute_verification(
                run_dir, config, data, settings, embedder, verifier, done, writer, progress,
                session, distribute,
            )  # fmt: skip
    finally:
        session["examples"] = len(read_results(run_dir)) - len(done)
        session["wall_s"] = time.perf_counter() - started
        config.sessions.append(session)
        write_config(run_dir, config)
    if not keep_kb:
        shutil.rmtree(run_dir / KB_DIR, ignore_errors=True)
    return write_report(run_dir)


def _execute_verification(
    run_dir: Path,
    config: RunConfig,
    data: Dataset,
    settings: Settings,
    embedder: Embedder,
    verifier: Verifier | None,
    done: set[str],
    writer: Callable[[ExampleResult], None],
    progress: bool,
    session: dict[str, Any],
    distribute: Distribute | None = None,
) -> list[ExampleResult]:
    wanted = set(config.ids)
    claims = [c for c in data.claims if c.id in wanted]
    if config.max_corpus is not None:
        data = data.with_corpus_limit(config.max_corpus, wanted, config.seed)
        session["corpus_docs"] = len(data.corpus)
    if distribute is not None and verifier is None:
        return _distributed(run_dir, config, data, claims, settings, embedder, done, writer,
                            progress, session, distribute)  # fmt: skip
    if verifier is None:
        verifier = build_verifier(config.verifier_choice, settings, embedder)
    retriever = None
    if config.setting == "open" and len(done) < len(claims):
        t0 = time.perf_counter()
        retriever = open_fresh_knowledge_base(run_dir, data, settings, embedder, progress=progress)
        session["ingest_s"] = time.perf_counter() - t0
    return evaluate(
        claims, verifier=verifier, setting=config.setting or "open", dataset=data,
        retriever=retriever, top_k=settings.top_k, skip=done, on_result=writer, progress=progress,
    )  # fmt: skip


# ``distribute(worker_args, jobs, local_store=...)``: each job's ExampleResult, in job order,
# computed by ``ClaimWorker(*worker_args).example(*job)`` on other workers.
Distribute = Callable[..., Iterable["ExampleResult"]]


class ClaimWorker:
    """What a remote worker holds for a verification run, loaded once: the verifier and,
    in the open setting, the run's own knowledge base (an embedded store in the run
    folder, so such workers must share this machine's disk)."""

    def __init__(
        self, settings: Settings, verifier_choice: str, setting: Setting, kb_home: Path | None
    ) -> None:
        from retrieval.embedder import default_embedder

        embedder = default_embedder()
        self.verifier = build_verifier(verifier_choice, settings, embedder)
        self.setting = setting
        self.top_k = settings.top_k
        self.retriever: Retriever | None = None
        if kb_home is not None:
            from retrieval import open_knowledge_base

            self.retriever = open_knowledge_base(_kb_settings(settings, kb_home), embedder)

    def example(self, item: EvalClaim, oracle: list[Evidence] | None) -> ExampleResult:
        source = StaticRetriever(oracle) if oracle is not None else self.retriever
        assert source is not None, "the open setting needs the run's knowledge base"
        result = check_claim(
            as_claim(item), retriever=source, verifier=self.verifier, top_k=self.top_k
        )
        return to_example(item, result, self.setting)


def _distributed(
    run_dir: Path,
    config: RunConfig,
    data: Dataset,
    claims: list[EvalClaim],
    settings: Settings,
    embedder: Embedder,
    done: set[str],
    writer: Callable[[ExampleResult], None],
    progress: bool,
    session: dict[str, Any],
    distribute: Distribute,
) -> list[ExampleResult]:
    """The claims not done yet, verified by ``distribute``'s workers, written in order."""
    setting: Setting = config.setting or "open"
    todo = [c for c in claims if c.id not in done]
    kb_home = None
    if setting == "open" and todo:
        t0 = time.perf_counter()
        open_fresh_knowledge_base(run_dir, data, settings, embedder, progress=progress)
        session["ingest_s"] = time.perf_counter() - t0
        kb_home = run_dir / KB_DIR
    corpus = {doc.id: doc for doc in data.corpus}
    jobs = [(c, None if setting == "open" else oracle_evidence(c, corpus)) for c in todo]
    worker_args = (settings, config.verifier_choice, setting, kb_home)
    results: list[ExampleResult] = []
    with tqdm(
        total=len(claims), initial=len(claims) - len(todo), desc=f"eval {setting}", unit="claim",
        disable=not progress,
    ) as bar:  # fmt: skip
        for example in distribute(worker_args, jobs, local_store=kb_home is not None):
            results.append(example)
            writer(example)
            bar.update(1)
    return results


def _kb_settings(settings: Settings, home: Path) -> Settings:
    return settings.model_copy(
        update={"home": home, "chroma_url": None, "collection": "eval-corpus"}
    )


def build_verifier(choice: str, settings: Settings, embedder: Embedder) -> Verifier:
    """``auto``: what the settings choose (the factory); ``baseline`` / ``nli``: that one."""
    if choice == "baseline":
        from claims.verify_baseline import BaselineVerifier

        return BaselineVerifier(embedder)
    if choice == "nli":
        from claims.nli import NLIVerifier

        return NLIVerifier.load()
    from claims.factory import build_verifier as factory_verifier

    return factory_verifier(settings, embedder)


def open_fresh_knowledge_base(
    run_dir: Path, data: Dataset, settings: Settings, embedder: Embedder, *, progress: bool
) -> Retriever:
    """The dataset's corpus in its own embedded Chroma store under the run folder.

    Re-ingesting on resume finds every passage already there and adds nothing.
    """
    from retrieval import open_knowledge_base

    if not data.corpus:
        raise InputError(f"{data.name} has no corpus.jsonl: use --setting oracle")
    kb = open_knowledge_base(_kb_settings(settings, run_dir / KB_DIR), embedder)
    report = kb.ingest_documents(
        corpus_documents(data.corpus, f"eval:{data.name}"), progress=progress
    )
    log.info("eval corpus: %s", report.summary())
    return kb


def corpus_documents(corpus: Iterable[CorpusDoc], source: str) -> list[Document]:
    """A dataset's corpus as knowledge-base documents (empty texts left out)."""
    from retrieval import Document

    return [
        Document(
            id=doc.id, text=doc.text, source=source, title=doc.title, url=doc.url,
            published=doc.published,
        )
        for doc in corpus
        if doc.text.strip()
    ]  # fmt: skip


# ------------------------------------------------------------------ files shared with benchmarks


def new_run_folder(out: Path, name: str) -> Path:
    """A new folder ``out/<UTC timestamp>-<name>`` (a suffix keeps it from reusing one)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = out / f"{stamp}-{_slug(name)}"
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    candidate.mkdir(parents=True)
    return candidate


def append_jsonl(path: Path) -> Callable[[BaseModel], None]:
    """A writer that appends each record as one JSON line and flushes it at once."""

    def write(result: BaseModel) -> None:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(result.model_dump_json() + "\n")
            handle.flush()

    return write


def write_summary(run_dir: Path, summary: dict[str, Any]) -> Path:
    """``summary.json`` of a run folder (what a benchmark measured, beside its examples)."""
    path = run_dir / "summary.json"
    path.write_text(json.dumps(summary, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "dataset"
