"""Issue 12's checks on 100 BBC politics articles: the standalone page and the explorer card."""

from __future__ import annotations

import json
import urllib.parse
from collections import Counter

import pytest
from test_viz_readable import check_readable, open_page, search_and_centre, wait_until

from kg.network.html import render_html
from kg.network.views import DEFAULT_MAX_NODES

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def politics(shared_data, nlp):
    """The knowledge graph of the first 100 BBC politics articles (sorted by name)."""
    from kg.graph import KnowledgeGraph

    folder = shared_data / "bbc_news" / "politics"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found")
    files = sorted(folder.glob("*.txt"))[:100]
    assert len(files) == 100
    return KnowledgeGraph.build(files)


def test_standalone_page_of_100_articles(politics, browser, tmp_path):
    network = politics.to_networkx()
    assert network.number_of_nodes() > 1000
    path = render_html(network, tmp_path / "politics.html")
    context, page, errors, requests = open_page(browser, path, width=1400, height=900)
    try:
        drawn = page.evaluate("network.body.nodeIndices.length")
        assert 100 < drawn <= DEFAULT_MAX_NODES
        assert page.evaluate("network.body.nodeIndices.every(id => nodes.get(id).type !== 'Quote')")
        box = page.locator("#mynetwork").bounding_box()
        check_readable(page, errors, requests, (box["width"], box["height"]))
        top = page.evaluate(
            "nodes.get({filter: n => n.type === 'Person' && !n.attached}).sort((a, b) => a.rank - b.rank)[0]"
        )
        found = search_and_centre(page, top["fullLabel"])
        assert found == top["id"]
        settled = page.evaluate("kgStatus.stabilizedMs")
        print(
            f"drawn {drawn} nodes, settled {settled:.0f} ms after navigation"
        )  # bench/viz_render.py times it
    finally:
        context.close()


def test_explorer_card_of_the_most_mentioned_person_has_no_quote_nodes(politics, browser):
    from kg.serve.app import create_app, running

    mentions = Counter(
        str(o)
        for o in politics.dataset.objects(
            None, __import__("kg.rdf.namespace", fromlist=["KG"]).KG.mentions
        )
    )
    network = politics.to_networkx()
    person = max(
        (iri for iri in mentions if iri in network and network.nodes[iri]["type"] == "Person"),
        key=lambda iri: mentions[iri],
    )
    with running(create_app(politics)) as url:
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        page = context.new_page()
        try:
            page.goto(url + "?focus=" + urllib.parse.quote(person, safe=""))
            wait_until(
                page,
                "() => Boolean(window.kgExplorer && kgExplorer.ready && kgExplorer.busy === 0 && kgExplorer.stable)",
                120,
            )
            wait_until(
                page,
                f"() => document.getElementById('kg-panel').dataset.iri === {json.dumps(person)}",
                60,
            )
            assert page.evaluate("nodes.length") > 1
            assert page.evaluate("nodes.get().filter(n => n.type === 'Quote').length") == 0
            assert page.locator("#kg-entity-quotes li").count() > 0  # the quotes are on the card
        finally:
            context.close()
