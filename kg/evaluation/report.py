"""Reports: the rows every evaluation builds, a side-by-side text table, Markdown, JSON.

A report is a plain dict (so it goes to JSON as is) with a ``headline`` (the issue's
metric, both systems, the target and whether it is met), ``tables`` (each a title and
rows of per-system scores), optional ``thresholds`` (the pipeline's precision/recall at
several minimum confidences) and ``errors`` (error classes with examples).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import OutputError
from kg.evaluation.scoring import ScoreTable

if TYPE_CHECKING:
    from kg.evaluation.runner import Systems

SYSTEM_ORDER = ("baseline", "pipeline")


def system_names(systems: Systems) -> dict:
    """What each column is, and how long it ran."""
    ner = "stock NER" if systems.baseline_ner == "stock" else "our fine-tuned NER, raw"
    return {
        "baseline": f"spaCy {systems.model_name} ({ner}) entities, sentence co-occurrence relations",
        "pipeline": f"kg pipeline on {systems.model_name}: extractors + resolution",
        "seconds": dict(systems.seconds),
    }


def extractor_errors(predictions: Sequence) -> dict:
    """How many extractor crashes our pipeline had, with the first few messages."""
    messages = [m for p in predictions for m in p.errors]
    return {"count": len(messages), "examples": list(dict.fromkeys(messages))[:5]}


def prf_rows(
    tables: Mapping[str, ScoreTable],
    headline: Sequence[str],
    apart: Sequence[str] = (),
    headline_name: str = "",
) -> list[dict]:
    """One row per label, then micro and macro over ``headline``, then the ``apart`` labels."""
    rows = [
        {"name": label, **{name: table[label].as_dict() for name, table in tables.items()}}
        for label in headline
    ]
    suffix = f" ({headline_name})" if headline_name else ""
    rows.append(
        {
            "name": "micro" + suffix,
            **{name: table.micro(headline).as_dict() for name, table in tables.items()},
        }
    )
    rows.append(
        {
            "name": "macro" + suffix,
            **{name: table.macro(headline) for name, table in tables.items()},
        }
    )
    rows += [
        {"name": f"{label} (apart)", **{n: t[label].as_dict() for n, t in tables.items()}}
        for label in apart
    ]
    return rows


def _cell(score: Mapping | None) -> str:
    if not score:
        return f"{'-':>6} {'-':>6} {'-':>6}"
    return f"{score['precision']:>6.3f} {score['recall']:>6.3f} {score['f1']:>6.3f}"


def _recall_cell(value: Mapping | None) -> str:
    return f"{value['recall']:>6.3f} {value['found']:>5}/{value['n']:<5}" if value else "-"


def format_report(report: Mapping) -> str:
    """The report as plain-text tables, baseline and pipeline side by side."""
    lines = [
        f"{report['dataset']} {report.get('split', '')}: {report.get('documents', '?')} documents"
        f", model {report.get('model')}, min confidence {report.get('min_confidence', 0)}"
        f", {report.get('seconds', '?')} s"
    ]
    headline = report.get("headline")
    if headline:
        target = headline.get("target")
        verdict = (
            "" if target is None else f"  target {target} {'met' if headline['met'] else 'NOT met'}"
        )
        lines.append(
            f"headline: {headline['metric']}: baseline {headline['baseline']:.3f}"
            f"  pipeline {headline['pipeline']:.3f}{verdict}"
        )
    for table in report.get("tables", []):
        lines += ["", table["title"]]
        width = max([len(r["name"]) for r in table["rows"]] + [10]) + 2
        if table.get("kind") == "recall":
            lines.append(f"{'':<{width}}{'baseline':<20}{'pipeline':<20}")
            for row in table["rows"]:
                lines.append(
                    f"{row['name']:<{width}}{_recall_cell(row.get('baseline')):<20}"
                    f"{_recall_cell(row.get('pipeline')):<20}"
                )
            continue
        if table.get("kind") == "accuracy":
            lines.append(f"{'':<{width}}{'n':>6}{'baseline':>10}{'pipeline':>10}")
            for row in table["rows"]:
                lines.append(
                    f"{row['name']:<{width}}{row['n']:>6}{row['baseline']:>10.3f}{row['pipeline']:>10.3f}"
                )
            continue
        lines.append(f"{'':<{width}}{'baseline':^20} | {'pipeline':^20} | {'gold':>6} {'pred':>6}")
        lines.append(f"{'':<{width}}{'P':>6} {'R':>6} {'F1':>6} | {'P':>6} {'R':>6} {'F1':>6} |")
        for row in table["rows"]:
            ours = row.get("pipeline") or {}
            counts = (
                f"{ours['tp'] + ours['fn']:>6} {ours['tp'] + ours['fp']:>6}" if "tp" in ours else ""
            )
            lines.append(
                f"{row['name']:<{width}}{_cell(row.get('baseline'))} | {_cell(ours)} | {counts}"
            )
    crashes = report.get("extractor_errors")
    if crashes and crashes.get("count"):
        lines += [
            "",
            f"warning: {crashes['count']} extractor crashes, e.g. {crashes['examples'][0]}",
        ]
    thresholds = report.get("thresholds")
    if thresholds:
        lines += ["", "Pipeline at minimum confidence (headline relations)"]
        lines.append(f"{'min conf':>10}{'P':>8}{'R':>8}{'F1':>8}{'facts':>8}")
        for row in thresholds:
            lines.append(
                f"{row['min_confidence']:>10.2f}{row['precision']:>8.3f}{row['recall']:>8.3f}"
                f"{row['f1']:>8.3f}{row['tp'] + row['fp']:>8}"
            )
    return "\n".join(lines)


def format_errors(report: Mapping, *, system: str = "pipeline", examples: int = 3) -> str:
    """Error classes of one system, largest first, with a few examples each."""
    errors = report.get("errors", {}).get(system)
    if not errors:
        return ""
    lines = [f"Errors of the {system}:"]
    counts = errors.get("counts", {})
    for kind, count in sorted(counts.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {count:>6}  {kind}")
        for example in errors.get("examples", {}).get(kind, [])[:examples]:
            shown = "; ".join(f"{k}: {v}" for k, v in example.items() if v is not None)
            lines.append(f"            - {shown[:220]}")
    for key in (
        "type_confusions",
        "resolution_type_votes",
        "false_positives_by_extractor",
        "predictions_by_relation",
        "missed_by_property",
    ):
        if errors.get(key):
            lines.append(
                f"  {key.replace('_', ' ')}: "
                + ", ".join(f"{k} {v}" for k, v in list(errors[key].items())[:12])
            )
    return "\n".join(lines)


def markdown_summary(reports: Sequence[Mapping]) -> str:
    """One Markdown row per report: headline metric, both systems, target, met or not."""
    lines = [
        "| data set | metric | baseline | pipeline | target | met |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in reports:
        h = r["headline"]
        target = "-" if h.get("target") is None else f"{h['target']:.2f}"
        met = "-" if h.get("met") is None else ("yes" if h["met"] else "**no**")
        lines.append(
            f"| {r['dataset']} {r.get('split', '')} | {h['metric']} | {h['baseline']:.3f} "
            f"| {h['pipeline']:.3f} | {target} | {met} |"
        )
    return "\n".join(lines)


def markdown_table(table: Mapping) -> str:
    """One report table as Markdown (P/R/F1 of both systems per row)."""
    if table.get("kind") in ("recall", "accuracy"):
        return ""
    lines = [
        f"**{table['title']}**",
        "",
        "| | baseline P | R | F1 | pipeline P | R | F1 | gold | pipeline tp / fp |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in table["rows"]:
        cells = []
        for system in SYSTEM_ORDER:
            s = row.get(system) or {}
            cells += [f"{s[k]:.3f}" if k in s else "-" for k in ("precision", "recall", "f1")]
        ours = row.get("pipeline") or {}
        if "tp" in ours:
            cells += [str(ours["tp"] + ours["fn"]), f"{ours['tp']} / {ours['fp']}"]
        else:
            cells += ["", ""]
        name = row["name"].replace("|", "\\|")  # a pipe inside a cell ends it
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_json(report: Mapping, path: Path) -> None:
    """Write a report as indented JSON; OutputError when the file cannot be written."""
    try:
        Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc}") from exc
