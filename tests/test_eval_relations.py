"""Relation scorers on hand-made gold: CoNLL04 labels and Re-DocRED Wikidata triples."""

from __future__ import annotations

import json

import pytest

from kg.evaluation.alignment import TokenText
from kg.evaluation.baseline import cooccurrence
from kg.evaluation.conll04 import (
    GoldSentence,
    Relation,
    Side,
    baseline_signatures,
    gold_relations,
    lenient_table,
    predicted_relations,
    read_spert,
    relation_errors,
    relation_label,
    strict_by_label,
)
from kg.evaluation.labels import conll04_relations, mapped_properties, property_rules
from kg.evaluation.predictions import Predicted, PredictedFact, Prediction
from kg.evaluation.redocred import (
    GoldDocument,
    Triple,
    align_entities,
    object_kind,
    predicted_triples,
    score_document,
)

TOKENS = ["John", "Wilkes", "Booth", ",", "who", "assassinated", "President", "Lincoln", ",",
          "worked", "for", "Ford", "Motor", "in", "Detroit", "."]  # fmt: skip
TEXT = TokenText.join([TOKENS])


def mention(first: int, last: int, kind: str, entity: str | None = None) -> Predicted:
    start, end = TEXT.chars(first, last)
    return Predicted(start, end, kind, entity or TEXT.text[start:end], TEXT.text[start:end])


BOOTH = mention(0, 3, "Person")
LINCOLN = mention(7, 8, "Person")  # our name drops the title "President"
FORD = mention(11, 13, "Organization")
DETROIT = mention(14, 15, "Location")
SENTENCE = GoldSentence(
    "s",
    TEXT,
    entities=((0, 3, "Peop"), (6, 8, "Peop"), (11, 13, "Org"), (14, 15, "Loc")),
    relations=((0, "Kill", 1), (0, "Work_For", 2), (2, "OrgBased_In", 3)),
)


def fact(subject, relation, obj, confidence=0.9, open=False):
    return PredictedFact(subject, relation, obj, confidence, open=open, extractor="t")


@pytest.mark.parametrize(
    ("relation", "open", "subject", "obj", "label"),
    [
        ("affiliatedWith", False, BOOTH, FORD, "Work_For"),
        ("leaderOf", False, BOOTH, FORD, "Work_For"),
        ("locatedIn", False, FORD, DETROIT, "OrgBased_In"),
        ("locatedIn", False, DETROIT, DETROIT, "Located_In"),
        ("residence", False, BOOTH, DETROIT, "Live_In"),
        ("assassinate", True, BOOTH, LINCOLN, "Kill"),
        ("shoot_at", True, BOOTH, LINCOLN, "Kill"),
        ("kill", False, BOOTH, LINCOLN, None),  # a typed "kill" is not the open relation
        ("meet", True, BOOTH, LINCOLN, None),
        ("affiliatedWith", False, BOOTH, DETROIT, None),  # types do not fit Work_For
    ],
)
def test_relation_labels_follow_the_mapping_file(relation, open, subject, obj, label):
    assert relation_label(fact(subject, relation, obj, open=open), conll04_relations()) == label


def test_strict_needs_exact_spans_and_types_lenient_needs_overlap():
    gold = gold_relations([SENTENCE])
    facts = [
        fact(BOOTH, "kill", LINCOLN, open=True),  # Lincoln without "President": strict miss
        fact(BOOTH, "affiliatedWith", FORD),  # right
        fact(FORD, "locatedIn", DETROIT),  # right
        fact(BOOTH, "residence", DETROIT),  # not in gold
    ]
    predicted = predicted_relations(0, TEXT, facts)
    strict = strict_by_label(gold, predicted)
    assert (strict["Work_For"].tp, strict["OrgBased_In"].tp) == (1, 1)
    assert (strict["Kill"].fp, strict["Kill"].fn, strict["Live_In"].fp) == (1, 1, 1)
    micro = strict.micro()
    assert (micro.tp, micro.fp, micro.fn) == (2, 2, 1)
    lenient = lenient_table(gold, predicted)
    assert lenient["Kill"].tp == 1 and lenient.micro().tp == 3


