"""Hostile text in documents, through the real pipeline (spaCy, extractors, resolution,
RDF) to every place it is shown: the HTML network, the explorer, its tooltips and
cards, the document page and the query page, in a real Chromium.

The payloads set ``window.kgPwned`` and open dialogs when they run; the pages must show
them as text: no dialog, no script error, no CSP report, no element made from them.
The same graph checks that IRIs stay valid for any input and that values given to
SPARQL are bound, never pasted (``x" } ; DROP ALL ; #``).
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from rdflib import DCTERMS, Literal, Namespace, URIRef
from robust_helpers import HOSTILE, PageWatch, wait_until

from kg.graph import KnowledgeGraph
from kg.serve import ServeConfig, create_app
from kg.serve.app import running

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
KG = Namespace("https://example.org/kg/ontology#")

TITLE = '<script>window.kgPwned=1;alert("title")</script> Summit & "quotes" `ticks`'
QUOTE = f"Trust is </div>{HOSTILE[0]} earned {HOSTILE[3]}"
INJECTION = 'x" } ; DROP ALL ; #'
TEXT = f"""{TITLE}

President Joe Biden met Vladimir Putin in Geneva on June 16. </div>{HOSTILE[1]}

"{QUOTE}," said Angela Merkel.

Chancellor Olaf Scholz said `rm -rf /` and {HOSTILE[2]} were not options in Berlin.\x07

Prime Minister Boris <b>Johnson</b> visited Paris with Emmanuel Macron.
"""
RECORDS = [
    {
        "id": INJECTION,
        "title": HOSTILE[1],
        "author": "Killian <script>window.kgPwned=5</script> Jones",
        "url": "javascript:window.kgPwned=6",
        "text": "By Killian Jones\n\nNATO Secretary General Jens Stoltenberg met Recep "
        'Tayyip Erdoğan in Ankara. "We </script><script>window.kgPwned=7</script> agree," '
        "Stoltenberg said.",
    },
    {"id": "plain", "title": INJECTION, "text": "Justin Trudeau spoke in Ottawa on Monday."},
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> KnowledgeGraph:
    """The graph of the hostile documents, built by the real pipeline."""
    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "hostile.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "hostile.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8"
    )
    errors: list[str] = []
    graph = KnowledgeGraph.build([corpus], on_error=errors.append)
    assert errors == []
    return graph


def quote_node(graph: KnowledgeGraph) -> str:
    (row,) = graph.query("SELECT ?q WHERE { ?q kg:quoteText ?t }", t=Literal(QUOTE)).rows
    return str(row[0])


def test_hostile_text_reaches_the_graph_unchanged(hostile):
    titles = {str(t) for t in hostile.dataset.objects(None, DCTERMS.title)}
    assert {TITLE, HOSTILE[1], INJECTION} <= titles
    assert quote_node(hostile)
    sentences = " ".join(str(s) for s in hostile.dataset.objects(None, KG.sentence))
    assert HOSTILE[0] in sentences and "\x07" not in sentences
    labels = {e.label for e in hostile.entities()}
    assert {"Joe Biden", "Angela Merkel", "Jens Stoltenberg"} <= labels


def test_every_iri_is_valid_and_survives_a_round_trip(hostile, tmp_path):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    iris = {
        str(term)
        for quad in hostile.dataset.quads((None, None, None, None))
        for term in quad
        if isinstance(term, URIRef)
    }
    assert any("document/x-" in iri for iri in iris)  # the injected id, made safe
    for iri in iris:
        pyoxigraph.NamedNode(iri)  # RFC 3987, or ValueError
    path = hostile.save(tmp_path / "hostile.nq")
    parsed = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS))
    assert len(parsed) == len(set(hostile.dataset.quads((None, None, None, None))))
    quotes = {str(o) for o in hostile.dataset.objects(None, KG.quoteText)}
    assert QUOTE in quotes
    for suffix in (".trig", ".ttl", ".jsonld"):
        again = KnowledgeGraph.load(hostile.save(tmp_path / f"hostile{suffix}"))
        assert {str(o) for o in again.dataset.objects(None, KG.quoteText)} == quotes


def test_values_are_bound_never_pasted(hostile):
    size = len(hostile)
    found = hostile.query("SELECT ?d WHERE { ?d dcterms:title ?t }", t=INJECTION)
    assert len(found) == 1
    assert hostile.query("SELECT ?d WHERE { ?d dcterms:title ?name }", name=INJECTION).rows
    widened = '" } UNION { ?d ?p ?o } #'
    assert len(hostile.query("SELECT ?d WHERE { ?d dcterms:title ?t }", t=widened)) == 0
    assert len(hostile.query("SELECT ?e WHERE { ?e rdfs:label ?name }", name=INJECTION)) == 0
    assert len(hostile) == size


def test_explorer_api_takes_hostile_values_as_data(hostile):
    import http.client

    before = set(hostile.dataset.quads((None, None, None, None)))
    with running(create_app(hostile, ServeConfig())) as url:
        parts = urllib.parse.urlsplit(url)

        def get(path: str) -> tuple[int, bytes]:
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read()

        for value in (INJECTION, HOSTILE[0], "> } ; DROP ALL ; <", "\u202e\x00"):
            quoted = urllib.parse.quote(value, safe="")
            status, body = get(f"/api/search?q={quoted}")
            assert status == 200 and isinstance(json.loads(body)["results"], list)
            status, body = get(f"/api/entity?iri={quoted}")
            assert status in (400, 404) and "error" in json.loads(body)
            status, body = get(f"/api/neighbourhood?iri={quoted}&hops=2")
            assert status == 200 and json.loads(body)["nodes"] == []
            status, body = get(f"/document/{quoted}")
            assert status == 404 and value.encode() not in body
        status, body = get("/api/search?q=Trust")
        assert [r["iri"] for r in json.loads(body)["results"]][:1] == [quote_node(hostile)]
    assert set(hostile.dataset.quads((None, None, None, None))) == before


# --- in Chromium -----------------------------------------------------------------------------


def no_markup_from_payloads(page) -> None:
    """No element was made from a payload: no <img src=x>, no script but the page's own."""
    assert page.evaluate("document.querySelectorAll('img[src=x], b, [onerror]').length") == 0
    sources = page.evaluate(
        "Array.from(document.scripts).map(s => s.src || s.textContent.slice(0, 60))"
    )
    assert not any("kgPwned" in s for s in sources), sources


