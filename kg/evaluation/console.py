"""Run evaluations and print their reports: what ``kg eval`` and ``python -m kg.evaluation`` do.

>>> run_and_print(["conll04"], Options(limit=20), print_line=print)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from kg.evaluation.datasets import dataset_names, evaluator
from kg.evaluation.options import Options
from kg.evaluation.report import (
    format_errors,
    format_report,
    markdown_summary,
    markdown_table,
    write_json,
)


def run_and_print(
    names: Sequence[str],
    options: Options,
    *,
    print_line: Callable[[str], None],
    warn: Callable[[str], None] = print,
    errors: int = 3,
    markdown: bool = False,
    calibration: bool = False,
    json_out: Path | None = None,
) -> list[dict]:
    """Evaluate each data set (``all`` for every one), print the reports, write JSON if asked."""
    if [n.lower() for n in names] == ["all"]:
        names = dataset_names()
        if options.data is not None:
            warn("data names one data set's folder; it is ignored with 'all'")
            options = replace(options, data=None)
    functions = [evaluator(name) for name in names]  # unknown names fail before any work
    reports = []
    for function in functions:
        report = function(options)
        reports.append(report)
        print_line(format_report(report))
        if calibration and report.get("calibration"):
            from kg.evaluation.news_calibration import format_calibration

            print_line("\n" + format_calibration(report))
        if errors:
            print_line(format_errors(report, examples=errors))
        if markdown:
            tables = [markdown_table(t) for t in report.get("tables", [])]
            print_line("\n\n".join(t for t in tables if t))
        print_line("")
    if len(reports) > 1 or markdown:
        print_line(markdown_summary(reports))
    if json_out is not None:
        write_json(reports[0] if len(reports) == 1 else {"reports": reports}, json_out)
    return reports
