"""The embedded on-disk store: Oxigraph (RocksDB) through rdflib's API (oxrdflib).

Queries run on Oxigraph's own SPARQL engine; a batch is one SPARQL Update, which
Oxigraph applies in one transaction, so a killed build leaves whole batches only.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph
from rdflib import Dataset, URIRef
from rdflib.term import Node

from kg.errors import StoreError
from kg.rdf.files import new_dataset
from kg.rdf.namespace import bind_prefixes
from kg.sparql.run import QueryResult, graph_of, plain
from kg.storage.base import Batch, GraphStore
from kg.storage.sparql_update import batch_update

#: A file Oxigraph keeps in every store directory.
_MARKER_FILES = ("CURRENT", "IDENTITY")


class OxigraphStore(GraphStore):
    """An Oxigraph store in a directory (created when missing)."""

    writes_behind = True  # pyoxigraph releases the GIL while it writes

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        from oxrdflib import OxigraphStore as RdflibOxigraph

        self.path = Path(path)
        _check_directory(self.path, create=create)
        try:
            self._store = pyoxigraph.Store(str(self.path))
        except OSError as exc:
            raise StoreError(_open_error(self.path, exc)) from exc
        # Queries and walks read the default graph: the union of the named graphs as a set.
        self.dataset = bind_prefixes(
            Dataset(store=RdflibOxigraph(store=self._store), default_union=False)
        )

    def write(self, batch: Batch) -> None:
        if not batch:
            return
        try:
            self._store.update(batch_update(batch))
            self._store.flush()  # RocksDB's write buffers to disk: memory stays flat as the store grows
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write to the store: {exc}") from exc

    def _execute(self, text: str) -> QueryResult:
        """SPARQL on Oxigraph's engine directly, each distinct result term converted once."""
        cache: dict[object, Node | None] = {}

        def term(value: object) -> Node | None:
            if value is None:
                return None
            found = cache.get(value)
            if found is None:
                found = cache[value] = plain(_from_ox(value))
            return found

        result = self._store.query(text)  # the default graph: the union of the named graphs
        if isinstance(result, pyoxigraph.QueryBoolean):
            return QueryResult("ASK", boolean=bool(result))
        if isinstance(result, pyoxigraph.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            rows = tuple(
                tuple(term(solution[i]) for i in range(len(variables))) for solution in result
            )
            return QueryResult("SELECT", variables, rows)
        triples = ((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in result)
        return QueryResult("CONSTRUCT", graph=graph_of(triples))

    def __len__(self) -> int:
        found = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        if not isinstance(found, pyoxigraph.QuerySolutions):
            return 0
        first = next(iter(found))[0]
        return int(first.value) if isinstance(first, pyoxigraph.Literal) else 0

    def snapshot(self) -> Dataset:
        copy = new_dataset()
        for quad in self._store.quads_for_pattern(None, None, None, None):
            if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                graph = _from_ox(quad.graph_name)
                s, p, o = _from_ox(quad.subject), _from_ox(quad.predicate), _from_ox(quad.object)
                if isinstance(graph, URIRef):
                    copy.graph(graph).add((s, p, o))
        return copy

    def close(self) -> None:
        self._stop_writer()
        store = getattr(self, "_store", None)
        if store is not None:
            store.flush()
            self.dataset.store.close()
            del self._store
            self.dataset = None  # type: ignore[assignment]
            del store
            gc.collect()  # rdflib's objects hold cycles; the lock goes with the last reference


def is_store_directory(path: str | Path) -> bool:
    """Whether ``path`` is a directory holding an Oxigraph store."""
    path = Path(path)
    return path.is_dir() and any((path / name).exists() for name in _MARKER_FILES)


def _check_directory(path: Path, *, create: bool) -> None:
    if path.exists() and not path.is_dir():
        raise StoreError(
            f"{path}: not a store directory (it is a file; graph files are read without --store)"
        )
    if path.is_dir() and any(path.iterdir()) and not is_store_directory(path):
        raise StoreError(f"{path}: not a store directory (it holds other files)")
    if not create and not is_store_directory(path):
        raise StoreError(f"{path}: no such store (build one with: kg build DOCS --store {path})")
    if not path.exists():
        try:
            path.mkdir(parents=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the store: {exc.strerror or exc}") from exc


def _open_error(path: Path, exc: OSError) -> str:
    text = " ".join(str(exc).split())
    if "lock" in text.lower():
        return f"{path}: the store is in use (by another kg build or kg serve, or still open); wait for it or stop it"
    return f"{path}: cannot open the store: {text[:300]}"


def _from_ox(value: object) -> Node:
    """An Oxigraph term as an rdflib term (oxrdflib's converter, typed)."""
    from oxrdflib._converter import from_ox

    term: Node = from_ox(value)  # type: ignore[arg-type,assignment]
    return term
