"""kg/extract/syntax.py: the parse helpers the extractors share."""

from __future__ import annotations

from kg.extract.syntax import all_conjuncts, conjuncts, prep_objects


def _token(doc, text):
    return next(t for t in doc if t.text == text)


def test_prep_objects_take_the_objects_of_the_named_prepositions_in_order(nlp):
    met = _token(nlp("Baker met with Miyazawa in Tokyo on Sunday."), "met")
    assert [t.text for t in prep_objects([met], ("with",))] == ["Miyazawa"]
    assert [t.text for t in prep_objects([met], ("in", "with"))] == ["Miyazawa", "Tokyo"]
    assert prep_objects([met], ("for",)) == []


def test_prep_objects_look_under_every_head_given(nlp):
    doc = nlp("Baker hosted a dinner for Lawson.")
    hosted, dinner = _token(doc, "hosted"), _token(doc, "dinner")
    assert prep_objects([hosted], ("for",)) == []  # "for" hangs on the noun here
    assert [t.text for t in prep_objects([hosted, dinner], ("for",))] == ["Lawson"]


def test_all_conjuncts_run_past_and_where_conjuncts_stop(nlp):
    canada = _token(nlp("Talks between Canada and Japan, Britain, France were held."), "Canada")
    assert [t.text for t in conjuncts(canada)] == ["Canada", "Japan"]
    assert [t.text for t in all_conjuncts(canada)] == ["Canada", "Japan", "Britain"]
