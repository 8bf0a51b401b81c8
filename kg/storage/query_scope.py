"""A query read against one named graph as its default graph, named graphs still visible.

The SPARQL 1.1 Protocol's ``default-graph-uri`` sets the default graph but, read as the
specification reads it (Oxigraph does), leaves the query no named graphs, so
``GRAPH ?g`` finds nothing. A query that uses GRAPH is rewritten instead: its WHERE
pattern goes inside ``GRAPH <union> { ... }``, where triple patterns match the union
and inner ``GRAPH`` patterns still range over every named graph.

    >>> scoped_to("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", URIRef("urn:u"))
    'SELECT ?s WHERE { GRAPH <urn:u> { ?s ?p ?o } } LIMIT 1'
"""

from __future__ import annotations

import re

from rdflib import URIRef

from kg.sparql.guard import _BLANKED

_FORM = re.compile(r"(?<![\w?$@:-])(SELECT|CONSTRUCT|ASK|DESCRIBE)(?![\w:-])", re.IGNORECASE)
_WHERE = re.compile(r"(?<![\w?$@:-])WHERE(?![\w:-])", re.IGNORECASE)


def query_form(sparql: str) -> str | None:
    """``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``: the form of the query."""
    found = _FORM.search(_blank(sparql))
    return found.group(1).upper() if found else None


def scoped_to(sparql: str, graph: URIRef) -> str:
    """``sparql`` with its WHERE pattern read in ``graph`` (unchanged when it has none)."""
    blanked = _blank(sparql)
    form = _FORM.search(blanked)
    if form is None:
        return sparql  # not a query: the server says what is wrong with it
    groups = _top_level_groups(blanked, form.end())
    index = 0
    if form.group(1).upper() == "CONSTRUCT" and groups:
        start, end = groups[0]
        if _WHERE.search(blanked, form.end(), start):  # CONSTRUCT WHERE { template }
            template = sparql[start : end + 1]
            return (
                sparql[: form.end()]
                + f" {template} WHERE {{ GRAPH {graph.n3()} {template} }}"
                + sparql[end + 1 :]
            )
        index = 1
    if len(groups) <= index:
        return sparql  # DESCRIBE <iri> with no WHERE
    start, end = groups[index]
    return (
        sparql[:start]
        + f"{{ GRAPH {graph.n3()} "
        + sparql[start : end + 1]
        + " }"
        + sparql[end + 1 :]
    )


def _blank(sparql: str) -> str:
    """Strings, IRIs and comments as spaces (same length), so braces and keywords are real."""
    return _BLANKED.sub(lambda m: " " * len(m.group(0)), sparql)


def _top_level_groups(blanked: str, start: int) -> list[tuple[int, int]]:
    """(open, close) positions of the outermost ``{ ... }`` groups after ``start``."""
    groups: list[tuple[int, int]] = []
    depth = 0
    opened = -1
    for position in range(start, len(blanked)):
        char = blanked[position]
        if char == "{":
            if depth == 0:
                opened = position
            depth += 1
        elif char == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append((opened, position))
    return groups
