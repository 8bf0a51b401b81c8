"""Entity span scoring and error classes on hand-made spans; CoNLL-2003 article splitting."""

from __future__ import annotations

from dataclasses import replace

from kg.evaluation.alignment import TokenText
from kg.evaluation.conll2003 import iob_document, is_dateline, split_articles
from kg.evaluation.ner import NerDocument, score_ner
from kg.evaluation.predictions import Predicted, Prediction
from kg.evaluation.spans import (
    GoldSpan,
    PredictedSpan,
    lenient_table,
    predicted_spans,
    recall_by_label,
    span_errors,
    strict_table,
)

TEXT = TokenText.join([["President", "Joe", "Biden", "met", "NATO", "in", "Brussels", "."]])
GOLD = [
    GoldSpan(0, 1, 3, "Person", "PER"),  # Joe Biden
    GoldSpan(0, 4, 5, "Organization", "ORG"),  # NATO
    GoldSpan(0, 6, 7, "Location", "LOC"),  # Brussels
]


def test_strict_and_lenient_tables():
    predicted = [
        PredictedSpan(0, 0, 3, "Person"),  # boundary: title kept
        PredictedSpan(0, 4, 5, "Location"),  # wrong type
        PredictedSpan(0, 6, 7, "Location"),  # right
    ]
    strict = strict_table(GOLD, predicted)
    assert strict.micro().tp == 1 and strict.micro().fp == 2 and strict.micro().fn == 2
    lenient = lenient_table(GOLD, predicted)
    assert lenient["Person"].tp == 1  # overlap counts
    assert lenient["Organization"].fn == 1 and lenient["Location"].fp == 1


def test_a_span_cut_inside_a_token_is_never_strictly_right():
    predicted = [PredictedSpan(0, 6, 7, "Location", exact=False)]
    assert strict_table(GOLD, predicted)["Location"].tp == 0
    assert lenient_table(GOLD, predicted)["Location"].tp == 1


def test_error_classes_say_what_went_wrong():
    predicted = [
        PredictedSpan(0, 0, 3, "Person", extractor="entities"),
        PredictedSpan(0, 4, 5, "Location", extractor="entities"),
        PredictedSpan(0, 3, 4, "Organization", extractor="x"),  # "met": nothing in gold
    ]
    errors = span_errors(GOLD, predicted, [TEXT], ids=["d"])
    counts = errors["counts"]
    assert counts["FP boundary (longer)"] == 1
    assert counts["FN boundary (longer)"] == 1
    assert counts["FP wrong type"] == 1 and counts["FN wrong type"] == 1
    assert counts["FP spurious"] == 1
    assert counts["FN missed"] == 1  # Brussels
    assert errors["type_confusions"] == {"Organization→Location": 1}
    assert errors["false_positives_by_extractor"] == {"entities": 2, "x": 1}
    example = errors["examples"]["FN missed"][0]
    assert example["gold"] == "Brussels [Location]" and "met NATO" in example["context"]


def test_focus_leaves_other_types_out_of_the_error_classes():
    gold = [*GOLD, GoldSpan(0, 3, 4, "MISC", "MISC")]
    errors = span_errors(gold, [], [TEXT], ids=["d"], focus=["Person"])
    assert errors["counts"] == {"FN missed": 1}


def test_predicted_spans_map_types_and_drop_what_the_scheme_does_not_score():
    mentions = [
        Predicted(TEXT.starts[1], TEXT.ends[2], "Person", "p", "Joe Biden"),
        Predicted(TEXT.starts[1], TEXT.ends[2], "Person", "p", "Joe Biden", extractor="other"),
        Predicted(TEXT.starts[4], TEXT.ends[4], "Event", "e", "NATO"),  # Event → MISC (CoNLL-2003)
        Predicted(TEXT.starts[6], TEXT.ends[6], "Date", "d", "Brussels"),  # not scored
    ]
    spans = predicted_spans(0, mentions, TEXT, "conll2003", ["Person", "MISC"])
    assert [(s.start, s.end, s.type) for s in spans] == [(1, 3, "Person"), (4, 5, "MISC")]


def test_recall_by_gold_label():
    gold = [GoldSpan(0, 1, 3, "Person", "politician"), GoldSpan(0, 4, 5, "Person", "person")]
    recall = recall_by_label(gold, [PredictedSpan(0, 1, 3, "Person")])
    assert recall == {
        "person": {"n": 1, "found": 0, "recall": 0.0},
        "politician": {"n": 1, "found": 1, "recall": 1.0},
    }


def test_score_ner_from_predictions_end_to_end():
    document = NerDocument("d", TEXT, ((1, 3, "PER"), (4, 5, "ORG"), (6, 7, "LOC"), (0, 1, "MISC")))
    prediction = Prediction(
        "d",
        mentions=[
            Predicted(TEXT.starts[1], TEXT.ends[2], "Person", "p", "Joe Biden"),
            Predicted(TEXT.starts[4], TEXT.ends[4], "Organization", "o", "NATO"),
        ],
    )
    strict, lenient, by_label, errors = score_ner([document], [prediction], "conll2003")
    assert strict.micro(["Person", "Organization", "Location"]).as_dict()["f1"] == 0.8
    assert strict["MISC"].fn == 1
    assert by_label["LOC"]["found"] == 0
    assert errors["counts"]["FN missed"] == 2


def test_ner_scoring_counts_names_not_demonyms_or_described_events():
    text = TokenText.join([["The", "German", "elections", "were", "held", "."]])
    document = NerDocument("d", text, ((1, 2, "MISC"),))
    described = Predicted(text.starts[2], text.ends[2], "Event", "e", "elections")
    german = Predicted(text.starts[1], text.ends[1], "Location", "l", "Germany")
    as_names = Prediction("d", mentions=[described, german])
    strict, _, _, _ = score_ner([document], [as_names], "conll2003")
    assert strict["MISC"].fp == 1 and strict["Location"].fp == 1  # both scored as names
    not_names = Prediction(
        "d", mentions=[replace(described, description=True), replace(german, demonym=True)]
    )
    strict, _, _, _ = score_ner([document], [not_names], "conll2003")
    assert strict["MISC"].fp == 0 and strict["Location"].fp == 0 and strict["MISC"].fn == 1


def test_articles_split_at_the_headline_before_each_dateline():
    sentence = lambda *words: (list(words), ["O"] * len(words))  # noqa: E731
    sentences = [
        sentence("SOCCER", "-", "RESULTS", "."),
        sentence("LONDON", "1996-08-30"),
        sentence("Arsenal", "won", "."),
        sentence("TENNIS", "-", "NEWS", "."),
        sentence("NEW", "YORK", "1996-08-31"),
        sentence("Sampras", "lost", "."),
    ]
    assert is_dateline(["NEW", "YORK", "1996-08-31"]) and not is_dateline(["1996-08-31"])
    articles = split_articles(sentences)
    assert [len(a) for a in articles] == [3, 3]
    assert articles[1][0][0][0] == "TENNIS"


def test_iob_document_offsets_spans_by_sentence():
    document = iob_document(
        "x",
        [
            (["LONDON", "1996-08-30"], ["B-LOC", "O"]),
            (["Tony", "Blair", "spoke"], ["B-PER", "I-PER", "O"]),
        ],
    )
    assert document.text.text == "LONDON 1996-08-30\nTony Blair spoke"
    assert document.spans == ((0, 1, "LOC"), (2, 4, "PER"))
    assert document.text.span_text(2, 4) == "Tony Blair"
