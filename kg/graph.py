"""`KnowledgeGraph`: one object to build, query, explore and save a graph.

A thin facade: every method delegates to the module that does the work
(documents → pipeline → resolve → rdf → store; query, nx, viz).

    >>> from kg import KnowledgeGraph
    >>> kg = KnowledgeGraph.build(["seeds/"])            # doctest: +SKIP
    >>> kg.sparql.run("SELECT ?p WHERE { ?p a kg:Person }")   # doctest: +SKIP
    >>> kg.save("graph.ttl")                             # doctest: +SKIP
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset

from kg.errors import DocumentError, KGError, ParameterError
from kg.model import BUILD_MIN_CONFIDENCE, ENTITY_TYPES
from kg.rdf.files import load_dataset
from kg.rdf.namespace import ENTITIES_GRAPH
from kg.sparql.run import QueryResult
from kg.storage.base import GraphStore
from kg.storage.memory import MemoryStore

if TYPE_CHECKING:
    import networkx

    from kg.build.engine import Builder, BuildOptions, BuildReport, ProgressCallback
    from kg.curate.curator import Curator
    from kg.documents import Document
    from kg.network.html import EvidenceFiller
    from kg.network.notebook import NetworkView
    from kg.rdf.shacl import ValidationReport


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
    :meth:`connect` a remote SPARQL endpoint. Building is incremental (see
    :mod:`kg.build.engine`): a document whose text and metadata are already stored is
    skipped, a changed one replaces its facts.
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
        min_confidence: float = BUILD_MIN_CONFIDENCE,
    ) -> None:
        if store is not None and dataset is not None:
            raise KGError("give a dataset or a store, not both")
        self.store: GraphStore = store if store is not None else MemoryStore(dataset)
        self._options: dict[str, Any] = {
            "model": model,
            "extractors": list(extractors) if extractors is not None else None,
            "batch_size": batch_size,
            "workers": workers,
            "dask": dask,
            "min_confidence": min_confidence,
        }
        if self._options != _DEFAULT_OPTIONS:
            self.options  # noqa: B018  # checked now (the defaults need no check)

    # The build engine is imported when a build needs it: a read command does without.
    @functools.cached_property
    def options(self) -> BuildOptions:
        """The build options given (checked)."""
        from kg.build.engine import BuildOptions

        return BuildOptions(**self._options)

    @functools.cached_property
    def builder(self) -> Builder:
        """What adds and removes documents (:class:`kg.build.engine.Builder`)."""
        from kg.build.engine import Builder

        return Builder(self.store, self.options)

    @functools.cached_property
    def curate(self) -> Curator:
        """Corrections that survive rebuilds: merge, split, rename, retype, delete, reject,
        assert, undo (see :mod:`kg.curate` and docs/curation.md).

        >>> graph.curate.merge("person/joe-biden", "person/biden", why="same man")  # doctest: +SKIP
        """
        from kg.curate.curator import Curator

        return Curator(self.store, on_change=self.builder.forget)

    @property
    def dataset(self) -> Dataset:
        """The rdflib view of the graph (for a remote store, a local copy)."""
        return self.store.read_view()

    # -- stores ----------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: str | Path, *, create: bool = True, read_only: bool = False, **options: Any
    ) -> KnowledgeGraph:
        """Open (or create) an on-disk Oxigraph store in directory ``path``.

        ``read_only`` reads it while another process (a build) writes it.

        >>> with KnowledgeGraph.open("kg-store") as kg:      # doctest: +SKIP
        ...     kg.add_documents(["seeds/"])
        """
        from kg.storage import open_store

        store = open_store(Path(path), create=create, read_only=read_only)
        return cls(store=store, **options)

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        update_url: str | None = None,
        server_kind: str | None = None,
        **options: Any,
    ) -> KnowledgeGraph:
        """Use the graph behind a SPARQL 1.1 Query/Update endpoint (``…/query`` → ``…/update``);
        ``server_kind`` (virtuoso, oxigraph, fuseki, generic) when its headers do not say it."""
        from kg.storage import open_store

        if not url.startswith(("http://", "https://")):
            raise ParameterError(
                "url", url, "a SPARQL endpoint URL starts with http:// or https://"
            )
        return cls(store=open_store(url, update_url=update_url, server_kind=server_kind), **options)

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
        from kg.build.engine import BuildReport
        from kg.documents import Document, LoadStats, load_documents

        report = BuildReport()
        stats = LoadStats()

        def failed(error: DocumentError | str) -> None:
            report.failed += 1
            report.errors.append(str(error))
            if on_error is not None:
                on_error(str(error))
            if progress is not None:
                progress(1)  # a file that could not be read is done too

        sources = list(sources)
        given = [s for s in sources if isinstance(s, Document)]
        paths = [s for s in sources if not isinstance(s, Document)]
        loaded = load_documents(paths, date=date, on_error=failed, stats=stats) if paths else ()
        self.builder.add(_chain(given, loaded), report=report, on_error=on_error, progress=progress)
        report.skipped += stats.skipped
        report.skipped_files.extend(map(str, stats.skips))
        return report

    def add_text(self, text: str, **metadata: Any) -> BuildReport:
        """Add one document given as a string (metadata: title, date, author, url, source, id)."""
        from kg.documents import document_from_text

        return self.add_documents([document_from_text(text, **metadata)])

    def document_ids(self) -> list[str]:
        """The ids of the documents in the graph."""
        return sorted(self.builder.stored_documents())

    def remove_documents(self, doc_ids: Iterable[str]) -> int:
        """Delete documents' facts, and every entity no other document mentions; returns how many."""
        return self.builder.remove(doc_ids)

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

        >>> kg.sparql.run("SELECT ?e WHERE { ?e rdfs:label ?name }", name="Joe Biden")  # doctest: +SKIP
        """
        return self.store.query(sparql, {**(bindings or {}), **values}, allow_service=allow_service)

    def entities(self, type: str | None = None) -> list[EntityInfo]:
        """Entities, optionally of one type (``Person``, ``Organization``...), sorted by label.

        Read by a few SPARQL queries on the store's engine (:mod:`kg.network.read`).
        """
        if type is not None and type not in ENTITY_TYPES:
            raise KGError(f"unknown entity type {type!r} (valid: {', '.join(ENTITY_TYPES)})")
        from kg.network.read import read_entities

        found = read_entities(self.store, types=None if type is None else [type])
        return _entity_infos(found.values())

    def find(self, name: str) -> list[EntityInfo]:
        """Entities whose label or alias equals ``name`` (case-insensitive)."""
        from kg.network.read import find_entities

        return _entity_infos(find_entities(self.store, name).values())

    def neighbors(self, name: str) -> list[Neighbor]:
        """Facts linking the entity named ``name`` (label, alias or IRI) to other entities.

        Queries bound to that entity: the cost follows its facts, not the graph's size.
        """
        from rdflib import URIRef

        from kg.network.read import entities_of, read_neighbourhoods, same_as
        from kg.network.summary import stored_summary

        summary = stored_summary(self.store, compute_missing=False)
        if summary is not None:  # an on-disk store's summary: indexed look-ups
            with summary:
                found = summary.neighbours(name, iri=bool(_IRI.fullmatch(name)))
            return _neighbors(Neighbor(*fact) for fact in found)
        matches: list[URIRef] = []
        if _IRI.fullmatch(name):  # an entity's IRI, if it is one
            iri = URIRef(name)
            if iri in entities_of(self.store, [iri], same_as(self.store)):
                matches = [iri]
        if not matches:
            matches = [URIRef(e.iri) for e in self.find(name)]
        out: set[Neighbor] = set()
        for around in read_neighbourhoods(self.store, matches):
            for relation, direction, other in around.facts:
                info = around.entities[other]
                out.add(Neighbor(relation, direction, str(other), info["label"], info["type"]))
        return _neighbors(out)

    def to_networkx(
        self, *, types: Collection[str] | None = None, relations: Collection[str] | None = None
    ) -> networkx.MultiDiGraph:
        """A networkx MultiDiGraph: nodes are entities, edges facts (see :mod:`kg.network.convert`).

        ``types`` keeps the entities of those types (and the facts among them),
        ``relations`` the facts of those relations; the store is asked for no more.

        >>> graph.to_networkx(types=["Person", "Organization"])  # doctest: +SKIP
        """
        from kg.network.convert import to_networkx

        return to_networkx(self.store, types=types, relations=relations)

    def to_html(self, path: str | Path, **options: Any) -> Path:
        """Write the interactive HTML network (works offline) to ``path``."""
        from kg.network.html import render_html

        network, evidence = self._view_network(options)
        return render_html(network, path, evidence=evidence, **options)

    def show(self, *, height: int = 640, **options: object) -> NetworkView:
        """The interactive network for a notebook cell (``to_html`` options; nothing written).

        >>> graph.show(focus="Jens Stoltenberg", hops=2)  # doctest: +SKIP
        """
        from kg.network.html import render_page
        from kg.network.notebook import NetworkView

        network, evidence = self._view_network(options)
        page = render_page(network, evidence=evidence, **options)  # type: ignore[arg-type]
        return NetworkView(page, height=height)

    def _view_network(
        self, view: Mapping[str, Any]
    ) -> tuple[networkx.MultiDiGraph, EvidenceFiller]:
        """The network's shape for ``view`` (``to_html`` options), and what fills the
        evidence of the part it draws. A view that hides the entities without facts and
        looks no name up (no ``focus``) reads the names of the others only."""
        from kg.network.convert import fill_evidence, to_networkx

        def evidence(network: networkx.MultiDiGraph, nodes: Collection[str]) -> None:
            fill_evidence(self.store, network, nodes)

        linked_only = not view.get("focus") and not view.get("isolated")
        return to_networkx(self.store, evidence=False, linked_only=linked_only), evidence

    def validate(self) -> ValidationReport:
        """Check the graph against the SHACL shapes in ``ontology/shapes.ttl``."""
        from kg.rdf.files import union_of
        from kg.rdf.shacl import validate

        return validate(union_of(self.dataset))

    def stats(self) -> dict[str, dict[str, int]]:
        """Counts of entities per type and facts per relation, and of documents
        (counted by the store's engine, see :func:`kg.network.read.read_stats`)."""
        from kg.network.read import read_stats

        return read_stats(self.store)

    def entity_count(self) -> int:
        """How many entities the graph holds (one SPARQL count, cheap on any store)."""
        rows = self.query(
            f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ GRAPH <{ENTITIES_GRAPH}> {{ ?e a ?type }} }}"
        ).rows
        return int(str(rows[0][0])) if rows and rows[0][0] is not None else 0

    def __len__(self) -> int:
        return len(self.store)

    # -- files -----------------------------------------------------------------------

    def save(self, path: str | Path, *, format: str | None = None) -> Path:
        """Write the graph to a file; the format comes from the extension (.ttl .nt .nq .trig .jsonld)."""
        from kg.rdf.files import format_for

        return self.store.save(Path(path), format_for(path, format))

    @classmethod
    def load(cls, path: str | Path, *, format: str | None = None, **options: Any) -> KnowledgeGraph:
        """Read a graph file written by :meth:`save` (or any RDF in a supported format)."""
        return cls(load_dataset(path, format=format), **options)


