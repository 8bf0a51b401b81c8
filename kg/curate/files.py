"""Decision files: Turtle a team can diff and review, one decision per block, oldest first.

    # merge person/biden into person/joe-biden (alice, 2024-05-02T09:12:03+00:00)
    decision:3f2a… a kg:Decision, kg:MergeDecision ;
        kg:curator "alice" ;
        dcterms:created "2024-05-02T09:12:03.120000+00:00"^^xsd:dateTime ;
        kg:reason "the same president" ;
        kg:survivor person:joe-biden ;
        kg:merged person:biden .

Reading a file checks it against the SHACL shapes of decisions (ontology/shapes.ttl).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from rdflib import RDF, BNode, Graph, URIRef
from rdflib.term import Node

from kg.atomic import write_bytes_atomic
from kg.curate.model import Decision, decisions_from
from kg.errors import CurationError
from kg.rdf.namespace import ENTITY_BASE, KG, PREFIXES, SHAPES, bind_prefixes, shapes_path

#: Prefixes written at the top of a decision file.
FILE_PREFIXES = ("kg", "rdf", "rdfs", "dcterms", "xsd", "decision", "doc", "evidence", "rel")


def decisions_text(decisions: Iterable[Decision]) -> str:
    """The Turtle text of ``decisions``."""
    decisions = list(decisions)
    graph = bind_prefixes(Graph())
    manager = graph.namespace_manager
    entity_prefixes = [p for p, iri in PREFIXES.items() if iri.startswith(str(ENTITY_BASE))]
    lines = [
        f"# kg curation decisions: {len(decisions)}, oldest first.",
        "# Apply them to a graph with: kg curate import FILE (--store DIR | -g GRAPH.trig)",
        "",
    ]
    lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in (*FILE_PREFIXES, *entity_prefixes)]
    for decision in decisions:
        lines += [
            "",
            f"# {decision.title} ({decision.curator}, {decision.created.isoformat()})",
        ]
        triples = decision.triples()
        types = [o for _, p, o in triples if p == RDF.type]
        lines.append(f"{decision.iri.n3(manager)} a {', '.join(t.n3(manager) for t in types)} ;")
        rest = [(p, o) for _, p, o in triples if p != RDF.type]
        for i, (p, o) in enumerate(rest):
            end = " ." if i == len(rest) - 1 else " ;"
            lines.append(f"    {p.n3(manager)} {o.n3(manager)}{end}")
    return "\n".join(lines) + "\n"


def write_decisions(decisions: Iterable[Decision], path: str | Path) -> Path:
    """Write a decision file atomically."""
    path = Path(path)
    text = decisions_text(decisions)
    return write_bytes_atomic(path, text.encode("utf-8"))


def read_decisions_file(path: str | Path, known: Iterable[URIRef] = ()) -> list[Decision]:
    """The decisions of a file, checked against the shapes; ``known`` names decisions an
    undo in the file may refer to without the file holding them."""
    path = Path(path)
    if not path.is_file():
        raise CurationError(f"{path}: no such decisions file")
    graph = Graph()
    try:
        graph.parse(str(path), format="turtle")
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        message = " ".join(str(exc).split())[:300]
        raise CurationError(f"{path}: not valid Turtle: {message}") from exc
    except OSError as exc:
        raise CurationError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if not any(graph.subjects(RDF.type, KG.Decision)):
        raise CurationError(f"{path}: no decisions in it (nothing typed kg:Decision)")
    _check_shapes(path, graph, known)
    try:
        return decisions_from(graph)
    except CurationError as exc:
        raise CurationError(f"{path}: {exc}") from exc


@functools.lru_cache(maxsize=1)
def decision_shapes() -> Graph:
    """The shapes of ontology/shapes.ttl about decisions (checking a file against all of
    them, with the ontology mixed in, takes seconds; these alone, milliseconds)."""
    shapes = Graph().parse(shapes_path(), format="turtle")
    picked = Graph()
    todo: list[Node] = [
        s
        for s in set(shapes.subjects())
        if isinstance(s, URIRef)
        and str(s).startswith(str(SHAPES))
        and ("Decision" in str(s) or "RejectedBy" in str(s))
    ]
    seen: set[Node] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            picked.add((node, p, o))
            if isinstance(o, BNode) or (isinstance(o, URIRef) and str(o).startswith(str(SHAPES))):
                todo.append(o)
    return picked


def _check_shapes(path: Path, graph: Graph, known: Iterable[URIRef]) -> None:
    from pyshacl import validate

    from kg.rdf.shacl import SH

    data = Graph()
    for triple in graph:
        data.add(triple)
    for iri in known:
        data.add((iri, RDF.type, KG.Decision))
    conforms, results, _ = validate(
        data, shacl_graph=decision_shapes(), inference="none", advanced=False
    )
    if conforms:
        return
    problems = sorted(
        {
            (str(results.value(r, SH.focusNode)), str(results.value(r, SH.resultMessage)))
            for r in results.subjects(SH.resultSeverity, SH.Violation)
        }
    )
    text = "; ".join(f"{focus}: {message}" for focus, message in problems[:3])
    raise CurationError(f"{path}: {text or 'does not conform to the decision shapes'}")
