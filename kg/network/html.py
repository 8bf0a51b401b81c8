"""The interactive HTML network: a networkx graph drawn with pyvis / vis-network.

The page works offline: vis-network's JS and CSS are inlined from the installed
pyvis, there is no Bootstrap and no CDN, and a Content-Security-Policy forbids every
network load and every script but the page's own two (pinned by hash). Names and
sentences are never interpreted as HTML: the data travels as JSON inside a
``<script type="application/json">`` (with ``<``, ``>`` and ``&`` escaped) and the
tooltips are built in the browser with ``textContent``.

Input: a ``networkx.MultiDiGraph`` as produced by ``kg/nx.py`` — nodes are entity IRIs
with ``label``, ``type``, ``subtype``, ``aliases``, ``roles``, ``iri``; edges carry
``relation``, ``open``, ``evidence``, ``confidence``.

    >>> render_html(graph, "graph.html", title="Seeds")  # doctest: +SKIP
    PosixPath('graph.html')

Large graphs are drawn in part (:mod:`kg.network.views`): ``top``, ``focus``/``hops``,
``types`` and ``relations`` choose what to draw, and a graph over ``max_nodes``
(default 2,000) is reduced to its most central entities, with a note on the page
saying what was left out and how to see it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.atomic import write_bytes_atomic
from kg.errors import OutputError
from kg.model import ENTITY_TYPES

if TYPE_CHECKING:
    import networkx
    from pyvis.network import Network

#: Fills the evidence of a network's edges among some of its nodes, in place.
EvidenceFiller = Callable[["networkx.MultiDiGraph", Collection[str]], None]

__all__ = [
    "build_network",
    "network_options",
    "render_html",
    "render_page",
    "vis_assets",
    "vis_data",
]

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_VERSION = "9.1.2"
OTHER_TYPE = "Other"

#: Nodes whose label is always drawn (the most central); the others show theirs on hover.
LABELLED_NODES = 30
#: Quotes listed on a speaker (tooltip and details panel) and drawn as nodes by the toggle.
QUOTES_PER_SPEAKER = 30
#: Above this many edges, hide edges while dragging or zooming to keep it responsive.
HIDE_EDGES_ON_DRAG_MIN = 2000


#: How to see what a reduced page leaves out (appended to its note).
VIEW_HINT = (
    "To see more, run kg viz with --all (everything), --top N, --focus NAME --hops K, "
    "--types, --relations, --isolated or --quotes."
)


def render_html(
    graph: networkx.MultiDiGraph,
    path: str | Path,
    *,
    title: str = "Knowledge graph",
    physics: bool = True,
    note: str | None = None,
    evidence: EvidenceFiller | None = None,
    **view: Any,
) -> Path:
    """Write ``graph`` as a self-contained interactive HTML page at ``path``.

    ``view`` options (``top``, ``focus``, ``hops``, ``types``, ``relations``, ``rank``,
    ``max_nodes``, ``quotes``, ``isolated``) go to :func:`kg.network.views.select`. The
    file is written atomically (a temporary file in the same directory, then
    ``os.replace``). Raises :class:`~kg.errors.OutputError` if it cannot be written.

        >>> render_html(graph, "out/graph.html", focus="NATO", hops=2)  # doctest: +SKIP
    """
    page = render_page(graph, title=title, physics=physics, note=note, evidence=evidence, **view)
    target = Path(path)
    write_bytes_atomic(target, page.encode("utf-8"))
    return target


def render_page(
    graph: networkx.MultiDiGraph,
    *,
    title: str = "Knowledge graph",
    physics: bool = True,
    note: str | None = None,
    evidence: EvidenceFiller | None = None,
    **view: Any,
) -> str:
    """Return the HTML page for ``graph`` as a string (what :func:`render_html` writes).

    ``physics`` False skips the computed layout (nodes start where vis-network puts them).
    ``evidence``, when given, fills the evidence of the edges among some nodes of
    ``graph`` (:func:`kg.network.convert.fill_evidence`): ``graph`` then holds the shape
    only, and the evidence is asked for the part drawn.
    """
    from kg.network.views import merge_inverses, quotes_by_speaker, select

    chosen = select(graph, hint=VIEW_HINT, **view)
    notes = [_text(text) for text in (note, chosen.note) if text]
    drawn = chosen.graph
    if evidence is None:
        said = quotes_by_speaker(merge_inverses(graph))
    else:
        drawn, said = _with_evidence(graph, drawn, evidence)
    net = build_network(drawn, physics=physics, quotes=said, quote_nodes=bool(view.get("quotes")))
    return _render_template(net, title=_text(title), note="\n".join(notes) or None)


def _with_evidence(
    graph: networkx.MultiDiGraph, drawn: networkx.MultiDiGraph, evidence: EvidenceFiller
) -> tuple[networkx.MultiDiGraph, dict[Any, list[dict[str, Any]]]]:
    """The drawn view and its speakers' quotes, once the evidence of its edges (and of the
    speaker facts of their quotes) is filled in ``graph``: what :func:`select` and
    :func:`quotes_by_speaker` give on the graph with all its evidence."""
    from kg.network.views import QUOTE_TYPE, merge_inverses, quotes_by_speaker

    shown = set(drawn)
    quotes = {
        quote
        for quote, speaker, relation in graph.edges(data="relation")
        if relation == "speaker"
        and speaker in shown
        and graph.nodes[quote].get("type") == QUOTE_TYPE
    }
    evidence(graph, shown | quotes)
    part = merge_inverses(graph.subgraph(shown | quotes))
    out = drawn.__class__()
    out.add_nodes_from(drawn.nodes(data=True))
    for u, v, key in drawn.edges(keys=True):
        out.add_edge(u, v, key=key, **part.edges[u, v, key])
    return out, quotes_by_speaker(part)


def build_network(
    graph: networkx.MultiDiGraph,
    *,
    physics: bool = True,
    quotes: dict[Any, list[dict[str, Any]]] | None = None,
    quote_nodes: bool = False,
) -> Network:
    """Fill a directed pyvis ``Network`` from ``graph`` in one go.

    Node and edge dicts are built here and assigned as whole lists: pyvis'
    ``add_node`` checks membership in a list, which is quadratic in the node count.
    Tooltips travel as ``tip`` rows (``[[key, value], ...]``), not as a ``title``
    string, so no template can ever inject them as HTML. Positions and communities
    come from :mod:`kg.network.layout`; ``quotes`` (speaker → quotes) are listed on
    their speakers and added as hidden quote nodes the page can show.
    """
    from pyvis.network import Network

    from kg.network.layout import layout

    drawing = layout(graph, positions=physics)
    nodes, edges = vis_data(graph)
    order = sorted(nodes, key=lambda n: (-drawing.centrality.get(n["id"], 0.0), n["label"]))
    ranks = {node["id"]: index for index, node in enumerate(order)}
    for node in nodes:
        node["rank"] = ranks[node["id"]]
        node["community"] = drawing.communities.get(node["id"], 0)
        node["labelled"] = ranks[node["id"]] < LABELLED_NODES
        node["quote"] = node["type"] == "Quote"
        if node["id"] in drawing.positions:
            node["x"], node["y"] = drawing.positions[node["id"]]
    if quotes:
        _attach_quotes(nodes, edges, quotes, add_nodes=not quote_nodes)
    net = Network(directed=True, height="100%", width="100%")
    net.nodes = nodes
    net.node_ids = [node["id"] for node in nodes]
    net.node_map = {node["id"]: node for node in nodes}
    net.edges = edges
    net.options = network_options(len(nodes), len(net.edges), physics=physics)
    net.options["kg"] = {"quoteNodes": quote_nodes, "labelled": LABELLED_NODES}
    return net


def _attach_quotes(
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    quotes: dict[Any, list[dict[str, Any]]],
    *,
    add_nodes: bool,
) -> None:
    """Quotes on their speakers (``quotes`` rows), and as hidden nodes around them."""
    styles = load_styles()
    present = {node["id"] for node in nodes}
    extra_nodes: list[dict[str, Any]] = []
    extra_edges: list[dict[str, Any]] = []
    for node in list(nodes):
        said = quotes.get(node["id"]) or []
        if not said or node["quote"]:
            continue
        shown = said[:QUOTES_PER_SPEAKER]
        node["quotes"] = [[_text(q["text"]), _text(q["evidence"])] for q in shown]
        node["tip"].insert(-1, ["quotes", f"{len(said)} (click the node to read them)"])
        if not add_nodes:
            continue
        x, y = node.get("x"), node.get("y")
        for index, quote in enumerate(shown):
            quote_id = _text(quote["id"])
            if quote_id in present:
                continue
            present.add(quote_id)
            style = _type_style("Quote", styles)
            text = _text(quote["text"])
            item: dict[str, Any] = {
                "id": quote_id,
                "label": _shorten(text, styles["label_max_chars"]["node"]),
                "shape": style["shape"],
                "color": style["color"],
                "size": styles["size"]["base"],
                "type": "Quote",
                "tip": [["", text], ["type", "Quote"], ["speaker", node["tip"][0][1]]],
                "rank": len(nodes) + len(extra_nodes),
                "community": node["community"],
                "labelled": False,
                "quote": True,
                "attached": True,
            }
            if x is not None and y is not None:
                angle = 2 * math.pi * index / max(len(shown), 1)
                item["x"] = round(x + 70 * math.cos(angle), 1)
                item["y"] = round(y + 70 * math.sin(angle), 1)
            extra_nodes.append(item)
            extra_edges.append(
                {
                    "id": f"q{len(edges) + len(extra_edges)}",
                    "from": quote_id,
                    "to": node["id"],
                    "label": "speaker",
                    "dashes": styles["edges"]["ontology"]["dashes"],
                    "color": {
                        "color": styles["edges"]["ontology"]["color"],
                        "highlight": "#222222",
                        "hover": "#222222",
                    },
                    "relation": "speaker",
                    "open": False,
                    "quote": True,
                    "tip": [
                        ["", "speaker"],
                        ["from", text],
                        ["to", node["tip"][0][1]],
                        ["evidence", _text(quote["evidence"])],
                    ],
                }
            )
    nodes.extend(extra_nodes)
    edges.extend(extra_edges)


def vis_data(graph: networkx.MultiDiGraph) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """vis-network node and edge dicts for ``graph`` (styled, with ``tip`` rows).

    Edge ids are ``e0``, ``e1``... in edge order; callers that merge several
    calls' edges should give them their own ids.
    """
    styles = load_styles()
    nodes = _node_dicts(graph, styles)
    labels = {node["id"]: node["tip"][0][1] for node in nodes}
    return nodes, _edge_dicts(graph, labels, styles)


def network_options(node_count: int, edge_count: int, *, physics: bool = True) -> dict[str, Any]:
    """vis-network options: positions are computed beforehand, so nothing is simulated.

    Node labels are drawn by the page's script (the most central always, the others
    on hover); edge labels on hover, on a selected node, or when zoomed in.
    """
    return {
        "autoResize": True,
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "nodes": {"font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "font": {"size": 11, "align": "middle", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "smooth": False,
            "width": 1.2,
            "selfReference": {"size": 18},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": False,
            "hideEdgesOnDrag": edge_count > HIDE_EDGES_ON_DRAG_MIN,
        },
        "physics": {"enabled": False},
    }


@lru_cache(maxsize=1)
def load_styles() -> dict[str, Any]:
    """Colours, shapes and sizes per entity type, from ``kg/templates/styles.json``."""
    return json.loads((TEMPLATES / "styles.json").read_text(encoding="utf-8"))


# --- nodes and edges -------------------------------------------------------------


def _node_dicts(graph: networkx.MultiDiGraph, styles: dict[str, Any]) -> list[dict[str, Any]]:
    """One vis node dict per graph node: shape and colour by type, size by degree."""
    nodes = []
    for node_id, data in graph.nodes(data=True):
        iri = _text(data.get("iri") or node_id)
        label = _text(data.get("label")) or _local_name(iri)
        kind = _text(data.get("type")) or OTHER_TYPE
        subtype = _text(data.get("subtype"))
        style = _type_style(kind, styles)
        nodes.append(
            {
                "id": _text(node_id),
                "label": _shorten(label, styles["label_max_chars"]["node"]),
                "shape": style["shape"],
                "color": style["color"],
                "size": _node_size(graph.degree(node_id), styles["size"]),
                "type": kind,
                "aliases": [a for a in _texts(data.get("aliases")) if a != label.strip()],
                "tip": _node_tip(label, kind, subtype, data, iri),
            }
        )
    return nodes


def _node_tip(label: str, kind: str, subtype: str, data: dict, iri: str) -> list[list[str]]:
    """Tooltip rows for a node: label, type, aliases, roles, a date's value, IRI."""
    rows = [["", label], ["type", f"{kind} ({subtype})" if subtype else kind]]
    aliases = [alias for alias in _texts(data.get("aliases")) if alias != label.strip()]
    if aliases:
        rows.append(["aliases", "; ".join(aliases)])
    roles = _texts(data.get("roles"))
    if roles:
        rows.append(["roles", "; ".join(roles)])
    value = _text(data.get("value"))
    if value:
        rows.append(["value", value])
    rows.append(["IRI", iri])
    return rows


