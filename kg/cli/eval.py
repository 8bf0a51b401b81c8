"""`kg eval`: score our pipeline and the raw-spaCy baseline on a public gold set."""

from __future__ import annotations

from pathlib import Path

import typer

from kg.cli.common import handle_errors, stdout, warning


@handle_errors
def evaluate(
    dataset: str = typer.Argument(
        ..., help="conll2003, crossner, conll04, redocred, timebank, or all of them: all"
    ),
    split: str = typer.Option("dev", "--split", help="dev (default) or train; timebank: held-out"),
    limit: int | None = typer.Option(
        None, "--limit", min=1, help="Score only the first N documents"
    ),
    json_out: Path | None = typer.Option(None, "--json", help="Also write the report as JSON here"),
    model: str | None = typer.Option(None, "--model", help="spaCy model (default: en_core_web_sm)"),
    min_confidence: float | None = typer.Option(
        None,
        "--min-confidence",
        min=0.0,
        max=1.0,
        help="Drop facts less confident than this (default: news 0.5 as kg build; others 0)",
    ),
    data: Path | None = typer.Option(
        None, "--data", help="The data set's folder (default: $KG_SHARED_DATA/<data set>)"
    ),
    baseline_ner: str = typer.Option(
        "stock", "--baseline-ner", help="Baseline NER weights: stock (spaCy's) or finetuned (ours)"
    ),
    errors: int = typer.Option(3, "--errors", min=0, help="Error examples printed per class"),
    markdown: bool = typer.Option(False, "--markdown", help="Also print Markdown tables"),
    calibration: bool = typer.Option(
        False,
        "--calibration",
        help="news: also print the facts' confidence reliability table and ECE",
    ),
) -> None:
    """Print precision, recall and F1 of our pipeline beside a raw-spaCy baseline.

    Example: kg eval conll04 --limit 50 --json conll04.json
    """
    from kg.evaluation import Options
    from kg.evaluation.console import run_and_print

    options = Options(
        split=split,
        limit=limit,
        data=data,
        model=model,
        min_confidence=min_confidence,
        baseline_ner=baseline_ner,
        examples=max(errors, 10),
    )
    run_and_print(
        [dataset],
        options,
        print_line=lambda text: stdout.print(text, markup=False),
        warn=warning,
        errors=errors,
        markdown=markdown,
        calibration=calibration,
        json_out=json_out,
    )
