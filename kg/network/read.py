"""Entities and facts read from a store through SPARQL: a few queries per view.

Every read command (``kg stats``, ``kg entities``, ``neighbors``, ``to_networkx``) asks the
store's own engine (Oxigraph, a remote endpoint, rdflib's in memory) for the rows its
view needs: one query for the entities' types, one for their names, one for the facts
around them, one for the evidence. Nothing walks the graph triple by triple, and nothing
asks once per entity. A view bound to a few entities (``neighbors``) binds them in the
query (``VALUES``), so its cost follows the entity, not the store.

What a view is (the rules :mod:`kg.network.convert` documents): an entity is an IRI typed
with one of the entity classes; one that is ``owl:sameAs`` another entity is shown as that
one (its names become aliases there, its facts that one's); a fact is a triple between two
entities, turned round when the graph holds it in the direction it does not store, with
its most confident evidence sentence.

    >>> nodes = read_entities(store, types=["Person"])          # doctest: +SKIP
    >>> edges = read_facts(store, nodes)                         # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rdflib import OWL, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.term import Node

from kg.network.convert import (
    ENTITY_CLASSES,
    EVENT_SUBCLASSES,
    NOT_EDGES,
    local_name,
    stored_predicates,
)
from kg.rdf.namespace import KG, REL
from kg.storage.base import VALUES_CHUNK, GraphStore

#: What the reads run on: a store, or any rdflib graph (queried by rdflib's engine).
Source = GraphStore | Graph
Row = tuple[Node | None, ...]
#: An entity's attributes, as networkx nodes carry them.
Attrs = dict[str, Any]
#: A fact between two entities: subject, object and its attributes.
Edge = tuple[URIRef, URIRef, dict[str, Any]]

_MAIN = {KG[name]: name for name in ENTITY_CLASSES}
_SUB = {KG[name]: name for name in EVENT_SUBCLASSES}
_NAMES = (RDFS.label, SKOS.altLabel)
_ATTRIBUTES = (*_NAMES, KG.role, KG.isoValue)
#: Triples that are never facts between entities (kept out in the query already).
_NOT_FACTS = (*sorted(NOT_EDGES, key=str), OWL.sameAs)


def _terms(nodes: Iterable[Node]) -> str:
    return " ".join(node.n3() for node in nodes)


def _class_values(names: Iterable[str]) -> str:
    return f"VALUES ?c {{ {_terms(KG[name] for name in names)} }}"


_KEYS = f"FILTER(?k IN ({', '.join(t.n3() for t in _ATTRIBUTES)}))"
_FACT_FILTER = f"FILTER(isIRI(?o) && ?p NOT IN ({', '.join(t.n3() for t in _NOT_FACTS)}))"
_SAME = OWL.sameAs.n3()
# Templates: ``{classes}`` is a VALUES block of classes, ``{nodes}`` a list of terms. Each
# starts from what is bound (VALUES first), which both Oxigraph and rdflib join from.
_TYPES = "SELECT ?e ?c WHERE {{ {classes} ?e a ?c }}"
_TYPES_OF = "SELECT ?e ?c WHERE {{ VALUES ?e {{ {nodes} }} ?e a ?c FILTER(?c IN ({in_classes})) }}"
_SAME_AS = f"SELECT ?s ?o WHERE {{ ?s {_SAME} ?o }}"
_ATTRS = "SELECT ?e ?k ?v WHERE {{ {classes} ?e a ?c . ?e ?k ?v " + _KEYS + " }}"
#: Every value of the attribute properties, whatever the subject (the engine answers it
#: faster than the join with the classes; subjects that are not entities are left out
#: when the rows are assembled).
_ALL_ATTRS = f"SELECT ?e ?k ?v WHERE {{ VALUES ?k {{ {_terms(_ATTRIBUTES)} }} ?e ?k ?v }}"
_ATTRS_OF = "SELECT ?e ?k ?v WHERE {{ VALUES ?e {{ {nodes} }} ?e ?k ?v " + _KEYS + " }}"
#: Triples from an entity of some classes, or from an entity that is the same as another.
_FACTS = (
    "SELECT ?s ?p ?o WHERE {{ {{ {classes} ?s a ?c . ?s ?p ?o " + _FACT_FILTER + " }} "
    f"UNION {{{{ ?s {_SAME} ?x . ?s ?p ?o " + _FACT_FILTER + " }} }}"
)
#: Triples from or to some entities.
_FACTS_AROUND = (
    "SELECT ?s ?p ?o WHERE {{ {{ VALUES ?s {{ {nodes} }} ?s ?p ?o }} "
    "UNION {{ VALUES ?o {{ {nodes} }} ?s ?p ?o }} " + _FACT_FILTER + " }}"
)
#: Triples from some entities, and to them from any entity (``{classes}``, or one that is
#: the same as another): what :data:`_FACTS` holds around those entities.
_FACTS_TOUCHING = (
    "SELECT DISTINCT ?s ?p ?o WHERE {{ {{ VALUES ?s {{ {nodes} }} ?s ?p ?o }} "
    "UNION {{ VALUES ?o {{ {nodes} }} ?s ?p ?o . ?s a ?c FILTER(?c IN ({classes})) }} "
    f"UNION {{{{ VALUES ?o {{{{ {{nodes}} }}}} ?s ?p ?o . ?s {_SAME} ?x }}}} "
    + _FACT_FILTER
    + " }}"
)
#: Triples from some entities to others of a set (``{among}``, the same entities and
#: those shown as them): the facts among a few entities, whatever else links to them.
_FACTS_AMONG = (
    "SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {nodes} }} ?s ?p ?o "
    "FILTER(?o IN ({among})) " + _FACT_FILTER + " }}"
)
#: The evidence of facts with some predicates, from the predicate (mentions, the most
#: evidence by far, are never read). The class is a FILTER: in a pattern, rdflib's static
#: join order would start from it, once per predicate.
_EVIDENCE = """
SELECT ?s ?p ?o ?confidence ?sentence WHERE {{
  VALUES ?p {{ {nodes} }}
  ?ev rdf:predicate ?p . ?ev rdf:object ?o . ?ev rdf:subject ?s .
  FILTER EXISTS {{ ?ev a kg:Evidence }}
  OPTIONAL {{ ?ev kg:confidence ?confidence }}
  OPTIONAL {{ ?ev kg:sentence ?sentence }}
}}
"""
#: The evidence of facts from some subjects to objects of a set (``{among}``).
_EVIDENCE_AMONG = """
SELECT ?s ?p ?o ?confidence ?sentence WHERE {{
  VALUES ?s {{ {nodes} }}
  ?ev rdf:subject ?s . ?ev rdf:object ?o . FILTER(?o IN ({among}))
  ?ev rdf:predicate ?p .
  FILTER EXISTS {{ ?ev a kg:Evidence }}
  OPTIONAL {{ ?ev kg:confidence ?confidence }}
  OPTIONAL {{ ?ev kg:sentence ?sentence }}
}}
"""
_OPEN_RELATIONS = "SELECT ?p WHERE { ?p rdfs:subPropertyOf kg:relatedTo }"
#: Names equal to one, ignoring case: ASCII names compared by the engine, the others
#: (whose case folding may differ from SPARQL's LCASE, ß and ss) checked in Python.
_NAMED = (
    f"SELECT ?e ?n WHERE {{ VALUES ?k {{ {_terms(_NAMES)} }} ?e ?k ?n "
    'FILTER(LCASE(STR(?n)) = ?folded || REGEX(STR(?n), "[^\\\\x00-\\\\x7F]")) }'
)
_UNLABELLED = "SELECT ?e WHERE {{ {classes} ?e a ?c FILTER NOT EXISTS {{ ?e rdfs:label ?label }} }}"
_DOCUMENTS = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:Document }"
_ROLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s kg:role ?o }"


def _select(source: Source, text: str, bindings: Mapping[str, object] | None = None) -> list[Row]:
    if isinstance(source, GraphStore):
        return list(source.query(text, bindings).rows)
    from kg.sparql.run import run_query

    return list(run_query(source, text, bindings).rows)


def _select_bound(
    source: Source, template: str, nodes: Collection[Node], **fields: str
) -> list[Row]:
    """``template`` run with ``{nodes}`` bound to every node of ``nodes``, a chunk at a time."""
    ordered = sorted(nodes, key=str)
    rows: list[Row] = []
    for start in range(0, len(ordered), VALUES_CHUNK):
        chunk = _terms(ordered[start : start + VALUES_CHUNK])
        rows += _select(source, template.format(nodes=chunk, **fields))
    return rows


def _check_types(types: Collection[str] | None) -> tuple[str, ...]:
    if types is None:
        return ENTITY_CLASSES
    from kg.network.views import check_types

    wanted = check_types(types)
    return tuple(name for name in ENTITY_CLASSES if name in wanted)


# --- entities ------------------------------------------------------------------------------


def same_as(source: Source) -> dict[URIRef, URIRef]:
    """Entity → the entity it is the same as (``owl:sameAs``: a surname-only person linked
    to the one person of that name, or a curated merge), in IRI order; one query.

    An entity said to be the same as several is the same as the last of them in IRI order.
    """
    pairs = sorted(
        ((s, o) for s, o in _select(source, _SAME_AS) if isinstance(s, URIRef) and s != o),
        key=lambda pair: (str(pair[0]), str(pair[1])),
    )
    return {s: o for s, o in pairs if isinstance(o, URIRef)}


@dataclass
class _Typed:
    """Entities and their classes, as read."""

    main: dict[URIRef, set[str]]
    sub: dict[URIRef, set[str]]

    @classmethod
    def of(cls, rows: Iterable[Row]) -> _Typed:
        typed = cls({}, {})
        for node, kind in rows:
            if not isinstance(node, URIRef):
                continue
            if kind in _MAIN:
                typed.main.setdefault(node, set()).add(_MAIN[kind])  # type: ignore[index]
            elif kind in _SUB:
                typed.sub.setdefault(node, set()).add(_SUB[kind])  # type: ignore[index]
        return typed

    def type_of(self, node: URIRef) -> str:
        """The entity's class; one typed with several takes the first in ENTITY_CLASSES."""
        return next(name for name in ENTITY_CLASSES if name in self.main[node])


