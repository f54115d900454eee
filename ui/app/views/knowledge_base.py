"""The knowledge-base page: add files, folders (zip) and web pages; list, remove, search.

Uploaded files are kept under ``<data dir>/uploads`` so that a source keeps the
same name when it is uploaded again: re-ingesting then replaces its passages
instead of adding a second copy. Ingest goes source by source so the progress
bar moves, and every file that was skipped is listed with its reason.
"""

from __future__ import annotations

import io
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
    """Load the files, then ingest them source by source with a progress bar.

    Returns the combined IngestReport (None when the files could not be read) and
    the sources whose ingest failed, with the reason.
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
    for source, docs in by_source.items():
        # A source is written as a whole (its passages are replaced at once), so the bar
        # moves by each source's document count.
        bar.progress(
            done / count,
            text=f"Ingesting {Path(source).name}: {len(docs)} documents "
            f"({done} of {len(documents)} documents done)",
        )
        done += len(docs)
        try:
            report = kb.ingest_documents(docs)
        except ClaimscopeError as exc:
            failed.append((source, str(exc)))
            continue
        total = _merge(total, report)
    bar.progress(1.0, text="Done")
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
    """Every document on its own (a JSONL's lines, a folder's files), searchable; remove a source."""
    try:
        documents = kb.documents()
    except ClaimscopeError as exc:
        st.error(md_escape(str(exc)))
        return
    if not documents:
        st.info("No sources yet: add files or web pages in **Add sources**.")
        return
    names = sorted({str(d.get("source")) for d in documents})
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    query = c1.text_input(
        "Search documents", key="cs_kb_filter", placeholder="title, URL or file name"
    ).strip()
    source = c2.selectbox(
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
        and (
            not query
            or query.lower()
            in f"{d.get('title') or ''} {d.get('url') or ''} {d.get('source')}".lower()
        )
    ]
    frame = pd.DataFrame(
        [
            {
                "title": d.get("title") or d.get("doc_id") or "",
                "url": d.get("url") or "",
                "published": str(d.get("published") or ""),
                "passages": d.get("passages", 0),
                "source": _short(str(d.get("source"))),
            }
            for d in shown
        ],
        columns=["title", "url", "published", "passages", "source"],
    )
    st.caption(f"{len(shown)} of {len(documents)} documents in {len(names)} sources")
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "title": st.column_config.TextColumn(width="large"),
            "url": st.column_config.LinkColumn(width="medium"),
        },
    )
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    chosen = c1.selectbox(
        "Remove a whole source (a file, a JSONL or a folder's file) with all its documents",
        names,
        index=None,
        format_func=_short,
        key="cs_kb_remove_choice",
        placeholder="choose a source to remove",
    )
    if c2.button("Remove", disabled=chosen is None, key="cs_kb_remove", width="stretch"):
        try:
            removed = kb.remove_source(chosen)
        except ClaimscopeError as exc:
            st.error(md_escape(str(exc)))
            return
        st.toast(f"Removed {removed} passages of {_short(str(chosen))}")
        st.rerun()


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
