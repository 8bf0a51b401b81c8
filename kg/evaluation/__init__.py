"""Extraction quality, measured on public gold sets, with a baseline in the same run.

    >>> from kg.evaluation import Options, evaluate
    >>> report = evaluate("conll2003", Options(limit=20))  # doctest: +SKIP

Modules: ``datasets`` (the registry), one module per data set (``conll2003``,
``crossner``, ``conll04``, ``redocred``, ``timebank``), ``ner`` and ``spans`` (entity
scoring), ``scoring`` (P/R/F1), ``alignment`` (tokens ↔ text), ``predictions`` (our
pipeline's output), ``baseline`` (raw spaCy), ``runner``, ``labels`` (mapping files),
``examples`` (error classes), ``report`` (tables, Markdown, JSON), ``options``.
"""

from __future__ import annotations

from kg.evaluation.datasets import dataset_names, evaluate
from kg.evaluation.options import Options

__all__ = ["Options", "dataset_names", "evaluate"]
