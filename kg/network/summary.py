"""A materialized summary of an on-disk store, so read commands need not aggregate millions
of triples: every entity with its attributes, every fact between entities (the network's
shape, no evidence), and the counts ``kg stats`` prints.

The summary is a small SQLite file beside the store, ``<store>/.kg-summary/<gen>.sqlite``,
one per *generation*: the name of the snapshot it was computed from
(:mod:`kg.storage.snapshots`). A snapshot never changes once published and every write
publishes a new one, so a summary whose generation is not the snapshot a reader opened
is stale by construction: it is not trusted, and the summary of the reader's snapshot is
computed (once, then saved for every later reader). A writer keeps it true from one hook:
:meth:`kg.storage.oxigraph.OxigraphStore.close` calls :func:`refresh` after a session
that wrote (build, incremental build, ``kg remove``, curation), which computes the
summary of the snapshot it published and removes those of snapshots no longer kept.

Other stores (in memory, remote endpoints) and a store being written (a batch not yet
published) have no generation: their reads run the live queries of
:mod:`kg.network.read`, the same ones :func:`compute` runs to fill a summary.

    >>> found = stored_summary(store)       # doctest: +SKIP
    >>> found.stats()["entities"]           # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Node

from kg.errors import KGError
from kg.storage import snapshots

if TYPE_CHECKING:
    import networkx

    from kg.network.read import Source

FOLDER = ".kg-summary"
#: Bumped when what a summary holds changes: a summary of another version is recomputed.
VERSION = "3"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (n INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
                    attrs TEXT NOT NULL, rank REAL NOT NULL);
CREATE TABLE names (folded TEXT NOT NULL, node INTEGER NOT NULL);
CREATE TABLE edges (n INTEGER PRIMARY KEY, s INTEGER NOT NULL, o INTEGER NOT NULL,
                    relation TEXT NOT NULL, attrs TEXT NOT NULL, origin TEXT NOT NULL,
                    facts INTEGER NOT NULL);
CREATE INDEX nodes_type ON nodes (type, n);
CREATE INDEX names_folded ON names (folded);
CREATE INDEX edges_s ON edges (s);
CREATE INDEX edges_o ON edges (o);
"""


@dataclass
class Fact:
    """One edge of the network: its attributes, the first triple (in term order) that
    states it, and how many triples do (each counts in the stats)."""

    attrs: dict[str, Any]
    origin: tuple[str, str, str]
    count: int = 1
    text: str | None = None  # the attributes as JSON, when read from a summary file


#: An edge's key: subject, object, relation.
Key = tuple[str, str, str]


