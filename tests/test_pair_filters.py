"""What the relation classifier must not read as a fact: sentence → the pair left out."""

from __future__ import annotations

import pytest

from kg.extract import pair_filters

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def spans(nlp, text: str, first: str, second: str):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    a, b = text.index(first), text.index(second)
    return doc.char_span(a, a + len(first)), doc.char_span(b, b + len(second))


def test_a_name_that_modifies_another_noun_is_not_the_subjects(nlp):
    subject, obj = spans(
        nlp,
        "Maria Lopez, an analyst at Acme, told the Herald's business programme.",
        "Maria Lopez",
        "Herald",
    )
    assert pair_filters.modifies_other(subject, obj)
    assert pair_filters.unrelated("affiliatedWith", subject, obj)


def test_a_place_before_a_title_in_the_subjects_phrase_is_kept(nlp):
    subject, obj = spans(
        nlp, "Ohio Governor Tom Baker signed the bill on Monday.", "Tom Baker", "Ohio"
    )
    assert not pair_filters.modifies_other(subject, obj)
    assert not pair_filters.unrelated("residence", subject, obj)


def test_a_medium_spoken_to_is_no_employer(nlp):
    subject, obj = spans(
        nlp,
        "Speaking on Radio Nova, Mr Quinn declined to comment on the reports.",
        "Quinn",
        "Radio Nova",
    )
    assert pair_filters.addressed(obj)
    speaker, group = spans(
        nlp, "Walesa said Solidarity wants to avoid unrest.", "Walesa", "Solidarity"
    )
    assert not pair_filters.addressed(group)  # the organization speaks itself


def test_an_owner_is_not_related_to_what_the_sentence_names(nlp):
    subject, obj = spans(
        nlp,
        "A Labour Party spokesman criticised John Smith's record.",
        "John Smith",
        "Labour Party",
    )
    assert pair_filters.only_owns(subject)


def test_a_dateline_is_where_the_story_was_filed(nlp):
    text = "PARIS, May 4 - Finance Minister Jean Dupont said the franc was stable."
    subject, obj = spans(nlp, text, "Jean Dupont", "PARIS")
    assert pair_filters.dateline(obj)
    assert pair_filters.unrelated("residence", subject, obj)
    subject, obj = spans(nlp, "Jean Dupont has lived in Paris since 1990.", "Jean Dupont", "Paris")
    assert not pair_filters.dateline(obj)


def test_the_place_of_an_occasion_is_no_residence(nlp):
    subject, obj = spans(
        nlp, "Dupont stressed that his talks in Madrid last week went well.", "Dupont", "Madrid"
    )
    assert pair_filters.scene_of_occasion(obj)


def test_a_headline_in_capitals_is_left_alone_but_a_capital_city_line_is_not_one(nlp):
    doc = nlp("DUPONT REJECTS BONN SUGGESTION OF NEW PLAN")
    assert pair_filters.headline(doc[:])
    assert not pair_filters.headline(nlp("GRAND RAPIDS, Mich.")[:])


def test_a_work_after_for_is_no_employer_but_an_executive_with_a_firm_is(nlp):
    subject, obj = spans(
        nlp,
        "Nominees include Ana Silva for Blue Harbour and Tom Reyes for Night Train.",
        "Tom Reyes",
        "Night Train",
    )
    assert pair_filters.work_or_prize(subject, obj)
    subject, obj = spans(
        nlp,
        "James Hall, an executive with Titan Systems, said the test failed.",
        "James Hall",
        "Titan Systems",
    )
    assert not pair_filters.work_or_prize(subject, obj)


def test_a_city_based_firm_is_that_firm_s_place_only(nlp):
    text = "A tie-up between Barclays and Ohio-based Midwest Bank would be large."
    subject, obj = spans(nlp, text, "Barclays", "Ohio")
    assert pair_filters.based_elsewhere(subject, obj)
    subject, obj = spans(nlp, text, "Midwest Bank", "Ohio")
    assert not pair_filters.based_elsewhere(subject, obj)


def test_two_names_side_by_side_are_one_name(nlp):
    subject, obj = spans(nlp, "Maciej Sundra designed the screen.", "Sundra", "Maciej")
    assert pair_filters.side_by_side(subject, obj)
