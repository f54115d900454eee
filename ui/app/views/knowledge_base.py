"""The knowledge-base page: add files, folders (zip) and web pages; list, remove, search.

Uploaded files are kept under ``<data dir>/uploads`` so that a source keeps the
same name when it is uploaded again: re-ingesting then replaces its passages
instead of adding a second copy. The progress bar counts documents, one by one
even inside a single JSONL, zip or folder, and every file that was skipped is
listed with its reason. The list shows every document on its own (a JSONL's lines,
a folder's files, each page fetched as evidence with its kind), to search, filter
and remove one at a time or a whole source at once.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath

import pandas as pd
import streamlit as st

from claims.errors import ClaimscopeError, InputError
from ui.app.inputs import fetch_page, safe_name
from ui.app.render import evidence_passage, md_escape, safe_link
from ui.app.sidebar import Session
from ui.wiring import Services

SOURCE_TYPES = ["txt", "md", "markdown", "html", "htm", "pdf", "jsonl", "zip"]
MAX_ZIP_FILES = 5000
MAX_ZIP_BYTES = 500 * 1024 * 1024
#: What the list calls each kind of document (ingested files have no kind).
KINDS = {"file": "file", "web": "web page", "wikipedia": "Wikipedia", "fact-check": "fact-check"}
PROGRESS_EVERY_S = 0.1  # the bar is drawn again at most this often
REMOVE_DOC = "cs_kb_remove_doc_choice"
REMOVE_SOURCE = "cs_kb_remove_choice"
REMOVED = "_cs_kb_removed"  # what the last removal did, said once on the next run


def page_kb(session: Session, services: Callable[[], Services]) -> None:
    st.subheader("Knowledge base")
    try:
        kb = services().knowledge_base
        kb.stats()
    except ClaimscopeError as exc:
        st.error(md_escape(f"The knowledge base cannot be opened: {exc}"))
        return
    counts = st.empty()  # filled last, so that it counts what was just added
    add, sources, search = st.tabs(["Add sources", "Sources", "Search"])
    with add:
        _add_files(session, kb)
        _add_urls(session, kb)
    with sources:
        _sources(kb)
    with search:
        _search(session, kb)
    try:
        stats = kb.stats()
    except ClaimscopeError as exc:
        stats = {"error": str(exc)}
    counts.caption(
        " · ".join(f"{md_escape(str(k))}: {md_escape(str(v))}" for k, v in stats.items()) or "empty"
    )


# -- adding ------------------------------------------------------------------------------


def _add_files(session: Session, kb) -> None:
    with st.form("cs_kb_upload", clear_on_submit=True, border=True):
        files = st.file_uploader(
            "Files, or a folder as a .zip",
            type=SOURCE_TYPES,
            accept_multiple_files=True,
            key="cs_kb_files",
            help=".txt .md .html .pdf, .jsonl (one document per line: id, title, text, url, published)",
        )
        submitted = st.form_submit_button("Add to knowledge base", type="primary")
    if not submitted:
        return
    if not files:
        st.warning("Choose one or more files first.")
        return
    uploads = session.settings.data_dir / "uploads"
    try:
        paths = save_uploads([(f.name, f.getvalue()) for f in files], uploads)
    except (ClaimscopeError, OSError) as exc:
        st.error(md_escape(f"Could not store the upload: {exc}"))
        return
    ingest_with_progress(kb, paths)


def save_uploads(files: Sequence[tuple[str, bytes]], folder: Path) -> list[Path]:
    """Write uploaded files (zips unpacked into a folder of their own) under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files:
        target = folder / safe_name(name)
        if target.suffix.lower() == ".zip":
            paths.append(unpack_zip(data, folder / (target.stem or "folder")))
        else:
            target.write_bytes(data)
            paths.append(target)
    return paths


