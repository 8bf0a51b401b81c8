"""``python -m kg.evaluation DATASET [options]``: ``kg eval`` without the CLI package."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.errors import KGError
from kg.evaluation.console import run_and_print
from kg.evaluation.options import Options


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.evaluation", description=__doc__)
    parser.add_argument("dataset", help="a data set name (see kg eval --help), or all")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", type=Path, dest="json_out")
    parser.add_argument("--model")
    parser.add_argument("--min-confidence", type=float, default=None)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--baseline-ner", default="stock")
    parser.add_argument("--errors", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--calibration", action="store_true")
    args = parser.parse_args(argv)
    try:
        options = Options(
            split=args.split,
            limit=args.limit,
            data=args.data,
            model=args.model,
            min_confidence=args.min_confidence,
            baseline_ner=args.baseline_ner,
            examples=max(args.errors, 10),
        )
        run_and_print(
            [args.dataset],
            options,
            print_line=print,
            warn=lambda m: print(f"kg: warning: {m}", file=sys.stderr),
            errors=args.errors,
            markdown=args.markdown,
            calibration=args.calibration,
            json_out=args.json_out,
        )
    except KGError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
