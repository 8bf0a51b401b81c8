"""kg/extract/calibration.py and kg/training/calibration.py: Platt scaling by group, the
shipped table, and its one point of application (the extractor registry)."""

from __future__ import annotations

import random

import pytest

from kg.extract.calibration import CALIBRATION_FILE, Calibration, read_calibration, shipped
from kg.model import ORGANIZATION, PERSON, Evidence, Fact, Mention


def test_groups_back_off_from_relation_to_extractor_to_all():
    table = Calibration({"*": (1.0, 0.0), "roles": (1.0, -1.0), "roles/role": (1.0, 1.0)})
    assert table.confidence("roles", "role", 0.5) == pytest.approx(0.731, abs=1e-3)
    assert table.confidence("roles", "leaderOf", 0.5) == pytest.approx(0.269, abs=1e-3)
    assert table.confidence("events", "participant", 0.5) == 0.5
    assert Calibration({}).confidence("roles", "role", 0.42) == 0.42


def test_fit_recovers_the_observed_precision_of_each_group():
    """Rules that say 0.9 but are right 60% of the time are brought down to about 0.6;
    a group that is right as often as it says stays where it is."""
    from kg.training.calibration import fit

    rng = random.Random(1)
    data = [("rule", "role", 0.9, rng.random() < 0.6, f"d{i % 8}") for i in range(400)]
    data += [("model", "locatedIn", p, rng.random() < p, f"d{i % 8}")
             for i, p in enumerate(rng.uniform(0.2, 0.95) for _ in range(400))]  # fmt: skip
    table = Calibration(fit(data, shrink=2.0))
    assert table.confidence("rule", "role", 0.9) == pytest.approx(0.6, abs=0.06)
    for p in (0.3, 0.6, 0.9):
        assert table.confidence("model", "locatedIn", p) == pytest.approx(p, abs=0.08)


def test_the_setting_is_judged_on_the_held_out_check_documents_only():
    """Pooled with a split the rules were tuned on (always right), fresh documents that
    are right half the time: judged on the fresh ones, the held-out error shows."""
    from kg.training.calibration import held_out_ece

    rng = random.Random(3)
    tuned = [("rule", "role", 0.9, True, f"dev{i % 8}") for i in range(200)]
    fresh = [("rule", "role", 0.9, rng.random() < 0.5, f"cal{i % 8}") for i in range(200)]
    check = sorted({row[4] for row in fresh})
    on_fresh = held_out_ece(tuned + fresh, 8.0, False, check)
    on_all = held_out_ece(tuned + fresh, 8.0, False)
    assert on_fresh > 0.15
    assert on_all < on_fresh


def test_a_small_group_stays_near_its_parent():
    from kg.training.calibration import fit

    data = [("rule", "role", 0.9, True, "d1")] * 200 + [("rule", "leaderOf", 0.9, False, "d1")] * 5
    groups = fit(data, shrink=32.0)
    table = Calibration(groups)
    assert "rule/leaderOf" in groups
    assert table.confidence("rule", "leaderOf", 0.9) > 0.5  # five misses do not sink it


def test_the_shipped_table_is_read_and_applied_in_the_registry():
    from kg.extract.registry import ExtractorSpec, run

    assert CALIBRATION_FILE.is_file() and shipped() == read_calibration(CALIBRATION_FILE)
    person = Mention("d", "Ann Lee", "Ann Lee", PERSON, 0, 7)
    org = Mention("d", "Acme", "Acme", ORGANIZATION, 20, 24)

    def made_up(ctx):
        evidence = Evidence("d", "Ann Lee works for Acme.", 0, 24, "relation_classifier", 0.9)
        yield Fact(person, "affiliatedWith", org, evidence)
        yield Fact(person, "meet", org, evidence, open=True)

    class Context:
        facts: list = []

        def add(self, mention):  # pragma: no cover - no mentions here
            raise AssertionError

    spec = ExtractorSpec("made_up", made_up)
    closed, opened = [output for _, output in run(Context(), [spec])]
    expected = shipped().confidence("relation_classifier", "affiliatedWith", 0.9)
    assert closed.evidence.confidence == expected != 0.9
    assert opened.evidence.confidence == 0.9  # open relations are not calibrated


def test_the_fitting_command_refuses_the_test_split():
    from kg.training.calibration import outcomes

    with pytest.raises(SystemExit):
        outcomes("test")
