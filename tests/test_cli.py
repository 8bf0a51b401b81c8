"""The `kg` command as a user runs it: real files, real exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.main import app

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeds_dir) -> Path:
    out = tmp_path_factory.mktemp("cli") / "graph.ttl"
    result = runner.invoke(
        app,
        ["build", str(seeds_dir), "-o", str(out), "--html", str(out.with_suffix(".html")), "-q"],
    )
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_graph_and_html(built):
    assert built.stat().st_size > 10_000
    html = built.with_suffix(".html").read_text(encoding="utf-8")
    assert "Jens Stoltenberg" in html


def test_query_table_csv_json(built):
    sparql = "SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
    table = runner.invoke(app, ["query", str(built), sparql])
    assert table.exit_code == 0 and "Joe Biden" in table.output
    csv_out = runner.invoke(app, ["query", str(built), sparql, "--format", "csv"])
    assert csv_out.output.splitlines()[0] == "name" and "Joe Biden" in csv_out.output
    js = json.loads(runner.invoke(app, ["query", str(built), sparql, "--format", "json"]).output)
    assert {"value": "Joe Biden", "type": "literal"}.items() <= js["results"]["bindings"][0][
        "name"
    ].items() or any(b["name"]["value"] == "Joe Biden" for b in js["results"]["bindings"])


def test_query_from_file_and_examples(built, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Meeting }", encoding="utf-8")
    result = runner.invoke(app, ["query", str(built), "--file", str(rq)])
    assert result.exit_code == 0 and "(1 row)" in result.output
    listed = runner.invoke(app, ["query", str(built), "--list"])
    assert "meetings" in listed.output
    example = runner.invoke(app, ["query", str(built), "--example", "meetings"])
    assert "Geneva" in example.output


def test_construct_prints_turtle(built):
    result = runner.invoke(
        app, ["query", str(built), "CONSTRUCT { ?p kg:role ?r } WHERE { ?p kg:role ?r }"]
    )
    assert result.exit_code == 0 and "kg:role" in result.output


def test_malformed_sparql_names_line_and_column(built):
    result = runner.invoke(app, ["query", str(built), "SELECT ?x WHERE {\n ?x ?y }"])
    assert result.exit_code == 1
    assert "line 2" in result.output and "column" in result.output
    assert "Traceback" not in result.output


def test_stats_and_entities(built):
    stats = json.loads(runner.invoke(app, ["stats", str(built), "--json"]).output)
    assert stats["entities"]["Person"] >= 10 and stats["relations"]["leaderOf"] >= 1
    people = runner.invoke(app, ["entities", str(built), "--type", "Person"])
    assert "Jens Stoltenberg" in people.output and "Secretary General" in people.output
    bad = runner.invoke(app, ["entities", str(built), "--type", "Planet"])
    assert bad.exit_code == 1 and "valid:" in bad.output


def test_viz_command(built, tmp_path):
    out = tmp_path / "view.html"
    result = runner.invoke(app, ["viz", str(built), "-o", str(out)])
    assert result.exit_code == 0 and out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "missing.ttl", "SELECT * WHERE {?s ?p ?o}"], "no such graph file"),
        (["query", "graph.xyz", "SELECT * WHERE {?s ?p ?o}"], "unknown graph file extension"),
        (["build", "seeds", "-o", "graph.xyz"], "unknown graph file extension"),
        (["build", "nothing-here/"], "no documents"),
    ],
)
def test_errors_are_one_line(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_document_is_reported_and_others_processed(seeds_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(
        (seeds_dir / "000_5a1aee33f1f16e10.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (corpus / "empty.txt").write_text("   \n", encoding="utf-8")
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    out = tmp_path / "g.ttl"
    result = runner.invoke(app, ["build", str(corpus), "-o", str(out), "-q"])
    assert result.exit_code == 3, result.output
    assert "empty.txt" in result.output and "image.txt" in result.output
    assert "1 processed" in result.output and "2 failed" in result.output
    assert out.exists()
    strict = runner.invoke(
        app, ["build", str(corpus), "-o", str(tmp_path / "s.ttl"), "-q", "--strict"]
    )
    assert strict.exit_code == 1 and not (tmp_path / "s.ttl").exists()


def test_unwritable_output_is_one_line_error(seeds_dir, tmp_path):
    result = runner.invoke(
        app, ["build", str(seeds_dir), "-o", str(tmp_path / "no" / "such" / "dir" / "g.ttl"), "-q"]
    )
    assert result.exit_code == 1 and "cannot write" in result.output


def test_console_script_and_help():
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [sys.executable, "-m", "kg", "--help"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0
    for command in ("build", "query", "viz", "stats", "entities"):
        assert command in result.stdout


def test_query_cannot_read_local_files(built, tmp_path):
    secret = tmp_path / "secret.nt"
    secret.write_text('<http://x/a> <http://x/b> "top secret" .\n', encoding="utf-8")
    result = runner.invoke(
        app, ["query", str(built), f"SELECT ?o FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"]
    )
    assert result.exit_code == 1 and "top secret" not in result.output
    assert "FROM" in result.output
