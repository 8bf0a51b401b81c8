"""`kg query`: run SPARQL on a graph file."""

from __future__ import annotations

import sys
from pathlib import Path

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
from kg.errors import QueryError


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
    format: str = typer.Option(
        "table",
        "--format",
        help="table, json, xml, csv or tsv (SPARQL 1.1 result formats); CONSTRUCT/DESCRIBE: turtle, ntriples, jsonld or rdfxml",
    ),
) -> None:
    """Run a SPARQL query on a graph.

    Example: kg query graph.ttl "SELECT ?p ?r WHERE { ?p kg:role ?r }"
    """
    from kg.sparql.results import GRAPH_FORMATS, RESULT_FORMATS, write
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
    result = open_graph(graph, store, endpoint, server_kind=server_kind).query(text)
    text = write(result, format)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
