"""GUM ``train`` coreference accuracy on its two halves, A (to write rules from) and B (to
check them), and by genre.

    python bench/gum_halves.py [--split train]

The halves are fixed and genre-balanced: within each genre (bio, interview, news) the
documents are ordered by the MD5 of their name and dealt alternately to A and B. A rule
is written from errors on A and kept only when B gains too; ``dev`` is never split or
read (``docs/evaluation.md``, coreference fourth round).
"""

from __future__ import annotations

import argparse
import hashlib
from collections import defaultdict

from kg.evaluation import gum
from kg.evaluation.options import Options


def halves(names: list[str]) -> dict[str, str]:
    """Document name → "A" or "B", balanced by genre (the word after ``GUM_``)."""
    by_genre: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_genre[name.split("_")[1]].append(name)
    part: dict[str, str] = {}
    for group in by_genre.values():
        ordered = sorted(group, key=lambda n: hashlib.md5(n.encode()).hexdigest())
        for i, name in enumerate(ordered):
            part[name] = "AB"[i % 2]
    return part


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="train", choices=["train"])
    args = parser.parse_args()
    results: dict[str, gum.DocumentResult] = {}
    gum.evaluate(Options(split=args.split, examples=0), per_document=results)
    part = halves(list(results))
    groups: dict[str, list[gum.DocumentResult]] = defaultdict(list)
    for name, result in results.items():
        for group in ("all", part[name], name.split("_")[1]):
            groups[group].append(result)
    print(f"{'part':<10} {'n':>4} {'baseline':>9} {'pipeline':>9}")
    for group in ("A", "B", "all", *sorted(g for g in groups if g not in ("A", "B", "all"))):
        right, n = gum.accuracy(groups[group])
        base, _ = gum.accuracy(groups[group], "baseline")
        print(f"{group:<10} {n:>4} {base / n:>9.3f} {right / n:>9.3f}  ({right}/{n})")


if __name__ == "__main__":
    main()