_DEFAULT_OPTIONS = {
    "model": None,
    "extractors": None,
    "batch_size": 256,
    "workers": 1,
    "dask": None,
    "min_confidence": 0.0,
}


def __getattr__(name: str) -> object:
    """``BuildReport`` imported lazily (it comes with the build engine)."""
    if name == "BuildReport":
        from kg.build.engine import BuildReport

        return BuildReport
    raise AttributeError(f"module 'kg.graph' has no attribute {name!r}")


#: What an IRI looks like (anything else is a name).
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")


def _entity_infos(found: Iterable[dict[str, Any]]) -> list[EntityInfo]:
    """Entities as the API returns them, sorted by label (case-insensitive), then IRI."""
    out = [
        EntityInfo(
            iri=attrs["iri"],
            label=attrs["label"],
            type=attrs["type"],
            aliases=tuple(attrs["aliases"]),
            roles=tuple(attrs["roles"]),
        )
        for attrs in found
    ]
    return sorted(out, key=lambda e: (e.label.casefold(), e.iri))


def _neighbors(found: Iterable[Neighbor]) -> list[Neighbor]:
    """Facts once each, by relation, then the other entity's label."""
    return sorted(set(found), key=lambda n: (n.relation, n.label, n.direction, n.iri, n.type))


def _chain(first: Iterable[Any], second: Iterable[Any]) -> Iterator[Any]:
    yield from first
    yield from second


__all__ = ["BuildReport", "EntityInfo", "KnowledgeGraph", "Neighbor"]
