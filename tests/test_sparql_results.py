"""The one SPARQL results writer: the W3C SPARQL 1.1 result formats, exactly."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError
from kg.sparql.results import write
from kg.sparql.run import QueryResult

ROWS = QueryResult(
    "SELECT",
    ("s", "name", "n"),
    (
        (URIRef("https://example.org/a"), Literal('say "hi"\nthere', lang="en"), Literal(3)),
        (BNode("b1"), None, Literal("2021-06-16", datatype=XSD.date)),
    ),
)
ASK = QueryResult("ASK", boolean=True)


def test_json_has_head_and_typed_terms():
    data = json.loads(write(ROWS, "json"))
    assert data["head"] == {"vars": ["s", "name", "n"]}
    first, second = data["results"]["bindings"]
    assert first["s"] == {"type": "uri", "value": "https://example.org/a"}
    assert first["name"] == {"type": "literal", "value": 'say "hi"\nthere', "xml:lang": "en"}
    assert second["s"]["type"] == "bnode" and "name" not in second
    assert second["n"]["datatype"] == str(XSD.date)


def test_ask_json_has_a_head_too():
    assert json.loads(write(ASK, "json")) == {"head": {}, "boolean": True}


def test_csv_uses_crlf_and_plain_values():
    text = write(ROWS, "csv")
    assert text.startswith("s,name,n\r\n")
    assert text.count("\r\n") == 3  # header and two rows; the newline inside a value stays quoted
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["s", "name", "n"]
    assert rows[1] == ["https://example.org/a", 'say "hi"\nthere', "3"]
    assert rows[2] == ["_:b1", "", "2021-06-16"]


def test_tsv_writes_terms_in_sparql_syntax():
    lines = write(ROWS, "tsv").split("\n")
    assert lines[0] == "?s\t?name\t?n"
    assert (
        lines[1]
        == '<https://example.org/a>\t"say \\"hi\\"\\nthere"@en\t"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    )
    assert lines[2].startswith("_:b1\t\t")


def test_xml_escapes_and_names_variables():
    text = write(ROWS, "xml")
    assert '<variable name="name"/>' in text
    assert "say &quot;hi&quot;" in text or 'say "hi"' in text
    assert '<binding name="s"><bnode>b1</bnode></binding>' in text


def test_table_and_unknown_format():
    table = write(ROWS, "table")
    assert table.splitlines()[0].split() == ["s", "name", "n"]
    assert table.endswith("(2 rows)")
    assert write(ASK, "table") == "true"
    with pytest.raises(QueryError, match="valid: table, json, xml, csv, tsv"):
        write(ROWS, "yaml")


def test_graph_results_in_graph_formats():
    graph = Graph()
    graph.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("x")))
    result = QueryResult("CONSTRUCT", graph=graph)
    assert "<https://example.org/a>" in write(result, "ntriples")
    assert write(result, "table") == write(result, "turtle")
    assert json.loads(write(result, "jsonld"))
