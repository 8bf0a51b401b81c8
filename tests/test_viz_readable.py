"""The network page at corpus scale: quotes on speakers, facts once, labels, search, filters."""

from __future__ import annotations

import json
import random
import time

import networkx as nx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from kg.network.html import LABELLED_NODES, render_html, render_page
from kg.network.views import DEFAULT_MAX_NODES, merge_inverses, pagerank, quotes_by_speaker, select

ENTITY = "https://example.org/kg/entity/"


def add(graph, kind, slug, label, **extra):
    iri = f"{ENTITY}{kind.lower()}/{slug}"
    graph.add_node(
        iri, iri=iri, label=label, type=kind, aliases=extra.pop("aliases", []), roles=[], **extra
    )
    return iri


def fact(graph, source, target, relation, evidence="", confidence=0.8):
    graph.add_edge(
        source,
        target,
        key=relation,
        relation=relation,
        open=False,
        evidence=evidence,
        confidence=confidence,
    )


def payload(html: str) -> dict:
    return json.loads(HTMLParser(html).css_first("script#kg-data").text())


@pytest.fixture
def summit() -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    biden = add(graph, "Person", "joe-biden", "Joe Biden", aliases=["Biden"])
    putin = add(graph, "Person", "vladimir-putin", "Vladimir Putin")
    meeting = add(graph, "Event", "meeting", "Geneva summit")
    add(graph, "Location", "nowhere", "Nowhere")  # no fact at all
    fact(graph, meeting, biden, "participant", "Biden met Putin.")
    fact(graph, biden, meeting, "participantIn", "Biden met Putin.", 0.9)
    fact(graph, putin, meeting, "participantIn", "Biden met Putin.")
    for index, text in enumerate(["We will talk.", "It was constructive.", "<b>No</b> threats."]):
        quote = add(graph, "Quote", f"q{index}", text)
        fact(
            graph,
            quote,
            biden if index < 2 else putin,
            "speaker",
            f"Said: {text}",
            0.5 + index / 10,
        )
    return graph


def test_inverse_facts_are_one_fact(summit):
    merged = merge_inverses(summit)
    relations = sorted(rel for *_, rel in merged.edges(data="relation"))
    assert relations.count("participant") == 2 and "participantIn" not in relations
    meeting = f"{ENTITY}event/meeting"
    assert {v for _, v, r in merged.out_edges(meeting, data="relation") if r == "participant"} == {
        f"{ENTITY}person/joe-biden",
        f"{ENTITY}person/vladimir-putin",
    }
    kept = merged.get_edge_data(meeting, f"{ENTITY}person/joe-biden")["participant"]
    assert kept["confidence"] == 0.9  # the better of the two statements
    view = select(summit)
    assert view.total_edges == merged.number_of_edges() == summit.number_of_edges() - 1


def test_quotes_are_attributes_of_their_speakers_by_default(summit):
    view = select(summit)
    assert "Quote" not in {t for _, t in view.graph.nodes(data="type")}
    assert "quotes shown with their speakers" in view.note
    said = quotes_by_speaker(summit)
    assert [q["text"] for q in said[f"{ENTITY}person/joe-biden"]] == [
        "It was constructive.",
        "We will talk.",
    ]
    data = payload(render_page(summit))
    nodes = {node["id"]: node for node in data["nodes"]}
    biden = nodes[f"{ENTITY}person/joe-biden"]
    assert [row[0] for row in biden["quotes"]] == ["It was constructive.", "We will talk."]
    assert ["quotes", "2 (click the node to read them)"] in biden["tip"]
    # the toggle's quote nodes are in the page, hidden, placed around their speaker
    attached = [node for node in data["nodes"] if node.get("attached")]
    assert len(attached) == 3 and all(node["quote"] and "x" in node for node in attached)
    assert not data["settings"]["quoteNodes"]
    drawn = payload(render_page(summit, quotes=True))
    assert drawn["settings"]["quoteNodes"] and not any(n.get("attached") for n in drawn["nodes"])
    assert sum(1 for n in drawn["nodes"] if n["type"] == "Quote") == 3


def test_entities_without_facts_are_hidden_unless_asked(summit):
    assert f"{ENTITY}location/nowhere" not in select(summit).graph
    assert "1 entities without facts hidden" in select(summit).note
    assert f"{ENTITY}location/nowhere" in select(summit, isolated=True).graph
    # a focus node is kept even alone
    assert f"{ENTITY}location/nowhere" in select(summit, focus="Nowhere", hops=0).graph


