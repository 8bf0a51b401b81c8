"""Decisions: the corrections people make to the graph, each a small RDF resource.

A decision says who (``curator``), when (``created``), why (``reason``) and what it
changes; it lives in the curation named graph (:data:`~kg.rdf.namespace.CURATION_GRAPH`).
Its IRI is a digest of all that, so the same decision imported twice is one decision.

    >>> d = new_decision("rename", "alice", "typo", entity=URIRef(".../person/x"), new_label="X")  # doctest: +SKIP
    >>> d.triples()                                                                            # doctest: +SKIP
"""

from __future__ import annotations

import datetime
import getpass
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import DCTERMS, RDF, RDFS, XSD, Literal, URIRef
from rdflib.term import Node

from kg.errors import CurationError
from kg.rdf.namespace import DECISION_BASE, DOCUMENT_BASE, ENTITY_BASE, KG
from kg.resolve.names import short_hash

Triple = tuple[Node, Node, Node]

#: Decision kinds (the ``kg curate`` commands) → their ontology class.
KINDS: dict[str, URIRef] = {
    "merge": KG.MergeDecision,
    "split": KG.SplitDecision,
    "rename": KG.RenameDecision,
    "retype": KG.RetypeDecision,
    "delete": KG.DeleteDecision,
    "reject": KG.RejectDecision,
    "assert": KG.AssertDecision,
    "undo": KG.UndoDecision,
}
KIND_OF_CLASS: dict[Node, str] = {cls: kind for kind, cls in KINDS.items()}
#: Entity types a merge, split, rename or retype may name or give (dates and quotes have
#: values, not names).
NAMED_TYPES = ("Person", "Organization", "Location", "Event")


@dataclass(frozen=True)
class FactRef:
    """A fact a decision rejects or asserts: subject, predicate, an entity or a literal."""

    subject: URIRef
    predicate: URIRef
    object: URIRef | Literal


@dataclass(frozen=True)
class Decision:
    """One decision; which fields are set depends on ``kind`` (see :data:`KINDS`)."""

    iri: URIRef
    kind: str
    curator: str
    created: datetime.datetime
    reason: str = ""
    #: split, rename, retype, delete: the entity it is about.
    entity: URIRef | None = None
    #: merge: the entity that stays, and the ones merged into it.
    survivor: URIRef | None = None
    merged: tuple[URIRef, ...] = ()
    #: merge: the merged entities' labels when it was made (a rebuild that links those names
    #: to the survivor by itself satisfies the merge).
    merged_labels: tuple[str, ...] = ()
    #: split, retype: the entity created (type/slug of its label).
    new_entity: URIRef | None = None
    #: split: the new entity's label; rename: the new label.
    new_label: str | None = None
    #: split, retype: a type of :data:`NAMED_TYPES`.
    new_type: str | None = None
    #: split: documents whose mentions move, and names that move with theirs.
    documents: tuple[URIRef, ...] = ()
    aliases: tuple[str, ...] = ()
    #: reject, assert: the fact.
    fact: FactRef | None = None
    #: reject: a document that states the fact again brings it back (the default keeps it out).
    allow_restated: bool = False
    #: reject with allow_restated: the evidence it rejected.
    evidence: tuple[URIRef, ...] = ()
    #: undo: the decision taken back.
    undoes: URIRef | None = None
    #: What it does in words, with the entities' labels when it was made (``rdfs:label``).
    label: str = ""

    @property
    def id(self) -> str:
        """The short id (the last segment of the IRI) that ``kg curate undo`` takes."""
        return str(self.iri).rsplit("/", 1)[-1]

    def entities(self) -> set[URIRef]:
        """Every entity IRI the decision names."""
        named = {self.entity, self.survivor, self.new_entity, *self.merged}
        if self.fact is not None:
            named.add(self.fact.subject)
            if isinstance(self.fact.object, URIRef):
                named.add(self.fact.object)
        return {n for n in named if n is not None}

    @property
    def title(self) -> str:
        """What it does in words: its label, else :meth:`summary` with IRIs."""
        return self.label or self.summary()

    def summary(self, label: Callable[[URIRef], str] = lambda iri: short_name(iri)) -> str:
        """One line saying what the decision does, e.g. ``merge Biden into Joe Biden``."""
        if self.kind == "merge" and self.survivor is not None:
            return f"merge {', '.join(label(m) for m in self.merged)} into {label(self.survivor)}"
        if self.kind == "split" and self.entity is not None:
            parts = [short_name(d) for d in self.documents] + [repr(a) for a in self.aliases]
            return f"split {label(self.entity)}: {', '.join(parts)} → {self.new_label} ({self.new_type})"
        if self.kind == "rename" and self.entity is not None:
            return f"rename {label(self.entity)} → {self.new_label}"
        if self.kind == "retype" and self.entity is not None:
            return f"retype {label(self.entity)} → {self.new_type}"
        if self.kind == "delete" and self.entity is not None:
            return f"delete {label(self.entity)}"
        if self.kind in ("reject", "assert") and self.fact is not None:
            f = self.fact
            obj = label(f.object) if isinstance(f.object, URIRef) else repr(str(f.object))
            return f"{self.kind} {label(f.subject)} {short_name(f.predicate)} {obj}"
        if self.kind == "undo" and self.undoes is not None:
            return f"undo {short_name(self.undoes)}"
        return self.kind

    def triples(self) -> list[Triple]:
        """The decision as RDF (for the curation graph and decision files)."""
        node = self.iri
        out: list[Triple] = [
            (node, RDF.type, KG.Decision),
            (node, RDF.type, KINDS[self.kind]),
            (node, KG.curator, Literal(self.curator)),
            (node, DCTERMS.created, Literal(self.created.isoformat(), datatype=XSD.dateTime)),
        ]
        if self.label:
            out.append((node, RDFS.label, Literal(self.label)))
        if self.reason:
            out.append((node, KG.reason, Literal(self.reason)))
        for prop, value in (
            (KG.entity, self.entity),
            (KG.survivor, self.survivor),
            (KG.newEntity, self.new_entity),
            (KG.undoes, self.undoes),
        ):
            if value is not None:
                out.append((node, prop, value))
        out += [(node, KG.merged, m) for m in self.merged]
        out += [(node, KG.mergedLabel, Literal(name)) for name in self.merged_labels]
        if self.new_label is not None:
            out.append((node, KG.newLabel, Literal(self.new_label)))
        if self.new_type is not None:
            out.append((node, KG.newType, KG[self.new_type]))
        out += [(node, KG.splitDocument, d) for d in self.documents]
        out += [(node, KG.splitAlias, Literal(a)) for a in self.aliases]
        if self.fact is not None:
            out.append((node, KG.factSubject, self.fact.subject))
            out.append((node, KG.factPredicate, self.fact.predicate))
            if isinstance(self.fact.object, URIRef):
                out.append((node, KG.factObject, self.fact.object))
            else:
                out.append((node, KG.factValue, self.fact.object))
        if self.allow_restated:
            out.append((node, KG.allowRestated, Literal(True)))
        out += [(node, KG.rejectsEvidence, e) for e in self.evidence]
        return out


