"""The trained entity type classifier: weights learned by :mod:`kg.training.entity_types`.

A multinomial logistic regression over the named features of
:mod:`kg.resolve.features`, stored as plain arrays in ``kg/models/entity_types.npz`` (no
pickle). Without the file, typing falls back to the weighted vote alone.

    >>> model = load_type_model()                              # doctest: +SKIP
    >>> model.probabilities({"bias": 1.0, "ner:PERSON": 1.0})  # doctest: +SKIP
    {'Location': 0.01, 'NONE': 0.08, 'Organization': 0.03, 'Person': 0.88}
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

WEIGHTS = Path(__file__).resolve().parent.parent / "models" / "entity_types.npz"
#: The class meaning "not an entity".
NONE = "NONE"  # a work, a product, a fragment: no person, organization or place


@dataclass(frozen=True)
class TypeModel:
    labels: tuple[str, ...]
    index: dict[str, int]
    coef: np.ndarray
    intercept: np.ndarray
    #: A cluster at least this likely to name nothing is no entity (chosen with the weights).
    none_threshold: float = 0.5

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        """Probability of each label for one cluster's features."""
        columns = [self.index[f] for f in features if f in self.index]
        values = np.array([features[f] for f in features if f in self.index], dtype=np.float64)
        scores = self.coef[:, columns] @ values + self.intercept
        scores = np.exp(scores - scores.max())
        scores = scores / scores.sum()
        return {label: float(p) for label, p in zip(self.labels, scores, strict=True)}


@lru_cache(maxsize=2)
def load_type_model(path: Path = WEIGHTS) -> TypeModel | None:
    """The shipped weights, or None when the file is absent."""
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as data:
        features = [str(f) for f in data["features"]]
        return TypeModel(
            labels=tuple(str(label) for label in data["labels"]),
            index={f: i for i, f in enumerate(features)},
            coef=data["coef"].astype(np.float64),
            intercept=data["intercept"].astype(np.float64),
            none_threshold=float(data["none_threshold"]) if "none_threshold" in data else 0.5,
        )
