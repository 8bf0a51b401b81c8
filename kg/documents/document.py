"""The `Document` record, text normalization and stable ids."""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from kg.documents.dates import parse_date_value
from kg.documents.meta import find_byline
from kg.errors import DocumentError

ID_LENGTH = 16
MAX_EXPLICIT_ID = 128

#: Line and paragraph separators other than "\n" (vertical tab, form feed, NEL, U+2028/9).
_BREAKS = {"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n\n"}
_BREAKS_RE = re.compile("[\x0b\x0c\x85\u2028\u2029]")
#: Control characters except tab and newline, lone surrogates, BOMs and non-characters.
_JUNK_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufeff\ufffe\uffff]")
_SAFE_ID_RE = re.compile(r"[A-Za-z0-9._-]+")
_UNSAFE_ID_CHARS_RE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Document:
    """One input document: normalized text plus what is known about it.

    ``id`` is stable (a digest of the text unless the input gave one); ``source`` is the
    path as given, or ``path:LINE`` for a JSONL record.
    """

    id: str
    text: str = field(repr=False)
    source: str
    title: str | None = None
    date: datetime.date | None = None
    author: str | None = None
    url: str | None = None
    #: The absolute path of the file this document is the whole of (None for JSONL records and strings).
    file: str | None = None

    @property
    def digest(self) -> str:
        """A digest of the text and metadata: a rebuild skips a document whose digest is stored."""
        parts = (self.id, self.text, self.title, self.date, self.author, self.url)
        payload = "\x1f".join("" if part is None else str(part) for part in parts)
        return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def __repr__(self) -> str:
        return (
            f"Document(id={self.id!r}, source={self.source!r}, title={self.title!r}, "
            f"date={self.date!r}, author={self.author!r}, chars={len(self.text)})"
        )


def normalize_text(text: str) -> str:
    """Text as every layer expects it: ``\\n`` line ends, NFC, no BOM or control characters.

    Tabs, newlines and blank lines are kept (paragraph boundaries matter downstream).

    >>> normalize_text("\\ufeffCafe\\u0301\\r\\nok\\x07")
    'Café\\nok'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BREAKS_RE.sub(lambda m: _BREAKS[m.group()], text)
    text = _JUNK_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def text_id(text: str) -> str:
    """The id of a text: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:ID_LENGTH]


def safe_id(value: str) -> str:
    """An explicit id as a token of ``[A-Za-z0-9._-]``, safe in an IRI path.

    Safe ids are kept; others become a slug plus a digest of the original (so two
    different ids never collide), or just the digest when nothing usable is left.

    >>> safe_id("doc-1"), safe_id("a/b c")
    ('doc-1', 'a-b-c-0af99a60')
    """
    if _SAFE_ID_RE.fullmatch(value) and len(value) <= MAX_EXPLICIT_ID and value.strip("."):
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    slug = _UNSAFE_ID_CHARS_RE.sub("-", value).strip("-.")[:48].strip("-.")
    return f"{slug}-{digest[:8]}" if slug else digest[:ID_LENGTH]


def _as_date(value: datetime.date | str | None) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return parse_date_value(value)
    return value


def _clean_field(value: str | None) -> str | None:
    """A one-line metadata string, or None when blank."""
    if value is None:
        return None
    value = " ".join(normalize_text(value).split())
    return value or None


def document_from_text(
    text: str,
    *,
    source: str = "<text>",
    title: str | None = None,
    date: datetime.date | str | None = None,
    author: str | None = None,
    url: str | None = None,
    id: str | None = None,
    file: str | None = None,
) -> Document:
    """A `Document` from a string: normalizes the text, derives the id, finds a byline.

    Raises `DocumentError` when nothing but whitespace is left.

    >>> doc = document_from_text("Talks\\n\\nBy Jane Smith\\n\\nThe talks began.")
    >>> doc.author, len(doc.id)
    ('Jane Smith', 16)
    """
    text = normalize_text(text)
    if not text.strip():
        raise DocumentError(source, "empty document")
    author = _clean_field(author) or find_byline(text)
    return Document(
        id=safe_id(str(id)) if id is not None and str(id) else text_id(text),
        text=text,
        source=source,
        title=_clean_field(title),
        date=_as_date(date),
        author=author,
        url=_clean_field(url),
        file=file,
    )
