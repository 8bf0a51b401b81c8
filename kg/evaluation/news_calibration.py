"""Is a fact's confidence the chance it is right? A reliability table and its ECE.

Facts (each a confidence and whether it was right) fall into equal-width confidence
bins; each bin's observed precision is compared with its mean confidence, and the
expected calibration error (ECE) is the mean gap weighted by bin size.

    >>> result = calibration([(0.95, True), (0.95, False), (0.25, False)])
    >>> round(result.ece, 3)
    0.383
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

from kg.evaluation.scoring import ratio

BINS = 10


@dataclass(frozen=True)
class Bin:
    """Facts whose confidence lies in ``[low, high)`` (the last bin includes 1.0)."""

    low: float
    high: float
    count: int
    mean_confidence: float
    precision: float


@dataclass(frozen=True)
class Calibration:
    """The reliability table (bins with facts in them) and the ECE over ``facts`` facts."""

    bins: tuple[Bin, ...]
    ece: float
    facts: int

    def as_dict(self) -> dict:
        return {
            "ece": round(self.ece, 4),
            "facts": self.facts,
            "bins": [
                {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(b).items()}
                for b in self.bins
            ],
        }


def calibration(outcomes: Iterable[tuple[float, bool]], bins: int = BINS) -> Calibration:
    """Reliability of ``(confidence, correct)`` pairs in ``bins`` equal-width bins."""
    grouped: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for confidence, correct in outcomes:
        index = min(bins - 1, max(0, int(round(confidence * bins, 9))))
        grouped[index].append((confidence, correct))
    total = sum(len(g) for g in grouped)
    table: list[Bin] = []
    ece = 0.0
    for index, members in enumerate(grouped):
        if not members:
            continue
        mean = sum(c for c, _ in members) / len(members)
        precision = ratio(sum(ok for _, ok in members), len(members))
        ece += len(members) / total * abs(precision - mean)
        table.append(Bin(index / bins, (index + 1) / bins, len(members), mean, precision))
    return Calibration(tuple(table), ece, total)


def format_calibration(report: Mapping) -> str:
    """The pipeline's reliability table of a news report, as text ('' when it has none)."""
    data = report.get("calibration")
    if not data:
        return ""
    lines = [
        f"Fact confidence calibration (pipeline, {data['facts']} facts): ECE {data['ece']:.3f}",
        f"{'confidence':>12}{'facts':>8}{'mean conf':>11}{'precision':>11}",
    ]
    for b in data["bins"]:
        lines.append(
            f"{b['low']:>5.1f}-{b['high']:<6.1f}{b['count']:>8}"
            f"{b['mean_confidence']:>11.3f}{b['precision']:>11.3f}"
        )
    return "\n".join(lines)
