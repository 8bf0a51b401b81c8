"""How many documents some inputs hold, counted before any is parsed (for progress bars).

A file is one document, a JSONL file one per non-blank line; files the loader would
skip (unknown extension in a directory) are not counted. Counting reads only JSONL
files, as bytes.

    >>> count_documents(["corpus/", "extra.jsonl"])  # doctest: +SKIP
    1204
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from kg.documents.loader import format_of
from kg.documents.paths import Candidate, expand_paths

CHUNK = 1 << 20


def count_documents(paths: Iterable[str | os.PathLike[str]]) -> int:
    """The number of documents :func:`kg.documents.load_documents` would yield, about."""
    total = 0
    seen: set[tuple[int, int]] = set()
    for item in expand_paths(paths):
        if not isinstance(item, Candidate):
            continue
        fmt = format_of(item)
        if fmt is None:
            continue
        try:
            info = os.stat(item.path)
        except OSError:
            total += 1  # reported as failed when read: one step of the bar
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        total += _jsonl_records(item) if fmt == "jsonl" else 1
    return total


def _jsonl_records(item: Candidate) -> int:
    """Non-blank lines of a JSONL file."""
    count = 0
    try:
        with open(item.path, "rb") as handle:
            pending = b""
            while chunk := handle.read(CHUNK):
                lines = (pending + chunk).split(b"\n")
                pending = lines.pop()
                count += sum(1 for line in lines if line.strip())
            count += 1 if pending.strip() else 0
    except OSError:
        return 1
    return count
