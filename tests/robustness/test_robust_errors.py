"""Errors a user makes, each answered in one line with exit code 1, never a traceback:
malformed SPARQL (line and column, in the CLI and from the endpoint), unknown formats,
missing or broken graph files, outputs that cannot be written.
"""

from __future__ import annotations

import pytest
from robust_helpers import run_kg, sha256
from typer.testing import CliRunner

from kg.cli.main import app
from kg.graph import KnowledgeGraph
from kg.serve import ServeConfig, create_app
from kg.serve.app import running

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SMALL = """
@prefix kg: <https://example.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/kg/entity/person/ada> a kg:Person ; rdfs:label "Ada Lovelace" ;
    kg:role "Analyst" .
<https://example.org/kg/entity/organization/acme> a kg:Organization ; rdfs:label "Acme" .
<https://example.org/kg/entity/person/ada> kg:leaderOf <https://example.org/kg/entity/organization/acme> .
"""

#: (query, line, column, words): where the parser says the query went wrong.
MALFORMED = [
    ("SELECT ?x WHERE {\n  ?x ?y ?z .\n  FILTER(?x = ) }", 3, 3, "syntax error"),
    ("SELECT ?x WHERE { ?x ?y ?z ", 1, 28, "syntax error"),
    ("PREFIX x: <http://x/>\nSELEC ?x WHERE { ?x ?y ?z }", 2, 1, "syntax error"),
    ("ASK { ?s ?p ?o } garbage", 1, 18, "Expected end of text"),
    ('SELECT ?x WHERE {\n ?x ?y "open\n}', 2, 2, "syntax error"),
    ("SELECT ?x WHERE {\n\n ?x nope:label ?z }", 3, 5, "unknown prefix 'nope:'"),
    ("\x00\x01", 1, 1, "syntax error"),
]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("errors")
    path = folder / "small.ttl"
    path.write_text(SMALL, encoding="utf-8")
    return path


