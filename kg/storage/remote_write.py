"""A :class:`~kg.storage.base.Batch` as the SPARQL Update requests a remote server runs.

On a server, kg writes named graphs only (Virtuoso has no writable default graph, and
its default graph is a multiset union of every graph, its own system graphs included):

- one graph per document and the entities graph, as in every store;
- :data:`UNION_GRAPH`, the union of those as a set, which queries read as their
  default graph (a triple stated by ten documents matches once, as in memory);
- :data:`JOURNAL`, the undo log of the batch being written.

A batch may take several requests (a server limits their size) and a request may not
be one transaction (Virtuoso applies its operations one by one), so a build can stop
half-way through a batch. The journal makes that harmless. Before changing anything,
a batch records in the journal the graphs it will create, the document graphs it will
replace or delete (those are moved aside to backup graphs, not dropped) and a copy of
the entities' triples it will rewrite; then marks the journal *begun*. When the
changes are done it marks the journal *committed* and removes the backups and the
journal. The next writer finds a begun journal and undoes the batch
(:func:`rollback_operations`), or finishes a committed one; each of those steps can
itself be interrupted and run again. Because a server goes on with a request after the
client that sent it is killed, every request puts a marker in :data:`WRITING` first and
takes it out last; the next writer waits for the markers to go before it looks at the
journal. Graphs that count as the graph's content are the
ones under ``…/kg/graph/``; the union, the journal and the backups live under
``…/kg/store/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from rdflib import XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import StoreError
from kg.rdf.namespace import BASE, ENTITIES_GRAPH, GRAPH_BASE, KG
from kg.storage.base import Batch, Triple
from kg.storage.servers import ServerProfile

STORE_BASE = BASE + "store/"
#: The union of the document graphs and the entities graph, as a set.
UNION_GRAPH = URIRef(STORE_BASE + "union")
#: The undo log of the batch being written (absent between batches).
JOURNAL = URIRef(STORE_BASE + "journal")
BACKUP_BASE = STORE_BASE + "backup/"
#: Journal terms: the entities, new graphs and moved graphs of a batch; its state.
J_NODE = URIRef(STORE_BASE + "journal#node")
J_FRESH = URIRef(STORE_BASE + "journal#fresh")
J_MOVED = URIRef(STORE_BASE + "journal#moved")
J_STATE = URIRef(STORE_BASE + "journal#state")
J_BEGUN = URIRef(STORE_BASE + "journal#begun")
J_COMMITTED = URIRef(STORE_BASE + "journal#committed")

#: Holds a marker while a request of kg's runs on the server: a request goes on after
#: the client that sent it is killed, and nobody may undo its batch meanwhile.
WRITING = URIRef(STORE_BASE + "writing")
J_REQUEST = URIRef(STORE_BASE + "journal#request")

#: Rows of one VALUES block (Virtuoso fails on some with thousands of IRIs).
VALUES_ROWS = 500

U = UNION_GRAPH.n3()
E = ENTITIES_GRAPH.n3()
JN = JOURNAL.n3()
#: ``?x`` is a graph that counts: a document graph or the entities graph.
COUNTS = f'STRSTARTS(STR(?{{var}}), "{GRAPH_BASE}")'


def counts(var: str) -> str:
    return COUNTS.format(var=var)


def nowhere_else(graph: str) -> str:
    """``?s ?p ?o`` is in no counting graph other than ``graph``."""
    return (
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} "
        f"FILTER({counts('other')} && ?other != {graph}) }}"
    )


#: Entities that no document mentions any more.
UNMENTIONED = (
    f"FILTER NOT EXISTS {{ GRAPH ?d {{ ?doc <{KG.mentions}> ?s }} "
    f"FILTER({counts('d')} && ?d != {E}) }}"
)


def backup_graph(graph: URIRef) -> URIRef:
    """Where a replaced or deleted document graph waits until its batch is committed."""
    return URIRef(BACKUP_BASE + quote(str(graph), safe=""))


def batch_operations(batch: Batch, profile: ServerProfile) -> list[str]:
    """The operations that write ``batch``, journal first, in the order they must run."""
    nodes = sorted(batch.labels)
    moved = sorted(batch.dropped | (set(batch.graphs) - batch.fresh))
    fresh = sorted(set(batch.graphs) - set(moved))
    ops = [clear(JOURNAL)]  # a journal that was never begun: nothing to undo
    # The journal: what the batch creates, moves aside and rewrites.
    journal: list[Triple] = [(JOURNAL, J_NODE, n) for n in nodes]
    journal += [(JOURNAL, J_FRESH, g) for g in fresh]
    journal += [(JOURNAL, J_MOVED, g) for g in moved]
    ops += insert_data({JOURNAL: journal}, profile)
    for chunk in _chunks(nodes):
        ops.append(
            f"INSERT {{ GRAPH {JN} {{ ?s ?p ?o }} }} WHERE {{ {_values('s', chunk)} GRAPH {E} {{ ?s ?p ?o }} }}"
        )
    ops.append(f"INSERT DATA {{ GRAPH {JN} {{ {JN} <{J_STATE}> <{J_BEGUN}> }} }}")
    # The changes.
    for graph in moved:
        ops += _move_aside(graph)
    for chunk in _chunks(nodes):
        ops += _remove_entities(_values("s", chunk))
    ops += insert_data({**batch.graphs, ENTITIES_GRAPH: _label_triples(batch)}, profile)
    for chunk in _chunks(list(batch.graphs)):
        ops.append(
            f"INSERT {{ GRAPH {U} {{ ?s ?p ?o }} }} WHERE {{ {_values('g', chunk)} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
    for chunk in _chunks(nodes):
        ops.append(
            f"INSERT {{ GRAPH {U} {{ ?s ?p ?o }} }} WHERE {{ {_values('s', chunk)} GRAPH {E} {{ ?s ?p ?o }} }}"
        )
    if batch.prune:
        ops += _prune()
    ops.append(f"INSERT DATA {{ GRAPH {JN} {{ {JN} <{J_STATE}> <{J_COMMITTED}> }} }}")
    ops += finish_operations(moved)
    return ops


def finish_operations(moved: Iterable[URIRef]) -> list[str]:
    """After the commit: the backups and the journal go."""
    return [clear(backup_graph(g)) for g in moved] + [clear(JOURNAL)]


@dataclass
class Journal:
    """What a journal left on the server says (see :func:`rollback_operations`)."""

    state: str | None = None  # None (never begun), "begun" or "committed"
    nodes: list[URIRef] = field(default_factory=list)
    fresh: list[URIRef] = field(default_factory=list)
    moved: list[URIRef] = field(default_factory=list)


def rollback_operations(journal: Journal, backed_up: set[URIRef]) -> list[str]:
    """Undo a begun batch: drop the graphs it created, put back the ones it moved aside
    (those whose backup exists: ``backed_up``), restore the entities' triples it
    rewrote, then drop the journal. Running it again after an interruption is safe."""
    ops: list[str] = []
    for graph in journal.fresh:
        ops += _drop_counted(graph)
    for graph in journal.moved:
        if graph not in backed_up:
            continue  # never moved (the original is in place) or already restored
        backup = backup_graph(graph).n3()
        ops += _drop_counted(graph)
        ops.append(
            f"INSERT {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {backup} {{ ?s ?p ?o }} }}"
        )
        ops.append(
            f"INSERT {{ GRAPH {U} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}"
        )
        ops.append(clear(backup_graph(graph)))
    for chunk in _chunks(journal.nodes):
        values = _values("s", chunk)
        ops += _remove_entities(values)
        ops.append(
            f"INSERT {{ GRAPH {E} {{ ?s ?p ?o }} }} WHERE {{ {values} GRAPH {JN} {{ ?s ?p ?o }} }}"
        )
        ops.append(
            f"INSERT {{ GRAPH {U} {{ ?s ?p ?o }} }} WHERE {{ {values} GRAPH {E} {{ ?s ?p ?o }} }}"
        )
    ops.append(clear(JOURNAL))
    return ops


def clear(graph: URIRef) -> str:
    """Empty a graph. Not DROP or CLEAR: Virtuoso skips a DROP (or CLEAR) of a graph a
    request already dropped (or cleared) once, even when it was filled again since."""
    return f"DELETE WHERE {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}"


def _move_aside(graph: URIRef) -> list[str]:
    """Move a document graph to its backup, and out of the union what only it held."""
    backup = backup_graph(graph).n3()
    return [
        f"INSERT {{ GRAPH {backup} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}",
        clear(graph),
        f"DELETE {{ GRAPH {U} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {backup} {{ ?s ?p ?o }} {nowhere_else(backup)} }}",
    ]


def _drop_counted(graph: URIRef) -> list[str]:
    """Drop a counting graph, and from the union the triples only it held."""
    g = graph.n3()
    return [
        f"DELETE {{ GRAPH {U} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} {nowhere_else(g)} }}",
        clear(graph),
    ]


def _remove_entities(condition: str) -> list[str]:
    """Delete the entities' triples (subjects ``?s`` matching ``condition``) from the
    entities graph, and from the union those no other graph holds."""
    return [
        f"DELETE {{ GRAPH {U} {{ ?s ?p ?o }} }} WHERE {{ {condition} GRAPH {E} {{ ?s ?p ?o }} {nowhere_else(E)} }}",
        f"DELETE {{ GRAPH {E} {{ ?s ?p ?o }} }} WHERE {{ {condition} GRAPH {E} {{ ?s ?p ?o }} }}",
    ]


def _prune() -> list[str]:
    """Delete entities no document mentions, after copying them to the journal."""
    return [
        f"INSERT {{ GRAPH {JN} {{ {JN} <{J_NODE}> ?s . ?s ?p ?o }} }} WHERE {{ GRAPH {E} {{ ?s ?p ?o }} "
        f"{UNMENTIONED} FILTER NOT EXISTS {{ GRAPH {JN} {{ {JN} <{J_NODE}> ?s }} }} }}",
        *_remove_entities(UNMENTIONED),
    ]


def _label_triples(batch: Batch) -> list[Triple]:
    return [t for triples in batch.labels.values() for t in triples]


def insert_data(graphs: dict[URIRef, list[Triple]], profile: ServerProfile) -> list[str]:
    """INSERT DATA operations for ``graphs``, each at most the server's operation size."""
    limit = profile.max_operation_triples
    ops: list[str] = []
    blocks: list[str] = []
    size = 0
    for graph, triples in graphs.items():
        start = 0
        while start < len(triples):
            room = (
                len(triples) - start if limit is None else min(limit - size, len(triples) - start)
            )
            part = triples[start : start + room]
            lines = "\n".join(triple_text(t, profile, graph) for t in part)
            blocks.append(f"GRAPH {graph.n3()} {{\n{lines}\n}}")
            size += len(part)
            start += room
            if limit is not None and size >= limit:
                ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
                blocks, size = [], 0
    if blocks:
        ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
    return ops


