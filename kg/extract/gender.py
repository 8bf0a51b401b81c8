"""The gender a person mention marks, for coreference: an honorific or gendered noun
before it or in its role ("Mrs", "actress", "Queen"), else its given name.

Given names come from the US Census list (``kg/data/first_names.tsv``: a name both
genders carry marks none), then, for names the census lacks, from
``kg/data/name_genders.tsv`` (world-wide name data, ``tools/build_name_genders.py``).

    >>> given_name_gender("Barack"), given_name_gender("Zahā")
    ('m', 'f')
"""

from __future__ import annotations

import unicodedata

from kg.data import lexicons
from kg.model import PERSON, Mention


def gender_of(text: str, m: Mention) -> str | None:
    """ "m", "f" or None for a person mention: an honorific or gendered noun before it or in
    its role ("Mrs", "actress", "Queen"), else its given name."""
    if m.type != PERSON:
        return None
    before = text[max(0, m.start - 30) : m.start].split()
    cues = [w.strip(",").lower() for w in before[-2:]]
    cues += [w.lower() for w in (m.role or "").split()]
    cues += [w.lower() for w in m.text.split()[:1]]
    for cue in reversed(cues):
        found = cue_gender(cue)
        if found is not None:
            return found
    return given_name_gender(m.name.split()[0]) if m.name.split() else None


def cue_gender(word: str) -> str | None:
    """The gender an honorific or a gendered noun marks ("mrs", "mlle.", "actress")."""
    word = word.lower()
    honorifics = lexicons.honorifics()
    found = honorifics.get(word) or honorifics.get(word.rstrip("."))
    if found:
        return found
    known = lexicons.description_nouns().get(word.rstrip("."))
    return known.gender if known is not None and known.gender else None


def given_name_gender(word: str, *, census_only: bool = False) -> str | None:
    """ "m" or "f" when a given name usually marks that gender (``census_only``: only the
    names of the census list, common enough to say a word is a given name at all)."""
    census = lexicons.first_names().get(word.lower())
    if census is not None:
        return census if census in ("m", "f") else None
    return None if census_only else lexicons.world_name_genders().get(fold(word))


def fold(word: str) -> str:
    """Lower case without accents ("zahā" → "zaha")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
