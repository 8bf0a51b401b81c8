"""JSON Lines: one document per line, streamed, each bad line reported on its own."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kg.documents.dates import parse_date_value
from kg.documents.decode import SNIFF_BYTES, binary_kind, bom_encoding, decode_bytes
from kg.documents.document import Document, document_from_text
from kg.errors import DocumentError

_CHUNK = 1 << 20


def _json_type(value: Any) -> str:
    names = {bool: "boolean", int: "number", float: "number", list: "array", dict: "object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _scalar(value: Any) -> str | None:
    """A metadata value as a string: strings and numbers only."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value)


def _record(line: str, source: str) -> dict[str, Any]:
    """The JSON object on one line, or `DocumentError` naming what is wrong."""
    try:
        record = json.loads(line.rstrip("\r\n"))  # an open string ends at the line end
    except json.JSONDecodeError as exc:
        raise DocumentError(source, f"invalid JSON: {exc.msg} (column {exc.colno})") from exc
    except RecursionError as exc:
        raise DocumentError(source, "invalid JSON: nested too deeply") from exc
    except ValueError as exc:
        raise DocumentError(source, f"invalid JSON: {exc}") from exc
    if not isinstance(record, dict):
        raise DocumentError(source, f"not a JSON object (got {_json_type(record)})")
    return record


def document_from_record(
    record: dict[str, Any], source: str, *, default_date: datetime.date | None = None
) -> Document:
    """A `Document` from one JSONL object: ``text`` plus optional id, title, date, url, author."""
    if "text" not in record:
        raise DocumentError(source, 'missing "text"')
    text = record["text"]
    if not isinstance(text, str):
        raise DocumentError(source, f'"text" is not a string (got {_json_type(text)})')
    if not text.strip():
        raise DocumentError(source, 'empty "text"')
    date_value = _scalar(record.get("date"))
    return document_from_text(
        text,
        source=source,
        id=_scalar(record.get("id")),
        title=_scalar(record.get("title")),
        date=(parse_date_value(date_value) if date_value else None) or default_date,
        author=_scalar(record.get("author")),
        url=_scalar(record.get("url")),
    )


def _lines(stream: IO[Any], limit: int) -> Iterator[tuple[int, Any]]:
    """(line number, line) pairs; the line is None when longer than `limit` (then skipped)."""
    newline = "\n" if isinstance(stream, io.TextIOBase) else b"\n"
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(newline):
            while (rest := stream.readline(_CHUNK)) and not rest.endswith(newline):
                pass
            yield number, None
        else:
            yield number, line


def _decode_line(raw: bytes, source: str, first: bool) -> str:
    if first and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return decode_bytes(raw, source)


def read_jsonl(
    path: Path, source: str, *, max_bytes: int, default_date: datetime.date | None = None
) -> Iterator[Document | DocumentError]:
    """Documents of a JSONL file, and a `DocumentError` for each bad line (then going on)."""
    with open(path, "rb") as raw:
        head = raw.read(SNIFF_BYTES)
        raw.seek(0)
        found = bom_encoding(head)
        if found and found[0] != "utf-8":
            encoding = found[0][: len("utf-16")]  # "utf-16"/"utf-32" read the BOM themselves
            stream: IO[Any] = io.TextIOWrapper(raw, encoding=encoding, newline="\n")
        else:
            if kind := binary_kind(head):
                yield DocumentError(source, f"binary file ({kind}), skipped")
                return
            if b"\x00" in head:
                yield DocumentError(source, "binary file (contains NUL bytes), skipped")
                return
            stream = raw
        yield from _records(stream, source, max_bytes=max_bytes, default_date=default_date)


def _records(
    stream: IO[Any], source: str, *, max_bytes: int, default_date: datetime.date | None
) -> Iterator[Document | DocumentError]:
    number = 0
    try:
        for number, line in _lines(stream, max_bytes):
            where = f"{source}:{number}"
            if line is None:
                yield DocumentError(where, f"line too long (over max_bytes={max_bytes}), skipped")
                continue
            try:
                text = line if isinstance(line, str) else _decode_line(line, where, number == 1)
                if text.strip():
                    yield document_from_record(
                        _record(text, where), where, default_date=default_date
                    )
            except DocumentError as exc:
                yield exc
    except UnicodeDecodeError as exc:
        yield DocumentError(
            f"{source}:{number + 1}", f"invalid {exc.encoding} text, rest of file skipped"
        )