def triple_text(triple: Triple, profile: ServerProfile, graph: URIRef) -> str:
    """One triple in N-Triples syntax, as every server reads it the same way."""
    return " ".join(term_text(term, profile, graph) for term in triple) + " ."


def term_text(term: Node, profile: ServerProfile, graph: URIRef) -> str:
    """A term for an update: never ``^^xsd:string`` (Virtuoso keeps it apart from the
    plain literal), never a blank node (Virtuoso refuses them in INSERT DATA), no IRI
    longer than the server keeps."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        term = Literal(str(term))
    if isinstance(term, BNode):
        raise StoreError(f"{graph}: a blank node cannot be written to a SPARQL server")
    if (
        isinstance(term, URIRef)
        and profile.max_iri_length is not None
        and len(term) > profile.max_iri_length
    ):
        raise StoreError(
            f"{graph}: an IRI of {len(term):,} characters ({term[:80]}...) is longer than "
            f"{profile.kind} keeps ({profile.max_iri_length:,})"
        )
    return term.n3()


def marked(request: str, token: str) -> str:
    """``request`` between putting a marker in :data:`WRITING` and taking it out."""
    marker = f"{WRITING.n3()} <{J_REQUEST}> {Literal(token).n3()}"
    return (
        f"INSERT DATA {{ GRAPH {WRITING.n3()} {{ {marker} }} }} ;\n{request} ;\n"
        f"DELETE DATA {{ GRAPH {WRITING.n3()} {{ {marker} }} }}"
    )


def requests_of(operations: Sequence[str], max_bytes: int | None) -> list[str]:
    """Operations joined into as few requests as the size limit allows, in order."""
    if max_bytes is None:
        return [" ;\n".join(operations)] if operations else []
    out: list[str] = []
    current: list[str] = []
    size = 0
    for op in operations:
        length = len(op.encode("utf-8")) + 3
        if current and size + length > max_bytes:
            out.append(" ;\n".join(current))
            current, size = [], 0
        current.append(op)
        size += length
    if current:
        out.append(" ;\n".join(current))
    return out


def _values(var: str, nodes: Iterable[Node]) -> str:
    return f"VALUES ?{var} {{ " + " ".join(n.n3() for n in nodes) + " }"


def _chunks(items: Sequence[URIRef]) -> Iterator[Sequence[URIRef]]:
    for start in range(0, len(items), VALUES_ROWS):
        yield items[start : start + VALUES_ROWS]
