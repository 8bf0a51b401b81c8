"""SPARQL over the graph: run a query with bound values, format the results."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import XSD, Graph, Literal
from rdflib.term import Node

from kg.errors import QueryError
from kg.rdf.namespace import PREFIXES, queries_dir
from kg.sparql.bindings import bind_text

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT, a boolean of an ASK, or a graph of a CONSTRUCT/DESCRIBE."""

    kind: str  # "SELECT", "ASK", "CONSTRUCT" or "DESCRIBE"
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None

    def __len__(self) -> int:
        return len(self.rows) if self.graph is None else len(self.graph)

    def serialize(self, format: str = "table") -> str:
        """The result as text: ``table``, ``json``, ``xml``, ``csv`` or ``tsv`` (SPARQL 1.1
        result formats); a CONSTRUCT graph as ``turtle``, ``ntriples``, ``jsonld`` or ``rdfxml``."""
        from kg.sparql.results import write

        return write(self, format)

    def __repr__(self) -> str:
        if self.kind == "ASK":
            return f"<QueryResult ASK {self.boolean}>"
        if self.graph is not None:
            return f"<QueryResult {self.kind}: {len(self.graph)} triples>"
        return f"<QueryResult SELECT: {len(self.rows)} rows of {', '.join(self.variables)}>"

    def __iter__(self) -> Iterator[Any]:
        """Rows as named tuples of Python values (``row.name``); see :mod:`kg.sparql.display`."""
        from kg.sparql.display import iter_rows

        return iter_rows(self)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of the rows (needs the ``dataframe`` extra)."""
        from kg.sparql.display import to_dataframe

        return to_dataframe(self)

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter (every value escaped)."""
        from kg.sparql.display import to_html

        return to_html(self)

    def dicts(self) -> list[dict[str, str | None]]:
        """Rows as dicts of plain strings (None for unbound)."""
        return [
            {v: (None if n is None else str(n)) for v, n in zip(self.variables, row)}
            for row in self.rows
        ]