def unpack_zip(data: bytes, target: Path) -> Path:
    """Unpack a zip safely: no paths outside ``target``, bounded size and file count."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InputError(f"not a readable zip file: {exc}") from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_FILES:
        raise InputError(f"the zip holds {len(members)} files; the limit is {MAX_ZIP_FILES}")
    if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
        raise InputError(f"the zip unpacks to more than {MAX_ZIP_BYTES // 2**20} MB")
    target.mkdir(parents=True, exist_ok=True)
    for member in members:
        parts = [
            p
            for p in PurePosixPath(member.filename.replace("\\", "/")).parts
            if p not in ("", ".", "..", "/")
        ]
        if not parts:
            continue
        out = target.joinpath(*(safe_name(p) for p in parts))
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(_member_bytes(archive, member))
    return target


def _member_bytes(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes; a damaged, encrypted or exotic member is an InputError naming it."""
    try:
        return archive.read(member)
    except zipfile.BadZipFile as exc:  # e.g. a bad CRC
        raise InputError(f"the zip member {member.filename!r} is damaged: {exc}") from None
    except RuntimeError as exc:  # zipfile raises RuntimeError for encrypted members
        raise InputError(
            f"the zip member {member.filename!r} cannot be read ({exc}); "
            "encrypted zips are not supported"
        ) from None
    except NotImplementedError as exc:
        raise InputError(
            f"the zip member {member.filename!r} uses a compression method claimscope cannot "
            f"unpack ({exc})"
        ) from None


def ingest_with_progress(kb, paths: Sequence[Path]):
    """Load the files, then ingest them source by source, the bar counting documents.

    Inside a source the bar moves as each document is embedded (a JSONL of 44 pages
    moves it 44 times); the source is then written as a whole. Returns the combined
    IngestReport (None when the files could not be read) and the sources whose ingest
    failed, with the reason.
    """
    from retrieval.documents import IngestReport
    from retrieval.loaders import load_paths

    bar = st.progress(0.0, text="Reading files…")
    try:
        documents, skipped = load_paths(paths)
    except ClaimscopeError as exc:
        bar.empty()
        st.error(md_escape(str(exc)))
        return None, []
    by_source: dict[str, list] = {}
    for doc in documents:
        by_source.setdefault(doc.source, []).append(doc)
    total = IngestReport(skipped=list(skipped))
    failed: list[tuple[str, str]] = []
    done, count = 0, max(len(documents), 1)
    drawn = 0.0

    def show(name: str, inside: int, of: int, force: bool = False) -> None:
        nonlocal drawn
        if not force and time.monotonic() - drawn < PROGRESS_EVERY_S and inside < of:
            return
        drawn = time.monotonic()
        bar.progress(
            min(1.0, (done + inside) / count),
            text=f"Ingesting {name}: document {inside} of {of} "
            f"({done + inside} of {len(documents)} documents done)",
        )

    for source, docs in by_source.items():
        name = _short(source)
        show(name, 0, len(docs), force=True)
        try:
            report = kb.ingest_documents(
                docs, on_document=lambda inside, of, name=name: show(name, inside, of)
            )
        except ClaimscopeError as exc:
            failed.append((source, str(exc)))
            done += len(docs)
            continue
        done += len(docs)
        total = _merge(total, report)
    bar.progress(1.0, text=f"Done: {len(documents)} documents")
    _show_ingest(total, failed)
    return total, failed


def _merge(a, b):
    return a.model_copy(
        update={
            "sources": a.sources + [s for s in b.sources if s not in a.sources],
            "documents": a.documents + b.documents,
            "passages": a.passages + b.passages,
            "added": a.added + b.added,
            "unchanged": a.unchanged + b.unchanged,
            "removed": a.removed + b.removed,
            "skipped": a.skipped + b.skipped,
            "seconds": a.seconds + b.seconds,
        }
    )


def _show_ingest(report, failed: list[tuple[str, str]]) -> None:
    st.success(
        f"Ingested {len(report.sources)} sources, {report.documents} documents, "
        f"{report.passages} passages: {report.added} added, {report.unchanged} unchanged, "
        f"{report.removed} replaced ({report.seconds:.1f} s)."
    )
    problems = [{"file": s.path, "reason": s.reason} for s in report.skipped]
    problems += [{"file": source, "reason": reason} for source, reason in failed]
    if problems:
        st.warning(f"{len(problems)} files were skipped:")
        st.dataframe(pd.DataFrame(problems), hide_index=True, width="stretch")


