"""The embedded on-disk store: Oxigraph (RocksDB) through rdflib's API (oxrdflib).

Queries run on Oxigraph's own SPARQL engine; a batch is one SPARQL Update, which
Oxigraph applies in one transaction, so a killed build leaves whole batches only.

One process writes a store (``kg build``, ``kg remove``); any number read it at the
same time (``read_only=True``: ``kg query``, ``kg stats``, ``kg serve``...), from the
snapshots the writer publishes (:mod:`kg.storage.snapshots`).
"""

from __future__ import annotations

import functools
import gc
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

import pyoxigraph
from rdflib import OWL, BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.rdf.files import new_dataset
from kg.rdf.namespace import PREFIXES, bind_prefixes
from kg.sparql.run import QueryDataset, QueryResult, graph_of, missing_graph, plain
from kg.storage import snapshots
from kg.storage.base import Batch, GraphStore, Quad
from kg.storage.changes import Changes
from kg.storage.heap import release_free_memory
from kg.storage.sparql_update import batch_update, delta_update

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: A file Oxigraph keeps in every store directory.
_MARKER_FILES = ("CURRENT", "IDENTITY")
#: How long to wait for the lock a reader may hold while it publishes a snapshot.
LOCK_WAIT_SECONDS = 3.0
#: A writer publishes a snapshot for readers at most this often (and when it closes).
PUBLISH_EVERY_SECONDS = 1.0
#: A writer closes and reopens its store after writing this many triples (see
#: :meth:`OxigraphStore._reopen`): what RocksDB keeps in memory then stays bounded.
REOPEN_EVERY_TRIPLES = 60_000


