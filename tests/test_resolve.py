"""Resolution rules on hand-built mentions (no model needed)."""

from __future__ import annotations

from kg.model import LOCATION, ORGANIZATION, PERSON, Extraction, Mention
from kg.resolve.resolution import preferred_label, resolve


def m(
    doc: str,
    name: str,
    type_: str,
    at: int,
    *,
    text: str | None = None,
    conf: float = 0.8,
    locative: bool = False,
    honorific: str | None = None,
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
        honorific=honorific,
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


def test_documents_link_by_key_and_a_surname_alone_stays_apart():
    r = resolve(
        [
            doc("d1", m("d1", "Jens Stoltenberg", PERSON, 0), m("d1", "Stoltenberg", PERSON, 40)),
            doc("d2", m("d2", "Jens Stoltenberg", PERSON, 5)),
            doc("d3", m("d3", "Stoltenberg", PERSON, 5)),  # no full name in this document
        ]
    )
    assert labels(r) == ["Jens Stoltenberg", "Stoltenberg"]
    assert {k for (d, *_), k in r.mention_entity.items() if d in ("d1", "d2")} == {
        "person/jens-stoltenberg"
    }


def test_resolution_does_not_depend_on_batches_or_order():
    docs = [
        doc("a", m("a", "Tony Blair", PERSON, 0), m("a", "Blair", PERSON, 20)),
        doc("b", m("b", "TONY BLAIR", PERSON, 0), m("b", "Labour Party", ORGANIZATION, 20)),
        doc("c", m("c", "Labour", ORGANIZATION, 0), m("c", "Labour Party", ORGANIZATION, 30)),
    ]
    whole = resolve(docs)
    one_by_one = [resolve([d]) for d in reversed(docs)]
    assert set(whole.mention_entity.items()) == {
        item for r in one_by_one for item in r.mention_entity.items()
    }
    assert preferred_label("TONY BLAIR", "Tony Blair") == "Tony Blair"
    assert preferred_label("Tony Blair", "TONY BLAIR") == "Tony Blair"


def test_honorifics_keep_a_wife_and_her_husband_apart():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Michael Howard", PERSON, 0),
                m("d1", "Howard", PERSON, 20, honorific="mr"),
                m("d1", "Howard", PERSON, 40, honorific="mrs"),
                m("d1", "Howard", PERSON, 60, honorific="mrs"),
            )
        ]
    )
    assert labels(r, PERSON) == ["Howard", "Michael Howard"]
    wife = r.entities["person/howard"]
    assert len(wife.mentions) == 2


def test_given_names_short_forms_and_hyphenated_surnames_join_the_full_name():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Gareth Thomas", PERSON, 0),
                m("d1", "Gareth", PERSON, 20),
                m("d1", "Thomas Gravesen", PERSON, 40),
                m("d1", "Tommy", PERSON, 60),
                m("d1", "Jane Hughes-Onslow", PERSON, 80),
                m("d1", "Hughes", PERSON, 100),
            )
        ]
    )
    assert labels(r, PERSON) == ["Gareth Thomas", "Jane Hughes-Onslow", "Thomas Gravesen"]


def test_spelling_variants_of_one_person():
    r = resolve(
        [doc("d1", m("d1", "Beverley Hughes", PERSON, 0), m("d1", "Beverly Hughes", PERSON, 30))]
    )
    assert len(labels(r, PERSON)) == 1


def test_organization_short_form_and_nationality_words():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Labour Party", ORGANIZATION, 0),
                m("d1", "Labour", ORGANIZATION, 20),
                m("d1", "Delta Air Lines", ORGANIZATION, 40),
                m("d1", "Delta", ORGANIZATION, 60),
                m("d1", "Welsh", ORGANIZATION, 80),  # a nationality word is no entity
                m("d1", "Britons", PERSON, 100),
            )
        ]
    )
    assert labels(r) == ["Delta Air Lines", "Labour Party"]


def test_type_from_names_and_context():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Millennium Stadium", PERSON, 0),  # a place word ends the name
                m("d1", "Yukos", PERSON, 30),  # no given name, no surname: a weak person
                m("d1", "Yukos", ORGANIZATION, 50),
                m("d1", "Moscow", PERSON, 70),  # the gazetteer knows it
                m("d1", "Moscow", LOCATION, 90, locative=True),
            )
        ]
    )
    types = {e.label: e.type for e in r.entities.values()}
    assert types == {"Millennium Stadium": LOCATION, "Yukos": ORGANIZATION, "Moscow": LOCATION}


def test_a_surname_or_given_name_ner_called_an_organization_or_place_joins_the_person():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "John Sivabaek", PERSON, 0),
                m("d1", "Sivabaek", ORGANIZATION, 30),  # NER: ORG, only this once
                m("d1", "Gavin Henson", PERSON, 60),
                m("d1", "Gavin", LOCATION, 90, locative=True),  # "looked at Gavin"
            )
        ]
    )
    assert labels(r, PERSON) == ["Gavin Henson", "John Sivabaek"]
    assert labels(r) == ["Gavin Henson", "John Sivabaek"]


