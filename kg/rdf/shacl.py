"""Check a graph against the project's SHACL shapes (ontology/shapes.ttl).

    >>> from rdflib import Graph
    >>> report = validate(Graph())          # a Graph or a Dataset
    >>> report.conforms, report.violations
    (True, set())

A Dataset is validated as the union of its named graphs, as queries see it (labels
live in the entities graph, facts in the document graphs). The ontology is mixed
in, so ``sh:class`` follows ``rdfs:subClassOf``, but no RDFS inference runs: range
entailment would type every object of ``kg:date`` as a ``kg:Date`` and hide exactly
the errors the shapes look for (the writer materializes super-classes and inverse
links itself), and inference on a large graph is slow. Domain checks are warnings:
they show in ``text`` but do not make the graph non-conforming.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

from kg.errors import GraphFileError
from kg.rdf.namespace import ontology_path, shapes_path

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of :func:`validate`: ``conforms``, a readable ``text``, the results graph."""

    conforms: bool
    text: str
    results_graph: Graph

    def _shapes(self, severity: URIRef) -> set[Node]:
        return {
            shape
            for result in self.results_graph.subjects(SH.resultSeverity, severity)
            for shape in self.results_graph.objects(result, SH.sourceShape)
        }

    @property
    def violations(self) -> set[Node]:
        """Shapes (IRIs in ``kg.rdf.namespace.SHAPES``) with at least one violation."""
        return self._shapes(SH.Violation)

    @property
    def warnings(self) -> set[Node]:
        """Shapes with at least one warning (a property used outside its domain)."""
        return self._shapes(SH.Warning)


@lru_cache(maxsize=1)
def _load(path: str) -> Graph:
    try:
        return Graph().parse(path, format="turtle")
    except (OSError, SyntaxError, ValueError) as exc:
        raise GraphFileError(f"cannot read {path}: {exc}") from exc


def _union(graph: Graph) -> Graph:
    """A plain Graph with every triple of ``graph``, across named graphs for a Dataset."""
    if not graph.context_aware:
        return graph
    union = Graph()
    for prefix, namespace in graph.namespaces():
        union.bind(prefix, namespace)
    for s, p, o, _ in graph.quads((None, None, None, None)):  # type: ignore[attr-defined]
        union.add((s, p, o))
    return union


def validate(graph: Graph) -> ValidationReport:
    """Validate ``graph`` (Graph or Dataset) against the shapes, with the ontology mixed in.

    >>> validate(Graph()).conforms
    True
    """
    from pyshacl import validate as pyshacl_validate

    conforms, results_graph, text = pyshacl_validate(
        _union(graph),
        shacl_graph=_load(str(shapes_path())),
        ont_graph=_load(str(ontology_path())),
        inference="none",
        allow_warnings=True,
        advanced=False,
    )
    return ValidationReport(conforms=bool(conforms), text=str(text), results_graph=results_graph)