def new_decision(
    kind: str,
    curator: str,
    reason: str = "",
    *,
    created: datetime.datetime | None = None,
    **values: object,
) -> Decision:
    """A decision with its IRI (a digest of everything it says) and the time now."""
    if kind not in KINDS:
        raise CurationError(f"unknown decision kind {kind!r} (valid: {', '.join(KINDS)})")
    created = created or datetime.datetime.now(datetime.timezone.utc)
    draft = Decision(
        iri=DECISION_BASE["draft"], kind=kind, curator=curator, created=created, reason=reason
    )
    draft = replace(draft, **values)  # type: ignore[arg-type]
    body = sorted(f"{p} {o.n3()}" for _, p, o in draft.triples()[2:])
    return replace(draft, iri=DECISION_BASE[short_hash(kind, *body)])


def decisions_from(triples: Iterable[Triple]) -> list[Decision]:
    """The decisions stated by ``triples`` (any graph), oldest first.

    Raises CurationError naming the first decision that misses what its kind needs.
    """
    by_node: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o in triples:
        by_node.setdefault(s, {}).setdefault(p, []).append(o)
    out = []
    for node, props in by_node.items():
        if KG.Decision not in props.get(RDF.type, []):
            continue
        out.append(_decision(node, props))
    return sorted(out, key=order_key)


def order_key(decision: Decision) -> tuple[datetime.datetime, str]:
    """Decisions apply in the order they were made (ties broken by IRI)."""
    created = decision.created
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.timezone.utc)
    return (created, str(decision.iri))


