"""Extractor contracts: lazy lookup by name, order from requires/assigns, clear errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg.errors import ExtractorError
from kg.extract.registry import BUILTIN, ExtractorSpec, extractors, ordered, register, unregister


def noop(ctx):
    return ()


def test_order_follows_the_contracts_not_the_names():
    late = ExtractorSpec("late", noop, requires=("relations",))
    rel = ExtractorSpec("rel", noop, requires=("names",), assigns=("relations",))
    names = ExtractorSpec("names", noop, assigns=("names",))
    assert [s.name for s in ordered([late, rel, names])] == ["names", "rel", "late"]


def test_a_cycle_is_an_error():
    a = ExtractorSpec("a", noop, requires=("relations",), assigns=("roles",))
    b = ExtractorSpec("b", noop, requires=("roles",), assigns=("relations",))
    with pytest.raises(ExtractorError, match="cycle"):
        ordered([a, b])


def test_unknown_kinds_and_names_name_the_valid_ones():
    with pytest.raises(ExtractorError, match="unknown output kinds"):
        ExtractorSpec("x", noop, assigns=("widgets",))
    with pytest.raises(ExtractorError, match="valid: entities"):
        extractors(["nope"])


def test_builtin_order_puts_every_provider_first():
    specs = extractors()
    position = {s.name: i for i, s in enumerate(specs)}
    for spec in specs:
        for other in specs:
            if other is not spec and set(other.assigns) & set(spec.requires):
                assert position[other.name] < position[spec.name], (other.name, spec.name)
    assert set(position) == set(BUILTIN)


def test_registered_extractors_run_by_default_until_unregistered():
    spec = ExtractorSpec("custom_test", noop, requires=("names",), assigns=("relations",))
    register(spec)
    try:
        assert "custom_test" in [s.name for s in extractors()]
    finally:
        unregister("custom_test")
    assert "custom_test" not in [s.name for s in extractors()]
    with pytest.raises(ExtractorError, match="taken"):
        register(ExtractorSpec("entities", noop))


def test_import_kg_loads_no_model_and_no_store_engine():
    code = (
        "import sys, kg; kg.KnowledgeGraph; import kg.storage, kg.extract.registry; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'pyoxigraph', 'pyvis', 'networkx'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