def _read_types(
    source: Source, classes: Sequence[str], nodes: Collection[Node] | None = None
) -> _Typed:
    names = [*classes, *EVENT_SUBCLASSES]  # a subtype is read whatever the main type
    if nodes is None:
        return _Typed.of(_select(source, _TYPES.format(classes=_class_values(names))))
    in_classes = ", ".join(KG[name].n3() for name in names)
    return _Typed.of(_select_bound(source, _TYPES_OF, nodes, in_classes=in_classes))


def _merged(entities: Collection[URIRef], pairs: Mapping[URIRef, URIRef]) -> dict[URIRef, URIRef]:
    """Entity shown as another → that one, as :func:`assemble` merges (in ``pairs`` order)."""
    alive = set(entities)
    into: dict[URIRef, URIRef] = {}
    for node, target in pairs.items():
        if node in alive and target in alive:
            alive.discard(node)
            into[node] = target
    return into


def assemble(
    typed: _Typed, attributes: Iterable[Row], pairs: Mapping[URIRef, URIRef]
) -> dict[URIRef, Attrs]:
    """The entities (in IRI order) with their attributes, ``owl:sameAs`` collapsed."""
    names: dict[URIRef, dict[Node, set[str]]] = {}
    for node, key, value in attributes:
        if isinstance(node, URIRef) and key is not None and value is not None:
            names.setdefault(node, {}).setdefault(key, set()).add(str(value))
    nodes: dict[URIRef, Attrs] = {}
    for node in sorted(typed.main, key=str):
        own = names.get(node, {})
        labels = sorted(own.get(RDFS.label, ()))
        label = labels[0] if labels else str(node).rsplit("/", 1)[-1]
        kind = typed.type_of(node)
        subtypes = typed.sub.get(node, set())
        attrs: Attrs = {
            "iri": str(node),
            "label": label,
            "type": kind,
            "subtype": next((name for name in EVENT_SUBCLASSES if name in subtypes), None),
            "aliases": sorted(own.get(SKOS.altLabel, set()) - {label}),
            "roles": sorted(own.get(KG.role, ())),
        }
        if kind == "Date":
            values = sorted(own.get(KG.isoValue, ()))
            attrs["value"] = values[0] if values else None
        nodes[node] = attrs
    for node, target in pairs.items():
        if node in nodes and target in nodes:
            merged = nodes.pop(node)
            into = nodes[target]
            aliases = {merged["label"], *merged["aliases"], *into["aliases"]} - {into["label"]}
            into["aliases"] = sorted(aliases)
            into["roles"] = sorted({*into["roles"], *merged["roles"]})
    return nodes