@dataclass
class SummaryData:
    """What a summary holds, as computed: the network's shape and the counts."""

    nodes: dict[str, dict[str, Any]]  # IRI → attributes, in IRI order
    facts: dict[Key, Fact]  # in the order of their first triples
    stats: dict[str, dict[str, int]]
    #: PageRank of each entity in the network with each fact once (``merge_inverses``):
    #: what the explorer's search ranks by.
    ranks: dict[str, float]
    #: The open relations (``rdfs:subPropertyOf kg:relatedTo``) the facts were read with.
    open: list[str]
    #: IRI → its attributes as JSON, for the nodes read from a summary file (not encoded again).
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def edges(self) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Subject, object, relation and attributes of each edge, in order."""
        return [(s, o, relation, fact.attrs) for (s, o, relation), fact in self.facts.items()]


# --- generations ---------------------------------------------------------------------------


def generation(source: object) -> str | None:
    """The name of the snapshot an on-disk Oxigraph store's content is, or None (another
    store, or a writer holding batches no snapshot has)."""
    from kg.storage.oxigraph import OxigraphStore

    if not isinstance(source, OxigraphStore) or source.path is None:
        return None
    if source.read_only:
        return source.snapshot_path.name if source.snapshot_path is not None else None
    if source.dirty or snapshots.is_dirty(source.path):
        return None
    latest = snapshots.newest(source.path)
    return latest.name if latest is not None else None


def _file(store: Path, gen: str) -> Path:
    return store / FOLDER / f"{gen}.sqlite"


# --- computing and writing -----------------------------------------------------------------


def compute(source: Source) -> SummaryData:
    """The summary of a store (or rdflib graph), by the live queries of
    :mod:`kg.network.read`: what ``to_networkx(evidence=False)`` and ``read_stats`` give."""
    from kg.network import read

    pairs = read.same_as(source)
    nodes = read.read_entities(source, pairs=pairs)
    opens = read.open_relations(source)
    facts = _facts(read.fact_triples(source), nodes, pairs, opens)
    return _complete(source, {str(node): attrs for node, attrs in nodes.items()}, facts, opens)


def update(source: Source, old: SummaryData, changed: Collection[str]) -> SummaryData | None:
    """The summary of ``source`` from ``old``, the summary of the same store before some
    writes that changed the triples of the nodes ``changed`` only: the entities and facts
    around those nodes (and the ``owl:sameAs`` chains through them) are read again, the
    others kept; the counts and PageRank are computed again from the result. None when
    the open relations changed, or the region to read is half the store (compute it)."""
    from kg.network import read

    opens = read.open_relations(source)
    if sorted(map(str, opens)) != old.open:
        return None
    pairs = read.same_as(source)
    # Only entities (now, or before the writes) are ends of facts: the other nodes changed
    # (documents, evidence, classes) are left out, or every fact would be read again.
    touched = {URIRef(iri) for iri in changed}
    start = {node for node in touched if str(node) in old.nodes or node in pairs}
    start |= {node for node in pairs.values() if node in touched}
    start |= read.typed_entities(source, touched - start)
    linked = read.linked_pairs(pairs, start)
    region = {*start, *linked, *linked.values()}
    if len(region) > max(len(old.nodes), 1000) / 2:
        return None
    names = {str(node) for node in region}
    nodes = {iri: attrs for iri, attrs in old.nodes.items() if iri not in names}
    nodes.update(
        (str(node), attrs) for node, attrs in read.entities_of(source, region, pairs).items()
    )
    nodes = dict(sorted(nodes.items()))
    triples = read.fact_triples_around(source, region)
    ends = {node for s, _, o in triples for node in (s, o) if isinstance(node, URIRef)}
    alive = {
        node for node in (*ends, *(pairs[n] for n in ends if n in pairs)) if str(node) in nodes
    }
    facts = {k: f for k, f in old.facts.items() if k[0] not in names and k[1] not in names}
    around = _facts(triples, alive, pairs, opens)
    facts.update((k, f) for k, f in around.items() if k[0] in names or k[1] in names)
    data = _complete(source, nodes, facts, opens)
    data.texts = {iri: text for iri, text in old.texts.items() if iri not in names}
    return data


def _facts(
    triples: Iterable[tuple[Node, Node, Node]],
    nodes: Collection[Node],
    pairs: Mapping[URIRef, URIRef],
    opens: Collection[Node],
) -> dict[Key, Fact]:
    """The edges among ``nodes`` that ``triples`` (in term order) state, one per (subject,
    object, relation): the first triple's, as :func:`kg.network.convert.best_edges` keeps
    it among facts read without evidence."""
    from kg.network import read

    origins: list[tuple[Node, Node, Node]] = []
    edges = read.fact_edges(triples, nodes, pairs, open_relations=opens, origins=origins)
    facts: dict[Key, Fact] = {}
    for (s, o, attrs), (ts, tp, to) in zip(edges, origins, strict=True):
        key = (str(s), str(o), attrs["relation"])
        known = facts.get(key)
        if known is None:
            facts[key] = Fact(attrs, (str(ts), str(tp), str(to)))
        else:
            known.count += 1
    return facts


def _complete(
    source: Source,
    nodes: dict[str, dict[str, Any]],
    facts: dict[Key, Fact],
    opens: Collection[Node],
) -> SummaryData:
    """The summary of these entities and facts (put in order): counts and PageRank."""
    from kg.network import read
    from kg.network.views import merge_inverses, pagerank

    ordered = dict(sorted(facts.items(), key=lambda item: item[1].origin))
    relations: Counter[str] = Counter()
    for (_, _, relation), fact in ordered.items():
        relations[relation] += fact.count
    relations.update({"role": read.role_count(source)})
    stats = {
        "documents": {"Document": read.document_count(source)},
        "entities": dict(sorted(Counter(attrs["type"] for attrs in nodes.values()).items())),
        "relations": dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
    data = SummaryData(nodes, ordered, stats, {}, sorted(map(str, opens)))
    shape = _network(dict.fromkeys(nodes, {}), data.edges)  # no node attributes: not ranked by
    data.ranks = pagerank(merge_inverses(shape))
    return data


def _network(
    nodes: dict[str, dict[str, Any]], edges: Iterable[tuple[str, str, str, dict[str, Any]]]
) -> networkx.MultiDiGraph:
    """The networkx graph of a summary's nodes and edges, as ``to_networkx`` makes it."""
    import networkx

    multi = networkx.MultiDiGraph()
    multi.add_nodes_from(nodes.items())
    for s, o, relation, attrs in edges:
        multi.add_edge(s, o, key=relation, **attrs)
    return multi


