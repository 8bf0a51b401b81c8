"""Documents → spaCy Docs → extractions, streamed in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from kg.errors import ExtractorError
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
    pairs = ((document.text, document) for document in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        extraction = extract_document(DocContext(document=document, doc=doc), chosen)
        if on_error is not None:
            for message in extraction.errors:
                on_error(message)
        yield document, extraction
