"""kg serve in a real Chromium: the explorer and the query page, against a server on 127.0.0.1.

Pages are polled with ``page.evaluate`` (the pages' Content-Security-Policy forbids
the ``eval`` that ``wait_for_function`` needs). Every test ends by checking that the
page asked nothing of any host but the test's server, raised no error and opened no
dialog.
"""

from __future__ import annotations

import json
import time

import pytest
from rdflib import RDF, RDFS, SKOS, Dataset, Literal, Namespace, URIRef

from kg.graph import KnowledgeGraph
from kg.serve import ServeConfig, create_app
from kg.serve.app import running

pytestmark = pytest.mark.browser

ENTITY = "https://example.org/kg/entity/"
STOLTENBERG = ENTITY + "person/jens-stoltenberg"
KGNS = Namespace("https://example.org/kg/ontology#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "</div>\"'`${alert(3)}`",
    "line one\nline two \u202eevil\u202c 😀",
]


class Watch:
    """Everything a page does that the tests forbid: foreign requests, errors, dialogs."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, page) -> None:
        page.route("**/*", self._route)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith("data:"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        foreign = [u for u in self.requests if not u.startswith((self.base, "data:"))]
        assert foreign == [] and self.blocked == []
        assert self.errors == [] and self.console_errors == [] and self.dialogs == []


def wait_until(page, predicate: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds}s waiting for {predicate}")
        page.wait_for_timeout(50)


EXPLORER_IDLE = "() => Boolean(window.kgExplorer && kgExplorer.ready && kgExplorer.busy === 0 && kgExplorer.stable)"
QUERY_IDLE = "() => Boolean(window.kgQuery && kgQuery.ready && kgQuery.busy === 0)"


@pytest.fixture(scope="module")
def seeds_server(seeds_graph):
    with running(create_app(seeds_graph, ServeConfig(title="Seeds"))) as url:
        yield url


@pytest.fixture
def open_page(browser):
    """Open a URL in a fresh context with a Watch; wait until the page is idle."""
    contexts = []

    def _open(base: str, path: str = ""):
        context = browser.new_context(viewport={"width": 1300, "height": 850})
        contexts.append(context)
        page = context.new_page()
        watch = Watch(base)
        watch.attach(page)
        page.goto(base + path)
        wait_until(page, QUERY_IDLE if path.startswith("query") else EXPLORER_IDLE)
        return page, watch

    yield _open
    for context in contexts:
        context.close()


def visible(page) -> list[int]:
    """Counts of nodes and edges the network shows after filtering."""
    return page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")


def click_node(page, node_id: str) -> None:
    """Click the node ``node_id`` where the network draws it."""
    spot = page.evaluate(
        f"network.canvasToDOM(network.getPositions([{json.dumps(node_id)}])[{json.dumps(node_id)}])"
    )
    assert page.evaluate(f"network.getNodeAt({json.dumps(spot)})") == node_id
    box = page.locator("#kg-network").bounding_box()
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])


# --- the explorer on the seeds --------------------------------------------------------------------


def drawn(seeds_graph):
    """The network the explorer draws: facts once either way, quotes on their speakers."""
    from kg.network.views import merge_inverses

    network = merge_inverses(seeds_graph.to_networkx())
    return network.subgraph([n for n, t in network.nodes(data="type") if t != "Quote"])


def test_explorer_shows_the_whole_seeds_graph(open_page, seeds_server, seeds_graph):
    network = drawn(seeds_graph)
    page, watch = open_page(seeds_server)
    assert page.evaluate("[nodes.length, edges.length]") == [
        network.number_of_nodes(),
        network.number_of_edges(),
    ]
    assert page.evaluate("network.body.nodeIndices.length") == network.number_of_nodes()
    types = page.evaluate(
        "Array.from(document.querySelectorAll('#kg-type-filter input'), i => i.dataset.type)"
    )
    assert set(types) == {data["type"] for _, data in network.nodes(data=True)}
    assert (
        page.locator("#kg-status")
        .inner_text()
        .startswith(f"{network.number_of_nodes()} of {network.number_of_nodes()} entities")
    )
    assert page.evaluate("kgExplorer.cspViolations") == []
    watch.assert_clean()


def test_search_stoltenberg_shows_role_and_evidence(open_page, seeds_server, seeds_graph):
    page, watch = open_page(seeds_server)
    page.fill("#kg-search", "Stoltenberg")
    wait_until(page, "() => document.querySelectorAll('#kg-results .kg-result').length > 0", 10)
    first = page.locator("#kg-results .kg-result").first
    assert first.locator(".kg-result-label").inner_text() == "Jens Stoltenberg"
    first.click()
    wait_until(page, EXPLORER_IDLE)
    wait_until(page, "() => document.getElementById('kg-panel').dataset.iri !== undefined", 10)
    assert page.locator("#kg-entity-label").inner_text() == "Jens Stoltenberg"
    assert "Secretary General" in page.locator("#kg-entity-roles").inner_text()
    assert page.locator("#kg-entity-type").inner_text() == "Person"
    sentences = page.locator("#kg-entity-evidence .kg-sentence").all_inner_texts()
    assert sentences and any("Stoltenberg" in s for s in sentences)
    links = page.locator("#kg-entity-evidence a.kg-doc-link")
    assert links.count() >= 1
    assert links.first.get_attribute("href").startswith("/document/")
    relations = page.locator("#kg-entity-relations li").all_inner_texts()
    assert any("leaderOf" in r and "NATO" in r for r in relations)
    # the network is now Stoltenberg's neighbourhood, his quotes on the card
    network = drawn(seeds_graph)
    assert page.locator("#kg-entity-quotes li").count() >= 3
    around = {STOLTENBERG, *network.successors(STOLTENBERG), *network.predecessors(STOLTENBERG)}
    assert set(page.evaluate("nodes.getIds()")) == around
    assert page.evaluate("network.getSelectedNodes()") == [STOLTENBERG]
    # the evidence links to its document's page
    title = links.first.inner_text()
    links.first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert page.locator("mark#kg-at").count() == 1  # where the page scrolls to
    assert "Stoltenberg" in "".join(page.locator("mark.kg-hit").all_inner_texts())  # the sentence
    assert page.locator("#kg-text a.kg-ent").count() > 5
    watch.assert_clean()


def test_enter_in_the_search_box_opens_the_first_match(open_page, seeds_server):
    page, watch = open_page(seeds_server)
    page.fill("#kg-search", "stoltenbreg")  # a typo: the fuzzy match still finds him
    page.press("#kg-search", "Enter")
    wait_until(page, f"() => kgExplorer.selected === {json.dumps(STOLTENBERG)}", 10)
    wait_until(page, EXPLORER_IDLE)
    wait_until(page, "() => Boolean(document.getElementById('kg-entity-label'))", 10)
    assert page.locator("#kg-entity-label").inner_text() == "Jens Stoltenberg"
    assert f"focus={STOLTENBERG.replace(':', '%3A').replace('/', '%2F')}" in page.url
    watch.assert_clean()


def test_clicking_a_node_expands_it(open_page, seeds_server, seeds_graph):
    network = drawn(seeds_graph)
    page, watch = open_page(seeds_server, f"?focus={STOLTENBERG}")
    shown = set(page.evaluate("nodes.getIds()"))
    assert STOLTENBERG in shown

    def around(node):
        return {node, *network.successors(node), *network.predecessors(node)}

    candidates = sorted(shown - {STOLTENBERG}, key=lambda n: -len(around(n) - shown))
    target = candidates[0]
    assert around(target) - shown, "the seeds should give a neighbour with more neighbours"
    click_node(page, target)
    wait_until(page, f"() => kgExplorer.selected === {json.dumps(target)}", 10)
    wait_until(page, EXPLORER_IDLE)
    wait_until(
        page, f"() => document.getElementById('kg-panel').dataset.iri === {json.dumps(target)}"
    )
    after = set(page.evaluate("nodes.getIds()"))
    assert after == shown | around(target)
    assert page.locator("#kg-entity-label").inner_text() == network.nodes[target]["label"]
    watch.assert_clean()


def test_filters_by_type_relation_and_date(open_page, seeds_server, seeds_graph):
    page, watch = open_page(seeds_server)
    total_nodes, total_edges = visible(page)
    assert page.evaluate("nodes.get({filter: n => n.type === 'Quote'}).length") == 0
    page.check("#kg-quote-nodes")  # quotes drawn as nodes on demand
    wait_until(page, "() => nodes.get({filter: n => n.type === 'Quote'}).length > 0")
    wait_until(page, EXPLORER_IDLE)
    page.uncheck("#kg-quote-nodes")
    wait_until(page, "() => nodes.get({filter: n => n.type === 'Quote'}).length === 0")
    wait_until(page, EXPLORER_IDLE)
    assert visible(page) == [total_nodes, total_edges]
    page.uncheck('#kg-type-filter input[data-type="Person"]')
    people = page.evaluate("nodes.get({filter: n => n.type === 'Person'}).length")
    assert people > 0 and visible(page)[0] == total_nodes - people
    page.check('#kg-type-filter input[data-type="Person"]')
    assert visible(page) == [total_nodes, total_edges]

    page.click("#kg-relation-box summary")
    page.click("#kg-relations-none")
    assert visible(page) == [total_nodes, 0]
    page.check('#kg-relation-filter input[data-relation="leaderOf"]')
    leader_of = page.evaluate("edges.get({filter: e => e.relation === 'leaderOf'}).length")
    assert leader_of > 0 and visible(page)[1] == leader_of
    page.click("#kg-relations-all")
    assert visible(page) == [total_nodes, total_edges]

    when = page.evaluate("Object.fromEntries(nodes.get().map(n => [n.id, n.when]))")
    assert "--06-16" in when.values() and "2017" in when.values()
    page.fill("#kg-date-from", "2021-06-15")
    page.fill("#kg-date-to", "2021-06")
    shown = set(page.evaluate("network.body.data.nodes.getIds()"))
    for node, value in when.items():
        if value is None:
            assert node in shown  # undated entities stay
    assert {n for n, v in when.items() if v == "--06-16"} <= shown
    assert not {n for n, v in when.items() if v in ("2017", "--06-14", "--06-11")} & shown
    page.fill("#kg-date-to", "20x")
    assert page.get_attribute("#kg-date-to", "aria-invalid") == "true"
    page.fill("#kg-date-from", "")
    assert visible(page)[0] == total_nodes
    watch.assert_clean()


# --- the query page ---------------------------------------------------------------------------------


def test_query_page_runs_an_example_and_shows_rows(open_page, seeds_server, seeds_graph):
    from kg.sparql.run import example_queries

    page, watch = open_page(seeds_server, "query")
    names = page.evaluate(
        "Array.from(document.querySelectorAll('#kg-example option'), o => o.textContent)"
    )
    assert names == list(example_queries())
    assert page.input_value("#kg-sparql") == example_queries()[names[0]]
    page.select_option("#kg-example", label="roles")
    expected = seeds_graph.query(example_queries()["roles"])
    assert len(expected.rows) > 0
    page.click("#kg-run")
    wait_until(page, "() => kgQuery.busy === 0 && kgQuery.rows !== null", 20)
    assert page.locator("#kg-results-table tbody tr").count() == len(expected.rows)
    assert page.locator("#kg-results-table th").all_inner_texts() == list(expected.variables)
    assert "Secretary General" in page.locator("#kg-results-table").inner_text()
    href = page.get_attribute("#kg-download-csv", "href")
    assert href.startswith("/sparql?format=csv&query=")
    watch.assert_clean()


def test_query_page_typed_query_and_errors(open_page, seeds_server, seeds_graph):
    page, watch = open_page(seeds_server, "query")
    persons = len(seeds_graph.entities(type="Person"))
    page.fill("#kg-sparql", "SELECT ?p WHERE { ?p a kg:Person }")
    page.press("#kg-sparql", "Control+Enter")
    wait_until(page, "() => kgQuery.busy === 0 && kgQuery.rows !== null", 20)
    assert page.locator("#kg-results-table tbody tr").count() == persons
    assert page.locator("#kg-results-table a").first.get_attribute("href").startswith("/?focus=")
    page.fill("#kg-sparql", "SELECT ?p WHERE { ?p a }")
    page.click("#kg-run")
    wait_until(page, "() => kgQuery.busy === 0 && kgQuery.error !== null", 20)
    assert "syntax error" in page.locator("#kg-query-error").inner_text()
    page.fill("#kg-sparql", "DELETE WHERE { ?s ?p ?o }")
    page.click("#kg-run")
    wait_until(page, "() => kgQuery.busy === 0 && /read-only/.test(kgQuery.error || '')", 20)
    page.fill(
        "#kg-sparql",
        f"CONSTRUCT {{ <{STOLTENBERG}> kg:role ?r }} WHERE {{ <{STOLTENBERG}> kg:role ?r }}",
    )
    page.click("#kg-run")
    wait_until(
        page, "() => kgQuery.busy === 0 && kgQuery.error === null && kgQuery.rows !== null", 20
    )
    assert "Secretary General" in page.locator("#kg-results-text").inner_text()
    # the query page's failed requests are answers (403, 400), not console errors of ours
    watch.console_errors = [e for e in watch.console_errors if "status of 4" not in e]
    watch.assert_clean()


# --- hostile text ------------------------------------------------------------------------------


def hostile_graph() -> KnowledgeGraph:
    """Entities, roles, sentences and a document title that are all attack strings."""
    dataset = Dataset(default_union=True)
    graph = dataset.default_graph
    doc = URIRef("https://example.org/kg/document/h")
    graph.add((doc, RDF.type, KGNS.Document))
    graph.add((doc, DCTERMS.identifier, Literal("h")))
    graph.add((doc, DCTERMS.title, Literal(HOSTILE[0] + " title")))
    graph.add((doc, DCTERMS.references, Literal("javascript:alert(4)")))
    people = []
    for index, text in enumerate(HOSTILE):
        node = URIRef(f"{ENTITY}person/h{index}")
        people.append(node)
        graph.add((node, RDF.type, KGNS.Person))
        graph.add((node, RDFS.label, Literal(f"Name {index} {text}")))
        graph.add((node, SKOS.altLabel, Literal(text)))
        graph.add((node, KGNS.role, Literal(text)))
        graph.add((doc, KGNS.mentions, node))
        evidence = URIRef(f"https://example.org/kg/evidence/h/{index}")
        graph.add((evidence, RDF.type, KGNS.Evidence))
        graph.add((evidence, RDF.subject, node))
        graph.add((evidence, RDF.predicate, KGNS.role))
        graph.add((evidence, RDF.object, Literal(text)))
        graph.add((evidence, KGNS.document, doc))
        graph.add((evidence, KGNS.sentence, Literal(f"They said {text}.")))
    for a, b in zip(people, people[1:], strict=False):
        graph.add((a, URIRef("https://example.org/kg/relation/" + "x%3Cimg%3E"), b))
    return KnowledgeGraph(dataset)


def test_hostile_labels_stay_text_everywhere(open_page, browser):
    with running(create_app(hostile_graph(), ServeConfig(title=HOSTILE[1]))) as base:
        page, watch = open_page(base)
        assert page.evaluate("nodes.length") == len(HOSTILE)
        assert page.locator(".kg-graph-title").inner_text() == HOSTILE[1]
        page.fill("#kg-search", "script")
        wait_until(page, "() => document.querySelectorAll('#kg-results .kg-result').length > 0", 10)
        page.locator("#kg-results .kg-result").first.click()
        wait_until(page, EXPLORER_IDLE)
        wait_until(page, "() => Boolean(document.getElementById('kg-entity-label'))", 10)
        assert page.locator("#kg-entity-label").inner_text() == "Name 0 " + HOSTILE[0]
        assert page.locator("#kg-entity-roles").inner_text() == HOSTILE[0]
        assert (
            page.locator("#kg-entity-evidence .kg-sentence").inner_text()
            == f"They said {HOSTILE[0]}."
        )
        injected = (
            "document.querySelectorAll('body img, #kg-panel script, #kg-results script').length"
        )
        assert page.evaluate(injected) == 0
        page.locator("#kg-entity-evidence a.kg-doc-link").first.click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == HOSTILE[0] + " title"
        assert page.locator("a[href^='javascript']").count() == 0
        assert page.evaluate("document.querySelectorAll('main script, main img').length") == 0
        page.goto(base + "query")
        wait_until(page, QUERY_IDLE)
        page.fill("#kg-sparql", "SELECT ?label WHERE { ?e skos:altLabel ?label }")
        page.click("#kg-run")
        wait_until(page, "() => kgQuery.busy === 0 && kgQuery.rows !== null", 20)
        cells = page.locator("#kg-results-table td").all_text_contents()
        assert sorted(cells) == sorted(HOSTILE)
        assert page.evaluate("document.querySelectorAll('#kg-results-table img').length") == 0
        page.wait_for_timeout(300)
        watch.assert_clean()
