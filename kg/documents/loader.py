"""`load_documents`: files, directories and globs in, `Document`s out, bad input reported.

Streaming: one file is in memory at a time (one line at a time for JSONL). Each bad
document becomes a `DocumentError` passed to ``on_error`` and the corpus goes on.
"""

from __future__ import annotations

import datetime
import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.documents._data import extensions
from kg.documents.decode import decode_bytes
from kg.documents.document import Document, document_from_text, normalize_text
from kg.documents.formats import reader_for
from kg.documents.jsonl import read_jsonl
from kg.documents.meta import first_line_title
from kg.documents.paths import Candidate, expand_paths
from kg.errors import DocumentError

#: Files larger than this are reported as too large and skipped (64 MiB). For JSONL the
#: limit applies to each line, so a JSONL corpus of any size streams.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

ErrorHandler = Callable[[DocumentError], None]

_OS_PROBLEMS = {
    errno.ENOENT: "no such file or directory",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "symlink loop (too many levels of symbolic links), skipped",
    errno.EISDIR: "is a directory",
}


@dataclass
class LoadStats:
    """Counts kept while `load_documents` runs: pass one in, read it afterwards.

    ``skipped`` counts files left out on purpose (unknown extension in a directory,
    the same file reached twice), ``skipped_files`` names each with the reason;
    ``failed`` counts reported errors.
    """

    loaded: int = 0
    skipped: int = 0
    failed: int = 0
    skipped_files: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, source: str, reason: str) -> None:
        self.skipped += 1
        self.skipped_files.append((source, reason))

    def __str__(self) -> str:
        return f"{self.loaded} loaded, {self.skipped} skipped, {self.failed} failed"


def format_of(candidate: Candidate) -> str | None:
    """The format of a file by extension; explicitly named unknown files read as text."""
    fmt = extensions().get(candidate.path.suffix.lower())
    return fmt or ("txt" if candidate.explicit else None)


def unsupported(path: Path) -> str:
    """Why a file in a directory is not read: its extension, and the ones kg reads."""
    suffix = path.suffix.lower() or "(no extension)"
    known = sorted({ext for ext in extensions()})
    return (
        f"{suffix} is not a format kg reads (it reads {' '.join(known)};"
        " a file named on its own is read as text)"
    )


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def os_error(source: str, exc: OSError) -> DocumentError:
    """A `DocumentError` for an `OSError`, in words."""
    problem = _OS_PROBLEMS.get(exc.errno or 0) or f"cannot read: {exc.strerror or exc}"
    return DocumentError(source, problem)


def _read_bytes(path: Path, source: str, size: int, max_bytes: int) -> bytes:
    if size > max_bytes:
        raise DocumentError(source, f"too large ({size:,} bytes, max_bytes={max_bytes:,}), skipped")
    with open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DocumentError(source, f"too large (over max_bytes={max_bytes:,}), skipped")
    return data


#: Formats read from bytes by their own library (not decoded as text first).
BINARY_READERS = {"pdf": "kg.documents.pdf:read_pdf", "docx": "kg.documents.docx:read_docx"}


def _read_binary(
    path: Path, source: str, fmt: str, size: int, *, max_bytes: int, date: datetime.date | None
) -> Document:
    """A PDF or .docx file: its text through the format's reader (see BINARY_READERS)."""
    import importlib

    module, function = BINARY_READERS[fmt].split(":")
    reader = getattr(importlib.import_module(module), function)
    extracted = reader(_read_bytes(path, source, size, max_bytes), source)
    text = normalize_text(extracted.text)
    if not text.strip():
        raise DocumentError(source, "no text, skipped")
    return document_from_text(
        text,
        source=source,
        title=extracted.title or first_line_title(text),
        date=date,
        file=str(path.resolve()),
    )


def _read_document(
    path: Path, source: str, fmt: str, size: int, *, max_bytes: int, date: datetime.date | None
) -> Document:
    if fmt in BINARY_READERS:
        return _read_binary(path, source, fmt, size, max_bytes=max_bytes, date=date)
    text = normalize_text(decode_bytes(_read_bytes(path, source, size, max_bytes), source))
    parsed = reader_for(fmt)(text)
    return document_from_text(
        parsed.text,
        source=source,
        title=parsed.title,
        date=parsed.date or date,
        author=parsed.author,
        url=parsed.url,
        file=str(path.resolve()),
    )


def _load_file(
    candidate: Candidate,
    fmt: str,
    seen: set[tuple[int, int]],
    *,
    max_bytes: int,
    date: datetime.date | None,
) -> Iterator[Document | DocumentError | None]:
    """The documents of one file; None when it is a file already read."""
    info = os.stat(candidate.path)
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(candidate.source, "not a regular file, skipped")
    if (info.st_dev, info.st_ino) in seen:
        yield None
        return
    seen.add((info.st_dev, info.st_ino))
    if fmt == "jsonl":
        yield from read_jsonl(
            candidate.path, candidate.source, max_bytes=max_bytes, default_date=date
        )
    else:
        yield _read_document(
            candidate.path, candidate.source, fmt, info.st_size, max_bytes=max_bytes, date=date
        )


def _guarded(
    candidate: Candidate,
    fmt: str,
    seen: set[tuple[int, int]],
    *,
    max_bytes: int,
    date: datetime.date | None,
) -> Iterator[Document | DocumentError | None]:
    """`_load_file`, with every exception it may raise turned into a `DocumentError`."""
    try:
        yield from _load_file(candidate, fmt, seen, max_bytes=max_bytes, date=date)
    except DocumentError as exc:
        yield exc
    except OSError as exc:
        yield os_error(candidate.source, exc)
    except Exception as exc:  # a parser bug must not stop the corpus
        yield DocumentError(candidate.source, f"unexpected error: {type(exc).__name__}: {exc}")


def _report(error: DocumentError, stats: LoadStats, on_error: ErrorHandler | None) -> None:
    stats.failed += 1
    if "\n" in str(error) or "\r" in str(error):
        error = DocumentError(_one_line(error.source), _one_line(error.problem))
    if on_error is None:
        raise error
    on_error(error)


def load_documents(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    date: datetime.date | None = None,
    on_error: ErrorHandler | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stats: LoadStats | None = None,
) -> Iterator[Document]:
    """Documents from files, directories (recursive) and glob patterns, lazily.

    Formats by extension: ``.txt``, ``.md``, ``.html``/``.htm``, ``.jsonl``; directories
    skip other extensions (counted in `stats`), a file named explicitly is read as text.
    `date` is the publication date of documents that carry none. Files over `max_bytes`
    (default 64 MiB; per line for JSONL) are skipped. Each bad document goes to
    `on_error` and loading continues; without `on_error` the `DocumentError` is raised.

    >>> stats = LoadStats()
    >>> docs = list(load_documents(["seeds/"], on_error=print, stats=stats))  # doctest: +SKIP
    >>> print(stats)  # doctest: +SKIP
    2 loaded, 0 skipped, 0 failed
    """
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    stats = stats if stats is not None else LoadStats()
    seen: set[tuple[int, int]] = set()
    for item in expand_paths(paths):
        if isinstance(item, DocumentError):
            _report(item, stats, on_error)
            continue
        fmt = format_of(item)
        if fmt is None:
            stats.skip(item.source, unsupported(item.path))
            continue
        for result in _guarded(item, fmt, seen, max_bytes=max_bytes, date=date):
            if result is None:
                stats.skip(item.source, "the same file was read already")
            elif isinstance(result, DocumentError):
                _report(result, stats, on_error)
            else:
                stats.loaded += 1
                yield result
