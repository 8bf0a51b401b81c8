"""Bad input through `kg build`: one line per problem naming the file, the rest built,
exit codes 0/1/3, `--strict` writes nothing, a failed build leaves earlier output intact.

Every build here is the real command in a subprocess (``python -m kg build``), on real
files: a PNG, a zip, BBC's Latin-1 article, UTF-16, deep and broken HTML, bad JSONL
lines, ``chmod 000`` files and directories (unreadable even as root: see
robust_helpers.DROP_DAC), a FIFO and symlink loops.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import DCTERMS, RDFS, Namespace
from robust_helpers import (
    png_bytes,
    run_kg,
    sha256,
    zip_bytes,
)

from kg.graph import KnowledgeGraph

#: Builds graphs with the spaCy model (in this process or through the CLI).
pytestmark = pytest.mark.slow


KG = Namespace("https://example.org/kg/ontology#")
#: file (relative to the corpus) → words its one line must hold.
PROBLEMS = {
    "empty.txt": "empty document",
    "blank.md": "empty document",
    "photo.txt": "binary file (PNG image)",
    "archive.txt": "binary file (zip archive)",
    "locked.txt": "permission denied",
    "lockeddir": "cannot list directory",
    "fifo.txt": "not a regular file",
    "self.txt": "symlink loop",
    "ping.txt": "symlink loop",
    "pong.txt": "symlink loop",
    "loop/up": "symlink loop",
    "docs.jsonl:2": "invalid JSON",
    "docs.jsonl:3": 'missing "text"',
    "docs.jsonl:4": "not a JSON object",
    "docs.jsonl:5": '"text" is not a string',
    "docs.jsonl:6": 'empty "text"',
}
#: Names each readable document must bring into the graph.
EXPECTED_LABELS = {
    "good.txt": "Jens Stoltenberg",
    "latin1.txt": "Adrian Mutu",
    "utf16.txt": "Angela Merkel",
    "utf16-nobom.txt": "Emmanuel Macron",
    "nested.html": "Boris Johnson",
    "broken.html": "Justin Trudeau",
    "docs.jsonl:1": "Olaf Scholz",
}


def messy_corpus(root: Path, seeds_dir: Path, shared_data: Path) -> Path:
    """A directory holding one of every kind of bad input, and seven good documents."""
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copyfile(seeds_dir / "000_5a1aee33f1f16e10.txt", corpus / "good.txt")
    latin1 = shared_data / "bbc_news" / "sport" / "199.txt"  # BBC's Latin-1 article
    if latin1.exists():
        shutil.copyfile(latin1, corpus / "latin1.txt")
    else:  # the same bytes' essentials: a Latin-1 pound sign
        (corpus / "latin1.txt").write_bytes(
            "Chelsea sack Mutu\n\nChelsea have sacked Adrian Mutu, a £15.8m signing.\n".encode(
                "latin-1"
            )
        )
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_text("  \n\t\n   \n", encoding="utf-8")
    (corpus / "photo.txt").write_bytes(png_bytes())
    (corpus / "archive.txt").write_bytes(zip_bytes())
    (corpus / "image.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a document")  # skipped: extension
    (corpus / "..txt").write_text("Hidden by its name.", encoding="utf-8")  # skipped: hidden
    (corpus / "utf16.txt").write_bytes(
        "Merkel visit\n\nAngela Merkel met Jens Stoltenberg in Berlin on Tuesday.\n".encode(
            "utf-16"
        )
    )
    (corpus / "utf16-nobom.txt").write_bytes(
        "Macron speech\n\nEmmanuel Macron spoke in Paris on Friday.\n".encode("utf-16-le")
    )
    deep = "<div><span>" * 4000
    (corpus / "nested.html").write_text(
        f"<html><head><title>Deep</title></head><body>{deep}"
        "<p>Boris Johnson visited Paris on Monday.</p>" + "</b></i>" * 50,
        encoding="utf-8",
    )
    (corpus / "broken.html").write_text(
        "<html><body><p>Justin Trudeau met Joe Biden in Ottawa.<p><div><table><tr><td>"
        "<script>document.write('<b>script text</b>')</script><!-- unclosed comment",
        encoding="utf-8",
    )
    lines = [
        json.dumps({"id": "j1", "text": "Chancellor Olaf Scholz spoke in Hamburg on Monday."}),
        '{"id": "j2", "text": "broken',
        json.dumps({"id": "j3", "title": "no text here"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "j5", "text": 42}),
        json.dumps({"id": "j6", "text": "   "}),
        "",
    ]
    (corpus / "docs.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "locked.txt").write_text("Secret text about NATO.", encoding="utf-8")
    (corpus / "locked.txt").chmod(0)
    (corpus / "lockeddir").mkdir()
    (corpus / "lockeddir" / "inside.txt").write_text("Hidden text.", encoding="utf-8")
    os.mkfifo(corpus / "fifo.txt")
    os.symlink("self.txt", corpus / "self.txt")
    os.symlink("pong.txt", corpus / "ping.txt")
    os.symlink("ping.txt", corpus / "pong.txt")
    (corpus / "loop").mkdir()
    os.symlink("..", corpus / "loop" / "up")
    (corpus / "lockeddir").chmod(0)
    return corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_dir) -> Path:
    shared = Path(os.environ.get("KG_SHARED_DATA", seeds_dir.parent.parent / "shared" / "data"))
    made = messy_corpus(tmp_path_factory.mktemp("messy"), seeds_dir, shared)
    yield made
    (made / "lockeddir").chmod(0o755)
    (made / "locked.txt").chmod(0o644)


@pytest.fixture(scope="module")
def messy_build(corpus, tmp_path_factory):
    """``kg build corpus/ -o graph.trig --html graph.html``, unprivileged."""
    out = tmp_path_factory.mktemp("messy-out")
    run = run_kg(
        "build", corpus, "-o", out / "graph.trig", "--html", out / "graph.html", "-q",
        cwd=out, unprivileged=True,
    )  # fmt: skip
    return run, out


def test_every_problem_is_one_line_naming_its_file(messy_build, corpus):
    run, _ = messy_build
    assert "Traceback" not in run.stderr
    warnings = [line for line in run.lines if line.startswith("kg: warning: ")]
    for name, words in PROBLEMS.items():
        path = f"{corpus}/{name}"
        mine = [line for line in warnings if line.startswith(f"kg: warning: {path}: ")]
        assert len(mine) == 1, (name, warnings)
        assert words in mine[0], mine[0]
    assert len(warnings) == len(PROBLEMS), warnings
    others = [line for line in run.lines if not line.startswith("kg: warning: ")]
    assert len(others) == 2 and others[0].startswith("kg: 7 processed"), others
    assert others[1].startswith(  # every skipped path named, with its reason
        f"kg: skipped: {corpus}/..txt: hidden (the name starts with a dot), skipped; "
        f"{corpus}/image.jpg: not a document format (.jpg), skipped; kg reads "
    )


def test_the_rest_is_built_and_the_exit_code_says_so(messy_build):
    run, out = messy_build
    assert run.code == 3, run.stderr
    assert run.summary() == (len(EXPECTED_LABELS), 2, len(PROBLEMS))  # ..txt, image.jpg
    graph = KnowledgeGraph.load(out / "graph.trig")
    labels = {str(o) for o in graph.dataset.objects(None, RDFS.label)}
    missing = {f: name for f, name in EXPECTED_LABELS.items() if name not in labels}
    assert not missing, missing
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "Adrian Mutu" in html


def test_latin1_and_utf16_are_decoded_not_mangled(messy_build):
    _, out = messy_build
    graph = KnowledgeGraph.load(out / "graph.trig")
    sentences = [str(o) for o in graph.dataset.objects(None, KG.sentence)]
    pound = [s for s in sentences if "15.8m" in s]
    assert pound and all("£15.8m" in s for s in pound), pound
    assert not any("\ufffd" in s or "Ã" in s or "\x00" in s for s in sentences)
    titles = {str(t) for t in graph.dataset.objects(None, DCTERMS.title)}
    assert {"Merkel visit", "Macron speech", "Chelsea sack Mutu"} <= titles
    assert not any("script text" in s for s in sentences)  # <script> content is not text


def test_strict_fails_writes_nothing_and_keeps_earlier_output(corpus, tmp_path):
    graph_file, html_file = tmp_path / "graph.trig", tmp_path / "graph.html"
    graph_file.write_text("# an earlier graph\n", encoding="utf-8")
    html_file.write_text("<p>an earlier page</p>", encoding="utf-8")
    before = sha256(graph_file), sha256(html_file)
    run = run_kg(
        "build", corpus, "-o", graph_file, "--html", html_file, "-q", "--strict",
        cwd=tmp_path, unprivileged=True,
    )  # fmt: skip
    line = run.assert_clean_failure(1)
    assert "--strict" in line and "nothing written" in line
    assert (sha256(graph_file), sha256(html_file)) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html", "graph.trig"]


def test_no_readable_document_is_fatal_and_keeps_earlier_output(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "photo.md").write_bytes(png_bytes())
    graph_file = tmp_path / "graph.ttl"
    graph_file.write_text("<http://x/a> <http://x/b> <http://x/c> .\n", encoding="utf-8")
    before = sha256(graph_file)
    run = run_kg("build", bad, tmp_path / "missing.txt", "-o", graph_file, "-q", cwd=tmp_path)
    line = run.assert_clean_failure(1)
    assert "no documents could be read" in line
    assert len([x for x in run.lines if x.startswith("kg: warning: ")]) == 3
    assert sha256(graph_file) == before


def test_unwritable_output_directory_is_one_line_and_keeps_earlier_output(seeds_dir, tmp_path):
    out = tmp_path / "readonly"
    out.mkdir()
    graph_file = out / "graph.ttl"
    graph_file.write_text("<http://x/a> <http://x/b> <http://x/c> .\n", encoding="utf-8")
    before = sha256(graph_file)
    out.chmod(0o555)
    try:
        run = run_kg("build", seeds_dir, "-o", graph_file, "-q", cwd=tmp_path, unprivileged=True)
    finally:
        out.chmod(0o755)
    line = run.assert_clean_failure(1)
    assert str(graph_file) in line and "Permission denied" in line
    assert sha256(graph_file) == before and os.listdir(out) == ["graph.ttl"]


def test_50_mb_text_file_is_reported_and_the_rest_built(seeds_dir, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(seeds_dir / "000_5a1aee33f1f16e10.txt", corpus / "good.txt")
    line = "NATO leaders met in Brussels on Monday to discuss the summit.\n" * 1000
    with (corpus / "huge.txt").open("w", encoding="utf-8") as handle:
        handle.write("A very large file\n\n")
        while handle.tell() < 50_000_000:
            handle.write(line)
    run = run_kg("build", corpus, "-o", tmp_path / "g.ttl", "-q", cwd=tmp_path)
    assert "Traceback" not in run.stderr
    assert run.code == 3, run.stderr
    (problem,) = [x for x in run.lines if x.startswith("kg: warning: ")]
    assert f"{corpus}/huge.txt" in problem
    assert run.summary() == (1, 0, 1)
