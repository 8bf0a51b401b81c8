"""Bytes to text: BOMs, UTF-8, UTF-16/32, a CP1252 fallback, and binary detection."""

from __future__ import annotations

import codecs

from kg.documents._data import binary_signatures
from kg.errors import DocumentError

#: Byte order marks, longest first (the UTF-32 LE mark starts like the UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: C0 controls that never occur in text (tab, newlines, form feed and escape do).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\v\f\r\x1b") + b"\x7f"
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_ASCII = bytes(range(128))
#: Over this share of control bytes a file is binary.
MAX_CONTROL_SHARE = 0.01
#: Over this share of non-ASCII bytes, a file that is not UTF-8 is not CP1252 text either.
MAX_HIGH_SHARE = 0.3
#: Shares are not judged on fewer bytes than this.
MIN_SHARE_SAMPLE = 16
SNIFF_BYTES = 4096


def binary_kind(data: bytes) -> str | None:
    """The kind of binary file `data` starts like ("PNG image"), or None."""
    for parts, name in binary_signatures():
        if all(data[offset : offset + len(magic)] == magic for offset, magic in parts):
            return name
    return None


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, BOM length) when `data` starts with a byte order mark."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Codec name when `data` looks like BOM-less UTF-16 of mostly ASCII text."""
    sample = data[:SNIFF_BYTES]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    zeros_even = sample[0::2].count(0) / pairs
    zeros_odd = sample[1::2].count(0) / pairs
    if zeros_odd > 0.4 and zeros_even < 0.02:
        return "utf-16-le"
    if zeros_even > 0.4 and zeros_odd < 0.02:
        return "utf-16-be"
    return None


def _control_share(data: bytes) -> float:
    return len(data.translate(None, _NOT_CONTROL)) / len(data)


def _decode_unicode(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = encoding.upper().removesuffix("-LE").removesuffix("-BE")
        raise DocumentError(source, f"invalid {name} text at byte {exc.start}") from exc


def decode_bytes(data: bytes, source: str) -> str:
    """The text in `data`, or `DocumentError` for empty and binary files.

    Tries, in order: a BOM (UTF-8/16/32), BOM-less UTF-16, UTF-8, then CP1252 (which
    also reads Latin-1: its few undefined bytes are C1 controls, dropped later).

    >>> decode_bytes("£5".encode("latin-1"), "x.txt")
    '£5'
    """
    if not data or data.isspace():
        raise DocumentError(source, "empty document")
    if kind := binary_kind(data):
        raise DocumentError(source, f"binary file ({kind}), skipped")
    if found := bom_encoding(data):
        encoding, skip = found
        try:
            return _decode_unicode(data[skip:], encoding, source)
        except DocumentError:
            if encoding != "utf-32-le":
                raise
            # FF FE 00 00 is also UTF-16 LE's mark followed by U+0000: read it so.
            return _decode_unicode(data[2:], "utf-16-le", source)
    if b"\x00" in data:
        if utf16 := _utf16_without_bom(data):
            text = _decode_unicode(data, utf16, source)
            if _control_share(text.encode("utf-8")) <= MAX_CONTROL_SHARE:
                return text
        raise DocumentError(source, "binary file (contains NUL bytes), skipped")
    if _control_share(data) > MAX_CONTROL_SHARE:
        raise DocumentError(source, "binary file (control bytes), skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if (
        len(data) >= MIN_SHARE_SAMPLE
        and len(data.translate(None, _ASCII)) / len(data) > MAX_HIGH_SHARE
    ):
        raise DocumentError(source, "binary file or unknown encoding (not UTF-8 text), skipped")
    return data.decode("cp1252", errors="ignore")
