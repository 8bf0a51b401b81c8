"""Word (.docx) files: paragraphs and table cells in document order.

python-docx reads the file; each non-empty paragraph becomes a paragraph of the text
(separated by blank lines, as in our plain-text files), table cells row by row. The
title is the file's own title property, else the first paragraph. Encrypted or damaged
files (not a zip of XML parts) are refused with the reason.

    >>> read_docx(Path("memo.docx").read_bytes(), "memo.docx").text[:40]  # doctest: +SKIP
"""

from __future__ import annotations

import io
from typing import Any

from kg.documents.pdf import Extracted
from kg.errors import DocumentError


def read_docx(data: bytes, source: str) -> Extracted:
    """The text of a .docx file; DocumentError if it cannot be read."""
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise DocumentError(
            source, "reading .docx needs python-docx (pip install python-docx)"
        ) from exc
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise DocumentError(
            source, "an encrypted or old-format Word file (not a .docx zip), skipped"
        )
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds for a damaged zip
        raise DocumentError(
            source, f"not a readable .docx ({type(exc).__name__}), skipped"
        ) from exc
    paragraphs = [text for text in _texts(document) if text]
    if not paragraphs:
        raise DocumentError(source, "no text in this .docx, skipped")
    title = " ".join((document.core_properties.title or "").split()) or None
    return Extracted("\n\n".join(paragraphs), title, (0,))


def _texts(document: Any) -> list[str]:
    """Paragraph and table-cell texts in body order, white space folded per paragraph."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(" ".join(Paragraph(child, document).text.split()))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                for cell in row.cells:
                    out.extend(" ".join(p.text.split()) for p in cell.paragraphs)
    return out
