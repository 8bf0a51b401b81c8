"""Entity IRIs: readable, valid for any Unicode name, no accidental collisions."""

from __future__ import annotations

import re
import unicodedata

import pyoxigraph
from hypothesis import given
from hypothesis import strategies as st

from kg.rdf.namespace import entity_iri
from kg.resolve.names import initials, is_acronym, slugify


def fold(name: str) -> str:
    """What resolution treats as the same name: case and runs of separators folded."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    return re.sub(r"[\s\-‐‑‒–—―_/]+", "-", text).strip("-")


def test_readable_slugs():
    assert slugify("Joe Biden") == "joe-biden"
    assert slugify("Recep Tayyip Erdoğan") == "recep-tayyip-erdoğan"
    assert slugify("Ursula von der Leyen") == "ursula-von-der-leyen"
    assert entity_iri("person/" + slugify("Joe Biden")).endswith("/entity/person/joe-biden")


def test_hostile_names_are_escaped():
    slug = slugify('x" } ; DROP ALL ; #')
    assert not set(slug) & set('"{}; #<>')
    pyoxigraph.NamedNode(str(entity_iri("person/" + slug)))


@given(st.text(max_size=60))
def test_any_name_gives_a_valid_iri(name):
    iri = str(entity_iri("person/" + slugify(name)))
    pyoxigraph.NamedNode(iri)  # raises ValueError for an invalid IRI (RFC 3987)


@given(st.text(max_size=20), st.text(max_size=20))
def test_different_names_do_not_collide(a, b):
    if slugify(a) == slugify(b) and fold(a) and fold(b):
        assert fold(a) == fold(b)


def test_initials_and_acronyms():
    assert initials("European Union") == "EU"
    assert initials("Center for European Reform") == "CER"
    assert is_acronym("NATO") and is_acronym("U.S.") and not is_acronym("Biden")


def test_clean_label_normalises_and_drops_format_characters():
    from kg.resolve.forms import clean_label

    assert clean_label("Joe\u200d  Biden") == "Joe Biden"  # zero-width joiner
    assert clean_label("ﬁnance  Ministry\n") == "finance Ministry"  # NFKC ligature
    assert clean_label("  Tony   Blair ") == "Tony Blair"  # ASCII: white space only


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_clean_label_of_ascii_only_collapses_white_space(text):
    from kg.resolve.forms import clean_label

    slow = "".join(
        ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Cf"
    )
    assert clean_label(text) == " ".join(slow.split())
