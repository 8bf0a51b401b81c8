"""The build's progress bar: documents done of the total counted first, rate, time left.

The total is counted before parsing (:func:`kg.documents.count_documents`), so the bar
has an end from the start; the rate and the time left are shown from the first
document on (documents done over the time since the bar started, model loading
included, so the first estimate errs on the long side). Nothing is drawn when quiet or
when the console is not a terminal.

    >>> with BuildProgress(console, total=100) as advance:   # doctest: +SKIP
    ...     advance(1)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Task
    from rich.text import Text


def _columns() -> list[Any]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Documents per second since the bar started."""

        def render(self, task: Task) -> Text:
            rate = _rate(task)
            return Text(f"{rate:.1f} docs/s" if rate else "–– docs/s", style="progress.data.speed")

    class LeftColumn(ProgressColumn):
        """Time left at the rate so far."""

        def render(self, task: Task) -> Text:
            rate = _rate(task)
            if not rate or task.total is None:
                return Text("ETA ––:––", style="progress.remaining")
            left = max(task.total - task.completed, 0) / rate
            return Text(f"ETA {_clock(left)}", style="progress.remaining")

    return [
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("documents"),
        RateColumn(),
        LeftColumn(),
        TextColumn("elapsed"),
        TimeElapsedColumn(),
    ]


def _rate(task: Task) -> float | None:
    started = task.fields.get("started")
    if not task.completed or started is None:
        return None
    elapsed = time.monotonic() - started
    return task.completed / elapsed if elapsed > 0 else None


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class BuildProgress:
    """A context manager giving ``advance(n)``; a no-op when quiet or not on a terminal."""

    def __init__(self, console: Console, *, total: int | None, quiet: bool = False) -> None:
        self.console = console
        self.total = total
        self.quiet = quiet or not console.is_terminal
        self.bar: Any = None
        self.task: Any = None

    def __enter__(self) -> Callable[[int], None]:
        if self.quiet:
            return lambda n: None
        from rich.progress import Progress

        self.bar = Progress(*_columns(), console=self.console, transient=True)
        self.bar.__enter__()
        self.task = self.bar.add_task(
            "loading the model", total=self.total, started=time.monotonic()
        )
        return self.advance

    def advance(self, count: int) -> None:
        self.bar.update(self.task, advance=count, description="building")

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
