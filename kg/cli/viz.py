"""`kg viz`: write the interactive HTML network of a graph file."""

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


@handle_errors
def viz(
    graph: GraphArgument = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    server_kind: ServerKindOption = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write")] = Path(
        "graph.html"
    ),
    title: Annotated[str, typer.Option("--title", help="Page title")] = "Knowledge graph",
    physics: Annotated[
        bool, typer.Option("--physics/--no-physics", help="Lay the network out with physics")
    ] = True,
    top: Annotated[
        int | None, typer.Option("--top", help="Keep only the N most central entities (see --rank)")
    ] = None,
    rank: Annotated[
        str, typer.Option("--rank", help="Centrality for --top and reduction: pagerank or degree")
    ] = "pagerank",
    focus: Annotated[
        list[str] | None,
        typer.Option(
            "--focus", help="Draw this entity's neighbourhood (label, alias or IRI; repeatable)"
        ),
    ] = None,
    hops: Annotated[int, typer.Option("--hops", help="How many facts away from --focus to go")] = 1,
    types: Annotated[
        str | None, typer.Option("--types", help="Entity types to keep, e.g. Person,Organization")
    ] = None,
    relations: Annotated[
        str | None, typer.Option("--relations", help="Relations to keep, e.g. leaderOf,meet")
    ] = None,
    max_nodes: Annotated[
        int,
        typer.Option(
            "--max-nodes", help="Larger graphs are reduced to their most central entities"
        ),
    ] = 300,
    quotes: Annotated[
        bool,
        typer.Option("--quotes", help="Draw quotes as nodes (default: listed on their speakers)"),
    ] = False,
    isolated: Annotated[
        bool, typer.Option("--isolated", help="Also draw entities that have no fact")
    ] = False,
    everything: Annotated[
        bool, typer.Option("--all", help="Draw every entity, however large the graph")
    ] = False,
) -> None:
    """Write an interactive network (works offline, no CDN) for a graph.

    Graphs over --max-nodes entities are reduced to the most central ones (PageRank),
    with a note on the page saying what was left out. Quotes are listed on their
    speakers and entities without facts are hidden unless asked (--quotes, --isolated).

    Example: kg viz graph.ttl -o graph.html --focus "Jens Stoltenberg" --hops 2
    """
    view = {
        "top": top,
        "rank": rank,
        "focus": focus or None,
        "hops": hops,
        "types": _split(types),
        "relations": _split(relations),
        "max_nodes": None if everything else max_nodes,
        "quotes": quotes or everything,
        "isolated": isolated or everything,
    }
    written = open_graph(graph, store, endpoint, server_kind=server_kind).to_html(
        output, title=title, physics=physics, **view
    )
    console.print(f"kg: wrote {written}", markup=False)


def _split(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None
