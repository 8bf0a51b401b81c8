"""The knowledge graph as a networkx MultiDiGraph (entities as nodes, facts as edges).

What a node and an edge are: an entity is an IRI typed with one of
:data:`ENTITY_CLASSES`; one that is ``owl:sameAs`` another entity is drawn as that one.
A fact is a triple between two entities (not :data:`NOT_EDGES`), with its most
confident evidence. The rows come from the store's engine (:mod:`kg.network.read`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from kg.model import ENTITY_TYPES
from kg.rdf.namespace import ENTITY_BASE, KG, REL

if TYPE_CHECKING:
    import networkx

    from kg.storage.base import GraphStore

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


def stored_predicates() -> dict[Node, Node]:
    """A property the graph stores only as its inverse → that inverse (``kg:participantIn``
    → ``kg:participant``): a graph written before that rule still shows each fact once."""
    from kg.rdf.ontology import stored_direction

    return {KG[name]: KG[stored] for name, stored in stored_direction().items()}


def to_networkx(
    source: GraphStore | Graph,
    *,
    types: Collection[str] | None = None,
    relations: Collection[str] | None = None,
    evidence: bool = True,
    linked_only: bool = False,
) -> networkx.MultiDiGraph:
    """A MultiDiGraph with one node per entity and one edge per fact, read from a store (or
    an rdflib graph) by a few SPARQL queries (:mod:`kg.network.read`).

    Node attributes: ``label``, ``type``, ``subtype``, ``aliases``, ``roles``, ``iri``.
    Edge attributes: ``relation``, ``open``, ``evidence``, ``confidence``, ``iri``.
    ``types`` keeps the entities of those types and the facts among them (the graph
    induced by them), ``relations`` the facts of those relations; both are asked of the
    store, not cut from the whole graph. Nodes come in IRI order; where two facts give
    the same edge (the same relation between the same entities, once ``owl:sameAs`` is
    collapsed), the more confident one is kept (among equals, the first evidence
    sentence in text order).

    ``evidence=False`` reads no evidence (every ``evidence`` is empty, ``confidence``
    0.0, ``iri`` and ``open`` those of the first fact): the network's shape, for a view
    that then asks the evidence of the part it shows (:func:`fill_evidence`).
    ``linked_only`` leaves out the entities without any fact, and reads no name of
    theirs: ``graph.graph["unlinked"]`` counts them per type, so that
    :func:`kg.network.views.select` says what it hid as it would on the whole graph (for
    a view that hides entities without facts and looks no name up).

    Without evidence and type filter, an on-disk store answers from its summary
    (:mod:`kg.network.summary`): the same network, every entity named.

        >>> to_networkx(store, types=["Person", "Organization"])  # doctest: +SKIP
    """
    from kg.network.views import bulk

    with bulk():
        return _to_networkx(
            source, types=types, relations=relations, evidence=evidence, linked_only=linked_only
        )


def _to_networkx(
    source: GraphStore | Graph,
    *,
    types: Collection[str] | None,
    relations: Collection[str] | None,
    evidence: bool,
    linked_only: bool,
) -> networkx.MultiDiGraph:
    import networkx

    if not evidence and types is None:
        from kg.network.summary import stored_summary

        found = stored_summary(source)
        if found is not None:
            with found:
                wanted = None if relations is None else set(relations)
                return found.network(wanted, linked_only=linked_only)
    from kg.network.read import read_entities, read_facts, same_as

    pairs = same_as(source)
    nodes = read_entities(source, types=types, pairs=pairs, named=() if linked_only else None)
    edges = read_facts(source, nodes, pairs, types=types, evidence=evidence)
    multi = networkx.MultiDiGraph()
    if linked_only:
        linked = {end for s, o, _ in edges for end in (s, o)}
        alone = Counter(attrs["type"] for node, attrs in nodes.items() if node not in linked)
        nodes = read_entities(source, types=types, pairs=pairs, named=linked)
        nodes = {node: attrs for node, attrs in nodes.items() if node in linked}
        multi.graph["unlinked"] = dict(sorted(alone.items()))
    for node, attrs in nodes.items():
        multi.add_node(str(node), **attrs)
    for (subject, obj, relation), attrs in best_edges(edges, relations).items():
        multi.add_edge(subject, obj, key=relation, **attrs)
    return multi


def fill_evidence(
    source: GraphStore | Graph, network: networkx.MultiDiGraph, nodes: Collection[str]
) -> None:
    """Give the edges of ``network`` among ``nodes`` the attributes :func:`to_networkx`
    gives them with evidence (best evidence, confidence, ``iri``, ``open``): queries bound
    to those nodes, so a view of a few hundred entities costs the same in any store."""
    from rdflib import URIRef

    from kg.network.read import read_facts_among, same_as

    shown = {URIRef(node) for node in nodes if node in network}
    for (subject, obj, relation), attrs in best_edges(
        read_facts_among(source, shown, same_as(source)), None
    ).items():
        if network.has_edge(subject, obj, relation):
            network.edges[subject, obj, relation].update(attrs)


def best_edges(
    edges: Iterable[tuple[URIRef, URIRef, dict[str, Any]]],
    relations: Collection[str] | None = None,
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """One edge per (subject, object, relation): the most confident fact, among equals the
    first evidence sentence in text order, else the first fact."""
    kept: dict[tuple[str, str, str], dict[str, Any]] = {}
    for s, o, attrs in edges:
        if relations is not None and attrs["relation"] not in relations:
            continue
        key = (str(s), str(o), attrs["relation"])
        known = kept.get(key)
        if known is None or (-attrs["confidence"], attrs["evidence"]) < (
            -known["confidence"],
            known["evidence"],
        ):
            kept[key] = attrs
    return kept


def is_entity_iri(iri: str) -> bool:
    return iri.startswith(str(ENTITY_BASE))
