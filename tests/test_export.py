"""kg export: GraphML, GEXF, Neo4j CSV, Cypher and JSON-LD, each read back."""

from __future__ import annotations

import csv
import json
import re

import networkx as nx
import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg.cli.main import app
from kg.errors import FormatError
from kg.exporters import EXPORTERS, export
from kg.exporters._neo4j import relationship_type
from kg.exporters.cypher import literal, string
from kg.graph import KnowledgeGraph
from kg.rdf.files import union_of

ENTITY = "https://example.org/kg/entity/"
NASTY = 'O\'Brien "the" \\ back`tick`; semi, comma\nnew line\ttab 😀 \u202e'

GRAPH = """
@prefix kg: <https://example.org/kg/ontology#> .
@prefix rel: <https://example.org/kg/relation/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix person: <https://example.org/kg/entity/person/> .
@prefix organization: <https://example.org/kg/entity/organization/> .
@prefix event: <https://example.org/kg/entity/event/> .
@prefix date: <https://example.org/kg/entity/date/> .

person:ada a kg:Person ; rdfs:label "Ada Lovelace" ; skos:altLabel "Lovelace", "Countess" ;
    kg:role "Chief Analyst", "Countess; of Lovelace" ; kg:leaderOf organization:acme ;
    kg:participantIn event:meeting ; rel:travel-to organization:acme .
person:nasty a kg:Person ; rdfs:label {nasty} ; skos:altLabel {nasty} ; kg:role {nasty} ;
    rel:meet person:ada .
organization:acme a kg:Organization ; rdfs:label "Acme Corp" .
event:meeting a kg:Event, kg:Meeting ; rdfs:label "Meeting" ; kg:participant person:ada ;
    kg:date date:2021-06-16 .
date:2021-06-16 a kg:Date ; rdfs:label "June 16" ; kg:isoValue "2021-06-16"^^xsd:date .
rel:meet rdfs:subPropertyOf kg:relatedTo .
rel:travel-to rdfs:subPropertyOf kg:relatedTo .
<https://example.org/kg/evidence/d/1> a kg:Evidence ; rdf:subject person:nasty ;
    rdf:predicate rel:meet ; rdf:object person:ada ; kg:sentence {nasty} ; kg:confidence 0.75 .
""".replace("{nasty}", json.dumps(NASTY, ensure_ascii=False))


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    dataset = Dataset(default_union=True)
    dataset.default_graph.parse(data=GRAPH, format="turtle")
    return KnowledgeGraph(dataset)


@pytest.fixture(scope="module")
def network(graph):
    return graph.to_networkx()


def test_graph_fixture_has_what_the_tests_expect(network):
    assert network.number_of_nodes() == 5
    relations = sorted(d["relation"] for _, _, d in network.edges(data=True))
    # ada participantIn meeting is the meeting's participant ada, stated once (one edge)
    assert relations == ["date", "leaderOf", "meet", "participant", "travel-to"]


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_broken_text_is_exported_not_fatal(tmp_path, fmt):
    """Lone surrogates and control characters (possible in parsed RDF) do not stop an export."""
    dataset = Dataset(default_union=True)
    dataset.default_graph.parse(
        data=GRAPH.replace('"Acme Corp"', '"Acme \\uD800 \\u0001 Corp"'), format="turtle"
    )
    graph = KnowledgeGraph(dataset)
    assert any("\ud800" in d["label"] for _, d in graph.to_networkx().nodes(data=True))
    written = export(graph, tmp_path / f"out.{fmt}", fmt)
    text = "".join(path.read_text(encoding="utf-8") for path in written)  # valid UTF-8
    assert "Acme" in text and "\ud800" not in text


def test_unknown_format(graph, tmp_path):
    with pytest.raises(FormatError, match="graphml, gexf, csv, cypher, jsonld"):
        export(graph, tmp_path / "x", "dot")


