"""The TimeBank scorer on a hand-made TimeML file, and on the real corpus (slow)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.evaluation.timebank import evaluate_timebank, main, read_timeml

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-13" temporalFunction="false" \
functionInDocument="CREATION_TIME">19980213</TIMEX3></DCT>
<TEXT>
The minister <EVENT eid="e1" class="REPORTING">said</EVENT> \
<TIMEX3 tid="t1" type="DATE" value="1998-02-13" functionInDocument="NONE">Friday</TIMEX3> \
that exports fell <TIMEX3 tid="t2" type="DATE" value="1997">last year</TIMEX3> &amp; \
on <TIMEX3 tid="t3" type="DATE" value="1998-02-11">Feb. 11</TIMEX3>.
Talks lasted <TIMEX3 tid="t4" type="DURATION" value="P3Y">three years</TIMEX3>.
It rained <TIMEX3 tid="t5" type="DATE" value="1998-02-12">the day</TIMEX3> before.
</TEXT>
</TimeML>
"""


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    (tmp_path / "TEST001.tml").write_text(TIMEML, encoding="utf-8")
    return tmp_path


def test_read_timeml_keeps_dates_and_their_context(tiny_corpus):
    creation, text, timexes = read_timeml(tiny_corpus / "TEST001.tml")
    assert creation == dt.date(1998, 2, 13)
    assert [(t.text, t.value) for t in timexes] == [
        ("Friday", "1998-02-13"),
        ("last year", "1997"),
        ("Feb. 11", "1998-02-11"),
        ("the day", "1998-02-12"),
    ]
    assert text[timexes[0].start : timexes[0].end] == "Friday"
    assert text[: timexes[0].start].endswith("The minister said ")
    assert text[timexes[1].end :].startswith(" & on Feb. 11")


def test_scorer_counts_exact_matches_against_baseline(tiny_corpus):
    report = evaluate_timebank(tiny_corpus)
    assert report["dataset"] == "timebank"
    assert report["n"] == 4  # the DURATION and the creation time are not scored
    assert report["pipeline"]["accuracy"] == 0.75
    assert report["baseline"]["accuracy"] == 0.5  # dateutil reads Friday and Feb. 11 only
    assert report["errors"] == [["the day", "1998-02-12", "1998-02-13"]]


def test_limit_and_documents_select_files(tiny_corpus):
    (tiny_corpus / "TEST002.tml").write_text(TIMEML.replace("TEST001", "TEST002"), "utf-8")
    assert evaluate_timebank(tiny_corpus)["n"] == 8
    assert evaluate_timebank(tiny_corpus, limit=1)["n"] == 4
    assert evaluate_timebank(tiny_corpus, documents=slice(1, None))["documents"] == 1


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        evaluate_timebank(tmp_path / "nowhere")
    with pytest.raises(InputError, match="no .tml"):
        evaluate_timebank(tmp_path)


def test_main_prints_a_table_and_writes_json(tiny_corpus, tmp_path, capsys):
    out = tmp_path / "report.json"
    assert main(["--data", str(tiny_corpus), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "TimeBank DATE" in printed and "0.750" in printed
    assert json.loads(out.read_text())["n"] == 4


def test_main_reports_a_missing_folder(tmp_path, capsys):
    assert main(["--data", str(tmp_path / "nowhere")]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.slow
def test_real_timebank_beats_the_dateutil_baseline(shared_data):
    report = evaluate_timebank(shared_data / "timebank", limit=20)
    assert report["n"] > 50
    assert report["pipeline"]["accuracy"] >= 0.75
    assert report["pipeline"]["accuracy"] > report["baseline"]["accuracy"] + 0.3
