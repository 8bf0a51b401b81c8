"""Documents in: text plus metadata from .txt, .md, .html, .jsonl, .pdf and .docx files.

    >>> from kg.documents import load_documents, LoadStats
    >>> stats = LoadStats()
    >>> for doc in load_documents(["corpus/", "extra/*.html"], on_error=print, stats=stats):
    ...     print(doc.id, doc.title)  # doctest: +SKIP

Modules: `document` (the record, normalization, ids), `decode` (bytes to text),
`formats`/`markdown`/`html`/`jsonl`/`pdf`/`docx` (readers), `count` (documents before loading), `meta` (title and byline lines),
`dates` (metadata dates), `paths` (files, directories, globs), `loader`.
"""

from __future__ import annotations

from kg.documents.count import count_documents
from kg.documents.dates import parse_date_value
from kg.documents.document import (
    Document,
    document_from_text,
    normalize_text,
    safe_id,
    text_id,
)
from kg.documents.loader import DEFAULT_MAX_BYTES, LoadStats, load_documents
from kg.documents.meta import find_byline

__all__ = [
    "DEFAULT_MAX_BYTES",
    "count_documents",
    "Document",
    "LoadStats",
    "document_from_text",
    "find_byline",
    "load_documents",
    "normalize_text",
    "parse_date_value",
    "safe_id",
    "text_id",
]
