"""NER retraining: the data splits (what trains, what selects, what is never trained on),
the command's errors, and one tiny real training run (slow)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.training.iob import read_iob
from kg.training.ner_data import (
    CONLL_DEV_EVERY,
    CROSSNER_DEV_EVERY,
    NEWS_GOLD,
    Article,
    carve,
    gold_splits,
    news_gold_excluded,
    rehearsal_articles,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("items", "every", "rest", "dev"),
    [
        (list(range(1, 11)), 5, [1, 2, 3, 4, 6, 7, 8, 9], [5, 10]),
        (list(range(1, 4)), 10, [1, 2, 3], []),
        ([], 3, [], []),
    ],
)
def test_carve_takes_every_nth_item(items, every, rest, dev):
    assert carve(items, every) == (rest, dev)


@pytest.fixture(scope="module")
def training_files_only(tmp_path_factory, shared_data) -> Path:
    """A data folder holding only the two training files: reading anything else fails."""
    folder = tmp_path_factory.mktemp("data")
    for name, file in (("conll2003", "eng.train"), ("crossner_politics", "train.txt")):
        (folder / name).mkdir()
        os.symlink(shared_data / name / file, folder / name / file)
    return folder


def test_selection_dev_is_carved_from_the_training_files(training_files_only, shared_data):
    from kg.evaluation.conll2003 import split_articles

    splits = gold_splits(training_files_only)
    articles = split_articles(read_iob(shared_data / "conll2003" / "eng.train"))
    dev_articles = articles[CONLL_DEV_EVERY - 1 :: CONLL_DEV_EVERY]
    assert splits.conll_dev == [s for a in dev_articles for s in a]
    assert len(splits.conll_train) + len(splits.conll_dev) == sum(len(a) for a in articles)
    assert splits.conll_articles == (len(articles) - len(dev_articles), len(dev_articles))
    crossner = read_iob(shared_data / "crossner_politics" / "train.txt")
    assert splits.crossner_dev == crossner[CROSSNER_DEV_EVERY - 1 :: CROSSNER_DEV_EVERY]
    assert len(splits.crossner_train) == len(crossner) - len(splits.crossner_dev)
    described = splits.describe()
    assert f"{len(splits.conll_dev)} sentences" in described["conll_dev"]


def test_selection_never_reads_the_reported_splits(training_files_only):
    """eng.testa and CrossNER dev.txt are absent from the folder, and nothing asks for them."""
    assert not (training_files_only / "conll2003" / "eng.testa").exists()
    assert gold_splits(training_files_only, limit=5).conll_dev


def test_missing_training_file_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match=r"training data not found: .*eng\.train"):
        gold_splits(tmp_path)


def test_every_news_gold_article_is_excluded():
    excluded = news_gold_excluded(NEWS_GOLD)
    metas = sorted(NEWS_GOLD.glob("*/*.meta.json"))
    assert len(excluded.sources) == len(metas) > 0
    for meta in metas:
        source = json.loads(meta.read_text("utf-8"))["source"]
        text = meta.with_name(meta.name.replace(".meta.json", ".txt")).read_text("utf-8")
        assert Article(source, text) in excluded
        assert Article("elsewhere/copy.txt", text) in excluded  # the same text under another name
    assert Article("bbc_news/tech/999.txt", "An article about something else " * 10) not in excluded


def test_missing_news_gold_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="news gold set not found"):
        news_gold_excluded(tmp_path)


def _write_bbc(folder: Path, section: str, name: str, text: str) -> None:
    (folder / "bbc_news" / section).mkdir(parents=True, exist_ok=True)
    (folder / "bbc_news" / section / name).write_text(text, encoding="utf-8")


def test_rehearsal_leaves_out_gold_articles_and_their_copies(tmp_path):
    """A gold article by its source, and a copy of one under another name, never rehearse."""
    gold_meta = sorted(NEWS_GOLD.glob("*/bbc-tech-*.meta.json"))[0]
    gold_source = json.loads(gold_meta.read_text("utf-8"))["source"]
    gold_text = gold_meta.with_name(gold_meta.name.replace(".meta.json", ".txt")).read_text("utf-8")
    (tmp_path / "reuters21578").mkdir()
    (tmp_path / "reuters21578" / "reut2-000.sgm").write_text(
        '<REUTERS NEWID="1"><TEXT><BODY>Shares of Acme Corp rose three percent on Monday '
        "after the company said profits would double, analysts in New York said &lt;ACME&gt;."
        "</BODY></TEXT></REUTERS>",
        encoding="latin-1",
    )
    _write_bbc(tmp_path, "tech", Path(gold_source).name, gold_text)
    _write_bbc(tmp_path, "tech", "900.txt", gold_text.replace("\n", "\n\n"))
    fresh = "Fresh words about a new phone launched in Tokyo by a small company today. " * 3
    for section in ("business", "entertainment", "tech", "sport"):
        _write_bbc(tmp_path, section, "901.txt", f"{section}: {fresh}")
    train, held_out = rehearsal_articles(tmp_path, news_gold_excluded(), per_source=10)
    sources = {a.source for a in train + held_out}
    assert sources == {
        "reuters21578/reut2-000.sgm#NEWID=1",
        *(f"bbc_news/{s}/901.txt" for s in ("business", "entertainment", "tech", "sport")),
    }
    assert "<ACME>" in next(a.text for a in train if a.source.startswith("reuters"))


def test_rehearsal_on_the_shared_data_holds_no_gold_article(shared_data):
    gold = news_gold_excluded()
    train, held_out = rehearsal_articles(shared_data, gold, per_source=120)
    assert len(train) > 400 and len(held_out) > 40
    assert not {a.source for a in train + held_out} & gold.sources
    assert {a.source.split("/")[0] for a in held_out} == {"reuters21578", "bbc_news"}
    assert not {a.source for a in train} & {a.source for a in held_out}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--data", "{tmp}"], "training data not found"),
        (["--news-gold", "{tmp}"], "news gold set not found"),
    ],
)
def test_command_errors_are_one_line(tmp_path, shared_data, capsys, argv, message):
    from kg.training.ner import main

    argv = [a.format(tmp=tmp_path) for a in argv]
    if "--data" not in argv:
        argv += ["--data", str(shared_data)]
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_shipped_weights_say_what_trained_and_selected_them():
    """The shipped weights' notes name the split their epoch was selected on, and the dev
    split on which they were preferred to the weights the training command makes now."""
    notes = (ROOT / "kg" / "models" / "ner" / "TRAINING.txt").read_text("utf-8")
    assert "dev (epoch selection): CoNLL-2003 eng.testa" in notes
    assert "is optimistic for them" in notes
    preferred = notes[notes.index("why these weights ship") :]
    assert "bench/news_gold/dev" in preferred
    assert "news test split were\n    never used to train or select them" in preferred


def test_training_notes_name_every_selection_split():
    from kg.training.ner import Outcome, Scores, Settings, training_notes

    data = {
        "conll_train": "CoNLL train part",
        "crossner_train": "CrossNER train part",
        "crossner_repeat": "5",
        "rehearsal": "rehearsal",
        "rehearsal_held_out": "held out",
        "excluded": "the 48 articles of bench/news_gold (dev and test)",
        "conll_dev": f"CoNLL-2003 eng.train every {CONLL_DEV_EVERY}th article",
        "crossner_dev": f"CrossNER politics train.txt every {CROSSNER_DEV_EVERY}th sentence",
    }
    scores = Scores(conll=0.8, crossner=0.7, kept=0.9, news=0.6)
    notes = training_notes(Outcome(Settings(), data, scores, scores, 1, (scores,)))
    selection = notes[notes.index("selection (best epoch") :]
    assert f"eng.train every {CONLL_DEV_EVERY}th article" in selection
    assert f"train.txt every {CROSSNER_DEV_EVERY}th sentence" in selection
    assert "bench/news_gold/dev" in selection
    assert (
        "never read: CoNLL-2003 eng.testa, CrossNER politics dev.txt, bench/news_gold/test" in notes
    )
    assert f"selection {0.7:.4f}" in notes  # the mean of the three devs


@pytest.mark.slow
def test_a_tiny_training_run_writes_weights_that_load(tmp_path, shared_data):
    """Real spaCy, a few sentences, one epoch: the written component loads into the model."""
    import spacy

    from kg.training.ner import BASE_MODEL, Settings, train

    settings = Settings(
        epochs=1, limit=40, rehearsal_per_source=3, batch_size=16, select_on_news_dev=False
    )
    lines: list[str] = []
    outcome = train(
        shared_data, tmp_path / "ner", settings, keep_epochs=tmp_path / "kept", log=lines.append
    )
    assert lines[0].startswith("stock: selection")
    assert sorted(p.name for p in (tmp_path / "kept").iterdir()) == ["epoch1"]
    assert (tmp_path / "kept" / "epoch1" / "model").is_file()
    assert not (tmp_path / "ner" / "epoch1").exists()  # the shipped folder holds one model
    assert len(outcome.history) == 1 and 0.0 < outcome.history[0].conll <= 1.0
    notes = (tmp_path / "ner" / "TRAINING.txt").read_text("utf-8")
    assert "--limit 40" in notes and "--epochs 1" in notes
    nlp = spacy.load(BASE_MODEL)
    nlp.get_pipe("ner").from_disk(tmp_path / "ner", exclude=["vocab"])
    assert "MISC" in nlp.get_pipe("ner").labels
    assert nlp("Angela Merkel met Emmanuel Macron in Paris.").ents


@pytest.mark.slow
def test_carved_dev_scores_of_weight_folders(tmp_path, shared_data, capsys):
    """The shipped weights beat spaCy's stock NER on the carved devs; a folder without
    weights is one clear error."""
    from kg.training.ner_score import main

    main(["--data", str(shared_data), "--limit", "60", "stock", str(ROOT / "kg/models/ner")])
    lines = capsys.readouterr().out.splitlines()
    stock, shipped = (float(line.split("CoNLL carved dev ")[1].split(",")[0]) for line in lines)
    assert 0.0 < stock < shipped <= 1.0
    with pytest.raises(SystemExit) as exit_info:
        main(["--data", str(shared_data), str(tmp_path)])
    assert exit_info.value.code == 1
    assert "no NER weights there" in capsys.readouterr().err
