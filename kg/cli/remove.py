"""`kg remove`: delete documents (their facts, and entities nothing else mentions)."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.common import (
    EXIT_PARTIAL,
    EndpointOption,
    ServerKindOption,
    StoreOption,
    UpdateEndpointOption,
    console,
    handle_errors,
    open_graph,
    warning,
)


@handle_errors
def remove(
    doc_ids: list[str] = typer.Argument(
        ..., help="Document ids (kg query --example documents lists them)"
    ),
    graph: Path | None = typer.Option(
        None, "--graph", "-g", help="A graph file to rewrite in place", readable=False
    ),
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    server_kind: ServerKindOption = None,
    update_endpoint: UpdateEndpointOption = None,
) -> None:
    """Remove documents from a store (or a graph file) with every fact they alone supported.

    Example: kg remove 2dfcaf3459f35d4d --store kg-store/
    """
    knowledge = open_graph(
        graph, store, endpoint, update_endpoint, write=True, server_kind=server_kind
    )
    try:
        known = set(knowledge.document_ids())
        missing = [i for i in doc_ids if i not in known]
        removed = knowledge.remove_documents([i for i in doc_ids if i in known])
        if graph is not None and removed and not graph.is_dir():
            knowledge.save(graph)
        for doc_id in missing:
            warning(f"{doc_id}: no such document in {graph or store or endpoint}")
        for message in knowledge.builder.not_applying:
            warning(message)
        console.print(
            f"kg: removed {removed} document(s); {knowledge.entity_count()} entities, {len(knowledge)} triples left",
            markup=False,
        )
    finally:
        knowledge.close()
    if missing:
        raise typer.Exit(EXIT_PARTIAL)
