"""The HTML network (kg/viz.py): offline, escaped, complete; checked in real Chromium."""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import subprocess
import sys
import time

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from kg.errors import OutputError
from kg.network.html import build_network, render_html, render_page, script_json

ENTITY = "https://example.org/kg/entity/"
ALERT_SCRIPT = "<script>alert(1)</script>"
ALERT_IMG = "<img src=x onerror=alert(1)>"
HOSTILE = [
    ALERT_SCRIPT,
    ALERT_IMG,
    "</script><script>alert(2)</script>",
    "</div>\"'`${alert(3)}`",
    "<!-- <script>",
    "line one\nline two\r\n\ttab",
    "emoji 😀🇺🇦 and RTL \u202eevil\u202c \u200fmark",
    "&amp; &lt;b&gt; \u2028\u2029",
]


def entity(kind: str, slug: str) -> str:
    return f"{ENTITY}{kind.lower()}/{slug}"


def add_entity(graph: nx.MultiDiGraph, kind: str, slug: str, label: str, **extra) -> str:
    iri = entity(kind, slug)
    attrs = {"label": label, "type": kind, "subtype": None, "aliases": [], "roles": []}
    attrs.update(extra)
    graph.add_node(iri, iri=iri, **attrs)
    return iri


def relate(graph, source, target, relation, *, is_open=False, evidence="", confidence=0.9):
    graph.add_edge(
        source, target, relation=relation, open=is_open, evidence=evidence, confidence=confidence
    )


@pytest.fixture
def summit() -> nx.MultiDiGraph:
    """Biden, Putin, Geneva and a meeting, with parallel and reverse edges."""
    graph = nx.MultiDiGraph()
    biden = add_entity(
        graph, "Person", "joe-biden", "Joe Biden", aliases=["Biden"], roles=["President"]
    )
    putin = add_entity(graph, "Person", "vladimir-putin", "Vladimir Putin")
    geneva = add_entity(graph, "Location", "geneva", "Geneva")
    meeting = add_entity(graph, "Event", "meeting", "Geneva summit", subtype="Meeting")
    relate(graph, biden, putin, "meet", is_open=True, evidence="Biden met Putin in Geneva.")
    relate(graph, biden, putin, "greet", is_open=True, evidence="Biden greeted Putin.")
    relate(graph, biden, putin, "criticize", is_open=True, evidence="Biden criticized Putin.")
    relate(graph, putin, biden, "meet", is_open=True, evidence="Putin met Biden.")
    relate(graph, biden, meeting, "participantIn", evidence="Biden met Putin in Geneva.")
    relate(graph, putin, meeting, "participantIn", evidence="Biden met Putin in Geneva.")
    relate(graph, meeting, geneva, "locatedIn", evidence="Biden met Putin in Geneva.")
    return graph


@pytest.fixture
def hostile() -> nx.MultiDiGraph:
    """Every node name, alias, role, relation and sentence is an attack string."""
    graph = nx.MultiDiGraph()
    iris = []
    for index, text in enumerate(HOSTILE):
        kind = ("Person", "Organization", "Quote")[index % 3]
        iris.append(
            add_entity(graph, kind, f"h{index}", text, aliases=[text, "plain"], roles=[text])
        )
    for index, text in enumerate(HOSTILE):
        source, target = iris[index], iris[(index + 1) % len(iris)]
        relate(graph, source, target, text, is_open=index % 2 == 0, evidence=text)
    relate(graph, iris[0], iris[0], ALERT_IMG, evidence=ALERT_SCRIPT)
    return graph


WHOLE = {"quotes": True, "isolated": True, "max_nodes": None}


def whole(graph, **options) -> str:
    """The page of the whole graph: quotes as nodes, entities without facts, no reduction."""
    return render_page(graph, **WHOLE, **options)


def payload(html: str) -> dict:
    """The JSON data block of a rendered page."""
    node = HTMLParser(html).css_first("script#kg-data")
    assert node is not None
    return json.loads(node.text())