def read_entities(
    source: Source,
    *,
    types: Collection[str] | None = None,
    pairs: Mapping[URIRef, URIRef] | None = None,
    named: Collection[URIRef] | None = None,
) -> dict[URIRef, Attrs]:
    """Every entity (of ``types``, or all) and its attributes, in IRI order: four queries.

    Attributes: ``iri``, ``label``, ``type``, ``subtype``, ``aliases``, ``roles``, and for
    a Date its ``value``. Entities linked by ``owl:sameAs`` to one of ``types`` are read
    as well, whatever their type, so the merge is the same as in the whole graph.
    ``named`` reads the attributes of those entities only (queries bound to them and to
    the ``owl:sameAs``-linked ones); the others are listed with their type and the last
    segment of their IRI as label.
    """
    classes = _check_types(types)
    if pairs is None and named is None:
        from kg.network.summary import stored_summary

        found = stored_summary(source)
        if found is not None:
            with found:
                wanted = None if types is None else classes
                return {URIRef(iri): attrs for iri, attrs in found.entities(wanted).items()}
    pairs = same_as(source) if pairs is None else pairs
    typed = _read_types(source, classes)
    if named is not None:
        attributes = _select_bound(source, _ATTRS_OF, {*named, *pairs, *pairs.values()})
    elif types is None:
        attributes = _select(source, _ALL_ATTRS)
    else:
        attributes = _select(source, _ATTRS.format(classes=_class_values(classes)))
    if types is not None and pairs:
        linked = {*pairs, *pairs.values()}
        more = _read_types(source, ENTITY_CLASSES, linked)
        for node, kinds in more.main.items():
            typed.main.setdefault(node, set()).update(kinds)
        for node, kinds in more.sub.items():
            typed.sub.setdefault(node, set()).update(kinds)
        attributes += _select_bound(source, _ATTRS_OF, linked)
    nodes = assemble(typed, attributes, pairs)
    if types is None:
        return nodes
    return {node: attrs for node, attrs in nodes.items() if attrs["type"] in classes}


