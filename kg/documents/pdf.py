"""PDF files: the text layer, page by page, with paragraphs put back together.

pypdf gives text fragments with their positions; fragments on one baseline make a line,
and a gap between lines wider than the page's usual line spacing ends a paragraph. Lines
of a paragraph are joined with spaces (a line break would end a sentence for the NLP
step), paragraphs with a blank line, pages too. ``Extracted.pages`` keeps where each page
starts in the text, so an evidence offset points to its page.

Encrypted files (unless readable with the empty password) and files with no text layer
(scans, images) are refused with the reason; run OCR on a scan first.

    >>> read_pdf(Path("report.pdf").read_bytes(), "report.pdf").pages  # doctest: +SKIP
    (0, 2817, 5931)
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from kg.errors import DocumentError

#: A line gap this many times the page's usual line spacing starts a new paragraph.
PARAGRAPH_GAP = 1.4
#: A line's height in font sizes, for pages where no paragraph wraps.
LINE_HEIGHT = 1.25
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Extracted:
    """Text of a paged file, its title if the file names one, and where each page starts."""

    text: str
    title: str | None
    pages: tuple[int, ...]


def read_pdf(data: bytes, source: str) -> Extracted:
    """The text of a PDF; DocumentError if it is encrypted, has no text, or is not a PDF."""
    try:
        import pypdf
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise DocumentError(source, "reading PDF needs pypdf (pip install pypdf)") from exc
    try:
        with _quiet("pypdf"):
            return _read(pypdf, data, source)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DocumentError(
            source, f"not a readable PDF ({type(exc).__name__}: {exc}), skipped"
        ) from exc


def _read(pypdf: Any, data: bytes, source: str) -> Extracted:
    from pypdf.errors import DependencyError

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError) as exc:
            raise DocumentError(
                source, f"encrypted PDF that cannot be opened here ({exc}), skipped"
            ) from exc
        if not opened:
            raise DocumentError(source, "encrypted PDF (a password is needed to read it), skipped")
    texts = [_page_text(page) for page in reader.pages]
    title = _metadata_title(reader)
    pages: list[int] = []
    parts: list[str] = []
    offset = 0
    for text in texts:
        pages.append(offset)
        if text:
            parts.append(text)
            offset += len(text) + 2
    if not parts:
        raise DocumentError(
            source,
            f"no text layer in {len(texts)} page{'s' if len(texts) != 1 else ''} "
            "(an image-only or scanned PDF: run OCR on it first), skipped",
        )
    return Extracted("\n\n".join(parts), title, tuple(pages))


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Keep a library's warnings about damaged files off the terminal (we report the file)."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _page_text(page: object) -> str:
    """One page's paragraphs, separated by blank lines."""
    fragments: list[tuple[float, float, str]] = []  # (baseline y, x, text)
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text or not text.strip() and not fragments:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        fragments.append((y, x, text))
        if text.strip():
            sizes.append(abs(size * tm[3] * cm[3]) or abs(size))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    lines: list[tuple[float, str]] = []
    for y, _x, text in fragments:
        if lines and abs(lines[-1][0] - y) < 1.0:
            lines[-1] = (lines[-1][0], lines[-1][1] + text)
        else:
            lines.append((y, text))
    lines = [(y, _SPACES.sub(" ", text.replace("\n", " ")).strip()) for y, text in lines]
    lines = [(y, text) for y, text in lines if text]
    if not lines:
        return ""
    gaps = [abs(a[0] - b[0]) for a, b in zip(lines, lines[1:]) if abs(a[0] - b[0]) > 0]
    # The line spacing: the smallest gap, or about 1.25 font sizes when every line is
    # a paragraph of its own (then the smallest gap is already a paragraph gap).
    font = statistics.median(sizes) if sizes else 0.0
    usual = min([min(gaps)] + ([LINE_HEIGHT * font] if font else [])) if gaps else 0.0
    paragraphs: list[list[str]] = [[lines[0][1]]]
    for (y0, _), (y1, text) in zip(lines, lines[1:]):
        if usual and abs(y0 - y1) > usual * PARAGRAPH_GAP:
            paragraphs.append([text])
        else:
            paragraphs[-1].append(text)
    return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)


def _metadata_title(reader: object) -> str | None:
    try:
        info = reader.metadata  # type: ignore[attr-defined]
        title = info.title if info is not None else None
    except Exception:  # broken metadata never stops the text
        return None
    title = " ".join(str(title).split()) if title else ""
    return title or None