def random_graph(n: int, seed: int = 1) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    kinds = ["Person", "Organization", "Location", "Event", "Date", "Quote"]
    for i in range(n):
        add_entity(graph, kinds[i % len(kinds)], f"n{i}", f"Entity {i}")
    nodes = list(graph.nodes)
    for i in range(n * 3 // 2):
        relate(graph, nodes[(i * 7 + seed) % n], nodes[(i * 13 + 5) % n], "relatedTo")
    return graph


# --- the page as text ---------------------------------------------------------------


def test_render_html_writes_file_and_returns_path(summit, tmp_path):
    path = render_html(summit, tmp_path / "graph.html", title="Geneva")
    assert path == tmp_path / "graph.html"
    html = path.read_text(encoding="utf-8")
    assert HTMLParser(html).css_first("title").text() == "Geneva"
    assert list(tmp_path.iterdir()) == [path]


def test_page_loads_nothing_from_the_network(summit):
    html = render_page(summit, note="graph reduced: 4 of 9 nodes")
    tree = HTMLParser(html)
    for element in tree.css("[src], [href], [srcset], [action], [poster], [data]"):
        for name in ("src", "href", "srcset", "action", "poster", "data"):
            value = (element.attributes.get(name) or "").strip().lower()
            assert not re.match(r"^(https?:)?//", value), element.html[:200]
    assert tree.css("link") == []
    styles = " ".join(style.text() for style in tree.css("style"))
    assert "@import" not in styles
    for url in re.findall(r"url\(\s*['\"]?([^'\")]*)", styles):
        assert url.startswith("data:"), url
    assert "bootstrap" not in html.lower()


def test_csp_pins_exactly_the_page_scripts(summit):
    html = render_page(summit)
    tree = HTMLParser(html)
    csp = tree.css_first('meta[http-equiv="Content-Security-Policy"]').attributes["content"]
    assert "default-src 'none'" in csp
    assert "connect-src 'none'" in csp
    executable = [s for s in tree.css("script") if s.attributes.get("type") != "application/json"]
    assert len(executable) == 2
    for script in executable:
        digest = base64.b64encode(hashlib.sha256(script.text().encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert all(s.attributes.get("src") is None for s in tree.css("script"))


def test_hostile_strings_never_reach_the_markup(hostile):
    title = "</title><script>alert('title')</script>"
    note = ALERT_IMG + "\n</div>"
    html = whole(hostile, title=title, note=note)
    for text in [*HOSTILE, title, note]:
        if "<" in text:
            assert text not in html
    tree = HTMLParser(html)
    assert len(tree.css("script")) == 3
    assert tree.css("img") == []
    assert tree.css_first("title").text() == title
    assert tree.css_first("h1").text() == title
    assert tree.css_first("#kg-note").text() == note


def test_hostile_strings_survive_the_round_trip(hostile):
    data = payload(whole(hostile))
    node_tips = {
        node["id"]: dict(node["tip"][1:]) | {"": node["tip"][0][1]} for node in data["nodes"]
    }
    for index, text in enumerate(HOSTILE):
        kind = ("Person", "Organization", "Quote")[index % 3]
        tip = node_tips[entity(kind, f"h{index}")]
        assert tip[""] == text
        assert tip["roles"] == text.strip()  # list values are trimmed
        assert tip["aliases"] == "plain"  # the label itself is not repeated as an alias
    evidences = [dict(edge["tip"][1:])["evidence"] for edge in data["edges"]]
    assert evidences == [d["evidence"] for _u, _v, d in hostile.edges(data=True)]
    assert sorted(evidences) == sorted([*HOSTILE, ALERT_SCRIPT])
    relations = [edge["tip"][0][1] for edge in data["edges"]]
    assert sorted(relations) == sorted([*HOSTILE, ALERT_IMG])


def test_labels_are_one_short_line(hostile):
    add_entity(hostile, "Quote", "long", "word " * 50)
    labels = [node["label"] for node in payload(whole(hostile))["nodes"]]
    assert all("\n" not in label and len(label) <= 40 for label in labels)
    assert labels[-1].endswith("…")


def test_parallel_and_reverse_edges_are_all_kept(summit):
    data = payload(render_page(summit))
    assert len(data["edges"]) == summit.number_of_edges() == 7
    assert len({edge["id"] for edge in data["edges"]}) == 7
    biden, putin = entity("Person", "joe-biden"), entity("Person", "vladimir-putin")
    between = [e for e in data["edges"] if {e["from"], e["to"]} == {biden, putin}]
    assert [e["relation"] for e in between] == ["meet", "greet", "criticize", "meet"]
    # each edge between the pair is drawn on its own curve
    shapes = {json.dumps(e.get("smooth"), sort_keys=True) for e in between}
    assert len(shapes) == 4


def test_self_loops_are_spread_around_the_node():
    graph = nx.MultiDiGraph()
    node = add_entity(graph, "Organization", "nato", "NATO")
    for relation in ("memberOf", "partOf", "relatedTo"):
        relate(graph, node, node, relation)
    angles = [e["selfReference"]["angle"] for e in payload(render_page(graph))["edges"]]
    assert len(set(angles)) == 3


def test_styles_by_type_and_relation_kind(summit):
    data = payload(render_page(summit))
    by_type = {node["type"]: (node["shape"], node["color"]) for node in data["nodes"]}
    assert len(set(by_type.values())) == len(by_type) == 3
    open_dashes = {edge["dashes"] for edge in data["edges"] if edge["open"]}
    closed_dashes = {edge["dashes"] for edge in data["edges"] if not edge["open"]}
    assert open_dashes == {True} and closed_dashes == {False}


def test_node_size_grows_with_degree(summit):
    sizes = {node["id"]: node["size"] for node in payload(render_page(summit))["nodes"]}
    assert sizes[entity("Person", "joe-biden")] > sizes[entity("Location", "geneva")]


def test_node_tooltip_rows(summit):
    nodes = {node["id"]: node for node in payload(render_page(summit))["nodes"]}
    biden = dict(nodes[entity("Person", "joe-biden")]["tip"])
    assert biden[""] == "Joe Biden"
    assert biden["aliases"] == "Biden"
    assert biden["roles"] == "President"
    assert biden["IRI"] == entity("Person", "joe-biden")
    assert dict(nodes[entity("Event", "meeting")]["tip"])["type"] == "Event (Meeting)"


def test_date_value_is_shown_when_present():
    graph = nx.MultiDiGraph()
    add_entity(graph, "Date", "2021-06-16", "June 16", value="2021-06-16")
    tip = dict(payload(whole(graph))["nodes"][0]["tip"])
    assert tip["value"] == "2021-06-16"


def test_import_is_light():
    code = "import sys, kg.network.html; print(sorted({'pyvis', 'networkx', 'jinja2'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_legend_lists_exactly_the_types_present(summit):
    add_entity(summit, "Gadget", "x", "unknown type")
    html = whole(summit)
    items = HTMLParser(html).css("#kg-legend li.kg-legend-type")
    assert [li.attributes["data-type"] for li in items] == ["Person", "Location", "Event", "Gadget"]
    shapes = [li.attributes["data-shape"] for li in items]
    assert len(set(shapes)) == 4
    assert all(li.css_first("svg") is not None for li in items)
    assert "(2)" in items[0].text()
    edges = HTMLParser(html).css("#kg-legend li.kg-legend-edge")
    assert [li.attributes["data-kind"] for li in edges] == ["ontology", "open"]


def test_note_only_when_given(summit):
    assert HTMLParser(render_page(summit)).css_first("#kg-note") is None
    tree = HTMLParser(render_page(summit, note="graph reduced: 4 of 4,000 nodes"))
    assert tree.css_first("#kg-note").text() == "graph reduced: 4 of 4,000 nodes"


def test_layout_is_computed_before_the_page_opens(summit):
    data = payload(render_page(summit))
    assert data["options"]["physics"]["enabled"] is False  # nothing left to simulate
    points = {(node["x"], node["y"]) for node in data["nodes"]}
    assert len(points) == len(data["nodes"]) == 4  # every node placed, none on another
    assert all(isinstance(node["community"], int) for node in data["nodes"])
    assert payload(render_page(summit))["nodes"] == data["nodes"]  # the same layout every time
    bare = payload(render_page(summit, physics=False))
    assert bare["options"]["physics"]["enabled"] is False
    assert all("x" not in node for node in bare["nodes"])


def test_odd_attribute_values_are_tolerated():
    graph = nx.MultiDiGraph()
    graph.add_node("https://example.org/kg/entity/person/bare")  # no attributes at all
    graph.add_node("x", label="lone \ud800 surrogate", type="Person", aliases={"A"}, roles="Mayor")
    graph.add_edge("x", "https://example.org/kg/entity/person/bare", confidence=math.nan)
    graph.add_edge("x", "x", relation=None, evidence=None, confidence="high")
    data = payload(whole(graph))
    bare, odd = data["nodes"]
    assert bare["label"] == "bare" and bare["type"] == "Other"
    assert "\ud800" not in odd["label"] and odd["label"].startswith("lone ")
    assert dict(odd["tip"])["roles"] == "Mayor"
    assert [dict(edge["tip"]).get("confidence") for edge in data["edges"]] == [None, None]
    assert data["edges"][0]["relation"] == "relatedTo"


def test_empty_graph_renders(tmp_path):
    path = render_html(nx.MultiDiGraph(), tmp_path / "empty.html")
    data = payload(path.read_text(encoding="utf-8"))
    assert data["nodes"] == [] and data["edges"] == []


def test_simple_digraph_is_accepted(summit):
    data = payload(render_page(nx.DiGraph(summit)))
    assert len(data["edges"]) == nx.DiGraph(summit).number_of_edges() == 5


def test_two_thousand_nodes_are_all_drawn_when_asked(tmp_path):
    graph = random_graph(2000)
    path = render_html(graph, tmp_path / "big.html", quotes=True, isolated=True, max_nodes=None)
    net = build_network(graph, physics=False)
    assert net.num_nodes() == 2000 and net.num_edges() == 3000
    nodes = payload(path.read_text(encoding="utf-8"))["nodes"]
    assert len(nodes) == 2000 and all("x" in node for node in nodes)


@given(st.recursive(st.text(), lambda inner: st.lists(inner, max_size=4), max_leaves=8))
def test_script_json_cannot_close_its_script(value):
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value


# --- writing ----------------------------------------------------------------------


def test_missing_directory_raises_output_error(summit, tmp_path):
    with pytest.raises(OutputError, match="cannot write"):
        render_html(summit, tmp_path / "no" / "such" / "dir" / "graph.html")


def test_directory_as_target_raises_and_leaves_no_temp_file(summit, tmp_path):
    target = tmp_path / "graph.html"
    target.mkdir()
    with pytest.raises(OutputError) as info:
        render_html(summit, target)
    assert "\n" not in str(info.value)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_overwrite_is_atomic_and_keeps_permissions(summit, tmp_path):
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    render_html(summit, target, title="new")
    assert "old" != target.read_text(encoding="utf-8")[:3]
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


# --- in a real browser ------------------------------------------------------------


class PageWatch:
    """Records everything a page does that a test may want to forbid."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.failed: dict[str, str | None] = {}

    def attach(self, page) -> None:
        page.route("**/*", self._route)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("requestfailed", lambda request: self.failed.update({request.url: request.failure}))
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        external = [u for u in self.requests if not u.startswith(("file:", "data:"))]
        assert external == [] and self.blocked == []
        assert self.errors == []
        assert self.console_errors == []
        assert self.dialogs == []


def wait_until(page, predicate: str, seconds: float) -> None:
    """Poll a JS function until it returns true.

    ``page.wait_for_function`` evaluates its predicate with ``eval`` inside the page,
    which the page's CSP (rightly) refuses; ``page.evaluate`` is not subject to it.
    """
    deadline = time.monotonic() + seconds
    while not page.evaluate(predicate):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds}s waiting for {predicate}")
        page.wait_for_timeout(50)


@pytest.fixture
def open_graph(browser, tmp_path):
    """Render a graph, open it in Chromium and wait until the layout has settled."""
    contexts = []

    def _open(graph, **options):
        path = render_html(graph, tmp_path / f"graph{len(contexts)}.html", **options)
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch()
        watch.attach(page)
        page.goto(path.as_uri())
        wait_until(page, "() => Boolean(window.kgStatus && window.kgStatus.stabilized)", 60)
        return page, watch

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", ["summit", "hostile", "random"])
def test_browser_shows_every_node_and_edge(open_graph, name, request):
    graph = random_graph(300) if name == "random" else request.getfixturevalue(name)
    page, watch = open_graph(graph, **WHOLE)
    counts = page.evaluate("[nodes.length, edges.length]")
    assert counts == [graph.number_of_nodes(), graph.number_of_edges()]
    assert page.evaluate("window.network === network && network.body.nodeIndices.length") == (
        graph.number_of_nodes()
    )
    assert page.evaluate("kgStatus.cspViolations") == []
    watch.assert_clean()


@pytest.mark.browser
def test_browser_hostile_titles_are_text(open_graph, hostile):
    page, watch = open_graph(hostile, title=ALERT_SCRIPT, note=ALERT_IMG, **WHOLE)
    titles = page.evaluate(
        """() => nodes.get().concat(edges.get()).map(item => [
            item.title.textContent, item.title.querySelectorAll('img, script').length])"""
    )
    assert all(count == 0 for _text, count in titles)
    texts = [text for text, _count in titles]
    for text in HOSTILE:
        assert any(text.replace("\r\n", "\n").split("\n")[0] in t for t in texts)
    first = page.evaluate(f"nodes.get({json.dumps(entity('Person', 'h0'))}).title.innerHTML")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in first
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.locator("#kg-note").inner_text() == ALERT_IMG
    page.wait_for_timeout(300)
    watch.assert_clean()


def hover(page, x: float, y: float) -> str:
    """Move the mouse to canvas DOM coordinates and return the visible tooltip's text."""
    box = page.locator("#mynetwork").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    wait_until(
        page,
        "() => { const t = document.querySelector('div.vis-tooltip');"
        " return Boolean(t && t.style.visibility === 'visible'); }",
        5,
    )
    return page.evaluate("document.querySelector('div.vis-tooltip').textContent")


@pytest.mark.browser
def test_browser_hover_shows_escaped_text(open_graph):
    graph = nx.MultiDiGraph()
    a = add_entity(graph, "Person", "a", ALERT_SCRIPT, roles=[ALERT_IMG])
    b = add_entity(graph, "Organization", "b", "Plain")
    relate(graph, a, b, "leaderOf", evidence="He said </script><img src=x onerror=alert(1)>.")
    page, watch = open_graph(graph)
    spot = page.evaluate(
        f"network.canvasToDOM(network.getPositions([{json.dumps(a)}])[{json.dumps(a)}])"
    )
    text = hover(page, spot["x"], spot["y"])
    assert ALERT_SCRIPT in text and ALERT_IMG in text
    assert page.evaluate("document.querySelectorAll('div.vis-tooltip img').length") == 0
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    ends = page.evaluate(
        f"Object.values(network.getPositions([{json.dumps(a)}, {json.dumps(b)}]))"
        ".map(p => network.canvasToDOM(p))"
    )
    text = hover(page, (ends[0]["x"] + ends[1]["x"]) / 2, (ends[0]["y"] + ends[1]["y"]) / 2)
    assert "</script><img src=x onerror=alert(1)>" in text and "leaderOf" in text
    watch.assert_clean()


@pytest.mark.browser
def test_browser_layout_stops_moving(open_graph, summit):
    page, watch = open_graph(summit)
    before = page.evaluate("network.getPositions()")
    page.wait_for_timeout(700)
    assert page.evaluate("network.getPositions()") == before
    assert page.evaluate("network.physics.options.enabled") is False
    watch.assert_clean()


@pytest.mark.browser
def test_browser_without_physics_and_empty_graph(open_graph, summit):
    page, watch = open_graph(summit, physics=False)
    assert page.evaluate("nodes.length") == 4
    page, watch_empty = open_graph(nx.MultiDiGraph())
    assert page.evaluate("[nodes.length, edges.length]") == [0, 0]
    watch.assert_clean()
    watch_empty.assert_clean()


@pytest.mark.browser
def test_browser_csp_blocks_injected_loads(open_graph, summit):
    page, watch = open_graph(summit)
    page.evaluate(
        """() => { const img = document.createElement('img');
                   img.src = 'https://example.com/x.png'; document.body.appendChild(img);
                   const s = document.createElement('script');
                   s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"""
    )
    wait_until(page, "() => kgStatus.cspViolations.length >= 2", 5)
    assert page.evaluate("window.injected") is None
    # Chromium refuses the image itself: it never reaches the network (nor our route)
    page.wait_for_timeout(200)
    assert watch.failed.get("https://example.com/x.png") == "csp"
    assert watch.blocked == []
    assert watch.errors == [] and watch.dialogs == []


@pytest.mark.slow
@pytest.mark.browser
def test_seed_graph_opens_offline(open_graph, seeds_dir):
    from kg import KnowledgeGraph

    graph = KnowledgeGraph.build([str(seeds_dir)]).to_networkx()
    assert graph.number_of_nodes() > 0
    page, watch = open_graph(graph, title="Seeds", **WHOLE)
    assert page.evaluate("[nodes.length, edges.length]") == [
        graph.number_of_nodes(),
        graph.number_of_edges(),
    ]
    legend = page.evaluate(
        "Array.from(document.querySelectorAll('#kg-legend li.kg-legend-type'), li => li.dataset.type)"
    )
    assert set(legend) == {data["type"] for _node, data in graph.nodes(data=True)}
    watch.assert_clean()
