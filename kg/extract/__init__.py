"""Extractors: one module each, found by name in :mod:`kg.extract.registry`.

Each module holds a pure function from a :class:`~kg.extract.context.DocContext` to
mentions and facts, and a ``SPEC`` declaring what it needs and produces.
"""

from __future__ import annotations

from kg.extract.context import DocContext
from kg.extract.registry import ExtractorSpec, available, extractors, register, unregister

__all__ = ["DocContext", "ExtractorSpec", "available", "extractors", "register", "unregister"]
