"""`kg stats` and `kg entities`: what a graph holds."""

from __future__ import annotations

import json

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


@handle_errors
def stats(
    graph: GraphArgument = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    server_kind: ServerKindOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Count entities per type and facts per relation.

    Example: kg stats graph.ttl
    """
    counts = open_graph(graph, store, endpoint, server_kind=server_kind).stats()
    if as_json:
        stdout.print(json.dumps(counts, indent=2), markup=False)
        return
    lines = []
    for section, table in counts.items():
        lines.append(f"{section}:")
        lines += [f"  {name:24} {count:>7}" for name, count in table.items()]
    stdout.print("\n".join(lines), markup=False)


@handle_errors
def entities(
    graph: GraphArgument = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    server_kind: ServerKindOption = None,
    type: str | None = typer.Option(
        None, "--type", "-t", help="Person, Organization, Location, Event, Date or Quote"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """List entities with their aliases and roles.

    Example: kg entities graph.ttl --type Person
    """
    found = open_graph(graph, store, endpoint, server_kind=server_kind).entities(type=type)
    if as_json:
        stdout.print(
            json.dumps([e.__dict__ for e in found], indent=2, ensure_ascii=False), markup=False
        )
        return
    lines = []
    for e in found:
        extra = []
        if e.aliases:
            extra.append("aka " + ", ".join(e.aliases))
        if e.roles:
            extra.append("role " + ", ".join(e.roles))
        suffix = f"  ({'; '.join(extra)})" if extra else ""
        lines.append(f"{e.type:13} {e.label}{suffix}")
    if lines:  # one write: a line at a time, the console took longer than the read
        stdout.print("\n".join(lines), markup=False)
