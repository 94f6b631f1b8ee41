"""The activity log checked like any other input: unknown activities and regions quarantined
with their reasons, never dropped. The fixture's rows are MADE UP (tests/fixtures/records/SOURCE.md)
with the Songjiang plan's activity ids."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ipanalysis.clean.records import read_activity_log
from ipanalysis.errors import InputError
from ipanalysis.plans import load_plan
from ipanalysis.schemas import ActivityLog

LOG = Path(__file__).resolve().parents[2] / "fixtures" / "records" / "activity_log.csv"
PLAN_IDS = [a.id for a in load_plan("songjiang-2024-2026").activities]
THIS_YEAR = pd.Timestamp.today().year


def entries(result) -> list[tuple]:
    frame = result.quarantine[["raw_row", "column", "reason"]]
    return list(frame.itertuples(index=False, name=None))


def test_the_log_is_checked_against_the_plan_and_the_region():
    result = read_activity_log(LOG, activities=PLAN_IDS, regions=["松江区"])
    data = result.data
    assert list(data.columns) == list(ActivityLog.to_schema().columns)
    assert data[["activity", "region_code", "year", "count"]].values.tolist() == [
        ["special_actions", "310117", 2025, 4],
        ["special_actions", "310117", 2025, 6],
        ["pilot_units", "310117", 2024, 30],
        ["joint_enforcement", "310117", 2025, 1],
    ]
    ids = ", ".join(PLAN_IDS)
    assert entries(result) == [
        (6, "activity", f"unknown activity 'special_action': expected one of {ids}"),
        (
            7,
            "region_code",
            "unknown region '火星区': give a name such as 松江区 or a code such as 310117",
        ),
        (
            8,
            "region_code",
            "ambiguous region '朝阳区': it names 110105 (北京市), 220104 (吉林省长春市); write it with "
            "its city, e.g. 北京市朝阳区",
        ),
        (
            9,
            "region_code",
            "region 310101 (黄浦区) is not a region of this log: expected 310117 (松江区)",
        ),
        (10, "count", "expected a whole number, 0 or more, found '-1'"),
        (11, "year", f"expected a whole number from 1949 to {THIS_YEAR}, found '二〇二五'"),
        (12, "count", "no count (unknown is never 0)"),
    ]
    assert result.reconciliation() == {
        "file": "activity_log.csv",
        "rows_read": 11,
        "rows_kept": 4,
        "rows_quarantined": 7,
        "reconciles": True,
    }
    assert result.notes == ["1 row(s) without a source: the briefing cites none for them"]


def test_without_lists_any_id_and_any_known_region_is_taken():
    result = read_activity_log(LOG)
    assert result.data["activity"].tolist() == [
        "special_actions",
        "special_actions",
        "pilot_units",
        "joint_enforcement",
        "special_action",
        "finance_events",
    ]
    assert result.data["region_code"].tolist()[-1] == "310101"
    assert result.notes == [
        "activity ids not checked (no list of activities given)",
        "1 row(s) without a source: the briefing cites none for them",
    ]


def test_a_log_missing_columns_is_refused_naming_them(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("activity,region_code,count\nspecial_actions,310117,1\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_activity_log(path)
    assert str(error.value) == (
        "log.csv: the header row (row 1) cannot be read: (1) missing column(s) year, source; "
        "expected activity, region_code, year, count, source. It holds: activity, region_code, "
        "count"
    )
