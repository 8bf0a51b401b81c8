"""How one NER span becomes a mention (kg.extract.entities.clean_span), on a blank
pipeline: the spans are given, as NER would give them, so no model is needed."""

from __future__ import annotations

import spacy

from kg.documents import document_from_text
from kg.extract import DocContext
from kg.extract.entities import RawSpan, clean_span
from kg.model import LOCATION, ORGANIZATION, PERSON


def mentions(text: str, surface: str, label: str):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ctx = DocContext(document=document_from_text(text), doc=nlp(text))
    start = text.index(surface)
    return list(clean_span(ctx, RawSpan(start, start + len(surface), label)))


def test_an_honorific_before_one_word_makes_a_person_whatever_ner_said():
    (mention,) = mentions("The court heard that Mr Ebbers was not responsible.", "Mr Ebbers", "ORG")
    assert (mention.type, mention.name) == (PERSON, "Ebbers")


def test_a_title_word_before_one_word_of_an_organization_stays_an_organization():
    (mention,) = mentions("Shares in General Motors rose.", "General Motors", "ORG")
    assert (mention.type, mention.name) == (ORGANIZATION, "General Motors")


def test_a_glued_former_before_a_place_is_that_place_and_before_anything_else_nothing():
    (mention,) = mentions("Ex-US President Donald Trump spoke.", "Ex-US", "ORG")
    assert (mention.type, mention.name, mention.text) == (LOCATION, "United States", "US")
    assert mentions("The ex-Labour adviser spoke.", "ex-Labour", "ORG") == []


def test_a_headline_in_capitals_is_no_name_but_a_place_in_capitals_is():
    text = "LEADER JOINS MINERS FAST\nThe union leader joins the miners in a fast.\n"
    assert mentions(text, "LEADER JOINS MINERS FAST", "PERSON") == []
    text = "UNITED STATES SAYS NO\nThe united front states its case in La Paz.\n"
    (place,) = mentions(text, "UNITED STATES", "GPE")
    assert (place.type, place.name) == (LOCATION, "United States")


def test_an_organization_span_ending_in_a_given_name_and_surname_is_split():
    from kg.extract.entities import split_trailing_persons

    text = "He will meet the President of the European Council Charles Michel today."
    surface = "European Council Charles Michel"
    (org,) = mentions(text, surface, "ORG")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ctx = DocContext(document=document_from_text(text), doc=nlp(text))
    split = split_trailing_persons(ctx, [org])
    assert [(m.type, m.name, text[m.start : m.end]) for m in split] == [
        (ORGANIZATION, "European Council", "European Council"),
        (PERSON, "Charles Michel", "Charles Michel"),
    ]
    # no organization word before the given name: the span stays whole
    (other,) = mentions(
        "Shares in Acme Holdings Charles Michel fell.", "Acme Holdings Charles Michel", "ORG"
    )
    assert split_trailing_persons(ctx, [other]) == [other]


def test_a_nationality_and_a_political_leaning_describe_a_person_not_an_organization():
    text = "Another comment comes from Croatian Socialist MEP Tonino Picula."
    assert mentions(text, "Croatian Socialist", "ORG") == []
    (party,) = mentions("He joined Scottish Labour in 1990.", "Scottish Labour", "ORG")
    assert (party.type, party.name) == (ORGANIZATION, "Scottish Labour")


def test_a_treaty_name_cut_in_two_by_ner_is_one_name():
    from kg.extract.entities import join_instrument_names

    text = "It should accede to the United Nations Treaty on the Prohibition of Nuclear Weapons, he said."
    first, second = "United Nations Treaty", "the Prohibition of Nuclear Weapons"
    spans = [
        RawSpan(text.index(first), text.index(first) + len(first), "ORG"),
        RawSpan(text.index(second), text.index(second) + len(second), "ORG"),
    ]
    (joined,) = join_instrument_names(spans, text)
    assert text[joined.start : joined.end] == (
        "United Nations Treaty on the Prohibition of Nuclear Weapons"
    )
    text = "The Labour Party on the BBC said no."  # no treaty word: two names
    spans = [RawSpan(4, 17, "ORG"), RawSpan(25, 28, "ORG")]
    assert join_instrument_names(spans, text) == spans


def test_a_trailing_title_is_stripped_only_when_written_in_capitals():
    (mention,) = mentions("The musician Kristin King was there.", "Kristin King", "PERSON")
    assert mention.name == "Kristin King"
    (mention,) = mentions("The lawyer Andrew Nicol QC was there.", "Andrew Nicol QC", "PERSON")
    assert (mention.name, mention.role) == ("Andrew Nicol", "QC")
