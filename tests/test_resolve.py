"""Resolution rules on hand-built mentions (no model needed)."""

from __future__ import annotations

from kg.model import LOCATION, ORGANIZATION, PERSON, Extraction, Mention
from kg.resolve.resolution import KnownEntity, resolve


def m(
    doc: str,
    name: str,
    type_: str,
    at: int,
    *,
    text: str | None = None,
    conf: float = 0.8,
    locative: bool = False,
) -> Mention:
    return Mention(
        doc_id=doc,
        text=text or name,
        name=name,
        type=type_,
        start=at,
        end=at + len(name),
        confidence=conf,
        locative=locative,
    )


def doc(doc_id: str, *mentions: Mention) -> Extraction:
    return Extraction(doc_id=doc_id, mentions=list(mentions))


def labels(resolution, type_=None):
    return sorted(e.label for e in resolution.entities.values() if type_ is None or e.type == type_)


def test_short_name_joins_the_full_name_and_type_is_voted():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Joe Biden", PERSON, 0),
                m("d1", "Biden", LOCATION, 20),  # NER says GPE here
                m("d1", "Biden", ORGANIZATION, 40),  # and ORG there
                m("d1", "Biden", PERSON, 60),
            )
        ]
    )
    assert labels(r) == ["Joe Biden"]
    entity = next(iter(r.entities.values()))
    assert entity.type == PERSON and entity.key == "person/joe-biden"
    assert entity.aliases == {"Biden"}


def test_ambiguous_surname_is_not_merged():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Bill Clinton", PERSON, 0),
                m("d1", "Hillary Clinton", PERSON, 20),
                m("d1", "Clinton", PERSON, 40),
            )
        ]
    )
    assert labels(r) == ["Bill Clinton", "Clinton", "Hillary Clinton"]


def test_country_name_is_not_taken_for_a_surname():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "George Washington", PERSON, 0),
                m("d1", "Washington", LOCATION, 30, locative=True),
            )
        ]
    )
    assert labels(r, LOCATION) == ["Washington"]


def test_acronym_defined_in_text_and_initials():
    long_name = "International Campaign for the Abolition of Nuclear Weapons"
    r = resolve(
        [
            doc(
                "d1",
                m("d1", long_name, ORGANIZATION, 0),
                m("d1", long_name, ORGANIZATION, 70, text="ICAN"),
                m("d1", "ICAN", ORGANIZATION, 100),
                m("d1", "European Union", ORGANIZATION, 120),
                m("d1", "EU", ORGANIZATION, 140),
            )
        ]
    )
    assert labels(r) == ["European Union", long_name]
    assert "ICAN" in r.entities[f"organization/{long_name.lower().replace(' ', '-')}"].aliases


def test_head_word_of_an_organization():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "European Commission", ORGANIZATION, 0),
                m("d1", "Commission", ORGANIZATION, 30),
            )
        ]
    )
    assert labels(r) == ["European Commission"]


def test_same_entity_same_iri_across_documents():
    r = resolve(
        [
            doc("d1", m("d1", "Jens Stoltenberg", PERSON, 0)),
            doc("d2", m("d2", "Stoltenberg", ORGANIZATION, 5), m("d2", "Stoltenberg", PERSON, 50)),
        ]
    )
    assert labels(r) == ["Jens Stoltenberg"]
    keys = set(r.mention_entity.values())
    assert keys == {"person/jens-stoltenberg"}


def test_known_entity_keeps_its_iri_when_a_better_name_arrives():
    known = [KnownEntity("person/biden", PERSON, "Biden", frozenset())]
    r = resolve(
        [doc("d3", m("d3", "Joe Biden", PERSON, 0), m("d3", "Biden", PERSON, 20))], known=known
    )
    entity = r.entities["person/biden"]
    assert entity.label == "Joe Biden"
    assert set(r.mention_entity.values()) == {"person/biden"}
