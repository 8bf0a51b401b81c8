"""Inputs to files: paths, directories (recursive, sorted, hidden entries skipped) and globs.

Directories are walked with an explicit stack, never recursion; a directory that is
its own ancestor through a symlink is reported as a loop, one reached twice is
walked once. A hidden entry of a directory (a name that starts with a dot: ``.git``,
``.DS_Store``, ``..txt``) is not read, but it is not silent either: it comes out as a
:class:`Skipped` naming it and why, so a build counts and names it.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import DocumentError

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Skipped:
    """A path left out on purpose, and why (``source: reason`` when printed)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


HIDDEN_FILE = "hidden (the name starts with a dot), skipped"
HIDDEN_DIRECTORY = "hidden directory (the name starts with a dot), skipped"


@dataclass(frozen=True)
class Candidate:
    """A file to read. `explicit` files were named by the user: read even with an unknown
    extension."""

    path: Path
    source: str
    explicit: bool


def display_name(path: str) -> str:
    """A path as text that can be printed and stored: undecodable bytes become U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _dir_key(path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _listing(path: str, source: str) -> list[os.DirEntry[str]]:
    """The entries of a directory, sorted by name (hidden ones included)."""
    try:
        with os.scandir(path) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        raise DocumentError(source, f"cannot list directory: {exc.strerror or exc}") from exc


def walk(root: str, visited: set[tuple[int, int]]) -> Iterator[Candidate | DocumentError | Skipped]:
    """Files under `root` in sorted depth-first order; `visited` holds directories already walked."""
    key = _dir_key(root)
    if key is None or key in visited:
        return
    visited.add(key)
    ancestors = [key]
    stack: list[tuple[str, Iterator[os.DirEntry[str]]]] = []
    try:
        stack.append((display_name(root), iter(_listing(root, display_name(root)))))
    except DocumentError as exc:
        yield exc
        return
    while stack:
        parent, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            ancestors.pop()
            continue
        source = os.path.join(parent, display_name(entry.name))
        if entry.name.startswith("."):
            yield Skipped(source, HIDDEN_DIRECTORY if _is_dir(entry) else HIDDEN_FILE)
            continue
        if not _is_dir(entry):
            yield Candidate(Path(entry.path), source, explicit=False)
            continue
        key = _dir_key(entry.path)
        if key is None or (key in visited and key not in ancestors):
            continue
        if key in ancestors:
            yield DocumentError(source, "symlink loop (links back to a parent directory), skipped")
            continue
        visited.add(key)
        try:
            listing = _listing(entry.path, source)
        except DocumentError as exc:
            yield exc
            continue
        ancestors.append(key)
        stack.append((source, iter(listing)))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _glob(
    pattern: str, visited: set[tuple[int, int]]
) -> Iterator[Candidate | DocumentError | Skipped]:
    """Matches of a glob pattern (``**`` recursive), sorted; directories are walked."""
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield DocumentError(pattern, "no files match this pattern")
        return
    wanted = Path(pattern).suffix.lower()
    named_suffix = bool(wanted) and not _GLOB_CHARS & set(wanted)
    for match in matches:
        if os.path.isdir(match):
            yield from walk(match, visited)
        else:
            explicit = named_suffix and Path(match).suffix.lower() == wanted
            yield Candidate(Path(match), display_name(match), explicit=explicit)


def expand_paths(
    paths: Iterable[str | os.PathLike[str]],
) -> Iterator[Candidate | DocumentError | Skipped]:
    """Every file the inputs name, in order; a `DocumentError` for each bad input and a
    `Skipped` for each hidden entry of a directory."""
    visited: set[tuple[int, int]] = set()
    for item in paths:
        path = os.fspath(item)
        if os.path.isdir(path):
            yield from walk(path, visited)
        elif os.path.lexists(path):
            yield Candidate(Path(path), display_name(path), explicit=True)
        elif _GLOB_CHARS & set(path):
            yield from _glob(path, visited)
        else:
            yield DocumentError(display_name(path), "no such file or directory")
