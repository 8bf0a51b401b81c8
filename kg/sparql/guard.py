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

The scan errs on the side of refusing, because parsers read keywords more loosely
than the grammar suggests (see docs/reliability.md for the bypasses this closes):

- ``\\u0046ROM`` is FROM: SPARQL expands codepoint escapes before parsing, so the
  text is checked both as written and with escapes expanded.
- ``ſERVICE`` (long s) and ``SERVıCE`` (dotless i) are SERVICE to a parser that
  compares ``text.upper()`` (pyparsing's caseless keywords, used by rdflib).
- A keyword ends at the first character that is not an ASCII letter, digit or
  underscore: ``FROMé:x`` and ``FROM:x`` read as FROM followed by a prefixed name.
- ``.SERVICE`` after a triple is SERVICE; a backslash escape outside strings
  (``ex:a\\'``, a prefixed name) never opens a string or a comment.

The price is that a few legal names read as keywords: a prefix called ``from:`` or
``service:``, or a local name such as ``ex:a.load``. Rename them.
"""

from __future__ import annotations

import re

from kg.errors import QueryRefusedError

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
)

_BLANKED = re.compile(
    r"""
      \\.                                      # an escape outside strings (ex:a\')
    | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)      # long strings
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
    | '(?:[^'\\\n\r]|\\.)*(?:'|$)              # short strings
    | "(?:[^"\\\n\r]|\\.)*(?:"|$)
    | <[^<>"{}|^`\\\x00-\x20]*>                # IRIs (SPARQL's IRIREF)
    | \#[^\n\r]*                               # comments
    """,
    re.VERBOSE | re.DOTALL,
)
#: Letters that upper-case to an ASCII letter: ASCII, U+017F (long s → S), U+0131 (dotless
#: i → I). tests/robustness checks that no other code point does.
_LETTERS = "A-Za-z\u017f\u0131"
#: A bare word: not the rest of a variable, prefixed name, blank node label or language
#: tag, and ending where a caseless keyword of pyparsing would (next character not
#: ``[A-Za-z0-9_]``).
_WORD = re.compile(rf"(?<![A-Za-z0-9_?$@:-])([{_LETTERS}]+)(?![A-Za-z0-9_])")
#: SPARQL 1.1 codepoint escapes (section 19.2), as the spec and as rdflib read them.
_ESCAPES = (
    re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})"),
    re.compile(r"\\[uU]([0-9A-Fa-f]{8})|\\[uU]([0-9A-Fa-f]{4})"),
)


def _expanded(sparql: str, pattern: re.Pattern[str]) -> str:
    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return pattern.sub(expand, sparql)


def readings(sparql: str) -> list[str]:
    """The query as engines may read it: as written, and with codepoint escapes expanded."""
    texts = [sparql]
    if "\\" in sparql:
        texts.extend(_expanded(sparql, pattern) for pattern in _ESCAPES)
    return list(dict.fromkeys(texts))


def keywords(sparql: str) -> set[str]:
    """The bare (keyword-like) words of a query, upper-cased, outside strings, IRIs, comments.

    >>> sorted(keywords('SELECT ?from WHERE { ?s ex:load "DROP" } # CLEAR'))
    ['SELECT', 'WHERE']
    """
    words: set[str] = set()
    for text in readings(sparql):
        blanked = _BLANKED.sub(" ", text)
        words.update(match.group(1).upper() for match in _WORD.finditer(blanked))
    return words


REFUSALS: dict[str, str] = {
    "SERVICE": (
        "SERVICE (federated) queries are refused: this server does not fetch other "
        "endpoints (allow_service=True permits them; kg serve --allow-service)"
    ),
    "FROM": (
        "FROM and FROM NAMED are not accepted: queries run over the union of all "
        "graphs; use GRAPH <iri> { ... } to match one document's graph"
    ),
}


def refuse(what: str) -> None:
    """Raise the :class:`~kg.errors.QueryRefusedError` for ``SERVICE``, ``FROM`` or an update."""
    if what in REFUSALS:
        raise QueryRefusedError(REFUSALS[what])
    raise QueryRefusedError(f"this endpoint is read-only: SPARQL Update ({what}) is not accepted")


def check_query(sparql: str, *, allow_service: bool = False) -> None:
    """Raise :class:`~kg.errors.QueryRefusedError` for an update, SERVICE or FROM."""
    words = keywords(sparql)
    update = sorted(words & UPDATE_KEYWORDS)
    if update:
        refuse(update[0])
    if "SERVICE" in words and not allow_service:
        refuse("SERVICE")
    if "FROM" in words:
        refuse("FROM")
