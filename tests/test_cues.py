"""Context cues of a name (kg.extract.cues) and what the type vote makes of them."""

from __future__ import annotations

import dataclasses

import pytest

from kg.extract.cues import cues_for
from kg.model import LOCATION, ORGANIZATION, Mention
from kg.resolve.entity_type import decide_type


@pytest.mark.parametrize(
    "text",
    [
        "LA PAZ, March 23 - Bolivia's top union leader joined a strike.",
        "LONDON (Reuters) - Shares fell.",
        "Washington, Feb. 2, 1987 -- The Treasury said.",
        "Intro line.\nTOKYO, 3 March - Prices rose.",
    ],
)
def test_a_news_dateline_is_a_cue(text):
    start = text.rfind("\n") + 1
    end = start + len(text[start:].split(",")[0].split(" (")[0])
    assert "dateline" in cues_for(text, start, end, is_sentence_start=True)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The strike in La Paz, March 23 - ended.", "La Paz"),  # not at the start of a line
        ("LA PAZ said on March 23 that it would.", "LA PAZ"),  # no dateline follows
    ],
)
def test_no_dateline_elsewhere(text, name):
    start = text.index(name)
    assert "dateline" not in cues_for(text, start, start + len(name), is_sentence_start=False)


def test_a_dateline_outweighs_ner_calling_the_place_an_organization():
    text = "LA PAZ, March 23 - Bolivia's top union leader joined a strike."
    cues = cues_for(text, 0, 6, is_sentence_start=True)
    mention = Mention(
        doc_id="d", text="LA PAZ", name="LA PAZ", type=ORGANIZATION, start=0, end=6, cues=cues
    )
    assert decide_type([mention]) == LOCATION
    assert decide_type([dataclasses.replace(mention, cues=frozenset())]) == ORGANIZATION


@pytest.mark.parametrize(
    ("text", "name", "noun"),
    [
        ("Shares of investment company Dunmore rose.", "Dunmore", "company"),
        ("It hired technology companies Brell, Sarn and Hoxton last year.", "Hoxton", "company"),
        ("Concert promoters including Jaxons were there.", "Jaxons", "promoter"),
        ("Pop duo Bix Lander and Tolla sang.", "Tolla", "duo"),
        ("The film, Quiet Harbour, opens today.", "Quiet Harbour", "film"),
        ("hits such as Brass Lantern, Molly Vane and Quiet Harbour", "Molly Vane", "hit"),
        (
            "older titles such as Brass Lantern, Molly Vane and Quiet Harbour",
            "Brass Lantern",
            "title",
        ),
        ("a string of successes such as Brass Lantern", "Brass Lantern", "success"),
    ],
)
def test_the_noun_a_name_stands_beside(text, name, noun):
    start = text.index(name)
    cues = cues_for(text, start, start + len(name), is_sentence_start=False)
    assert f"before:{noun}" in cues


def _mention(name: str, type_: str, *cues: str) -> Mention:
    return Mention(
        doc_id="d", text=name, name=name, type=type_, start=0, end=len(name), cues=frozenset(cues)
    )


def test_nouns_beside_a_name_outweigh_ner_on_one_word():
    from kg.model import PERSON

    company = _mention("Dunmore", PERSON, "before:company")
    assert decide_type([company]) == ORGANIZATION
    assert decide_type([dataclasses.replace(company, cues=frozenset())]) == PERSON
    paper = _mention("Gazetteer", PERSON, "next:journalist")
    assert decide_type([paper]) == ORGANIZATION
    # a country is not read from the noun after it ("UK staff")
    assert decide_type([_mention("Britain", LOCATION, "next:staff")]) == LOCATION


def test_a_work_or_a_product_is_no_entity():
    film = _mention("Quiet Harbour", ORGANIZATION, "before:film")
    assert decide_type([film]) == "NONE"
    console = _mention("Zbox", ORGANIZATION, "article", "next:console")
    assert decide_type([console]) == "NONE"
    # without "the", "Zbox console" may be the maker's console: the name stays
    assert decide_type([_mention("Zbox", ORGANIZATION, "next:console")]) == ORGANIZATION


