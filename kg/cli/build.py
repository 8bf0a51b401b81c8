"""`kg build`: documents in, a graph file (and optionally an HTML network) out."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from kg.cli.common import (
    EXIT_ERROR,
    EXIT_PARTIAL,
    EndpointOption,
    ServerKindOption,
    StoreOption,
    UpdateEndpointOption,
    console,
    error,
    handle_errors,
    open_graph,
    warning,
)
from kg.errors import KGError
from kg.model import BUILD_MIN_CONFIDENCE


@handle_errors
def build(
    paths: list[str] = typer.Argument(
        ...,
        help="Files, directories (recursive) or glob patterns: .txt .md .html .jsonl .pdf .docx",
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Graph file; format from the extension: .ttl .nt .nq .trig .jsonld (default graph.ttl, or none with --store/--sparql-endpoint)",
    ),
    html: Path | None = typer.Option(
        None, "--html", help="Also write the interactive network to this HTML file"
    ),
    model: str | None = typer.Option(
        None,
        "--model",
        "-m",
        help="spaCy model name (default en_core_web_sm, then installed fallbacks)",
    ),
    date: str | None = typer.Option(
        None, "--date", help="Publication date (YYYY-MM-DD) for documents that carry none"
    ),
    extractors: str | None = typer.Option(
        None, "--extractors", help="Comma-separated extractor names (default: all)"
    ),
    strict: bool = typer.Option(
        False,
        "--strict",
        help="Any failed document is fatal: nothing is written (a store keeps the batches written before)",
    ),
    store: StoreOption = None,
    endpoint: EndpointOption = None,
    server_kind: ServerKindOption = None,
    update_endpoint: UpdateEndpointOption = None,
    workers: int = typer.Option(
        1, "--workers", "-w", help="Extract in N processes (same output as 1)"
    ),
    dask: str | None = typer.Option(
        None,
        "--dask",
        help="Extract on a Dask cluster: scheduler ADDRESS (tcp://host:8786) or 'local'",
    ),
    min_confidence: float = typer.Option(
        BUILD_MIN_CONFIDENCE,
        "--min-confidence",
        help="Leave out facts whose confidence is below this (0-1; 0 keeps every fact)",
    ),
    batch_size: int = typer.Option(
        256, "--batch-size", help="Documents resolved and written (atomically) together"
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="No progress bar (warnings and the summary still print)"
    ),
) -> None:
    """Build a knowledge graph from documents.

    Example: kg build seeds/ -o graph.ttl --html graph.html

    With --store DIR (or --sparql-endpoint URL) the graph is kept in a store and each
    build adds to it: unchanged documents are skipped, changed ones replaced.
    """
    from kg.atomic import check_writable
    from kg.documents.dates import parse_date_option
    from kg.rdf.files import format_for

    if output is None and store is None and endpoint is None:
        output = Path("graph.ttl")
    if output is not None:
        format_for(output)  # fail early on an unknown extension
    for target in (output, html):
        if target is not None:
            check_writable(target)  # before the model loads and the documents are parsed
    publication = _parse_date(date, parse_date_option)
    names = [n.strip() for n in extractors.split(",") if n.strip()] if extractors else None
    options: dict[str, Any] = dict(
        model=model,
        extractors=names,
        workers=workers,
        dask=dask,
        min_confidence=min_confidence,
        batch_size=batch_size,
    )
    if store is not None or endpoint is not None:
        graph = open_graph(
            None,
            store,
            endpoint,
            update_endpoint,
            create=True,
            write=True,
            server_kind=server_kind,
            **options,
        )
    else:
        from kg.graph import KnowledgeGraph
        from kg.storage.oxigraph import OxigraphStore

        # In memory, on Oxigraph: bulk writes behind parsing, fast queries and serialization.
        graph = KnowledgeGraph(store=OxigraphStore(None), **options)
    try:
        _build(graph, paths, output, html, publication, strict, quiet, store or endpoint)
    finally:
        graph.close()


def _build(graph, paths, output, html, publication, strict, quiet, where) -> None:  # noqa: ANN001
    """Add the documents, write the outputs, print the summary."""
    problems: list[str] = []

    def on_error(message: str) -> None:
        problems.append(message)
        warning(message)
        if strict:
            kept = "batches already written are kept" if where else "nothing written"
            raise KGError(f"{message} (--strict: stopping, {kept})")

    from kg.cli.progress import BuildProgress
    from kg.documents import count_documents

    total = None if quiet or not console.is_terminal else count_documents(paths)
    with BuildProgress(console, total=total, quiet=quiet) as advance:
        report = graph.add_documents(paths, date=publication, on_error=on_error, progress=advance)
    for message in report.not_applying:
        warning(message)
    if report.processed == 0 and report.unchanged == 0:
        error(f"no documents could be read from {', '.join(paths)}")
        raise typer.Exit(EXIT_ERROR)
    if output is not None:
        graph.save(output)
    if html is not None:
        graph.to_html(html)
    targets = ", ".join(str(t) for t in (where, output, html) if t is not None)
    console.print(
        f"kg: {report.processed} processed, {report.skipped} skipped, {report.failed} failed, "
        f"{report.unchanged} unchanged; {graph.entity_count()} entities, {len(graph)} triples → {targets}",
        markup=False,
    )
    if report.skipped_files:
        console.print(f"kg: skipped: {'; '.join(report.skipped_files)}", markup=False)
    if problems:
        raise typer.Exit(EXIT_PARTIAL)


def _parse_date(
    value: str | None, parser: Callable[[str], datetime.date | None]
) -> datetime.date | None:
    if value is None:
        return None
    parsed = parser(value)
    if parsed is None:
        raise KGError(f"--date {value!r}: not a date (use YYYY-MM-DD)")
    return parsed
