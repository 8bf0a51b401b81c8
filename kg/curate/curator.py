"""`Curator`: make, undo, list, export and import decisions about one store.

Every method checks what the decision names (one-line :class:`~kg.errors.CurationError`
otherwise), applies it with all the decisions already made, and writes the result in
one atomic step. ``graph.curate`` on a :class:`~kg.graph.KnowledgeGraph` is a Curator.

    >>> graph.curate.merge("person/joe-biden", "person/biden", why="same man")   # doctest: +SKIP
    >>> graph.curate.undo(decision, why="they are not")                         # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import DCTERMS, RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from kg.curate.model import (
    NAMED_TYPES,
    Decision,
    FactRef,
    active,
    current_user,
    new_decision,
    short_name,
)
from kg.curate.state import (
    CURATED_GRAPH,
    Plan,
    plan_curation,
    read_decisions,
    read_patches,
    require_named_graphs,
    write_plan,
)
from kg.errors import CurationError
from kg.rdf.namespace import (
    CURATION_GRAPH,
    DECISION_BASE,
    ENTITIES_GRAPH,
    KG,
    PATCHES_GRAPH,
    PREFIXES,
    REL,
    TYPE_SEGMENTS,
    document_iri,
    entity_iri,
)
from kg.resolve.resolution import entity_key

if TYPE_CHECKING:
    from rdflib import Dataset

    from kg.curate.apply import Outcome
    from kg.storage.base import GraphStore

EntityRef = str | URIRef


@dataclass(frozen=True)
class DecisionStatus:
    """A decision as ``kg curate list`` shows it: in force or undone, and whether it applies."""

    decision: Decision
    active: bool
    problem: str | None = None


@dataclass
class ImportReport:
    """What importing a decisions file did."""

    added: int = 0
    already: int = 0
    not_applying: list[Outcome] = field(default_factory=list)


class Curator:
    """Decisions about the graph in ``store`` (see the module docstring).

    ``user`` is the default curator name (else :func:`~kg.curate.model.current_user`);
    ``on_change`` is called after each write (the facade drops its cached entities).
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        user: str | None = None,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.user = user
        self.on_change = on_change

    # -- the decisions ---------------------------------------------------------------------

    def merge(
        self, survivor: EntityRef, *merged: EntityRef, why: str = "", user: str | None = None
    ) -> Decision:
        """``merged`` are the same thing as ``survivor``: their facts and names move to it."""
        keep = self._named_entity(survivor)
        gone = [self._named_entity(m) for m in merged]
        if not gone:
            raise CurationError("merge: name at least one entity to merge into the survivor")
        if keep in gone:
            raise CurationError(f"merge: {short_name(keep)} cannot be merged into itself")
        gone = sorted(set(gone), key=str)
        names = sorted({label for m in gone if (label := self._label(m))})
        return self._decide(
            "merge", why, user, survivor=keep, merged=tuple(gone), merged_labels=tuple(names)
        )

    def split(
        self,
        entity: EntityRef,
        *,
        label: str,
        type: str | None = None,
        documents: Sequence[str] = (),
        aliases: Sequence[str] = (),
        why: str = "",
        user: str | None = None,
    ) -> Decision:
        """What ``documents`` (ids) say of ``entity``, or the documents that name it only by
        ``aliases``, is about another entity, labelled ``label``."""
        iri = self._named_entity(entity)
        label = _clean_label(label)
        new_type = _type(type) if type is not None else (self._type(iri) or "")
        if not documents and not aliases:
            raise CurationError(
                "split: give the documents or the aliases that belong to the other entity"
            )
        unknown = [
            d
            for d in documents
            if not self.store.match(None, DCTERMS.identifier, Literal(d), limit=1)
        ]
        if unknown:
            raise CurationError(f"split: no document {unknown[0]!r} in the graph")
        new = entity_iri(entity_key(new_type, label))
        if new == iri:
            raise CurationError(
                f"split: {label!r} ({new_type}) is {short_name(iri)} itself; give another label or type"
            )
        return self._decide(
            "split",
            why,
            user,
            entity=iri,
            new_entity=new,
            new_label=label,
            new_type=new_type,
            documents=tuple(sorted(document_iri(d) for d in set(documents))),
            aliases=tuple(sorted({a.strip() for a in aliases if a.strip()})),
        )

    def rename(
        self, entity: EntityRef, label: str, *, why: str = "", user: str | None = None
    ) -> Decision:
        """``label`` is the canonical name of ``entity`` (the old one stays an alias)."""
        iri = self._named_entity(entity)
        label = _clean_label(label)
        if label == self._label(iri):
            raise CurationError(f"rename: {short_name(iri)} is already labelled {label!r}")
        return self._decide("rename", why, user, entity=iri, new_label=label)

    def retype(
        self, entity: EntityRef, type: str, *, why: str = "", user: str | None = None
    ) -> Decision:
        """``entity`` is a ``type`` (Person, Organization, Location or Event)."""
        iri = self._named_entity(entity)
        new_type = _type(type)
        if new_type == self._type(iri):
            raise CurationError(f"retype: {short_name(iri)} is already a {new_type}")
        new = entity_iri(entity_key(new_type, self._label(iri) or short_name(iri)))
        return self._decide("retype", why, user, entity=iri, new_type=new_type, new_entity=new)

    def delete(self, entity: EntityRef, *, why: str = "", user: str | None = None) -> Decision:
        """``entity`` and its facts leave the graph (their evidence stays, marked rejected)."""
        iri = self._entity(entity)
        return self._decide("delete", why, user, entity=iri)

    def reject(
        self,
        subject: EntityRef,
        predicate: str | URIRef,
        obj: EntityRef | Literal,
        *,
        why: str = "",
        user: str | None = None,
        allow_restated: bool = False,
    ) -> Decision:
        """The fact is wrong: out of the graph, its evidence kept and marked rejected.

        It stays out when a document states it again, unless ``allow_restated``.
        """
        fact = self._fact(subject, predicate, obj)
        if not self._stated(fact):
            raise CurationError(f"reject: the fact {_fact_text(fact)} is not in the graph")
        evidence: tuple[URIRef, ...] = ()
        if allow_restated:
            rows = self.store.query(
                "SELECT DISTINCT ?ev WHERE { ?ev a kg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }",
                {"s": fact.subject, "p": fact.predicate, "o": fact.object},
            ).rows
            evidence = tuple(sorted((r[0] for r in rows if isinstance(r[0], URIRef)), key=str))
        return self._decide(
            "reject", why, user, fact=fact, allow_restated=allow_restated, evidence=evidence
        )

    def assert_fact(
        self,
        subject: EntityRef,
        predicate: str | URIRef,
        obj: EntityRef | Literal,
        *,
        why: str = "",
        user: str | None = None,
    ) -> Decision:
        """A fact stated by hand, with the curator as its source (``kg curate assert``)."""
        from kg.curate.apply import fits

        fact = self._fact(subject, predicate, obj)
        subject_type = self._type(fact.subject)
        object_type = self._type(fact.object) if isinstance(fact.object, URIRef) else None
        if not fits(fact.predicate, subject_type, object_type):
            raise CurationError(
                f"assert: {short_name(fact.predicate)} does not take a {subject_type} as subject"
                + (f" and a {object_type} as object" if object_type else "")
                + " (see ontology/kg.ttl)"
            )
        if self._stated(fact):
            raise CurationError(f"assert: the fact {_fact_text(fact)} is already in the graph")
        return self._decide("assert", why, user, fact=fact)

    def undo(
        self, decision: Decision | str | URIRef, *, why: str = "", user: str | None = None
    ) -> Decision:
        """Take ``decision`` back (given as a Decision, its IRI or its id); an undo can be undone."""
        iri = decision.iri if isinstance(decision, Decision) else self._decision_iri(decision)
        decisions = read_decisions(self.store)
        target = next((d for d in decisions if d.iri == iri), None)
        if target is None:
            raise CurationError(
                f"undo: no decision {short_name(iri)} in the graph (kg curate list shows them)"
            )
        if target.iri not in {d.iri for d in active(decisions)}:
            raise CurationError(f"undo: decision {target.id} is already undone")
        return self._decide("undo", why, user, undoes=iri, label=f"undo: {target.title}")

    # -- reading -------------------------------------------------------------------------------

    def decisions(self) -> list[Decision]:
        """Every decision, oldest first (undos and undone ones included)."""
        return read_decisions(self.store)

    def statuses(self) -> list[DecisionStatus]:
        """Every decision with whether it is in force and, if so, whether it still applies."""
        decisions = read_decisions(self.store)
        if not decisions:
            return []
        plan = plan_curation(self.store, decisions)
        in_force = {d.iri for d in active(decisions)}
        out = []
        for d in decisions:
            outcome = plan.outcome(d)
            problem = outcome.problem if outcome is not None and d.iri in in_force else None
            out.append(DecisionStatus(d, d.iri in in_force, problem))
        return out

    def about(self, entity: EntityRef) -> list[Decision]:
        """The decisions that name ``entity``, oldest first (its history)."""
        iri = self._iri(entity)
        return [d for d in read_decisions(self.store) if iri in d.entities()]

    def refresh(self) -> list[Outcome]:
        """Apply the decisions again (``kg build`` does it after every build); returns those
        that no longer apply."""
        from kg.curate.state import refresh

        outcomes = refresh(self.store)
        self._changed()
        return outcomes

    def raw_view(self) -> Dataset:
        """The graph as extracted, without any decision (an in-memory copy)."""
        from kg.rdf.files import new_dataset
        from kg.sparql.run import plain

        raw = new_dataset()
        for s, p, o, g in self.store.snapshot().quads((None, None, None, None)):
            if g not in (CURATION_GRAPH, CURATED_GRAPH, PATCHES_GRAPH) and g is not None:
                raw.graph(g).add((s, p, plain(o) or o))  # "x"^^xsd:string is "x", as patches say
        for patch in read_patches(self.store):
            context = raw.graph(patch.graph)
            for triple in patch.added:
                context.remove(triple)
            for triple in patch.removed:
                context.add(triple)
        return raw

    # -- files -----------------------------------------------------------------------------------

    def export(self, path: str | Path) -> Path:
        """Write every decision to a Turtle file, one block each, oldest first."""
        from kg.curate.files import write_decisions

        decisions = read_decisions(self.store)
        if not decisions:
            raise CurationError("no decisions to export: this graph has none")
        return write_decisions(decisions, path)

    def import_file(self, path: str | Path) -> ImportReport:
        """Add the decisions of a file (those not already here) and apply them."""
        from kg.curate.files import read_decisions_file

        require_named_graphs(self.store)
        existing = read_decisions(self.store)
        incoming = read_decisions_file(path, known=[d.iri for d in existing])
        known = {d.iri for d in existing}
        new = [d for d in incoming if d.iri not in known]
        report = ImportReport(added=len(new), already=len(incoming) - len(new))
        if new:
            plan = plan_curation(self.store, existing + new)
            write_plan(self.store, plan, new)
            report.not_applying = plan.not_applying
            self._changed()
        return report

    # -- the steps -------------------------------------------------------------------------------

    def _decide(self, kind: str, why: str, user: str | None, **values: object) -> Decision:
        require_named_graphs(self.store)
        if "label" not in values:
            draft = new_decision(kind, "", **values)  # type: ignore[arg-type]
            values["label"] = draft.summary(lambda iri: self._label(iri) or short_name(iri))
        decision = new_decision(kind, current_user(user or self.user), why.strip(), **values)  # type: ignore[arg-type]
        decisions = read_decisions(self.store)
        if any(d.iri == decision.iri for d in decisions):
            raise CurationError(
                f"{kind}: the same decision is already in the graph ({decision.id})"
            )
        plan = plan_curation(self.store, [*decisions, decision])
        self._check(plan, decision)
        write_plan(self.store, plan, [decision])
        self._changed()
        return decision

    @staticmethod
    def _check(plan: Plan, decision: Decision) -> None:
        outcome = plan.outcome(decision)
        if outcome is not None and outcome.problem is not None:
            raise CurationError(f"{decision.kind}: {outcome.problem}")

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    def _iri(self, ref: EntityRef) -> URIRef:
        """An IRI, a prefixed name (``person:joe-biden``) or a key (``person/joe-biden``)."""
        if isinstance(ref, URIRef):
            return ref
        text = ref.strip()
        if text.startswith(("http://", "https://")):
            return URIRef(text)
        prefix, _, local = text.partition(":")
        if local and prefix in PREFIXES:
            return URIRef(PREFIXES[prefix] + local)
        segment, _, slug = text.partition("/")
        if slug and segment in TYPE_SEGMENTS.values():
            return entity_iri(text)
        return self._by_name(text)

    def _by_name(self, name: str) -> URIRef:
        rows = self.store.query(
            f"""SELECT DISTINCT ?e ?label WHERE {{
              GRAPH <{ENTITIES_GRAPH}> {{ ?e rdfs:label ?label }}
              {{ ?e rdfs:label ?name }} UNION {{ ?e skos:altLabel ?name }}
              FILTER(LCASE(STR(?name)) = LCASE(STR(?wanted)))
            }}""",
            {"wanted": Literal(name)},
        ).rows
        found = {str(e): str(label) for e, label in rows}
        exact = [e for e, label in found.items() if label.casefold() == name.casefold()]
        if len(exact) == 1:
            return URIRef(exact[0])
        if len(found) == 1:
            return URIRef(next(iter(found)))
        if not found:
            raise CurationError(
                f"no entity named {name!r} in the graph (give its IRI or key, e.g. person/joe-biden)"
            )
        listed = ", ".join(short_name(URIRef(e)) for e in sorted(found)[:5])
        raise CurationError(
            f"{name!r} names {len(found)} entities ({listed}): give the one you mean by IRI or key"
        )

    def _entity(self, ref: EntityRef) -> URIRef:
        require_named_graphs(self.store)
        iri = self._iri(ref)
        if self._type(iri) is None:
            raise CurationError(f"no entity {short_name(iri)} in the graph")
        return iri

    def _named_entity(self, ref: EntityRef) -> URIRef:
        iri = self._entity(ref)
        entity_type = self._type(iri)
        if entity_type not in NAMED_TYPES:
            raise CurationError(
                f"{short_name(iri)} is a {entity_type}: only {', '.join(NAMED_TYPES)} entities can be merged, split, renamed or retyped"
            )
        return iri

    def _type(self, iri: Node) -> str | None:
        types = self.store.match(iri, RDF.type, None, ENTITIES_GRAPH)
        names = sorted(
            str(t)[len(str(KG._NS)) :] for _, _, t, _ in types if str(t).startswith(str(KG._NS))
        )
        return names[0] if names else None

    def _label(self, iri: URIRef) -> str | None:
        found = self.store.match(iri, RDFS.label, None, ENTITIES_GRAPH)
        return min((str(o) for _, _, o, _ in found), default=None)

    def _stated(self, fact: FactRef) -> bool:
        """Whether a document (or a decision) states the fact now."""
        return any(
            g not in (CURATION_GRAPH, PATCHES_GRAPH)
            for *_, g in self.store.match(fact.subject, fact.predicate, fact.object)
        )

    def _fact(
        self, subject: EntityRef, predicate: str | URIRef, obj: EntityRef | Literal
    ) -> FactRef:
        s = self._entity(subject)
        p = _predicate(predicate)
        if isinstance(obj, Literal):
            return FactRef(s, p, Literal(str(obj)))
        if _is_datatype_property(p):
            return FactRef(s, p, Literal(str(obj)))
        return FactRef(s, p, self._entity(obj))

    def _decision_iri(self, ref: str | URIRef) -> URIRef:
        text = str(ref).strip()
        if text.startswith(("http://", "https://")):
            return URIRef(text)
        return DECISION_BASE[text.removeprefix("decision:")]


