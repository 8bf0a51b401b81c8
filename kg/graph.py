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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, SKOS, Dataset, Literal, URIRef

from kg import rdf
from kg.errors import DocumentError, KGError
from kg.model import ENTITY_TYPES, Extraction
from kg.namespace import ENTITIES_GRAPH, KG, graph_iri
from kg.query import QueryResult, run_query
from kg.resolve import KnownEntity, Resolution, resolve
from kg.store import load_dataset, new_dataset, save_dataset

if TYPE_CHECKING:
    import networkx

    from kg.documents import Document
    from kg.shacl import ValidationReport

ProgressCallback = Callable[[int], None]


@dataclass
class BuildReport:
    """What a build did: documents processed, skipped and failed, with the messages."""

    processed: int = 0
    skipped: int = 0
    failed: int = 0
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
    """A knowledge graph held in an rdflib Dataset, one named graph per document."""

    def __init__(
        self,
        dataset: Dataset | None = None,
        *,
        model: str | None = None,
        extractors: Sequence[str] | None = None,
        batch_size: int = 256,
    ) -> None:
        self.dataset = dataset if dataset is not None else new_dataset()
        self.model = model
        self.extractors = list(extractors) if extractors is not None else None
        self.batch_size = batch_size
        self._known: dict[str, KnownEntity] | None = None

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
        """Build a new graph from files, directories or globs.

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
        skipped; the others are processed. Adding the same document again replaces
        what it said before.
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

    def _process(
        self,
        documents: Iterable[Document],
        report: BuildReport,
        failed: Callable[[str], None],
        progress: ProgressCallback | None,
    ) -> None:
        from kg.nlp import load_model
        from kg.pipeline import extract_documents

        nlp = load_model(self.model)
        batch: list[tuple[Document, Extraction]] = []
        for document, extraction in extract_documents(
            documents, nlp, extractors=self.extractors, on_error=failed
        ):
            batch.append((document, extraction))
            if len(batch) >= self.batch_size:
                self._write_batch(batch)
                report.processed += len(batch)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            self._write_batch(batch)
            report.processed += len(batch)
            if progress:
                progress(len(batch))

    def _write_batch(self, batch: list[tuple[Document, Extraction]]) -> Resolution:
        resolution = resolve([e for _, e in batch], known=self._known_entities().values())
        for document, extraction in batch:
            self._replace_document(document, extraction, resolution)
        self._write_labels(resolution)
        return resolution

    def _replace_document(self, document: Document, extraction: Extraction, resolution: Resolution) -> None:
        meta = rdf.DocumentMeta(
            id=document.id,
            source=document.source,
            title=document.title,
            date=document.date,
            author=document.author,
            url=document.url,
        )
        context = self.dataset.graph(graph_iri(document.id))
        context.remove((None, None, None))
        for s, p, o, _ in rdf.document_quads(meta, extraction, resolution):
            context.add((s, p, o))

    def _write_labels(self, resolution: Resolution) -> None:
        labels = self.dataset.graph(ENTITIES_GRAPH)
        known = self._known_entities()
        for entity in resolution.entities.values():
            node = rdf.entity_iri(entity.key)
            labels.remove((node, RDFS.label, None))
            for s, p, o in rdf.label_triples(entity):
                labels.add((s, p, o))
            previous = known.get(entity.key)
            aliases = frozenset(entity.aliases) | (previous.aliases if previous else frozenset())
            known[entity.key] = KnownEntity(entity.key, entity.type, entity.label, aliases)

    def _known_entities(self) -> dict[str, KnownEntity]:
        """Entities already in the graph (for linking new documents to them)."""
        if self._known is None:
            self._known = {}
            for node, label in self.dataset.subject_objects(RDFS.label):
                key = _entity_key(node)
                entity_type = _entity_type(self.dataset, node)
                if key is None or entity_type is None or entity_type in ("Date", "Quote", "Event"):
                    continue
                aliases = frozenset(str(a) for a in self.dataset.objects(node, SKOS.altLabel))
                self._known[key] = KnownEntity(key, entity_type, str(label), aliases)
        return self._known

    # -- using -----------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, object] | None = None, **values: object) -> QueryResult:
        """Run SPARQL; keyword values are bound to variables, never pasted into the text.

        >>> kg.query("SELECT ?e WHERE { ?e rdfs:label ?name }", name="Joe Biden")  # doctest: +SKIP
        """
        return run_query(self.dataset, sparql, {**(bindings or {}), **values})

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

    def __len__(self) -> int:
        return len(self.dataset)

    # -- files -----------------------------------------------------------------------

    def save(self, path: str | Path, *, format: str | None = None) -> Path:
        """Write the graph to a file; the format comes from the extension (.ttl .nt .nq .trig .jsonld)."""
        return save_dataset(self.dataset, path, format=format)

    @classmethod
    def load(cls, path: str | Path, *, format: str | None = None, **options: object) -> KnowledgeGraph:
        """Read a graph file written by :meth:`save` (or any RDF in a supported format)."""
        return cls(load_dataset(path, format=format), **options)


def _chain(first: Iterable, second: Iterable) -> Iterable:
    yield from first
    yield from second


def _entity_key(node: object) -> str | None:
    from kg.namespace import ENTITY_BASE

    text = str(node)
    return text[len(str(ENTITY_BASE)) :] if text.startswith(str(ENTITY_BASE)) else None


def _entity_type(dataset: Dataset, node: object) -> str | None:
    for cls in dataset.objects(node, RDF.type):
        name = str(cls).rsplit("#", 1)[-1]
        if name in ENTITY_TYPES:
            return name
    return None


__all__ = ["BuildReport", "EntityInfo", "KnowledgeGraph", "Neighbor", "Literal", "URIRef"]