def test_a_name_alone_in_quotation_marks_is_a_title_or_a_nickname():
    text = 'Fans of the "Red Dragonhood" sang, and Tom Lane\'s side won.'
    start = text.index("Red")
    cues = cues_for(text, start, start + len("Red Dragonhood"), is_sentence_start=False)
    assert "quoted" in cues
    assert decide_type([_mention("Red Dragonhood", ORGANIZATION, *cues)]) == "NONE"
    start = text.index("Tom Lane")
    assert "quoted" not in cues_for(text, start, start + 8, is_sentence_start=False)


def test_a_noun_beside_an_unknown_word_outweighs_many_ner_votes():
    from kg.model import PERSON

    said = [dataclasses.replace(_mention("Quonsar", PERSON, "said"), start=i) for i in range(8)]
    firm = _mention("Quonsar", PERSON, "before:firm")
    assert decide_type(said) == PERSON
    assert decide_type([*said, firm]) == ORGANIZATION
    # a known given name keeps the person's votes ("firm" may be a misread list)
    olivia = [dataclasses.replace(m, name="Olivia", text="Olivia") for m in [*said, firm]]
    assert decide_type(olivia) == PERSON


def test_a_title_in_capitals_is_a_work():
    title = _mention("Knights Of The Old Republic", ORGANIZATION)
    assert decide_type([title]) == "NONE"
    bank = _mention("Bank of England", ORGANIZATION)
    assert decide_type([bank]) == ORGANIZATION


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Zoomac G4", "NONE"), ("Channel 4", ORGANIZATION), ("Group of 24", ORGANIZATION)],
)
def test_a_name_ending_in_a_model_code_is_a_product(name, expected):
    assert decide_type([_mention(name, ORGANIZATION)]) == expected


@pytest.mark.parametrize(
    ("text", "name", "cue", "expected"),
    [
        ("The Quonsar-based firm grew.", "Quonsar", "place_of", LOCATION),
        ("He is the MP for Quonsar East.", "Quonsar East", "place_of", LOCATION),
        ("It bought shares in Quonsar last week.", "Quonsar", "holding_in", ORGANIZATION),
        ("Quonsar's chief executive resigned.", "Quonsar", "holding_in", ORGANIZATION),
    ],
)
def test_what_the_words_around_a_name_say_it_is(text, name, cue, expected):
    from kg.model import PERSON

    start = text.index(name)
    cues = cues_for(text, start, start + len(name), is_sentence_start=False)
    assert cue in cues
    guess = dataclasses.replace(_mention(name, PERSON, *cues), confidence=0.8)
    assert decide_type([guess]) == expected


def test_a_name_a_company_or_person_owns_is_a_product_or_a_work():
    text = "Michael Moore's Fahrenheit 9/11, and Tehran's Imam Airport, and the Party's Holyrood leader."
    found = {}
    for name in ("Fahrenheit 9/11", "Imam Airport", "Holyrood"):
        start = text.index(name)
        found[name] = cues_for(text, start, start + len(name), is_sentence_start=False)
    assert "owner:Michael Moore" in found["Fahrenheit 9/11"]
    assert (
        decide_type([_mention("Fahrenheit 9/11", ORGANIZATION, *found["Fahrenheit 9/11"])])
        == "NONE"
    )
    # a place's "'s" says nothing; nor does an owner when a noun follows the name
    assert decide_type([_mention("Imam Airport", LOCATION, *found["Imam Airport"])]) == LOCATION
    assert decide_type([_mention("Holyrood", ORGANIZATION, *found["Holyrood"])]) == ORGANIZATION


def test_a_country_and_one_common_word_is_no_name():
    text = "He met U.S. Agriculture Secretary Lyng. U.S. Cattle fell; cattle prices too."
    start = text.index("U.S. Agriculture")
    cues = cues_for(text, start, start + 16, is_sentence_start=False)
    assert "next_cap:secretary" in cues
    assert decide_type([_mention("U.S. Agriculture", ORGANIZATION, *cues)]) == "NONE"
    start = text.index("U.S. Cattle")
    cues = cues_for(
        text, start, start + 11, is_sentence_start=True, lower_words=frozenset({"cattle"})
    )
    assert decide_type([_mention("U.S. Cattle", ORGANIZATION, *cues)]) == "NONE"
    assert decide_type([_mention("Indian Express", ORGANIZATION)]) == ORGANIZATION


