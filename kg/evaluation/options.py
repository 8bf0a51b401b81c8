"""What every evaluation run shares: its options, where the data sets live, the report header."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError

_SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
#: Thresholds the report scores relation facts at, to show the precision/recall trade-off.
SWEEP = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9)
BASELINE_NER = ("stock", "finetuned")


@dataclass(frozen=True)
class Options:
    """Options of one run: which split, how much of it, which model and threshold.

    ``data`` is the data set's folder (default: ``$KG_SHARED_DATA/<folder>``);
    ``min_confidence`` drops facts below it; ``baseline_ner`` is ``stock`` (spaCy's own
    NER weights) or ``finetuned`` (our weights, raw entities: what the rules add);
    ``examples`` caps the error examples kept per error class.
    """

    split: str = "dev"
    limit: int | None = None
    data: Path | None = None
    model: str | None = None
    min_confidence: float | None = None
    baseline_ner: str = "stock"
    examples: int = 10
    batch_size: int = 32
    thresholds: tuple[float, ...] = field(default=SWEEP)

    def __post_init__(self) -> None:
        if self.limit is not None and self.limit < 1:
            raise InputError(f"--limit must be at least 1, not {self.limit}")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise InputError(f"--min-confidence must lie in [0, 1], not {self.min_confidence}")
        if self.baseline_ner not in BASELINE_NER:
            raise InputError(
                f"unknown baseline NER {self.baseline_ner!r} (valid: {', '.join(BASELINE_NER)})"
            )

    def fact_threshold(self, default: float = 0.0) -> float:
        """The cut-off for our facts: ``--min-confidence`` if given, else ``default`` (the
        news gold set passes the build's default, as the graph a user gets; the public
        relation sets keep 0: all that the extractors reach, their sweeps show cut-offs)."""
        return self.min_confidence if self.min_confidence is not None else default


def shared_data_dir() -> Path:
    """``$KG_SHARED_DATA``, or ``../shared/data`` beside the checkout."""
    return Path(os.environ.get("KG_SHARED_DATA", _SHARED))


def data_file(options: Options, folder: str, splits: dict[str, str]) -> Path:
    """The file of ``options.split`` in a data set folder; errors name the valid splits."""
    if options.split not in splits:
        valid = ", ".join(splits)
        raise InputError(f"unknown split {options.split!r} (valid: {valid})")
    base = options.data if options.data is not None else shared_data_dir() / folder
    path = Path(base) / splits[options.split]
    if not path.is_file():
        raise InputError(f"data file not found: {path} (set KG_SHARED_DATA or pass --data)")
    return path


def header(
    dataset: str, options: Options, path: Path, *, model: str | None, cutoff: float = 0.0
) -> dict:
    """The first keys of every report: what was run, on what, when, at which commit
    (``cutoff``: the data set's default fact cut-off, see :meth:`Options.fact_threshold`)."""
    return {
        "dataset": dataset,
        "split": options.split,
        "data": str(path),
        "limit": options.limit,
        "model": model,
        "baseline_ner": options.baseline_ner,
        "min_confidence": options.fact_threshold(cutoff),
        "date": dt.date.today().isoformat(),
        "commit": git_commit(),
    }


def git_commit() -> str | None:
    """The checkout's commit (``+dirty`` when files differ from it), or None outside git."""
    root = Path(__file__).resolve().parents[2]
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "kg"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{sha}+dirty" if dirty else sha
