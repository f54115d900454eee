"""Bad inputs and faults, tried as a careful user and an attacker would (issue #16).

    python -m benchmarks.probe_reliability [--keep DIR]

Each probe runs the real ``claimscope`` command (or the function behind an app
upload) against loopback servers and files made here, and prints ``ok`` or
``WRONG`` with what it saw; the last line counts them. Nothing leaves the machine.
Exit code 0 when every probe is ok.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SECRET = "hunter2-secret"
Probe = Callable[[Path], tuple[bool, str]]
PROBES: list[tuple[str, Probe]] = []


def probe(name: str) -> Callable[[Probe], Probe]:
    def register(func: Probe) -> Probe:
        PROBES.append((name, func))
        return func

    return register


def cli(
    *args: str, home: Path, stdin: bytes | None = None, env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:  # fmt: skip
    environment = base_environment(home)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "ui.cli.main", *args],
        input=stdin,
        capture_output=True,
        env=environment,
        timeout=timeout,
        check=False,
    )  # type: ignore[call-overload]


def base_environment(home: Path) -> dict[str, str]:
    """This process's environment with claimscope's defaults (none of the caller's
    CLAIMSCOPE_/OPENAI_ variables) and the probe's data directory."""
    from claims.settings import Settings, child_environment

    environment = child_environment(Settings.from_env({}))
    environment.update(CLAIMSCOPE_HOME=str(home), PYTHONPATH=str(REPO))
    return environment


def text(run: subprocess.CompletedProcess) -> str:
    out = run.stdout.decode(errors="replace") if isinstance(run.stdout, bytes) else run.stdout
    err = run.stderr.decode(errors="replace") if isinstance(run.stderr, bytes) else run.stderr
    return f"{out}\n{err}"


def one_line_error(run: subprocess.CompletedProcess) -> bool:
    return "Traceback" not in text(run)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def silent_listener() -> tuple[int, threading.Event]:
    stop = threading.Event()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    held: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
        for conn in held:
            conn.close()
        server.close()

    threading.Thread(target=serve, daemon=True).start()
    return int(server.getsockname()[1]), stop


ARTICLE = (
    "Brics began in 2009 with four members: Brazil, Russia, India and China. "
    "South Africa joined the group in 2010. The 2024 summit was held in Kazan.\n"
)


def small_folder(root: Path, count: int = 5) -> Path:
    folder = root / "kb1"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"doc{i}.txt").write_text(f"Document {i}: the river is {i * 10} km long.\n")
    return folder


# ------------------------------------------------------------------ 1. writers


@probe("two ingests at once keep no stale passage")
def two_writers(tmp: Path) -> tuple[bool, str]:
    folder = small_folder(tmp, 40)
    home = tmp / "home"
    first = subprocess.Popen(
        [sys.executable, "-m", "ui.cli.main", "ingest", str(folder), "--no-progress"],
        env=base_environment(home),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    time.sleep(4)  # the first is loading or embedding
    for path in folder.iterdir():
        with path.open("a") as handle:
            handle.write("An added line about a bridge.\n")
    second = cli("ingest", str(folder), "--no-progress", home=home)
    first.communicate(timeout=300)
    stats = text(cli("kb", "stats", home=home))
    ok = "passages: 40" in stats and first.returncode == 0 and second.returncode == 0
    return ok, " ".join(stats.split())


@probe("re-ingesting unchanged files adds nothing")
def reingest(tmp: Path) -> tuple[bool, str]:
    folder = small_folder(tmp)
    cli("ingest", str(folder), "--no-progress", home=tmp / "home")
    again = text(cli("ingest", str(folder), "--no-progress", home=tmp / "home"))
    return "0 added" in again, " ".join(again.split())[:120]


# ------------------------------------------------------------------ 2. damage


@probe("a deleted vector index is an error naming kb repair, and kb repair fixes it")
def deleted_index(tmp: Path) -> tuple[bool, str]:
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from claims.settings import Settings\n"
        "from retrieval import Document, open_knowledge_base\n"
        "from retrieval.embedder import default_embedder\n"
        "kb = open_knowledge_base(Settings(home=sys.argv[1]), default_embedder())\n"
        "kb.ingest_documents([Document(id=f'd{i}', source=f's{i}.txt', text=f'Fact {i}.')\n"
        "                     for i in range(1100)])\n"
    )
    home = tmp / "home"
    subprocess.run([sys.executable, "-c", script, str(home)], check=True, timeout=600)
    for segment in (home / "chroma").iterdir():
        if segment.is_dir():
            shutil.rmtree(segment)
    broken = cli("kb", "stats", home=home)
    repaired = cli("kb", "repair", "--no-progress", home=home)
    after = cli("kb", "check", home=home)
    ok = (
        broken.returncode == 2
        and "kb repair" in text(broken)
        and repaired.returncode == 0
        and after.returncode == 0
    )
    return ok, " ".join(text(broken).split())[:160]


