"""Curation in a store: read what decisions touch, restore it as extracted, apply the
decisions in force, write the difference in one atomic step.

The store holds the curated graph in place (document graphs and the entities graph as
decisions left them), so every reader (SPARQL, statistics, HTML, the explorer) sees it.
What decisions removed and added is kept per named graph as a :class:`Patch` in
:data:`~kg.rdf.namespace.PATCHES_GRAPH`, so the graph as extracted can always be
restored exactly: that is how an undo, and a build that rewrote some graphs, are
applied. A patch is dropped when its graph was rewritten since (the builder says so,
the document's digest changed, or what the patch added is gone).

    >>> plan = plan_curation(store, read_decisions(store))   # doctest: +SKIP
    >>> write_plan(store, plan)                              # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from rdflib import OWL, RDF, Graph, Literal, URIRef
from rdflib.term import Node

from kg.curate.apply import REIFICATION, Outcome, apply_decisions, is_document_graph
from kg.curate.model import Decision, active, decisions_from
from kg.errors import CurationError
from kg.rdf.namespace import (
    CURATED_GRAPH,
    CURATION_GRAPH,
    ENTITIES_GRAPH,
    KG,
    PATCH_BASE,
    PATCHES_GRAPH,
)
from kg.resolve.names import short_hash
from kg.storage.base import GraphStore, Quad, Triple

#: Graphs of curation's own that are never read as data.
BOOKKEEPING = (CURATION_GRAPH, PATCHES_GRAPH)


@dataclass(frozen=True)
class Patch:
    """What decisions removed from (as extracted) and added to one named graph."""

    graph: URIRef
    removed: frozenset[Triple]
    added: frozenset[Triple]
    #: The document's digest when the patch was made (None for the entities graph).
    digest: str | None = None

    def triples(self) -> list[Triple]:
        node = PATCH_BASE[short_hash(str(self.graph))]
        out: list[Triple] = [
            (node, RDF.type, KG.Patch),
            (node, KG.patchedGraph, self.graph),
            (node, KG.removedQuads, Literal(encode(self.removed))),
            (node, KG.addedQuads, Literal(encode(self.added))),
        ]
        if self.digest:
            out.append((node, KG.contentHash, Literal(self.digest)))
        return out


@dataclass
class Plan:
    """What curating a store means now: the outcome of each decision and the quads to change."""

    decisions: list[Decision]
    outcomes: list[Outcome]
    removed: set[Quad] = field(default_factory=set)
    added: set[Quad] = field(default_factory=set)

    def outcome(self, decision: Decision) -> Outcome | None:
        return next((o for o in self.outcomes if o.decision.iri == decision.iri), None)

    @property
    def not_applying(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.applied]


def encode(triples: Iterable[Triple]) -> str:
    """Triples as N-Triples lines, sorted (the text of a patch)."""
    return "\n".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in triples))


def decode(text: str) -> set[Triple]:
    if not text.strip():
        return set()
    graph = Graph()
    graph.parse(data=text, format="nt")
    return set(graph)


def has_decisions(store: GraphStore) -> bool:
    """Whether the store holds any decision (one cheap ASK: builds call it every time)."""
    return bool(store.match(None, RDF.type, KG.Decision, CURATION_GRAPH, limit=1))


def document_digests(store: GraphStore) -> dict[URIRef, str | None]:
    """The digest (kg:contentHash) of each document's graph, by graph."""
    return {
        g: str(o)
        for _, _, o, g in store.match(predicate=KG.contentHash)
        if is_document_graph(g) and g not in BOOKKEEPING
    }


def read_decisions(store: GraphStore) -> list[Decision]:
    """The decisions in the store, oldest first."""
    if not has_decisions(store):
        return []
    return decisions_from(store.graph_triples(CURATION_GRAPH))