# --- GraphML and GEXF --------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_networkx_formats_read_back(graph, network, tmp_path, fmt, reader):
    (path,) = export(graph, tmp_path / f"g.{fmt}", fmt)
    back = reader(path)
    assert set(back.nodes) == set(network.nodes)
    assert back.number_of_edges() == network.number_of_edges()
    nasty = ENTITY + "person/nasty"
    assert back.nodes[nasty]["label"] == NASTY
    assert back.nodes[nasty]["roles"] == NASTY
    assert back.nodes[ENTITY + "person/ada"]["aliases"] == "Countess; Lovelace"
    assert back.nodes[ENTITY + "event/meeting"]["subtype"] == "Meeting"
    relations = sorted(d["relation"] for _, _, d in back.edges(data=True))
    assert relations == sorted(d["relation"] for _, _, d in network.edges(data=True))
    meet = next(d for _, _, d in back.edges(data=True) if d["relation"] == "meet")
    assert meet["evidence"] == NASTY and float(meet["confidence"]) == 0.75
    assert str(meet["open"]).lower() == "true"


def test_seeds_graphml_round_trip(seeds_graph, tmp_path):
    (path,) = export(seeds_graph, tmp_path / "seeds.graphml", "graphml")
    back = nx.read_graphml(path)
    network = seeds_graph.to_networkx()
    assert back.number_of_nodes() == network.number_of_nodes()
    assert back.number_of_edges() == network.number_of_edges()
    stoltenberg = ENTITY + "person/jens-stoltenberg"
    assert "Secretary General" in back.nodes[stoltenberg]["roles"]


# --- Neo4j CSV ---------------------------------------------------------------------------------


def read_csv(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_neo4j_csv_layout(graph, network, tmp_path):
    written = export(graph, tmp_path / "neo4j", "csv")
    assert [p.name for p in written] == ["nodes.csv", "relationships.csv"]
    nodes = read_csv(written[0])
    edges = read_csv(written[1])
    assert list(nodes[0]) == [
        "iri:ID", "name", "type", "subtype", "aliases:string[]", "roles:string[]", "value", ":LABEL"
    ]  # fmt: skip
    assert list(edges[0]) == [
        ":START_ID", ":END_ID", ":TYPE", "relation", "open:boolean", "evidence", "confidence:float", "iri"
    ]  # fmt: skip
    assert len(nodes) == network.number_of_nodes() and len(edges) == network.number_of_edges()
    ids = {row["iri:ID"] for row in nodes}
    assert all(row[":START_ID"] in ids and row[":END_ID"] in ids for row in edges)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", row[":TYPE"]) for row in edges)
    by_id = {row["iri:ID"]: row for row in nodes}
    ada = by_id[ENTITY + "person/ada"]
    assert ada[":LABEL"] == "Entity;Person"
    assert ada["roles:string[]"].split(";") == ["Chief Analyst", "Countess, of Lovelace"]
    assert by_id[ENTITY + "event/meeting"][":LABEL"] == "Entity;Event;Meeting"
    nasty = by_id[ENTITY + "person/nasty"]
    assert nasty["name"] == " ".join(NASTY.split())  # one line
    for path in written:  # no field spans lines: neo4j-admin needs no --multiline-fields
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) == len(read_csv(path)) + 1
    types = {row["relation"]: row[":TYPE"] for row in edges}
    assert types["leaderOf"] == "LEADER_OF" and types["travel-to"] == "TRAVEL_TO"


@pytest.mark.parametrize(
    ("relation", "kind"),
    [("leaderOf", "LEADER_OF"), ("travel-from", "TRAVEL_FROM"), ("", "RELATED_TO"), ("3d", "R_3D")],
)
def test_relationship_types(relation, kind):
    assert relationship_type(relation) == kind


# --- Cypher ------------------------------------------------------------------------------------

ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def cypher_strings(script: str) -> tuple[list[str], str]:
    """Decode every single-quoted Cypher string; return them and the script without them."""
    strings, outside, i = [], [], 0
    while i < len(script):
        char = script[i]
        if char != "'":
            outside.append(char)
            i += 1
            continue
        i += 1
        value = []
        while script[i] != "'":
            assert script[i] not in "\n\r", "raw line break inside a string"
            if script[i] == "\\":
                code = script[i + 1]
                if code == "u":
                    value.append(chr(int(script[i + 2 : i + 6], 16)))
                    i += 6
                    continue
                value.append(ESCAPES[code])
                i += 2
                continue
            value.append(script[i])
            i += 1
        strings.append("".join(value))
        i += 1
    return strings, "".join(outside)


