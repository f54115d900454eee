"""Bounded waits: a listener that never answers, a stalled Chroma server, an endpoint that
trickles its answer, and a whole check past its deadline all end with a clear failure."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from benchmarks.probe_reliability import silent_listener
from claims.chat import make_chat_model
from claims.errors import DeadlineError, StoreError
from claims.models import Article
from claims.pipeline import check_article
from claims.settings import Settings
from retrieval import open_knowledge_base
from tests.fakes import FakeEmbedder, FakeExtractor, FakeRetriever, FakeVerifier


def test_a_chroma_url_that_never_answers_fails_within_its_timeout():
    port, stop = silent_listener()
    try:
        settings = Settings(chroma_url=f"http://127.0.0.1:{port}", chroma_timeout_s=1)
        with pytest.raises(StoreError, match="did not answer within 1 s"):
            open_knowledge_base(settings, FakeEmbedder())
    finally:
        stop.set()


@pytest.fixture
def chroma_process(tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(executable).exists():
        pytest.skip("the `chroma` executable (from the chromadb package) is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [executable, "run", "--path", str(tmp_path / "db"), "--host", "127.0.0.1", "--port",
         str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(os.environ, ANONYMIZED_TELEMETRY="False"),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                break
        except OSError:
            assert process.poll() is None, "chroma server exited"
            time.sleep(0.2)
    yield process, url
    process.send_signal(signal.SIGCONT)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.mark.integration
def test_a_stalled_chroma_server_fails_a_read_instead_of_hanging(chroma_process):
    process, url = chroma_process
    kb = open_knowledge_base(Settings(chroma_url=url, chroma_timeout_s=2), FakeEmbedder())
    process.send_signal(signal.SIGSTOP)  # the server stops answering mid-session
    try:
        with pytest.raises(StoreError):
            kb.stats()
    finally:
        process.send_signal(signal.SIGCONT)


def _trickling_endpoint(stop: threading.Event) -> tuple[int, threading.Thread]:
    """An HTTP endpoint that sends its headers, then one body byte every 0.3 s, for at
    most 20 s, and then hangs up without finishing the body."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 5000\r\n\r\n{"
                )
                ends = time.monotonic() + 20
                while not stop.is_set() and time.monotonic() < ends:
                    try:
                        conn.sendall(b" ")
                    except OSError:
                        break
                    time.sleep(0.3)
        server.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server.getsockname()[1], thread


def test_an_endpoint_trickling_its_answer_hits_the_total_timeout():
    stop = threading.Event()
    port, thread = _trickling_endpoint(stop)
    settings = Settings(
        llm="openai", openai_base_url=f"http://127.0.0.1:{port}/v1", llm_timeout_s=1.5
    )
    try:
        model = make_chat_model(settings, client_retries=0)
        with pytest.raises(openai.APITimeoutError):
            model.invoke("Is the sky blue?")
    finally:
        stop.set()
        thread.join(timeout=5)


class _BlockingRetriever(FakeRetriever):
    """Blocks on the claim mentioning 'stall' until released, like a stalled store."""

    def __init__(self, release: threading.Event) -> None:
        super().__init__(["Brics began in 2009."])
        self._release = release

    def search(self, query, *, top_k=5, filters=None):
        if "stall" in query:
            self._release.wait(timeout=60)
        return super().search(query, top_k=top_k, filters=filters)


def test_claims_unfinished_at_the_check_deadline_fail_with_the_reason():
    release = threading.Event()
    article = Article(text="Brics began in 2009. The store will stall on this claim.")
    try:
        report = check_article(
            article,
            extractor=FakeExtractor(),
            retriever=_BlockingRetriever(release),
            verifier=FakeVerifier(),
            settings=Settings(check_deadline_s=1.0, llm_concurrency=2),
        )
    finally:
        release.set()
    by_text = {r.claim.text: r for r in report.claims}
    stalled = next(r for text, r in by_text.items() if "stall" in text)
    assert stalled.failure is not None
    assert stalled.failure.error == DeadlineError.__name__
    assert "deadline of 1 s" in stalled.failure.message
    finished = next(r for text, r in by_text.items() if "stall" not in text)
    assert finished.failure is None and finished.verdict is not None
