"""Review fixes: trend charts leave room round every marker and keep the legend off the lines;
PCT and Madrid filers are applicants; a page names a missing file once; alt texts and notes
read as sentences (one point said once, amounts in CNY, capitals after a full stop)."""

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from IPython.display import HTML
from notebook_runner import displayed

from ipanalysis.briefing import charts, load_briefing, sections
from ipanalysis.briefing.sections.common import sentences


@pytest.fixture(autouse=True)
def theme():
    charts.use_theme()


def _frame(years, values, status="published"):
    return pd.DataFrame({"year": years, "value": values, "status": [status] * len(years)})


def _text(items) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", i.data) for i in items if isinstance(i, HTML))


#: The charts the reviewer saw clipped or crossed: a series ending at its highest value (the
#: patent-intensive share, Madrid), and Shanghai's line above a target of 30 with its legend.
CASES = {
    "share": dict(lines=[("全国", _frame(range(2018, 2024), [11.6, 11.6, 12, 12.4, 12.7, 13.04]))]),
    "madrid": dict(lines=[("上海市", _frame([2021, 2022], [424.0, 477.0]))]),
    "target": dict(
        lines=[
            ("松江区", _frame([], [])),
            ("上海市", _frame([2022, 2023], [40.9, 50.2], "derived")),
            ("全国", _frame(range(2020, 2026), [6.3, 7.5, 9.4, 11.8, 13.9, 16.0])),
        ],
        target=30.0,
        target_year=2026,
        target_label="每万人口高价值发明专利拥有量 ≥ 30 件/万人 (2026)",
    ),
}


def _chart(case: str) -> charts.Chart:
    return charts.trend_chart(title="t", unit="件", caption="来源：x。", **CASES[case])


@pytest.mark.parametrize("case", CASES)
def test_every_marker_has_room_inside_the_axes(case):
    ax = _chart(case).figure.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    points = [p for c in ax.collections for p in c.get_offsets()]
    assert points
    for x, y in points:  # a tenth of the range to spare above, and a year's room beside
        assert y0 <= y <= y1 - 0.1 * (y1 - y0), (case, y, (y0, y1))
        assert x0 + 0.4 <= x <= x1 - 0.4, (case, x, (x0, x1))


@pytest.mark.parametrize("case", CASES)
def test_the_legend_sits_under_the_axes_clear_of_lines_target_and_years(case):
    fig = _chart(case).figure
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    years = ax.xaxis.get_tightbbox()
    assert legend.y1 <= ax.get_window_extent().y0  # nothing drawn in the axes is under it
    assert legend.y1 <= years.y0  # nor the year labels
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts[-1] == CASES[case].get("target_label", texts[-1])


def test_a_one_point_series_is_said_once_in_the_alt_text():
    one = _frame([2020], [6.3])
    zh = charts.trend_chart([("全国", one)], title="t", unit="件/万人", caption="c")
    assert "全国（2020年6.3件/万人）；2020年" in zh.alt and "至" not in zh.alt
    en = charts.trend_chart(
        [("China", one)], title="t", unit="applications", caption="c", lang="en"
    )
    assert "China (6.3 applications in 2020); 2020." in en.alt and " to " not in en.alt


def test_english_amounts_in_100m_cny_read_in_cny():
    amounts = _frame([2015, 2025], [0.24, 3.74])
    en = charts.trend_chart(
        [("Songjiang", amounts)], title="t", unit="100m CNY", caption="c", lang="en"
    )
    assert "(CNY 24 m in 2015 to CNY 374 m in 2025)" in en.alt and "100m CNY in" not in en.alt
    assert charts.say_number(969.46, "亿元", "en") == "CNY 96.95 bn"
    assert charts.say_number(969.46, "亿元", "zh") == "969.46亿元"


@pytest.fixture(scope="module")
def briefings(data):
    return {
        lang: load_briefing("松江区", 2025, lang=lang, data_dir=str(data)) for lang in ("zh", "en")
    }


@pytest.mark.parametrize("table", ["pct", "madrid"])
def test_filers_are_called_applicants_in_every_filers_table(briefings, table):
    for lang, word in (("zh", "合成申请人"), ("en", "Synthetic applicant ")):
        b = briefings[lang]
        items = sections.top_filers(b, b.district_records(table), f"population.{table}")
        soup = BeautifulSoup("".join(i.data for i in items if isinstance(i, HTML)), "html.parser")
        names = [td.get_text() for td in soup.select("td.name")]
        assert names and all(n.startswith(word) for n in names), names


def test_english_notes_start_each_sentence_with_a_capital(briefings):
    b = briefings["en"]
    _, caption = sections.records_mark(b, pd.DataFrame(), "population.patents")
    assert re.search(r"\. [a-z]", caption) is None, caption
    assert "Synthetic demo data" in caption and caption.endswith(".")
    assert sentences(b, ["one", "two."]) == "One. Two."
    assert sentences(briefings["zh"], ["一", "", "二。"]) == "一。二。"


@pytest.fixture(scope="module")
def pages(data):
    """The commercialisation and patent-intensive pages without demo data, zh and en."""
    return {
        (name, lang): displayed(
            name, region="松江区", year=2025, lang=lang, demo=False, data_dir=str(data)
        )
        for name in ("commercialisation", "patent_intensive")
        for lang in ("zh", "en")
    }


def test_a_page_names_the_missing_file_once(pages):
    for lang, hint in (
        ("zh", "提供本区的专利转让、许可备案和质押登记清单即可计算。"),
        (
            "en",
            "Lists of the patent transfers, licences and pledges of the district would give it.",
        ),
    ):
        text = _text(pages[("commercialisation", lang)])
        assert text.count(hint) == 1, lang
        first = text.index(hint)  # in the table's note, the first one, which names the figures
        assert text.rfind("（不作估计）。", 0, first) >= 0 or "(none is estimated)." in text[:first]


def test_english_notes_name_indicators_in_lower_case_and_amounts_in_cny(pages):
    text = re.sub(r"\s+", " ", _text(pages[("commercialisation", "en")]))
    assert "No figure for the district: patent transfer registrations, patent licence" in text
    gdp = re.sub(r"\s+", " ", _text(pages[("patent_intensive", "en")]))
    assert "2014: CNY 96.95 bn" in gdp and "(100m CNY)" not in gdp
    assert re.search(r"[a-z]\. [a-z]", gdp + text) is None
