"""The store interface: documents' named graphs, atomic batch writes, queries."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kg.rdf.files import new_dataset, save_dataset
from kg.rdf.namespace import ENTITIES_GRAPH, GRAPH_BASE
from kg.sparql.run import QueryDataset, QueryResult, run_query

Triple = tuple[Node, Node, Node]
#: A triple and the named graph holding it.
Quad = tuple[Node, Node, Node, URIRef]
#: How many IRIs one VALUES block of :meth:`GraphStore.quads_with` lists.
VALUES_CHUNK = 400

#: What :func:`run_query` gets for a store that runs queries on its own engine (it reads
#: no graph then): the store's rdflib view is not built for nothing.
_ENGINE_OF_ITS_OWN = Graph()
#: Every quad of the named graphs.
ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
#: Documents already in a store: id, content digest, source file, graph.
DOCUMENTS_QUERY = """
SELECT ?g ?id ?digest ?file WHERE {
  GRAPH ?g {
    ?d a kg:Document ; dcterms:identifier ?id .
    OPTIONAL { ?d kg:contentHash ?digest }
    OPTIONAL { ?d kg:sourceFile ?file }
  }
}
"""


@dataclass(frozen=True)
class StoredDocument:
    """A document already in a store: what a rebuild compares against."""

    id: str
    graph: URIRef
    digest: str | None = None
    file: str | None = None


@dataclass
class Batch:
    """One atomic write.

    ``graphs`` replace whole document graphs (named graph → its new triples);
    ``dropped`` graphs are deleted (documents removed, or replaced by a new version under
    another id); ``labels`` replace each entity's triples in the entities graph. With
    ``prune``, entities that no document mentions any more are deleted afterwards.
    """

    graphs: dict[URIRef, list[Triple]] = field(default_factory=dict)
    dropped: set[URIRef] = field(default_factory=set)
    labels: dict[URIRef, list[Triple]] = field(default_factory=dict)
    prune: bool = False
    #: Graphs of ``graphs`` known not to exist yet (nothing to drop first).
    fresh: set[URIRef] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.graphs or self.dropped or self.labels or self.prune)

    def triple_count(self) -> int:
        """How many triples the batch inserts (document graphs and entity labels)."""
        return sum(map(len, self.graphs.values())) + sum(map(len, self.labels.values()))


class WriteBehind:
    """One background thread applying writes in order (for stores that release the GIL)."""

    def __init__(self, write: Callable[[Batch], None]) -> None:
        self._write = write
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer")
        self._pending: Future[None] | None = None

    def submit(self, batch: Batch) -> None:
        self.wait()
        self._pending = self._executor.submit(self._write, batch)

    def wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self._executor.shutdown(wait=True)


class GraphStore(ABC):
    """A dataset of named graphs that a build writes to and queries read from."""

    #: The rdflib view of the store (its default graph is the union of all graphs).
    dataset: Dataset

    @abstractmethod
    def write(self, batch: Batch) -> None:
        """Apply ``batch`` atomically: all of it, or (after a crash) none of it."""

    #: Runs the final query text on the store's own engine (None: through ``dataset.query``).
    _execute: Callable[[str, QueryDataset | None], QueryResult] | None = None

    #: Whether writes run on a background thread (stores whose writes release the GIL).
    writes_behind: bool = False
    _writer: WriteBehind | None = None

    def write_behind(self, batch: Batch) -> None:
        """Start writing ``batch`` while the caller goes on (parsing the next one).

        Batches are applied in order, one at a time; at most one waits. An error
        surfaces at the next call or at :meth:`wait`. Stores whose writes hold the
        GIL write at once.
        """
        if not self.writes_behind:
            self.write(batch)
            return
        if self._writer is None:
            self._writer = WriteBehind(self.write)
        self._writer.submit(batch)

    def wait(self) -> None:
        """Return when every batch handed to :meth:`write_behind` is written."""
        if self._writer is not None:
            self._writer.wait()

    def _stop_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()

    def documents(self) -> dict[str, StoredDocument]:
        """The documents in the store, by id."""
        found: dict[str, StoredDocument] = {}
        for graph, doc_id, digest, file in self.query(DOCUMENTS_QUERY).rows:
            if doc_id is not None and graph != ENTITIES_GRAPH:
                found[str(doc_id)] = StoredDocument(
                    str(doc_id),
                    URIRef(str(graph)),
                    str(digest) if digest is not None else None,
                    str(file) if file is not None else None,
                )
        return found

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, object] | None = None,
        *,
        allow_service: bool = False,
        dataset: QueryDataset | None = None,
        base: str | None = None,
    ) -> QueryResult:
        """Run SPARQL over the union of all graphs (values bound, never pasted in).

        ``dataset`` runs it over some named graphs instead; ``base`` resolves relative IRIs.
        """
        return run_query(
            self.dataset if self._execute is None else _ENGINE_OF_ITS_OWN,
            sparql,
            bindings,
            allow_service=allow_service,
            execute=self._execute,
            dataset=dataset,
            base=base,
        )

    def reader_opener(self) -> Callable[[], GraphStore] | None:
        """How a fresh process opens this store to read it (None: it must inherit it by fork)."""
        return None

    def refresh(self) -> bool:
        """Catch up with changes made by another process, where the store can (True if it did)."""
        return False

    # -- quad-level reads and writes (curation: a few entities' quads, not whole graphs) ----

    def match(
        self,
        subject: Node | None = None,
        predicate: Node | None = None,
        obj: Node | None = None,
        graph: URIRef | None = None,
        *,
        limit: int | None = None,
    ) -> list[Quad]:
        """Quads of the named graphs matching a pattern (None matches anything)."""
        terms = [
            t.n3() if t is not None else v
            for t, v in ((subject, "?s"), (predicate, "?p"), (obj, "?o"), (graph, "?g"))
        ]
        text = f"SELECT * WHERE {{ GRAPH {terms[3]} {{ {terms[0]} {terms[1]} {terms[2]} }} }}"
        result = self.query(text + (f" LIMIT {int(limit)}" if limit is not None else ""))
        index = {name: i for i, name in enumerate(result.variables)}
        found: list[Quad] = []
        for row in result.rows:
            s, p, o, g = (
                given if given is not None else row[index[name]]
                for given, name in ((subject, "s"), (predicate, "p"), (obj, "o"), (graph, "g"))
            )
            found.append((s, p, o, URIRef(str(g))))  # type: ignore[arg-type]
        return found

    def quads_with(self, nodes: Collection[Node]) -> list[Quad]:
        """Quads of our named graphs whose subject or object is one of ``nodes``."""
        found: list[Quad] = []
        ordered = sorted(nodes, key=str)
        for start in range(0, len(ordered), VALUES_CHUNK):
            values = " ".join(n.n3() for n in ordered[start : start + VALUES_CHUNK])
            rows = self.query(
                f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?n {{ {values} }} "
                "{ GRAPH ?g { ?n ?p ?o } BIND(?n AS ?s) } UNION { GRAPH ?g { ?s ?p ?n } BIND(?n AS ?o) } "
                f'FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}")) }}'
            ).rows
            found += [(s, p, o, URIRef(str(g))) for s, p, o, g in rows]  # type: ignore[misc]
        return list(dict.fromkeys(found))

    def quads_of(self, subjects: Collection[Node], predicates: Collection[Node]) -> list[Quad]:
        """Quads of our named graphs (not a server's own or a store's internal ones) with
        one of ``subjects`` and one of ``predicates``."""
        found: list[Quad] = []
        ordered = sorted(subjects, key=str)
        wanted = " ".join(p.n3() for p in sorted(predicates, key=str))
        for start in range(0, len(ordered), VALUES_CHUNK):
            values = " ".join(n.n3() for n in ordered[start : start + VALUES_CHUNK])
            rows = self.query(
                f"SELECT ?s ?p ?o ?g WHERE {{ VALUES ?s {{ {values} }} VALUES ?p {{ {wanted} }} "
                f'GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}")) }}'
            ).rows
            found += [(s, p, o, URIRef(str(g))) for s, p, o, g in rows]  # type: ignore[misc]
        return list(dict.fromkeys(found))

    def graph_triples(self, graph: URIRef) -> list[Triple]:
        """The triples of one named graph."""
        rows = self.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}").rows
        return [(s, p, o) for s, p, o in rows]  # type: ignore[misc]

    def apply_delta(self, removed: Iterable[Quad], added: Iterable[Quad]) -> None:
        """Remove and add single quads, atomically (after every pending batch is written)."""
        raise NotImplementedError(f"{type(self).__name__} cannot change single quads")

    def read_view(self) -> Dataset:
        """A dataset to walk triple by triple (networkx, statistics, HTML); set semantics."""
        return self.dataset

    def save(self, path: Path, fmt: str) -> Path:
        """Write the named graphs to a file in rdflib format ``fmt`` (quad formats keep
        the graphs, triple formats hold their union), atomically."""
        return save_dataset(self.snapshot(), path, format=fmt)

    def snapshot(self) -> Dataset:
        """The named graphs as an in-memory dataset (for saving to a file)."""
        copy = new_dataset()
        for s, p, o, g in self.query(ALL_QUADS).rows:
            if s is not None and p is not None and o is not None and isinstance(g, URIRef):
                copy.graph(g).add((s, p, o))
        return copy

    def __len__(self) -> int:
        return len(self.dataset)

    def close(self) -> None:
        """Release the store (flush, unlock); the object is not usable afterwards."""
        self._stop_writer()
