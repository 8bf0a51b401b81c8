"""The whole path on the two seed articles: documents → graph → SPARQL, networkx, HTML."""

from __future__ import annotations

import pytest
from rdflib import Literal

from kg.sparql.run import example_queries

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def persons(graph):
    return {e.label: e for e in graph.entities(type="Person")}


def test_joe_biden_is_one_person(seeds_graph):
    everyone = persons(seeds_graph)
    assert "Joe Biden" in everyone
    assert not any(label in everyone for label in ("Biden", "US President Joe Biden"))
    assert "Biden" in everyone["Joe Biden"].aliases
    others = [
        e
        for e in seeds_graph.entities()
        if e.label in ("Biden", "Joe Biden") and e.type != "Person"
    ]
    assert others == []


def test_no_person_split_or_typed_as_place(seeds_graph):
    everyone = persons(seeds_graph)
    surnames = [label.split()[-1] for label in everyone]
    assert len(surnames) == len(set(surnames)), f"a person split in two: {sorted(everyone)}"
    places_and_orgs = {
        e.label for e in seeds_graph.entities() if e.type in ("Location", "Organization")
    }
    for label in everyone:
        assert label.split()[-1] not in places_and_orgs


def test_titles_are_stripped_and_kept_as_roles(seeds_graph):
    everyone = persons(seeds_graph)
    assert "Spokeswoman" in everyone["Jen Psaki"].roles
    assert "Secretary General" in everyone["Jens Stoltenberg"].roles
    assert not any(label.startswith(("MEP ", "Spokeswoman ", "President ")) for label in everyone)


def test_stoltenberg_leads_nato(seeds_graph):
    rows = seeds_graph.query(
        "SELECT ?org WHERE { ?p rdfs:label ?name ; kg:leaderOf/rdfs:label ?org }",
        name=Literal("Jens Stoltenberg"),
    ).rows
    assert ("NATO",) in [tuple(str(c) for c in row) for row in rows]


def test_biden_putin_meeting_in_geneva_on_june_16(seeds_graph):
    rows = seeds_graph.query(example_queries()["meetings"]).dicts()
    meetings = [
        r
        for r in rows
        if {r["participant1Label"], r["participant2Label"]} == {"Joe Biden", "Vladimir Putin"}
    ]
    assert meetings, rows
    assert {r["placeLabel"] for r in meetings} == {"Geneva"}
    assert {r["date"] for r in meetings} == {"--06-16"}


def test_author_byline(seeds_graph):
    rows = seeds_graph.query(
        "SELECT ?name WHERE { ?d a kg:Document ; kg:author/rdfs:label ?name }"
    ).rows
    assert [str(r[0]) for r in rows] == ["Killian Jones"]


def test_quotes_have_speakers(seeds_graph):
    rows = seeds_graph.query(example_queries()["quotes_by_speaker"]).dicts()
    speakers = {r.get("speakerLabel") for r in rows}
    assert {"Jens Stoltenberg", "Tonino Picula", "Tim Wright"} <= speakers


def test_every_example_query_runs_and_returns_rows(seeds_graph):
    for name, text in example_queries().items():
        result = (
            seeds_graph.query(text, name=Literal("Jens Stoltenberg"))
            if "?name" in text
            else seeds_graph.query(text)
        )
        assert len(result) > 0, name


def test_evidence_of_a_fact(seeds_graph):
    rows = seeds_graph.query(
        """SELECT ?sentence ?extractor ?confidence ?doc WHERE {
             ?ev rdf:subject ?p ; rdf:predicate kg:leaderOf ; rdf:object ?o ;
                 kg:sentence ?sentence ; kg:extractor ?extractor ; kg:confidence ?confidence ;
                 kg:document ?doc .
             ?p rdfs:label "Jens Stoltenberg" . ?o rdfs:label "NATO" }"""
    ).dicts()
    assert rows
    assert all("Stoltenberg" in r["sentence"] for r in rows)
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)


def test_shacl_conforms(seeds_graph):
    report = seeds_graph.validate()
    assert report.conforms, report.text


def test_networkx_has_one_node_per_entity(seeds_graph):
    import networkx as nx

    graph = seeds_graph.to_networkx()
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_nodes() == len(seeds_graph.entities())
    biden = next(n for n, a in graph.nodes(data=True) if a["label"] == "Joe Biden")
    assert graph.nodes[biden]["type"] == "Person"
    centrality = nx.degree_centrality(graph)
    assert max(centrality, key=centrality.get) == biden
    stoltenberg = next(n for n, a in graph.nodes(data=True) if a["label"] == "Jens Stoltenberg")
    assert nx.has_path(graph.to_undirected(), biden, stoltenberg)
    assert all("relation" in d and "evidence" in d for _, _, d in graph.edges(data=True))


def test_neighbors(seeds_graph):
    relations = {(n.relation, n.label) for n in seeds_graph.neighbors("Jens Stoltenberg")}
    assert ("leaderOf", "NATO") in relations


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".jsonld"])
def test_save_and_load_round_trip(seeds_graph, tmp_path, suffix):
    from kg.graph import KnowledgeGraph

    path = seeds_graph.save(tmp_path / f"graph{suffix}")
    loaded = KnowledgeGraph.load(path)
    assert {e.label for e in loaded.entities(type="Person")} == {
        e.label for e in seeds_graph.entities(type="Person")
    }
    assert len(loaded.query(example_queries()["meetings"])) == len(
        seeds_graph.query(example_queries()["meetings"])
    )


@pytest.mark.browser
def test_html_opens_offline_and_shows_the_graph(seeds_graph, browser, tmp_path):
    path = seeds_graph.to_html(tmp_path / "graph.html")
    html = path.read_text(encoding="utf-8")
    assert '<script src="http' not in html and '<link href="http' not in html
    page = browser.new_page()
    outside = []
    page.route(
        "**/*",
        lambda route: (
            (outside.append(route.request.url), route.abort())
            if not route.request.url.startswith(("file:", "data:"))
            else route.continue_()
        ),
    )
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    page.wait_for_timeout(500)
    count = page.evaluate("() => window.nodes.length")
    assert 0 < count <= len(seeds_graph.entities())  # quotes listed on speakers, not drawn
    assert outside == [] and errors == []
    page.close()