def _decision(node: Node, props: dict[Node, list[Node]]) -> Decision:
    def one(prop: URIRef) -> Node | None:
        values = props.get(prop, [])
        return values[0] if values else None

    kinds = [KIND_OF_CLASS[c] for c in props.get(RDF.type, []) if c in KIND_OF_CLASS]
    if len(kinds) != 1 or not isinstance(node, URIRef):
        raise CurationError(f"{node}: a decision has exactly one kind ({', '.join(KINDS)})")
    created = one(DCTERMS.created)
    curator = one(KG.curator)
    if not isinstance(created, Literal) or not isinstance(created.toPython(), datetime.datetime):
        raise CurationError(f"{node}: dcterms:created is not an xsd:dateTime")
    if curator is None:
        raise CurationError(f"{node}: no kg:curator")
    fact = None
    subject, predicate = one(KG.factSubject), one(KG.factPredicate)
    obj = one(KG.factObject) or one(KG.factValue)
    if isinstance(subject, URIRef) and isinstance(predicate, URIRef) and obj is not None:
        fact = FactRef(subject, predicate, obj)  # type: ignore[arg-type]
    new_type = one(KG.newType)
    decision = Decision(
        iri=node,
        kind=kinds[0],
        curator=str(curator),
        created=created.toPython(),
        reason=str(one(KG.reason) or ""),
        entity=_iri(one(KG.entity)),
        survivor=_iri(one(KG.survivor)),
        merged=tuple(sorted(_iris(props.get(KG.merged, [])), key=str)),
        merged_labels=tuple(sorted(str(n) for n in props.get(KG.mergedLabel, []))),
        new_entity=_iri(one(KG.newEntity)),
        new_label=str(one(KG.newLabel)) if one(KG.newLabel) is not None else None,
        new_type=str(new_type)[len(str(KG._NS)) :] if new_type is not None else None,
        documents=tuple(sorted(_iris(props.get(KG.splitDocument, [])), key=str)),
        aliases=tuple(sorted(str(a) for a in props.get(KG.splitAlias, []))),
        fact=fact,
        allow_restated=bool(one(KG.allowRestated) and one(KG.allowRestated).toPython()),  # type: ignore[union-attr]
        evidence=tuple(sorted(_iris(props.get(KG.rejectsEvidence, [])), key=str)),
        undoes=_iri(one(KG.undoes)),
        label=str(one(RDFS.label) or ""),
    )
    missing = [name for name in REQUIRED[decision.kind] if not getattr(decision, name)]
    if missing:
        raise CurationError(f"{node}: a {decision.kind} decision needs {', '.join(missing)}")
    if decision.kind == "split" and not (decision.documents or decision.aliases):
        raise CurationError(f"{node}: a split decision needs documents or aliases")
    if decision.new_type is not None and decision.new_type not in NAMED_TYPES:
        raise CurationError(
            f"{node}: new type {decision.new_type!r} is not one of {', '.join(NAMED_TYPES)}"
        )
    return decision


#: What each kind needs (Decision field names).
REQUIRED: dict[str, tuple[str, ...]] = {
    "merge": ("survivor", "merged"),
    "split": ("entity", "new_entity", "new_label", "new_type"),
    "rename": ("entity", "new_label"),
    "retype": ("entity", "new_entity", "new_type"),
    "delete": ("entity",),
    "reject": ("fact",),
    "assert": ("fact",),
    "undo": ("undoes",),
}


def _iri(node: Node | None) -> URIRef | None:
    return node if isinstance(node, URIRef) else None


def _iris(nodes: Iterable[Node]) -> list[URIRef]:
    return [n for n in nodes if isinstance(n, URIRef)]


def active(decisions: Iterable[Decision]) -> list[Decision]:
    """The decisions in force, oldest first: not undone by an undo that is itself in force."""
    decisions = sorted(decisions, key=order_key)
    undone_by: dict[URIRef, list[Decision]] = {}
    for d in decisions:
        if d.kind == "undo" and d.undoes is not None:
            undone_by.setdefault(d.undoes, []).append(d)
    memo: dict[URIRef, bool] = {}

    def in_force(d: Decision) -> bool:
        if d.iri not in memo:
            memo[d.iri] = False  # an undo cycle (hand-written files) counts as undone
            memo[d.iri] = not any(in_force(u) for u in undone_by.get(d.iri, []))
        return memo[d.iri]

    return [d for d in decisions if in_force(d)]


def short_name(iri: Node) -> str:
    """``person/joe-biden`` for an entity, the document id for a document, else the last segment."""
    text = str(iri)
    for base in (str(ENTITY_BASE), str(DOCUMENT_BASE), str(DECISION_BASE)):
        if text.startswith(base):
            return text[len(base) :]
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def current_user(explicit: str | None = None) -> str:
    """Who is deciding: ``explicit``, else ``KG_USER``, else ``user`` in the kg config file
    (``$XDG_CONFIG_HOME/kg/config.toml``), else the operating system's login name."""
    for candidate in (explicit, os.environ.get("KG_USER"), _configured_user()):
        if candidate and candidate.strip():
            return candidate.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kg" / "config.toml"


def _configured_user() -> str | None:
    path = config_path()
    if not path.is_file():
        return None
    try:
        import tomllib
    except ImportError:  # Python 3.10: no TOML reader in the standard library
        return None
    try:
        with path.open("rb") as handle:
            value = tomllib.load(handle).get("user")
    except (OSError, ValueError) as exc:
        raise CurationError(f"{path}: cannot read the kg config file: {exc}") from exc
    return str(value) if value is not None else None


__all__ = [
    "KINDS",
    "NAMED_TYPES",
    "Decision",
    "FactRef",
    "active",
    "current_user",
    "decisions_from",
    "new_decision",
    "order_key",
    "short_name",
]
