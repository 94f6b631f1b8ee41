"""Plan files as data, and the documented status rule, branch by branch."""

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from ipanalysis.errors import InputError
from ipanalysis.plans import (
    Activity,
    assess_activity,
    assess_growth,
    assess_level,
    assess_rank,
    load_plan,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def plan():
    return load_plan("songjiang-2024-2026")


def test_songjiang_plan_holds_the_quantitative_target(plan):
    level = [t for t in plan.targets if t.type == "level"]
    assert [(t.indicator, t.value, t.by, t.basis) for t in level] == [
        ("high_value_invention_patents_per_10k", 30, 2026, "domestic")
    ]
    assert (plan.region, plan.start_year, plan.end_year, plan.baseline_year) == (
        "310117",
        2024,
        2026,
        2023,
    )


def test_songjiang_plan_holds_every_directional_goal(plan):
    goals = {(t.indicator, t.type, t.top) for t in plan.targets if t.type != "level"}
    assert goals == {
        ("high_value_invention_patents_per_10k", "growth", None),
        ("pct_applications_cnipa", "rank", 3),
        ("pct_applications_cnipa", "growth", None),
        ("madrid_applications_cnipa", "growth", None),
        ("ip_pledge_financing_amount", "growth", None),
        ("patent_transfer_licence_count", "growth", None),
        ("patent_transfer_licence_count", "rank", 5),
        ("pii_share_gdp", "growth", None),
    }
    ranks = [t for t in plan.targets if t.type == "rank"]
    assert all(t.interpretation for t in ranks), "ambiguous phrases say how they were read"


def test_songjiang_plan_holds_every_activity_target(plan):
    got = {a.id: (a.per_year, a.total) for a in plan.activities}
    assert got == {
        "special_actions": (10, None),
        "joint_enforcement": (1, None),
        "mediation_training": (1, None),
        "pilot_units": (None, 100),
        "navigation_projects": (None, 20),
        "finance_events": (4, None),
        "work_conference": (1, None),
    }


def test_every_plan_quote_is_in_the_plan_text(plan):

    text = ROOT.parent / "shared" / "plan" / "songjiang-ip-plan-2024-2026.zh.txt"
    if not text.exists():
        pytest.skip("shared/plan is not beside the checkout")
    body = text.read_text(encoding="utf-8").replace(",", "，")
    for item in [*plan.targets, *plan.activities]:
        for part in item.quote.replace("……", "；").split("；"):
            assert part.replace(",", "，") in body, (item.id, part)


def _write(tmp_path, body):
    path = tmp_path / "p.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


BASE = """\
id: x
name_zh: x
name_en: x
region: "310117"
start_year: 2024
end_year: 2026
baseline_year: 2023
"""


@pytest.mark.parametrize(
    "targets,message",
    [
        (
            "targets:\n  - {id: a, indicator: nope, basis: domestic, type: level, value: 1, by: 2026, quote: q}",
            "p.yaml: target #1 (a): unknown indicator 'nope'",
        ),
        (
            "targets:\n  - {id: a, indicator: gdp, basis: current_prices, type: sideways, quote: q}",
            "p.yaml: target #1 (a): type must be one of level, growth, rank, got 'sideways'",
        ),
        (
            "targets:\n  - {id: a, indicator: gdp, basis: nominal, type: growth, quote: q}",
            "p.yaml: target #1 (a): basis must be one of current_prices, got 'nominal'",
        ),
        (
            "targets:\n  - {id: a, indicator: gdp, basis: current_prices, type: level, quote: q}",
            "p.yaml: target #1 (a): a level target needs 'value' and 'by'",
        ),
        (
            "targets: []\nactivities:\n  - {id: b, name_zh: b, name_en: b, unit: 次, quote: q}",
            "p.yaml: activity #1 (b): give exactly one of 'per_year' or 'total'",
        ),
    ],
)
def test_bad_plan_files_say_what_and_where(tmp_path, targets, message):
    with pytest.raises(InputError) as err:
        load_plan(_write(tmp_path, BASE + targets))
    assert str(err.value) == message


def test_missing_keys_and_bad_yaml(tmp_path):
    with pytest.raises(InputError) as err:
        load_plan(_write(tmp_path, "id: x\n"))
    assert str(err.value) == (
        "p.yaml: missing key(s): name_zh, name_en, region, start_year, "
        "end_year, baseline_year, targets"
    )
    with pytest.raises(InputError) as err:
        load_plan(_write(tmp_path, "id: [x\n"))
    assert str(err.value).startswith("p.yaml, row 2: not valid YAML")


def test_unknown_plan_id_lists_the_known_plans():
    with pytest.raises(InputError) as err:
        load_plan("nowhere-2030")
    assert str(err.value) == (
        "nowhere-2030.yaml: no such plan file (known plans: example-zhejiang, songjiang-2024-2026)"
    )


H = pd.Series


@pytest.mark.parametrize(
    "history,status",
    [
        (H({2023: 20.0, 2024: 30.5}), "met"),
        (H({2023: 20.0, 2024: 23.4}), "on_track"),  # scheduled 23.33: 102 % of progress
        (H({2023: 20.0, 2024: 22.7}), "at_risk"),  # 81 % of scheduled progress
        (H({2023: 20.0, 2024: 22.6}), "off_track"),  # 78 %
        (H({2023: 20.0, 2026: 29.0}), "off_track"),  # deadline passed unmet
        (
            H({2021: 10.0, 2022: 14.0, 2023: 20.0}),
            "on_track",
        ),  # baseline year: growth 41 % ≥ the 14.5 % needed
        (
            H({2021: 18.0, 2022: 19.0, 2023: 20.0}),
            "off_track",
        ),  # growth 5.4 % < 80 % of the 14.5 % needed
        (H({2023: 20.0}), "no_data"),  # one point: trend unknown, not guessed
        (H(dtype=float), "no_data"),
    ],
)
def test_level_status_rule(history, status):
    assert assess_level(history, 30, 2026, 2023).status == status


def test_level_assessment_numbers():
    result = assess_level(H({2022: 16.0, 2023: 20.0, 2024: 24.0}), 30, 2026, 2023)
    assert (result.value, result.year, result.gap) == (24.0, 2024, 6.0)
    assert round(result.expected, 4) == 23.3333
    assert round(result.required_growth, 4) == 11.8034
    assert round(result.trailing_growth, 4) == 22.4745
    assert result.note == "120% of the scheduled progress since 2023"


def test_compound_path_is_a_parameter():
    history = H({2023: 20.0, 2024: 23.0})
    assert assess_level(history, 30, 2026, 2023).status == "at_risk"  # linear: 23.33
    compound = assess_level(history, 30, 2026, 2023, {"path": "compound"})
    assert round(compound.expected, 3) == 22.894 and compound.status == "on_track"


def test_lower_is_better_level():
    assert (
        assess_level(H({2023: 10.0, 2024: 4.0}), 5, 2026, 2023, higher_is_better=False).status
        == "met"
    )


@pytest.mark.parametrize(
    "history,status",
    [
        (H({2023: 100.0, 2024: 110.0}), "on_track"),
        (H({2023: 100.0, 2024: 110.0, 2025: 120.0, 2026: 130.0}), "met"),
        (H({2023: 100.0, 2024: 110.0, 2025: 105.0}), "at_risk"),  # above baseline, fell
        (H({2023: 100.0, 2024: 90.0, 2025: 95.0}), "at_risk"),  # grew, still below baseline
        (H({2023: 100.0, 2024: 95.0, 2025: 90.0}), "off_track"),
        (H({2022: 5.0, 2023: 6.0}), "on_track"),  # before the plan: growth alone
        (H({2023: 6.0}), "no_data"),
    ],
)
def test_growth_status_rule(history, status):
    assert assess_growth(history, 2023, 2026).status == status


@pytest.mark.parametrize(
    "rank,final,status",
    [
        (1, False, "on_track"),
        (3, True, "met"),
        (4, False, "at_risk"),
        (5, False, "at_risk"),
        (6, False, "off_track"),
        (None, False, "no_data"),
    ],
)
def test_rank_status_rule(rank, final, status):
    assert assess_rank(rank, 16, top=3, final=final).status == status


def test_activity_status_rule():
    yearly = Activity("a", "a", "a", "项", "", per_year=10)
    assert assess_activity(yearly, H({2025: 10}), 2025, 2024, 2026).status == "met"
    assert assess_activity(yearly, H({2025: 9}), 2025, 2024, 2026).status == "off_track"
    assert assess_activity(yearly, H({2025: 4}), 2025, 2024, 2026, 0.5).status == "at_risk"
    assert assess_activity(yearly, H({2024: 12}), 2025, 2024, 2026).status == "no_data"
    total = Activity("t", "t", "t", "家", "", total=100)
    assert assess_activity(total, H({2024: 40}), 2024, 2024, 2026).status == "on_track"
    result = assess_activity(total, H({2024: 30, 2025: 20}), 2025, 2024, 2026)
    assert (result.status, result.value, result.gap) == ("off_track", 50.0, 50.0)
    assert assess_activity(total, H({2024: 60, 2025: 45}), 2025, 2024, 2026).status == "met"


def test_the_plans_ship_with_the_package_and_are_found_from_any_folder(tmp_path, monkeypatch):
    from ipanalysis import paths
    from ipanalysis.plans import known_plans, plan_path

    monkeypatch.setenv("IPANALYSIS_HOME", str(tmp_path))  # no data/plans here
    packaged = paths.PACKAGED_PLANS_DIR / "songjiang-2024-2026.yaml"
    assert plan_path("songjiang-2024-2026") == packaged
    assert load_plan("songjiang-2024-2026").source_file == "songjiang-2024-2026.yaml"
    assert known_plans() == sorted(p.stem for p in (ROOT / "data" / "plans").glob("*.yaml"))
    # one copy: the package links to the project's data/plans/
    assert packaged.resolve() == ROOT / "data" / "plans" / "songjiang-2024-2026.yaml"


def test_an_office_plan_in_data_plans_comes_before_a_packaged_one_of_the_same_id(tmp_path):
    from ipanalysis.plans import known_plans, plan_path

    own = tmp_path / "plans" / "songjiang-2024-2026.yaml"
    own.parent.mkdir()
    own.write_text("id: x\n", encoding="utf-8")
    (tmp_path / "plans" / "pudong-2025-2027.yaml").write_text("id: y\n", encoding="utf-8")
    assert plan_path("songjiang-2024-2026", tmp_path) == own
    packaged = {p.stem for p in (ROOT / "data" / "plans").glob("*.yaml")}
    assert known_plans(tmp_path) == sorted({"pudong-2025-2027", "songjiang-2024-2026", *packaged})
