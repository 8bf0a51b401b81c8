"""Name forms: how two names of one document may name the same thing.

Pure functions over strings and the lexicons in ``kg/data/`` (honorifics, given names
and their short forms, name particles). Resolution asks them questions such as "is
"Gareth" the given name of "Gareth Thomas"?", "can "Mrs Howard" be "Michael Howard"?"
(no: the genders differ), "is "Beverly Hughes" a spelling of "Beverley Hughes"?".

    >>> gender_of_name("Michael Howard"), gender_of_honorific("mrs")
    ('m', 'f')
"""

from __future__ import annotations

import unicodedata

from kg.data import lexicons
from kg.resolve.names import name_words


def clean_label(text: str) -> str:
    """A label fit to show and to match: NFKC, format characters (zero-width joiners,
    direction marks) removed, white space collapsed.

    >>> clean_label("Joe\u200d  Biden")
    'Joe Biden'
    """
    if not text.isascii():  # NFKC leaves ASCII as it is, and no format character is ASCII
        text = unicodedata.normalize("NFKC", text)
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def gender_of_honorific(honorific: str | None) -> str | None:
    """``m``/``f`` for a gendered honorific ("Mrs" → f), None otherwise."""
    if not honorific:
        return None
    return lexicons.honorifics().get(honorific.lower().rstrip("."))


def gender_of_name(name: str) -> str | None:
    """``m``/``f`` when the first word of a full name is a clearly gendered given name."""
    words = name_words(name)
    if len(words) < 2:
        return None
    gender = lexicons.first_names().get(words[0])
    return gender if gender in ("m", "f") else None


def is_given_name(word: str) -> bool:
    """True when ``word`` is a known given name ("Steve", "Gerhard")."""
    return word.casefold() in lexicons.first_names()


def given_name_matches(short: str, full_first: str) -> bool:
    """ "Gareth" names "Gareth Thomas"; "Tommy" names "Thomas Gravesen" (a short form)."""
    short, full_first = short.casefold(), full_first.casefold()
    if short == full_first:
        return True
    forms = lexicons.nicknames().get(short)
    return forms is not None and full_first in forms


def surname_words(name: str) -> tuple[str, ...]:
    """The words of a person's surname: the last word, with the particles before it
    ("von der Leyen") and the parts of a hyphenated surname kept whole.

    >>> surname_words("Ursula von der Leyen"), surname_words("Jane Hughes-Onslow")
    (('von', 'der', 'leyen'), ('hughes-onslow',))
    """
    words = unicodedata.normalize("NFKC", name).casefold().split()
    if not words:
        return ()
    particles = lexicons.name_particles()
    start = len(words) - 1
    while start > 1 and words[start - 1] in particles:
        start -= 1
    return tuple(words[start:])


def hyphen_parts(word: str) -> tuple[str, ...]:
    """The parts of a hyphenated word ("hughes-onslow" → ("hughes", "onslow"))."""
    return tuple(p for p in word.split("-") if p)


def spelling_variants(a: str, b: str) -> bool:
    """Two spellings of one name: same length within one, one letter added, dropped or
    changed, both long enough that this is not a different short word.

    >>> spelling_variants("Beverley", "Beverly"), spelling_variants("Mark", "Mary")
    (True, False)
    """
    a, b = a.casefold(), b.casefold()
    if a == b or min(len(a), len(b)) < 6 or a[0] != b[0]:
        return False
    return _edit_distance_at_most_one(a, b)


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = j = edits = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            i, j = i + 1, j + 1
            continue
        edits += 1
        if edits > 1:
            return False
        if len(a) == len(b):
            i += 1
        j += 1
    return edits + (len(b) - j) + (len(a) - i) <= 1