def _add_urls(session: Session, kb) -> None:
    with st.form("cs_kb_urls", border=True):
        text = st.text_area("Web pages (one URL per line)", height=90, key="cs_kb_urls_text")
        submitted = st.form_submit_button("Fetch and add")
    if not submitted:
        return
    urls = [u.strip() for u in text.splitlines() if u.strip()]
    if not urls:
        st.warning("Enter at least one URL.")
        return
    from retrieval.documents import IngestReport, SkippedFile
    from retrieval.loaders import load_html

    total = IngestReport()
    bar = st.progress(0.0, text="Fetching…")
    for i, url in enumerate(urls, start=1):
        bar.progress((i - 1) / len(urls), text=f"Fetching {url} ({i}/{len(urls)})")
        try:
            doc = load_html(
                fetch_page(url, settings=session.settings), source=url, fallback_title=url
            )
            total = _merge(
                total, kb.ingest_documents([doc.model_copy(update={"url": doc.url or url})])
            )
        except ClaimscopeError as exc:
            total = _merge(total, IngestReport(skipped=[SkippedFile(path=url, reason=str(exc))]))
    bar.progress(1.0, text="Done")
    _show_ingest(total, [])


# -- listing, removing, searching ---------------------------------------------------------


def _sources(kb) -> None:
    """Every document on its own (a JSONL's lines, a folder's files, each fetched page with
    its kind), searchable and filtered by kind or source; remove one, or a whole source."""
    try:
        documents = kb.documents()
        by_source = {row["source"]: row for row in kb.sources()}
    except ClaimscopeError as exc:
        st.error(md_escape(str(exc)))
        return
    done = st.session_state.pop(REMOVED, None)
    if done:  # said in the page (Streamlit's toast has no accessible name)
        ok, message = done
        (st.success if ok else st.error)(md_escape(message))
    if not documents:
        st.info("No sources yet: add files or web pages in **Add sources**.")
        return
    for doc in documents:
        row = by_source.get(doc.get("source"), {})
        doc["kind"] = row.get("kind") or "file"
        doc["retrieved_at"] = row.get("retrieved_at")
    names = sorted({str(d.get("source")) for d in documents})
    kinds = [k for k in KINDS if any(d["kind"] == k for d in documents)]
    c1, c2, c3 = st.columns([3, 1, 2], vertical_alignment="bottom")
    query = c1.text_input(
        "Search documents", key="cs_kb_filter", placeholder="title, URL or file name"
    ).strip()
    kind = c2.selectbox(
        "Kind",
        kinds,
        index=None,
        format_func=KINDS.__getitem__,
        key="cs_kb_kind_filter",
        placeholder="all kinds",
    )
    source = c3.selectbox(
        "Source",
        names,
        index=None,
        format_func=_short,
        key="cs_kb_source_filter",
        placeholder=f"all {len(names)} sources",
    )
    shown = [
        d
        for d in documents
        if (source is None or d.get("source") == source)
        and (kind is None or d["kind"] == kind)
        and (
            not query
            or query.lower()
            in f"{d.get('title') or ''} {d.get('url') or ''} {d.get('source')}".lower()
        )
    ]
    # fetched pages have a retrieval time; without any, the column would stay empty
    columns = ["title", "kind", "source", "published", "passages", "url"]
    if any(d.get("retrieved_at") for d in documents):
        columns.insert(4, "retrieved")
    frame = pd.DataFrame(
        [
            {
                "title": d.get("title") or d.get("doc_id") or "",
                "kind": KINDS.get(d["kind"], d["kind"]),
                "source": _short(str(d.get("source"))),
                "published": str(d.get("published") or ""),
                "retrieved": _when(d.get("retrieved_at")),
                "passages": d.get("passages", 0),
                "url": d.get("url") or "",
            }
            for d in shown
        ],
        columns=columns,
    )
    st.caption(f"{len(shown)} of {len(documents)} documents in {len(names)} sources")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "title": st.column_config.TextColumn(width="medium"),
            "source": st.column_config.TextColumn(width="small"),
            "url": st.column_config.LinkColumn(width="medium"),
        },
    )
    _remove_document(kb, shown)
    _remove_source(kb, names)