def _fill(connection: sqlite3.Connection, gen: str, data: SummaryData) -> None:
    tables, _, indexes = _SCHEMA.partition("CREATE INDEX")
    connection.execute("PRAGMA journal_mode = OFF")  # a new file, renamed once complete
    connection.executescript(tables)  # the indexes made once the rows are in: faster
    meta = {
        "generation": gen,
        "version": VERSION,
        "stats": json.dumps(data.stats),
        "open": json.dumps(data.open),
    }
    connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    index = {iri: n for n, iri in enumerate(data.nodes)}
    texts, ranks = data.texts, data.ranks
    connection.executemany(
        "INSERT INTO nodes VALUES (?, ?, ?, ?, ?)",
        (
            (index[iri], iri, a["type"], texts.get(iri) or json.dumps(a), ranks.get(iri, 0.0))
            for iri, a in data.nodes.items()
        ),
    )
    connection.executemany(
        "INSERT INTO names VALUES (?, ?)",
        (
            (name, index[iri])
            for iri, attrs in data.nodes.items()
            for name in {n.casefold() for n in (attrs["label"], *attrs["aliases"])}
        ),
    )
    connection.executemany(
        "INSERT INTO edges VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (
                n,
                index[s],
                index[o],
                relation,
                f.text or json.dumps(f.attrs),
                "\n".join(f.origin),  # IRIs: no line breaks
                f.count,
            )
            for n, ((s, o, relation), f) in enumerate(data.facts.items())
        ),
    )
    connection.executescript("CREATE INDEX" + indexes)
    connection.commit()


