"""`kg eval` and `python -m kg.evaluation`: options, one-line errors, and short real runs (slow)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.errors import InputError
from kg.evaluation import Options, dataset_names, evaluate
from kg.evaluation.report import format_report, markdown_summary, markdown_table

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
runner = CliRunner()


def test_every_dataset_of_the_issue_is_registered():
    assert dataset_names() == [
        "conll2003",
        "crossner",
        "conll04",
        "redocred",
        "timebank",
        "news",
        "gum",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["eval", "nope"], "unknown data set 'nope'"),
        (["eval", "conll04", "--split", "test"], "unknown split 'test' (valid: dev, train)"),
        (["eval", "conll04", "--baseline-ner", "big"], "unknown baseline NER 'big'"),
    ],
)
def test_bad_arguments_give_one_line_errors(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_missing_data_folder_is_named(tmp_path):
    result = runner.invoke(app, ["eval", "conll2003", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "data file not found" in result.output and "eng.testa" in result.output


def test_options_are_checked():
    with pytest.raises(InputError, match="min-confidence"):
        Options(min_confidence=1.5)
    with pytest.raises(InputError, match="limit"):
        Options(limit=0)


def test_report_formatting_on_a_hand_made_report():
    score = {"precision": 0.5, "recall": 0.25, "f1": 0.3333, "tp": 1, "fp": 1, "fn": 3}
    report = {
        "dataset": "toy",
        "split": "dev",
        "headline": {"metric": "F1", "baseline": 0.1, "pipeline": 0.3333, "target": 0.3, "met": True},
        "tables": [{"title": "Relations", "rows": [{"name": "Kill", "baseline": score, "pipeline": score}]}],
        "thresholds": [{"min_confidence": 0.5, **score}],
    }  # fmt: skip
    text = format_report(report)
    assert "pipeline 0.333  target 0.3 met" in text
    assert "Kill" in text and "0.500  0.250  0.333" in text
    assert "0.50   0.500   0.250   0.333       2" in text
    assert "| toy dev | F1 | 0.100 | 0.333 | 0.30 | yes |" in markdown_summary([report])
    assert "| Kill | 0.500 | 0.250 | 0.333 | 0.500 | 0.250 | 0.333 | 4 | 1 / 1 |" in markdown_table(
        report["tables"][0]
    )


# --------------------------------------------------------------------------- real data (slow)


@pytest.mark.slow
def test_kg_eval_conll04_prints_both_systems_and_writes_json(shared_data, tmp_path):
    out = tmp_path / "conll04.json"
    result = runner.invoke(
        app,
        [
            "eval",
            "conll04",
            "--limit",
            "12",
            "--json",
            str(out),
            "--data",
            str(shared_data / "conll04"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "baseline" in result.output and "pipeline" in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["documents"] == 12
    strict = report["tables"][0]["rows"]
    micro = next(r for r in strict if r["name"] == "micro")
    for system in ("baseline", "pipeline"):  # every gold relation is counted once
        assert micro[system]["tp"] + micro[system]["fn"] == report["gold_relations"]
    sweep = report["thresholds"]
    assert [row["min_confidence"] for row in sweep] == [0.0, 0.5, 0.6, 0.7, 0.8, 0.9]
    facts = [row["tp"] + row["fp"] for row in sweep]
    assert facts == sorted(facts, reverse=True)  # a higher threshold never adds facts


@pytest.mark.slow
def test_min_confidence_one_drops_almost_every_fact(shared_data):
    data = shared_data / "conll04"
    loose = evaluate("conll04", Options(limit=12, data=data))
    strict = evaluate("conll04", Options(limit=12, data=data, min_confidence=1.0))
    micro = lambda r: next(x for x in r["tables"][0]["rows"] if x["name"] == "micro")  # noqa: E731
    assert micro(strict)["pipeline"]["fp"] + micro(strict)["pipeline"]["tp"] < (
        micro(loose)["pipeline"]["fp"] + micro(loose)["pipeline"]["tp"]
    )
    assert micro(strict)["baseline"] == micro(loose)["baseline"]  # the baseline is not filtered


@pytest.mark.slow
def test_conll2003_pipeline_beats_raw_spacy(shared_data):
    report = evaluate("conll2003", Options(limit=6, data=shared_data / "conll2003"))
    headline = report["headline"]
    assert headline["pipeline"] > headline["baseline"]
    strict = report["tables"][0]["rows"]
    micro = next(r for r in strict if r["name"].startswith("micro"))
    misc = next(r for r in strict if r["name"].startswith("MISC"))
    gold = micro["pipeline"]["tp"] + micro["pipeline"]["fn"] + misc["pipeline"]["tp"]
    assert gold + misc["pipeline"]["fn"] == report["gold_spans"]
    crashes = report["extractor_errors"]
    assert len(crashes["examples"]) <= min(5, crashes["count"])
    assert all(message.startswith("extractor '") for message in crashes["examples"])


@pytest.mark.slow
def test_no_extractor_crashes_on_conll2003(shared_data):
    report = evaluate("conll2003", Options(limit=6, data=shared_data / "conll2003"))
    assert report["extractor_errors"]["count"] == 0, report["extractor_errors"]["examples"]


@pytest.mark.slow
def test_crossner_scores_events_and_reports_fine_labels(shared_data):
    report = evaluate("crossner", Options(limit=15, data=shared_data / "crossner_politics"))
    rows = {r["name"] for r in report["tables"][0]["rows"]}
    assert {"Person", "Organization", "Location", "Event", "MISC (apart)"} <= rows
    fine = {r["name"] for r in report["tables"][2]["rows"]}
    assert {"politician", "politicalparty", "election"} & fine


@pytest.mark.slow
def test_redocred_counts_every_mapped_gold_triple(shared_data):
    report = evaluate("redocred", Options(limit=4, data=shared_data / "re-docred"))
    rows = report["tables"][0]["rows"]
    micro = next(r for r in rows if r["name"] == "micro")
    for system in ("baseline", "pipeline"):
        assert micro[system]["tp"] + micro[system]["fn"] == report["gold_triples"]
    assert set(report["unscorable"]) == {"role", "author"}
    assert 0.0 <= report["headline"]["pipeline"] <= 1.0


@pytest.mark.slow
def test_timebank_through_the_common_interface(shared_data):
    report = evaluate("timebank", Options(limit=5, data=shared_data / "timebank"))
    assert report["headline"]["metric"] == "DATE value accuracy"
    assert report["tables"][0]["rows"][0]["n"] == report["gold_dates"] > 0
    held = evaluate("timebank", Options(limit=2, split="held-out", data=shared_data / "timebank"))
    assert held["tables"][0]["rows"][-1]["name"] == "held-out"
