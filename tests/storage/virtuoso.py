"""A private Virtuoso Open Source 7.2 server for the tests (Debian: virtuoso-opensource-7-bin).

``virtuoso_server(directory)`` starts ``virtuoso-t`` in the foreground with its own
database directory and free ports on 127.0.0.1, grants SPARQL updates to the
anonymous ``SPARQL`` user (isql-vt on stdin), yields the endpoint, and stops the
server. Nothing outside ``directory`` is written; no system service is involved.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO = os.environ.get("KG_VIRTUOSO") or shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = os.environ.get("KG_VIRTUOSO_ISQL") or shutil.which("isql-vt") or "/usr/bin/isql-vt"
#: The password of Virtuoso's administrator in a new database.
DBA = ("dba", "dba")

#: The virtuoso.ini the README tells users to start from; the tests change its ports.
INI = Path(__file__).resolve().parents[2] / "docs" / "virtuoso.ini"


def ini_text(isql_port: int, http_port: int, max_rows: int) -> str:
    """docs/virtuoso.ini with other ports and row cap (paths are relative to the server's cwd)."""
    text = INI.read_text(encoding="utf-8")
    changes = {
        "ServerPort           = 127.0.0.1:1111": f"ServerPort           = 127.0.0.1:{isql_port}",
        "ServerPort           = 127.0.0.1:8890": f"ServerPort           = 127.0.0.1:{http_port}",
        "ResultSetMaxRows           = 1000000": f"ResultSetMaxRows           = {max_rows}",
    }
    for old, new in changes.items():
        if old not in text:
            raise RuntimeError(f"{INI}: no line {old!r} to change")
        text = text.replace(old, new)
    return text


@dataclass(frozen=True)
class Virtuoso:
    """A running server: its SPARQL endpoint (queries and updates), the digest-protected
    one, and the SQL port."""

    sparql: str
    sparql_auth: str
    isql_port: int
    directory: Path


def installed() -> bool:
    return Path(VIRTUOSO).exists() and Path(ISQL).exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def isql(port: int, sql: str) -> str:
    """Run SQL statements (one per line, each ending in ';') through isql-vt on stdin.

    isql exits 0 even when a statement fails, so its output is searched for errors.
    """
    done = subprocess.run(
        [
            ISQL,
            f"127.0.0.1:{port}",
            *DBA,
            "VERBOSE=OFF",
            "BANNER=OFF",
            "PROMPT=OFF",
            "ERRORS=STDOUT",
        ],
        input=sql,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output:
        raise RuntimeError(f"isql failed (exit {done.returncode}): {output.strip()[:500]}")
    return output


def _answers(url: str) -> bool:
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode({"query": "ASK {}"}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _child() -> None:
    """In the child before exec: its own process group, and SIGTERM when the test run dies."""
    os.setsid()
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG (Linux)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@contextlib.contextmanager
def virtuoso_server(
    directory: Path, *, max_rows: int = 1_000_000, timeout: float = 180, attempts: int = 4
) -> Iterator[Virtuoso]:
    """Start a private server in ``directory`` (see the module docstring)."""
    problem = "not started"
    for _ in range(attempts):
        base = directory.resolve() / "virtuoso-db"
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        isql_port, http_port = _free_port(), _free_port()
        if isql_port == http_port:
            continue
        ini = base / "virtuoso.ini"
        ini.write_text(ini_text(isql_port, http_port, max_rows))
        log = base / "stdout.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [VIRTUOSO, "+foreground", "+configfile", str(ini)],
                cwd=base,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                preexec_fn=_child,
            )
        url = f"http://127.0.0.1:{http_port}/sparql"
        online = f"Server online at 127.0.0.1:{isql_port}".encode()
        deadline = time.monotonic() + timeout
        ready = False
        try:
            while time.monotonic() < deadline and process.poll() is None:
                # The log line proves this process owns the ports (another could answer).
                if online in log.read_bytes() and _answers(url):
                    ready = True
                    break
                time.sleep(0.2)
            if not ready:
                problem = f"exit {process.poll()}: {log.read_text(errors='replace')[-1500:]}"
                _stop(process)
                continue
            isql(isql_port, 'GRANT SPARQL_UPDATE TO "SPARQL";\n')
            yield Virtuoso(url, url + "-auth", isql_port, base)
            return
        finally:
            _stop(process)
    raise RuntimeError(f"virtuoso-t did not start ({problem})")
