"""Large graphs in `kg viz`: top N, focus and hops, type and relation filters, default reduction."""

from __future__ import annotations

import json
import random
import time

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from typer.testing import CliRunner

from kg.errors import KGError
from kg.model import ENTITY_TYPES
from kg.network.html import render_html, render_page
from kg.network.views import (
    DEFAULT_MAX_NODES,
    find_nodes,
    most_central,
    neighbourhood,
    pagerank,
    select,
)

ENTITY = "https://example.org/kg/entity/"
RELATIONS = ["leaderOf", "memberOf", "locatedIn", "participant", "meet", "criticize"]
#: Quotes are drawn on their speakers, not as nodes: the random graphs have none.
KINDS = [kind for kind in ENTITY_TYPES if kind != "Quote"]


def big_graph(n: int, seed: int = 3) -> nx.MultiDiGraph:
    """A random kg-shaped graph: typed nodes, ~1.5 facts per node, a few hubs."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        iri = f"{ENTITY}{kind.lower()}/n{i}"
        graph.add_node(iri, iri=iri, label=f"Entity {i}", type=kind, aliases=[f"E{i}"], roles=[])
    nodes = list(graph.nodes)
    hubs = nodes[:5]
    for _ in range(int(n * 1.5)):
        source = rng.choice(hubs) if rng.random() < 0.3 else rng.choice(nodes)
        target = rng.choice(nodes)
        relation = rng.choice(RELATIONS)
        graph.add_edge(source, target, relation=relation, open=relation in ("meet", "criticize"))
    return graph


def payload(html: str) -> dict:
    return json.loads(HTMLParser(html).css_first("script#kg-data").text())


def note(html: str) -> str | None:
    node = HTMLParser(html).css_first("#kg-note")
    return None if node is None else node.text()


@pytest.fixture(scope="module")
def big() -> nx.MultiDiGraph:
    return big_graph(3000)


# --- ranking ---------------------------------------------------------------------------------


def test_pagerank_matches_networkx(big):
    ours = pagerank(big)
    theirs = _pagerank_python(big, tol=1e-12, max_iter=500)
    assert sum(ours.values()) == pytest.approx(1.0)
    assert max(abs(ours[n] - theirs[n]) for n in big) < 1e-6


def test_pagerank_of_small_graphs():
    assert pagerank(nx.MultiDiGraph()) == {}
    lonely = nx.MultiDiGraph()
    lonely.add_nodes_from("abc")
    assert pagerank(lonely) == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    star = nx.MultiDiGraph([("a", "hub"), ("b", "hub"), ("c", "hub")])
    scores = pagerank(star)
    assert max(scores, key=scores.get) == "hub"


def test_most_central_by_degree_and_keep(big):
    top = most_central(big, 10, rank="degree")
    degrees = sorted((d for _, d in big.degree()), reverse=True)
    assert sorted((big.degree(n) for n in top), reverse=True) == degrees[:10]
    quiet = min(big, key=big.degree)
    kept = most_central(big, 10, rank="degree", keep=[quiet])
    assert kept[0] == quiet and len(kept) == 10


# --- choosing what to draw -------------------------------------------------------------------


def test_top_n(big):
    view = select(big, top=100, isolated=True)
    assert view.graph.number_of_nodes() == 100
    scores = pagerank(big)
    cutoff = sorted(scores.values(), reverse=True)[99]
    assert all(scores[n] >= cutoff for n in view.graph)
    # the edges kept are exactly those among the kept nodes
    expected = sum(1 for u, v in big.edges() if u in view.graph and v in view.graph)
    assert view.graph.number_of_edges() == expected
    assert "the 100 most central by PageRank" in view.note
    assert view.note.startswith(f"Showing 100 of {big.number_of_nodes():,} entities")


def test_focus_and_hops(big):
    center = f"{ENTITY}organization/n6"
    one = select(big, focus="Entity 6", hops=1, max_nodes=None)
    around = {center, *big.successors(center), *big.predecessors(center)}
    assert set(one.graph) == around
    two = select(big, focus="e6", hops=2, max_nodes=None)  # an alias, any case
    assert set(two.graph) == set(neighbourhood(big, [center], 2)) and around < set(two.graph)
    assert set(select(big, focus=center, hops=0).graph) == {center}
    assert "1 hop around Entity 6" in one.note


def test_focus_unknown_name_suggests(big):
    with pytest.raises(KGError, match=r"no entity named 'Entity 6x'.*did you mean: .*Entity 6"):
        select(big, focus="Entity 6x")
    assert find_nodes(big, "ENTITY 7") == [f"{ENTITY}location/n7"]


def test_type_filter(big):
    view = select(big, types=["person", "Organization"], max_nodes=None, isolated=True)
    assert {d["type"] for _, d in view.graph.nodes(data=True)} == {"Person", "Organization"}
    assert view.graph.number_of_nodes() == 1200
    with pytest.raises(KGError, match="unknown entity type 'Persons'.*Person, Organization"):
        select(big, types=["Persons"])
    with pytest.raises(KGError, match="left out by the type filter"):
        select(big, types=["Location"], focus="Entity 0")


def test_relation_filter(big):
    view = select(big, relations=["leaderOf"], max_nodes=None)
    relations = {d["relation"] for *_, d in view.graph.edges(data=True)}
    assert relations == {"leaderOf"}
    assert view.graph.number_of_edges() == sum(
        1 for *_, d in big.edges(data=True) if d["relation"] == "leaderOf"
    )
    assert all(view.graph.degree(n) > 0 for n in view.graph)  # nodes left without facts go
    with pytest.raises(KGError, match="no fact has relation 'leads'.*leaderOf"):
        select(big, relations=["leads"])


def test_filters_combine(big):
    view = select(big, types=["Person"], relations=["meet"], top=20, max_nodes=None)
    assert view.graph.number_of_nodes() <= 20
    assert all(d["type"] == "Person" for _, d in view.graph.nodes(data=True))
    assert all(d["relation"] == "meet" for *_, d in view.graph.edges(data=True))
    assert "types Person; relations meet" in view.note


def test_default_reduction_and_its_note(big):
    assert big.number_of_nodes() > DEFAULT_MAX_NODES
    html = render_page(big)
    data = payload(html)
    shown = len(data["nodes"])
    assert DEFAULT_MAX_NODES / 2 <= shown <= DEFAULT_MAX_NODES  # less those left without facts
    text = note(html)
    assert f"Showing {shown:,} of 3,000 entities" in text
    assert f"{3000 - shown:,} entities are left out" in text
    assert "--all" in text and "--focus NAME --hops K" in text
    linked = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert {n["id"] for n in data["nodes"]} == linked  # nothing drawn without a fact
    everything = payload(render_page(big, max_nodes=None, isolated=True))
    assert len(everything["nodes"]) == 3000
    small = big_graph(50)
    assert note(render_page(small, isolated=True)) is None
    assert "entities without facts hidden" in note(render_page(small))


def test_user_note_and_view_note_both_shown(big):
    html = render_page(big, note="built from 10 documents", top=5, isolated=True)
    assert note(html).splitlines()[0] == "built from 10 documents"
    assert "Showing 5 of 3,000" in note(html)


def test_bad_view_options(big):
    for options in ({"top": 0}, {"hops": -1}, {"rank": "betweenness"}, {"max_nodes": 0}):
        with pytest.raises(KGError):
            select(big, **options)


def test_five_thousand_nodes_are_reduced_by_default(tmp_path):
    """Speed is measured in bench/viz_render.py; here only what gets drawn."""
    render_html(big_graph(5000), tmp_path / "big.html")
    data = payload((tmp_path / "big.html").read_text(encoding="utf-8"))
    assert DEFAULT_MAX_NODES / 2 <= len(data["nodes"]) <= DEFAULT_MAX_NODES
    assert {e["from"] for e in data["edges"]} <= {n["id"] for n in data["nodes"]}


# --- the command -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_file(seeds_graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("seeds") / "seeds.ttl"
    seeds_graph.save(path)
    return path


def run_viz(*args: str):
    from kg.cli.main import app

    return CliRunner().invoke(app, ["viz", *args])


def test_cli_focus_on_the_seeds(seeds_file, seeds_graph, tmp_path):
    out = tmp_path / "focus.html"
    result = run_viz(str(seeds_file), "-o", str(out), "--focus", "Jens Stoltenberg", "--hops", "1")
    assert result.exit_code == 0, result.output
    network = seeds_graph.to_networkx()
    stoltenberg = ENTITY + "person/jens-stoltenberg"
    near = {stoltenberg, *network.successors(stoltenberg), *network.predecessors(stoltenberg)}
    expected = {node for node in near if network.nodes[node]["type"] != "Quote"}
    assert len(expected) < len(near)  # his quotes are listed on him, not drawn
    html = out.read_text(encoding="utf-8")
    assert {node["id"] for node in payload(html)["nodes"]} == expected
    assert "1 hop around Jens Stoltenberg" in note(html)


def test_cli_top_types_relations(seeds_file, tmp_path):
    out = tmp_path / "top.html"
    result = run_viz(str(seeds_file), "-o", str(out), "--top", "5", "--rank", "degree")
    assert result.exit_code == 0, result.output
    assert len(payload(out.read_text(encoding="utf-8"))["nodes"]) == 5
    result = run_viz(
        str(seeds_file), "-o", str(out), "--types", "Person,Organization", "--relations", "leaderOf"
    )
    assert result.exit_code == 0, result.output
    data = payload(out.read_text(encoding="utf-8"))
    assert {n["type"] for n in data["nodes"]} <= {"Person", "Organization"}
    assert {e["relation"] for e in data["edges"]} == {"leaderOf"}


def test_cli_errors_are_one_line(seeds_file, tmp_path):
    result = run_viz(str(seeds_file), "-o", str(tmp_path / "x.html"), "--focus", "Stoltenbreg")
    assert result.exit_code == 1
    assert "did you mean" in result.output and "Jens Stoltenberg" in result.output
    assert "Traceback" not in result.output
    result = run_viz(str(seeds_file), "-o", str(tmp_path / "x.html"), "--relations", "likes")
    assert result.exit_code == 1 and "relations in this graph" in result.output
    assert not (tmp_path / "x.html").exists()


# --- in a real browser -------------------------------------------------------------------------


def open_settled(browser, path, seconds: float = 120):
    """Open a kg viz page and poll (CSP forbids wait_for_function) until it has settled."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    deadline = time.monotonic() + seconds
    while not page.evaluate("() => Boolean(window.kgStatus && window.kgStatus.stabilized)"):
        assert time.monotonic() < deadline, "the page did not settle"
        page.wait_for_timeout(100)
    return context, page, errors, requests


@pytest.mark.browser
def test_browser_thousand_nodes_settle(browser, tmp_path):
    graph = big_graph(1000)
    path = render_html(graph, tmp_path / "k1.html", max_nodes=None, isolated=True)
    context, page, errors, requests = open_settled(browser, path)
    try:
        assert page.evaluate("[nodes.length, edges.length]") == [1000, graph.number_of_edges()]
        assert page.evaluate("network.physics.options.enabled") is False
        assert errors == [] and all(u.startswith("file:") for u in requests)
    finally:
        context.close()


@pytest.mark.browser
def test_browser_reduced_page_shows_its_note(browser, big, tmp_path):
    path = render_html(big, tmp_path / "k3.html", top=300, isolated=True)
    context, page, errors, _ = open_settled(browser, path)
    try:
        assert page.evaluate("nodes.length") == 300
        assert "Showing 300 of 3,000 entities" in page.locator("#kg-note").inner_text()
        assert errors == []
    finally:
        context.close()