def test_members_of_a_name_make_it_a_group_and_an_award_is_no_entity():
    from kg.model import PERSON

    text = "He played with members of Led Zeppelin at the Grammy awards."
    start = text.index("Led Zeppelin")
    cues = cues_for(text, start, start + 12, is_sentence_start=False)
    assert "of:members" in cues
    band = dataclasses.replace(_mention("Led Zeppelin", PERSON, *cues), confidence=0.8)
    assert decide_type([band]) == ORGANIZATION
    start = text.index("Grammy")
    cues = cues_for(text, start, start + 6, is_sentence_start=False)
    assert decide_type([_mention("Grammy", PERSON, *cues)]) == "NONE"


def test_investment_in_a_country_does_not_make_it_a_company():
    iran = [
        dataclasses.replace(_mention("Iran", LOCATION, "holding_in"), start=i) for i in range(3)
    ]
    assert decide_type(iran) == LOCATION


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("She won praise for her role in Quiet Harbour.", "Quiet Harbour"),
        ("He had roles in Brass Lantern and Quiet Harbour.", "Quiet Harbour"),
        ("Molly Vane starred in Quiet Harbour.", "Quiet Harbour"),
    ],
)
def test_a_part_in_a_work_is_a_cue_and_says_it_is_no_place(text, name):
    start = text.index(name)
    cues = cues_for(text, start, start + len(name), is_sentence_start=False)
    assert "role_in" in cues
    work = Mention(
        doc_id="d",
        text=name,
        name=name,
        type=LOCATION,
        start=start,
        end=start + len(name),
        locative=True,
        cues=cues,
    )
    assert decide_type([work]) == "NONE"


def test_a_performance_in_a_known_place_is_still_the_place():
    text = "Their performance in France was poor."
    start = text.index("France")
    cues = cues_for(text, start, start + 6, is_sentence_start=False)
    place = Mention(
        doc_id="d",
        text="France",
        name="France",
        type=LOCATION,
        start=start,
        end=start + 6,
        locative=True,
        cues=cues,
    )
    assert decide_type([place]) == LOCATION


@pytest.mark.parametrize(
    ("text", "name", "noun"),
    [
        ("She starred in such films as Brass Lantern and Quiet Harbour.", "Brass Lantern", "film"),
        ("Firms said so. Companies such as Blinkr and Zintel agreed.", "Blinkr", "company"),
        (
            "It showed the new animation The Marvellous Ones last week.",
            "Marvellous Ones",
            "animation",
        ),
    ],
)
def test_the_noun_before_such_as_a_title_or_at_the_start_of_a_sentence(text, name, noun):
    start = text.index(name)
    assert f"before:{noun}" in cues_for(text, start, start + len(name), is_sentence_start=False)


@pytest.mark.parametrize(
    ("text", "name", "ner", "expected"),
    [
        (
            "Crowds came to the Brazilian resort of Porto Vermelho.",
            "Porto Vermelho",
            ORGANIZATION,
            LOCATION,
        ),
        (
            "Voters in the suburb of Eastmoor Green were asked.",
            "Eastmoor Green",
            ORGANIZATION,
            LOCATION,
        ),
        ("It will run on the next version of Glasswing.", "Glasswing", LOCATION, "NONE"),
        ("The Broadway revival of Glass Harbour opens.", "Glass Harbour", ORGANIZATION, "NONE"),
        ("Voters in Ravenhall borough were asked.", "Ravenhall", "Person", LOCATION),
        ("A Moriston poll this summer found that.", "Moriston", "Person", ORGANIZATION),
        ("The Glimmer-winning film was shown.", "Glimmer", "Person", "NONE"),
        ("Cold Harbour actor Ewan Black was tipped.", "Cold Harbour", ORGANIZATION, "NONE"),
    ],
)
def test_nouns_before_of_and_after_a_name_and_award_suffixes(text, name, ner, expected):
    start = text.index(name)
    cues = cues_for(text, start, start + len(name), is_sentence_start=False)
    assert decide_type([_mention(name, ner, *cues)]) == expected


def test_a_place_is_not_read_from_an_actor_after_it():
    text = "Hollywood actor Kevin Bacon won."
    cues = cues_for(text, 0, 9, is_sentence_start=True)
    assert decide_type([_mention("Hollywood", LOCATION, *cues)]) == LOCATION


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Quonsar Film Award", "NONE"),
        ("Silver Cup Trophy", "NONE"),
        ("Value Added Tax", "NONE"),
        ("Human Rights Act", "NONE"),
        ("Stata Labs", ORGANIZATION),
    ],
)
def test_award_tax_and_law_head_words(name, expected):
    assert decide_type([_mention(name, "Person")]) == expected
