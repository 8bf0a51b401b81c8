"""Neo4j naming shared by the CSV and Cypher exporters: labels, relationship types, rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from kg.exporters._common import clean_text

if TYPE_CHECKING:
    import networkx

#: Every exported node has this label (plus its type and, for events, its subtype).
ENTITY_LABEL = "Entity"

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]+")


def relationship_type(relation: str) -> str:
    """Neo4j's UPPER_SNAKE_CASE: ``participantIn`` → ``PARTICIPANT_IN``, ``travel-from`` → ``TRAVEL_FROM``."""
    name = _NOT_WORD.sub("_", _CAMEL.sub("_", relation or "")).strip("_").upper()
    if not name:
        return "RELATED_TO"
    return f"R_{name}" if name[0].isdigit() else name


def node_labels(data: dict) -> list[str]:
    """``Entity``, the entity type and an event's subtype (``Entity``, ``Event``, ``Meeting``)."""
    labels = [ENTITY_LABEL]
    for name in (data.get("type"), data.get("subtype")):
        name = _NOT_WORD.sub("", str(name or ""))
        if name and name not in labels:
            labels.append(name)
    return labels


def one_line(text: Any) -> str:
    """A value as one line of text (no newlines inside CSV fields or labels)."""
    return clean_text(" ".join(str(text).split())) if text is not None else ""


def as_text(value: Any) -> str:
    """A value as text every format can carry, line breaks kept."""
    return clean_text(str(value)) if value is not None else ""


def node_rows(
    graph: networkx.MultiDiGraph, text: Callable[[Any], str] = one_line
) -> Iterator[dict[str, Any]]:
    """One dict per entity: iri, name, type, subtype, aliases, roles, value, labels.

    ``text`` turns each value into a string (default: one line, for CSV).
    """
    for node, data in graph.nodes(data=True):
        yield {
            "iri": clean_text(str(data.get("iri") or node)),
            "name": text(data.get("label")),
            "type": text(data.get("type")),
            "subtype": text(data.get("subtype")),
            "aliases": [text(a) for a in data.get("aliases") or []],
            "roles": [text(r) for r in data.get("roles") or []],
            "value": text(data.get("value")),
            "labels": node_labels(data),
        }


def edge_rows(
    graph: networkx.MultiDiGraph, text: Callable[[Any], str] = one_line
) -> Iterator[dict[str, Any]]:
    """One dict per fact: from, to, type, relation, open, evidence, confidence, iri."""
    for source, target, data in graph.edges(data=True):
        confidence = data.get("confidence")
        yield {
            "from": clean_text(str(source)),
            "to": clean_text(str(target)),
            "type": relationship_type(str(data.get("relation") or "")),
            "relation": text(data.get("relation")),
            "open": bool(data.get("open")),
            "evidence": text(data.get("evidence")),
            "confidence": float(confidence) if confidence is not None else None,
            "iri": text(data.get("iri")),
        }
