"""Format readers: decoded text in, body text and metadata out.

Each reader is a function ``str -> Parsed``; `reader_for` picks one by format name
(see ``kg/data/documents_extensions.tsv``). JSONL, which holds many documents per
file, lives in `kg.documents.jsonl`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from kg.documents.meta import first_line_title


@dataclass(frozen=True)
class Parsed:
    """What a reader found: the body text and whatever metadata the format carries."""

    text: str
    title: str | None = None
    date: datetime.date | None = None
    author: str | None = None
    url: str | None = None


Reader = Callable[[str], Parsed]


def read_plain(text: str) -> Parsed:
    """Plain text: the text as is, the first non-empty line as title."""
    return Parsed(text=text, title=first_line_title(text))


def read_markdown(text: str) -> Parsed:
    """Markdown, with markup stripped (see `kg.documents.markdown`)."""
    from kg.documents.markdown import parse_markdown

    return parse_markdown(text)


def read_html(text: str) -> Parsed:
    """HTML main text and metadata (see `kg.documents.html`)."""
    from kg.documents.html import parse_html

    return parse_html(text)


READERS: dict[str, Reader] = {"txt": read_plain, "md": read_markdown, "html": read_html}


def reader_for(fmt: str) -> Reader:
    """The reader of a format name; unknown names read as plain text."""
    return READERS.get(fmt, read_plain)
