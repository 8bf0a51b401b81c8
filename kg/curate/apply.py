"""Applying decisions: a pure function from the quads they touch, as extracted, to the
curated quads. The same function runs when a decision is made, when one is undone and
after every build, so a decision means the same thing on new extraction output.

The quads are those of the named graphs whose subject or object is an entity a decision
names, the reification quads of their evidence (and the evidence sentences, for splits
by alias), and the curated graph (:data:`~kg.rdf.namespace.CURATED_GRAPH`), which holds
what decisions add and starts empty. Decisions apply oldest first; each one reports
whether it still applies (an entity it names may have left the graph since).

    >>> curated, outcomes = apply_decisions(active(decisions), raw_quads)   # doctest: +SKIP
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef
from rdflib.term import Node

from kg.curate.model import Decision, short_name
from kg.model import ENTITY_TYPES, EVENT
from kg.rdf.namespace import (
    CURATED_GRAPH,
    DOCUMENT_BASE,
    ENTITIES_GRAPH,
    GRAPH_BASE,
    KG,
    REL,
)
from kg.storage.base import Quad

ENTITY_CLASSES: dict[Node, str] = {KG[name]: name for name in ENTITY_TYPES}
#: Evidence quads that point at an entity: kept when the entity's facts go.
REIFICATION = (RDF.subject, RDF.object)


@dataclass(frozen=True)
class Outcome:
    """What one decision did: applied, or the reason it no longer applies."""

    decision: Decision
    problem: str | None = None

    @property
    def applied(self) -> bool:
        return self.problem is None


class QuadSet:
    """A set of quads indexed by the nodes in subject and object position."""

    def __init__(self, quads: Iterable[Quad] = ()) -> None:
        self._quads: set[Quad] = set()
        self._by_node: dict[Node, set[Quad]] = defaultdict(set)
        for quad in quads:
            self.add(quad)

    def add(self, quad: Quad) -> None:
        if quad not in self._quads:
            self._quads.add(quad)
            self._by_node[quad[0]].add(quad)
            self._by_node[quad[2]].add(quad)

    def discard(self, quad: Quad) -> None:
        if quad in self._quads:
            self._quads.discard(quad)
            self._by_node[quad[0]].discard(quad)
            self._by_node[quad[2]].discard(quad)

    def about(self, node: Node) -> list[Quad]:
        """Quads with ``node`` as subject or object (a copy: safe to change the set meanwhile)."""
        return sorted(self._by_node.get(node, ()), key=str)

    def __contains__(self, quad: object) -> bool:
        return quad in self._quads

    def __iter__(self) -> Iterator[Quad]:
        return iter(self._quads)

    def __len__(self) -> int:
        return len(self._quads)

    def set(self) -> set[Quad]:
        return set(self._quads)


def apply_decisions(
    decisions: Iterable[Decision], raw: Iterable[Quad]
) -> tuple[set[Quad], list[Outcome]]:
    """The curated quads and, per decision (undos excepted), its outcome."""
    work = _Applier(QuadSet(raw))
    outcomes = [Outcome(d, work.apply(d)) for d in decisions if d.kind != "undo"]
    return work.quads.set(), outcomes


def is_document_graph(graph: Node) -> bool:
    return graph not in (ENTITIES_GRAPH, CURATED_GRAPH)


def document_graph(document: URIRef) -> URIRef:
    """The named graph of a document given by its IRI."""
    return GRAPH_BASE[str(document)[len(str(DOCUMENT_BASE)) :]]


@functools.lru_cache(maxsize=1)
def _event_subclasses() -> frozenset[Node]:
    from kg.rdf.ontology import ontology

    return frozenset(ontology().subjects(RDFS.subClassOf, KG.Event))


def _inverse(predicate: URIRef) -> URIRef | None:
    from kg.rdf.ontology import inverses

    text = str(predicate)
    if not text.startswith(str(KG._NS)):
        return None
    other = inverses().get(text[len(str(KG._NS)) :])
    return KG[other] if other else None


def _unstored(predicate: URIRef) -> bool:
    """True for a property the graph stores only as its inverse (``kg:participantIn``)."""
    from kg.rdf.ontology import stored_direction

    text = str(predicate)
    return text.startswith(str(KG._NS)) and text[len(str(KG._NS)) :] in stored_direction()


def fits(predicate: Node, subject_type: str | None, object_type: str | None) -> bool:
    """Whether a fact fits the property's domain and range (a type given as None is not checked)."""
    from kg.rdf.ontology import open_signature, signatures

    text = str(predicate)
    if text.startswith(str(REL)):
        sig = open_signature()
    elif text.startswith(str(KG._NS)):
        found = signatures().get(text[len(str(KG._NS)) :])
        if found is None:
            return True
        sig = found
    else:
        return True
    if subject_type is not None and sig.domain is not None and subject_type not in sig.domain:
        return False
    return object_type is None or sig.range is None or object_type in sig.range


