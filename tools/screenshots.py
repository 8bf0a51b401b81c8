"""Take the screenshots of docs/explorer.md: python tools/screenshots.py SEEDS.trig POLITICS.trig.

SEEDS.trig: `kg build seeds/ -o seeds.trig`; POLITICS.trig: the first 100 files of the
BBC politics folder (`kg build <those files> -o politics.trig`). Debian's Chromium,
driven by Playwright, network requests outside the local server aborted.
"""

from __future__ import annotations

import sys
import tempfile
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright

from kg.graph import KnowledgeGraph
from kg.serve.app import create_app, running

DOCS = Path(__file__).resolve().parent.parent / "docs"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
IDLE = (
    "() => Boolean(window.kgExplorer && kgExplorer.ready && kgExplorer.busy === 0 && kgExplorer.stable"
    " && window.kgTimeline && kgTimeline.ready)"
)


def wait(page, predicate: str, seconds: float = 120) -> None:
    for _ in range(int(seconds * 10)):
        if page.evaluate(predicate):
            return
        page.wait_for_timeout(100)
    raise SystemExit(f"timed out: {predicate}")


def main(seeds: str, politics: str) -> None:
    small, big = KnowledgeGraph.load(seeds), KnowledgeGraph.load(politics)
    print("loaded", flush=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        # 1. kg viz of 100 articles
        with tempfile.TemporaryDirectory() as tmp:
            path = big.to_html(Path(tmp) / "politics.html", title="BBC politics, 100 articles")
            page.goto(path.as_uri())
            wait(page, "() => Boolean(window.kgStatus && kgStatus.stabilized)")
            page.screenshot(path=str(DOCS / "viz-corpus.png"))
            print("viz", flush=True)
            page.fill("#kg-search", "Blair")
            page.keyboard.press("Enter")
            page.wait_for_timeout(400)
            page.screenshot(path=str(DOCS / "viz-search.png"))
        # 2. the explorer on 100 articles: a person's card with quotes, the timeline
        with running(create_app(big)) as url:
            page.route(
                "**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort()
            )
            person = "https://example.org/kg/entity/person/tony-blair"
            page.goto(url + "?focus=" + urllib.parse.quote(person, safe=""))
            wait(page, IDLE)
            wait(page, "() => document.querySelectorAll('#kg-entity-quotes li').length > 0")
            page.mouse.move(5, 890)
            page.screenshot(path=str(DOCS / "explorer.png"))
        # 3. a seeds document with its mentions marked, reached from an evidence sentence
        with running(create_app(small)) as url:
            person = "https://example.org/kg/entity/person/jens-stoltenberg"
            page.goto(url + "?focus=" + urllib.parse.quote(person, safe=""))
            wait(page, IDLE)
            wait(
                page,
                "() => document.querySelectorAll('#kg-entity-evidence a.kg-doc-link').length > 0",
            )
            href = page.evaluate(
                "document.querySelector('#kg-entity-evidence a.kg-doc-link').getAttribute('href')"
            )
            page.goto(url + href.lstrip("/"))
            page.wait_for_timeout(500)
            page.screenshot(path=str(DOCS / "document.png"))
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
