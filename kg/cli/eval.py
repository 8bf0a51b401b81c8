"""`kg eval`: score our pipeline and the raw-spaCy baseline on a public gold set."""

from __future__ import annotations

from dataclasses import replace
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
    min_confidence: float = typer.Option(
        0.0, "--min-confidence", min=0.0, max=1.0, help="Drop facts less confident than this"
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
    from kg.evaluation import Options, dataset_names
    from kg.evaluation.datasets import evaluator
    from kg.evaluation.report import (
        format_errors,
        format_report,
        markdown_summary,
        markdown_table,
        write_json,
    )

    options = Options(
        split=split,
        limit=limit,
        data=data,
        model=model,
        min_confidence=min_confidence,
        baseline_ner=baseline_ner,
        examples=max(errors, 10),
    )
    names = dataset_names() if dataset.lower() == "all" else [dataset]
    if len(names) > 1 and data is not None:
        warning("--data names one data set's folder; it is ignored with 'all'")
        options = replace(options, data=None)
    functions = [evaluator(name) for name in names]  # unknown names fail before any work
    reports = []
    for function in functions:
        report = function(options)
        reports.append(report)
        stdout.print(format_report(report), markup=False)
        if calibration and report.get("calibration"):
            from kg.evaluation.news_calibration import format_calibration

            stdout.print("\n" + format_calibration(report), markup=False)
        if errors:
            stdout.print(format_errors(report, examples=errors), markup=False)
        if markdown:
            tables = [markdown_table(t) for t in report.get("tables", [])]
            stdout.print("\n\n".join(t for t in tables if t), markup=False)
        stdout.print("", markup=False)
    if len(reports) > 1 or markdown:
        stdout.print(markdown_summary(reports), markup=False)
    if json_out is not None:
        write_json(reports[0] if len(reports) == 1 else {"reports": reports}, json_out)
