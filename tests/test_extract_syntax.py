"""kg/extract/syntax.py: the parse helpers the extractors share."""

from __future__ import annotations

from kg.documents import document_from_text
from kg.extract.context import DocContext
from kg.extract.syntax import all_conjuncts, conjuncts, doc_text, keep_text, prep_objects


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


def test_doc_text_is_the_docs_text_made_once_or_the_string_parsed(nlp):
    text = "Talks  began.\n\nBaker left on Monday. "
    doc = nlp(text)
    assert doc_text(doc) == doc.text == text
    assert doc_text(doc) is doc_text(doc)  # kept, not rebuilt
    parsed = nlp(text)
    keep_text(parsed, text)
    assert doc_text(parsed) is text
    other = nlp("Baker left.")
    keep_text(other, "Not the text it was parsed from.")  # ends elsewhere: not kept
    assert doc_text(other) == "Baker left."


def test_context_sentences_are_what_token_sent_gives(nlp):
    text = "Baker met Lawson in Tokyo.  Talks went on;\n\nthen   they left. Prices rose."
    doc = nlp(text)
    ctx = DocContext(document=document_from_text(text), doc=doc)
    for token in doc:
        found = ctx.sentence_of(token.idx)
        assert (found.start, found.end) == (token.sent.start, token.sent.end)
        assert ctx.sentence_of_token(token.i).start == token.sent.start
        assert ctx.sentence_text(found) == " ".join(token.sent.text.split())
    assert ctx.sentence_starts == [s.start for s in doc.sents]
