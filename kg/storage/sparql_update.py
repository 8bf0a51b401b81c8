"""A :class:`~kg.storage.base.Batch` as one SPARQL 1.1 Update request (one transaction).

Stores behind SPARQL (Oxigraph on disk, a remote server) keep, besides one named graph
per document, the union of those graphs in their default graph: SPARQL engines treat a
"union default graph" as a multiset (a triple stated by two documents would match
twice), so the union is materialized as a set. Every operation below keeps it exact:
a triple leaves the default graph when the last named graph holding it does.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef

from kg.rdf.namespace import ENTITIES_GRAPH, KG
from kg.storage.base import Batch, Quad, Triple

E = f"<{ENTITIES_GRAPH}>"
#: ... and the triple is in no other named graph.
_NOWHERE_ELSE = "FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {graph}) }}"
#: Entities that no document mentions any more.
_UNMENTIONED = f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?d <{KG.mentions}> ?s }} }}"


def batch_update(batch: Batch) -> str:
    """The update text: drop replaced graphs, reset labels, insert, prune."""
    operations: list[str] = []
    for graph in sorted(batch.dropped | (set(batch.graphs) - batch.fresh)):
        operations += drop_graph(graph)
    if batch.labels:
        nodes = "VALUES ?s { " + " ".join(node.n3() for node in batch.labels) + " }"
        operations += _delete_entity_triples(nodes)
    blocks = [_graph_block(graph, triples) for graph, triples in batch.graphs.items() if triples]
    labels = [t for triples in batch.labels.values() for t in triples]
    if labels:
        blocks.append(_graph_block(ENTITIES_GRAPH, labels))
    if blocks:
        operations.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
        graphs = " ".join(g.n3() for g in batch.graphs)
        operations.append(
            f"INSERT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
    if labels:
        operations.append(f"INSERT {{ ?s ?p ?o }} WHERE {{ {nodes} GRAPH {E} {{ ?s ?p ?o }} }}")
    if batch.prune:
        operations += _delete_entity_triples(_UNMENTIONED)
    return " ;\n".join(operations)


def drop_graph(graph: URIRef) -> list[str]:
    """Drop a named graph, and from the default graph the triples only it held."""
    g = graph.n3()
    return [
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }} {_NOWHERE_ELSE.format(graph=g)} }}",
        f"DROP SILENT GRAPH {g}",
    ]


def _delete_entity_triples(condition: str) -> list[str]:
    """Delete entities' triples (subjects ``?s`` matching ``condition``) from the entities graph."""
    return [
        f"DELETE {{ ?s ?p ?o }} WHERE {{ {condition} GRAPH {E} {{ ?s ?p ?o }} {_NOWHERE_ELSE.format(graph=E)} }}",
        f"DELETE {{ GRAPH {E} {{ ?s ?p ?o }} }} WHERE {{ {condition} GRAPH {E} {{ ?s ?p ?o }} }}",
    ]


def _graph_block(graph: URIRef, triples: Iterable[Triple]) -> str:
    body = "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples)
    return f"GRAPH {graph.n3()} {{\n{body}\n}}"


def delta_update(removed: Iterable[Quad], added: Iterable[Quad]) -> str:
    """The update text that removes and adds single quads, keeping the default graph the
    exact union: a removed triple leaves it when no named graph holds it any more."""
    removed, added = list(removed), list(added)
    operations: list[str] = []
    if removed:
        operations.append("DELETE DATA {\n" + _quad_blocks(removed) + "\n}")
        triples = sorted({(s, p, o) for s, p, o, _ in removed}, key=str)
        for start in range(0, len(triples), 500):
            rows = " ".join(
                f"({s.n3()} {p.n3()} {o.n3()})" for s, p, o in triples[start : start + 500]
            )
            operations.append(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} ?s ?p ?o "
                "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }"
            )
    if added:
        union = "\n".join(
            f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in {(s, p, o) for s, p, o, _ in added}
        )
        operations.append("INSERT DATA {\n" + _quad_blocks(added) + "\n" + union + "\n}")
    return " ;\n".join(operations)


def union_delta_operations(
    removed: list[Quad], added: list[Quad], union: URIRef, internal: str
) -> list[str]:
    """:func:`delta_update` for a server whose union of the documents is a named graph of
    ours (``union``) rather than its default graph: every operation names its graph.
    Graphs whose IRI starts with ``internal`` (the union, the journal) do not count as
    holding a triple."""
    operations: list[str] = []
    if removed:
        operations.append("DELETE DATA {\n" + _quad_blocks(removed) + "\n}")
        triples = sorted({(s, p, o) for s, p, o, _ in removed}, key=str)
        for start in range(0, len(triples), 500):
            rows = " ".join(
                f"({s.n3()} {p.n3()} {o.n3()})" for s, p, o in triples[start : start + 500]
            )
            operations.append(
                f"DELETE {{ GRAPH {union.n3()} {{ ?s ?p ?o }} }} WHERE {{ "
                f"VALUES (?s ?p ?o) {{ {rows} }} GRAPH {union.n3()} {{ ?s ?p ?o }} "
                f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} "
                f'FILTER (!STRSTARTS(STR(?g), "{internal}")) }} }}'
            )
    if added:
        union_triples = sorted({(s, p, o) for s, p, o, _ in added}, key=str)
        operations.append(
            "INSERT DATA {\n"
            + _quad_blocks(added)
            + "\n"
            + _graph_block(union, union_triples)
            + "\n}"
        )
    return operations


def _quad_blocks(quads: list[Quad]) -> str:
    by_graph: dict[URIRef, list[Triple]] = {}
    for s, p, o, g in quads:
        by_graph.setdefault(g, []).append((s, p, o))
    return "\n".join(_graph_block(g, triples) for g, triples in by_graph.items())
