"""Neo4j naming shared by the CSV and Cypher exporters: labels, relationship types, rows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

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
    return " ".join(str(text).split()) if text is not None else ""


def node_rows(graph: networkx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """One dict per entity: iri, name, type, subtype, aliases, roles, value, labels."""
    for node, data in graph.nodes(data=True):
        yield {
            "iri": str(data.get("iri") or node),
            "name": one_line(data.get("label")),
            "type": one_line(data.get("type")),
            "subtype": one_line(data.get("subtype")),
            "aliases": [one_line(a) for a in data.get("aliases") or []],
            "roles": [one_line(r) for r in data.get("roles") or []],
            "value": one_line(data.get("value")),
            "labels": node_labels(data),
        }


def edge_rows(graph: networkx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """One dict per fact: from, to, type, relation, open, evidence, confidence, iri."""
    for source, target, data in graph.edges(data=True):
        confidence = data.get("confidence")
        yield {
            "from": str(source),
            "to": str(target),
            "type": relationship_type(str(data.get("relation") or "")),
            "relation": one_line(data.get("relation")),
            "open": bool(data.get("open")),
            "evidence": one_line(data.get("evidence")),
            "confidence": float(confidence) if confidence is not None else None,
            "iri": one_line(data.get("iri")),
        }
