"""Issue 14, build path: the whole `kg build` command against plain `nlp.pipe`, and the seeds.

    python bench/speed_build.py [--per-topic N] [--repeat R] [--skip-seeds]

Both sides are subprocesses timed from start to exit, model load included on both:

- plain: a Python process that loads the same model (``kg.nlp.load_model``, with kg's
  NER weights and line-break component), reads the same files and runs ``nlp.pipe``
  over their texts (batches of 16, as kg does), doing nothing with the Docs;
- kg: ``kg build FILES -o g.nt -q`` over the same files.

The files are the first N articles (sorted by name) of BBC News ``politics/`` and of
``business/`` (default 150 each: 300 articles). With ``--repeat R`` the two commands
alternate R times (plain, kg, plain, kg, ...) and the fastest run of each is kept.
Target: kg's time >= 0.85 of plain's throughput, i.e. plain / kg >= 0.85. Then
``kg build seeds/ -o graph.ttl --html graph.html`` is timed (target <= 5 s).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import DATA, PYTHON, ROOT, kg_command

PLAIN = """
import sys
from pathlib import Path
from kg.nlp import load_model
nlp = load_model()
texts = [Path(p).read_bytes().decode("utf-8", "replace") for p in sys.argv[1:]]
for _ in nlp.pipe(texts, batch_size=16):
    pass
print(len(texts))
"""


@dataclass
class Run:
    """Wall time, CPU time (user + system, all threads) and peak RSS of a child process."""

    seconds: float
    cpu: float
    peak_rss_mb: float


def run(args: list[str]) -> Run:
    """Run a command to its end (output discarded); fails loudly on a non-zero exit."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args[:4])}... failed (status {status})")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def articles(per_topic: int) -> list[str]:
    """The first ``per_topic`` politics and business articles, sorted by name."""
    folder = DATA / "bbc_news"
    chosen: list[str] = []
    for topic in ("politics", "business"):
        chosen += [str(p) for p in sorted((folder / topic).glob("*.txt"))[:per_topic]]
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-topic", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--skip-seeds", action="store_true")
    args = parser.parse_args()
    paths = articles(args.per_topic)
    print(f"documents: {len(paths)} BBC News articles (politics and business); model load included")
    plain_runs: list[Run] = []
    kg_runs: list[Run] = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            plain = run([PYTHON, "-c", PLAIN, *paths])
            plain_runs.append(plain)
            print(f"plain nlp.pipe  : {_line(plain)}")
            ours = run(kg_command("build", *paths, "-o", Path(tmp) / "g.nt", "-q"))
            kg_runs.append(ours)
            print(f"kg build -o .nt : {_line(ours)}")
        best_plain = min(r.seconds for r in plain_runs)
        best_kg = min(r.seconds for r in kg_runs)
        cpu_plain = min(r.cpu for r in plain_runs)
        cpu_kg = min(r.cpu for r in kg_runs)
        print(
            f"throughput ratio kg/plain, wall time: {best_plain / best_kg:.2f} (target >= 0.85); "
            f"CPU time: {cpu_plain / cpu_kg:.2f}"
        )
        if not args.skip_seeds:
            out = Path(tmp)
            seeds = run(
                kg_command(
                    "build",
                    ROOT / "seeds",
                    "-o",
                    out / "graph.ttl",
                    "--html",
                    out / "graph.html",
                    "-q",
                )
            )
            print(f"seeds build -o graph.ttl --html graph.html: {_line(seeds)} (target <= 5 s)")


def _line(measured: Run) -> str:
    return (
        f"{measured.seconds:7.1f} s wall  {measured.cpu:7.1f} s CPU  "
        f"peak RSS {measured.peak_rss_mb:5.0f} MB"
    )


if __name__ == "__main__":
    main()
