"""Query results in Python and notebooks: rows as named tuples, DataFrames, HTML tables.

    >>> for row in graph.query("SELECT ?name WHERE { ?p rdfs:label ?name }"):  # doctest: +SKIP
    ...     print(row.name)
    >>> graph.query("...").to_dataframe()                                       # doctest: +SKIP

Values are Python values where RDF says what they are (numbers, booleans, dates from
typed literals), IRIs and other literals are strings, unbound is None. HTML escapes
every value (Jupyter shows ``_repr_html_`` as markup).
"""

from __future__ import annotations

import html
import keyword
from collections import namedtuple
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kg.errors import MissingExtraError

if TYPE_CHECKING:
    from rdflib.term import Node

    from kg.sparql.run import QueryResult

#: Rows shown in a notebook's HTML table (the rest are counted below it).
HTML_ROWS = 50


def python_value(node: Node | None) -> Any:
    """A term as a plain Python value: typed literals converted, the rest as text."""
    from rdflib import Literal

    if node is None:
        return None
    if isinstance(node, Literal):
        value = node.toPython()
        return value if not isinstance(value, Literal) else str(node)
    return str(node)


def row_type(variables: tuple[str, ...]) -> type:
    """A named tuple class with a field per variable (renamed when not an identifier)."""
    names = [
        v if v.isidentifier() and not keyword.iskeyword(v) else f"_{i}"
        for i, v in enumerate(variables)
    ]
    return namedtuple("Row", names, rename=True)


def iter_rows(result: QueryResult) -> Iterator[Any]:
    """SELECT rows as named tuples of Python values; CONSTRUCT triples; ASK its boolean."""
    if result.graph is not None:
        yield from result.graph
        return
    if result.kind == "ASK":
        yield result.boolean
        return
    Row = row_type(result.variables)
    for row in result.rows:
        yield Row(*(python_value(node) for node in row))


def to_dataframe(result: QueryResult) -> Any:
    """A pandas DataFrame: one column per variable (CONSTRUCT: subject, predicate, object)."""
    try:
        import pandas
    except ImportError as exc:
        raise MissingExtraError("to_dataframe()", "dataframe", "pandas") from exc
    if result.graph is not None:
        rows = [tuple(str(term) for term in triple) for triple in result.graph]
        return pandas.DataFrame(rows, columns=["subject", "predicate", "object"])
    if result.kind == "ASK":
        return pandas.DataFrame({"boolean": [result.boolean]})
    return pandas.DataFrame(
        [[python_value(node) for node in row] for row in result.rows],
        columns=list(result.variables),
    )


def to_html(result: QueryResult, max_rows: int = HTML_ROWS) -> str:
    """An HTML table of the first ``max_rows`` rows, every value escaped."""
    if result.kind == "ASK":
        return f"<p><strong>ASK</strong>: {html.escape(str(result.boolean).lower())}</p>"
    if result.graph is not None:
        header: tuple[str, ...] = ("subject", "predicate", "object")
        rows = [tuple(str(t) for t in triple) for triple in list(result.graph)[:max_rows]]
        total = len(result.graph)
    else:
        header = result.variables
        rows = [tuple("" if n is None else str(n) for n in row) for row in result.rows[:max_rows]]
        total = len(result.rows)
    head = "".join(f"<th>{html.escape(name)}</th>" for name in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(value)}</td>" for value in row) + "</tr>"
        for row in rows
    )
    more = (
        f"<p>{total - len(rows):,} more rows ({total:,} in all).</p>" if total > len(rows) else ""
    )
    return (
        f'<table class="kg-result"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        f"{more}"
    )