def test_an_organization_name_is_not_taken_for_a_surname():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Joe Biden", PERSON, 0),
                m("d1", "Alan Party", PERSON, 60),
                m("d1", "Party", ORGANIZATION, 90),  # an organization word
                m("d1", "Ann Sutton", PERSON, 120),
                m("d1", "Sutton", LOCATION, 150, locative=True),  # "in Sutton": no given name
            )
        ]
    )
    assert {"Party", "Sutton"} <= set(labels(r))


def test_an_organization_word_outweighs_ner_calling_a_company_a_person():
    r = resolve([doc("d1", m("d1", "Warner Brothers", PERSON, 0))])
    assert labels(r, ORGANIZATION) == ["Warner Brothers"]


def test_abbreviations_of_common_nouns_and_works_are_no_entities():
    film = Mention(
        doc_id="d1",
        text="Quiet Harbour",
        name="Quiet Harbour",
        type=PERSON,
        start=40,
        end=53,
        confidence=0.8,
        cues=frozenset({"before:film"}),
    )
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "PR", ORGANIZATION, 0),  # public relations
                m("d1", "GCSE", ORGANIZATION, 10),
                m("d1", "GMT", ORGANIZATION, 15),  # "by 1650 GMT": a time zone
                m("d1", "PVR", ORGANIZATION, 17),  # personal video recorder
                m("d1", "IBM", ORGANIZATION, 20),
                film,
            )
        ]
    )
    assert labels(r) == ["IBM"]


def test_an_acronym_with_a_digit_is_no_place():
    r = resolve([doc("d1", m("d1", "G7", LOCATION, 0), m("d1", "G7", ORGANIZATION, 20, conf=0.5))])
    assert labels(r, ORGANIZATION) == ["G7"]


def test_a_described_short_name_joins_the_organization_it_begins():
    described = Mention(
        doc_id="d1",
        text="Quonsar",
        name="Quonsar",
        type=PERSON,
        start=30,
        end=37,
        confidence=0.8,
        cues=frozenset({"before:company"}),  # "investment company Quonsar"
    )
    r = resolve([doc("d1", m("d1", "Quonsar Finance Group", ORGANIZATION, 0), described)])
    assert labels(r) == ["Quonsar Finance Group"]
    assert labels(r, ORGANIZATION) == ["Quonsar Finance Group"]


def test_a_full_name_ner_called_an_organization_is_still_the_person_of_mr_x():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Bernie Ebbers", ORGANIZATION, 0, conf=0.75),
                m("d1", "Ebbers", PERSON, 30, text="Mr Ebbers", honorific="mr"),
                m("d1", "Ebbers", PERSON, 60, text="Mr Ebbers", honorific="mr"),
            )
        ]
    )
    assert labels(r, PERSON) == ["Bernie Ebbers"] and labels(r) == ["Bernie Ebbers"]


def test_a_hyphenated_or_multi_word_surname_alone_joins_the_full_name():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Mark Lewis-Francis", PERSON, 0),
                m("d1", "Lewis-Francis", PERSON, 40),
                m("d1", "Philip van Doren Stern", PERSON, 80),
                m("d1", "Van Doren Stern", PERSON, 120, locative=True),
            )
        ]
    )
    assert labels(r) == ["Mark Lewis-Francis", "Philip van Doren Stern"]


def test_spelling_variants_join_before_the_surname_is_matched():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Viktor Makarov", PERSON, 0),
                m("d1", "Victor Makarov", PERSON, 30),
                m("d1", "Makarov", PERSON, 60, honorific="mr"),
            )
        ]
    )
    assert len(r.entities) == 1


def test_a_surname_ner_keeps_calling_an_organization_does_not_outvote_the_full_name():
    bare = [m("d1", "Herrington", ORGANIZATION, 30 + 20 * i, conf=0.75) for i in range(6)]
    r = resolve([doc("d1", m("d1", "John Herrington", PERSON, 0), *bare)])
    assert [(e.label, e.type) for e in r.entities.values()] == [("John Herrington", PERSON)]


def test_organization_names_with_their_country_or_legal_suffix_join_the_short_name():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "US Supreme Court", ORGANIZATION, 0),
                m("d1", "Supreme Court", ORGANIZATION, 30),
                m("d1", "Mitsui Co Ltd", ORGANIZATION, 60),
                m("d1", "Mitsui", ORGANIZATION, 90, locative=True),
                m("d1", "Warner Bros.", ORGANIZATION, 120),
                m("d1", "Warner Bros", ORGANIZATION, 150),
            )
        ]
    )
    assert labels(r) == ["Mitsui Co Ltd", "US Supreme Court", "Warner Bros"]


def test_an_acronym_is_no_person_and_the_word_before_of_is_a_head_word():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "National Association of Wheat Growers", ORGANIZATION, 0, conf=0.75),
                m("d1", "NAWG", PERSON, 50),
                m("d1", "NAWG", PERSON, 70),
            )
        ]
    )
    assert [(e.label, e.type) for e in r.entities.values()] == [
        ("National Association of Wheat Growers", ORGANIZATION)
    ]


