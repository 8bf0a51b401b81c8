"""``python -m kg.evaluation DATASET [options]``: the same command as ``kg eval``."""

from __future__ import annotations

import typer

from kg.cli.eval import evaluate


def main() -> None:
    typer.run(evaluate)


if __name__ == "__main__":
    main()
