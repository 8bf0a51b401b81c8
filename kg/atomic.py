"""Atomic file writes: a temporary file beside the target, fsynced, then renamed.

A failure while writing (a full disk, a size limit, a kill) leaves the previous file
as it was. New files get the permissions the umask allows (rw-r--r-- usually);
an existing file keeps its own.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from kg.errors import OutputError

Writer = Callable[[IO[bytes]], object]


def write_atomic(path: Path, write: Writer) -> Path:
    """Call ``write`` on a temporary file next to ``path``, then rename it into place."""
    return write_atomic_many([(path, write)])[0]


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    return write_atomic(path, lambda handle: handle.write(data))


def write_atomic_many(files: list[tuple[Path, Writer]]) -> list[Path]:
    """Write every file to a temporary file first, then rename them all into place.

    Nothing is renamed until all the data is on disk (flushed and fsynced).
    """
    for path, _ in files:
        check_folder(path)
    temporary: list[tuple[str, Path]] = []
    try:
        for path, write in files:
            try:
                fd, tmp = tempfile.mkstemp(
                    prefix=f".{path.name}.", suffix=".tmp", dir=_folder(path)
                )
            except OSError as exc:
                raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
            temporary.append((tmp, path))
            try:
                with os.fdopen(fd, "wb") as handle:
                    write(handle)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(tmp, file_mode(path))
            except OSError as exc:
                raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
        for tmp, path in temporary:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        for tmp, _ in temporary:
            Path(tmp).unlink(missing_ok=True)
        raise
    return [path for path, _ in files]


def check_folder(path: Path) -> None:
    """OutputError unless the directory ``path`` goes in exists."""
    folder = _folder(path)
    if not folder.is_dir():
        problem = "is not a directory" if folder.exists() else "does not exist"
        raise OutputError(f"{path}: cannot write: {folder} {problem}")


def check_writable(path: Path) -> None:
    """OutputError unless a file could be written at ``path`` (before any work is done)."""
    check_folder(path)
    folder = _folder(path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"{path}: cannot write: Permission denied (directory {folder})")


def file_mode(path: Path) -> int:
    """An existing file's permissions, else what the umask allows of rw-rw-rw-."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def _folder(path: Path) -> Path:
    return path.parent if str(path.parent) else Path(".")
