"""kg serve --edit in a real Chromium: merge from the entity card, see it, undo; reject a
fact from its evidence. Same rules as tests/test_serve_browser.py: the page asks nothing
of any other host, raises no error, opens no dialog, violates no CSP."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from curation_corpus import build, iri
from test_serve_browser import EXPLORER_IDLE, Watch, wait_until

from kg.graph import KnowledgeGraph
from kg.rdf.namespace import CURATION_GRAPH
from kg.serve import ServeConfig, create_app
from kg.serve.app import running

pytestmark = pytest.mark.browser

BIDEN, J_BIDEN, NATO = iri("person/joe-biden"), iri("person/j.-biden"), iri("organization/nato")
IDLE = "() => Boolean(window.kgCuration && kgCuration.busy === 0) && " + EXPLORER_IDLE.removeprefix(
    "() => "
)


def quads(graph: KnowledgeGraph) -> set[tuple]:
    return {
        q for q in graph.store.snapshot().quads((None, None, None, None)) if q[3] != CURATION_GRAPH
    }


@pytest.fixture
def edit_page(browser):
    """A fresh graph served with --edit, and a page on it (closed afterwards)."""
    graph = KnowledgeGraph()
    build(graph)
    with running(create_app(graph, ServeConfig(title="Edit", edit=True))) as url:
        context = browser.new_context(viewport={"width": 1300, "height": 850})
        page = context.new_page()
        watch = Watch(url)
        watch.attach(page)

        def open_entity(entity: str):
            page.goto(f"{url}?focus={quote(entity, safe='')}")
            wait_until(page, IDLE)
            wait_until(page, "() => Boolean(document.getElementById('kg-curate'))", 10)
            return page

        yield graph, open_entity, watch
        context.close()


def card_label(page) -> str:
    return page.locator("#kg-entity-label").inner_text()


def test_merge_from_the_card_see_it_and_undo(edit_page) -> None:
    graph, open_entity, watch = edit_page
    before = quads(graph)
    page = open_entity(str(J_BIDEN))
    assert card_label(page) == "J. Biden"
    assert page.locator("#kg-history-list li").all_inner_texts() == ["No decisions yet."]

    page.click("#kg-curate-merge")
    page.fill("#kg-curate-target", "Joe")
    target = f"#kg-curate-targets .kg-result[data-iri='{BIDEN}']"
    wait_until(page, f"() => Boolean(document.querySelector({json.dumps(target)}))", 10)
    page.click(target)
    assert "into Joe Biden" in page.locator("#kg-curate-chosen").inner_text()
    page.fill("#kg-curate-why", "the same man")
    page.click("#kg-curate-submit")
    wait_until(page, "() => kgCuration.done === 1")
    wait_until(page, IDLE)
    wait_until(page, "() => Boolean(document.getElementById('kg-curate'))", 10)

    # the card is the survivor's, with the fragment's name among its aliases
    assert card_label(page) == "Joe Biden"
    assert "J. Biden" in page.locator("#kg-entity-aliases").inner_text()
    shown = set(page.evaluate("nodes.getIds()"))
    assert str(BIDEN) in shown and str(J_BIDEN) not in shown
    assert str(iri("event/gx-summit")) in shown  # the fragment's fact came with it
    (item,) = page.locator("#kg-history-list li").all()
    assert (
        "merge J. Biden into Joe Biden" in item.inner_text() and "the same man" in item.inner_text()
    )
    assert graph.find("J. Biden")[0].iri == str(BIDEN)  # the server's graph changed

    # an old link to the merged entity still opens (owl:sameAs)
    page.goto(page.url.split("?")[0] + "?focus=" + quote(str(J_BIDEN), safe=""))
    wait_until(page, IDLE)
    wait_until(page, "() => Boolean(document.getElementById('kg-entity-label'))", 10)
    assert card_label(page) == "Joe Biden"
    wait_until(
        page, "() => document.querySelectorAll('#kg-history-list .kg-curate-undo').length === 1", 10
    )

    page.click("#kg-history-list .kg-curate-undo")
    wait_until(
        page, "() => kgCuration.done === 1 && kgCuration.last && kgCuration.last.kind === 'undo'"
    )
    wait_until(page, IDLE)
    wait_until(page, "() => Boolean(document.getElementById('kg-curate'))", 10)
    assert card_label(page) == "J. Biden"
    assert str(J_BIDEN) in set(page.evaluate("nodes.getIds()"))
    assert quads(graph) == before  # undone quad for quad
    history = page.locator("#kg-history-list li").all_inner_texts()
    assert len(history) == 2 and "undo" in history[0] and "undone" in history[1]
    assert (
        page.evaluate("kgExplorer.cspViolations") == [] and page.evaluate("kgCuration.errors") == []
    )
    watch.assert_clean()


def test_reject_a_fact_from_its_evidence(edit_page) -> None:
    graph, open_entity, watch = edit_page
    page = open_entity(str(BIDEN))
    relations = page.locator("#kg-entity-relations li").all_inner_texts()
    assert any("affiliatedWith" in r and "NATO" in r for r in relations)
    reject = page.locator(".kg-curate-reject[title*='affiliatedWith']")
    assert reject.count() == 1
    reject.click()
    page.fill("#kg-curate-why", "misread")
    page.click("#kg-curate-submit")
    wait_until(page, "() => kgCuration.done === 1")
    wait_until(page, IDLE)
    wait_until(page, "() => Boolean(document.getElementById('kg-curate'))", 10)
    relations = page.locator("#kg-entity-relations li").all_inner_texts()
    assert not any("affiliatedWith" in r for r in relations)
    facts = page.locator("#kg-entity-evidence .kg-evidence-facts").all_inner_texts()
    assert not any("affiliatedWith" in f for f in facts)  # rejected evidence is out of the card
    assert not graph.query("ASK { ?b kg:affiliatedWith ?n }", b=BIDEN, n=NATO).boolean
    assert "reject Joe Biden affiliatedWith NATO" in page.locator("#kg-entity-history").inner_text()
    watch.assert_clean()


def test_a_refused_decision_shows_its_message_in_the_form(edit_page) -> None:
    graph, open_entity, watch = edit_page
    page = open_entity(str(iri("location/gx")))
    page.click("#kg-curate-retype")
    page.select_option("#kg-curate-type", "Location")  # what it is already
    page.fill("#kg-curate-why", "no change")
    page.click("#kg-curate-submit")
    wait_until(page, "() => !document.getElementById('kg-curate-error').hidden", 10)
    assert "already a Location" in page.locator("#kg-curate-error").inner_text()
    assert graph.curate.decisions() == []
    assert page.evaluate("kgExplorer.cspViolations") == []
    # the browser logs the refusal (HTTP 400) itself; nothing else went wrong
    assert [e for e in watch.console_errors if "status of 400" not in e] == []
    watch.console_errors.clear()
    watch.assert_clean()