class _Applier:
    """Applies decisions one after another to a :class:`QuadSet`."""

    def __init__(self, quads: QuadSet) -> None:
        self.quads = quads

    def apply(self, decision: Decision) -> str | None:
        method: Callable[[Decision], str | None] = getattr(self, f"_{decision.kind}")
        return method(decision)

    # -- what the quads say about an entity ---------------------------------------------

    def label(self, entity: Node) -> Literal | None:
        labels = [
            o
            for s, p, o, g in self.quads.about(entity)
            if s == entity and p == RDFS.label and g == ENTITIES_GRAPH
        ]
        return min(labels, key=str) if labels else None  # type: ignore[return-value]

    def type_of(self, entity: Node) -> str | None:
        for s, p, o, g in self.quads.about(entity):
            if s == entity and p == RDF.type and g == ENTITIES_GRAPH and o in ENTITY_CLASSES:
                return ENTITY_CLASSES[o]
        return None

    def _missing(self, entity: URIRef, role: str = "") -> str:
        return f"{short_name(entity)}{role} is not in the graph"

    # -- the moves every decision is made of ---------------------------------------------

    def rewrite(self, old: URIRef, new: URIRef, graphs: set[Node] | None = None) -> None:
        """Everything the graphs say of ``old`` is said of ``new``: its canonical triples go,
        links to it (``owl:sameAs``, as the build links a short name) follow it, an
        ``owl:sameAs`` from it keeps naming the old IRI, a fact between the two is dropped."""
        new_type = self.type_of(new)
        for quad in self.quads.about(old):
            s, p, o, g = quad
            if graphs is not None and g not in graphs:
                continue
            if p == OWL.sameAs and s == old and g == CURATED_GRAPH:
                continue
            if g == ENTITIES_GRAPH and s == old:
                self.quads.discard(quad)
                continue
            self.quads.discard(quad)
            if p == RDF.type and s == old:
                if o in ENTITY_CLASSES and new_type is not None:
                    o = KG[new_type]
                elif o in _event_subclasses() and new_type != EVENT:
                    continue
                self.quads.add((new, p, o, g))
                continue
            s2, o2 = (new if s == old else s), (new if o == old else o)
            if s2 != o2:
                self.quads.add((s2, p, o2, g))

    def check_signatures(self, entity: URIRef) -> None:
        """Drop facts of ``entity`` whose property does not take its (new) type."""
        entity_type = self.type_of(entity)
        for quad in self.quads.about(entity):
            s, p, o, g = quad
            if g == ENTITIES_GRAPH or p in (RDF.type, OWL.sameAs, *REIFICATION):
                continue
            if not fits(
                p, entity_type if s == entity else None, entity_type if o == entity else None
            ):
                self.quads.discard(quad)

    def ensure_entity(self, entity: URIRef, label: Literal | str, entity_type: str) -> None:
        """Give ``entity`` a canonical label and type unless it has them."""
        if self.type_of(entity) is None:
            self.quads.add((entity, RDFS.label, Literal(str(label)), ENTITIES_GRAPH))
            self.quads.add((entity, RDF.type, KG[entity_type], ENTITIES_GRAPH))

    def mark_rejected(self, evidence: Node, decision: Decision) -> None:
        self.quads.add((evidence, KG.rejectedBy, decision.iri, CURATED_GRAPH))

    def named(self, entity: Node, names: Iterable[str]) -> bool:
        """Whether ``entity`` has one of ``names`` as its label or an alias."""
        wanted = {n.casefold() for n in names}
        return any(
            s == entity and p in (RDFS.label, SKOS.altLabel) and str(o).casefold() in wanted
            for s, p, o, _ in self.quads.about(entity)
        )

    def linked(self, entity: Node) -> set[URIRef]:
        """Nodes shown as ``entity``: ``owl:sameAs`` it (a short name the build linked)."""
        return {
            s
            for s, p, o, _ in self.quads.about(entity)
            if p == OWL.sameAs
            and o == entity
            and isinstance(s, URIRef)
            and s != entity
            and self.type_of(s) is not None
        }

    def mentioned(self, entity: Node) -> bool:
        return any(p == KG.mentions and o == entity for _, p, o, _ in self.quads.about(entity))

    def document_graphs(self, entity: Node) -> set[Node]:
        return {g for _, _, _, g in self.quads.about(entity) if is_document_graph(g)}

    def evidence(self, s: Node, p: Node, o: Node) -> dict[Node, set[Node]]:
        """Evidence nodes of the fact (s, p, o), by named graph."""
        found: dict[Node, set[Node]] = defaultdict(set)
        for ev, prop, value, g in self.quads.about(s):
            if prop == RDF.subject and value == s:
                if (ev, RDF.predicate, p, g) in self.quads and (ev, RDF.object, o, g) in self.quads:
                    found[g].add(ev)
        return found

    # -- one method per kind --------------------------------------------------------------

    def _merge(self, d: Decision) -> str | None:
        survivor = d.survivor
        assert survivor is not None
        if self.type_of(survivor) is None:
            return self._missing(survivor, " (the survivor)")
        present = [m for m in d.merged if m != survivor and self.type_of(m) is not None]
        if not present:
            if self.named(survivor, d.merged_labels):
                return None  # the build linked those names to the survivor by itself
            return (
                f"{', '.join(short_name(m) for m in d.merged)}: not in the graph, nothing to merge"
            )
        for merged in present:
            merged_label, merged_type = self.label(merged), self.type_of(merged)
            self.rewrite(merged, survivor)
            if merged_label is not None and merged_label != self.label(survivor):
                self.quads.add((survivor, SKOS.altLabel, merged_label, CURATED_GRAPH))
            self.quads.add((merged, OWL.sameAs, survivor, CURATED_GRAPH))
            if merged_type != self.type_of(survivor):
                self.check_signatures(survivor)
        return None

    def _split(self, d: Decision) -> str | None:
        entity, new = d.entity, d.new_entity
        assert entity is not None and new is not None and d.new_type and d.new_label
        if self.type_of(entity) is None:
            return self._missing(entity)
        nodes = [entity, *sorted(self.linked(entity), key=str)]
        graphs = set().union(*(self.document_graphs(n) for n in nodes))
        named = {document_graph(doc) for doc in d.documents}
        moved: set[Node] = {g for g in graphs if g in named}
        if d.aliases:
            moved |= self._alias_graphs(nodes, d.aliases, graphs)
        if not moved:
            return f"no document left that the split moves from {short_name(entity)}"
        entity_type = self.type_of(entity)
        self.ensure_entity(new, d.new_label, d.new_type)
        for node in nodes:
            self.rewrite(node, new, graphs=moved)
            if not self.mentioned(node):
                self.rewrite(node, new)  # nothing left of it: it is the new entity now
                self.quads.add((node, OWL.sameAs, new, CURATED_GRAPH))
        if d.new_type != entity_type:
            self.check_signatures(new)
        return None

    def _alias_graphs(
        self, nodes: list[URIRef], aliases: Iterable[str], graphs: set[Node]
    ) -> set[Node]:
        """Documents that name the entity (``nodes``: it and the nodes linked to it) only by
        ``aliases``: by the names they give it (skos:altLabel, a linked node's label) and,
        for its canonical label (never an alias), by the sentences that are evidence for it."""
        wanted = {a.casefold() for a in aliases}
        entity = nodes[0]
        label = str(self.label(entity) or "").casefold()
        names: dict[Node, set[str]] = defaultdict(set)
        sentences: dict[Node, list[str]] = defaultdict(list)
        for node in nodes:
            node_label = str(self.label(node) or "").casefold()
            for s, p, o, g in self.quads.about(node):
                if g not in graphs:
                    continue
                if s == node and p == SKOS.altLabel:
                    names[g].add(str(o).casefold())
                elif p == KG.mentions and o == node and node != entity and node_label:
                    names[g].add(node_label)  # a linked node is named by its label there
                elif p in REIFICATION and o == entity:
                    sentences[g] += [
                        str(text).casefold()
                        for ev, prop, text, graph in self.quads.about(s)
                        if ev == s and prop == KG.sentence and graph == g
                    ]
        moved: set[Node] = set()
        for graph, given in names.items():
            if not given & wanted or given - wanted:
                continue
            if label and label not in wanted and any(label in text for text in sentences[graph]):
                continue
            moved.add(graph)
        return moved

    def _rename(self, d: Decision) -> str | None:
        entity = d.entity
        assert entity is not None and d.new_label is not None
        if self.type_of(entity) is None:
            return self._missing(entity)
        old = self.label(entity)
        if old is not None and str(old) == d.new_label:
            return None
        for quad in self.quads.about(entity):
            if quad[0] == entity and quad[1] == RDFS.label and quad[3] == ENTITIES_GRAPH:
                self.quads.discard(quad)
        self.quads.add((entity, RDFS.label, Literal(d.new_label), ENTITIES_GRAPH))
        if old is not None:
            self.quads.add((entity, SKOS.altLabel, old, CURATED_GRAPH))
        return None

    def _retype(self, d: Decision) -> str | None:
        entity, new = d.entity, d.new_entity
        assert entity is not None and new is not None and d.new_type is not None
        if self.type_of(entity) is None:
            if new != entity and self.type_of(new) == d.new_type:
                return None  # the build typed it so by itself
            return self._missing(entity)
        if new == entity:
            if self.type_of(entity) != d.new_type:
                self._set_type(entity, d.new_type)
        else:
            self.ensure_entity(new, self.label(entity) or short_name(entity), d.new_type)
            self.rewrite(entity, new)
            self.quads.add((entity, OWL.sameAs, new, CURATED_GRAPH))
        self.check_signatures(new)
        return None

    def _set_type(self, entity: URIRef, entity_type: str) -> None:
        for quad in self.quads.about(entity):
            s, p, o, g = quad
            if s == entity and p == RDF.type and (o in ENTITY_CLASSES or o in _event_subclasses()):
                self.quads.discard(quad)
                if o in ENTITY_CLASSES:
                    self.quads.add((s, p, KG[entity_type], g))
                elif entity_type == EVENT:
                    self.quads.add(quad)

    def _delete(self, d: Decision) -> str | None:
        entity = d.entity
        assert entity is not None
        if self.type_of(entity) is None:
            return self._missing(entity)
        for node in [entity, *self.linked(entity)]:
            for quad in self.quads.about(node):
                s, p, o, _ = quad
                if p in REIFICATION and o == node:
                    self.mark_rejected(s, d)  # the evidence stays, its fact goes
                else:
                    self.quads.discard(quad)
        return None

    def _reject(self, d: Decision) -> str | None:
        fact = d.fact
        assert fact is not None
        subjects = [fact.subject, *self.linked(fact.subject)]
        objects: list[Node] = [fact.object]
        if isinstance(fact.object, URIRef):
            objects += self.linked(fact.object)
        facts: list[tuple[Node, Node, Node]] = [
            (s, fact.predicate, o) for s in subjects for o in objects
        ]
        inverse = _inverse(fact.predicate)
        if inverse is not None and isinstance(fact.object, URIRef):
            facts += [(o, inverse, s) for s in subjects for o in objects]
        listed = set(d.evidence)
        found = False
        for s, p, o in facts:
            evidence = self.evidence(s, p, o)
            for quad in self.quads.about(s):
                if quad[:3] != (s, p, o) or quad[3] == ENTITIES_GRAPH:
                    continue
                restated = evidence.get(quad[3], set()) - listed
                if d.allow_restated and quad[3] != CURATED_GRAPH and restated:
                    continue  # a document states it again: the curator let it come back
                self.quads.discard(quad)
                found = True
            for nodes in evidence.values():
                for ev in nodes:
                    if not d.allow_restated or ev in listed:
                        self.mark_rejected(ev, d)
                        found = True
        return None if found else "the fact is not in the graph"

    def _assert(self, d: Decision) -> str | None:
        fact = d.fact
        assert fact is not None
        if self.type_of(fact.subject) is None:
            return self._missing(fact.subject)
        if isinstance(fact.object, URIRef) and self.type_of(fact.object) is None:
            return self._missing(fact.object)
        inverse = _inverse(fact.predicate)
        if inverse is not None and isinstance(fact.object, URIRef) and _unstored(fact.predicate):
            # one triple per fact, in the direction the graph stores (kg:storedAsInverse)
            self.quads.add((fact.object, inverse, fact.subject, CURATED_GRAPH))
        else:
            self.quads.add((fact.subject, fact.predicate, fact.object, CURATED_GRAPH))
        if str(fact.predicate).startswith(str(REL)):
            self.quads.add((fact.predicate, RDFS.subPropertyOf, KG.relatedTo, CURATED_GRAPH))
        return None
