"""`kg query`: run SPARQL on a graph file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kg.cli.common import (
    EndpointOption,
    GraphArgument,
    ServerKindOption,
    StoreOption,
    handle_errors,
    open_graph,
    stdout,
)
from kg.errors import ParameterError, QueryError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph
    from kg.sparql.run import QueryResult


@handle_errors
def query(
    graph: GraphArgument = None,
    sparql: str | None = typer.Argument(
        None, help="The SPARQL query (prefixes kg:, rel:, rdfs:, skos:... are predeclared)"
    ),
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    server_kind: ServerKindOption = None,
    file: Path | None = typer.Option(
        None, "--file", "-f", help="Read the query from a .rq file", readable=False
    ),
    example: str | None = typer.Option(
        None, "--example", "-e", help="Run a shipped example query by name (see --list)"
    ),
    list_examples: bool = typer.Option(False, "--list", help="List the shipped example queries"),
    raw: bool = typer.Option(
        False, "--raw", help="Query the graph as extracted, without the curation decisions"
    ),
    format: str = typer.Option(
        "table",
        "--format",
        help="table, json, xml, csv or tsv (SPARQL 1.1 result formats); CONSTRUCT/DESCRIBE: turtle, ntriples, jsonld or rdfxml",
    ),
    timeout: float | None = typer.Option(
        None,
        "--timeout",
        help="Stop the query after this many seconds (it runs in a worker process that is killed)",
    ),
    max_memory: int | None = typer.Option(
        None,
        "--max-memory",
        help="Stop the query when it needs more than this many MB (with --timeout)",
    ),
) -> None:
    """Run a SPARQL query on a graph.

    Example: kg query graph.ttl "SELECT ?p ?r WHERE { ?p kg:role ?r }"
    """
    from kg.sparql.results import GRAPH_FORMATS, RESULT_FORMATS, encode, write
    from kg.sparql.run import example_queries, read_query_file

    examples = example_queries()
    if list_examples:
        for name, text in examples.items():
            summary = next(
                (line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")),
                "",
            )
            stdout.print(f"{name:20} {summary}", markup=False)
        return
    if format not in RESULT_FORMATS and format not in GRAPH_FORMATS:
        valid = ", ".join([*RESULT_FORMATS, *GRAPH_FORMATS])
        raise QueryError(f"unknown output format {format!r} (valid: {valid})")
    if timeout is not None and timeout <= 0:
        raise ParameterError("timeout", timeout, "give a number of seconds above 0")
    if max_memory is not None and (max_memory < 1 or timeout is None):
        raise ParameterError("max_memory", max_memory, "give MB above 0, with --timeout")
    if (store is not None or endpoint is not None) and graph is not None and sparql is None:
        graph, sparql = None, str(graph)  # kg query --store DIR "SELECT ..."
    given = [x for x in (sparql, file, example) if x is not None]
    if len(given) != 1:
        raise QueryError("give exactly one of: a query argument, --file or --example")
    if file is not None:
        text = read_query_file(file)
    elif example is not None:
        if example not in examples:
            raise QueryError(f"unknown example query {example!r} (valid: {', '.join(examples)})")
        text = examples[example]
    else:
        text = sparql or ""
    knowledge = open_graph(graph, store, endpoint, server_kind=server_kind)
    try:
        if raw:
            from kg.sparql.run import run_query

            result = run_query(knowledge.curate.raw_view(), text)
        else:
            result = _run(knowledge, text, timeout, max_memory)
    finally:
        knowledge.close()
    text = write(result, format)
    text = text if text.endswith("\n") else text + "\n"
    if format == "table":  # for people: a character UTF-8 cannot carry is shown escaped
        data = text.encode("utf-8", "backslashreplace")
    else:
        data = encode(text, format)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _run(
    knowledge: KnowledgeGraph, text: str, timeout: float | None, max_memory: int | None
) -> QueryResult:
    """The query's result; with a timeout, from a worker process killed at the limit."""
    if timeout is None:
        return knowledge.query(text)
    from kg.sparql.workers import Limits, QueryPool

    limits = Limits(timeout=timeout, max_results=2**62, max_memory_mb=max_memory)
    with QueryPool(knowledge.store, limits) as pool:
        return pool.query(text)
