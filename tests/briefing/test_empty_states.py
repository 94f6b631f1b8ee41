"""No value, no chart and no table of headers alone: a note in the page's language says what is
missing; a year without a value is a gap in its line; a chart's notes say only what it draws."""

import re

import numpy as np
import pandas as pd
import pytest
from IPython.display import HTML
from notebook_runner import displayed

from ipanalysis.briefing import charts, sections


@pytest.fixture(autouse=True)
def theme():
    charts.use_theme()


EMPTY = pd.DataFrame({"year": [], "value": [], "status": []})


def _frame(years, values, status="published"):
    return pd.DataFrame({"year": years, "value": values, "status": [status] * len(years)})


def _text(items) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", i.data) for i in items if isinstance(i, HTML))


@pytest.fixture(scope="module")
def pages(data):
    """What the pages display with no demo data (as the scheduled builds run), zh and en."""
    return {
        (name, lang): displayed(
            name, region="松江区", year=2025, lang=lang, demo=False, data_dir=str(data)
        )
        for name in ("commercialisation", "high_value", "international")
        for lang in ("zh", "en")
    }


def test_a_trend_chart_without_values_is_a_note():
    for lines in ([("松江区", EMPTY)], [("松江区", _frame([2024], [np.nan]))]):
        shown = charts.trend_chart(
            lines, title="专利转让许可次数（次）", unit="次", caption="来源：。"
        )
        assert shown.data == '<p class="note">专利转让许可次数（次）：暂无数值，不作图。</p>'
    shown = charts.trend_chart(
        [("A", EMPTY)], title="T", unit="", caption="", empty="none", lang="en"
    )
    assert shown.data == '<p class="note">none</p>'


def test_bar_and_stacked_charts_without_values_are_notes():
    bars = charts.bar_chart(
        pd.Series([np.nan], index=["松江区"]), highlight="松江区", title="T", unit="件", caption=""
    )
    assert bars.data == '<p class="note">T：暂无数值，不作图。</p>'
    stacked = charts.stacked_share_chart(
        pd.DataFrame(), title="Value added", unit="", caption="", lang="en"
    )
    assert stacked.data == '<p class="note">Value added: no values, no chart.</p>'


def test_a_missing_year_is_a_gap_in_the_line():
    chart = charts.trend_chart(
        [("上海市", _frame([2018, 2022, 2023], [2528.0, 5400.0, 6185.0]))],
        title="PCT",
        unit="件",
        caption="来源：x。",
    )
    (line,) = chart.figure.axes[0].lines
    assert list(line.get_xdata()) == [2018, 2019, 2020, 2021, 2022, 2023]
    assert np.isnan(line.get_ydata()[1:4]).all()  # 2019–2021 not drawn: no segment crosses them
    assert list(line.get_ydata()[[0, 4, 5]]) == [2528.0, 5400.0, 6185.0]


def _caption(chart) -> str:
    return chart.figure.texts[0].get_text().replace("\n", "")


def test_only_a_chart_with_hollow_points_says_what_they_are():
    published = charts.trend_chart(
        [("上海市", _frame([2022, 2023], [40.9, 50.2]))], title="t", unit="件", caption="来源：x。"
    )
    assert _caption(published) == "来源：x。"
    derived = _frame([2022, 2023], [40.9, 50.2])
    derived.loc[0, "status"] = "derived"
    hollow = charts.trend_chart([("上海市", derived)], title="t", unit="件", caption="来源：x。")
    assert _caption(hollow) == "来源：x。空心点为推算值。"
    bars = charts.bar_chart(
        pd.Series([3.0, 5.0], index=["甲", "乙"]),
        highlight="甲",
        title="t",
        unit="件",
        caption="来源：x。",
    )
    assert _caption(bars) == "来源：x。"


def test_a_table_without_rows_is_its_note():
    headers_only = pd.DataFrame(columns=["年份", "转让（次）"])
    assert sections.table(headers_only, caption="计数口径", empty="本区暂无数据").data == (
        '<p class="note">本区暂无数据</p>'
    )
    assert "<table" not in sections.table(headers_only).data


def test_commercialisation_without_figures_shows_notes_not_empty_charts(pages):
    items = pages[("commercialisation", "zh")]
    text = _text(items)
    assert [i.data for i in items[:-1] if isinstance(i, HTML) and "<table" in i.data] == []
    assert (
        "本区暂无数据：专利转让登记次数、专利实施许可备案次数、专利转让许可次数、专利质押登记次数、"
        "专利质押融资登记金额（不作估计）。提供本区的专利转让、许可备案和质押登记清单即可计算。"
    ) in text
    assert "松江区暂无专利转让许可次数数值（不作估计），不作图。" in text
    # which files would give the figures is said once, in the table's note above the chart
    assert text.count("提供本区的专利转让、许可备案和质押登记清单即可计算。") == 1
    alts = [i.alt for i in items if isinstance(i, charts.Chart)]
    assert all("；；" not in a for a in alts) and len(alts) == 2  # the two national series
    en = _text(pages[("commercialisation", "en")])
    assert "Patent transfers and licences: no figure for Songjiang (none is estimated)" in en
    assert en.count("Lists of the patent transfers, licences and pledges of the district") == 1


def test_high_value_stock_without_figures_is_a_note(pages):
    text = _text(pages[("high_value", "zh")])
    assert (
        "存量 本区暂无数据：有效发明专利拥有量、高价值发明专利拥有量、每万人口高价值发明专利拥有量"
        "（不作估计）。提供本区的专利清单（专利数据库导出）即可计算。"
    ) in re.sub(r"\s+", " ", text)


def test_no_note_claims_lines_the_chart_does_not_draw(pages):
    for lang in ("zh", "en"):
        text = _text(pages[("international", lang)])
        assert "上级地区与全国" not in text and "parent region and China" not in text
    assert "无本区数据（不作估计）。" in _text(pages[("international", "zh")])


def test_the_pledge_basis_note_speaks_of_the_district_only_where_it_has_figures(pages, data):
    # no district figure (no demo): the note says what the national series is, nothing more
    text = _text(pages[("commercialisation", "zh")])
    assert "全国质押融资金额为专利与商标合计。" in text and "本区数值仅含专利质押" not in text
    with_demo = _text(
        displayed("commercialisation", region="松江区", year=2025, data_dir=str(data))
    )
    assert "本区数值仅含专利质押，两者口径不同，未合并作图。" in with_demo
