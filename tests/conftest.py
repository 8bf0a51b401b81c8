"""Shared fixtures: a real spaCy model, the seed articles, a real Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = Path(os.environ.get("KG_SHARED_DATA", ROOT.parent / "shared" / "data"))
CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
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


#: Fixtures that load the spaCy model or build a graph with it: tests using them are slow.
MODEL_FIXTURES = {"nlp", "seeds_graph", "extract", "seeds_store", "served_seeds"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that use a model fixture are marked slow, so ``-m "not slow"`` never loads spaCy."""
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _fast_lane_loads_no_model(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test not marked slow must not load the spaCy model (the fast lane stays fast)."""
    if request.node.get_closest_marker("slow") is not None:
        return

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail("this test loads the spaCy model: mark it @pytest.mark.slow", pytrace=False)

    import kg.nlp

    monkeypatch.setattr(kg.nlp, "load_model", refuse)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def seeds_graph(seeds_dir):
    """The knowledge graph of the two seed articles, built once per test session."""
    from kg.graph import KnowledgeGraph

    return KnowledgeGraph.build([seeds_dir])


@pytest.fixture(scope="session")
def extract(nlp):
    """Run every extractor on a small text: returns (mentions, facts)."""
    from kg.build.pipeline import extract_document, extractors_for
    from kg.documents import document_from_text
    from kg.extract import DocContext

    chosen = extractors_for()

    def run(text: str, **metadata):
        document = document_from_text(text, **metadata)
        extraction = extract_document(DocContext(document=document, doc=nlp(text)), chosen)
        assert not extraction.errors, extraction.errors
        return extraction.mentions, extraction.facts

    return run


def fact_table(facts) -> set[tuple[str, str, str]]:
    """Facts as (subject name, relation, object name or literal) triples."""
    return {
        (f.subject.name, f.relation, f.object if isinstance(f.object, str) else f.object.name)
        for f in facts
    }