def test_wrong_entity_type_fails_strict_matching():
    gold = gold_relations([SENTENCE])
    as_location = Predicted(FORD.start, FORD.end, "Location", "ford", "Ford Motor")
    predicted = predicted_relations(0, TEXT, [fact(as_location, "locatedIn", DETROIT)])
    assert [p.label for p in predicted] == ["Located_In"]
    assert strict_by_label(gold, predicted).micro().tp == 0


def test_relation_errors_are_classified():
    gold = gold_relations([SENTENCE])
    facts = [
        fact(BOOTH, "kill", LINCOLN, open=True),
        fact(BOOTH, "affiliatedWith", FORD),
        fact(BOOTH, "residence", DETROIT),
    ]
    predicted = predicted_relations(0, TEXT, facts)
    prediction = Prediction("s", mentions=[BOOTH, LINCOLN, FORD, DETROIT])
    errors = relation_errors([SENTENCE], gold, predicted, [prediction])
    assert errors["counts"] == {
        "FP entity boundary": 1,  # Lincoln vs President Lincoln
        "FN one entity not found": 1,  # the same Kill, seen from gold
        "FN no relation predicted": 1,  # Ford is based in Detroit
        "FP no gold relation between them": 1,  # Booth lives in Detroit
    }
    assert errors["predictions_by_relation"]["Work_For ← affiliatedWith/t tp"] == 1


def test_same_relation_found_twice_counts_once():
    facts = [fact(BOOTH, "affiliatedWith", FORD, 0.6), fact(BOOTH, "leaderOf", FORD, 0.9)]
    predicted = predicted_relations(0, TEXT, facts)
    assert len(predicted) == 1 and predicted[0].confidence == 0.9


def test_read_spert(tmp_path):
    path = tmp_path / "tiny.json"
    record = {"tokens": TOKENS, "entities": [{"type": "Peop", "start": 0, "end": 3},
              {"type": "Peop", "start": 6, "end": 8}], "relations": [{"type": "Kill", "head": 0, "tail": 1}]}  # fmt: skip
    path.write_text(json.dumps([record]), encoding="utf-8")
    [sentence] = read_spert(path)
    [relation] = gold_relations([sentence])
    assert relation == Relation(0, Side(0, 3, "Person"), "Kill", Side(6, 8, "Person"))


def test_baseline_pairs_every_compatible_pair_in_a_sentence():
    signatures = baseline_signatures()
    assert ("affiliatedWith", "Person", "Organization", False) in signatures
    assert sum(1 for s in signatures if s[3]) == 1  # one open "kill" row suffices
    other = Predicted(0, 1, "Person", "other", "X", sentence=1)
    mentions = [
        Predicted(BOOTH.start, BOOTH.end, "Person", "booth", "Booth", sentence=0),
        Predicted(FORD.start, FORD.end, "Organization", "ford", "Ford", sentence=0),
        other,
    ]
    facts = list(cooccurrence(mentions, signatures))
    assert [(f.subject.entity, f.relation, f.object.entity) for f in facts] == [
        ("booth", "affiliatedWith", "ford")
    ]


# --------------------------------------------------------------------------- Re-DocRED

DOC_TEXT = TokenText.join(
    [["Angela", "Merkel", "leads", "the", "CDU", "."], ["Merkel", "lives", "in", "Germany", "."]],
    sentence_separator=" ",
)
DOC = GoldDocument(
    "d",
    "t",
    DOC_TEXT,
    vertices=(
        ("Person", ((0, 2), (6, 7))),  # 0 Angela Merkel / Merkel
        ("Organization", ((4, 5),)),  # 1 CDU
        ("Location", ((9, 10),)),  # 2 Germany
    ),
    triples=frozenset({(1, "P488", 0), (0, "P27", 2), (0, "P102", 1), (0, "P19", 2)}),
)


