"""`kg export`: a graph in the formats other tools read (Gephi, Cytoscape, Neo4j, JSON-LD)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.common import (
    EndpointOption,
    GraphArgument,
    ServerKindOption,
    StoreOption,
    console,
    handle_errors,
    open_graph,
)

#: What the output is called next to the graph file when -o is not given.
DEFAULT_SUFFIXES = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "csv": "-neo4j",
    "cypher": ".cypher",
    "jsonld": ".jsonld",
}


@handle_errors
def export(
    graph: GraphArgument = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    server_kind: ServerKindOption = None,
    format: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="graphml, gexf, csv (neo4j-admin import), cypher or jsonld"
        ),
    ] = "graphml",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (csv: a directory); default: beside GRAPH"
        ),
    ] = None,
) -> None:
    """Export a graph for Gephi/Cytoscape (GraphML, GEXF), Neo4j (CSV, Cypher) or JSON-LD tools.

    Example: kg export graph.ttl --format graphml -o graph.graphml
    """
    from kg.errors import FormatError
    from kg.exporters import EXPORTERS
    from kg.exporters import export as write

    if format not in EXPORTERS:
        raise FormatError(f"unknown export format {format!r} (valid: {', '.join(EXPORTERS)})")
    knowledge = open_graph(graph, store, endpoint, server_kind=server_kind)
    if output is not None:
        target = output
    elif graph is not None and not graph.is_dir():
        target = graph.with_name(graph.stem + DEFAULT_SUFFIXES[format])
    else:
        target = Path("graph" + DEFAULT_SUFFIXES[format])
    written = write(knowledge, target, format)
    console.print(f"kg: wrote {', '.join(str(p) for p in written)}", markup=False)
    if format == "csv":
        from kg.exporters.neo4j_csv import IMPORT_COMMAND

        console.print(f"kg: import with: cd {target} && {IMPORT_COMMAND}", markup=False)