@pytest.mark.browser
def test_html_network_shows_hostile_text_as_text(hostile, browser, tmp_path):
    path = hostile.to_html(tmp_path / "hostile.html", title=TITLE, quotes=True)  # quotes drawn
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    try:
        page = context.new_page()
        watch = PageWatch(("file:", "data:"))
        watch.attach(page)
        page.goto(path.as_uri())
        wait_until(page, "() => Boolean(window.kgStatus && window.kgStatus.stabilized)", 60)
        assert page.title() == TITLE
        node = quote_node(hostile)
        tip = page.evaluate(f"nodes.get({json.dumps(node)}).title.textContent")
        assert HOSTILE[0] in tip
        spot = page.evaluate(
            f"network.canvasToDOM(network.getPositions([{json.dumps(node)}])[{json.dumps(node)}])"
        )
        box = page.locator("#mynetwork").bounding_box()
        page.mouse.move(box["x"] + spot["x"], box["y"] + spot["y"])
        wait_until(
            page,
            "() => { const t = document.querySelector('div.vis-tooltip');"
            " return Boolean(t && t.style.visibility === 'visible'); }",
            10,
        )
        shown = page.evaluate("document.querySelector('div.vis-tooltip').textContent")
        assert HOSTILE[0] in shown and "</div>" in shown
        assert page.evaluate("kgStatus.cspViolations") == []
        no_markup_from_payloads(page)
        page.wait_for_timeout(300)
        watch.assert_clean(page)
    finally:
        context.close()


@pytest.mark.browser
def test_explorer_card_tooltip_document_and_query_pages(hostile, browser):
    idle = "() => Boolean(window.kgExplorer && kgExplorer.ready && kgExplorer.busy === 0 && kgExplorer.stable)"
    with running(create_app(hostile, ServeConfig(title=HOSTILE[1]))) as base:
        context = browser.new_context(viewport={"width": 1300, "height": 850})
        try:
            page = context.new_page()
            watch = PageWatch((base, "data:"))
            watch.attach(page)
            page.goto(base)
            wait_until(page, idle)
            assert page.locator(".kg-graph-title").inner_text() == HOSTILE[1]
            # the card of the hostile quote, found by search
            page.fill("#kg-search", "Trust is")
            wait_until(
                page, "() => document.querySelectorAll('#kg-results .kg-result').length > 0", 10
            )
            page.locator("#kg-results .kg-result").first.click()
            wait_until(page, idle)
            wait_until(page, "() => Boolean(document.getElementById('kg-entity-label'))", 10)
            label = page.locator("#kg-entity-label").inner_text()
            assert HOSTILE[0] in label and "</div>" in label
            evidence = page.locator("#kg-entity-evidence .kg-sentence").all_inner_texts()
            assert any(HOSTILE[0] in text for text in evidence), evidence
            # its tooltip in the network
            node = quote_node(hostile)
            tip = page.evaluate(
                f"(() => {{ const n = network.body.data.nodes.get({json.dumps(node)});"
                " return [n.title.textContent, n.title.querySelectorAll('img, script, b').length]; })()"
            )
            assert HOSTILE[0] in tip[0] and tip[1] == 0
            no_markup_from_payloads(page)
            # the page of the JSONL document: hostile title, javascript: URL not linked
            doc_id = next(
                str(o)
                for s, o in hostile.dataset.subject_objects(DCTERMS.identifier)
                if (s, DCTERMS.title, Literal(HOSTILE[1])) in hostile.dataset
            )
            page.goto(base + "document/" + urllib.parse.quote(doc_id, safe=""))
            assert page.locator("h1").inner_text() == HOSTILE[1]
            assert page.locator("a[href^='javascript']").count() == 0
            no_markup_from_payloads(page)
            # the query page shows literals as text
            page.goto(base + "query")
            wait_until(page, "() => Boolean(window.kgQuery && kgQuery.ready && kgQuery.busy === 0)")
            page.fill("#kg-sparql", "SELECT ?t WHERE { ?d dcterms:title ?t } ORDER BY ?t")
            page.click("#kg-run")
            wait_until(page, "() => kgQuery.busy === 0 && kgQuery.rows !== null", 20)
            cells = page.locator("#kg-results-table td").all_text_contents()
            assert sorted(cells) == sorted([TITLE, HOSTILE[1], INJECTION])
            no_markup_from_payloads(page)
            page.wait_for_timeout(300)
            watch.assert_clean(page)
        finally:
            context.close()


def test_document_ids_from_input_cannot_escape_their_iri(hostile):
    """A JSONL id is made safe: no path traversal, no IRI or SPARQL syntax in it."""
    ids = {str(o) for o in hostile.dataset.objects(None, DCTERMS.identifier)}
    assert "plain" in ids
    (made,) = [i for i in ids if i.startswith("x-")]
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in made)
    graphs = {str(g.identifier) for g in hostile.dataset.graphs()}
    assert f"https://example.org/kg/graph/{made}" in graphs
    assert not any(Path(urllib.parse.urlsplit(g).path).name in ("..", ".") for g in graphs)
