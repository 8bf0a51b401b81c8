"""A Cypher script that loads the graph into Neo4j (``cypher-shell -f graph.cypher``).

Entities become ``(:Entity:<Type>)`` nodes keyed by ``iri`` (a uniqueness constraint
is created first), facts become relationships named in UPPER_SNAKE_CASE
(``participantIn`` → ``PARTICIPANT_IN``) with the relation, evidence sentence and
confidence as properties. Statements ``UNWIND`` batches of literal maps and ``MERGE``,
so running the script twice changes nothing. Every string is a Cypher string
literal with its quotes, backslashes, line breaks and control characters escaped;
labels, relationship types and keys are back-quoted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.atomic import write_atomic
from kg.exporters._neo4j import ENTITY_LABEL, as_text, edge_rows, node_rows

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

BATCH = 500
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def write(graph: KnowledgeGraph, path: Path) -> list[Path]:
    """Write the Cypher script for ``graph`` to ``path``."""
    text = "".join(statements(graph.to_networkx()))
    data = text.encode("utf-8")
    return [write_atomic(path, lambda handle: handle.write(data))]


def statements(network: Any) -> Iterator[str]:
    """The script's statements, each ending with ``;`` and a newline."""
    yield "// kg graph export: run with cypher-shell -f FILE\n"
    yield (
        f"CREATE CONSTRAINT kg_entity_iri IF NOT EXISTS FOR (n:{quote_name(ENTITY_LABEL)}) "
        "REQUIRE n.iri IS UNIQUE;\n"
    )
    by_labels: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for row in node_rows(network, as_text):
        labels = tuple(row.pop("labels"))
        by_labels[labels].append({k: v for k, v in row.items() if v not in ("", None, [])})
    for labels, rows in by_labels.items():
        extra = "".join(f":{quote_name(label)}" for label in labels if label != ENTITY_LABEL)
        for batch in _batches(rows):
            yield (
                f"UNWIND {literal(batch)} AS row\n"
                f"MERGE (n:{quote_name(ENTITY_LABEL)} {{iri: row.iri}})\n"
                f"SET n += row{', n' + extra if extra else ''};\n"
            )
    by_type: dict[str, list[dict]] = defaultdict(list)
    for row in edge_rows(network, as_text):
        kind = row.pop("type")
        start, end = row.pop("from"), row.pop("to")
        props = {k: v for k, v in row.items() if v not in ("", None, [])}
        by_type[kind].append({"from": start, "to": end, "props": props})
    entity = quote_name(ENTITY_LABEL)
    for kind, rows in by_type.items():
        for batch in _batches(rows):
            yield (
                f"UNWIND {literal(batch)} AS row\n"
                f"MATCH (a:{entity} {{iri: row.from}}), (b:{entity} {{iri: row.to}})\n"
                f"MERGE (a)-[r:{quote_name(kind)}]->(b)\n"
                "SET r += row.props;\n"
            )


def string(text: str) -> str:
    """A single-quoted Cypher string literal."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0xD800 <= ord(char) <= 0xDFFF or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def literal(value: Any) -> str:
    """A Cypher literal for a string, number, boolean, list or map."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return string(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{quote_name(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Iterable):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return string(str(value))


def quote_name(name: str) -> str:
    """A back-quoted Cypher name (label, type or key); inner backquotes doubled."""
    return "`" + name.replace("`", "``") + "`"


def _batches(rows: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]