def _edge_dicts(
    graph: networkx.MultiDiGraph, labels: dict[str, str], styles: dict[str, Any]
) -> list[dict[str, Any]]:
    """One vis edge dict per graph edge (parallel edges kept, each on its own curve)."""
    edges = []
    seen: Counter[tuple[str, str]] = Counter()
    for index, (source, target, data) in enumerate(_edges(graph)):
        start, end = _text(source), _text(target)
        relation = _text(data.get("relation")) or "relatedTo"
        is_open = bool(data.get("open"))
        style = styles["edges"]["open" if is_open else "ontology"]
        pair = (min(start, end), max(start, end))
        edge = {
            "id": f"e{index}",
            "from": start,
            "to": end,
            "label": _shorten(relation, styles["label_max_chars"]["edge"]),
            "dashes": style["dashes"],
            "color": {"color": style["color"], "highlight": "#222222", "hover": "#222222"},
            "relation": relation,
            "open": is_open,
            "tip": _edge_tip(relation, is_open, labels[start], labels[end], data),
        }
        edge.update(_parallel_geometry(seen[pair], flipped=start > end, loop=start == end))
        seen[pair] += 1
        edges.append(edge)
    return edges


def _edge_tip(
    relation: str, is_open: bool, source: str, target: str, data: dict
) -> list[list[str]]:
    """Tooltip rows for an edge: relation, endpoints, evidence sentence, confidence."""
    rows = [
        ["", relation],
        ["kind", "open relation" if is_open else "ontology relation"],
        ["from", source],
        ["to", target],
    ]
    evidence = _text(data.get("evidence"))
    if evidence:
        rows.append(["evidence", evidence])
    confidence = _number(data.get("confidence"))
    if confidence is not None:
        rows.append(["confidence", f"{confidence:.2f}"])
    return rows


