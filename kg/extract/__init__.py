"""Extractors: one module each, registered by name (see :mod:`kg.extract.base`)."""

from __future__ import annotations

from kg.extract.base import (
    DocContext,
    Extractor,
    register,
    registered_names,
    resolve_extractors,
)

__all__ = ["DocContext", "Extractor", "register", "registered_names", "resolve_extractors"]


def load_builtin_extractors() -> None:
    """Import the built-in extractor modules so they register themselves."""
    from kg.extract import (  # noqa: F401
        byline,
        classifier,
        dates,
        entities,
        events,
        inference,
        open_relations,
        quotes,
        relations,
        roles,
    )
