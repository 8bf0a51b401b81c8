"""The evaluations by name: ``kg eval DATASET`` and ``python -m kg.evaluation DATASET``.

Each module's ``evaluate(options)`` returns a report (see :mod:`kg.evaluation.report`).
Modules are imported only when their data set is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from kg.errors import InputError
from kg.evaluation.options import Options

#: Name → module under ``kg.evaluation``.
DATASETS: dict[str, str] = {
    "conll2003": "conll2003",
    "crossner": "crossner",
    "conll04": "conll04",
    "redocred": "redocred",
    "timebank": "timebank",
    "news": "news",
    "gum": "gum",
}
ALIASES = {
    "conll": "conll2003",
    "crossner_politics": "crossner",
    "re-docred": "redocred",
    "docred": "redocred",
    "gum_coref": "gum",
}


def dataset_names() -> list[str]:
    return list(DATASETS)


def evaluator(name: str) -> Callable[[Options], dict]:
    """The ``evaluate`` function of a data set; InputError names the valid ones."""
    key = ALIASES.get(name.lower(), name.lower())
    if key not in DATASETS:
        raise InputError(f"unknown data set {name!r} (valid: {', '.join(DATASETS)}, all)")
    module = importlib.import_module(f"kg.evaluation.{DATASETS[key]}")
    return module.evaluate


def evaluate(name: str, options: Options | None = None) -> dict:
    """Score our pipeline and the baseline on one data set.

    >>> report = evaluate("conll04", Options(limit=20))  # doctest: +SKIP
    >>> report["headline"]["pipeline"]  # doctest: +SKIP
    """
    return evaluator(name)(options or Options())
