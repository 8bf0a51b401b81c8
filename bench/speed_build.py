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
import tempfile
from pathlib import Path

from _common import DATA, PYTHON, ROOT, kg_command, measure_child

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
    plain_times: list[float] = []
    kg_times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "g.nt"
        for _ in range(args.repeat):
            plain = measure_child([PYTHON, "-c", PLAIN, *paths])
            if plain.code != 0:
                raise SystemExit(f"plain nlp.pipe failed (exit {plain.code})")
            plain_times.append(plain.seconds)
            print(f"plain nlp.pipe : {plain.seconds:7.1f} s  peak RSS {plain.peak_rss_mb:6.0f} MB")
            ours = measure_child(kg_command("build", *paths, "-o", out, "-q"))
            if ours.code != 0:
                raise SystemExit(f"kg build failed (exit {ours.code})")
            kg_times.append(ours.seconds)
            print(f"kg build -o .nt: {ours.seconds:7.1f} s  peak RSS {ours.peak_rss_mb:6.0f} MB")
            print(f"  {ours.stdout.strip()}")
        best_plain, best_kg = min(plain_times), min(kg_times)
        print(
            f"throughput ratio kg/plain: {best_plain / best_kg:.2f} (target >= 0.85); "
            f"plain {best_plain:.1f} s, kg {best_kg:.1f} s"
        )
        if not args.skip_seeds:
            seeds = measure_child(
                kg_command(
                    "build",
                    ROOT / "seeds",
                    "-o",
                    Path(tmp) / "graph.ttl",
                    "--html",
                    Path(tmp) / "graph.html",
                    "-q",
                )
            )
            print(
                f"seeds build (-o graph.ttl --html graph.html): {seeds.seconds:.1f} s (target <= 5 s)"
            )


if __name__ == "__main__":
    main()
