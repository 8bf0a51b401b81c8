"""Calibrated confidence: a fact scored 0.9 is right about 90% of the time.

Each extractor scores its facts its own way (a rule's fixed 0.9, the classifier's
probability); :func:`calibrate` maps that score to the observed precision of such facts
on the news gold set's ``dev`` split. The map is Platt scaling, ``sigmoid(a * logit(raw)
+ b)``, fitted per extractor and relation with backing off (``roles/leaderOf``, else
``roles``, else ``*``) by ``python -m kg.training.calibration`` and stored in
``kg/models/calibration.json``. It is applied in one place, where the registry hands on
every fact (:func:`kg.extract.registry.run`), so ``--min-confidence`` and the views'
cut-off (:data:`kg.model.VIEW_MIN_CONFIDENCE`) mean what they say.

Only the typed relations the news gold set scores are calibrated; quotes, speakers,
authors and open relations keep their extractor's score.

    >>> Calibration({"*": (1.0, 0.0)}).confidence("roles", "role", 0.8)
    0.8
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from kg.model import Fact

CALIBRATION_FILE = Path(__file__).resolve().parent.parent / "models" / "calibration.json"
#: Relations whose confidence is calibrated (those the news gold set scores).
CALIBRATED = frozenset(
    {
        "role",
        "affiliatedWith",
        "leaderOf",
        "nationality",
        "locatedIn",
        "residence",
        "educatedAt",
        "participant",
        "participantIn",
        "date",
        "startDate",
        "endDate",
        "predecessor",
        "successor",
    }
)
_EPSILON = 1e-4


def logit(p: float) -> float:
    p = min(1 - _EPSILON, max(_EPSILON, p))
    return math.log(p / (1 - p))


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


@dataclass(frozen=True)
class Calibration:
    """Platt parameters ``(a, b)`` per group: ``extractor/relation``, ``extractor``, ``*``."""

    groups: dict[str, tuple[float, float]]

    def parameters(self, extractor: str, relation: str) -> tuple[float, float] | None:
        for key in (f"{extractor}/{relation}", extractor, "*"):
            if key in self.groups:
                return self.groups[key]
        return None

    def confidence(self, extractor: str, relation: str, raw: float) -> float:
        """The calibrated confidence of a fact ``relation`` scored ``raw`` by ``extractor``."""
        found = self.parameters(extractor, relation)
        if found is None:
            return raw
        a, b = found
        return round(sigmoid(a * logit(raw) + b), 3)


def read_calibration(path: Path) -> Calibration:
    """A calibration file as :func:`kg.training.calibration.fit` writes it."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Calibration({key: (float(a), float(b)) for key, (a, b) in data["groups"].items()})


@lru_cache(maxsize=1)
def shipped() -> Calibration | None:
    """The shipped calibration, or None when the file is absent (scores stay raw)."""
    return read_calibration(CALIBRATION_FILE) if CALIBRATION_FILE.is_file() else None


_ACTIVE: list[bool] = [True]


def set_active(active: bool) -> None:
    """Turn calibration on or off for this process (the fitting command scores raw facts)."""
    _ACTIVE[0] = active


def calibrate(fact: Fact) -> Fact:
    """The fact with its evidence's confidence calibrated (unchanged when not calibrated)."""
    table = shipped()
    if table is None or not _ACTIVE[0] or fact.open or fact.relation not in CALIBRATED:
        return fact
    evidence = fact.evidence
    value = table.confidence(evidence.extractor, fact.relation, evidence.confidence)
    if value == evidence.confidence:
        return fact
    return replace(fact, evidence=replace(evidence, confidence=value))