def read_patches(store: GraphStore) -> list[Patch]:
    by_node: dict[Node, dict[Node, Node]] = defaultdict(dict)
    for s, p, o in store.graph_triples(PATCHES_GRAPH):
        by_node[s][p] = o
    out = []
    for props in by_node.values():
        graph = props.get(KG.patchedGraph)
        if not isinstance(graph, URIRef):
            continue
        digest = props.get(KG.contentHash)
        out.append(
            Patch(
                graph,
                frozenset(decode(str(props.get(KG.removedQuads, "")))),
                frozenset(decode(str(props.get(KG.addedQuads, "")))),
                str(digest) if digest is not None else None,
            )
        )
    return out


def plan_curation(
    store: GraphStore,
    decisions: list[Decision],
    *,
    fresh_graphs: Collection[Node] = (),
    fresh_subjects: Collection[Node] = (),
) -> Plan:
    """What the store must become for ``decisions`` (all of them, undos included).

    ``fresh_graphs`` and ``fresh_subjects`` (entities whose canonical triples were
    written) name what a build has just rewritten as extracted.
    """
    entities = set().union(*(d.entities() for d in decisions)) if decisions else set()
    current = _read_current(store, entities, decisions)
    digests = document_digests(store)
    raw = _restore(
        store, current, digests, fresh_graphs=set(fresh_graphs), fresh=set(fresh_subjects)
    )
    raw = _prune_unmentioned(raw, entities | linked_nodes(current, entities))
    curated, outcomes = apply_decisions(active(decisions), raw)
    patches = _patches(raw, curated, digests)
    old_patches = {(s, p, o, PATCHES_GRAPH) for s, p, o in store.graph_triples(PATCHES_GRAPH)}
    new_patches = {(s, p, o, PATCHES_GRAPH) for patch in patches for s, p, o in patch.triples()}
    return Plan(
        decisions=decisions,
        outcomes=outcomes,
        removed=(current - curated) | (old_patches - new_patches),
        added=(curated - current) | (new_patches - old_patches),
    )


def write_plan(store: GraphStore, plan: Plan, new_decisions: Iterable[Decision] = ()) -> None:
    """Write the plan (and new decisions) to the store in one atomic step."""
    decision_quads = {(s, p, o, CURATION_GRAPH) for d in new_decisions for s, p, o in d.triples()}
    store.apply_delta(sorted(plan.removed, key=str), sorted(plan.added | decision_quads, key=str))


def refresh(
    store: GraphStore,
    *,
    fresh_graphs: Collection[Node] = (),
    fresh_subjects: Collection[Node] = (),
) -> list[Outcome]:
    """Apply the store's decisions again (after a build); returns those that no longer apply."""
    decisions = read_decisions(store)
    if not decisions:
        return []
    plan = plan_curation(store, decisions, fresh_graphs=fresh_graphs, fresh_subjects=fresh_subjects)
    if plan.removed or plan.added:
        write_plan(store, plan)
    return plan.not_applying


def require_named_graphs(store: GraphStore) -> None:
    """Curation needs the entities graph: a graph file in a triple format has lost it."""
    if not store.match(graph=ENTITIES_GRAPH, limit=1) and len(store):
        raise CurationError(
            "this graph has no named graphs (a .ttl, .nt or .jsonld file keeps only their union); "
            "curate a .trig or .nq file, or a store"
        )


# -- the steps ------------------------------------------------------------------------------


