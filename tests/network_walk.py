"""The graph walked triple by triple through rdflib: how kg read it before the reads went
through SPARQL (:mod:`kg.network.read`). Kept as the direct computation the tests compare
the engine's answers against."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from kg.network.convert import (
    ENTITY_CLASSES,
    EVENT_SUBCLASSES,
    NOT_EDGES,
    local_name,
    stored_predicates,
)
from kg.rdf.namespace import KG, REL


def same_as(graph: Graph) -> dict[Node, Node]:
    """Entity → the entity it is the same as (``owl:sameAs`` in the entities graph: a
    surname-only person linked to the one person of that name, or a curated merge)."""
    return {s: o for s, o in graph.subject_objects(OWL.sameAs) if s != o}


def entity_nodes(graph: Graph) -> dict[Node, dict[str, Any]]:
    """Every entity (a node typed with one of our entity classes) and its attributes;
    an entity that is ``owl:sameAs`` another is shown as that one (its names become
    aliases there)."""
    classes = {KG[name]: name for name in ENTITY_CLASSES}
    subclasses = {KG[name]: name for name in EVENT_SUBCLASSES}
    nodes: dict[Node, dict[str, Any]] = {}
    for node, _, cls in graph.triples((None, RDF.type, None)):
        if isinstance(cls, URIRef) and cls in classes and isinstance(node, URIRef):
            attrs = nodes.setdefault(node, _blank_attrs(node))
            attrs["type"] = classes[cls]
    for node, _, cls in graph.triples((None, RDF.type, None)):
        if isinstance(cls, URIRef) and cls in subclasses and node in nodes:
            nodes[node]["subtype"] = subclasses[cls]
    for node, attrs in nodes.items():
        labels = sorted(str(o) for o in graph.objects(node, RDFS.label))
        attrs["label"] = labels[0] if labels else str(node).rsplit("/", 1)[-1]
        attrs["aliases"] = sorted(
            {str(o) for o in graph.objects(node, SKOS.altLabel)} - {attrs["label"]}
        )
        attrs["roles"] = sorted({str(o) for o in graph.objects(node, KG.role)})
        if attrs["type"] == "Date":
            value = graph.value(node, KG.isoValue)
            attrs["value"] = str(value) if value is not None else None
    for node, target in same_as(graph).items():
        if node in nodes and target in nodes:
            merged = nodes.pop(node)
            into = nodes[target]
            names = {merged["label"], *merged["aliases"], *into["aliases"]} - {into["label"]}
            into["aliases"] = sorted(names)
            into["roles"] = sorted({*into["roles"], *merged["roles"]})
    return nodes


def _blank_attrs(node: URIRef) -> dict[str, Any]:
    return {"iri": str(node), "label": "", "type": "", "subtype": None, "aliases": [], "roles": []}


def fact_edges(
    graph: Graph, nodes: dict[Node, dict[str, Any]]
) -> list[tuple[Node, Node, dict[str, Any]]]:
    """Facts between entities, each with one evidence sentence and its best confidence;
    a fact in the direction the graph does not store is turned round (one edge per fact)."""
    evidence: dict[tuple[Node | None, ...], tuple[float, str]] = {}
    for ev in graph.subjects(RDF.type, KG.Evidence):
        s, p, o = (
            graph.value(ev, RDF.subject),
            graph.value(ev, RDF.predicate),
            graph.value(ev, RDF.object),
        )
        conf = graph.value(ev, KG.confidence)
        sentence = graph.value(ev, KG.sentence)
        score = float(str(conf)) if conf is not None else 0.0
        key = (s, p, o)
        text = str(sentence or "")
        known = evidence.get(key)
        # The best confidence; among equals the first sentence in text order, so the
        # choice does not depend on the order a store returns triples in.
        if known is None or (-score, text) < (-known[0], known[1]):
            evidence[key] = (score, text)
    open_relations = set(graph.subjects(RDFS.subPropertyOf, KG.relatedTo))
    edges: list[tuple[Node, Node, dict[str, Any]]] = []
    canonical = same_as(graph)
    turned = stored_predicates()
    for s, p, o in graph.triples((None, None, None)):
        if p == OWL.sameAs:
            continue
        found = evidence.get((s, p, o))
        if p in turned and isinstance(o, URIRef):
            if (o, turned[p], s) in graph:
                continue  # the stored direction is there too: one edge
            s, p, o = o, turned[p], s
        s, o = canonical.get(s, s), canonical.get(o, o)
        if p in NOT_EDGES or s not in nodes or not isinstance(o, URIRef) or o not in nodes:
            continue
        if isinstance(o, Literal):
            continue
        best, text = found or (0.0, "")
        edges.append(
            (
                s,
                o,
                {
                    "relation": local_name(URIRef(str(p))),
                    "iri": str(p),
                    "open": p in open_relations or str(p).startswith(str(REL)),
                    "evidence": text,
                    "confidence": best,
                },
            )
        )
    return edges


def to_networkx(graph: Graph) -> networkx.MultiDiGraph:
    """A MultiDiGraph with one node per entity and one edge per fact.

    Node attributes: ``label``, ``type``, ``subtype``, ``aliases``, ``roles``, ``iri``.
    Edge attributes: ``relation``, ``open``, ``evidence``, ``confidence``, ``iri``.
    """
    nodes = entity_nodes(graph)
    multi = networkx.MultiDiGraph()
    for node, attrs in nodes.items():
        multi.add_node(str(node), **attrs)
    seen: dict[tuple, int] = defaultdict(int)
    for s, o, attrs in fact_edges(graph, nodes):
        key = (str(s), str(o), attrs["relation"])
        if seen[key]:
            continue
        seen[key] += 1
        multi.add_edge(str(s), str(o), key=attrs["relation"], **attrs)
    return multi


def stats(graph: Graph) -> dict[str, dict[str, int]]:
    from collections import Counter

    nodes = entity_nodes(graph)
    types = Counter(a["type"] for a in nodes.values())
    relations = Counter(attrs["relation"] for _, _, attrs in fact_edges(graph, nodes))
    relations.update({"role": sum(1 for _ in graph.triples((None, KG.role, None)))})
    documents = len(set(graph.subjects(RDF.type, KG.Document)))
    return {
        "documents": {"Document": documents},
        "entities": dict(sorted(types.items())),
        "relations": dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


def neighbors(graph: Graph, name: str) -> set[tuple[str, str, str, str, str]]:
    """(relation, direction, other IRI, label, type) of the entity named ``name``."""
    network = to_networkx(graph)
    if name in network:
        matches = [name]
    else:
        wanted = name.casefold()
        matches = [
            node
            for node, data in network.nodes(data=True)
            if wanted in {n.casefold() for n in (data["label"], *data["aliases"])}
        ]
    out = set()
    for node in matches:
        for _, other, attrs in network.out_edges(node, data=True):
            info = network.nodes[other]
            out.add((attrs["relation"], "out", other, info["label"], info["type"]))
        for other, _, attrs in network.in_edges(node, data=True):
            info = network.nodes[other]
            out.add((attrs["relation"], "in", other, info["label"], info["type"]))
    return out
