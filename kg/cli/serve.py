"""`kg serve`: the explorer, the query page and a SPARQL endpoint for a graph."""

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
    warning,
)


@handle_errors
def serve(
    graph: GraphArgument = None,
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    server_kind: ServerKindOption = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (default: this machine only)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", help="Port (0: any free port)")] = 8000,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a query may run")] = 15.0,
    max_results: Annotated[
        int, typer.Option("--max-results", help="Most rows (or triples) a query may return")
    ] = 50_000,
    max_memory: Annotated[
        int, typer.Option("--max-memory", help="MB of memory a query may take before it is stopped")
    ] = 1024,
    allow_service: Annotated[
        bool, typer.Option("--allow-service", help="Let SPARQL SERVICE fetch other endpoints")
    ] = False,
    title: Annotated[
        str | None, typer.Option("--title", help="Title of the pages (default: the graph's name)")
    ] = None,
    edit: Annotated[
        bool,
        typer.Option(
            "--edit",
            help="Let the explorer curate the graph (merge, rename, reject... with undo); a graph file (.trig/.nq) is rewritten after each decision",
        ),
    ] = False,
) -> None:
    """Serve a graph: explorer at /, query page at /query, SPARQL endpoint at /sparql.

    Example: kg serve graph.ttl --port 8000
    """
    from kg.errors import KGError
    from kg.serve.app import (
        ServeConfig,
        allowed_hosts_for,
        bind_socket,
        create_app,
        is_loopback,
        serve_forever,
        url_for,
    )
    from kg.serve.runner import Limits

    if timeout <= 0 or max_results < 1 or max_memory < 1:
        raise KGError("--timeout must be above 0, --max-results and --max-memory at least 1")
    name = str(graph or store or endpoint)
    save_to = _edited_file(graph) if edit else None
    console.print(f"kg: loading {name}", markup=False)
    knowledge = open_graph(graph, store, endpoint, server_kind=server_kind)
    config = ServeConfig(
        title=title or Path(name.rstrip("/")).name or name,
        limits=Limits(timeout=timeout, max_results=max_results, max_memory_mb=max_memory),
        allow_service=allow_service,
        allowed_hosts=allowed_hosts_for(host),
        edit=edit,
        save_to=save_to,
    )
    app = create_app(knowledge, config)
    sock = bind_socket(host, port)
    if not is_loopback(host):
        warning(f"listening on {host}: anyone who can reach this machine can query the graph")
    url = url_for(sock)
    if edit:
        warning(f"--edit: the explorer at {url} changes the graph (decisions are kept in it)")
    console.print(
        f"kg: serving {name} at {url} (SPARQL endpoint {url}sparql); Ctrl+C to stop",
        markup=False,
    )
    serve_forever(app, sock)


def _edited_file(graph: Path | None) -> Path | None:
    """The graph file ``--edit`` rewrites (None for a store); it must keep named graphs."""
    from kg.errors import CurationError
    from kg.rdf.files import QUAD_FORMATS, format_for
    from kg.storage.oxigraph import is_store_directory

    if graph is None or graph.is_dir() or is_store_directory(graph):
        return None
    if format_for(graph) not in QUAD_FORMATS:
        raise CurationError(
            f"{graph}: --edit needs the named graphs of a .trig or .nq file, or a store "
            "(build with -o graph.trig)"
        )
    return graph