@probe("a zero-length chroma.sqlite3 is refused and left as it is")
def empty_sqlite(tmp: Path) -> tuple[bool, str]:
    database = tmp / "home" / "chroma" / "chroma.sqlite3"
    database.parent.mkdir(parents=True)
    database.touch()
    run = cli("kb", "stats", home=tmp / "home")
    ok = run.returncode == 2 and database.stat().st_size == 0 and one_line_error(run)
    return ok, " ".join(text(run).split())[:160]


@probe("a foreign SQLite file is refused and left as it is")
def foreign_sqlite(tmp: Path) -> tuple[bool, str]:
    database = tmp / "home" / "chroma" / "chroma.sqlite3"
    database.parent.mkdir(parents=True)
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER)")
    before = database.read_bytes()
    run = cli("kb", "stats", home=tmp / "home")
    ok = run.returncode == 2 and database.read_bytes() == before
    return ok, " ".join(text(run).split())[:160]


# ------------------------------------------------------------------ 3. secrets


@probe("credentials in OPENAI_BASE_URL never appear in messages")
def base_url_secret(tmp: Path) -> tuple[bool, str]:
    (tmp / "a.txt").write_text(ARTICLE)
    url = f"http://user:{SECRET}@127.0.0.1:{free_port()}/v1?token={SECRET}"
    run = cli(
        "check", str(tmp / "a.txt"), home=tmp / "home",
        env={"CLAIMSCOPE_LLM": "openai", "OPENAI_BASE_URL": url, "CLAIMSCOPE_LLM_TIMEOUT": "3"},
    )  # fmt: skip
    return SECRET not in text(run), " ".join(text(run).split())[-160:]


@probe("credentials in --chroma-url never appear in messages")
def chroma_url_secret(tmp: Path) -> tuple[bool, str]:
    url = f"http://user:{SECRET}@127.0.0.1:{free_port()}"
    run = cli("--chroma-url", url, "kb", "stats", home=tmp / "home")
    return SECRET not in text(run) and run.returncode == 2, " ".join(text(run).split())[:160]


# ------------------------------------------------------------------ 4. waits


@probe("kb stats against a listener that never answers ends within its timeout")
def silent_chroma(tmp: Path) -> tuple[bool, str]:
    port, stop = silent_listener()
    started = time.monotonic()
    try:
        run = cli(
            "--chroma-url", f"http://127.0.0.1:{port}", "kb", "stats", home=tmp / "home",
            env={"CLAIMSCOPE_CHROMA_TIMEOUT_S": "3"}, timeout=120,
        )  # fmt: skip
    finally:
        stop.set()
    took = time.monotonic() - started
    return run.returncode == 2 and took < 60, f"exit {run.returncode} after {took:.1f} s"