def _clean_label(label: str) -> str:
    label = " ".join(str(label).split())
    if not label:
        raise CurationError("the label is empty")
    return label


def _type(name: str) -> str:
    for candidate in NAMED_TYPES:
        if candidate.casefold() == str(name).strip().removeprefix("kg:").casefold():
            return candidate
    raise CurationError(f"unknown entity type {name!r} (valid: {', '.join(NAMED_TYPES)})")


def _predicate(ref: str | URIRef) -> URIRef:
    """A property: an IRI, ``kg:leaderOf``, ``rel:meet`` or a bare ontology name (``leaderOf``)."""
    if isinstance(ref, URIRef):
        return ref
    text = ref.strip()
    if text.startswith(("http://", "https://")):
        return URIRef(text)
    prefix, _, local = text.partition(":")
    if local and prefix == "rel":
        return REL[local]
    name = local if local and prefix == "kg" else text
    valid = fact_properties()
    if name in valid:
        return KG[name]
    raise CurationError(
        f"unknown property {ref!r} (valid: {', '.join(sorted(valid))}, or rel:LEMMA for an open relation)"
    )


def fact_properties() -> list[str]:
    """Ontology properties a fact can have: object properties of entities or documents,
    datatype properties of entities (the rest describe documents, evidence or decisions)."""
    from kg.model import DOCUMENT, ENTITY_TYPES
    from kg.rdf.ontology import signatures

    out = []
    for name, sig in signatures().items():
        subjects = set(ENTITY_TYPES) | ({DOCUMENT} if sig.range is not None else set())
        if sig.domain is not None and sig.domain & subjects:
            out.append(name)
    return sorted(out)


def _is_datatype_property(predicate: URIRef) -> bool:
    from kg.rdf.ontology import signatures

    text = str(predicate)
    if not text.startswith(str(KG._NS)):
        return False
    sig = signatures().get(text[len(str(KG._NS)) :])
    return sig is not None and sig.range is None


def _fact_text(fact: FactRef) -> str:
    obj = short_name(fact.object) if isinstance(fact.object, URIRef) else repr(str(fact.object))
    return f"{short_name(fact.subject)} {short_name(fact.predicate)} {obj}"


def problems(outcomes: Iterable[Outcome]) -> list[str]:
    """One line per decision that no longer applies."""
    return [
        f"decision {o.decision.id} ({o.decision.title}, by {o.decision.curator}) no longer applies: {o.problem}"
        for o in outcomes
        if o.problem is not None
    ]