def _write(path: Path, gen: str, data: SummaryData) -> None:
    """Write the summary file (to a temporary name, renamed when complete)."""
    path.parent.mkdir(exist_ok=True)
    temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    temporary.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(temporary)) as connection:
            _fill(connection, gen, data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def refresh(source: object) -> None:
    """The write path's hook: compute the summary of the store's current generation (when
    missing) and remove those of snapshots no longer kept. A store without a generation
    is left alone; a summary that cannot be written is computed again by its readers."""
    gen = generation(source)
    path = getattr(source, "path", None)
    if gen is None or not isinstance(path, Path):
        return
    try:
        if not _file(path, gen).exists():
            _write(_file(path, gen), gen, _refreshed(source, path))
        _collect(path)
    except (OSError, sqlite3.Error, KGError):
        return  # the write itself succeeded: the first reader computes the summary


def _refreshed(source: Any, path: Path) -> SummaryData:
    """The summary of a writer's last snapshot: updated from the summary of the snapshot
    it started from (:attr:`OxigraphStore.base_generation`) with the nodes its writes
    changed, when it has both; else computed whole."""
    base = getattr(source, "base_generation", None)
    changes = getattr(source, "changes", None)
    changed = getattr(changes, "nodes", None)
    if isinstance(base, str) and changed is not None:
        old = Summary.open(_file(path, base), base)
        if old is not None:
            with old:
                data = update(source, old.data(), changed)
            if data is not None:
                return data
    return compute(source)


def _collect(store: Path) -> None:
    """Remove the summaries of snapshots that are gone, and abandoned temporary files."""
    kept = {snapshot.name for snapshot in snapshots.snapshots(store)}
    for file in (store / FOLDER).glob("*.sqlite"):
        name = file.name.removesuffix(".sqlite")
        if name not in kept and not (name.startswith(".tmp-") and _alive(name)):
            file.unlink(missing_ok=True)


def _alive(temporary: str) -> bool:
    """Whether the process writing a temporary summary (``.tmp-PID-...``) still runs."""
    pid = temporary.removeprefix(".tmp-").partition("-")[0]
    try:
        os.kill(int(pid), 0)
    except (ValueError, OSError):
        return False
    return True


# --- reading -------------------------------------------------------------------------------


def stored_summary(source: object, *, compute_missing: bool = True) -> Summary | None:
    """The summary of the store's generation: read from its file when there is one, else
    (``compute_missing``) computed now and saved for later readers. None for a store
    without a generation, or when missing and not to be computed."""
    gen = generation(source)
    path = getattr(source, "path", None)
    if gen is None or not isinstance(path, Path):
        return None
    file = _file(path, gen)
    if file.exists():
        found = Summary.open(file, gen)
        if found is not None:
            return found
    if not compute_missing:
        return None
    data = compute(source)  # type: ignore[arg-type]
    try:
        _write(file, gen, data)
        found = Summary.open(file, gen)
        if found is not None:
            return found
    except (OSError, sqlite3.Error):
        pass
    connection = sqlite3.connect(":memory:")  # a store we cannot write to: kept in memory
    _fill(connection, gen, data)
    return Summary(connection)


class Summary:
    """A summary's answers (read from its SQLite file)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    @classmethod
    def open(cls, file: Path, gen: str) -> Summary | None:
        """The summary in ``file`` if it is complete and of generation ``gen`` and this
        version (else None: stale or foreign, not to be trusted)."""
        try:
            connection = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.Error:
            return None
        if meta.get("generation") != gen or meta.get("version") != VERSION:
            connection.close()
            return None
        return cls(connection)

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Summary:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stats(self) -> dict[str, dict[str, int]]:
        row = self._connection.execute("SELECT value FROM meta WHERE key = 'stats'").fetchone()
        found: dict[str, dict[str, int]] = json.loads(row[0])
        return found

    def entities(self, types: tuple[str, ...] | None = None) -> dict[str, dict[str, Any]]:
        """Entities (of ``types``, or all) and their attributes, in IRI order."""
        if types is None:
            rows = self._connection.execute("SELECT iri, attrs FROM nodes ORDER BY n")
        else:
            marks = ", ".join("?" * len(types))
            rows = self._connection.execute(
                f"SELECT iri, attrs FROM nodes WHERE type IN ({marks}) ORDER BY n", types
            )
        found = rows.fetchall()
        return dict(zip((iri for iri, _ in found), _decode(a for _, a in found), strict=True))

    def entity(self, iri: str) -> dict[str, Any] | None:
        row = self._connection.execute("SELECT attrs FROM nodes WHERE iri = ?", (iri,)).fetchone()
        return json.loads(row[0]) if row else None

    def named(self, name: str) -> dict[str, dict[str, Any]]:
        """Entities whose label or alias is ``name`` (``str.casefold``), in IRI order."""
        rows = self._connection.execute(
            "SELECT DISTINCT nodes.n, iri, attrs FROM names JOIN nodes ON nodes.n = names.node "
            "WHERE folded = ? ORDER BY nodes.n",
            (name.casefold(),),
        )
        return {iri: json.loads(attrs) for _, iri, attrs in rows}

    def facts_of(self, iri: str) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
        """The facts from or to an entity: (relation, ``out``/``in``, other IRI, its attributes)."""
        for direction, near, far in (("out", "s", "o"), ("in", "o", "s")):
            rows = self._connection.execute(
                f"SELECT edges.relation, other.iri, other.attrs FROM nodes AS me "
                f"JOIN edges ON edges.{near} = me.n JOIN nodes AS other ON other.n = edges.{far} "
                "WHERE me.iri = ? ORDER BY edges.n",
                (iri,),
            )
            for relation, other, attrs in rows:
                yield relation, direction, other, json.loads(attrs)

    def neighbours(self, name: str, *, iri: bool) -> list[tuple[str, str, str, str, str]]:
        """The facts of the entity ``name`` (its IRI when ``iri`` and it is an entity, else
        every entity of that label or alias): relation, direction, other entity's IRI,
        label and type, as :meth:`kg.graph.KnowledgeGraph.neighbors` lists them."""
        centers = [name] if iri and self.entity(name) is not None else list(self.named(name))
        return [
            (relation, direction, other, attrs["label"], attrs["type"])
            for center in centers
            for relation, direction, other, attrs in self.facts_of(center)
        ]

    def network(
        self, relations: set[str] | None = None, *, linked_only: bool = False
    ) -> networkx.MultiDiGraph:
        """The network :func:`kg.network.convert.to_networkx` reads with ``evidence=False``
        (facts of ``relations`` only, when given; ``linked_only``: the entities with facts,
        the others counted per type in ``graph["unlinked"]``)."""
        linked = "n IN (SELECT s FROM edges UNION SELECT o FROM edges)"
        nodes = self._connection.execute(
            f"SELECT n, iri, attrs FROM nodes {'WHERE ' + linked if linked_only else ''} ORDER BY n"
        ).fetchall()
        iris = {n: iri for n, iri, _ in nodes}
        edges = [
            row
            for row in self._connection.execute(
                "SELECT s, o, relation, attrs FROM edges ORDER BY n"
            )
            if relations is None or row[2] in relations
        ]
        decoded = zip(edges, _decode(row[3] for row in edges), strict=True)
        multi = _network(
            dict(zip(iris.values(), _decode(attrs for *_, attrs in nodes), strict=True)),
            ((iris[s], iris[o], relation, attrs) for (s, o, relation, _), attrs in decoded),
        )
        if linked_only:
            alone = self._connection.execute(
                f"SELECT type, COUNT(*) FROM nodes WHERE NOT {linked} GROUP BY type ORDER BY type"
            )
            multi.graph["unlinked"] = dict(alone.fetchall())
        return multi

    def data(self) -> SummaryData:
        """Everything the summary holds (what :func:`update` starts from)."""
        meta = dict(self._connection.execute("SELECT key, value FROM meta").fetchall())
        found = self._connection.execute("SELECT iri, attrs FROM nodes ORDER BY n").fetchall()
        iris = [iri for iri, _ in found]
        nodes = dict(zip(iris, _decode(text for _, text in found), strict=True))
        rows = self._connection.execute(
            "SELECT s, o, relation, attrs, origin, facts FROM edges ORDER BY n"
        ).fetchall()
        attrs = _decode(row[3] for row in rows)
        origins = [row[4].split("\n") for row in rows]
        facts = {
            (iris[s], iris[o], relation): Fact(a, (origin[0], origin[1], origin[2]), count, text)
            for (s, o, relation, text, _, count), a, origin in zip(
                rows, attrs, origins, strict=True
            )
        }
        data = SummaryData(nodes, facts, self.stats(), self.ranks(), json.loads(meta["open"]))
        data.texts = dict(found)
        return data

    def ranks(self) -> dict[str, float]:
        """Each entity's PageRank in the network with each fact once (the explorer's)."""
        return dict(self._connection.execute("SELECT iri, rank FROM nodes ORDER BY n").fetchall())


def _decode(texts: Iterable[str]) -> list[Any]:
    """JSON texts decoded at once (one call: tens of thousands of calls cost more)."""
    found: list[Any] = json.loads("[" + ",".join(texts) + "]")
    return found
