"""The store interface: documents' named graphs, atomic batch writes, queries."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from rdflib import Dataset, URIRef
from rdflib.term import Node

from kg.rdf.files import new_dataset
from kg.rdf.namespace import ENTITIES_GRAPH
from kg.sparql.run import QueryResult, run_query

Triple = tuple[Node, Node, Node]

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
    _execute: Callable[[str], QueryResult] | None = None

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
    ) -> QueryResult:
        """Run SPARQL over the union of all graphs (values bound, never pasted in)."""
        return run_query(
            self.dataset, sparql, bindings, allow_service=allow_service, execute=self._execute
        )

    def read_view(self) -> Dataset:
        """A dataset to walk triple by triple (networkx, statistics, HTML); set semantics."""
        return self.dataset

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