def corpus_like(n: int, seed: int = 5) -> nx.MultiDiGraph:
    """Hubs, a long tail, quotes on a few speakers, entities without facts."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    kinds = ["Person", "Organization", "Location", "Event"]
    nodes = [
        add(graph, kinds[i % 4], f"n{i}", f"Name {i:04d}", aliases=[f"N{i}"]) for i in range(n)
    ]
    for _ in range(n):
        hub = rng.choice(nodes[:20]) if rng.random() < 0.5 else rng.choice(nodes)
        other = rng.choice(nodes[: n * 2 // 3])
        if hub != other:
            fact(graph, hub, other, rng.choice(["affiliatedWith", "locatedIn", "meet", "leaderOf"]))
    for i in range(n // 3):
        quote = add(graph, "Quote", f"q{i}", f"Quote number {i} about Name {i:04d}")
        fact(graph, quote, nodes[i % 40], "speaker", f"He said quote number {i}.")
    return graph


def test_large_graphs_are_reduced_and_the_central_nodes_labelled():
    graph = corpus_like(1200)
    data = payload(render_page(graph))
    drawn = [node for node in data["nodes"] if not node.get("attached")]
    assert len(drawn) <= DEFAULT_MAX_NODES
    assert not any(node["type"] == "Quote" for node in drawn)
    labelled = [node for node in drawn if node["labelled"]]
    assert len(labelled) == LABELLED_NODES
    shown = select(graph).graph
    scores = pagerank(shown)
    cutoff = sorted(scores.values(), reverse=True)[LABELLED_NODES - 1]
    assert all(scores[node["id"]] >= cutoff for node in labelled)
    # every drawn entity has a fact on the page
    linked = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert {n["id"] for n in drawn} <= linked


def test_legend_filters_relations_and_communities():
    html = render_page(corpus_like(400))
    tree = HTMLParser(html)
    assert tree.css_first("#kg-search") is not None
    relations = [
        box.attributes["data-relation"] for box in tree.css("#kg-relations input[data-relation]")
    ]
    assert set(relations) == {"affiliatedWith", "locatedIn", "meet", "leaderOf"}
    assert all(b.attributes.get("aria-pressed") == "true" for b in tree.css("#kg-legend button"))
    communities = tree.css("li.kg-legend-community button")
    assert 2 <= len(communities) <= 10
    assert tree.css_first("#kg-quote-nodes") is not None


# --- in Chromium -------------------------------------------------------------------------


def wait_until(page, predicate: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"timed out waiting for {predicate}"
        page.wait_for_timeout(50)


def open_page(browser, path, width=1280, height=800):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(path.as_uri())
    wait_until(page, "() => Boolean(window.kgStatus && window.kgStatus.stabilized)", 60)
    return context, page, errors, requests


LABEL_BOXES = """() => {
  const scale = network.getScale();
  return nodes.get({filter: n => n.labelled}).map(n => {
    const label = network.body.nodes[n.id].labelModule;
    const p = network.canvasToDOM({x: label.size.left, y: label.size.top});
    const q = network.canvasToDOM({x: label.size.left + label.size.width, y: label.size.top + label.size.height});
    return {id: n.id, text: n.label, px: (n.font && n.font.size || 14) * scale, box: [p.x, p.y, q.x, q.y]};
  });
}"""


def overlap(a, b) -> float:
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0) * max(height, 0)


def check_readable(page, errors, requests, canvas_size):
    """The checks of issue 12 on an open page: labels legible, search centres, offline."""
    labels = page.evaluate(LABEL_BOXES)
    assert len(labels) == LABELLED_NODES
    for label in labels:
        assert label["text"], "a central node lost its label"
        assert label["px"] >= 11.5, label  # legible on screen however far out the view is
        x0, y0, x1, y1 = label["box"]
        assert -5 <= x0 and x1 <= canvas_size[0] + 5 and -5 <= y0 and y1 <= canvas_size[1] + 5
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            area = min(
                (a["box"][2] - a["box"][0]) * (a["box"][3] - a["box"][1]),
                (b["box"][2] - b["box"][0]) * (b["box"][3] - b["box"][1]),
            )
            assert overlap(a["box"], b["box"]) <= 0.15 * area, (a["text"], b["text"])
    # the other nodes show their label on hover only
    assert page.evaluate(
        "nodes.get({filter: n => !n.labelled && !n.quote}).every(n => n.label === '')"
    )
    assert page.evaluate("edges.get().every(e => e.label === '')")  # relations on hover or zoom
    assert errors == [] and all(url.startswith("file:") for url in requests)


def search_and_centre(page, text):
    page.fill("#kg-search", text)
    first = page.evaluate("document.querySelector('#kg-results button').dataset.id")
    page.click("#kg-results button")
    wait_until(page, f"() => kgStatus.focused === {json.dumps(first)}", 5)
    centre = page.evaluate("network.getViewPosition()")
    spot = page.evaluate(f"network.getPositions([{json.dumps(first)}])[{json.dumps(first)}]")
    assert abs(centre["x"] - spot["x"]) < 1 and abs(centre["y"] - spot["y"]) < 1
    assert page.evaluate(f"nodes.get({json.dumps(first)}).label") != ""
    assert page.evaluate("document.getElementById('kg-details').dataset.id") == first
    return first


@pytest.mark.browser
def test_browser_large_graph_is_readable(browser, tmp_path):
    graph = corpus_like(1500)
    path = render_html(graph, tmp_path / "large.html")
    context, page, errors, requests = open_page(browser, path)
    try:
        assert page.evaluate("nodes.get({filter: n => !n.attached}).length") <= DEFAULT_MAX_NODES
        assert (
            page.evaluate(
                "network.body.nodeIndices.filter(id => nodes.get(id).type === 'Quote').length"
            )
            == 0
        )
        box = page.locator("#mynetwork").bounding_box()
        check_readable(page, errors, requests, (box["width"], box["height"]))
        # hovering shows a node's label
        other = page.evaluate("nodes.get({filter: n => !n.labelled && !n.quote})[0].id")
        spot = page.evaluate(
            f"network.canvasToDOM(network.getPositions([{json.dumps(other)}])[{json.dumps(other)}])"
        )
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        wait_until(page, f"() => nodes.get({json.dumps(other)}).label !== ''", 5)
        page.mouse.move(box["x"] + 2, box["y"] + 2)
        # search: entities before quotes, and the hit is centred and selected
        named = page.evaluate(
            "nodes.get({filter: n => n.quotes && n.quotes.some(q => q[0].indexOf(n.fullLabel) >= 0)})[0].fullLabel"
        )
        ranked = page.evaluate(f"kgSearch({json.dumps(named)}).map(hit => nodes.get(hit.id).type)")
        assert ranked[0] != "Quote" and "Quote" in ranked  # the entity, then a quote naming it
        assert ranked.index("Quote") > max(i for i, t in enumerate(ranked) if t != "Quote")
        speaker = page.evaluate(
            "nodes.get({filter: n => !n.labelled && n.quotes && n.aliases.length})[0]"
        )
        found = search_and_centre(page, speaker["aliases"][0])
        assert found == speaker["id"]
        quotes = page.evaluate(
            "Array.from(document.querySelectorAll('#kg-details .kg-quotes blockquote'), b => b.textContent)"
        )
        assert quotes == [row[0] for row in speaker["quotes"]] and quotes
        # the legend filters: hide a type, show it again
        before = page.evaluate("network.body.nodeIndices.length")
        page.click("#kg-legend button[data-type='Person']")
        hidden = page.evaluate("network.body.nodeIndices.length")
        assert hidden < before and page.evaluate(
            "network.body.nodeIndices.every(id => nodes.get(id).type !== 'Person')"
        )
        page.click("#kg-legend button[data-type='Person']")
        assert page.evaluate("network.body.nodeIndices.length") == before
        # the quote toggle draws the quotes of the speakers on the page
        page.check("#kg-quote-nodes")
        assert (
            page.evaluate(
                "network.body.nodeIndices.filter(id => nodes.get(id).type === 'Quote').length"
            )
            > 0
        )
        # a relation unticked hides its facts
        page.click("#kg-relations summary")
        page.uncheck("#kg-relations input[data-relation='meet']")
        assert page.evaluate(
            "network.body.edgeIndices.every(id => edges.get(id).relation !== 'meet')"
        )
    finally:
        context.close()
