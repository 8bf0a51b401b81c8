"""kg curate, kg query --raw and kg stats on a curated graph file, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from curation_corpus import build

from kg.graph import KnowledgeGraph


def kg(*args: object, cwd: Path, user: str = "carol") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "200", "KG_USER": user}
    return subprocess.run(
        [sys.executable, "-m", "kg", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


@pytest.fixture
def trig(tmp_path: Path) -> Path:
    graph = KnowledgeGraph()
    build(graph)
    return graph.save(tmp_path / "graph.trig")


def test_curate_a_graph_file_list_export_import_and_undo(trig: Path, tmp_path: Path) -> None:
    merged = kg(
        "curate",
        "merge",
        "person/joe-biden",
        "J. Biden",
        "--why",
        "same man",
        "-g",
        trig,
        cwd=tmp_path,
    )
    assert merged.returncode == 0, merged.stderr
    assert (
        merged.stderr.startswith("kg: merge decided (")
        and "merge J. Biden into Joe Biden" in merged.stderr
    )
    rejected = kg(
        "curate", "reject", "person:joe-biden", "affiliatedWith", "organization/nato",
        "--why", "misread", "-g", trig, cwd=tmp_path, user="dave",
    )  # fmt: skip
    assert rejected.returncode == 0, rejected.stderr

    listed = json.loads(kg("curate", "list", "-g", trig, "--json", cwd=tmp_path).stdout)
    assert [(d["kind"], d["curator"], d["reason"], d["status"]) for d in listed] == [
        ("merge", "carol", "same man", "in force"),
        ("reject", "dave", "misread", "in force"),
    ]
    # the file is what every command reads: query, and the raw view
    affiliated = "SELECT ?o WHERE { person:joe-biden kg:affiliatedWith ?o }"
    assert "(0 rows)" in kg("query", trig, affiliated, cwd=tmp_path).stdout
    assert "organization:nato" in kg("query", trig, affiliated, "--raw", cwd=tmp_path).stdout

    exported = kg("curate", "export", tmp_path / "decisions.ttl", "-g", trig, cwd=tmp_path)
    assert exported.returncode == 0 and "2 decision(s)" in exported.stderr
    fresh = KnowledgeGraph()
    build(fresh)
    other = fresh.save(tmp_path / "other.trig")
    imported = kg("curate", "import", tmp_path / "decisions.ttl", "-g", other, cwd=tmp_path)
    assert imported.returncode == 0 and "2 decision(s) imported, 0 already here" in imported.stderr
    assert KnowledgeGraph.load(other).stats() == KnowledgeGraph.load(trig).stats()

    undone = kg("curate", "undo", listed[0]["id"], "--why", "two men", "-g", trig, cwd=tmp_path)
    assert undone.returncode == 0, undone.stderr
    statuses = KnowledgeGraph.load(trig).curate.statuses()
    assert [(s.decision.kind, s.active) for s in statuses] == [
        ("merge", False),
        ("reject", True),
        ("undo", True),
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ("merge", "person/joe-biden", "person/nobody", "--why", "x"),
            "no entity person/nobody in the graph",
        ),
        (
            ("reject", "person/joe-biden", "leaderOf", "organization/nato", "--why", "x"),
            "is not in the graph",
        ),
    ],
)
def test_refused_decisions_are_one_line_and_change_nothing(trig, tmp_path, args, words) -> None:
    before = trig.read_bytes()
    result = kg("curate", *args, "-g", trig, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("kg: error: ") and words in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert trig.read_bytes() == before


def test_a_triple_format_file_is_refused_naming_it(trig: Path, tmp_path: Path) -> None:
    flat = KnowledgeGraph.load(trig).save(tmp_path / "flat.ttl")
    result = kg("curate", "delete", "organization/nato", "--why", "x", "-g", flat, cwd=tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr
        == f"kg: error: {flat}: curation needs the named graphs of a .trig or .nq file, or a store (build with -o graph.trig)\n"
    )


def test_why_is_required(trig: Path, tmp_path: Path) -> None:
    result = kg("curate", "delete", "organization/nato", "-g", trig, cwd=tmp_path)
    assert result.returncode == 2 and "--why" in result.stderr
