"""Scorers on tiny hand-made gold cases: counts, averages, strict and lenient matching."""

from __future__ import annotations

import pytest

from kg.evaluation.alignment import TokenText, clean_token
from kg.evaluation.scoring import (
    Score,
    ScoreTable,
    match_one_to_one,
    overlap,
    score_keys,
    score_matched,
)


def test_score_precision_recall_f1():
    s = Score(tp=3, fp=1, fn=2)
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.6)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert Score().as_dict() == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "tp": 0,
        "fp": 0,
        "fn": 0,
    }


def test_micro_sums_counts_and_macro_averages_labels():
    table = ScoreTable()
    table.add("PER", tp=9, fp=1, fn=0)  # P .9 R 1
    table.add("ORG", tp=1, fp=0, fn=9)  # P 1 R .1
    micro = table.micro()
    assert (micro.tp, micro.fp, micro.fn) == (10, 1, 9)
    assert micro.precision == pytest.approx(10 / 11)
    assert micro.recall == pytest.approx(10 / 19)
    macro = table.macro()
    assert macro["precision"] == pytest.approx(0.95)
    assert macro["recall"] == pytest.approx(0.55)
    per_f1 = 2 * 0.9 / 1.9
    org_f1 = 2 * 0.1 / 1.1
    assert macro["f1"] == pytest.approx((per_f1 + org_f1) / 2, abs=1e-4)
    # micro over a subset ignores the other labels; an absent label counts as zero
    assert table.micro(["ORG", "LOC"]).tp == 1


def test_update_adds_tables():
    a, b = ScoreTable(), ScoreTable()
    a.add("X", tp=1)
    b.add("X", fp=2)
    b.add("Y", fn=1)
    a.update(b)
    assert (a["X"].tp, a["X"].fp, a["Y"].fn) == (1, 2, 1)


def test_strict_keys_count_duplicates_once():
    gold = [("d1", 0, 2, "PER"), ("d1", 3, 4, "LOC"), ("d1", 3, 4, "LOC")]
    predicted = [("d1", 0, 2, "PER"), ("d1", 0, 2, "PER"), ("d1", 3, 5, "LOC"), ("d2", 0, 1, "ORG")]
    table = score_keys(gold, predicted, label=lambda k: k[3])
    assert (table["PER"].tp, table["PER"].fp, table["PER"].fn) == (1, 0, 0)
    assert (table["LOC"].tp, table["LOC"].fp, table["LOC"].fn) == (0, 1, 1)
    assert table["ORG"].fp == 1


def test_lenient_matching_is_one_to_one_and_prefers_the_best_overlap():
    gold = [(0, 3), (4, 6)]
    predicted = [(0, 1), (0, 3), (5, 9)]
    pairs = match_one_to_one(
        gold,
        predicted,
        lambda g, p: overlap(*g, *p) > 0,
        preference=lambda g, p: overlap(*g, *p),
    )
    assert sorted(pairs) == [(0, 1), (1, 2)]  # (0, 3) wins gold 0; (0, 1) stays unmatched
    table = score_matched(
        gold,
        predicted,
        lambda g, p: overlap(*g, *p) > 0,
        gold_label=lambda g: "X",
        predicted_label=lambda p: "X",
        preference=lambda g, p: overlap(*g, *p),
    )
    assert (table["X"].tp, table["X"].fp, table["X"].fn) == (2, 1, 0)


def test_overlap():
    assert overlap(0, 3, 2, 5) == 1
    assert overlap(0, 3, 3, 5) == 0


def test_token_text_maps_character_spans_back_to_tokens():
    text = TokenText.join([["Mr", ".", "Smith", "went"], ["To", "Paris", "."]])
    assert text.text == "Mr . Smith went\nTo Paris ."
    assert text.sentence_starts == (0, 4)
    paris = text.text.index("Paris")
    assert text.tokens(paris, paris + 5) == (5, 6, True)
    assert text.tokens(paris + 1, paris + 5).exact is False  # starts inside the token
    assert text.tokens(paris, paris + 4).exact is False  # "Pari"
    assert text.tokens(0, 10) == (0, 3, True)  # "Mr . Smith"
    assert text.tokens(2, 3) is None  # only the space between tokens
    assert text.span_text(4, 6) == "To Paris"
    assert text.sentence_of(5) == 1
    assert text.sentence_text(1) == "To Paris ."


def test_punctuation_left_out_of_a_gold_token_is_not_a_boundary_error():
    text = TokenText.join([["He", "lives", "in", "Boise.", "(", "AP", ")"]])
    boise = text.text.index("Boise")
    assert text.tokens(boise, boise + 5) == (3, 4, True)
    assert text.tokens(boise, boise + 3) == (3, 4, False)


def test_tokens_are_cleaned_so_offsets_stay_aligned():
    assert clean_token("a b") == "ab"
    assert clean_token("\x07") == "_"
    assert clean_token("Cafe\u0301") == "Café"
    text = TokenText.join([["Cafe\u0301", "\x07", "ok"]])
    assert text.span_text(2, 3) == "ok"
    assert text.text[text.starts[2] : text.ends[2]] == "ok"
