"""What every command shares: the console, one-line errors, exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from typer.exceptions import TyperException

from kg.errors import KGError, ParameterError

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes: 0 success, 1 fatal error, 2 usage error (typer), 3 finished with failed documents.
EXIT_ERROR = 1
EXIT_PARTIAL = 3

console = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False, soft_wrap=True)


def error(message: str) -> None:
    """Print ``kg: error: message`` on stderr (one line, no markup)."""
    console.print(f"kg: error: {_one_line(message)}", markup=False)


def warning(message: str) -> None:
    console.print(f"kg: warning: {_one_line(message)}", markup=False)


def _one_line(message: str) -> str:
    return " ".join(str(message).split())


def handle_errors(function: F) -> F:
    """Turn our exceptions into a one-line message and exit code 1, never a traceback.

    Any other exception is a bug in kg: it gets one line too (``KG_DEBUG=1`` re-raises it).
    """

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ParameterError as exc:
            error(f"--{exc.parameter.replace('_', '-')} {exc.value}: {exc.problem}")
            raise typer.Exit(EXIT_ERROR) from None
        except KGError as exc:
            error(str(exc))
            raise typer.Exit(EXIT_ERROR) from None
        except KeyboardInterrupt:
            error("interrupted")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(EXIT_ERROR) from None
        except (typer.Exit, typer.Abort, TyperException):
            raise
        except Exception as exc:  # a bug: still one line; KG_DEBUG=1 shows the traceback
            if os.environ.get("KG_DEBUG"):
                raise
            error(
                f"unexpected error (a bug in kg; KG_DEBUG=1 shows where): {type(exc).__name__}: {exc}"
            )
            raise typer.Exit(EXIT_ERROR) from None

    return wrapper  # type: ignore[return-value]


GraphArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Graph file (.ttl .nt .nq .trig .jsonld) or store directory; or use --store / --sparql-endpoint",
        readable=False,
        show_default=False,
    ),
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store", help="On-disk store directory (Oxigraph), kept across builds", readable=False
    ),
]
EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--sparql-endpoint",
        help="Remote store: SPARQL 1.1 query endpoint URL (Oxigraph server, Fuseki...)",
    ),
]
UpdateEndpointOption = Annotated[
    str | None,
    typer.Option(
        "--update-endpoint",
        help="Its SPARQL Update URL (default: .../query → .../update, else the same URL)",
    ),
]
ServerKindOption = Annotated[
    str | None,
    typer.Option(
        "--server-kind",
        help="The --sparql-endpoint server: virtuoso, oxigraph, fuseki or generic (default: from its headers)",
        show_default=False,
    ),
]


def open_graph(
    graph: Path | None = None,
    store: Path | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    *,
    create: bool = False,
    write: bool = False,
    server_kind: str | None = None,
    **options: Any,
) -> KnowledgeGraph:
    """The graph a command names: a file, a store directory (``--store``) or an endpoint.

    A store is opened for reading (its newest snapshot, so a build may run beside)
    unless the command writes (``create`` or ``write``).
    """
    from kg.graph import KnowledgeGraph
    from kg.storage.oxigraph import is_store_directory

    given = [x for x in (graph, store, endpoint) if x is not None]
    if len(given) != 1:
        raise KGError("name one graph: a graph file, --store DIR or --sparql-endpoint URL")
    if server_kind is not None and endpoint is None:
        raise ParameterError("server_kind", server_kind, "goes with --sparql-endpoint")
    if endpoint is not None:
        return KnowledgeGraph.connect(
            endpoint, update_url=update_endpoint, server_kind=server_kind, **options
        )
    read_only = not (create or write)
    if store is not None:
        return KnowledgeGraph.open(store, create=create, read_only=read_only, **options)
    assert graph is not None
    if is_store_directory(graph):
        return KnowledgeGraph.open(graph, create=False, read_only=read_only, **options)
    return KnowledgeGraph.load(graph, **options)
