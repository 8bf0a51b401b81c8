"""What every command shares: the console, one-line errors, exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from typer.exceptions import TyperException

from kg.errors import KGError

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


def load_graph(path: Path):  # type: ignore[no-untyped-def]
    """Open a graph file as a KnowledgeGraph (errors name the file)."""
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.load(path)
