"""Chinese text renders with the packaged font, never a system font; numbers read 万/亿."""

import warnings

import matplotlib
import pandas as pd
from matplotlib import font_manager

from ipanalysis.briefing import charts


def test_packaged_font_is_used_for_chinese_labels(tmp_path):
    charts.use_theme()
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
    found = font_manager.findfont(
        font_manager.FontProperties(family="Noto Sans CJK SC"), fallback_to_default=False
    )
    assert found == charts.font_path()
    assert "mplfonts" in found


def test_a_chart_with_chinese_text_draws_every_glyph(tmp_path):
    charts.use_theme()
    frame = pd.DataFrame(
        {"year": [2022, 2023], "value": [40.9, 50.2], "status": ["derived", "published"]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" would raise here
        fig = charts.trend_chart(
            [("上海市", frame)],
            title="每万人口高价值发明专利拥有量",
            unit="件/万人",
            caption="来源：上海市知识产权局（2024-02-22）",
            target=30,
            target_year=2026,
            target_label="目标 30",
        )
        fig.figure.savefig(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").stat().st_size > 10_000
    legend = [t.get_text() for t in fig.figure.axes[0].get_legend().get_texts()]
    assert legend == ["上海市", "目标 30"]
    assert fig.alt == (
        "折线图：每万人口高价值发明专利拥有量；上海市（2022年40.9件/万人至2023年50.2件/万人）；"
        "2022–2023年；目标30（2026年）。"
    )
    png, meta = fig._repr_png_()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and meta == {"alt": fig.alt}


def test_format_number_units():
    assert charts.format_number(6185, "件") == "6,185件"
    assert charts.format_number(613000, "次") == "61.30万次"
    assert charts.format_number(1.2e9, "件") == "12.00亿件"
    assert charts.format_number(613000, "次", "en") == "613,000"


def test_a_projection_band_above_the_data_is_inside_the_axes():
    charts.use_theme()
    frame = pd.DataFrame({"year": [2024, 2025], "value": [77.3, 92.4], "status": ["synthetic"] * 2})
    band = pd.DataFrame(
        {
            "year": [2025, 2026],
            "low": [92.4, 101.3],
            "central": [92.4, 102.2],
            "high": [92.4, 107.5],
        }
    )
    fig = charts.trend_chart(
        [("松江区", frame)], title="t", unit="件/万人", caption="c", band=band, band_label="区间"
    )
    bottom, top = fig.figure.axes[0].get_ylim()
    assert bottom == 0 and top >= 107.5


def test_status_symbols_are_in_the_packaged_font():
    from fontTools.ttLib import TTFont

    cmap = TTFont(charts.font_path(), fontNumber=0, lazy=True).getBestCmap()
    symbols = [symbol for _, symbol in charts.STATUS_STYLE.values()]
    assert [s for s in symbols if ord(s) not in cmap] == []
