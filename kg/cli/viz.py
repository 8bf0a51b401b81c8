"""`kg viz`: write the interactive HTML network of a graph file."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.common import console, handle_errors, load_graph


@handle_errors
def viz(
    graph: Path = typer.Argument(..., help="Graph file (.ttl .nt .nq .trig .jsonld)"),
    output: Path = typer.Option(Path("graph.html"), "--output", "-o", help="HTML file to write"),
    title: str = typer.Option("Knowledge graph", "--title", help="Page title"),
    physics: bool = typer.Option(True, "--physics/--no-physics", help="Lay the network out with physics"),
) -> None:
    """Write an interactive network (works offline, no CDN) for a graph.

    Example: kg viz graph.ttl -o graph.html
    """
    written = load_graph(graph).to_html(output, title=title, physics=physics)
    console.print(f"kg: wrote {written}", markup=False)