@probe("a stalled (SIGSTOP) Chroma server fails the command instead of hanging")
def stalled_chroma(tmp: Path) -> tuple[bool, str]:
    executable = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = free_port()
    server = subprocess.Popen(
        [executable, "run", "--path", str(tmp / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if cli("--chroma-url", url, "kb", "stats", home=tmp / "h").returncode == 0:
                break
            time.sleep(0.2)
        script = (
            "import os, signal, sys, time\n"
            f"sys.path.insert(0, {str(REPO)!r})\n"
            "from claims.settings import Settings\n"
            "from retrieval import open_knowledge_base\n"
            "from retrieval.embedder import default_embedder\n"
            f"kb = open_knowledge_base(Settings(chroma_url={url!r}, chroma_timeout_s=3),"
            " default_embedder())\n"
            f"os.kill({server.pid}, signal.SIGSTOP)\n"
            "try:\n"
            "    kb.stats()\n"
            "except Exception as exc:\n"
            "    print(type(exc).__name__, exc)\n"
        )
        started = time.monotonic()
        run = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
        )
        took = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGCONT)
        server.terminate()
        server.wait(timeout=10)
    return "StoreError" in run.stdout and took < 60, f"{run.stdout.strip()[:100]} ({took:.1f} s)"


@probe("an LLM endpoint trickling one byte every 0.5 s is cut off by the timeout")
def trickle(tmp: Path) -> tuple[bool, str]:
    stop = threading.Event()
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
            threading.Thread(target=drip, args=(conn,), daemon=True).start()
        server.close()

    def drip(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 99999\r\n\r\n{")
            for _ in range(240):
                if stop.is_set():
                    return
                try:
                    conn.sendall(b" ")
                except OSError:
                    return
                time.sleep(0.5)

    threading.Thread(target=serve, daemon=True).start()
    (tmp / "a.txt").write_text(ARTICLE)
    started = time.monotonic()
    try:
        run = cli(
            "check", str(tmp / "a.txt"), home=tmp / "home",
            env={"CLAIMSCOPE_LLM": "openai", "CLAIMSCOPE_LLM_TIMEOUT": "3",
                 "OPENAI_BASE_URL": f"http://127.0.0.1:{server.getsockname()[1]}/v1"},
            timeout=200,
        )  # fmt: skip
    finally:
        stop.set()
    took = time.monotonic() - started
    return run.returncode in (1, 2) and took < 90, f"exit {run.returncode} after {took:.1f} s"


# ------------------------------------------------------------------ 5. names and bytes


@probe("a file name that is not UTF-8: ingest and check --json")
def latin1_name(tmp: Path) -> tuple[bool, str]:
    folder = tmp / "src"
    folder.mkdir()
    odd = os.path.join(os.fsencode(folder), b"lat\xe9n.txt")
    with open(odd, "wb") as handle:
        handle.write(ARTICLE.encode())
    ingest = cli("ingest", str(folder), "--no-progress", home=tmp / "home")
    check = cli("check", os.fsdecode(odd), "--json", home=tmp / "home")
    ok = ingest.returncode == 0 and check.returncode == 0 and json.loads(check.stdout)
    return bool(ok), f"ingest {ingest.returncode}, check {check.returncode}"


@probe("binary, invalid UTF-8 and NUL bytes on standard input are refused cleanly")
def stdin_bytes(tmp: Path) -> tuple[bool, str]:
    runs = [
        cli("check", "-", home=tmp / "home", stdin=Path("/bin/true").read_bytes()),
        cli("check", "-", home=tmp / "home", stdin=b"caf\xe9 au lait est bon."),
        cli("check", "-", home=tmp / "home", stdin=b"Brics began \x00 in 2009."),
    ]
    ok = all(r.returncode == 2 and one_line_error(r) for r in runs)
    return ok, " | ".join(" ".join(text(r).split())[:60] for r in runs)


@probe("UTF-16 text with a byte-order mark is read, not called binary")
def utf16(tmp: Path) -> tuple[bool, str]:
    (tmp / "a.txt").write_bytes(ARTICLE.encode("utf-16"))
    run = cli("check", str(tmp / "a.txt"), "--json", home=tmp / "home")
    return run.returncode == 0, " ".join(text(run).split())[-100:]


@probe("a malformed --chroma-url is a one-line configuration error")
def bad_chroma_url(tmp: Path) -> tuple[bool, str]:
    run = cli("--chroma-url", "http://[::1:8765", "kb", "stats", home=tmp / "home")
    return run.returncode == 2 and one_line_error(run), " ".join(text(run).split())[:120]


@probe("damaged, encrypted and exotic zip members are input errors")
def zips(tmp: Path) -> tuple[bool, str]:
    sys.path.insert(0, str(REPO))
    from claims.errors import InputError
    from ui.app.views.knowledge_base import unpack_zip

    def archive(method: int = zipfile.ZIP_STORED) -> bytearray:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=method) as z:
            z.writestr("a.txt", b"hello world " * 20)
        return bytearray(buffer.getvalue())

    crc = archive()
    crc[crc.index(b"hello")] ^= 0xFF
    encrypted = archive()
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        encrypted[encrypted.index(signature) + offset] |= 1
    exotic = archive()
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        at = exotic.index(signature) + offset
        exotic[at : at + 2] = (97).to_bytes(2, "little")
    seen = []
    for name, data in (("crc", crc), ("encrypted", encrypted), ("method", exotic)):
        try:
            unpack_zip(bytes(data), tmp / name)
            seen.append(f"{name}: accepted")
        except InputError as exc:
            seen.append(f"{name}: InputError")
            del exc
        except Exception as exc:  # noqa: BLE001 - the probe reports what escaped
            seen.append(f"{name}: {type(exc).__name__}")
    return all(s.endswith("InputError") for s in seen), ", ".join(seen)


# ------------------------------------------------------------------ 6. silent no-ops


@probe("--source as typed when ingesting (relative) matches; an unknown one is refused")
def relative_source(tmp: Path) -> tuple[bool, str]:
    small_folder(tmp)
    (tmp / "a.txt").write_text(ARTICLE)
    home = tmp / "home"
    here = os.getcwd()
    os.chdir(tmp)
    try:
        cli("ingest", "kb1", "--no-progress", home=home)
        known = cli("check", "a.txt", "--source", "kb1/doc1.txt", "--json", home=home)
        unknown = cli("check", "a.txt", "--source", "kb2/doc1.txt", home=home)
    finally:
        os.chdir(here)
    ok = known.returncode == 0 and unknown.returncode == 2 and "did you mean" in text(unknown)
    return ok, " ".join(text(unknown).split())[:140]


# ------------------------------------------------------------------ 7. speed


@probe("segmentation is linear: 200k, 400k and 2M characters without final punctuation")
def segmentation(tmp: Path) -> tuple[bool, str]:
    sys.path.insert(0, str(REPO))
    from claims.segment import segment

    def seconds(chars: int) -> float:
        line = "a line without final punctuation about Brics and Kazan\n"
        body = line * (chars // len(line))
        started = time.perf_counter()
        segment(body)
        return time.perf_counter() - started

    small, large, huge = seconds(200_000), seconds(400_000), seconds(2_000_000)
    ratio = large / max(small, 1e-6)
    seen = f"200k {small:.2f} s, 400k {large:.2f} s (ratio {ratio:.1f}), 2M {huge:.2f} s"
    return ratio < 3.0 and huge < 30, seen


# ------------------------------------------------------------------ 8. messages


@probe("an over-long article names the setting that raises the limit")
def too_long(tmp: Path) -> tuple[bool, str]:
    (tmp / "a.txt").write_text("Brics began in 2009. " * 100)
    run = cli(
        "check", str(tmp / "a.txt"), home=tmp / "home", env={"CLAIMSCOPE_MAX_ARTICLE_CHARS": "500"}
    )
    message = " ".join(text(run).split())
    return "CLAIMSCOPE_MAX_ARTICLE_CHARS" in message and run.returncode == 2, message[:140]


@probe("a 'chroma' path that is a file is named as such")
def chroma_is_file(tmp: Path) -> tuple[bool, str]:
    (tmp / "home").mkdir()
    (tmp / "home" / "chroma").write_text("x")
    run = cli("kb", "stats", home=tmp / "home")
    message = " ".join(text(run).split())
    return "is a file, not a folder" in message, message[:140]


@probe("no library debug lines on stderr at default verbosity")
def quiet(tmp: Path) -> tuple[bool, str]:
    folder = small_folder(tmp)
    cli("ingest", str(folder), "--no-progress", home=tmp / "home")
    (tmp / "a.txt").write_text(ARTICLE)
    run = cli("check", str(tmp / "a.txt"), home=tmp / "home")
    stderr = run.stderr.decode(errors="replace") if isinstance(run.stderr, bytes) else run.stderr
    noisy = [line for line in stderr.splitlines() if "DEBUG" in line or "bm25s" in line]
    return not noisy, noisy[0][:120] if noisy else "quiet"


@probe("a newline in a file name prints as an escape in kb sources")
def newline_name(tmp: Path) -> tuple[bool, str]:
    folder = tmp / "src"
    folder.mkdir()
    (folder / "two\nlines.txt").write_text("Brics began in 2009.")
    cli("ingest", str(folder), "--no-progress", home=tmp / "home")
    listing = text(cli("kb", "sources", home=tmp / "home"))
    return "two\\nlines.txt" in listing, " ".join(listing.split())[:120]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.probe_reliability")
    parser.add_argument("--keep", type=Path, help="keep the probes' folders here")
    parser.add_argument("-k", help="run only probes whose name contains this")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="claimscope-probe-")) if not args.keep else args.keep
    passed = failed = 0
    for index, (name, func) in enumerate(PROBES):
        if args.k and args.k not in name:
            continue
        folder = root / f"probe{index:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        try:
            ok, seen = func(folder)
        except Exception as exc:  # noqa: BLE001 - a crashing probe is a WRONG, not a stop
            ok, seen = False, f"probe crashed: {type(exc).__name__}: {exc}"
        took = time.monotonic() - started
        passed, failed = passed + ok, failed + (not ok)
        print(f"{'ok   ' if ok else 'WRONG'}  {name}  [{took:.1f} s]  {seen}", flush=True)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