@pytest.mark.parametrize("text", [NASTY, "", "'", "\\'", "\x00\x1f\u2028", "a\\nb"])
def test_cypher_string_round_trip(text):
    assert cypher_strings(string(text))[0] == [text]


def test_cypher_script(graph, network, tmp_path):
    (path,) = export(graph, tmp_path / "g.cypher", "cypher")
    script = path.read_text(encoding="utf-8")
    strings, skeleton = cypher_strings(script)
    assert strings.count(NASTY) == 3  # name, role, evidence intact (the alias is the name)
    assert {ENTITY + n for n in ("person/ada", "person/nasty", "organization/acme")} <= set(strings)
    statements = [s.strip() for s in skeleton.split(";\n") if s.strip()]
    assert statements[0].endswith("REQUIRE n.iri IS UNIQUE")
    merges = [s for s in statements if "MERGE (n:`Entity`" in s]
    links = [s for s in statements if "MERGE (a)-[r:" in s]
    assert len(merges) == 4  # Person, Organization, Event+Meeting, Date
    assert len(links) == len(
        {relationship_type(d["relation"]) for *_, d in network.edges(data=True)}
    )
    assert any("SET n += row, n:`Event`:`Meeting`" in s for s in merges)
    assert "MERGE (a)-[r:`TRAVEL_TO`]->(b)" in skeleton


def test_cypher_literals():
    assert literal({"a": [1, 2.5, True, None], "b": "x"}) == "{`a`: [1, 2.5, true, null], `b`: 'x'}"


# --- JSON-LD -----------------------------------------------------------------------------------


def test_jsonld_is_compact_and_round_trips(graph, tmp_path):
    (path,) = export(graph, tmp_path / "g.jsonld", "jsonld")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["@context"]["kg"] == "https://example.org/kg/ontology#"
    assert data["@context"]["person"] == ENTITY + "person/"
    ids = {item["@id"] for item in data["@graph"]}
    assert "person:ada" in ids
    back = Dataset(default_union=True)
    back.parse(path, format="json-ld")
    assert isomorphic(union_of(back), union_of(graph.dataset))


def test_jsonld_keeps_named_graphs(seeds_graph, tmp_path):
    (path,) = export(seeds_graph, tmp_path / "seeds.jsonld", "jsonld")
    back = Dataset(default_union=True)
    back.parse(path, format="json-ld")
    assert len(back) == len(seeds_graph.dataset)
    contexts = {str(g.identifier) for g in back.graphs()}
    assert {str(g.identifier) for g in seeds_graph.dataset.graphs() if len(g)} <= contexts


# --- the command -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(EXPORTERS))
def test_cli_export(graph, tmp_path, fmt):
    source = tmp_path / "g.ttl"
    graph.save(source)
    result = CliRunner().invoke(app, ["export", str(source), "--format", fmt])
    assert result.exit_code == 0, result.output
    expected = {
        "graphml": "g.graphml", "gexf": "g.gexf", "csv": "g-neo4j", "cypher": "g.cypher", "jsonld": "g.jsonld"
    }[fmt]  # fmt: skip
    assert (tmp_path / expected).exists()
    assert "kg: wrote" in result.output
    if fmt == "csv":
        assert "neo4j-admin database import full" in result.output


def test_cli_export_errors(graph, tmp_path):
    source = tmp_path / "g.ttl"
    graph.save(source)
    result = CliRunner().invoke(app, ["export", str(source), "--format", "dot"])
    assert result.exit_code == 1 and "unknown export format 'dot'" in result.output
    result = CliRunner().invoke(
        app, ["export", str(source), "-f", "graphml", "-o", str(tmp_path / "no" / "x.graphml")]
    )
    assert result.exit_code == 1 and "does not exist" in result.output
    assert "Traceback" not in result.output
