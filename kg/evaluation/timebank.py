"""Date normalization scored on TimeBank 1.2 (TimeML), against a python-dateutil baseline.

Every ``TIMEX3`` of type DATE (except the creation time itself) is normalized with the
document's creation time as reference, a crude tense read from the words around it
and the earlier dates of the same document as anchors, by
:func:`kg.extract.temporal.normalize_spans`: the function the date extractor calls, so the
score is the shipped code's. The headline is exact-match accuracy of our ``timex``
against the gold ``value``.
The baseline is what a naive glue script does: ``dateutil.parser.parse(text,
default=creation_time)`` written as an ISO date; what it cannot parse counts as wrong.

    python -m kg.evaluation.timebank [--limit N] [--data DIR] [--json out.json]

The first ``DEV_DOCUMENTS`` files (sorted by name) were used to develop the rules; the
report gives them and the remaining, held-out files separately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import InputError, OutputError
from kg.extract.temporal import normalize_spans, parse_publication_date

if TYPE_CHECKING:
    from kg.evaluation.options import Options

__all__ = ["DEV_DOCUMENTS", "Timex", "evaluate", "evaluate_timebank", "main", "read_timeml"]

DEV_DOCUMENTS = 120
_SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
DEFAULT_DATA = Path(os.environ.get("KG_SHARED_DATA", _SHARED)) / "timebank"
MAX_ERRORS = 50

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')


@dataclass(frozen=True)
class Timex:
    """One gold TIMEX3 of type DATE: where it is in the document's plain text."""

    doc: str
    text: str
    value: str
    start: int
    end: int


