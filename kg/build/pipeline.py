"""Documents → spaCy Docs → extractions, streamed in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from kg.documents.prepare import prepare_text
from kg.errors import DocumentError, ExtractorError
from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec, extractors, run
from kg.model import Extraction, Fact, Mention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from kg.documents import Document


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
) -> Iterator[tuple[Document, Extraction]]:
    """Parse and extract each document, yielding as they are done (memory stays flat)."""
    chosen = extractors_for(extractors)
    fitting = fitting_documents(documents, nlp.max_length, on_error)
    pairs = ((prepare_text(document.text), document) for document in fitting)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        ctx = DocContext(document=document, doc=doc)
        extraction = extract_document(ctx, chosen, min_confidence=min_confidence)
        if on_error is not None:
            for message in extraction.errors:
                on_error(message)
        yield document, extraction


def fitting_documents(
    documents: Iterable[Document], max_length: int, on_error: Callable[[str], None] | None
) -> Iterator[Document]:
    """The documents the model can parse; longer ones are reported (one line) and left out."""
    for document in documents:
        if len(document.text) > max_length:
            if on_error is not None:
                on_error(
                    str(
                        DocumentError(
                            document.source,
                            f"too long for the model ({len(document.text):,} characters, over "
                            f"nlp.max_length={max_length:,}); split it into smaller documents",
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
    docs: list[Doc | str]
    try:
        docs = list(nlp.pipe([prepare_text(d.text) for d in documents], batch_size=16))
    except Exception:  # isolate the document that fails
        docs = [_parse_one(nlp, document) for document in documents]
    out: list[Extraction | str] = []
    for document, doc in zip(documents, docs):
        if isinstance(doc, str):
            out.append(doc)
        else:
            ctx = DocContext(document=document, doc=doc)
            out.append(extract_document(ctx, chosen, min_confidence=min_confidence))
    return out


def _parse_one(nlp: Language, document: Document) -> Doc | str:
    try:
        return nlp(prepare_text(document.text))
    except Exception as exc:
        return str(
            DocumentError(document.source, f"the model failed on it: {type(exc).__name__}: {exc}")
        )