def invoke(*args: object):
    """The CLI in-process; returns (exit code, output) and checks there was no traceback."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def fill(args: list[str], **paths: object) -> list[str]:
    """``{name}`` in each argument replaced by ``paths[name]`` (queries keep their braces)."""
    out = []
    for arg in args:
        for name, value in paths.items():
            arg = arg.replace("{" + name + "}", str(value))
        out.append(arg)
    return out


def one_error(output: str) -> str:
    errors = [line for line in output.splitlines() if line.startswith("kg: error: ")]
    assert len(errors) == 1, output
    return errors[0]


@pytest.mark.parametrize(("query", "line", "column", "words"), MALFORMED)
def test_malformed_sparql_in_the_cli(small, query, line, column, words):
    code, output = invoke("query", small, query)
    assert code == 1
    message = one_error(output)
    assert f"line {line}, column {column}" in message and words in message


@pytest.mark.parametrize(("query", "line", "column", "words"), MALFORMED)
def test_malformed_sparql_from_the_endpoint(endpoint, query, line, column, words):
    import urllib.error
    import urllib.parse
    import urllib.request

    for request in (
        urllib.request.Request(endpoint + "sparql?" + urllib.parse.urlencode({"query": query})),
        urllib.request.Request(
            endpoint + "sparql",
            data=query.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query"},
        ),
    ):
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=30)
        assert caught.value.code == 400
        body = caught.value.read().decode("utf-8")
        assert body.count("\n") == 1 and body.startswith("kg: error: ")
        assert f"line {line}, column {column}" in body and words in body


@pytest.fixture(scope="module")
def endpoint(small):
    with running(create_app(KnowledgeGraph.load(small), ServeConfig(title="errors"))) as url:
        yield url


def test_malformed_query_in_a_file(small, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT ?x\nWHERE { ?x ?y }\n", encoding="utf-8")
    code, output = invoke("query", small, "--file", rq)
    assert code == 1 and "line 2, column 9" in one_error(output)
    code, output = invoke("query", small, "--file", tmp_path / "missing.rq")
    assert code == 1 and "missing.rq: cannot read query file" in one_error(output)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["query", "{small}", "ASK {}", "--format", "yaml"],
            "unknown output format 'yaml' (valid:",
        ),
        (["query", "{small}", "--example", "nope"], "unknown example query 'nope' (valid:"),
        (["export", "{small}", "-f", "dot"], "unknown export format 'dot' (valid:"),
        (["viz", "{small}", "--rank", "fame", "-o", "{tmp}/v.html"], "unknown ranking 'fame'"),
        (["viz", "{small}", "--types", "Planet", "-o", "{tmp}/v.html"], "Planet"),
        (["entities", "{small}", "--type", "Planet"], "unknown entity type 'Planet' (valid:"),
        (["query", "{tmp}/graph.xyz", "ASK {}"], "unknown graph file extension '.xyz'"),
        (["stats", "{tmp}/graph"], "unknown graph file extension '(none)'"),
        (["build", "{tmp}", "-o", "{tmp}/out.rdf"], "unknown graph file extension '.rdf'"),
    ],
)
def test_unknown_formats_name_the_valid_ones(small, tmp_path, args, words):
    code, output = invoke(*fill(args, small=small, tmp=tmp_path))
    assert code == 1 and words in one_error(output)


@pytest.mark.parametrize("command", ["query", "viz", "stats", "entities", "export", "serve"])
def test_missing_graph_file(tmp_path, command):
    extra = {"query": ["ASK {}"], "export": ["-f", "graphml"], "viz": ["-o", tmp_path / "v.html"]}
    code, output = invoke(command, tmp_path / "missing.ttl", *extra.get(command, []))
    assert code == 1 and "missing.ttl: no such graph file" in one_error(output)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("broken.ttl", b'@prefix x: <http://x/> .\nx:a x:b "open .\n', "not valid turtle"),
        ("random.nt", bytes(range(256)) * 4, "not valid nt"),
        ("photo.trig", b"\x89PNG\r\n\x1a\n" + bytes(64), "not valid trig"),
        ("half.jsonld", b'{"@id": "x", ', "not valid json-ld"),
        ("dir.ttl", None, "not a file"),
    ],
)
def test_broken_graph_files(tmp_path, name, content, words):
    path = tmp_path / name
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    code, output = invoke("stats", path)
    message = one_error(output)
    assert code == 1 and words in message and str(path) in message
    assert len(message) < 500


def test_unreadable_graph_file(small, tmp_path):
    locked = tmp_path / "locked.ttl"
    locked.write_bytes(small.read_bytes())
    locked.chmod(0)
    run = run_kg("stats", locked, cwd=tmp_path, unprivileged=True)
    line = run.assert_clean_failure(1)
    assert "locked.ttl" in line and "Permission denied" in line


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["viz", "{small}", "-o", "{tmp}/no/such/dir/v.html"], "does not exist"),
        (["viz", "{small}", "-o", "{tmp}/afile/v.html"], "is not a directory"),
        (["viz", "{small}", "-o", "{tmp}"], "Is a directory"),
        (["export", "{small}", "-f", "cypher", "-o", "{tmp}/afile/x.cypher"], "is not a directory"),
        (["export", "{small}", "-f", "csv", "-o", "{tmp}/afile"], "cannot create directory"),
        (["export", "{small}", "-f", "graphml", "-o", "{tmp}/no/x.graphml"], "does not exist"),
    ],
)
def test_unwritable_outputs(small, tmp_path, args, words):
    (tmp_path / "afile").write_text("a file, not a directory", encoding="utf-8")
    code, output = invoke(*fill(args, small=small, tmp=tmp_path))
    assert code == 1 and words in one_error(output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]  # no temporary file left


@pytest.mark.parametrize(
    "args",
    [
        ["viz", "{small}", "-o", "{out}/graph.html"],
        ["export", "{small}", "-f", "jsonld", "-o", "{out}/graph.html"],
        ["export", "{small}", "-f", "csv", "-o", "{out}"],
    ],
)
def test_read_only_directory_keeps_the_earlier_file(small, tmp_path, args):
    """``chmod 555`` (enforced even for root: robust_helpers.DROP_DAC)."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("graph.html", "nodes.csv", "relationships.csv"):
        (out / name).write_text(f"earlier {name}\n", encoding="utf-8")
    before = {p.name: sha256(p) for p in out.iterdir()}
    out.chmod(0o555)
    try:
        run = run_kg(*fill(args, small=small, out=out), cwd=tmp_path, unprivileged=True)
    finally:
        out.chmod(0o755)
    assert "Permission denied" in run.assert_clean_failure(1)
    assert {p.name: sha256(p) for p in out.iterdir()} == before


@pytest.mark.parametrize(
    "args",
    [
        ["build", "{seeds}", "-o", "{tmp}/no/such/dir/g.ttl", "-q"],
        ["build", "{seeds}", "-o", "{tmp}/g.ttl", "--html", "{tmp}/afile/g.html", "-q"],
    ],
)
def test_build_refuses_an_unwritable_output_before_building(seeds_dir, tmp_path, args):
    (tmp_path / "afile").write_text("a file, not a directory", encoding="utf-8")
    code, output = invoke(*fill(args, seeds=seeds_dir, tmp=tmp_path))
    assert code == 1 and "cannot write" in one_error(output)
    assert "processed" not in output  # nothing was parsed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


@pytest.mark.parametrize("value", ["2021-06-16; DROP", "2021-06-16 DROP ALL", "16 June", "soon"])
def test_build_refuses_a_date_that_is_not_one_whole_date(seeds_dir, tmp_path, value):
    """``--date "2021-06-16; DROP"`` used to be taken as 2021-06-16; it is refused before work."""
    run = run_kg("build", seeds_dir, "-o", tmp_path / "g.ttl", "--date", value, cwd=tmp_path)
    line = run.assert_clean_failure(1)
    assert f"--date {value!r}: not a date" in line
    assert not (tmp_path / "g.ttl").exists()