def _read_current(store: GraphStore, entities: set[URIRef], decisions: list[Decision]) -> set[Quad]:
    """The quads decisions may touch, as the store holds them now."""
    current = {q for q in store.quads_with(entities) if q[3] not in BOOKKEEPING}
    current |= {(s, p, o, CURATED_GRAPH) for s, p, o in store.graph_triples(CURATED_GRAPH)}
    linked = linked_nodes(current, entities) - entities
    if linked:  # nodes shown as those entities (a short name the build linked to one)
        current |= {q for q in store.quads_with(linked) if q[3] not in BOOKKEEPING}
    entities = entities | linked
    evidence = {
        s for s, p, o, g in current if p in REIFICATION and o in entities and is_document_graph(g)
    }
    if evidence:
        current |= set(store.quads_of(evidence, (RDF.subject, RDF.predicate, RDF.object)))
    named = {d.entity for d in decisions if d.kind == "split" and d.aliases and d.entity}
    named |= linked_nodes(current, named)
    spoken = {s for s, p, o, g in current if p in REIFICATION and o in named}
    if spoken:
        current |= set(store.quads_of(spoken, (KG.sentence,)))
    return {q for q in current if q[3] not in BOOKKEEPING}


def linked_nodes(quads: set[Quad], entities: set[URIRef]) -> set[URIRef]:
    """Nodes ``owl:sameAs`` one of ``entities`` in ``quads`` (the build links short names so)."""
    return {
        s for s, p, o, _ in quads if p == OWL.sameAs and o in entities and isinstance(s, URIRef)
    }


def _restore(
    store: GraphStore,
    current: set[Quad],
    digests: dict[URIRef, str | None],
    *,
    fresh_graphs: set[Node],
    fresh: set[Node],
) -> set[Quad]:
    """The quads as extracted: the current ones with every still valid patch reverted."""
    raw = {q for q in current if q[3] != CURATED_GRAPH}
    by_graph: dict[Node, set[Triple]] = defaultdict(set)
    for s, p, o, g in raw:
        by_graph[g].add((s, p, o))
    for patch in read_patches(store):
        g = patch.graph
        if g == ENTITIES_GRAPH:
            units = _by_subject(patch)
        elif g not in digests or g in fresh_graphs or patch.digest != digests[g]:
            continue  # the document is gone, or was built again: its graph is as extracted
        else:
            units = [(patch.removed, patch.added)]
        for removed, added in units:
            here = by_graph.get(g, set())
            if not added <= here or removed & here:
                continue  # rewritten since (a build the patch did not hear of)
            if g == ENTITIES_GRAPH and {s for s, _, _ in removed | added} & fresh:
                continue
            raw -= {(s, p, o, g) for s, p, o in added}
            raw |= {(s, p, o, g) for s, p, o in removed}
    return raw


def _by_subject(patch: Patch) -> list[tuple[frozenset[Triple], frozenset[Triple]]]:
    """The entities graph's patch, one part per entity (a build rewrites entities one by one)."""
    parts: dict[Node, tuple[set[Triple], set[Triple]]] = defaultdict(lambda: (set(), set()))
    for triple in patch.removed:
        parts[triple[0]][0].add(triple)
    for triple in patch.added:
        parts[triple[0]][1].add(triple)
    return [(frozenset(r), frozenset(a)) for r, a in parts.values()]


def _prune_unmentioned(raw: set[Quad], entities: set[URIRef]) -> set[Quad]:
    """An entity no document mentions has no canonical triples (as a build prunes them)."""
    mentioned = {o for _, p, o, g in raw if p == KG.mentions and is_document_graph(g)}
    return {
        q
        for q in raw
        if not (q[3] == ENTITIES_GRAPH and q[0] in entities and q[0] not in mentioned)
    }


def _patches(raw: set[Quad], curated: set[Quad], digests: dict[URIRef, str | None]) -> list[Patch]:
    removed: dict[Node, set[Triple]] = defaultdict(set)
    added: dict[Node, set[Triple]] = defaultdict(set)
    for s, p, o, g in raw - curated:
        removed[g].add((s, p, o))
    for s, p, o, g in curated - raw:
        if g != CURATED_GRAPH:
            added[g].add((s, p, o))
    return [
        Patch(
            URIRef(str(g)),
            frozenset(removed[g]),
            frozenset(added[g]),
            digests.get(URIRef(str(g))),
        )
        for g in sorted(set(removed) | set(added), key=str)
    ]
