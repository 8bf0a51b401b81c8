"""`kg eval gum`: the CoNLL reader, the text builder, the cluster scores (fast) and one real
document through the whole evaluation (slow)."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.evaluation import Options
from kg.evaluation.coref_metrics import PRF, assignment, b_cubed, ceaf_e, conll_f1, muc
from kg.evaluation.gum import folder
from kg.evaluation.gum_data import GoldMention, parse_conll, token_text

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CONLL = """# begin document GUM_news_toy
0\tMary\t(person-1
1\tSmith\tperson-1)
2\tleft\t_
3\tthe\t(organization-2
4\tfirm\torganization-2)
5\t.\t_
6\tShe\t(person-1)
7\tsaid\t_
8\t"\t_
9\tit\t(abstract-3(organization-2)abstract-3)
10\twas\t_
11\t(\t_
12\tbad\t_
13\t)\t_
14\t"\t_
15\t.\t_
# end document
"""


def test_reader_builds_nested_and_single_token_mentions():
    (doc,) = parse_conll(CONLL.splitlines(), "toy.conll")
    assert doc.name == "GUM_news_toy" and len(doc.tokens) == 16
    assert set(doc.mentions) == {
        GoldMention(0, 2, "1", "person"),
        GoldMention(3, 5, "2", "organization"),
        GoldMention(6, 7, "1", "person"),
        GoldMention(9, 10, "3", "abstract"),
        GoldMention(9, 10, "2", "organization"),
    }
    assert [m.start for m in doc.clusters()["1"]] == [0, 6]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["0\tx\t_"], "token outside"),
        (["# begin document d", "0\tx\t(person-1", "# end document"], "never closed"),
        (["# begin document d", "0\tx\tperson-1)", "# end document"], "never opened"),
        (["# begin document d", "0\tx\t(person)", "# end document"], "cannot read the mention"),
        (["# begin document d", "0\tx"], "expected 3 tab-separated columns"),
        (["# begin document d", "0\tx\t_"], "no '# end document'"),
    ],
)
def test_reader_errors_name_the_file_and_line(lines, message):
    with pytest.raises(InputError, match=message) as info:
        parse_conll(lines, "bad.conll")
    assert "bad.conll" in str(info.value)


def test_text_spacing_and_offsets():
    (doc,) = parse_conll(CONLL.splitlines(), "toy.conll")
    text = token_text(doc.tokens)
    assert text.text == 'Mary Smith left the firm. She said "it was (bad)".'
    for i, token in enumerate(doc.tokens):
        assert text.span_text(i, i + 1) == token


def test_missing_folder_and_bad_split_are_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="unknown split 'test'"):
        folder(Options(split="test"))
    from kg.evaluation.gum_data import read_folder

    with pytest.raises(InputError, match="GUM folder not found"):
        read_folder(tmp_path / "nope")
    with pytest.raises(InputError, match="no .conll files"):
        read_folder(tmp_path)


# --------------------------------------------------------------------------- scores


def test_perfect_response_scores_one():
    key = [{1, 2, 3}, {4, 5}, {6}]
    for metric in (muc, b_cubed, ceaf_e):
        score = metric(key, key)
        assert score.precision == score.recall == 1.0


def test_muc_counts_links():
    # key: one entity of 4 mentions; response splits it in two pairs: 2 of 3 links kept
    score = muc([{1, 2, 3, 4}], [{1, 2}, {3, 4}])
    assert (score.r_num, score.r_den) == (2, 3)
    assert score.precision == 1.0


def test_b_cubed_on_a_split_cluster():
    score = b_cubed([{1, 2, 3, 4}], [{1, 2}, {3, 4}])
    assert score.precision == 1.0 and score.recall == pytest.approx(0.5)


def test_twinless_response_mentions_cost_precision():
    # as the CoNLL-2012 scorer counts it: the twinless mention 9 overlaps no key cluster
    score = b_cubed([{1, 2}], [{1, 2, 9}])
    assert score.recall == 1.0 and score.precision == pytest.approx((2 * 2 / 3) / 3)


def test_ceaf_e_aligns_clusters_one_to_one():
    score = ceaf_e([{1, 2}, {3, 4}], [{1, 2, 3, 4}])
    # only one response cluster: it aligns with one key cluster, φ4 = 2·2/(2+4)
    assert score.p_num == pytest.approx(2 / 3) and score.p_den == 1 and score.r_den == 2


def test_scores_add_up_over_documents_and_average():
    total = PRF(1, 2, 1, 4) + PRF(1, 2, 0, 0)
    assert total.precision == 0.5 and total.recall == 0.25
    assert conll_f1([PRF(1, 1, 1, 1), PRF(0, 1, 0, 1), PRF(1, 1, 1, 1)]) == pytest.approx(2 / 3)


def test_assignment_is_optimal():
    weights = [[0.9, 0.8, 0.0], [0.85, 0.0, 0.0]]
    assert assignment(weights) == [(0, 1), (1, 0)]
    assert assignment([]) == []


def test_train_halves_are_fixed_and_balanced_by_genre():
    import importlib.util
    from collections import Counter
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "gum_halves.py"
    spec = importlib.util.spec_from_file_location("gum_halves", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names = [f"GUM_bio_{i}" for i in range(5)] + [f"GUM_news_{i}" for i in range(4)]
    part = module.halves(names)
    assert part == module.halves(list(reversed(names)))  # order of reading does not matter
    for genre, size in (("bio", 5), ("news", 4)):
        counts = Counter(v for k, v in part.items() if f"_{genre}_" in k)
        assert sum(counts.values()) == size and abs(counts["A"] - counts["B"]) <= 1


# --------------------------------------------------------------------------- slow


@pytest.mark.slow
def test_one_dev_document_end_to_end(shared_data):
    from kg.evaluation.gum import accuracy, evaluate
    from kg.evaluation.report import format_errors, format_report

    per_document: dict = {}
    report = evaluate(
        Options(split="dev", limit=1, data=shared_data / "gum_coref"), per_document=per_document
    )
    assert report["dataset"] == "gum" and report["documents"] == 1
    headline = report["headline"]
    right, n = accuracy(list(per_document.values()))
    assert len(per_document) == 1 and round(right / n, 4) == headline["pipeline"]
    assert 0.0 <= headline["baseline"] <= 1.0 and 0.0 <= headline["pipeline"] <= 1.0
    assert report["references"] > 0
    accuracy, clusters = report["tables"]
    assert accuracy["rows"][0]["n"] > 0
    assert {row["name"] for row in clusters["rows"]} >= {"MUC", "B³", "CEAF-e"}
    assert "pronoun" in format_report(report)
    assert format_errors(report) == "" or "Errors of the pipeline" in format_errors(report)
