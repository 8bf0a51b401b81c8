"""Documents → spaCy Docs → extractions, streamed in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from kg.errors import DocumentError, ExtractorError
from kg.extract import DocContext, load_builtin_extractors, resolve_extractors
from kg.extract.base import Registered, iter_outputs
from kg.model import Extraction, Fact, Mention

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.documents import Document


def extractors_for(names: Sequence[str] | None = None) -> list[Registered]:
    """The registered extractors to run (all built-in ones by default)."""
    load_builtin_extractors()
    return resolve_extractors(names)


def extract_document(ctx: DocContext, extractors: Iterable[Registered]) -> Extraction:
    """Run the extractors on one parsed document."""
    extraction = Extraction(doc_id=ctx.doc_id)
    for _name, output in iter_outputs(ctx, extractors):
        if isinstance(output, Mention):
            extraction.mentions.append(output)
        elif isinstance(output, Fact):
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
) -> Iterator[tuple[Document, Extraction]]:
    """Parse and extract each document, yielding as they are done (memory stays flat)."""
    chosen = extractors_for(extractors)
    fitting = fitting_documents(documents, nlp.max_length, on_error)
    pairs = ((document.text, document) for document in fitting)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        extraction = extract_document(DocContext(document=document, doc=doc), chosen)
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
    documents: Sequence[Document], model: str | None, extractors: Sequence[str] | None
) -> list[Extraction | str]:
    """Parse and extract a list of documents in this process (a worker's unit of work).

    Loads the model once per process. A document spaCy cannot parse comes back as a
    one-line message instead of an extraction; the others are unaffected.
    """
    from kg.nlp import load_model

    nlp = load_model(model)
    chosen = extractors_for(extractors)
    try:
        docs = list(nlp.pipe([d.text for d in documents], batch_size=16))
    except Exception:  # isolate the document that fails
        docs = [_parse_one(nlp, document) for document in documents]
    out: list[Extraction | str] = []
    for document, doc in zip(documents, docs):
        if isinstance(doc, str):
            out.append(doc)
        else:
            out.append(extract_document(DocContext(document=document, doc=doc), chosen))
    return out


def _parse_one(nlp: Language, document: Document):  # type: ignore[no-untyped-def]
    try:
        return nlp(document.text)
    except Exception as exc:
        return str(DocumentError(document.source, f"the model failed on it: {type(exc).__name__}: {exc}"))
