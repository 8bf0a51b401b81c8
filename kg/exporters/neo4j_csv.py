"""CSV files for ``neo4j-admin database import full`` (Neo4j 5).

Writes a directory with ``nodes.csv`` (``iri:ID``, properties, ``:LABEL``) and
``relationships.csv`` (``:START_ID``, ``:END_ID``, ``:TYPE``, properties), with
neo4j-admin's defaults: comma delimiter, ``;`` between array items and labels,
double quotes. Import with::

    neo4j-admin database import full neo4j --nodes=nodes.csv --relationships=relationships.csv

Newlines inside values become spaces and ``;`` inside alias and role items becomes
``,``, so no import option beyond the defaults is needed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kg.atomic import write_atomic_many
from kg.errors import OutputError
from kg.exporters._neo4j import edge_rows, node_rows

if TYPE_CHECKING:
    from kg.graph import KnowledgeGraph

NODES_FILE = "nodes.csv"
RELATIONSHIPS_FILE = "relationships.csv"
NODE_HEADER = [
    "iri:ID",
    "name",
    "type",
    "subtype",
    "aliases:string[]",
    "roles:string[]",
    "value",
    ":LABEL",
]
RELATIONSHIP_HEADER = [
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "relation",
    "open:boolean",
    "evidence",
    "confidence:float",
    "iri",
]
ARRAY_DELIMITER = ";"
IMPORT_COMMAND = (
    f"neo4j-admin database import full neo4j --nodes={NODES_FILE} "
    f"--relationships={RELATIONSHIPS_FILE}"
)


def write(graph: KnowledgeGraph, path: Path) -> list[Path]:
    """Write ``nodes.csv`` and ``relationships.csv`` into the directory ``path`` (created)."""
    try:
        path.mkdir(parents=False, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create directory: {exc.strerror or exc}") from exc
    network = graph.to_networkx()
    nodes = [
        [
            row["iri"],
            row["name"],
            row["type"],
            row["subtype"],
            _array(row["aliases"]),
            _array(row["roles"]),
            row["value"],
            ARRAY_DELIMITER.join(row["labels"]),
        ]
        for row in node_rows(network)
    ]
    edges = [
        [
            row["from"],
            row["to"],
            row["type"],
            row["relation"],
            str(row["open"]).lower(),
            row["evidence"],
            "" if row["confidence"] is None else f"{row['confidence']:g}",
            row["iri"],
        ]
        for row in edge_rows(network)
    ]
    return write_atomic_many(
        [
            (path / NODES_FILE, _csv_writer(NODE_HEADER, nodes)),
            (path / RELATIONSHIPS_FILE, _csv_writer(RELATIONSHIP_HEADER, edges)),
        ]
    )


def _array(items: list[str]) -> str:
    return ARRAY_DELIMITER.join(item.replace(ARRAY_DELIMITER, ",") for item in items)


def _csv_writer(header: list[str], rows: list[list[str]]) -> Callable[[IO[bytes]], object]:
    """A writer of one CSV file, for `write_atomic_many` (both files or neither)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    return lambda handle: handle.write(data)
