"""The explorer's views on the seeds: quotes on cards, facts once, the timeline, marked documents."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from kg.serve.app import ServeConfig, create_app, running
from kg.serve.timeline import position

STOLTENBERG = "https://example.org/kg/entity/person/jens-stoltenberg"


def test_axis_positions():
    assert position("2021") == (2021.0, 2022.0)
    assert position("2021-07")[0] == pytest.approx(2021.5)
    start, end = position("2021-06-16")
    assert 2021.45 < start < end < 2021.46
    assert position("--06-16") is None and position("2021-13") is None and position("x") is None


@pytest.fixture(scope="module")
def served(seeds_graph):
    with running(create_app(seeds_graph, ServeConfig(title="Seeds"))) as url:
        yield url


def get(base: str, path: str, **params):
    query = urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(
        base + path.lstrip("/") + ("?" + query if query else ""), timeout=60
    ) as response:
        body = response.read()
        return (
            json.loads(body)
            if "json" in response.headers.get("content-type", "")
            else body.decode()
        )


def test_quotes_are_on_the_card_not_in_the_network(served):
    near = get(served, "/api/neighbourhood", iri=STOLTENBERG, hops=1)
    assert not [n for n in near["nodes"] if n["type"] == "Quote"]
    with_quotes = get(served, "/api/neighbourhood", iri=STOLTENBERG, hops=1, quotes=1)
    assert [n for n in with_quotes["nodes"] if n["type"] == "Quote"]
    card = get(served, "/api/entity", iri=STOLTENBERG)
    assert card["quotes_total"] >= 3 and len(card["quotes"]) == card["quotes_total"]
    texts = [q["text"] for q in card["quotes"]]
    assert any("strong NATO is good for Europe" in t for t in texts)
    assert not [r for r in card["relations"] if r["type"] == "Quote"]
    place = card["quotes"][0]["evidence"][0]
    assert (
        place["document"]["href"].startswith("/document/") and "?at=" in place["document"]["href"]
    )


def test_search_ranks_entities_before_quotes(served):
    results = get(served, "/api/search", q="nato", limit=50)["results"]
    types = [r["type"] for r in results]
    assert "Quote" in types and types[0] != "Quote"
    assert types.index("Quote") > max(i for i, t in enumerate(types) if t != "Quote")


def test_inverse_facts_are_counted_once(served, seeds_graph):
    facets = get(served, "/api/facets")
    relations = {r["name"]: r["count"] for r in facets["relations"]}
    assert "participantIn" not in relations and relations["participant"] > 0
    network = seeds_graph.to_networkx()
    both = sum(
        1 for *_, r in network.edges(data="relation") if r in ("participant", "participantIn")
    )
    # the graph stores each participation once (kg:participant), the facets count it once
    assert relations["participant"] == both


def test_timeline_places_what_has_a_year_and_counts_the_rest(served):
    data = get(served, "/api/timeline")
    assert data["documents"] == {"total": 2, "undated": 2, "first": None, "last": None}
    assert data["without_year"] >= 1 and all(
        v.startswith("--") for v in data["without_year_examples"]
    )
    for item in data["items"]:
        assert item["start"] <= item["end"] and item["when"][0].isdigit()
        assert item["documents"] >= 1 and item["sentences"]


def test_document_page_marks_mentions_and_the_evidence_sentence(served):
    card = get(served, "/api/entity", iri=STOLTENBERG)
    item = next(e for e in card["evidence"] if e["document"] and e["start"] is not None)
    href = item["document"]["href"] + f"?at={item['start']}"
    tree = HTMLParser(get(served, href))
    marks = tree.css("#kg-text a.kg-ent")
    assert len(marks) >= 10
    assert {m.attributes["href"].split("=", 1)[0] for m in marks} == {"/?focus"}
    focus = {urllib.parse.unquote(m.attributes["href"].split("=", 1)[1]) for m in marks}
    assert STOLTENBERG in focus
    types = {
        cls.split("kg-ent-")[1]
        for m in marks
        for cls in m.attributes["class"].split()
        if cls.startswith("kg-ent-")
    }
    assert {"Person", "Organization", "Location"} <= types
    hit = tree.css_first("mark#kg-at")
    assert hit is not None
    marked = "".join(node.text(deep=True) for node in tree.css("mark.kg-hit")).replace("PERSON", "")
    assert (
        item["sentence"][:30] in "".join(n.text(deep=False) for n in tree.css("mark.kg-hit"))
        or item["sentence"][:15] in marked
    )
    # the text is the file's: every mark's text is what the evidence offsets point to
    assert tree.css_first("#kg-origin") is None


def test_document_page_without_the_file_shows_marked_sentences(seeds_graph, tmp_path):
    from kg.graph import KnowledgeGraph

    copy = tmp_path / "seeds.trig"
    seeds_graph.save(copy)
    text = copy.read_text(encoding="utf-8").replace(
        str(seeds_graph.document_ids()[0]), str(seeds_graph.document_ids()[0])
    )
    moved = text.replace('kg:sourceFile "', 'kg:sourceFile "/nonexistent')
    copy.write_text(moved, encoding="utf-8")
    graph = KnowledgeGraph.load(copy)
    with running(create_app(graph)) as url:
        doc_id = graph.document_ids()[0]
        tree = HTMLParser(get(url, f"/document/{doc_id}"))
    assert "The full text is not shown" in tree.css_first("#kg-origin").text()
    assert len(tree.css("#kg-text a.kg-ent")) >= 3


# --- in Chromium ---------------------------------------------------------------------------------


def wait_until(page, predicate: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"timed out waiting for {predicate}"
        page.wait_for_timeout(50)


IDLE = (
    "() => Boolean(window.kgExplorer && kgExplorer.ready && kgExplorer.busy === 0 && kgExplorer.stable"
    " && window.kgTimeline && kgTimeline.ready)"
)


@pytest.mark.browser
def test_browser_card_quotes_toggle_and_timeline(served, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(served + "?focus=" + urllib.parse.quote(STOLTENBERG, safe=""))
        wait_until(page, IDLE)
        wait_until(page, "() => document.querySelectorAll('#kg-entity-quotes li').length > 0")
        assert page.evaluate("nodes.get().filter(n => n.type === 'Quote').length") == 0
        assert page.locator("#kg-entity-quotes li").count() >= 3
        page.check("#kg-quote-nodes")
        wait_until(page, "() => nodes.get().some(n => n.type === 'Quote')")
        page.uncheck("#kg-quote-nodes")
        wait_until(page, "() => !nodes.get().some(n => n.type === 'Quote')")
        # the timeline says what it cannot place, instead of inventing a range
        info = page.locator("#kg-timeline-info").inner_text()
        assert "without a year" in info and "none of the 2 documents has a publication date" in info
        assert page.locator("#kg-date-hint").inner_text().startswith(info)
        marks = page.locator("#kg-timeline-axis .kg-tl-item")
        assert marks.count() == page.evaluate("kgTimeline.items")
        if marks.count():
            iri = marks.first.get_attribute("data-iri")
            marks.first.click()
            wait_until(
                page, f"() => kgExplorer.selected === {json.dumps(iri)} && kgExplorer.busy === 0"
            )
        assert errors == []
    finally:
        context.close()
