"""What the endpoint refuses before running a query: updates, SERVICE and FROM.

The check is lexical, so it holds whatever engine runs the query (rdflib, Oxigraph)
and whether or not that engine's parser accepts the text: comments, strings and IRIs
are blanked out, then the bare keywords left are looked at.

- An update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY): the
  endpoint is read-only.
- SERVICE: a federated query makes the server fetch arbitrary URLs.
- FROM / FROM NAMED: rdflib loads the named IRI (a URL, or a ``file:`` on the
  server's disk) into the query's dataset. Queries run over the union of all graphs;
  ``GRAPH <iri> { ... }`` restricts a pattern to one document's graph.
"""

from __future__ import annotations

import re

from kg.errors import QueryRefusedError

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
)

_BLANKED = re.compile(
    r"""
      '''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)      # long strings
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
    | '(?:[^'\\\n\r]|\\.)*(?:'|$)              # short strings
    | "(?:[^"\\\n\r]|\\.)*(?:"|$)
    | <[^<>"{}|^`\\\s]*>                       # IRIs
    | \#[^\n\r]*                               # comments
    """,
    re.VERBOSE | re.DOTALL,
)
#: A bare word: not a variable, prefixed name, blank node label, language tag or number part.
_WORD = re.compile(r"(?<![?$:@\w.-])([A-Za-z]+)(?![\w:-])")


def keywords(sparql: str) -> set[str]:
    """The bare (keyword-like) words of a query, upper-cased, outside strings, IRIs, comments."""
    text = _BLANKED.sub(" ", sparql)
    return {match.group(1).upper() for match in _WORD.finditer(text)}


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Raise :class:`~kg.errors.QueryRefusedError` for an update, SERVICE or FROM."""
    words = keywords(sparql)
    update = sorted(words & UPDATE_KEYWORDS)
    if update:
        raise QueryRefusedError(
            f"this endpoint is read-only: SPARQL Update ({update[0]}) is not accepted"
        )
    if "SERVICE" in words and not allow_service:
        raise QueryRefusedError(
            "SERVICE (federated) queries are refused: this server does not fetch other "
            "endpoints (start kg serve with --allow-service to permit them)"
        )
    if "FROM" in words:
        raise QueryRefusedError(
            "FROM and FROM NAMED are not accepted: queries run over the union of all "
            "graphs; use GRAPH <iri> { ... } to match one document's graph"
        )