def read_timeml(path: Path) -> tuple[dt.date | None, str, list[Timex]]:
    """The creation date, the plain text and the DATE TIMEX3s (in reading order) of one
    TimeML file."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read TimeML file {path}: {exc}") from exc
    creation = _creation_date(source)
    body = re.search(r"<TEXT>(.*)</TEXT>", source, re.S)
    if body is None:
        return creation, "", []
    text, timexes = _date_timexes(path.stem, body.group(1))
    return creation, text, timexes


def _creation_date(source: str) -> dt.date | None:
    for match in re.finditer(r"<TIMEX3\b([^>]*)>([^<]*)</TIMEX3>", source):
        attrs = dict(_ATTR.findall(match.group(1)))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            value = attrs.get("value", "")
            return parse_publication_date(value) or parse_publication_date(match.group(2))
    return None


def _date_timexes(doc: str, body: str) -> tuple[str, list[Timex]]:
    """Strip the markup of ``body``, remembering where each DATE TIMEX3 was."""
    plain: list[str] = []
    length = 0
    spans: list[tuple[int, int, dict[str, str]]] = []
    open_attrs: dict[str, str] | None = None
    open_at = 0
    pos = 0
    for tag in _TAG.finditer(body):
        chunk = html.unescape(body[pos : tag.start()])
        plain.append(chunk)
        length += len(chunk)
        pos = tag.end()
        if tag.group(2) != "TIMEX3":
            continue
        if tag.group(1):
            if open_attrs is not None:
                spans.append((open_at, length, open_attrs))
            open_attrs = None
        elif not tag.group(4):
            open_attrs, open_at = dict(_ATTR.findall(tag.group(3))), length
    plain.append(html.unescape(body[pos:]))
    text = "".join(plain)
    timexes = [
        Timex(doc, text[start:end].strip(), attrs.get("value", ""), start, end)
        for start, end, attrs in spans
        if attrs.get("type") == "DATE" and attrs.get("functionInDocument") != "CREATION_TIME"
    ]
    return text, timexes


# --------------------------------------------------------------------------- scoring


def _baseline(text: str, reference: dt.date | None) -> str | None:
    """python-dateutil with the creation time as default, as an ISO date."""
    from dateutil import parser

    default = dt.datetime.combine(reference or dt.date.today(), dt.time())
    try:
        return parser.parse(text, default=default).date().isoformat()
    except (ValueError, OverflowError, TypeError):
        return None


@dataclass
class _Tally:
    n: int = 0
    ours: int = 0
    baseline: int = 0
    answered: int = 0

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "pipeline": {
                "accuracy": round(self.ours / self.n, 4) if self.n else 0.0,
                "correct": self.ours,
                "answered": self.answered,
            },
            "baseline": {
                "accuracy": round(self.baseline / self.n, 4) if self.n else 0.0,
                "correct": self.baseline,
            },
        }


def tml_files(data_dir: Path) -> list[Path]:
    """The TimeML files under ``data_dir``, sorted by file name."""
    if not data_dir.is_dir():
        raise InputError(f"TimeBank folder not found: {data_dir}")
    files = sorted(data_dir.rglob("*.tml"), key=lambda p: (p.name, str(p)))
    if not files:
        raise InputError(f"no .tml files under {data_dir}")
    return files


def evaluate_timebank(
    data_dir: Path, *, limit: int | None = None, documents: slice | None = None
) -> dict:
    """Score ``normalize_date`` and the dateutil baseline on the TimeML files of ``data_dir``.

    ``documents`` selects files (after sorting by name), ``limit`` keeps the first N of those.
    The result has the headline figures for all selected files and, under ``splits``, the
    same for the development files (the first ``DEV_DOCUMENTS``) and the held-out rest.

    >>> evaluate_timebank(Path("../shared/data/timebank"), limit=5)["pipeline"]["accuracy"]
    """
    all_files = tml_files(Path(data_dir))
    indexed = list(enumerate(all_files))[documents or slice(None)][:limit]
    total, dev, held = _Tally(), _Tally(), _Tally()
    errors: list[tuple[str, str, str | None]] = []
    for index, path in indexed:
        split = dev if index < DEV_DOCUMENTS else held
        _score_document(path, (total, split), errors)
    report = {"dataset": "timebank", "documents": len(indexed), **total.as_dict()}
    report["splits"] = {
        f"dev (first {DEV_DOCUMENTS})": dev.as_dict(),
        "held-out": held.as_dict(),
    }
    report["errors"] = [list(e) for e in errors[:MAX_ERRORS]]
    return report


def _score_document(
    path: Path, tallies: Sequence[_Tally], errors: list[tuple[str, str, str | None]]
) -> None:
    reference, text, timexes = read_timeml(path)
    values = normalize_spans(text, [(t.start, t.end) for t in timexes], reference)
    for timex, found in zip(timexes, values, strict=True):
        ours = found.timex if found else None
        base = _baseline(timex.text, reference)
        for tally in tallies:
            tally.n += 1
            tally.ours += ours == timex.value
            tally.baseline += base == timex.value
            tally.answered += ours is not None
        if ours != timex.value:
            errors.append((timex.text, timex.value, ours))


# --------------------------------------------------------------------------- common report

TARGET = 0.80
TARGET_NOTE = "issue 3: DATE normalization accuracy >= 0.80"
#: ``kg eval timebank --split ...``: every file (the report still gives dev and held-out
#: apart), or the held-out files only.
SPLITS = {"dev": slice(None), "all": slice(None), "held-out": slice(DEV_DOCUMENTS, None)}


def evaluate(options: Options) -> dict:
    """:func:`evaluate_timebank` in the report shape of ``kg eval`` (headline, tables, errors).

    ``options`` is a :class:`kg.evaluation.options.Options`; ``--split held-out`` scores only
    the files not used to develop the rules.
    """
    from kg.evaluation.options import header, shared_data_dir

    if options.split not in SPLITS:
        raise InputError(f"unknown split {options.split!r} (valid: {', '.join(SPLITS)})")
    data = Path(options.data) if options.data is not None else shared_data_dir() / "timebank"
    started = time.perf_counter()
    raw = evaluate_timebank(data, limit=options.limit, documents=SPLITS[options.split])
    ours, base = raw["pipeline"]["accuracy"], raw["baseline"]["accuracy"]
    rows = [("all", raw)] + [(name, part) for name, part in raw["splits"].items() if part["n"]]
    unanswered = [e for e in raw["errors"] if e[2] is None]
    wrong = [e for e in raw["errors"] if e[2] is not None]
    return {
        **header("timebank", options, data, model=None),
        "documents": raw["documents"],
        "gold_dates": raw["n"],
        "seconds": round(time.perf_counter() - started, 1),
        "systems": {
            "baseline": "python-dateutil parse with the creation time as default",
            "pipeline": "kg.extract.temporal normalize_spans, as the date extractor calls it (tense and discourse anchor)",
        },
        "headline": {
            "metric": "DATE value accuracy",
            "baseline": base,
            "pipeline": ours,
            "target": TARGET,
            "met": ours >= TARGET,
            "target_note": TARGET_NOTE,
        },
        "tables": [
            {
                "title": "DATE TIMEX3 values, exact match",
                "kind": "accuracy",
                "rows": [
                    {
                        "name": name,
                        "n": part["n"],
                        "baseline": part["baseline"]["accuracy"],
                        "pipeline": part["pipeline"]["accuracy"],
                    }
                    for name, part in rows
                ],
            }
        ],
        "errors": {
            "pipeline": {
                "counts": {
                    "no value": raw["n"] - raw["pipeline"]["answered"],
                    "wrong value": raw["pipeline"]["answered"] - raw["pipeline"]["correct"],
                },
                "examples": {
                    "no value": [{"text": t, "gold": g} for t, g, _ in unanswered[:10]],
                    "wrong value": [{"text": t, "gold": g, "ours": o} for t, g, o in wrong[:10]],
                },
            }
        },
    }


# --------------------------------------------------------------------------- CLI


def format_report(report: dict) -> str:
    """A plain-text table of a report."""
    rows = [("all", report)] + list(report.get("splits", {}).items())
    lines = [f"{'TimeBank DATE':<18}{'n':>6}{'kg':>14}{'dateutil':>11}"]
    for name, part in rows:
        if not part["n"]:
            continue
        lines.append(
            f"{name:<18}{part['n']:>6}{part['pipeline']['accuracy']:>14.3f}"
            f"{part['baseline']['accuracy']:>11.3f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m kg.evaluation.timebank``: print the table, optionally write JSON."""
    args = _parser().parse_args(argv)
    try:
        report = evaluate_timebank(args.data, limit=args.limit)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if args.errors:
        for text, gold, ours in report["errors"][: args.errors]:
            print(f"  {text!r:40} gold={gold:<14} ours={ours}")
    if args.json:
        try:
            args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        except OSError as exc:
            print(f"error: {OutputError(f'cannot write {args.json}: {exc}')}", file=sys.stderr)
            return 2
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m kg.evaluation.timebank", description=__doc__)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="TimeBank folder")
    p.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    p.add_argument("--json", type=Path, default=None, help="also write the report here")
    p.add_argument("--errors", type=int, default=0, help="print the first N errors")
    return p


if __name__ == "__main__":
    raise SystemExit(main())