def typed_entities(source: Source, nodes: Collection[Node]) -> set[URIRef]:
    """Those of ``nodes`` typed with an entity class: queries bound to them."""
    return set(_read_types(source, ENTITY_CLASSES, nodes).main)


def entities_of(
    source: Source, nodes: Collection[URIRef], pairs: Mapping[URIRef, URIRef]
) -> dict[URIRef, Attrs]:
    """Those of ``nodes`` that are entities, with their attributes: queries bound to them.

    The entities ``owl:sameAs`` links to them (directly or through others) are read too
    (the merge needs them), and returned.
    """
    linked = linked_pairs(pairs, set(nodes))
    wanted = {*nodes, *linked, *linked.values()}
    typed = _read_types(source, ENTITY_CLASSES, wanted)
    return assemble(typed, _select_bound(source, _ATTRS_OF, set(typed.main)), linked)


def linked_pairs(pairs: Mapping[URIRef, URIRef], nodes: Collection[Node]) -> dict[URIRef, URIRef]:
    """The pairs (in ``pairs`` order) of the ``owl:sameAs`` chains through ``nodes``: the
    merges that decide how those nodes are shown, and no other."""
    around: dict[Node, set[Node]] = {}
    for node, target in pairs.items():
        around.setdefault(node, set()).add(target)
        around.setdefault(target, set()).add(node)
    seen: set[Node] = set()
    todo = [node for node in nodes if node in around]
    while todo:
        found = todo.pop()
        if found not in seen:
            seen.add(found)
            todo.extend(around[found] - seen)
    return {node: target for node, target in pairs.items() if node in seen}


def find_entities(source: Source, name: str) -> dict[URIRef, Attrs]:
    """Entities whose label or alias is ``name`` (case-insensitive, ``str.casefold``),
    found by the engine; an entity shown as another is found through that one."""
    from kg.network.summary import stored_summary

    summary = stored_summary(source, compute_missing=False)
    if summary is not None:
        with summary:
            return {URIRef(iri): attrs for iri, attrs in summary.named(name).items()}
    folded = name.casefold()
    found: set[URIRef] = {
        node
        for node, value in _select(source, _NAMED, {"folded": folded})
        if isinstance(node, URIRef) and str(value).casefold() == folded
    }
    unlabelled = _select(source, _UNLABELLED.format(classes=_class_values(ENTITY_CLASSES)))
    found.update(
        node
        for (node,) in unlabelled
        if isinstance(node, URIRef) and str(node).rsplit("/", 1)[-1].casefold() == folded
    )
    if not found:
        return {}
    pairs = same_as(source)
    nodes = entities_of(source, found, pairs)
    return {
        node: attrs
        for node, attrs in nodes.items()
        if folded in {n.casefold() for n in (attrs["label"], *attrs["aliases"])}
    }