def prefix_header() -> str:
    """PREFIX lines for the project's namespaces, prepended to user queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def _with_prefixes(sparql: str) -> str:
    declared = {
        line.split()[1].rstrip(":").lower()
        for line in sparql.splitlines()
        if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1
    }
    header = "".join(
        f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p.lower() not in declared
    )
    return header + sparql


def to_node(value: object) -> Node:
    """A Python value as an RDF term: IRIs stay IRIs, everything else a literal."""
    if isinstance(value, Node):
        return value
    return Literal(value)


def run_query(
    graph: Graph,
    sparql: str,
    bindings: Mapping[str, object] | None = None,
    *,
    allow_service: bool = False,
    execute: Callable[[str], QueryResult] | None = None,
) -> QueryResult:
    """Run SPARQL on ``graph``; values in ``bindings`` are bound, never pasted into the text.

    FROM/FROM NAMED (rdflib would read any file or URL named there) and SERVICE (a
    request to another endpoint) are refused; ``allow_service`` permits SERVICE.
    ``execute`` runs the final text on an engine of the store's own instead of
    ``graph.query`` (the Oxigraph store's native path).

    >>> run_query(g, "SELECT ?e WHERE { ?e rdfs:label ?name }", {"name": "Joe Biden"})  # doctest: +SKIP
    """
    from pyparsing import ParseException

    from kg.sparql.guard import check_query

    check_query(sparql, allow_service=allow_service)

    init = {k: to_node(v) for k, v in (bindings or {}).items()}
    if execute is not None or not _evaluated_by_rdflib(graph):
        sparql, init = bind_text(sparql, init), {}
    text = _with_prefixes(sparql)
    try:
        if execute is not None:
            return execute(text)
        prepared = _prepared(graph, text, allow_service=allow_service)
        return _materialize(graph.query(prepared, initBindings=init))  # type: ignore[arg-type]
    except ParseException as exc:
        header_lines = text.count("\n") - sparql.count("\n")
        raise QueryError(
            f"SPARQL syntax error at line {exc.lineno - header_lines}, column {exc.col}: {exc.msg}"
        ) from exc
    except QueryError:
        raise
    except Exception as exc:  # rdflib raises many kinds on bad queries, some while iterating
        located = _OXIGRAPH_SYNTAX.match(str(exc))
        if located:  # Oxigraph's parser: "error at LINE:COLUMN: message"
            header_lines = text.count("\n") - sparql.count("\n")
            line, column, message = int(located[1]) - header_lines, located[2], located[3]
            raise QueryError(
                f"SPARQL syntax error at line {line}, column {column}: {message}"
            ) from exc
        unknown = _UNKNOWN_PREFIX.fullmatch(str(exc))
        if unknown:
            raise QueryError(_unknown_prefix(sparql, unknown.group(1))) from exc
        raise QueryError(f"SPARQL query failed: {exc.__class__.__name__}: {exc}") from exc


_OXIGRAPH_SYNTAX = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)
_UNKNOWN_PREFIX = re.compile(r"Unknown namespace prefix : (\S*)")


def _unknown_prefix(sparql: str, prefix: str) -> str:
    """A message for an undeclared prefix: where it is first used, and the predeclared ones."""
    prefix = "" if prefix == "None" else prefix  # rdflib's name for the empty prefix
    found = re.search(rf"(?<![\w:.-]){re.escape(prefix)}:", sparql) if prefix else None
    where = ""
    if found:
        line = sparql.count("\n", 0, found.start()) + 1
        column = found.start() - (sparql.rfind("\n", 0, found.start()) + 1) + 1
        where = f" at line {line}, column {column}"
    return (
        f"SPARQL error{where}: unknown prefix {prefix + ':'!r}; declare it with PREFIX "
        f"(predeclared: {', '.join(PREFIXES)})"
    )


def _prepared(graph: Graph, text: str, *, allow_service: bool) -> str | Query:
    """What to hand ``graph.query``: for rdflib's own engine, the parsed query, checked.

    The lexical check (:mod:`kg.sparql.guard`) holds for any engine; when rdflib
    evaluates the query itself (its in-memory stores), the parse tree is checked as well, so no reading of the text can slip a FROM (which rdflib
    would load from a file or URL) or a SERVICE past both. The query is parsed once.
    """
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    if not _evaluated_by_rdflib(graph):
        return text  # a store with an engine of its own (Oxigraph, a remote endpoint)
    parsed = parseQuery(text)
    _refuse_parsed(parsed, allow_service=allow_service)
    return translateQuery(parsed, initNs=dict(graph.namespaces()))


def _evaluated_by_rdflib(graph: Graph) -> bool:
    """Whether rdflib's own engine runs queries on ``graph`` (its in-memory stores)."""
    from rdflib.plugins.stores.memory import Memory, SimpleMemory

    return isinstance(graph.store, (Memory, SimpleMemory))


def _refuse_parsed(node: object, *, allow_service: bool) -> None:
    """Raise QueryRefusedError when rdflib's parse tree holds FROM or SERVICE."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    from kg.sparql.guard import refuse

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if dict.get(item, "datasetClause"):
                refuse("FROM")
            if item.name == "ServiceGraphPattern" and not allow_service:
                refuse("SERVICE")
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, ParseResults)):
            stack.extend(item)


def _materialize(result) -> QueryResult:  # type: ignore[no-untyped-def]
    """Read a lazy rdflib result fully (errors surface here, inside run_query's guard)."""
    kind = result.type
    if kind == "SELECT":
        variables = tuple(str(v) for v in result.vars)
        return QueryResult(kind, variables, tuple(tuple(map(plain, row)) for row in result))
    if kind == "ASK":
        return QueryResult(kind, boolean=bool(result.askAnswer))
    return QueryResult(kind, graph=graph_of(result))


def graph_of(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """A CONSTRUCT/DESCRIBE result as a Graph with the project's prefixes bound."""
    constructed = Graph()
    for triple in triples:
        constructed.add(triple)
    for prefix, iri in PREFIXES.items():
        constructed.bind(prefix, iri)
    return constructed


def plain(node: Node | None) -> Node | None:
    """``"x"^^xsd:string`` as ``"x"``: the same literal in RDF 1.1 (Oxigraph returns the former)."""
    if isinstance(node, Literal) and node.datatype == XSD.string:
        return Literal(str(node))
    return node


def read_query_file(path: str | Path) -> str:
    """The text of a ``.rq`` file, or a QueryError naming it."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"{path}: cannot read query file: {exc.strerror or exc}") from exc


def example_queries() -> dict[str, str]:
    """The example queries shipped in ``ontology/queries/``, by file stem."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(queries_dir().glob("*.rq"))}
