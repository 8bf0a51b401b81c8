"""Which place can lie in which: a country is never inside a city.

Ranks from the gazetteer (``kg/data/gazetteer.tsv``) and the country lexicon: city <
subdivision (region, county, state) < country < continent. A ``locatedIn`` fact whose
subject is known to be bigger than its object ("Ireland locatedIn Cardiff", read by the
classifier from "Ireland's win in Cardiff") is dropped by every extractor that makes one.

    >>> can_lie_in("Cardiff", "Wales"), can_lie_in("France", "Paris")
    (True, False)
"""

from __future__ import annotations

from kg.data import lexicons

RANKS = {"city": 1, "subdivision": 2, "country": 3, "continent": 4}


def rank(name: str) -> int | None:
    """The size rank of a place name, None when the lexicons do not know it."""
    key = " ".join(name.split()).lower()
    place = lexicons.gazetteer().get(key)
    if place is not None and place.kind == "continent":
        return RANKS["continent"]
    if key in lexicons.places().canonical:  # the country lexicon next: Wales, Scotland
        return RANKS["country"]
    return RANKS.get(place.kind) if place is not None else None


def can_lie_in(inner: str, outer: str) -> bool:
    """False only when ``inner`` is known to be a bigger kind of place than ``outer``."""
    a, b = rank(inner), rank(outer)
    return a is None or b is None or a <= b