def _parallel_geometry(rank: int, *, flipped: bool, loop: bool) -> dict[str, Any]:
    """Spread the ``rank``-th edge between the same two nodes so none hides another.

    Rank 0 is straight; then alternate clockwise / counter-clockwise curves of growing
    roundness, mirrored for edges drawn in the other direction so they do not coincide.
    Self-loops are rotated around their node instead.
    """
    if loop:
        return {"selfReference": {"size": 18 + 6 * (rank // 8), "angle": (rank % 8) * math.pi / 4}}
    if rank == 0:
        return {}
    clockwise = (rank % 2 == 1) != flipped
    roundness = min(0.2 * ((rank + 1) // 2), 0.9)
    return {
        "smooth": {
            "enabled": True,
            "type": "curvedCW" if clockwise else "curvedCCW",
            "roundness": roundness,
        }
    }


def _edges(graph: networkx.MultiDiGraph) -> Iterable[tuple[Any, Any, dict]]:
    """Edges with their data, for multigraphs and simple graphs alike."""
    if graph.is_multigraph():
        return ((u, v, data) for u, v, _key, data in graph.edges(keys=True, data=True))
    return graph.edges(data=True)


def _node_size(degree: int, size: dict[str, float]) -> float:
    """Node radius growing with the square root of its degree, capped."""
    radius = size["base"] + size["per_sqrt_degree"] * math.sqrt(degree)
    return round(min(radius, size["max"]), 1)


def _type_style(kind: str, styles: dict[str, Any]) -> dict[str, str]:
    return styles["types"].get(kind, styles["other"])


# --- the page ----------------------------------------------------------------------


def _render_template(net: Network, *, title: str, note: str | None) -> str:
    """Fill kg/templates/network.html with the network and the inlined assets."""
    import jinja2
    import pyvis
    from markupsafe import Markup

    styles = load_styles()
    vis_js, vis_css = vis_assets()
    app_js = (TEMPLATES / "network.js").read_text(encoding="utf-8")
    communities = _legend_communities(
        [node for node in net.nodes if not node.get("attached")], styles
    )
    payload = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": {k: v for k, v in net.options.items() if k != "kg"},
        "settings": {
            **net.options.get("kg", {}),
            "communityColors": {str(c["id"]): c["color"] for c in communities},
            "otherCommunityColor": styles["community_other"],
        },
    }
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    drawn_nodes = [node for node in net.nodes if not node.get("attached")]
    drawn_edges = [edge for edge in net.edges if not edge.get("quote")]
    return env.get_template("network.html").render(
        title=title,
        note=note,
        legend_types=_legend_types(drawn_nodes, styles),
        legend_edges=_legend_edges(drawn_edges, styles),
        legend_relations=_legend_relations(drawn_edges),
        legend_communities=communities,
        quote_count=sum(1 for node in net.nodes if node.get("quote")),
        quote_nodes=bool(net.options.get("kg", {}).get("quoteNodes")),
        node_count=len(drawn_nodes),
        edge_count=len(drawn_edges),
        data_json=Markup(script_json(payload)),
        vis_css=Markup(vis_css),
        vis_js=Markup(vis_js),
        app_js=Markup(app_js),
        csp=content_security_policy([vis_js, app_js]),
        pyvis_version=getattr(pyvis, "__version__", "?"),
        vis_version=VIS_VERSION,
    )


def _legend_types(nodes: list[dict[str, Any]], styles: dict[str, Any]) -> list[dict[str, Any]]:
    """One legend entry per entity type present, ontology types first."""
    counts = Counter(node["type"] for node in nodes)
    order = [kind for kind in ENTITY_TYPES if kind in counts]
    order += sorted(kind for kind in counts if kind not in ENTITY_TYPES)
    return [{"name": kind, "count": counts[kind], **_type_style(kind, styles)} for kind in order]


def _legend_edges(edges: list[dict[str, Any]], styles: dict[str, Any]) -> list[dict[str, Any]]:
    """Legend entries for the edge styles present (ontology vs open relations)."""
    counts: defaultdict[str, int] = defaultdict(int)
    for edge in edges:
        counts["open" if edge["open"] else "ontology"] += 1
    return [
        {"kind": kind, "count": counts[kind], **styles["edges"][kind]}
        for kind in ("ontology", "open")
        if counts[kind]
    ]


def _legend_relations(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Relations drawn, most frequent first."""
    counts = Counter(edge["relation"] for edge in edges)
    return [
        {"name": name, "count": count}
        for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _legend_communities(
    nodes: list[dict[str, Any]], styles: dict[str, Any]
) -> list[dict[str, Any]]:
    """The largest communities (two members or more), named after their most central member."""
    palette = styles["communities"]
    members: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        members[node.get("community", 0)].append(node)
    out: list[dict[str, Any]] = []
    for community, group in sorted(members.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(group) < 2 or len(out) >= len(palette):
            break
        best = min(group, key=lambda n: n.get("rank", 0))
        out.append(
            {
                "id": community,
                "count": len(group),
                "name": best["tip"][0][1],
                "color": palette[len(out)],
            }
        )
    return out


def script_json(value: Any) -> str:
    """JSON safe to embed in a ``<script>`` element: no ``</script>``, ``<!--`` or ``&``.

    ``<``, ``>`` and ``&`` only occur inside JSON strings, where ``\\u003c`` etc. mean
    the same; U+2028/2029 are escaped for older JavaScript parsers.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def content_security_policy(scripts: list[str]) -> str:
    """A CSP that allows only the given inline scripts and nothing from any network."""
    hashes = " ".join(f"'sha256-{_sha256(script)}'" for script in scripts)
    return (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; "
        "img-src data:; "
        "font-src 'none'; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's minified JS and CSS as shipped inside the installed pyvis.

    vis-network is dual-licensed Apache-2.0 / MIT; its license header stays in the JS.
    """
    import pyvis

    folder = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    try:
        js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        css = (folder / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise OutputError(
            f"cannot render HTML: vis-network {VIS_VERSION} not found in pyvis at {folder}"
        ) from exc
    if "</script" in js.lower() or "</style" in css.lower():
        raise OutputError(f"cannot render HTML: vis-network assets at {folder} cannot be inlined")
    return js, css


# --- text cleaning -----------------------------------------------------------------


def _text(value: Any) -> str:
    """A printable ``str`` for any attribute value: None → "", lone surrogates → U+FFFD."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def _texts(values: Any) -> list[str]:
    """A list attribute (aliases, roles) as distinct non-empty strings, in order."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    texts = (_text(value).strip() for value in values)
    return list(dict.fromkeys(text for text in texts if text))


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _shorten(text: str, limit: int) -> str:
    """A one-line label of at most ``limit`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or iri
