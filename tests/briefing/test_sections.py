"""Theme sections and scorecard charts, read as a briefing reader would (no kernels)."""

import dataclasses
import re

import pandas as pd
import pytest
from IPython.display import HTML
from matplotlib.figure import Figure
from notebook_runner import displayed

from ipanalysis import high_value
from ipanalysis.briefing import load_briefing, sections


@pytest.fixture(scope="module")
def briefing(data):
    return load_briefing("松江区", 2025, data_dir=str(data))


@pytest.fixture(scope="module")
def pages(data):
    """What each theme notebook displays, run in this process."""
    return {
        name: displayed(name, region="松江区", year=2025, data_dir=str(data))
        for name in ("high_value", "international", "patent_intensive")
    }


def _text(items) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", i.data) for i in items if isinstance(i, HTML))


def test_table_escapes_and_formats_cells():
    frame = pd.DataFrame({"申请人": ["<b>甲</b>", "乙"], "件数": [1234.0, 2.5]})
    assert sections.table(frame, sortable=True, caption="注").data == (
        '<table class="datatable sortable"><thead><tr><th>申请人</th><th>件数</th></tr></thead>'
        '<tbody><tr><td>&lt;b&gt;甲&lt;/b&gt;</td><td data-v="1234.0">1,234</td></tr>'
        '<tr><td>乙</td><td data-v="2.5">2.5</td></tr></tbody></table><p class="note">注</p>'
    )


def test_a_patentee_named_like_a_script_shows_as_text(briefing):
    records = dict(briefing.records)
    pct = records["pct"].copy()
    own = (pct["region"].astype(str) == "310117") & (pct["filing_date"].dt.year == 2025)
    pct["applicant"] = pct["applicant"].astype("object")
    pct.loc[own, "applicant"] = "<script>alert(1)</script>"
    records["pct"] = pct
    hostile = dataclasses.replace(briefing, records=records)
    items = sections.top_filers(hostile, hostile.district_records("pct"), "population.pct")
    pages = "".join(i.data for i in items if isinstance(i, HTML))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages
    assert "<script" not in pages


def test_every_scorecard_chart_draws_data(briefing):
    items = sections.indicator_sections(briefing)
    for head, chart in zip(items[::2], items[1::2], strict=True):
        assert isinstance(chart.figure, Figure), head.data
        assert chart.alt, head.data
        drawn = [line for line in chart.figure.axes[0].lines if len(line.get_xdata())]
        assert drawn, head.data


def _pledge_chart(b):
    items = sections.indicator_sections(b)
    (chart,) = [
        chart
        for head, chart in zip(items[::2], items[1::2], strict=True)
        if "知识产权质押融资" in head.data
    ]
    return [t.get_text() for t in chart.figure.axes[0].get_legend().get_texts()]


def test_pledge_financing_falls_back_to_the_national_series(data):
    # without a district figure on either basis (the demo off), the national series is drawn
    assert _pledge_chart(load_briefing("松江区", 2025, demo=False, data_dir=str(data))) == ["全国"]


def test_pledge_financing_reads_patent_pledges_as_the_plan_allows(briefing):
    # the demo's patent pledges, as an office's pledge list would be read (the plan's
    # also_bases); the all-IP series of the city and the nation are another basis: not beside it
    assert _pledge_chart(briefing) == ["松江区（演示数据）"]
    row = briefing.scorecard.set_index("id").loc["pledge_growth"]
    assert row["basis"] == "patent" and row["value_status"] == "synthetic" and row["demo_status"]


def test_high_value_criteria_table_is_the_engines_breakdown(briefing, pages):
    patents = briefing.records["patents"]
    own = high_value.held_domestically(patents[patents["region"].astype(str) == "310117"])
    parts = high_value.breakdown(high_value.classify(own, pd.Timestamp("2025-12-31")))
    total = parts.loc[parts["criterion"] == "all (counted once)", "patents"].iloc[0]
    text = _text(pages["high_value"])
    assert f"合计（每件只计一次） {total:,.0f}" in re.sub(r"\s+", " ", text)
    assert "高价值发明专利定义 cnipa-2021/2：维持年限自申请日起超过10年" in text
    assert "2025年末高价值构成‡" in text


def test_demo_sections_are_marked(pages):
    text = _text(pages["international"])
    assert "2025年主要申请人‡" in text
    assert text.count("合成演示数据") >= 2


def test_patent_intensive_says_there_is_no_district_figure(pages):
    text = _text(pages["patent_intensive"])
    assert (
        "松江区专利密集型产业增加值及其占GDP比重暂无公布数据（国家统计局、国家知识产权局仅公布全国数据），"
        "本节以全国公布数作参照，不作估计。"
    ) in text


def test_a_briefing_is_loaded_once_per_parameters_and_again_when_the_plan_changes(data, briefing):
    import os

    again = load_briefing("松江区", 2025, data_dir=str(data))
    assert again is load_briefing("松江区", 2025, data_dir=str(data))
    assert load_briefing("松江区", 2025, lang="en", data_dir=str(data)).lang == "en"
    plan = data / "plans" / "songjiang-2024-2026.yaml"
    first = load_briefing("松江区", 2025, data_dir=str(data))
    stat = plan.stat()
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_briefing("松江区", 2025, data_dir=str(data)) is not first