# --- facts ---------------------------------------------------------------------------------


def _evidence(
    source: Source, predicates: Collection[Node]
) -> dict[tuple[Node, ...], tuple[float, str]]:
    """(subject, predicate, object) → its best confidence and that evidence's sentence, for
    facts with one of ``predicates``."""
    return _best_evidence(_select_bound(source, _EVIDENCE, predicates))


def _best_evidence(rows: Iterable[Row]) -> dict[tuple[Node, ...], tuple[float, str]]:
    """(subject, predicate, object) → its best confidence and that evidence's sentence.

    Among equal confidences, the first sentence in text order, so the choice does not
    depend on the order the store returns rows in.
    """
    best: dict[tuple[Node, ...], tuple[float, str]] = {}
    for s, p, o, confidence, sentence in rows:
        if s is None or p is None or o is None:
            continue
        score = float(str(confidence)) if confidence is not None else 0.0
        text = str(sentence or "")
        key = (s, p, o)
        known = best.get(key)
        if known is None or (-score, text) < (-known[0], known[1]):
            best[key] = (score, text)
    return best


def fact_edges(
    triples: Iterable[tuple[Node, Node, Node]],
    nodes: Collection[Node],
    pairs: Mapping[URIRef, URIRef],
    *,
    evidence: Mapping[tuple[Node, ...], tuple[float, str]] | None = None,
    open_relations: Collection[Node] = (),
    origins: list[tuple[Node, Node, Node]] | None = None,
) -> list[Edge]:
    """The facts among ``nodes`` that ``triples`` state, in triple order (one per triple).

    ``triples`` must hold, with each triple, the triples between the same two nodes (the
    stored direction of a fact stated both ways is kept, the other dropped). ``origins``,
    when given, gets the triple each edge comes from, in the edges' order.
    """
    given = list(dict.fromkeys(triples))  # the graph is a set of triples
    held = set(given)
    turned = stored_predicates()
    edges: list[Edge] = []
    for triple in given:
        s, p, o = triple
        found = evidence.get((s, p, o)) if evidence is not None else None
        if p in turned and isinstance(o, URIRef):
            if (o, turned[p], s) in held:
                continue  # the stored direction is there too: one edge
            s, p, o = o, turned[p], s
        s, o = _canonical(s, pairs), _canonical(o, pairs)
        if p in NOT_EDGES or s not in nodes or not isinstance(o, URIRef) or o not in nodes:
            continue
        if isinstance(o, Literal):
            continue
        best, text = found or (0.0, "")
        if origins is not None:
            origins.append(triple)
        edges.append(
            (
                s,  # type: ignore[arg-type]  # in nodes: an IRI
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


def _canonical(node: Node, pairs: Mapping[URIRef, URIRef]) -> Node:
    return pairs.get(node, node) if isinstance(node, URIRef) else node


def _sorted_triples(rows: Iterable[Row]) -> list[tuple[Node, Node, Node]]:
    triples = {(s, p, o) for s, p, o in rows if s is not None and p is not None and o is not None}
    return sorted(triples, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))


def read_facts(
    source: Source,
    nodes: Collection[Node],
    pairs: Mapping[URIRef, URIRef],
    *,
    types: Collection[str] | None = None,
    evidence: bool = True,
) -> list[Edge]:
    """Every fact among ``nodes`` (the entities :func:`read_entities` read with ``types``):
    one query for the triples, one for their evidence, one for the open relations."""
    triples = fact_triples(source, _check_types(types))
    found = _evidence(source, {p for _, p, _ in triples}) if evidence else None
    return fact_edges(triples, nodes, pairs, evidence=found, open_relations=open_relations(source))


def fact_triples(
    source: Source, classes: Sequence[str] = ENTITY_CLASSES
) -> list[tuple[Node, Node, Node]]:
    """The triples from entities of ``classes`` (or ``owl:sameAs``-linked ones) to IRIs,
    facts between entities among them, in term order; one query."""
    return _sorted_triples(_select(source, _FACTS.format(classes=_class_values(classes))))


def fact_triples_around(source: Source, nodes: Collection[Node]) -> list[tuple[Node, Node, Node]]:
    """Those of :func:`fact_triples` (from any entity) that are from or to ``nodes``
    (entities), in term order: queries bound to the nodes."""
    classes = ", ".join(KG[name].n3() for name in ENTITY_CLASSES)
    return _sorted_triples(_select_bound(source, _FACTS_TOUCHING, nodes, classes=classes))


def open_relations(source: Source) -> set[Node]:
    """The open relations (``rdfs:subPropertyOf kg:relatedTo``); one query."""
    return {p for (p,) in _select(source, _OPEN_RELATIONS) if p is not None}


def _members(nodes: Collection[Node], pairs: Mapping[URIRef, URIRef]) -> set[Node]:
    """``nodes`` and the entities shown as one of them (``owl:sameAs``)."""
    return {*nodes, *(node for node, target in pairs.items() if target in nodes)}


def read_facts_among(
    source: Source, nodes: Collection[Node], pairs: Mapping[URIRef, URIRef]
) -> list[Edge]:
    """The facts among ``nodes`` (entities as views show them) with their evidence, as
    :func:`read_facts` gives them: queries bound to the nodes, whatever the store's size."""
    members = _members(set(nodes), pairs)
    if not members:
        return []
    # A fact among the nodes has both ends among them (or shown as one of them): it is
    # asked from its subject, its object bound too (the thousands of triples that link
    # a central entity to documents and evidence are never read).
    among = ", ".join(node.n3() for node in sorted(members, key=str))
    triples = _sorted_triples(_select_bound(source, _FACTS_AMONG, members, among=among))
    subjects = {s for s, _, _ in triples}
    rows = _select_bound(source, _EVIDENCE_AMONG, subjects, among=among) if subjects else []
    found = _best_evidence(rows)
    return fact_edges(
        triples, set(nodes), pairs, evidence=found, open_relations=open_relations(source)
    )


@dataclass(frozen=True)
class Neighbourhood:
    """An entity's facts: the entity, the facts (``out`` from it or ``in`` to it), and the
    attributes of every entity they link."""

    center: URIRef
    facts: list[tuple[str, str, URIRef]]  # relation, "out"/"in", the other entity
    entities: dict[URIRef, Attrs]


def read_neighbourhoods(source: Source, centers: Collection[URIRef]) -> list[Neighbourhood]:
    """The facts of each of ``centers`` (entities as views show them): queries bound to
    them and to the entities they link, whatever the size of the store."""
    if not centers:
        return []
    pairs = same_as(source)
    members = {node for node in centers if node not in pairs}
    members.update(node for node, target in pairs.items() if target in centers)
    triples = _sorted_triples(_select_bound(source, _FACTS_AROUND, members))
    ends = {node for triple in triples for node in (triple[0], triple[2])}
    nodes = entities_of(source, {pairs.get(n, n) for n in ends if isinstance(n, URIRef)}, pairs)
    edges = fact_edges(triples, nodes, pairs)
    out = []
    for center in centers:
        facts = [(a["relation"], "out", o) for s, o, a in edges if s == center]
        facts += [(a["relation"], "in", s) for s, o, a in edges if o == center]
        out.append(Neighbourhood(center, facts, nodes))
    return out


# --- counts --------------------------------------------------------------------------------


def _count(source: Source, text: str) -> int:
    rows = _select(source, text)
    return int(str(rows[0][0])) if rows and rows[0][0] is not None else 0


def document_count(source: Source) -> int:
    return _count(source, _DOCUMENTS)


def role_count(source: Source) -> int:
    """How many ``kg:role`` values the graph holds."""
    return _count(source, _ROLES)


def read_stats(source: Source) -> dict[str, dict[str, int]]:
    """Documents, entities per type and facts per relation (``role`` counts ``kg:role``
    values): from the store's summary (:mod:`kg.network.summary`) when it has one, else
    counts and rows the engine returns, no attribute read."""
    from collections import Counter

    from kg.network.summary import stored_summary

    found = stored_summary(source)
    if found is not None:
        with found:
            return found.stats()
    pairs = same_as(source)
    typed = _read_types(source, ENTITY_CLASSES)
    popped = _merged(typed.main, pairs)
    types = Counter(typed.type_of(node) for node in typed.main if node not in popped)
    alive = {node for node in typed.main if node not in popped}
    edges = fact_edges(fact_triples(source), alive, pairs)
    relations = Counter(attrs["relation"] for _, _, attrs in edges)
    relations.update({"role": role_count(source)})
    return {
        "documents": {"Document": document_count(source)},
        "entities": dict(sorted(types.items())),
        "relations": dict(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
    }
