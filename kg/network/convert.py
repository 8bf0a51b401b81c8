"""The knowledge graph as a networkx MultiDiGraph (entities as nodes, facts as edges)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from kg.model import ENTITY_TYPES
from kg.rdf.namespace import ENTITY_BASE, KG, REL

if TYPE_CHECKING:
    import networkx

#: Entity classes, most general first; subclasses of Event give a node's subtype.
ENTITY_CLASSES = ENTITY_TYPES
EVENT_SUBCLASSES = (
    "Meeting",
    "Summit",
    "Visit",
    "Conference",
    "PressConference",
    "Election",
    "Trip",
)
#: Properties that are not edges between entities.
NOT_EDGES = {KG.mentions, KG.document, RDF.type}


def local_name(iri: URIRef) -> str:
    text = str(iri)
    for base in (str(KG._NS), str(REL)):
        if text.startswith(base):
            return text[len(base) :]
    return text.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


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


def stored_predicates() -> dict[Node, Node]:
    """A property the graph stores only as its inverse → that inverse (``kg:participantIn``
    → ``kg:participant``): a graph written before that rule still shows each fact once."""
    from kg.rdf.ontology import stored_direction

    return {KG[name]: KG[stored] for name, stored in stored_direction().items()}


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
    import networkx

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


def is_entity_iri(iri: str) -> bool:
    return iri.startswith(str(ENTITY_BASE))
