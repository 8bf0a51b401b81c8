"""The build's progress: a total from the start, rate and time left from the first document."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time

import pytest
from rich.console import Console

from kg.cli.progress import BuildProgress

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def frames(text: str) -> list[str]:
    return [
        ANSI.sub("", part).strip()
        for part in re.split(r"\r|\n|\x1b\[2K", text)
        if ANSI.sub("", part).strip()
    ]


def test_total_rate_and_eta_from_the_first_document():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=150)
    with BuildProgress(console, total=40) as advance:
        console.file.write("\n")
        time.sleep(0.2)
        advance(1)
        time.sleep(0.3)  # the bar refreshes itself
    shown = frames(out.getvalue())
    first = [line for line in shown if "1/40" in line]
    assert first, shown
    assert re.search(r"\d+\.\d docs/s", first[-1]) and re.search(r"ETA \d+:\d\d", first[-1])
    assert any("0/40" in line and "ETA ––:––" in line for line in shown)  # no guess before


def test_quiet_and_non_terminals_draw_nothing():
    for quiet, terminal in ((True, True), (False, False)):
        out = io.StringIO()
        console = Console(file=out, force_terminal=terminal, width=120)
        with BuildProgress(console, total=3, quiet=quiet) as advance:
            advance(1)
        assert out.getvalue() == ""


def run_in_terminal(args: list[str], cwd) -> str:
    """Run a command in a pseudo-terminal (so rich draws its bar) and return what it printed."""
    import pty
    import select

    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.chdir(cwd)
        os.environ["COLUMNS"] = "160"
        os.execv(args[0], args)
    chunks = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_kg_build_in_a_terminal_shows_total_eta_and_skipped_files(seeds_dir, tmp_path, nlp):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in seeds_dir.iterdir():
        (corpus / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (corpus / "extra.txt").write_text("Joe Biden met Vladimir Putin in Geneva.", encoding="utf-8")
    (corpus / "table.csv").write_text("a,b\n", encoding="utf-8")
    text = run_in_terminal(
        [sys.executable, "-m", "kg", "build", str(corpus), "-o", str(tmp_path / "g.ttl")], tmp_path
    )
    shown = frames(text)
    # the total is known before the first document; once documents are done (the bar may
    # skip from 0 to 3 on a busy machine), it shows a rate and a time left
    assert any("0/3 documents" in line for line in shown), shown
    done = [line for line in shown if re.search(r"\b[123]/3 documents", line)]
    assert done, shown
    assert re.search(r"ETA \d+:\d\d", done[0]) and re.search(r"\d+\.\d docs/s", done[0])
    summary = [line for line in shown if line.startswith("kg: skipped")]
    assert summary and "table.csv" in summary[0] and "not a document format (.csv)" in summary[0]
    quiet = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(corpus), "-q", "-o", str(tmp_path / "h.ttl")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "documents" not in quiet.stderr.replace("3 processed", "")
