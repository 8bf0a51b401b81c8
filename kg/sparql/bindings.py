"""Values bound into a SPARQL text for engines that cannot bind unprojected variables.

rdflib binds ``initBindings`` itself; Oxigraph's substitutions only bind projected
variables, and a remote endpoint gets text. For those, each ``?name`` outside strings,
IRIs and comments is replaced by the value's N-Triples form (escaped by rdflib, so a
value can never change the query's structure); in the SELECT clause ``?name`` becomes
``(<value> AS ?name)`` so the column stays, and in ORDER BY / GROUP BY ``(<value>)``.

    >>> bind_text('SELECT ?e WHERE { ?e rdfs:label ?name }', {"name": Literal('x" } DROP ALL #')})
    'SELECT ?e WHERE { ?e rdfs:label "x\\\\" } DROP ALL #" }'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import Literal  # noqa: F401  (doctest)
from rdflib.term import Node

from kg.sparql.guard import _BLANKED

_VARIABLE = re.compile(r"[?$]([A-Za-z0-9_\u00b7\u00c0-\ufffd]+)")
_TOKENS = re.compile(
    f"(?P<skip>{_BLANKED.pattern})|(?P<var>{_VARIABLE.pattern})", re.VERBOSE | re.DOTALL
)
_SELECT = re.compile(r"\bSELECT\b(.*?)(?:\bWHERE\b|\{)", re.IGNORECASE | re.DOTALL)
_SORTING = re.compile(r"\b(?:ORDER|GROUP)\s+BY\b([^{}]*)$", re.IGNORECASE)


def bind_text(sparql: str, bindings: Mapping[str, Node]) -> str:
    """``sparql`` with every bound variable replaced by its value."""
    if not bindings:
        return sparql
    blanked = _BLANKED.sub(lambda m: " " * len(m.group(0)), sparql)
    projections = [m.span(1) for m in _SELECT.finditer(blanked)]  # the query's and subqueries'

    def replace(match: re.Match[str]) -> str:
        if match.group("var") is None:
            return match.group(0)
        name = match.group(0)[1:]
        if name not in bindings:
            return match.group(0)
        value = bindings[name].n3()
        if any(start <= match.start() < end for start, end in projections):
            return f"({value} AS ?{name})"
        if _SORTING.search(blanked, 0, match.start()):
            return f"({value})"  # ORDER BY / GROUP BY take a bracketed expression, not a bare term
        return value

    return _TOKENS.sub(replace, sparql)
