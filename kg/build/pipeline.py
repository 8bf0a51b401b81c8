"""Documents → spaCy Docs → extractions, streamed in batches.

A long text is parsed in windows of about :data:`WINDOW_CHARS` characters, cut after
a paragraph, a line or a sentence (:func:`windows`): each window is parsed and
extracted on its own, its offsets shifted back into the whole text, and the document
still yields ONE extraction, so resolution links names across windows as it does
across sentences. Time and memory then grow linearly with the length of a document
(the extractors and spaCy's pipeline are not linear over one very long ``Doc``).
Texts up to one window long are parsed whole, as before.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from kg.documents.prepare import prepare_text
from kg.errors import DocumentError, ExtractorError
from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec, extractors, run
from kg.extract.syntax import keep_text
from kg.model import DOCUMENT_SELF, Extraction, Fact, Mention

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.documents import Document

#: Texts longer than this are parsed in windows of at most this many characters.
WINDOW_CHARS = 20_000
#: Characters parsed together in one batch of windows: what bounds memory on long texts.
BATCH_CHARS = 60_000
#: The longest document accepted, in characters (about 10 MB of text); longer ones are
#: reported and left out. Parsing goes at roughly 10 to 20 kB per second and core.
MAX_DOCUMENT_CHARS = 10_000_000
#: Where a window may end, best first: after a blank line, a line break, a sentence, a space.
_CUTS = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"),
    re.compile(r"\s+"),
)


def windows(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` spans covering ``text`` exactly, each at most ``size`` characters.

    Each cut falls in the second half of its window, at the best boundary found there.

    >>> windows("One.\\n\\nTwo.", size=8)
    [(0, 6), (6, 10)]
    """
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        cut = _cut(text, start + size // 2, start + size)
        spans.append((start, cut))
        start = cut
    spans.append((start, len(text)))
    return spans


def _cut(text: str, low: int, high: int) -> int:
    for pattern in _CUTS:
        last = None
        for last in pattern.finditer(text, low, high):  # noqa: B007 - the last one is wanted
            pass
        if last is not None:
            return last.end()
    return high


def extractors_for(names: Sequence[str] | None = None) -> list[ExtractorSpec]:
    """The extractors to run (all available ones by default), in contract order."""
    return extractors(names)


def extract_document(
    ctx: DocContext, chosen: Iterable[ExtractorSpec], *, min_confidence: float = 0.0
) -> Extraction:
    """Run the extractors on one parsed document; facts under ``min_confidence`` are left out.

    Extractors still see every fact (inference may need a weak one); only the
    extraction handed on is filtered, so worker processes never ship dropped facts.
    """
    extraction = Extraction(doc_id=ctx.doc_id)
    for _name, output in run(ctx, chosen):
        if isinstance(output, Mention):
            extraction.mentions.append(output)
        elif isinstance(output, Fact):
            if output.evidence.confidence >= min_confidence:
                extraction.facts.append(output)
        elif isinstance(output, ExtractorError):
            extraction.errors.append(str(output))
    return extraction


def extract_documents(
    documents: Iterable[Document],
    nlp: Language,
    *,
    extractors: Sequence[str] | None = None,
    batch_size: int = 16,
    on_error: Callable[[str], None] | None = None,
    min_confidence: float = 0.0,
    window_chars: int = WINDOW_CHARS,
) -> Iterator[tuple[Document, Extraction]]:
    """Parse and extract each document, yielding as they are done (memory stays flat).

    Texts longer than ``window_chars`` are parsed in windows (:func:`windows`).
    """
    chosen = extractors_for(extractors)
    fitting = fitting_documents(documents, nlp.max_length, on_error)
    extracted = _extract_windows(fitting, nlp, chosen, batch_size, min_confidence, window_chars)
    for document, extraction in extracted:
        if on_error is not None:
            for message in extraction.errors:
                on_error(message)
        yield document, extraction


def _extract_windows(
    documents: Iterable[Document],
    nlp: Language,
    chosen: Sequence[ExtractorSpec],
    batch_size: int,
    min_confidence: float,
    window_chars: int = WINDOW_CHARS,
) -> Iterator[tuple[Document, Extraction]]:
    """Each document parsed and extracted, a long one window by window and merged back.

    Runs of short documents go through ``nlp.pipe`` together (``batch_size`` texts at a
    time); a long document's windows go a few at a time (:data:`BATCH_CHARS`), so memory
    stays the same whatever its length. Results come in input order.
    """
    for long, group in itertools.groupby(documents, key=lambda d: len(d.text) > window_chars):
        if not long:
            pairs = ((text, (text, d)) for d in group for text in (prepare_text(d.text),))
            for doc, (text, document) in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
                keep_text(doc, text)
                ctx = DocContext(document=document, doc=doc)
                yield document, extract_document(ctx, chosen, min_confidence=min_confidence)
            continue
        for document in group:
            merged = Extraction(doc_id=document.id)
            spans = windows(document.text, window_chars)
            prepared = prepare_text(document.text)  # the same length: offsets hold
            texts = ((prepared[start:end], start) for start, end in spans)
            per_batch = max(1, BATCH_CHARS // window_chars)
            for doc, start in nlp.pipe(texts, as_tuples=True, batch_size=per_batch):
                ctx = DocContext(document=document, doc=doc)
                _merge(merged, extract_document(ctx, chosen, min_confidence=min_confidence), start)
            yield document, _deduplicated(merged)


def _merge(into: Extraction, part: Extraction, offset: int) -> None:
    """Add a window's extraction to the document's, offsets moved into the whole text."""
    into.mentions.extend(shift_mention(m, offset) for m in part.mentions)
    into.facts.extend(shift_fact(f, offset) for f in part.facts)
    into.errors.extend(part.errors)


def _deduplicated(extraction: Extraction) -> Extraction:
    """The same mention, fact or error found by two windows (metadata, bylines) once."""
    extraction.mentions = list(dict.fromkeys(extraction.mentions))
    extraction.facts = list(dict.fromkeys(extraction.facts))
    extraction.errors = list(dict.fromkeys(extraction.errors))
    return extraction


def shift_mention(mention: Mention, offset: int) -> Mention:
    """``mention`` with its offsets (and its antecedent's) moved by ``offset`` characters."""
    if offset == 0 or mention.kind == DOCUMENT_SELF:  # the document itself has no place
        return mention
    antecedent = mention.antecedent
    return replace(
        mention,
        start=mention.start + offset,
        end=mention.end + offset,
        antecedent=shift_mention(antecedent, offset) if antecedent is not None else None,
    )


def shift_fact(fact: Fact, offset: int) -> Fact:
    """``fact`` with its mentions and evidence moved by ``offset`` characters."""
    if offset == 0:
        return fact
    evidence = fact.evidence
    return replace(
        fact,
        subject=shift_mention(fact.subject, offset),
        object=shift_mention(fact.object, offset)
        if isinstance(fact.object, Mention)
        else fact.object,
        evidence=replace(evidence, start=evidence.start + offset, end=evidence.end + offset),
    )


def fitting_documents(
    documents: Iterable[Document], max_length: int, on_error: Callable[[str], None] | None
) -> Iterator[Document]:
    """The documents short enough to process; longer ones are reported (one line), left out.

    Documents are parsed in windows, so the model's ``max_length`` (``max_length``) bounds
    a window, not a document; the limit is :data:`MAX_DOCUMENT_CHARS` (or ``max_length``
    if larger).
    """
    limit = max(max_length, MAX_DOCUMENT_CHARS)
    for document in documents:
        if len(document.text) > limit:
            if on_error is not None:
                on_error(
                    str(
                        DocumentError(
                            document.source,
                            f"too long ({len(document.text):,} characters, over the "
                            f"{limit:,} a document may have); split it into smaller documents",
                        )
                    )
                )
            continue
        yield document


def extract_chunk(
    documents: Sequence[Document],
    model: str | None,
    extractors: Sequence[str] | None,
    min_confidence: float = 0.0,
) -> list[Extraction | str]:
    """Parse and extract a list of documents in this process (a worker's unit of work).

    Loads the model once per process. A document spaCy cannot parse comes back as a
    one-line message instead of an extraction; the others are unaffected.
    """
    from kg.nlp import load_model

    nlp = load_model(model)
    chosen = extractors_for(extractors)
    try:
        return [e for _, e in _extract_windows(documents, nlp, chosen, 16, min_confidence)]
    except Exception:  # isolate the document that fails
        return [_extract_one(nlp, document, chosen, min_confidence) for document in documents]


def _extract_one(
    nlp: Language, document: Document, chosen: Sequence[ExtractorSpec], min_confidence: float
) -> Extraction | str:
    try:
        [(_, extraction)] = _extract_windows([document], nlp, chosen, 16, min_confidence)
    except Exception as exc:
        return str(
            DocumentError(document.source, f"the model failed on it: {type(exc).__name__}: {exc}")
        )
    return extraction