class OxigraphStore(GraphStore):
    """An Oxigraph store in a directory (created when missing), or in memory (``path``
    None: what a one-off ``kg build -o FILE`` builds into, then saves from).

    ``read_only`` opens the newest snapshot instead of the store itself: it never
    takes the writer's lock, so it works while a build or another reader runs.
    """

    writes_behind = True  # pyoxigraph releases the GIL while it writes

    def __init__(
        self, path: str | Path | None, *, create: bool = True, read_only: bool = False
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._dirty = False
        self._written = False  # this session wrote: the summary is refreshed on close
        self._published = float("-inf")  # the first write is published at once
        self._since_reopen = 0  # triples written since the store was (re)opened
        self.snapshot_path: Path | None = None
        #: The snapshot this writer started from, and the nodes its writes changed since
        #: (what the summary of its last snapshot is updated from); None: no such base.
        self.base_generation: str | None = None
        self.changes: Changes | None = None
        if self.path is None:
            store = pyoxigraph.Store()
        elif read_only:
            _check_directory(self.path, create=False)
            self.snapshot_path, store = _open_snapshot(self.path)
        else:
            _check_directory(self.path, create=create)
            store = _open_writable(self.path)
            latest = snapshots.newest(self.path)
            if latest is not None and not snapshots.is_dirty(self.path):
                self.base_generation, self.changes = latest.name, Changes()
        self._attach(store)

    @property
    def dirty(self) -> bool:
        """Whether this writer holds batches no snapshot has yet."""
        return self._dirty

    def _attach(self, store: pyoxigraph.Store) -> None:
        self._store = store
        self._dataset: Dataset | None = None

    @property
    def dataset(self) -> Dataset:  # type: ignore[override]
        """The rdflib view (oxrdflib), made on first use: builds and queries do without it."""
        if self._dataset is None:
            from oxrdflib import OxigraphStore as RdflibOxigraph

            # Walks read the default graph: the union of the named graphs as a set.
            self._dataset = bind_prefixes(
                Dataset(store=RdflibOxigraph(store=self._store), default_union=False)
            )
        return self._dataset

    def refresh(self) -> bool:
        """Read-only: move to the newest snapshot when a writer published one; True if moved."""
        if not self.read_only or self.path is None:
            return False
        latest = snapshots.newest(self.path)
        if latest is None or latest == self.snapshot_path:
            return False
        try:
            store = pyoxigraph.Store.read_only(str(latest))
        except OSError:
            return False  # removed meanwhile: keep reading the one we have
        self.snapshot_path = latest
        self._attach(store)
        return True

    def write(self, batch: Batch) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only; it cannot be written")
        if not batch:
            return
        if self.path is None:
            self._store.update(batch_update(batch))
            release_free_memory()
            return
        try:
            if not self._dirty:
                snapshots.mark_dirty(self.path)
                self._dirty = self._written = True
            if self.changes is not None:
                self.changes.before_batch(batch, self._rows)
            self._store.update(batch_update(batch))
            self._store.flush()  # RocksDB's write buffers to disk: memory stays flat as the store grows
            if time.monotonic() - self._published >= PUBLISH_EVERY_SECONDS:
                self._publish()
            self._since_reopen += batch.triple_count()
            if self._since_reopen >= REOPEN_EVERY_TRIPLES:
                self._reopen()
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write to the store: {exc}") from exc
        release_free_memory()

    def _reopen(self) -> None:
        """Close the store and open it again, after a write (on the writer's thread).

        RocksDB keeps a block cache per column family (eleven of them, each up to 32 MB,
        a size pyoxigraph does not let us set) and the readers of every table file;
        both fill as the store grows and a build reads from it, and only closing the
        database empties them. Measured on Reuters-21578 at 1,536 stories: 51 MB less
        in use after a reopen, which takes about 0.3 s on a 2,000-story store.
        """
        if self.path is None:
            return
        self._store.flush()
        if self._dataset is not None:
            self._dataset.store.close()
        del self._store
        self._dataset = None
        try:
            store = pyoxigraph.Store(str(self.path))
        except OSError as exc:  # an rdflib view held the old one in a reference cycle
            if not _is_lock_error(exc):
                raise
            gc.collect()  # the lock goes with the last reference
            store = _open_writable(self.path)
        self._attach(store)
        self._since_reopen = 0

    def _rows(self, text: str) -> tuple[tuple[Node | None, ...], ...]:
        return self._execute(text).rows

    def apply_delta(self, removed: Iterable[Quad], added: Iterable[Quad]) -> None:
        self.wait()
        removed, added = list(removed), list(added)
        text = delta_update(removed, added)
        if not text:
            return
        if self.path is None:
            self._store.update(text)
            return
        try:
            if self.changes is not None:
                self.changes.quads([*removed, *added])
            self._store.update(text)
            self._store.flush()
            self._dirty = self._written = True
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write to the store: {exc}") from exc

    def _publish(self) -> None:
        """A snapshot of what is committed, for readers (see :mod:`kg.storage.snapshots`)."""
        if self.path is None:
            return  # in memory: no other process reads it
        snapshots.publish(self._store, self.path)
        self._dirty = False
        self._published = time.monotonic()

    def reader_opener(self) -> Callable[[], GraphStore] | None:
        """Opens this store read-only in another process (what is committed is published first)."""
        if self.path is None:
            return None  # in memory: a process reads it by inheriting it (fork)
        if not self.read_only and (self._dirty or snapshots.newest(self.path) is None):
            self.wait()
            self._publish()
        return functools.partial(OxigraphStore, self.path, create=False, read_only=True)

    def named_graph_exists(self, iri: str) -> bool:
        return bool(self._store.contains_named_graph(pyoxigraph.NamedNode(iri)))

    def _execute(self, text: str, dataset: QueryDataset | None = None) -> QueryResult:
        """SPARQL on Oxigraph's engine directly, each distinct result term converted once.

        ``dataset`` replaces the default graph (the union of the named graphs) and the
        named graphs, as the SPARQL Protocol's ``default-graph-uri``/``named-graph-uri`` do.
        """
        cache: dict[object, Node | None] = {}

        def term(value: object) -> Node | None:
            if value is None:
                return None
            found = cache.get(value)
            if found is None:
                found = cache[value] = _plain_from_ox(value)
            return found

        if dataset is None:
            result = self._store.query(text)  # the default graph: the union of the named graphs
        else:
            for name in (*dataset.default, *dataset.named):
                if not self.named_graph_exists(name):
                    raise QueryError(missing_graph(name))
            result = self._store.query(
                text,
                default_graph=[pyoxigraph.NamedNode(g) for g in dataset.default],
                named_graphs=[pyoxigraph.NamedNode(g) for g in dataset.named],
            )
        if isinstance(result, pyoxigraph.QueryBoolean):
            return QueryResult("ASK", boolean=bool(result))
        if isinstance(result, pyoxigraph.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            width = range(len(variables))
            rows = tuple(tuple(term(solution[i]) for i in width) for solution in result)
            return QueryResult("SELECT", variables, rows)
        triples = ((_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in result)
        return QueryResult("CONSTRUCT", graph=graph_of(triples))

    def __len__(self) -> int:
        found = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        if not isinstance(found, pyoxigraph.QuerySolutions):
            return 0
        first = next(iter(found))[0]
        return int(first.value) if isinstance(first, pyoxigraph.Literal) else 0

    def save(self, path: Path, fmt: str) -> Path:
        """N-Triples, Turtle and N-Quads written by Oxigraph itself (the triple formats
        from the default graph, which holds the union of the named graphs as a set);
        the other formats through rdflib."""
        from kg.atomic import write_atomic

        if fmt in ("nt", "turtle"):
            ox_format = (
                pyoxigraph.RdfFormat.N_TRIPLES if fmt == "nt" else pyoxigraph.RdfFormat.TURTLE
            )
            prefixes = {**PREFIXES, "owl": str(OWL)} if fmt == "turtle" else None

            def write(handle: IO[bytes]) -> None:
                self._store.dump(
                    handle, ox_format, from_graph=pyoxigraph.DefaultGraph(), prefixes=prefixes
                )

        elif fmt == "nquads":

            def write(handle: IO[bytes]) -> None:
                quads = self._store.quads_for_pattern(None, None, None, None)
                named = (q for q in quads if not isinstance(q.graph_name, pyoxigraph.DefaultGraph))
                pyoxigraph.serialize(named, handle, pyoxigraph.RdfFormat.N_QUADS)

        else:
            return super().save(path, fmt)
        self.wait()
        return write_atomic(path, write)

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
            if not self.read_only and self.path is not None:
                store.flush()
                if self._dirty:
                    self._publish()
                if self._written:
                    _refresh_summary(self)
            if self._dataset is not None:
                self._dataset.store.close()
                self._dataset = None
            del self._store
            del store
            if self.path is not None:  # in memory there is no lock to release
                gc.collect()  # rdflib's objects hold cycles; the lock goes with the last reference


def _refresh_summary(store: OxigraphStore) -> None:
    """The read side's summary of what this session wrote (:mod:`kg.network.summary`)."""
    from kg.network.summary import refresh

    refresh(store)


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


def _is_lock_error(exc: OSError) -> bool:
    return "lock" in str(exc).lower()


def _open_writable(path: Path) -> pyoxigraph.Store:
    """The store itself, read-write; a reader publishing a snapshot holds the lock briefly."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            return pyoxigraph.Store(str(path))
        except OSError as exc:
            if not _is_lock_error(exc) or time.monotonic() > deadline:
                raise StoreError(_open_error(path, exc)) from exc
            time.sleep(0.1)


def _open_snapshot(path: Path) -> tuple[Path, pyoxigraph.Store]:
    """The newest snapshot that holds every committed batch a reader can get, opened read-only."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        latest = snapshots.newest(path)
        if latest is None or snapshots.is_dirty(path):
            published = _publish_if_free(path)
            latest = published or latest
        if latest is not None:
            try:
                return latest, pyoxigraph.Store.read_only(str(latest))
            except OSError as exc:  # removed by a writer meanwhile: take the next newest
                if time.monotonic() > deadline:
                    raise StoreError(_open_error(path, exc)) from exc
        elif time.monotonic() > deadline:
            raise StoreError(
                f"{path}: the store is being written by another process (kg build or kg "
                "remove) and has nothing readable yet; try again once its first batch is "
                "written (every --batch-size documents)"
            )
        time.sleep(0.1)


def _publish_if_free(path: Path) -> Path | None:
    """Publish a snapshot when no writer holds the store (None when one does)."""
    try:
        store = pyoxigraph.Store(str(path))
    except OSError as exc:
        if _is_lock_error(exc):
            return None
        raise StoreError(_open_error(path, exc)) from exc
    try:
        return snapshots.publish(store, path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot publish a snapshot to read: {exc}") from exc
    finally:
        del store
        gc.collect()  # the lock goes with the last reference


def _open_error(path: Path, exc: OSError) -> str:
    text = " ".join(str(exc).split())
    if _is_lock_error(exc):
        return (
            f"{path}: the store is being written by another process (a kg build or kg "
            "remove, or a program that opened it for writing); wait for it to finish. "
            "Reading commands (kg query, stats, entities, viz, export, serve) work meanwhile"
        )
    return f"{path}: cannot open the store: {text[:300]}"


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _plain_from_ox(value: object) -> Node | None:
    """A query result's term as an rdflib term, ``xsd:string`` literals plain (as
    :func:`~kg.sparql.run.plain` makes them); IRIs and literals without the converter's
    detour (a read returns tens of thousands of them)."""
    kind = type(value)
    if kind is pyoxigraph.NamedNode:
        return URIRef(value.value)  # type: ignore[attr-defined]
    if kind is pyoxigraph.Literal:
        text, language = value.value, value.language  # type: ignore[attr-defined]
        if language:
            return Literal(text, lang=language)
        datatype = value.datatype.value  # type: ignore[attr-defined]
        return (
            Literal(text) if datatype == _XSD_STRING else Literal(text, datatype=URIRef(datatype))
        )
    return plain(_from_ox(value))


def _from_ox(value: object) -> Node:
    """An Oxigraph term as an rdflib term, ``"x"^^xsd:string`` as ``"x"`` (the same literal
    in RDF 1.1, and what rdflib's own stores hold); oxrdflib and rdflib's SPARQL engine,
    which a build does not need, are not imported."""
    if isinstance(value, pyoxigraph.NamedNode):
        return URIRef(value.value)
    if isinstance(value, pyoxigraph.BlankNode):
        return BNode(value.value)
    if isinstance(value, pyoxigraph.Literal):
        if value.language:
            return Literal(value.value, lang=value.language)
        datatype = value.datatype.value
        if datatype == _XSD_STRING:
            return Literal(value.value)
        return Literal(value.value, datatype=URIRef(datatype))
    raise StoreError(f"unexpected Oxigraph term: {value!r}")
