"""The incremental build: which documents to parse, how to resolve them, what to write.

A :class:`Builder` streams documents into a store:

1. documents already stored with the same digest (``kg:contentHash``) are skipped
   before parsing, and so is a second copy of one document in the same input;
2. the rest are parsed and extracted here, in worker processes or on Dask (results
   come back in input order);
3. each batch is resolved against the entities already stored and handed to the store
   as one :class:`~kg.storage.base.Batch`: the document graphs to replace, older
   versions of the same file to drop, entity labels, whether to prune entities that no
   document mentions any more. The store writes a batch atomically, behind parsing.

    >>> builder = Builder(MemoryStore(), BuildOptions(batch_size=64))  # doctest: +SKIP
    >>> report = builder.add(load_documents(["seeds/"]))             # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg.build.link import entity_links
from kg.errors import ParameterError
from kg.model import BUILD_MIN_CONFIDENCE, Extraction
from kg.rdf import writer as rdf
from kg.rdf.namespace import ENTITIES_GRAPH, entity_iri, graph_iri
from kg.resolve.resolution import Resolution, preferred_label, resolve
from kg.storage.base import Batch, GraphStore, StoredDocument

if TYPE_CHECKING:
    from kg.documents import Document

ProgressCallback = Callable[[int], None]
ErrorCallback = Callable[[str], None]
#: The stored labels of some entities (the VALUES clause is filled in per batch).
STORED_LABELS_QUERY = f"""
SELECT ?e ?label WHERE {{
  VALUES ?e {{ %s }}
  GRAPH <{ENTITIES_GRAPH}> {{ ?e rdfs:label ?label }}
}}
"""
#: Entities looked up per query (servers limit the size of a VALUES clause).
LABELS_PER_QUERY = 500


@dataclass
class BuildReport:
    """What a build did: documents processed, skipped and failed, with the messages."""

    processed: int = 0
    skipped: int = 0
    failed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    #: Curation decisions that no longer apply after the build, one line each.
    not_applying: list[str] = field(default_factory=list)
    #: Each path left out on purpose, as ``source: reason``.
    skipped_files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0


#: With extraction in other processes (``workers`` > 1, Dask), a batch is at most this
#: many documents: this process resolves and writes a batch while the workers parse the
#: next ones, and the last batch, which no parsing overlaps, stays short. The graph does
#: not depend on the batches (tests/test_determinism.py).
PARALLEL_BATCH = 64


@dataclass(frozen=True)
class BuildOptions:
    """How to build: model, extractors, batching, parallelism, the confidence cut-off."""

    model: str | None = None
    extractors: Sequence[str] | None = None
    batch_size: int = 256
    workers: int = 1
    dask: str | None = None
    min_confidence: float = BUILD_MIN_CONFIDENCE

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ParameterError("batch_size", self.batch_size, "must be at least 1")
        if self.workers < 1:
            raise ParameterError("workers", self.workers, "must be at least 1")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ParameterError("min_confidence", self.min_confidence, "must be between 0 and 1")

    @property
    def write_batch_size(self) -> int:
        """Documents per write: ``batch_size``, at most :data:`PARALLEL_BATCH` when the
        extraction runs in other processes."""
        if self.workers > 1 or self.dask is not None:
            return min(self.batch_size, PARALLEL_BATCH)
        return self.batch_size


class Builder:
    """Adds documents to a store incrementally, and removes them (see the module docstring)."""

    def __init__(self, store: GraphStore, options: BuildOptions | None = None) -> None:
        self.store = store
        self.options = options or BuildOptions()
        self._stored: dict[str, StoredDocument] | None = None
        #: What the builder wrote since curation was last applied (see :meth:`_curate`).
        self._fresh_graphs: set[URIRef] = set()
        self._fresh_subjects: set[URIRef] = set()
        #: Curation decisions that no longer apply after the last add or remove.
        self.not_applying: list[str] = []

    # -- what is stored ------------------------------------------------------------------

    def stored_documents(self) -> dict[str, StoredDocument]:
        """The documents in the store, by id (read once, then kept up to date)."""
        if self._stored is None:
            self._stored = self.store.documents()
        return self._stored

    def forget(self) -> None:
        """Drop what is cached about the store (after someone else changed it)."""
        self._stored = None

    # -- adding and removing ------------------------------------------------------------

    def add(
        self,
        documents: Iterable[Document],
        *,
        report: BuildReport | None = None,
        on_error: ErrorCallback | None = None,
        progress: ProgressCallback | None = None,
    ) -> BuildReport:
        """Parse, extract, resolve and write ``documents``; returns (or fills) the report."""
        report = report if report is not None else BuildReport()

        def failed(message: str) -> None:
            report.failed += 1
            report.errors.append(message)
            if on_error is not None:
                on_error(message)

        extracted = self._extract(self._changed(documents, report, progress), failed)
        return self.add_extractions(extracted, report=report, progress=progress)

    def add_extractions(
        self,
        extracted: Iterable[tuple[Document, Extraction]],
        *,
        report: BuildReport | None = None,
        progress: ProgressCallback | None = None,
    ) -> BuildReport:
        """Resolve and write documents already extracted (by our pipeline or any other),
        in batches of ``batch_size``; each batch is one atomic write. Then the store's
        curation decisions are applied again to what was written."""
        report = report if report is not None else BuildReport()
        batch: list[tuple[Document, Extraction]] = []

        def flush() -> None:
            self._write_batch(batch)
            report.processed += len(batch)
            batch.clear()

        try:
            for document, extraction in extracted:
                if progress:
                    progress(1)  # one document parsed and extracted (written with its batch)
                batch.append((document, extraction))
                if len(batch) >= self.options.write_batch_size:
                    flush()
            if batch:
                flush()
        finally:
            self.store.wait()  # every batch written (or its error raised) before returning
        report.not_applying = self._curate()
        return report

    def remove(self, doc_ids: Iterable[str]) -> int:
        """Delete documents' graphs, and every entity no other document mentions; returns how many."""
        stored = self.stored_documents()
        graphs = {stored[i].graph for i in doc_ids if i in stored}
        if graphs:
            self.store.write(Batch(dropped=graphs, prune=True))
            self.forget()
            self._curate()
        return len(graphs)

    def _curate(self) -> list[str]:
        """Apply the store's curation decisions again to what was just written."""
        from kg.curate.curator import problems
        from kg.curate.state import has_decisions, refresh

        fresh, self._fresh_graphs = self._fresh_graphs, set()
        subjects, self._fresh_subjects = self._fresh_subjects, set()
        self.not_applying = []
        if has_decisions(self.store):
            outcomes = refresh(self.store, fresh_graphs=fresh, fresh_subjects=subjects)
            self.not_applying = problems(outcomes)
        return self.not_applying

    # -- the steps ----------------------------------------------------------------------

    def _changed(
        self,
        documents: Iterable[Document],
        report: BuildReport,
        progress: ProgressCallback | None = None,
    ) -> Iterator[Document]:
        """The documents to extract: not already stored with the same digest, not repeated."""
        stored = self.stored_documents()
        seen: set[str] = set()
        for document in documents:
            previous = stored.get(document.id)
            if document.id in seen or (previous is not None and previous.digest == document.digest):
                report.unchanged += 1
                if progress:
                    progress(1)
                continue
            seen.add(document.id)
            yield document

    def _extract(
        self, documents: Iterable[Document], failed: ErrorCallback
    ) -> Iterator[tuple[Document, Extraction]]:
        """Parse and extract here, in worker processes, or on Dask; results in input order.

        The model is loaded only when a document needs parsing (a rebuild of unchanged
        documents never loads it).
        """
        from itertools import chain

        from kg.build.pipeline import extract_documents, fitting_documents
        from kg.nlp import load_model

        pending = iter(documents)
        first = next(pending, None)
        if first is None:
            return iter(())
        documents = chain([first], pending)
        options = self.options
        nlp = load_model(options.model)
        if options.dask is None and options.workers == 1:
            return extract_documents(
                documents,
                nlp,
                extractors=options.extractors,
                on_error=failed,
                min_confidence=options.min_confidence,
            )
        from kg.build.parallel import extract_in_processes, extract_on_dask

        fitting = fitting_documents(documents, nlp.max_length, failed)
        if options.dask is not None:
            return extract_on_dask(
                fitting,
                address=options.dask,
                model=options.model,
                extractors=options.extractors,
                on_error=failed,
                min_confidence=options.min_confidence,
            )
        return extract_in_processes(
            fitting,
            workers=options.workers,
            model=options.model,
            extractors=options.extractors,
            on_error=failed,
            min_confidence=options.min_confidence,
        )

    def _write_batch(self, batch: list[tuple[Document, Extraction]]) -> Resolution:
        """Resolve a batch (document by document) and write it in one atomic step.

        An entity's label in the entities graph is the preferred one of its stored label and
        this batch's (:func:`~kg.resolve.resolution.preferred_label`, a total order), so the
        graph is the same whatever the batches and their order.
        """
        self.store.wait()  # labels written behind must be readable
        resolution = resolve([e for _, e in batch])
        stored = self.stored_documents()
        write = Batch()
        for document, extraction in batch:
            graph = graph_iri(document.id)
            write.prune |= document.id in stored
            if document.id not in stored:
                write.fresh.add(graph)
            write.dropped |= _older_versions(document, stored)
            quads = rdf.document_quads(document_meta(document), extraction, resolution)
            write.graphs[graph] = [(s, p, o) for s, p, o, _ in quads]
        write.prune |= bool(write.dropped)
        stored_labels = self._stored_labels([entity_iri(k) for k in resolution.entities])
        for entity in resolution.entities.values():
            node = entity_iri(entity.key)
            previous = stored_labels.get(node)
            if previous is not None:
                entity.label = preferred_label(previous, entity.label)
            write.labels[node] = list(rdf.label_triples(entity))
        write.labels.update(entity_links(self.store, resolution.entities.values()))
        self._fresh_graphs |= set(write.graphs)
        self._fresh_subjects |= set(write.labels)
        self.store.write_behind(write)  # written while the next batch is parsed
        self._remember(batch, write.dropped)
        return resolution

    def _remember(self, batch: list[tuple[Document, Extraction]], dropped: set[URIRef]) -> None:
        stored = self.stored_documents()
        for doc_id in [i for i, d in stored.items() if d.graph in dropped]:
            del stored[doc_id]
        for document, _ in batch:
            stored[document.id] = StoredDocument(
                document.id, graph_iri(document.id), document.digest, document.file
            )

    def _stored_labels(self, nodes: list[URIRef]) -> dict[URIRef, str]:
        """The labels the store holds for some entities (bounded queries)."""
        out: dict[URIRef, str] = {}
        for i in range(0, len(nodes), LABELS_PER_QUERY):
            chunk = " ".join(f"<{n}>" for n in nodes[i : i + LABELS_PER_QUERY])
            for node, label in self.store.query(STORED_LABELS_QUERY % chunk).rows:
                if isinstance(node, URIRef) and label is not None:
                    out[node] = str(label)
        return out


def document_meta(document: Document) -> rdf.DocumentMeta:
    """What the RDF writer needs to know about a document."""
    return rdf.DocumentMeta(
        id=document.id,
        source=document.source,
        title=document.title,
        date=document.date,
        author=document.author,
        url=document.url,
        digest=document.digest,
        file=document.file,
    )


def _older_versions(document: Document, stored: Mapping[str, StoredDocument]) -> set[URIRef]:
    """Graphs of documents read earlier from the same file under another id."""
    if document.file is None:
        return set()
    return {d.graph for d in stored.values() if d.file == document.file and d.id != document.id}
