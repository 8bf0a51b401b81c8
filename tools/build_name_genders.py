"""Build kg/data/name_genders.tsv: given names the US Census list lacks, with the gender
they mark, from the name data of the PyPI package ``nomquamgender`` 0.1.4 (MIT; Van
Buskirk, Clauset and Larremore, name-gender data pooled from 36 sources worldwide).

Run once, with the package's ``name_data.json`` (``pip download --no-deps
nomquamgender==0.1.4`` and unpack the wheel):

    python tools/build_name_genders.py /tmp/nomquamgender/name_data.json

A name is kept when at least ``SOURCES`` sources and ``COUNT`` people carry it and its
share of women is at most ``SHARE`` (``m``) or at least ``1 - SHARE`` (``f``); names in
``first_names.tsv`` are left out (the census decides those, ``u`` included). Keys are
lower case without accents ("andras" for András), as coreference looks them up.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "kg" / "data"
SOURCES = 3
COUNT = 50
SHARE = 0.1
WORD = re.compile(r"^[a-z][a-z'-]*[a-z]$")


def fold(name: str) -> str:
    """Lower case, accents dropped."""
    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def census_names() -> set[str]:
    text = (OUT / "first_names.tsv").read_text("utf-8")
    return {line.split("\t")[0] for line in text.splitlines() if line and line[0] != "#"}


def main(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    known = census_names()
    rows: dict[str, str] = {}
    for raw, (sources, count, share, *_) in data.items():
        name = fold(raw)
        if not WORD.match(name) or name in known or sources < SOURCES or count < COUNT:
            continue
        if share <= SHARE:
            rows.setdefault(name, "m")
        elif share >= 1 - SHARE:
            rows.setdefault(name, "f")
    header = (
        "# Given names the US Census list (first_names.tsv) lacks and the gender they mark:\n"
        "# nomquamgender 0.1.4 name data (MIT), kept at >= 3 sources, >= 50 people and a\n"
        "# share of women <= 0.1 (m) or >= 0.9 (f). Built by tools/build_name_genders.py.\n"
        "# name\tgender\n"
    )
    body = "\n".join(f"{name}\t{rows[name]}" for name in sorted(rows))
    (OUT / "name_genders.tsv").write_text(header + body + "\n", "utf-8")
    print(f"{len(rows)} names → {OUT / 'name_genders.tsv'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
