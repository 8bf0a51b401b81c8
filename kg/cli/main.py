"""The `kg` command: one module per command, each a thin wrapper over the Python API."""

from __future__ import annotations

import typer

from kg import __version__
from kg.cli import build, curate, query, remove, stats, viz
from kg.cli import eval as eval_cmd
from kg.cli import export as export_cmd
from kg.cli import serve as serve_cmd

app = typer.Typer(
    name="kg",
    help="Turn documents into a knowledge graph: entities, relations, events, dates and quotes as RDF with provenance.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("build")(build.build)
app.command("remove")(remove.remove)
app.command("query")(query.query)
app.command("viz")(viz.viz)
app.command("stats")(stats.stats)
app.command("entities")(stats.entities)
app.command("serve")(serve_cmd.serve)
app.command("export")(export_cmd.export)
app.command("eval")(eval_cmd.evaluate)
app.add_typer(curate.app, name="curate")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kg {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version"
    ),
) -> None:
    """kg: documents → knowledge graph."""


def main() -> None:
    app()


if __name__ == "__main__":
    main()