def doc_mention(first: int, last: int, kind: str, entity: str) -> Predicted:
    start, end = DOC_TEXT.chars(first, last)
    return Predicted(start, end, kind, entity, DOC_TEXT.text[start:end])


def test_an_entity_aligns_through_any_exact_mention():
    mentions = [
        doc_mention(1, 2, "Person", "merkel"),  # "Merkel" inside "Angela Merkel": no exact match
        doc_mention(6, 7, "Person", "merkel"),  # exact second mention
        doc_mention(3, 5, "Organization", "cdu"),  # "the CDU": overlaps only
    ]
    assert align_entities(DOC, mentions, lenient=False) == {"merkel": 0}
    assert align_entities(DOC, mentions, lenient=True) == {"merkel": 0, "cdu": 1}


def test_facts_become_wikidata_triples_by_the_mapping_rows():
    merkel = doc_mention(6, 7, "Person", "merkel")
    cdu = doc_mention(4, 5, "Organization", "cdu")
    germany = doc_mention(9, 10, "Location", "germany")
    aligned = {"merkel": 0, "cdu": 1, "germany": 2}
    facts = [
        fact(merkel, "leaderOf", cdu),  # inverse: (CDU, P488, Merkel)
        fact(merkel, "nationality", germany),
        fact(merkel, "affiliatedWith", cdu),  # CDU is no party by name: P108|P463
        fact(merkel, "role", germany),  # unscorable row: no triple
    ]
    triples = predicted_triples(facts, [merkel, cdu, germany], aligned)
    assert {(t.head, t.properties, t.tail) for t in triples} == {
        (1, ("P488",), 0),
        (0, ("P27",), 2),
        (0, ("P108", "P463"), 1),
    }
    matched = score_document(DOC, triples, mapped_properties())
    assert (matched.table["P488"].tp, matched.table["P27"].tp) == (1, 1)
    assert matched.table["P108|P463"].fp == 1  # a miss with alternatives is charged to the group
    assert matched.table["P108"].fp == 0
    assert matched.missed == [(0, "P102", 1)]  # P19 is not a mapped property: not counted


def test_alternatives_cover_one_gold_triple_only():
    document = GoldDocument(
        "d", "t", DOC_TEXT, DOC.vertices, frozenset({(1, "P17", 2), (1, "P131", 2)})
    )
    triple = Triple(1, ("P17", "P131"), 2, 0.9, "locatedIn/t")
    matched = score_document(document, [triple], mapped_properties())
    micro = matched.table.micro()
    assert (micro.tp, micro.fp, micro.fn) == (1, 0, 1)


def test_unaligned_entities_never_match():
    triple = Triple("person/someone", ("P27",), 2, 0.9, "nationality/t")
    matched = score_document(DOC, [triple], mapped_properties())
    assert matched.table["P27"].fp == 1 and matched.table["P27"].fn == 1


def test_object_kind_and_the_mapping_file():
    assert object_kind(["Germany"]) == "country"
    assert object_kind(["Christian Democratic Party"]) == "party"
    assert object_kind(["Siemens"]) == "other"
    assert {"P39", "P50", "P17", "P131", "P1344"} <= set(mapped_properties())
    unscorable = {r.relation for r in property_rules() if not r.scorable}
    assert unscorable == {"role", "author"}


def test_property_rows_charge_wrong_alternatives_to_the_micro_average():
    from kg.evaluation.redocred import _property_rows, scored_labels
    from kg.evaluation.scoring import ScoreTable

    table = ScoreTable()
    table.add("P27", tp=2, fn=2)
    table.add("P108|P463", fp=2)
    rows = {
        row["name"]: row["pipeline"]
        for row in _property_rows({"pipeline": table}, scored_labels(mapped_properties()))
    }
    assert rows["micro"]["fp"] == 2 and rows["micro"]["precision"] == 0.5
    assert rows["P108|P463 (wrong, unresolved)"]["fp"] == 2
    assert rows["P27 citizenship"]["precision"] == 1.0
