"""Faults: an extractor that crashes, a disk that fills up, a build that is killed.

- A crashing extractor is registered for the test with ``kg.extract.register`` and the
  graph is built through the public API and the CLI: the crash is reported with the
  document id, the other extractors and documents go on.
- A full disk is real: a small tmpfs mounted in a private mount namespace and filled
  (``ENOSPC``), or, where mounting is not allowed, ``RLIMIT_FSIZE`` (``EFBIG``). The
  earlier output file must come out byte for byte the same, with no temporary file left.
- A killed build (SIGKILL) is tested against the on-disk store when it exists
  (``KnowledgeGraph.open``); the storage tests (tests/test_crash.py) go further.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from robust_helpers import can_mount_tmpfs, full_disk_run, kg_env, run_kg, sha256
from typer.testing import CliRunner

from kg.graph import KnowledgeGraph

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

CRASH_TEXT = "Chelsea have sacked Adrian Mutu after he failed a drugs test in London."
CALM_TEXT = "NATO Secretary General Jens Stoltenberg met Joe Biden in Brussels on Monday."


# --- a crashing extractor --------------------------------------------------------------------


@pytest.fixture
def crashing_extractor():
    """An extractor that raises on documents mentioning Chelsea (registered for this test)."""
    from kg.extract import ExtractorSpec, available, register, unregister

    def crash(ctx):
        if "Chelsea" in ctx.document.text:
            raise RuntimeError("boom\nsecond line <script>")
        return ()

    register(ExtractorSpec("robustness_crash", crash, requires=("names",)))
    yield "robustness_crash"
    unregister("robustness_crash")
    assert "robustness_crash" not in available()


@pytest.fixture
def two_documents(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "crash.txt").write_text(f"Mutu sacked\n\n{CRASH_TEXT}\n", encoding="utf-8")
    (corpus / "calm.txt").write_text(f"NATO talks\n\n{CALM_TEXT}\n", encoding="utf-8")
    return corpus


def test_extractor_crash_is_reported_with_the_document_and_the_rest_goes_on(
    crashing_extractor, two_documents
):
    from kg.documents import text_id

    messages: list[str] = []
    graph = KnowledgeGraph.build([two_documents], on_error=messages.append)
    crash_id = text_id(f"Mutu sacked\n\n{CRASH_TEXT}\n")
    assert len(messages) == 1, messages
    assert f"extractor 'robustness_crash' failed on document {crash_id}" in messages[0]
    assert "RuntimeError: boom" in messages[0]
    labels = {e.label for e in graph.entities()}
    # the other extractors ran on the crashing document, and the other document was built
    assert {"Adrian Mutu", "Chelsea", "Jens Stoltenberg", "Joe Biden"} <= labels, labels
    roles = {r for e in graph.entities(type="Person") for r in e.roles}
    assert "Secretary General" in roles
    documents = graph.query("SELECT ?d WHERE { ?d a kg:Document }")
    assert len(documents) == 2


def test_extractor_crash_through_the_cli_is_one_line_and_exit_3(
    crashing_extractor, two_documents, tmp_path
):
    from kg.cli.main import app

    out = tmp_path / "graph.ttl"
    result = CliRunner().invoke(app, ["build", str(two_documents), "-o", str(out), "-q"])
    assert result.exit_code == 3, result.output
    warnings = [x for x in result.output.splitlines() if x.startswith("kg: warning: ")]
    assert len(warnings) == 1 and "robustness_crash" in warnings[0]
    assert "boom second line <script>" in warnings[0]  # the message's newline is gone
    assert "2 processed" in result.output and out.exists()
    strict = CliRunner().invoke(
        app, ["build", str(two_documents), "-o", str(tmp_path / "s.ttl"), "-q", "--strict"]
    )
    assert strict.exit_code == 1 and not (tmp_path / "s.ttl").exists()


# --- a full disk -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_file(seeds_graph, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("faults") / "seeds.trig"
    seeds_graph.save(path)
    return path


@pytest.fixture(scope="module")
def tmpfs_allowed(tmp_path_factory) -> bool:
    return can_mount_tmpfs(tmp_path_factory.mktemp("probe"))


def earlier_files(folder: Path, names: list[str]) -> list[Path]:
    """Stand-ins for the output of an earlier run, one per name."""
    folder.mkdir(exist_ok=True)
    paths = []
    for name in names:
        path = folder / name
        path.write_text(f"earlier {name}: keep me\n" * 50, encoding="utf-8")
        paths.append(path)
    return paths


#: kg arguments ({graph}, {out}: the output folder) → the files they replace.
OUTPUTS = {
    "viz": (["viz", "{graph}", "-o", "{out}/graph.html"], ["graph.html"]),
    "graphml": (["export", "{graph}", "-f", "graphml", "-o", "{out}/g.graphml"], ["g.graphml"]),
    "gexf": (["export", "{graph}", "-f", "gexf", "-o", "{out}/g.gexf"], ["g.gexf"]),
    "cypher": (["export", "{graph}", "-f", "cypher", "-o", "{out}/g.cypher"], ["g.cypher"]),
    "jsonld": (["export", "{graph}", "-f", "jsonld", "-o", "{out}/g.jsonld"], ["g.jsonld"]),
    "csv": (["export", "{graph}", "-f", "csv", "-o", "{out}"], ["nodes.csv", "relationships.csv"]),
}


def fill(args: list[str], **paths: object) -> list[str]:
    out = []
    for arg in args:
        for name, value in paths.items():
            arg = arg.replace("{" + name + "}", str(value))
        out.append(arg)
    return out


@pytest.mark.parametrize("kind", list(OUTPUTS))
def test_full_disk_keeps_the_earlier_file(kind, seeds_file, tmpfs_allowed, tmp_path):
    if not tmpfs_allowed:
        pytest.skip("cannot mount a tmpfs here (not root, or no unshare); see the RLIMIT test")
    args, names = OUTPUTS[kind]
    mount = tmp_path / "disk"
    previous = earlier_files(tmp_path / "earlier", names)
    report = full_disk_run(mount, previous, names, fill(args, graph=seeds_file, out=mount))
    assert report["full"] == "No space left on device"
    assert report["code"] == 1, report["stderr"]
    assert "Traceback" not in report["stderr"]
    (line,) = [x for x in report["stderr"].splitlines() if x.startswith("kg: error: ")]
    assert "No space left on device" in line
    assert report["after"] == report["before"]
    assert report["listing"] == sorted(["filler", *names])  # no temporary file left


@pytest.mark.parametrize("kind", list(OUTPUTS))
def test_file_size_limit_keeps_the_earlier_file(kind, seeds_file, tmp_path):
    """RLIMIT_FSIZE of 4 KiB: every output of the seeds graph is larger, so the write fails."""
    args, names = OUTPUTS[kind]
    out = tmp_path / "out"
    previous = earlier_files(out, names)
    before = [sha256(p) for p in previous]
    run = run_kg(*fill(args, graph=seeds_file, out=out), cwd=tmp_path, fsize=4096)
    assert "File too large" in run.assert_clean_failure(1)
    assert [sha256(p) for p in previous] == before
    assert sorted(os.listdir(out)) == sorted(names)


@pytest.mark.slow
def test_full_disk_during_a_build_keeps_the_earlier_graph_and_page(
    seeds_dir, tmpfs_allowed, tmp_path
):
    names = ["graph.trig", "graph.html"]
    previous = earlier_files(tmp_path / "earlier", names)
    if tmpfs_allowed:
        mount = tmp_path / "disk"
        args = ["build", str(seeds_dir), "-o", f"{mount}/graph.trig", "--html", f"{mount}/graph.html", "-q"]  # fmt: skip
        report = full_disk_run(mount, previous, names, args)
        assert report["code"] == 1 and "No space left on device" in report["stderr"]
        assert report["after"] == report["before"]
        assert report["listing"] == ["filler", *sorted(names)]
    before = [sha256(p) for p in previous]
    out = previous[0].parent
    run = run_kg(
        "build", seeds_dir, "-o", out / "graph.trig", "--html", out / "graph.html", "-q",
        cwd=tmp_path, fsize=4096,
    )  # fmt: skip
    assert "File too large" in run.assert_clean_failure(1)
    assert [sha256(p) for p in previous] == before and sorted(os.listdir(out)) == sorted(names)


# --- a killed build --------------------------------------------------------------------------


@pytest.mark.slow
def test_killed_build_leaves_a_store_that_opens_and_the_next_build_completes(seeds_dir, tmp_path):
    """SIGKILL a `kg build --store` mid-way; the store opens, and a rebuild completes it."""
    if not hasattr(KnowledgeGraph, "open"):
        pytest.skip("KnowledgeGraph.open (the on-disk store, issue 4) does not exist yet")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for index in range(6):
        for seed in sorted(seeds_dir.glob("*.txt")):
            text = seed.read_text(encoding="utf-8")
            (corpus / f"{index}-{seed.name}").write_text(f"{text}\nCopy {index}.\n", "utf-8")
    reference = KnowledgeGraph.build([corpus])
    store = tmp_path / "store"
    command = [sys.executable, "-m", "kg", "build", str(corpus), "--store", str(store), "-q"]
    process = subprocess.Popen(command, env=kg_env(), stderr=subprocess.PIPE, cwd=tmp_path)
    time.sleep(4)
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    opened = KnowledgeGraph.open(store)
    opened.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    close = getattr(opened, "close", None)
    if close:
        close()
    run = run_kg("build", corpus, "--store", store, "-q", cwd=tmp_path)
    assert run.code == 0, run.stderr
    rebuilt = KnowledgeGraph.open(store)
    count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:Document }"
    assert int(rebuilt.query(count).rows[0][0]) == 12
    assert len(rebuilt) == len(reference)
    shutil.rmtree(store, ignore_errors=True)