def _when(value: object) -> str:
    """A stored timestamp as "YYYY-MM-DD HH:MM" (UTC), or "" when there is none."""
    text = str(value or "")
    return text[:16].replace("T", " ") if text else ""


def _document_key(doc: dict) -> str:
    return f"{doc.get('source')}\x1f{doc.get('doc_id')}"


def _remove_document(kb, shown: list[dict]) -> None:
    """Remove one document of those listed (a page of a JSONL, a file of a folder)."""
    labels = {
        _document_key(d): f"{d.get('title') or d.get('doc_id')} · {_short(str(d.get('source')))}"
        for d in shown
    }
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    chosen = c1.selectbox(
        "Remove one document (of those listed above)",
        list(labels),
        index=None,
        format_func=labels.__getitem__,
        key=REMOVE_DOC,
        placeholder="choose a document to remove",
    )
    c2.button(
        "Remove document",
        disabled=chosen is None,
        key="cs_kb_remove_doc",
        width="stretch",
        on_click=_remove_chosen_document,
        args=(kb, labels),
    )


def _remove_chosen_document(kb, labels: dict[str, str]) -> None:
    """The button's callback: runs before the page is drawn again, so it may clear the box."""
    chosen = st.session_state.get(REMOVE_DOC)
    if chosen not in labels:
        return
    source, doc_id = str(chosen).split("\x1f", 1)
    try:
        removed = kb.remove_document(source, doc_id)
    except ClaimscopeError as exc:
        st.session_state[REMOVED] = (False, f"Could not remove {labels[chosen]}: {exc}")
        return
    st.session_state[REMOVE_DOC] = None
    st.session_state[REMOVED] = (True, f"Removed {labels[chosen]} ({removed} passages)")


def _remove_source(kb, names: list[str]) -> None:
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    chosen = c1.selectbox(
        "Remove a whole source (a file, a JSONL or a folder's file) with all its documents",
        names,
        index=None,
        format_func=_short,
        key=REMOVE_SOURCE,
        placeholder="choose a source to remove",
    )
    c2.button(
        "Remove",
        disabled=chosen is None,
        key="cs_kb_remove",
        width="stretch",
        on_click=_remove_chosen_source,
        args=(kb, names),
    )


def _remove_chosen_source(kb, names: list[str]) -> None:
    chosen = st.session_state.get(REMOVE_SOURCE)
    if chosen not in names:
        return
    try:
        removed = kb.remove_source(chosen)
    except ClaimscopeError as exc:
        st.session_state[REMOVED] = (False, f"Could not remove {_short(chosen)}: {exc}")
        return
    st.session_state[REMOVE_SOURCE] = None
    st.session_state[REMOVED] = (True, f"Removed {removed} passages of {_short(chosen)}")


def _short(source: str) -> str:
    """A source's file name, or the URL itself."""
    return source if "://" in source else Path(source).name


def _search(session: Session, kb) -> None:
    with st.form("cs_kb_search", border=False):
        c1, c2 = st.columns([5, 1], vertical_alignment="bottom")
        query = c1.text_input("Search the knowledge base", key="cs_kb_query")
        top_k = c2.number_input("top-k", 1, 50, session.settings.top_k, key="cs_kb_topk")
        submitted = st.form_submit_button("Search")
    if not (submitted and query.strip()):
        return
    try:
        results = kb.search(query.strip(), top_k=int(top_k), filters=session.filters)
    except ClaimscopeError as exc:
        st.error(md_escape(str(exc)))
        return
    if not results:
        st.info("Nothing found.")
    for ev in results:
        p = ev.passage
        scores = [f"score {ev.score:.3f}"]
        if ev.dense_score is not None:
            scores.append(f"dense {ev.dense_score:.3f}")
        if ev.bm25_score is not None:
            scores.append(f"bm25 {ev.bm25_score:.3f}")
        date = f" · {p.published.isoformat()}" if p.published else ""
        st.html(
            '<div style="margin:0.4em 0 0.8em 0"><div style="font-size:0.88rem;color:#57606a">'
            f"#{ev.rank} · {safe_link(p.url, p.title or p.source)}{date} · {' · '.join(scores)}</div>"
            f"{evidence_passage(ev)}</div>"
        )
