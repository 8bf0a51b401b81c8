"""Precision, recall and F1: counts per label, micro and macro averages, span matching.

Strict matching compares hashable keys (exact token boundaries); lenient matching pairs
each prediction with at most one gold item it is compatible with (spans that overlap),
so a prediction can never be counted right twice.

    >>> table = score_keys({("d", 0, 2, "PER")}, {("d", 0, 2, "PER"), ("d", 5, 6, "LOC")},
    ...                    label=lambda key: key[3])
    >>> table.micro().as_dict()["precision"], table["LOC"].fp
    (0.5, 1)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
H = TypeVar("H", bound=Hashable)
G = TypeVar("G")
P = TypeVar("P")


def ratio(part: float, whole: float) -> float:
    """``part / whole``, 0 when ``whole`` is 0."""
    return part / whole if whole else 0.0


def f1(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    return ratio(2 * precision * recall, precision + recall)


@dataclass
class Score:
    """True positives, false positives and false negatives of one label (or all)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


class ScoreTable:
    """A Score per label, with micro and macro averages over any subset of labels."""

    def __init__(self) -> None:
        self.scores: dict[str, Score] = defaultdict(Score)

    def __getitem__(self, label: str) -> Score:
        return self.scores[label]

    def __contains__(self, label: str) -> bool:
        return label in self.scores

    def add(self, label: str, *, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        score = self.scores[label]
        score.tp += tp
        score.fp += fp
        score.fn += fn

    def update(self, other: ScoreTable) -> ScoreTable:
        """Add another table's counts to this one (returns self)."""
        for label, score in other.scores.items():
            self.add(label, tp=score.tp, fp=score.fp, fn=score.fn)
        return self

    def labels(self) -> list[str]:
        return sorted(self.scores)

    def micro(self, labels: Iterable[str] | None = None) -> Score:
        """Counts summed over ``labels`` (all labels by default)."""
        total = Score()
        for label in self.labels() if labels is None else labels:
            total = total + self.scores.get(label, Score())
        return total

    def macro(self, labels: Iterable[str] | None = None) -> dict[str, float]:
        """Precision, recall and F1 averaged over ``labels`` (F1 is the mean of the F1s)."""
        chosen = [self.scores.get(label, Score()) for label in (labels or self.labels())]
        if not chosen:
            return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
        return {
            "precision": round(sum(s.precision for s in chosen) / len(chosen), 4),
            "recall": round(sum(s.recall for s in chosen) / len(chosen), 4),
            "f1": round(sum(s.f1 for s in chosen) / len(chosen), 4),
        }

    def as_dict(self, labels: Sequence[str] | None = None) -> dict[str, dict]:
        return {
            label: self.scores.get(label, Score()).as_dict() for label in labels or self.labels()
        }


def score_keys(
    gold: Iterable[H], predicted: Iterable[H], *, label: Callable[[H], str]
) -> ScoreTable:
    """Strict scoring: an item is right when the identical key is in gold (duplicates ignored)."""
    gold_set, predicted_set = set(gold), set(predicted)
    table = ScoreTable()
    for key in predicted_set:
        table.add(label(key), tp=key in gold_set, fp=key not in gold_set)
    for key in gold_set - predicted_set:
        table.add(label(key), fn=1)
    return table


def match_one_to_one(
    gold: Sequence[G],
    predicted: Sequence[P],
    compatible: Callable[[G, P], bool],
    *,
    preference: Callable[[G, P], float] | None = None,
) -> list[tuple[int, int]]:
    """Pairs (gold index, predicted index) of compatible items, each used at most once.

    Candidate pairs are taken best first by ``preference`` (higher first; e.g. the
    overlap size), so an exact match wins over a partial one.
    """
    candidates = [
        (preference(g, p) if preference else 0.0, gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(predicted)
        if compatible(g, p)
    ]
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, gi, pi in candidates:
        if gi in used_gold or pi in used_predicted:
            continue
        used_gold.add(gi)
        used_predicted.add(pi)
        pairs.append((gi, pi))
    return pairs


def score_matched(
    gold: Sequence[G],
    predicted: Sequence[P],
    compatible: Callable[[G, P], bool],
    *,
    gold_label: Callable[[G], str],
    predicted_label: Callable[[P], str],
    preference: Callable[[G, P], float] | None = None,
) -> ScoreTable:
    """Lenient scoring: one-to-one matching of compatible items, per label.

    A matched pair is a true positive of the gold item's label; an unmatched prediction a
    false positive of its own label; an unmatched gold item a false negative.
    """
    pairs = match_one_to_one(gold, predicted, compatible, preference=preference)
    table = ScoreTable()
    matched_gold = {gi for gi, _ in pairs}
    matched_predicted = {pi for _, pi in pairs}
    for gi, _ in pairs:
        table.add(gold_label(gold[gi]), tp=1)
    for pi, p in enumerate(predicted):
        if pi not in matched_predicted:
            table.add(predicted_label(p), fp=1)
    for gi, g in enumerate(gold):
        if gi not in matched_gold:
            table.add(gold_label(g), fn=1)
    return table


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """How many positions ``[a_start, a_end)`` and ``[b_start, b_end)`` share."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))
