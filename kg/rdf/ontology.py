"""What the ontology says, read from ``ontology/kg.ttl``: property signatures and classes.

The writer checks every fact against the domain and range declared in the ontology
(so a fact whose resolved entities do not fit, such as a quote spoken by a place, is
not written); nothing here is copied by hand from the Turtle file.

    >>> signature("leaderOf")
    Signature(domain=frozenset({'Person'}), range=frozenset({'Location', 'Organization'}))
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.rdf.namespace import KG, ontology_path


@dataclass(frozen=True)
class Signature:
    """Local names of the classes a property's subject and object may have.

    ``range`` is None for datatype properties (the object is a literal).
    """

    domain: frozenset[str] | None
    range: frozenset[str] | None


@functools.lru_cache(maxsize=1)
def ontology() -> Graph:
    """The OWL ontology, parsed once."""
    graph = Graph()
    graph.parse(ontology_path(), format="turtle")
    return graph


def _local(node: Node) -> str:
    return str(node)[len(str(KG)) :]


def _classes(graph: Graph, node: Node | None) -> frozenset[str] | None:
    """A class, or the members of an ``owl:unionOf`` list, as local names."""
    if node is None:
        return None
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return frozenset(_local(member) for member in Collection(graph, union))
    return frozenset({_local(node)})


@functools.lru_cache(maxsize=1)
def signatures() -> dict[str, Signature]:
    """Every ``kg:`` property's signature, by local name."""
    graph = ontology()
    out: dict[str, Signature] = {}
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in graph.subjects(RDF.type, kind):
            if not isinstance(prop, URIRef) or not str(prop).startswith(str(KG)):
                continue
            domain = _classes(graph, graph.value(prop, RDFS.domain))
            range_ = (
                _classes(graph, graph.value(prop, RDFS.range))
                if kind == OWL.ObjectProperty
                else None
            )
            out[_local(prop)] = Signature(domain, range_)
    return out


def signature(relation: str) -> Signature:
    """The signature of ``relation`` (a ``kg:`` local name); KeyError if the ontology lacks it."""
    return signatures()[relation]


def open_signature() -> Signature:
    """Open relations (``rel:<lemma>``) are sub-properties of ``kg:relatedTo``: its signature."""
    return signatures()["relatedTo"]


@functools.lru_cache(maxsize=1)
def inverses() -> dict[str, str]:
    """``owl:inverseOf`` pairs, both ways, by local name."""
    graph = ontology()
    out: dict[str, str] = {}
    for a, b in graph.subject_objects(OWL.inverseOf):
        out[_local(a)] = _local(b)
        out[_local(b)] = _local(a)
    return out


@functools.lru_cache(maxsize=1)
def stored_direction() -> dict[str, str]:
    """Properties the graph stores only as their inverse (``kg:storedAsInverse``), mapped
    to the property it stores: ``{"participantIn": "participant", "successor": "predecessor"}``.

    A fact stated in the other direction is written, drawn and counted as the stored one,
    so each fact is one triple."""
    graph = ontology()
    pairs = inverses()
    out: dict[str, str] = {}
    for prop in graph.subjects(KG.storedAsInverse, None):
        flag = graph.value(prop, KG.storedAsInverse)
        name = _local(prop)
        if isinstance(flag, Literal) and flag.toPython() is True and name in pairs:
            out[name] = pairs[name]
    return out


@functools.lru_cache(maxsize=1)
def entity_classes() -> frozenset[str]:
    """The classes an entity can have (what a document can ``kg:mentions``)."""
    return signatures()["mentions"].range or frozenset()
