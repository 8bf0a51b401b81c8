"""Benchmark the HTML network: render time, file size, time to stabilize in Chromium.

    .venv/bin/python bench/viz_render.py                      # 1,000 and 5,000 nodes
    .venv/bin/python bench/viz_render.py --sizes 2000 --browser 1000 --pyvis 2000
    .venv/bin/python bench/viz_render.py --sizes --browser --pyvis --graph politics.trig

Graphs are random (seeded) MultiDiGraphs shaped like kg/nx.py output: typed nodes,
about 1.5 edges per node, some parallel edges, a third of them open relations.
Each size is drawn whole (``kg viz --all``) and, when it is over the default limit,
also as ``kg viz`` draws it by default (reduced to the most central entities).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.model import ENTITY_TYPES  # noqa: E402
from kg.network.html import render_html  # noqa: E402
from kg.network.views import DEFAULT_MAX_NODES  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# Same flags as tests/conftest.py.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
RELATIONS = ["leaderOf", "memberOf", "locatedIn", "participantIn", "date", "speaker"]
VERBS = ["meet", "greet", "criticize", "say", "visit", "sign"]
WORDS = "alpha beta gamma delta summit council minister river accord union north".split()


def random_graph(n: int, *, seed: int = 0, edges_per_node: float = 1.5):
    """A random kg-shaped MultiDiGraph with ``n`` nodes."""
    import networkx as nx

    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    for i in range(n):
        kind = rng.choice(ENTITY_TYPES)
        name = " ".join(rng.choice(WORDS).title() for _ in range(rng.randint(1, 3)))
        iri = f"https://example.org/kg/entity/{kind.lower()}/{i}"
        graph.add_node(
            iri,
            label=f"{name} {i}",
            type=kind,
            subtype="Meeting" if kind == "Event" else None,
            aliases=[name],
            roles=["President"] if kind == "Person" and i % 5 == 0 else [],
            iri=iri,
        )
    nodes = list(graph.nodes)
    for _ in range(int(n * edges_per_node)):
        source, target = rng.choice(nodes), rng.choice(nodes)
        is_open = rng.random() < 0.33
        graph.add_edge(
            source,
            target,
            relation=rng.choice(VERBS if is_open else RELATIONS),
            open=is_open,
            evidence=f"Sentence {rng.randint(0, 10**6)} says that {source} relates to {target}.",
            confidence=round(rng.random(), 2),
        )
    return graph


def bench_render(n: int, folder: Path, repeat: int = 3, *, everything: bool = True) -> Path:
    """Print the median render time and the HTML size for an ``n``-node graph."""
    graph = random_graph(n)
    kind = "all" if everything else "default"
    path = folder / f"graph-{n}-{kind}.html"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        render_html(
            graph,
            path,
            title=f"{n} nodes",
            max_nodes=None if everything else DEFAULT_MAX_NODES,
            quotes=everything,
            isolated=everything,
        )
        times.append(time.perf_counter() - start)
    size = path.stat().st_size
    print(
        f"render  nodes={n:>6} edges={graph.number_of_edges():>6} view={kind:<7} "
        f"median={statistics.median(times):.3f}s size={size / 1e6:.2f} MB"
    )
    return path


def bench_pyvis_add_node(n: int) -> None:
    """Time pyvis' own add_node/add_edge loop (quadratic) for comparison."""
    from pyvis.network import Network

    graph = random_graph(n)
    net = Network(directed=True)
    start = time.perf_counter()
    for node, data in graph.nodes(data=True):
        net.add_node(node, label=data["label"])
    for source, target, data in graph.edges(data=True):
        net.add_edge(source, target, label=data["relation"])
    print(f"pyvis add_node/add_edge loop nodes={n:>6}: {time.perf_counter() - start:.3f}s")


def bench_browser(path: Path, n: int, kind: str = "all") -> None:
    """Time from navigation until physics stabilized in headless Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        start = time.perf_counter()
        page.goto(path.as_uri())
        loaded = time.perf_counter() - start
        # Poll with evaluate: the page's CSP forbids the eval wait_for_function relies on.
        while not page.evaluate("() => Boolean(window.kgStatus && window.kgStatus.stabilized)"):
            page.wait_for_timeout(20)
        total = time.perf_counter() - start
        in_page = page.evaluate("kgStatus.stabilizedMs") / 1000
        drawn = page.evaluate("network.body.nodeIndices.length")
        browser.close()
    print(
        f"browser nodes={n:>6} view={kind:<7} drawn={drawn:>6} load={loaded:.2f}s "
        f"stabilized={total:.2f}s (page clock {in_page:.2f}s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--browser", type=int, nargs="*", default=[1000, 5000])
    parser.add_argument("--pyvis", type=int, nargs="*", default=[2000])
    parser.add_argument("--graph", type=Path, help="Also a real graph file, drawn as kg viz does")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.graph:
            from kg.graph import KnowledgeGraph

            network = KnowledgeGraph.load(args.graph).to_networkx()
            path = folder / "graph-file.html"
            start = time.perf_counter()
            render_html(network, path, title=args.graph.name)
            print(
                f"render  {args.graph.name}: {network.number_of_nodes()} entities, "
                f"{time.perf_counter() - start:.2f}s, {path.stat().st_size / 1e6:.2f} MB"
            )
            bench_browser(path, network.number_of_nodes(), "default")
        for n in args.sizes:
            bench_render(n, folder)
            if n > DEFAULT_MAX_NODES:
                bench_render(n, folder, everything=False)
        for n in args.pyvis:
            bench_pyvis_add_node(n)
        for n in args.browser:
            for kind in ("all", "default") if n > DEFAULT_MAX_NODES else ("all",):
                path = folder / f"graph-{n}-{kind}.html"
                if not path.exists():
                    bench_render(n, folder, repeat=1, everything=kind == "all")
                bench_browser(path, n, kind)


if __name__ == "__main__":
    main()
