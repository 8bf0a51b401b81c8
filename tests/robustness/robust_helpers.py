"""What the robustness tests share: the real `kg` command, bad files, OS-level limits.

Everything here is a real mechanism, never a monkeypatch:

- ``run_kg`` runs ``python -m kg`` in a subprocess (exit code, stdout and stderr apart).
- ``unprivileged=True`` drops the capabilities that let root ignore file permissions
  (``setpriv``), so ``chmod 000`` means "unreadable" even when the tests run as root.
- ``fsize=N`` sets ``RLIMIT_FSIZE``: the kernel refuses to grow any file past N bytes
  (``EFBIG``; Python ignores ``SIGXFSZ``), which is what a writer sees on a full quota.
- ``full_disk_run`` mounts a small tmpfs in a private mount namespace (``unshare``),
  fills it, and runs a command there: a real ``ENOSPC``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import resource
import shutil
import socket
import struct
import subprocess
import sys
import textwrap
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
#: As root, drop the capabilities that bypass file permissions (for this process only).
DROP_DAC = [
    "setpriv",
    "--inh-caps=-dac_override,-dac_read_search",
    "--bounding-set=-dac_override,-dac_read_search",
]
SUMMARY = re.compile(r"kg: (\d+) processed, (\d+) skipped, (\d+) failed")
#: Attack strings that must stay text wherever they are shown.
HOSTILE = [
    "<script>window.kgPwned=1;alert(1)</script>",
    '<img src=x onerror="window.kgPwned=2;alert(2)">',
    "</div>\"'`${alert(3)}`",
    "\u202eevil\u202c \u200fmark 😀🇺🇦",
]


@dataclass(frozen=True)
class Run:
    """A finished `kg` command."""

    code: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stderr.splitlines()

    def summary(self) -> tuple[int, int, int]:
        """(processed, skipped, failed) from the build's summary line."""
        found = SUMMARY.search(self.stderr)
        assert found, f"no summary line in: {self.stderr}"
        return int(found[1]), int(found[2]), int(found[3])

    def assert_clean_failure(self, code: int = 1) -> str:
        """The command failed with ``code`` and one ``kg: error:`` line; returns it."""
        assert self.code == code, (self.code, self.stderr)
        assert "Traceback" not in self.stderr + self.stdout
        errors = [line for line in self.lines if line.startswith("kg: error: ")]
        assert len(errors) == 1, self.stderr
        return errors[0]


def kg_env() -> dict[str, str]:
    return {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


def run_kg(
    *args: str | os.PathLike[str],
    cwd: Path,
    unprivileged: bool = False,
    fsize: int | None = None,
    timeout: float = 180,
) -> Run:
    """Run ``python -m kg ARGS`` in ``cwd`` (see the module docstring for the options)."""
    command = [sys.executable, "-m", "kg", *map(str, args)]
    if unprivileged and IS_ROOT:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        command = DROP_DAC + command

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    done = subprocess.run(
        command,
        cwd=cwd,
        env=kg_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit if fsize is not None else None,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def png_bytes() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zip_bytes() -> bytes:
    """A real zip archive holding one text file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("story.txt", "NATO leaders met in Brussels.")
    return buffer.getvalue()


# --- a full disk ---------------------------------------------------------------------------

_FULL_DISK_SCRIPT = textwrap.dedent(
    """
    import hashlib, json, os, shutil, subprocess, sys
    mount, size, previous, names, command = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4]), json.loads(sys.argv[5])
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount], check=True)
    def digest(path):
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    for source, name in zip(previous, names):
        shutil.copyfile(source, os.path.join(mount, name))
    try:
        with open(os.path.join(mount, "filler"), "wb") as handle:
            while True:
                handle.write(b"\\0" * 65536)
                handle.flush()
    except OSError as exc:
        full = exc.strerror
    before = {name: digest(os.path.join(mount, name)) for name in names}
    done = subprocess.run(command, capture_output=True, text=True)
    after = {name: digest(os.path.join(mount, name)) for name in names}
    print(json.dumps({"full": full, "code": done.returncode, "stdout": done.stdout,
                      "stderr": done.stderr, "before": before, "after": after,
                      "listing": sorted(os.listdir(mount))}))
    """
)


def can_mount_tmpfs(tmp_path: Path) -> bool:
    """Whether this process may mount a tmpfs in a private mount namespace (root, unshare)."""
    if not IS_ROOT or shutil.which("unshare") is None:
        return False
    target = tmp_path / "probe"
    target.mkdir(exist_ok=True)
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "mount", "-t", "tmpfs", "-o",
         "size=64k", "tmpfs", str(target)],
        capture_output=True,
    )  # fmt: skip
    return probe.returncode == 0


def full_disk_run(
    mount: Path, previous: list[Path], names: list[str], kg_args: list[str], size: str = "8m"
) -> dict:
    """Mount a ``size`` tmpfs on ``mount``, copy ``previous`` files in as ``names``, fill the
    disk, run ``kg KG_ARGS`` there; returns the hashes of ``names`` before and after, the
    command's exit code and output, and what is left in the mount."""
    mount.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "kg", *kg_args]
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", sys.executable, "-c",
         _FULL_DISK_SCRIPT, str(mount), size, json.dumps([str(p) for p in previous]),
         json.dumps(names), json.dumps(command)],
        capture_output=True, text=True, env=kg_env(), timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def wait_until(page, predicate: str, seconds: float = 30) -> None:
    """Poll a JS predicate with ``page.evaluate`` (the pages' CSP forbids the ``eval`` that
    ``page.wait_for_function`` uses)."""
    import time

    deadline = time.monotonic() + seconds
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds}s waiting for {predicate}")
        page.wait_for_timeout(50)


class PageWatch:
    """Everything a page does that the hostile-text tests forbid."""

    def __init__(self, allowed: tuple[str, ...]) -> None:
        self.allowed = allowed
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, page) -> None:
        page.route("**/*", self._route)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        if route.request.url.startswith(self.allowed):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self, page) -> None:
        """No dialog, no script error, no CSP report, no foreign request, no payload ran."""
        assert self.dialogs == [], self.dialogs
        assert self.errors == [] and self.console_errors == [], (self.errors, self.console_errors)
        assert self.foreign == [], self.foreign
        assert page.evaluate("typeof window.kgPwned") == "undefined"


class Canary:
    """A TCP listener on 127.0.0.1 that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self) -> None:
        self.stop = True
        self.thread.join(2)
        self.sock.close()