def test_the_label_is_no_headline_in_capitals():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "BLASTS REAGAN", PERSON, 0),
                *(m("d1", "Reagan", PERSON, 30 + 20 * i) for i in range(3)),
            )
        ]
    )
    assert labels(r) == ["Reagan"]


def test_a_name_written_with_an_initial_joins_the_one_full_name_it_begins():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Paul Griffen", PERSON, 0),
                m("d1", "P Griffen", PERSON, 40),
                m("d1", "Mauro Bergamasco", PERSON, 80),
                m("d1", "Mirco Bergamasco", PERSON, 120),
                m("d1", "M Bergamasco", PERSON, 160),  # two full names fit: stays apart
                m("d1", "G Kerr", ORGANIZATION, 200, conf=0.75),  # an initial: a person
            )
        ]
    )
    assert labels(r, PERSON) == [
        "G Kerr",
        "M Bergamasco",
        "Mauro Bergamasco",
        "Mirco Bergamasco",
        "Paul Griffen",
    ]
    griffen = next(e for e in r.entities.values() if e.label == "Paul Griffen")
    assert griffen.aliases == {"P Griffen"}


def test_a_surname_that_is_also_a_city_joins_when_ner_mostly_calls_it_a_person():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Chris Paterson", PERSON, 0),
                m("d1", "Paterson", PERSON, 30),
                m("d1", "Paterson", PERSON, 60),
                m("d1", "Paterson", ORGANIZATION, 90, conf=0.75, locative=True),
            ),
            doc(
                "d2",
                m("d2", "Steve Paterson", PERSON, 0),
                m("d2", "Paterson", LOCATION, 30, locative=True),  # the city
            ),
        ]
    )
    assert labels(r) == ["Chris Paterson", "Paterson", "Steve Paterson"]
    chris = next(e for e in r.entities.values() if e.label == "Chris Paterson")
    assert chris.aliases == {"Paterson"}
    assert next(e for e in r.entities.values() if e.label == "Paterson").type == LOCATION


def test_the_word_before_of_a_web_address_and_a_country_before_a_long_name_join():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Bank of England", ORGANIZATION, 0),
                m("d1", "Bank", ORGANIZATION, 30),
                m("d1", "Amazon.com", ORGANIZATION, 60),
                m("d1", "Amazon", ORGANIZATION, 90),
                m("d1", "US Federal Bureau of Investigation", ORGANIZATION, 120),
                m("d1", "FBI", ORGANIZATION, 170),
            )
        ]
    )
    assert len(r.entities) == 3, labels(r)
    assert labels(r, ORGANIZATION) == [
        "Amazon",
        "Bank of England",
        "US Federal Bureau of Investigation",
    ] or labels(r, ORGANIZATION) == [
        "Amazon.com",
        "Bank of England",
        "US Federal Bureau of Investigation",
    ]


def test_headline_words_and_names_opening_with_a_preposition_are_no_entities():
    from kg.resolve.entity_type import is_entity

    def one(name: str, *cues: str) -> list[Mention]:
        return [
            Mention(
                doc_id="d1",
                text=name,
                name=name,
                type=ORGANIZATION,
                start=0,
                end=len(name),
                cues=frozenset(cues),
            )
        ]

    def anything(_: Mention) -> bool:
        return False

    # "... SPENDING ON ACID RAIN" above a story about acid rain: a headline word
    assert not is_entity(one("ACID", "headline", "lower_elsewhere"), anything)
    # an acronym in running text, and one the story never writes in lower case, stay
    assert is_entity(one("ACID", "lower_elsewhere"), anything)
    assert is_entity(one("OPEC", "headline"), anything)
    assert is_entity(one("WHO", "headline", "lower_elsewhere"), anything)  # three letters
    # "HEAD TO HEAD" read as "TO HEAD", "Your computer" read as "Your"
    assert not is_entity(one("TO HEAD", "headline"), anything)
    assert not is_entity(one("Your"), anything)
    assert is_entity(one("The Body Shop"), anything)


def test_the_forms_of_a_party_name_make_one_organization():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Liberal Democrats", ORGANIZATION, 0),
                m("d1", "Lib Dems", ORGANIZATION, 40),
                m("d1", "Tories", ORGANIZATION, 80),
                m("d1", "Conservatives", ORGANIZATION, 120),
            )
        ]
    )
    assert len(labels(r, ORGANIZATION)) == 2, labels(r)


def test_a_nationality_word_takes_no_type_from_the_nouns_around_it():
    from kg.model import DEMONYM
    from kg.resolve.entity_type import decide_type

    australian = Mention(
        doc_id="d1",
        text="Australian",
        name="Australia",
        type=LOCATION,
        start=0,
        end=10,
        kind=DEMONYM,
        cues=frozenset({"before:actor", "next:star"}),
    )
    assert decide_type([australian]) == LOCATION


def test_a_party_is_labelled_with_its_own_name():
    r = resolve(
        [
            doc(
                "d1",
                m("d1", "Liberal Democrat", ORGANIZATION, 0),
                m("d1", "Liberal Democrats", ORGANIZATION, 40),
            )
        ]
    )
    assert labels(r, ORGANIZATION) == ["Liberal Democrats"]
