"""`KnowledgeGraph`: one object to build, query, explore and save a graph.

A thin facade: every method delegates to the module that does the work
(documents → pipeline → resolve → rdf → store; query, nx, viz).

    >>> from kg import KnowledgeGraph
    >>> kg = KnowledgeGraph.build(["seeds/"])            # doctest: +SKIP
    >>> kg.query("SELECT ?p WHERE { ?p a kg:Person }")   # doctest: +SKIP
    >>> kg.save("graph.ttl")                             # doctest: +SKIP
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, Dataset, Literal, URIRef

from kg import rdf
from kg.errors import DocumentError, KGError
from kg.model import ENTITY_TYPES, Extraction
from kg.namespace import ENTITIES_GRAPH, KG, graph_iri
from kg.query import QueryResult
from kg.resolve import KnownEntity, Resolution, resolve
from kg.storage import Batch, GraphStore, MemoryStore, StoredDocument
from kg.store import load_dataset, save_dataset

if TYPE_CHECKING:
    import networkx

    from kg.documents import Document
    from kg.shacl import ValidationReport

ProgressCallback = Callable[[int], None]
#: Entity types that are not linked across documents by name.
UNLINKED_TYPES = ("Date", "Quote", "Event")
ALIAS_SEPARATOR = "\u001f"
KNOWN_ENTITIES_QUERY = f"""
SELECT ?e ?label ?type (GROUP_CONCAT(DISTINCT ?alias; separator="{ALIAS_SEPARATOR}") AS ?aliases)
WHERE {{
  GRAPH <{ENTITIES_GRAPH}> {{ ?e rdfs:label ?label ; a ?type }}
  OPTIONAL {{ ?e skos:altLabel ?alias }}
}}
GROUP BY ?e ?label ?type
"""


@dataclass
class BuildReport:
    """What a build did: documents processed, skipped and failed, with the messages."""

    processed: int = 0
    skipped: int = 0
    failed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass(frozen=True)
class EntityInfo:
    """An entity as the Python API returns it."""

    iri: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Neighbor:
    """One fact linking an entity to another."""

    relation: str
    direction: str  # "out" or "in"
    iri: str
    label: str
    type: str


class KnowledgeGraph:
    """A knowledge graph, one named graph per document, in a store.

    The store is in memory unless given: :meth:`open` uses an on-disk Oxigraph store,
    :meth:`connect` a remote SPARQL endpoint. Building is incremental: a document whose
    text and metadata are already stored is skipped, a changed one replaces its facts.
    """

    def __init__(
        self,
        dataset: Dataset | None = None,
        *,
        store: GraphStore | None = None,
        model: str | None = None,
        extractors: Sequence[str] | None = None,
        batch_size: int = 256,
        workers: int = 1,
        dask: str | None = None,
        min_confidence: float = 0.0,
    ) -> None:
        if store is not None and dataset is not None:
            raise KGError("give a dataset or a store, not both")
        self.store: GraphStore = store if store is not None else MemoryStore(dataset)
        self.model = model
        self.extractors = list(extractors) if extractors is not None else None
        if batch_size < 1:
            raise KGError(f"--batch-size {batch_size}: must be at least 1")
        self.batch_size = batch_size
        if workers < 1:
            raise KGError(f"--workers {workers}: must be at least 1")
        self.workers = workers
        self.dask = dask
        if not 0.0 <= min_confidence <= 1.0:
            raise KGError(f"--min-confidence {min_confidence}: must be between 0 and 1")
        self.min_confidence = min_confidence
        self._known: dict[str, KnownEntity] | None = None
        self._stored: dict[str, StoredDocument] | None = None

    @property
    def dataset(self) -> Dataset:
        """The rdflib view of the graph (for a remote store, a local copy)."""
        return self.store.read_view()

    # -- stores ----------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, **options: object) -> KnowledgeGraph:
        """Open (or create) an on-disk Oxigraph store in directory ``path``.

        >>> with KnowledgeGraph.open("kg-store") as kg:      # doctest: +SKIP
        ...     kg.add_documents(["seeds/"])
        """
        from kg.storage import OxigraphStore

        return cls(store=OxigraphStore(path, create=create), **options)  # type: ignore[arg-type]

    @classmethod
    def connect(cls, url: str, *, update_url: str | None = None, **options: object) -> KnowledgeGraph:
        """Use the graph behind a SPARQL 1.1 Query/Update endpoint (``…/query`` → ``…/update``)."""
        from kg.storage import RemoteStore

        return cls(store=RemoteStore(url, update_url), **options)  # type: ignore[arg-type]

    def close(self) -> None:
        """Release the store (an on-disk store is unlocked for other processes)."""
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- building --------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        paths: Iterable[str | Path],
        *,
        model: str | None = None,
        date: datetime.date | None = None,
        extractors: Sequence[str] | None = None,
        on_error: Callable[[str], None] | None = None,
        progress: ProgressCallback | None = None,
    ) -> KnowledgeGraph:
        """Build a new in-memory graph from files, directories or globs.

        >>> kg = KnowledgeGraph.build(["seeds/"], date=datetime.date(2021, 6, 14))  # doctest: +SKIP
        """
        graph = cls(model=model, extractors=extractors)
        graph.add_documents(paths, date=date, on_error=on_error, progress=progress)
        return graph

    def add_documents(
        self,
        sources: Iterable[str | Path | Document],
        *,
        date: datetime.date | None = None,
        on_error: Callable[[str], None] | None = None,
        progress: ProgressCallback | None = None,
    ) -> BuildReport:
        """Add documents (paths, or `Document` objects) to the graph; returns a BuildReport.

        A bad document is reported through ``on_error`` (one line naming it) and
        skipped; the others are processed. A document already stored with the same
        text and metadata is left alone (``unchanged``); a changed one replaces what
        it said before, and so does a new version of the same file.
        """
        from kg.documents import Document, LoadStats, load_documents

        report = BuildReport()
        stats = LoadStats()

        def failed(error: DocumentError | str) -> None:
            report.failed += 1
            report.errors.append(str(error))
            if on_error is not None:
                on_error(str(error))

        sources = list(sources)
        given = [s for s in sources if isinstance(s, Document)]
        paths = [s for s in sources if not isinstance(s, Document)]
        loaded = load_documents(paths, date=date, on_error=failed, stats=stats) if paths else ()
        self._process(_chain(given, loaded), report, failed, progress)
        report.skipped += stats.skipped
        return report

    def add_text(self, text: str, **metadata: object) -> BuildReport:
        """Add one document given as a string (metadata: title, date, author, url, source, id)."""
        from kg.documents import document_from_text

        return self.add_documents([document_from_text(text, **metadata)])

    def document_ids(self) -> list[str]:
        """The ids of the documents in the graph."""
        return sorted(self._stored_documents())

    def remove_documents(self, doc_ids: Iterable[str]) -> int:
        """Delete documents' facts, and every entity no other document mentions; returns how many."""
        stored = self._stored_documents()
        graphs = {stored[i].graph for i in doc_ids if i in stored}
        if graphs:
            self.store.write(Batch(dropped=graphs, prune=True))
            self._stored = None
            self._known = None
        return len(graphs)

    def _process(
        self,
        documents: Iterable[Document],
        report: BuildReport,
        failed: Callable[[str], None],
        progress: ProgressCallback | None,
    ) -> None:
        batch: list[tuple[Document, Extraction]] = []

        def flush() -> None:
            self._write_batch(batch)
            report.processed += len(batch)
            if progress:
                progress(len(batch))
            batch.clear()

        try:
            for document, extraction in self._extract(self._changed(documents, report), failed):
                batch.append((document, extraction))
                if len(batch) >= self.batch_size:
                    flush()
            if batch:
                flush()
        finally:
            self.store.wait()  # every batch written (or its error raised) before returning

    def _changed(self, documents: Iterable[Document], report: BuildReport) -> Iterator[Document]:
        """The documents to extract: not already stored with the same digest, not repeated."""
        stored = self._stored_documents()
        seen: set[str] = set()
        for document in documents:
            previous = stored.get(document.id)
            if document.id in seen or (previous is not None and previous.digest == document.digest):
                report.unchanged += 1
                continue
            seen.add(document.id)
            yield document

    def _extract(
        self, documents: Iterable[Document], failed: Callable[[str], None]
    ) -> Iterator[tuple[Document, Extraction]]:
        """Parse and extract here, in worker processes, or on Dask; results in input order."""
        from kg.nlp import load_model
        from kg.pipeline import extract_documents, fitting_documents

        nlp = load_model(self.model)
        if self.dask is None and self.workers == 1:
            return extract_documents(documents, nlp, extractors=self.extractors, on_error=failed)
        from kg.parallel import extract_in_processes, extract_on_dask

        fitting = fitting_documents(documents, nlp.max_length, failed)
        if self.dask is not None:
            return extract_on_dask(
                fitting, address=self.dask, model=self.model, extractors=self.extractors, on_error=failed
            )
        return extract_in_processes(
            fitting, workers=self.workers, model=self.model, extractors=self.extractors, on_error=failed
        )

    def _write_batch(self, batch: list[tuple[Document, Extraction]]) -> Resolution:
        """Resolve a batch against the stored entities and write it in one atomic step."""
        extractions = [self._confident(e) for _, e in batch]
        resolution = resolve(extractions, known=self._known_entities().values())
        stored = self._stored_documents()
        write = Batch()
        for (document, _), extraction in zip(batch, extractions):
            graph = graph_iri(document.id)
            write.prune |= document.id in stored
            if document.id not in stored:
                write.fresh.add(graph)
            write.dropped |= self._older_versions(document, stored)
            write.graphs[graph] = [(s, p, o) for s, p, o, _ in rdf.document_quads(_meta(document), extraction, resolution)]
        write.prune |= bool(write.dropped)
        for entity in resolution.entities.values():
            write.labels[rdf.entity_iri(entity.key)] = list(rdf.label_triples(entity))
        self.store.write_behind(write)  # written while the next batch is parsed
        self._remember(batch, resolution, write.dropped)
        return resolution

    def _confident(self, extraction: Extraction) -> Extraction:
        """The extraction without facts under ``min_confidence``."""
        if self.min_confidence <= 0.0:
            return extraction
        facts = [f for f in extraction.facts if f.evidence.confidence >= self.min_confidence]
        return Extraction(extraction.doc_id, extraction.mentions, facts, extraction.errors)

    def _older_versions(self, document: Document, stored: Mapping[str, StoredDocument]) -> set[URIRef]:
        """Graphs of documents read earlier from the same file under another id."""
        if document.file is None:
            return set()
        return {d.graph for d in stored.values() if d.file == document.file and d.id != document.id}

    def _remember(
        self, batch: list[tuple[Document, Extraction]], resolution: Resolution, dropped: set[URIRef]
    ) -> None:
        stored = self._stored_documents()
        for doc_id in [i for i, d in stored.items() if d.graph in dropped]:
            del stored[doc_id]
        for document, _ in batch:
            stored[document.id] = StoredDocument(document.id, graph_iri(document.id), document.digest, document.file)
        if dropped:
            self._known = None  # entities may have been pruned
            return
        known = self._known_entities()
        for entity in resolution.entities.values():
            if entity.type in UNLINKED_TYPES:
                continue
            previous = known.get(entity.key)
            aliases = frozenset(entity.aliases) | (previous.aliases if previous else frozenset())
            known[entity.key] = KnownEntity(entity.key, entity.type, entity.label, aliases)

    def _stored_documents(self) -> dict[str, StoredDocument]:
        if self._stored is None:
            self._stored = self.store.documents()
        return self._stored

    def _known_entities(self) -> dict[str, KnownEntity]:
        """Entities already in the graph (for linking new documents to them)."""
        if self._known is None:
            self._known = {}
            for node, label, cls, aliases in self.store.query(KNOWN_ENTITIES_QUERY).rows:
                key = _entity_key(node)
                entity_type = str(cls).rsplit("#", 1)[-1]
                if key is None or entity_type not in ENTITY_TYPES or entity_type in UNLINKED_TYPES:
                    continue
                names = frozenset(a for a in str(aliases or "").split(ALIAS_SEPARATOR) if a)
                self._known[key] = KnownEntity(key, entity_type, str(label), names)
        return self._known

    # -- using -----------------------------------------------------------------------

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, object] | None = None,
        *,
        allow_service: bool = False,
        **values: object,
    ) -> QueryResult:
        """Run SPARQL; keyword values are bound to variables, never pasted into the text.

        FROM is refused, and SERVICE unless ``allow_service``.

        >>> kg.query("SELECT ?e WHERE { ?e rdfs:label ?name }", name="Joe Biden")  # doctest: +SKIP
        """
        return self.store.query(sparql, {**(bindings or {}), **values}, allow_service=allow_service)

    def entities(self, type: str | None = None) -> list[EntityInfo]:
        """Entities, optionally of one type (``Person``, ``Organization``...), sorted by label."""
        if type is not None and type not in ENTITY_TYPES:
            raise KGError(f"unknown entity type {type!r} (valid: {', '.join(ENTITY_TYPES)})")
        from kg.nx import entity_nodes

        out = []
        for node, attrs in entity_nodes(self.dataset).items():
            if type is None or attrs["type"] == type:
                out.append(
                    EntityInfo(
                        iri=str(node),
                        label=attrs["label"],
                        type=attrs["type"],
                        aliases=tuple(attrs["aliases"]),
                        roles=tuple(attrs["roles"]),
                    )
                )
        return sorted(out, key=lambda e: (e.label.casefold(), e.iri))

    def find(self, name: str) -> list[EntityInfo]:
        """Entities whose label or alias equals ``name`` (case-insensitive)."""
        wanted = name.casefold()
        return [
            e for e in self.entities()
            if e.label.casefold() == wanted or wanted in (a.casefold() for a in e.aliases)
        ]

    def neighbors(self, name: str) -> list[Neighbor]:
        """Facts linking the entity named ``name`` (label, alias or IRI) to other entities."""
        graph = self.to_networkx()
        matches = [name] if name in graph else [e.iri for e in self.find(name)]
        out: list[Neighbor] = []
        for node in matches:
            for _, other, attrs in graph.out_edges(node, data=True):
                info = graph.nodes[other]
                out.append(Neighbor(attrs["relation"], "out", other, info["label"], info["type"]))
            for other, _, attrs in graph.in_edges(node, data=True):
                info = graph.nodes[other]
                out.append(Neighbor(attrs["relation"], "in", other, info["label"], info["type"]))
        return sorted(set(out), key=lambda n: (n.relation, n.label))

    def to_networkx(self) -> networkx.MultiDiGraph:
        """A networkx MultiDiGraph: nodes are entities, edges facts (see :mod:`kg.nx`)."""
        from kg.nx import to_networkx

        return to_networkx(self.dataset)

    def to_html(self, path: str | Path, **options: object) -> Path:
        """Write the interactive HTML network (works offline) to ``path``."""
        from kg.viz import render_html

        return render_html(self.to_networkx(), path, **options)

    def validate(self) -> ValidationReport:
        """Check the graph against the SHACL shapes in ``ontology/shapes.ttl``."""
        from kg.shacl import validate
        from kg.store import union_of

        return validate(union_of(self.dataset))

    def stats(self) -> dict[str, dict[str, int]]:
        """Counts of entities per type and facts per relation, and of documents."""
        from collections import Counter

        from kg.nx import entity_nodes, fact_edges

        nodes = entity_nodes(self.dataset)
        types = Counter(a["type"] for a in nodes.values())
        relations = Counter(attrs["relation"] for _, _, attrs in fact_edges(self.dataset, nodes))
        relations.update(
            {"role": sum(1 for _ in self.dataset.triples((None, KG.role, None)))}
        )
        documents = len(set(self.dataset.subjects(RDF.type, KG.Document)))
        return {
            "documents": {"Document": documents},
            "entities": dict(sorted(types.items())),
            "relations": dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
        }

    def entity_count(self) -> int:
        """How many entities the graph holds (one SPARQL count, cheap on any store)."""
        rows = self.query(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e a ?type }} }}").rows
        return int(rows[0][0]) if rows and rows[0][0] is not None else 0

    def __len__(self) -> int:
        return len(self.store)

    # -- files -----------------------------------------------------------------------

    def save(self, path: str | Path, *, format: str | None = None) -> Path:
        """Write the graph to a file; the format comes from the extension (.ttl .nt .nq .trig .jsonld)."""
        return save_dataset(self.store.snapshot(), path, format=format)

    @classmethod
    def load(cls, path: str | Path, *, format: str | None = None, **options: object) -> KnowledgeGraph:
        """Read a graph file written by :meth:`save` (or any RDF in a supported format)."""
        return cls(load_dataset(path, format=format), **options)


def _meta(document: Document) -> rdf.DocumentMeta:
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


def _chain(first: Iterable, second: Iterable) -> Iterable:
    yield from first
    yield from second


def _entity_key(node: object) -> str | None:
    from kg.namespace import ENTITY_BASE

    text = str(node)
    return text[len(str(ENTITY_BASE)) :] if text.startswith(str(ENTITY_BASE)) else None


__all__ = ["BuildReport", "EntityInfo", "KnowledgeGraph", "Neighbor", "Literal", "URIRef"]
