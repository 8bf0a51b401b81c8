"""Names NER left untagged, typed by a cue (kg/extract/untagged.py), on sentences of our own."""

from __future__ import annotations

import pytest

from kg.extract.entities import RawSpan
from kg.extract.untagged import given_name_ends, untagged_names
from kg.model import ORGANIZATION, PERSON

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def found(nlp, text: str, spans=()) -> set[tuple[str, str, str]]:
    """(name, type, cue) of each candidate, NER's spans given by hand."""
    return {(text[c.start : c.end], c.type, c.cue) for c in untagged_names(nlp(text), spans)}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Fans cheered when All Black Aaron Mauger crossed the line.", "Aaron Mauger"),
        ("The home side rallied late and Casey Laulala scored.", "Casey Laulala"),
    ],
)
def test_a_given_name_and_a_surname_name_a_person(nlp, text, name):
    assert (name, PERSON, "given_name") in found(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "The crowd sang a verse and Auld Lang Syne before midnight.",  # a rare given name
        "The makers said fans of Star Wars would buy it.",  # a plural, no surname
        "Sales of Dell Computers rose, and computers sold well.",  # a common word
        "He met Mark Street in the morning.",  # "Street" names places
        "She worked with him on Harvey Milton, a comedy.",  # "on" or "in" a work
        "The diminutive Roman Catholic missionary spoke.",  # a modifier of "missionary"
    ],
)
def test_no_person_without_a_given_name_and_a_surname(nlp, text):
    assert not {f for f in found(nlp, text) if f[1] == PERSON}


def test_a_given_name_alone_takes_in_the_surname_ner_left_out(nlp):
    text = "Mike Hobday, from the charity, said the figures were clear."
    spans = [RawSpan(0, 4, "PERSON"), RawSpan(5, 11, "DATE")]
    assert given_name_ends(nlp(text), spans) == {0: 11}
    text = "Mike Thursday said so."  # a weekday is no surname
    assert given_name_ends(nlp(text), [RawSpan(0, 4, "PERSON")]) == {}


@pytest.mark.parametrize(
    ("text", "name", "cue"),
    [
        ("Her favourite song was recorded by the band Queen in 1975.", "Queen", "before:band"),
        (
            "Growth will slow, said Kurt Karl, economist at Swiss Re in Zurich.",
            "Swiss Re",
            "works_at",
        ),
        (
            "The story ran in the newspaper Daily Planet on Monday.",
            "Daily Planet",
            "before:newspaper",
        ),
    ],
)
def test_a_noun_in_apposition_says_what_the_name_is(nlp, text, name, cue):
    assert (name, ORGANIZATION, cue) in found(nlp, text)


def test_no_organization_after_a_noun_of_works(nlp):
    assert not found(nlp, "She starred in the film Closer last year.")
    assert not found(nlp, "He read it in the newspaper Guardian.", [RawSpan(28, 36, "ORG")])


def test_an_acronym_defined_after_a_name_makes_it_a_name(nlp):
    text = "Figures from the Association of Card Payment Services (ACPS) rose on Monday."
    assert ("Association of Card Payment Services", ORGANIZATION, "acronym") in found(nlp, text)
    text = "Talks under the New Rules of Trade (GATT) resumed."  # the letters do not match
    assert not {f for f in found(nlp, text) if f[2] == "acronym"}
    text = "Cows caught Bovine Spongy Encephalitis (BSE) last year."  # no organization word
    assert not {f for f in found(nlp, text) if f[2] == "acronym"}


def test_untagged_names_become_mentions_and_nodes(extract):
    mentions, _ = extract("Growth will slow, said Kurt Karl, economist at Swiss Re in Zurich.")
    by_name = {m.name: m for m in mentions}
    assert by_name["Swiss Re"].type == ORGANIZATION
    assert "Switzerland" not in by_name  # the NORP "Swiss" is part of the name
    mentions, _ = extract("Figures from the Association of Card Payment Services (ACPS) rose.")
    assert {m.name for m in mentions if m.text == "ACPS"} == {
        "Association of Card Payment Services"
    }


def test_a_name_missed_in_a_list_of_people_is_a_person(nlp):
    text = "Tales came from Edgar Allan Poe, E Nesbit and Ambrose Bierce on the radio."
    spans = [RawSpan(16, 31, "PERSON"), RawSpan(46, 60, "PERSON")]
    assert ("E Nesbit", PERSON, "list") in found(nlp, text, spans)
    spans = [RawSpan(16, 31, "PERSON"), RawSpan(46, 60, "GPE")]  # a list of mixed names
    assert not found(nlp, text, spans)


def test_a_run_ending_in_an_organization_word_is_an_organization(nlp):
    text = "Funds for the Internal Revenue Service were cut."
    assert "Internal Revenue Service" not in {f[0] for f in found(nlp, text)}  # weak head
    text = "Shares in Acme Widgets Ltd rose."
    assert ("Acme Widgets Ltd", ORGANIZATION, "head") in found(nlp, text)
    text = "He said the British Government was wrong."  # a nationality and a head
    assert not found(nlp, text, [RawSpan(12, 19, "NORP")])


def test_a_party_named_by_its_members_is_the_party(nlp, extract):
    text = "Spending rose, second only to the Tories' total."
    assert [(c.type, c.name) for c in untagged_names(nlp(text), [])] == [
        (ORGANIZATION, "Conservative Party")
    ]
    assert not found(nlp, "The Tory plans were costed.")  # an adjective
    mentions, _ = extract("Spending rose, second only to the Tories' total.")
    assert "Conservative Party" in {m.name for m in mentions if m.text == "Tories"}


def test_a_mislabelled_nationality_span_can_hold_a_name(nlp):
    text = "It was set up by the browser maker Zetascape in 1998."
    assert ("Zetascape", ORGANIZATION, "before:maker") in found(
        nlp, text, [RawSpan(35, 44, "NORP")]
    )
    text = "It was bought by the Swiss in 1998."  # a nationality word stays one
    assert not found(nlp, text, [RawSpan(21, 26, "NORP")])


def test_a_pronoun_after_a_noun_is_no_name(nlp):
    assert not found(nlp, "It will always be a club I love.")


def test_no_name_of_a_work_or_a_people_from_a_list(nlp):
    text = "He has worked with Hanks on Harvey Milton and Castaway."
    assert not found(nlp, text, [RawSpan(48, 56, "ORG")])
    text = "We want Newlanders and Old Columbians and Albertans to gain."
    spans = [RawSpan(8, 18, "ORG"), RawSpan(23, 37, "ORG"), RawSpan(42, 51, "NORP")]
    assert not found(nlp, text, spans)


def test_each_name_of_a_run_cut_at_and_is_read(nlp):
    text = "The film studios Zentra and Nordwick Pictures signed up."
    assert {(f[0], f[1]) for f in found(nlp, text)} == {
        ("Zentra", ORGANIZATION),
        ("Nordwick Pictures", ORGANIZATION),
    }
