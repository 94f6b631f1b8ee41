"""The house chart theme and chart builders.

Chinese labels render on any machine: :func:`use_theme` registers the Noto Sans CJK SC font
shipped by the ``mplfonts`` package (never a system font). Charts stay readable in greyscale:
series differ by line style and marker as well as colour, statuses carry a text label and a
symbol, derived (computed, not published) points are hollow, and every chart carries its source
and vintage in a caption. A chart given no values is not drawn: a note says so instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from IPython.display import HTML
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .. import paths
from ..indicators import INDICATORS
from ..locale import text
from .html import render

FONT_FAMILY = "Noto Sans CJK SC"

#: Colour-blind-safe and distinct in greyscale (dark → light), with line styles and markers.
PALETTE = ["#1b4f72", "#c0392b", "#7f8c8d", "#d4ac0d", "#117a65"]
LINESTYLES = ["-", "--", ":", "-.", (0, (1, 1))]
MARKERS = ["o", "s", "^", "D", "v"]
TARGET_COLOUR = "#222222"
#: The unit 亿元 (100 million yuan), as each language labels it: English sentences say such an
#: amount in CNY millions or billions (:func:`say_number`), never "3.74 100m CNY".
AMOUNT_UNITS = frozenset(
    ind.unit_label(lang)
    for ind in INDICATORS.values()
    if ind.unit == "亿元"
    for lang in ("zh", "en")
)
#: Room above the highest point and beside the first and last years (share of the data range),
#: so no marker is cut off by the axes.
HEADROOM = 0.12
#: How a target is drawn on every chart: dark, dashed (readable in greyscale).
TARGET_LINE = {"color": TARGET_COLOUR, "linestyle": (0, (6, 3)), "linewidth": 1.2}

#: Status colours with a symbol, so they survive greyscale printing.
STATUS_STYLE = {
    "met": ("#1e8449", "✓"),  # U+2713: in the packaged font (U+2714 ✔ is not)
    "on_track": ("#2874a6", "●"),
    "at_risk": ("#b9770e", "▲"),
    "off_track": ("#922b21", "▼"),
    "no_data": ("#7b7d7d", "○"),
}


@dataclass(frozen=True)
class Chart:
    """A drawn chart and what it shows in words (its alt text, for readers who cannot see it).

    Displayed in a notebook it is a PNG image carrying the alt text in its metadata; the
    briefing's HTML template writes it into the image's ``alt`` attribute.
    """

    figure: Figure
    alt: str

    def _repr_png_(self):
        from IPython.core.pylabtools import print_figure

        return print_figure(self.figure, "png", bbox_inches="tight"), {"alt": self.alt}


def no_chart(note: str) -> HTML:
    """What a chart function returns when it has no value to draw: the note, never empty axes."""
    return HTML(render("paragraph", text=note, css="note"))


def _has_values(lines) -> bool:
    return any(f["value"].notna().any() for _, f in lines if not f.empty)


def _number(value: float, unit: str, lang: str) -> str:
    """A value with its unit, as the alt text says it (:func:`say_number`)."""
    return say_number(value, unit, lang)


def _trend_alt(lines, title: str, unit: str, target, target_year, lang: str) -> str:
    drawn = [(label, f.sort_values("year")) for label, f in lines if not f.empty]
    parts = [
        text(
            "chart.alt_line" if f["year"].nunique() > 1 else "chart.alt_point",
            lang,
            label=label,
            first=int(f["year"].iloc[0]),
            first_value=_number(f["value"].iloc[0], unit, lang),
            last=int(f["year"].iloc[-1]),
            last_value=_number(f["value"].iloc[-1], unit, lang),
        )
        for label, f in drawn
    ]
    years = [int(y) for _, f in drawn for y in f["year"]]
    span = "–".join(dict.fromkeys(str(y) for y in (min(years), max(years)))) if years else ""
    goal = ""
    if target is not None:
        key = "chart.alt_target" if target_year is not None else "chart.alt_target_noyear"
        goal = text(key, lang, value=target, year=target_year)
    sep = text("common.list_sep", lang)
    return text(
        "chart.alt_trend", lang, title=title, lines=sep.join(parts), years=span, target=goal
    )


def _bar_alt(values: pd.Series, title: str, unit: str, highlight, lang: str) -> str:
    ordered = values.dropna().sort_values()
    if ordered.empty:
        return title
    return text(
        "chart.alt_bar",
        lang,
        title=title,
        count=len(ordered),
        highlight=highlight or "",
        top=f"{ordered.index[-1]} {_number(ordered.iloc[-1], unit, lang)}",
        bottom=f"{ordered.index[0]} {_number(ordered.iloc[0], unit, lang)}",
    )


def _stacked_alt(frame: pd.DataFrame, title: str, lang: str) -> str:
    years = [str(y) for y in frame.index]
    span = f"{years[0]}–{years[-1]}" if years else ""
    sep = "、" if lang == "zh" else ", "
    categories = sep.join(str(c) for c in frame.columns)
    return text("chart.alt_stacked", lang, title=title, years=span, categories=categories)


def font_path() -> str:
    """Path of the packaged CJK font file (:func:`ipanalysis.paths.font_path`)."""
    return str(paths.font_path())


def use_theme() -> None:
    """Apply the house theme: packaged CJK font, seaborn whitegrid, readable sizes.

    In an IPython kernel it also makes figures display as PNG images whatever the matplotlib
    backend: with ``MPLBACKEND=Agg`` (as in scheduled runs) a displayed figure would otherwise
    be published as the text ``<Figure size …>``.
    """
    from IPython import get_ipython
    from matplotlib import font_manager

    shell = get_ipython()
    if shell is not None:
        from IPython.core.pylabtools import select_figure_formats

        select_figure_formats(shell, {"png"}, bbox_inches="tight")

    if FONT_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(font_path())
    sns.set_theme(style="whitegrid", context="notebook", palette=PALETTE)
    mpl.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [FONT_FAMILY],
            "axes.unicode_minus": False,
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "figure.figsize": (7.2, 3.6),
            "axes.titlesize": 12,
            "axes.titleweight": "normal",  # the packaged font has one (regular) weight
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        }
    )


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _caption_tokens(text: str):
    """Spaces, runs of narrow characters (kept whole) and single wide (CJK) characters."""
    for chunk in re.findall(r"\s+|\S+", text):
        run = ""
        for char in chunk:
            if not chunk.isspace() and unicodedata.east_asian_width(char) in "WF":
                if run:
                    yield run
                    run = ""
                yield char
            else:
                run += char
        if run:
            yield run


def wrap_caption(text: str, width: int = 124) -> str:
    """Break a chart caption into lines of at most ``width`` columns (a CJK character is two).

    Lines break at spaces or between CJK characters, never inside a Latin word. Done here rather
    than by matplotlib's ``wrap=True``, which measures the text again and again while drawing
    (a third of a chart's rendering time).

    >>> print(wrap_caption("来源：国家知识产权局（CNIPA）《2023知识产权统计年报》", width=24))
    来源：国家知识产权局（
    CNIPA）《2023知识产权统
    计年报》
    >>> print(wrap_caption("Source: CNIPA, China IP Statistical Yearbook 2022", width=24))
    Source: CNIPA, China IP
    Statistical Yearbook
    2022
    """
    lines, line, used = [], "", 0
    for token in _caption_tokens(text):
        size = _display_width(token)
        if line and used + size > width:
            lines.append(line.rstrip())
            line, used = "", 0
        if not line and token.isspace():
            continue
        line += token
        used += size
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def format_number(value: float | None, unit: str = "", lang: str = "zh") -> str:
    """A number for a reader: 万/亿 for large counts in Chinese, thousands separators in English.

    >>> format_number(241400, "件")
    '24.14万件'
    >>> format_number(241400, "件", lang="en")
    '241,400'
    >>> format_number(8539.9, "亿元"), format_number(50.2, "件/万人"), format_number(None)
    ('8,539.9亿元', '50.2件/万人', '—')
    >>> format_number(13.04, "%")
    '13.04%'
    """
    if value is None or pd.isna(value):
        return "—"
    if lang == "zh" and unit in ("件", "次", "人", "家", "项") and abs(value) >= 1e8:
        return f"{value / 1e8:,.2f}亿{unit}"
    if lang == "zh" and unit in ("件", "次", "人", "家", "项") and abs(value) >= 1e5:
        return f"{value / 1e4:,.2f}万{unit}"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    text = text.rstrip(".")
    if lang == "en":
        return text
    return f"{text}{unit}"


def say_number(value: float | None, unit: str = "", lang: str = "zh") -> str:
    """A number with its unit as a sentence (an alt text, a note) says it.

    In Chinese :func:`format_number`'s figure; in English the figure, then the unit, and an
    amount in 亿元 (100 million yuan) in CNY millions, billions or trillions.

    >>> say_number(3.74, "100m CNY", "en"), say_number(969.46, "亿元", "en")
    ('CNY 374 m', 'CNY 96.95 bn')
    >>> say_number(0.24, "亿元"), say_number(6185, "applications", "en"), say_number(13.04, "%", "en")
    ('0.24亿元', '6,185 applications', '13.04%')
    """
    if lang == "zh" or value is None or pd.isna(value):
        return format_number(value, unit, lang)
    if unit in AMOUNT_UNITS:
        yuan = float(value) * 1e8
        scales = (("chart.amount_tn", 1e12), ("chart.amount_bn", 1e9), ("chart.amount_m", 1e6))
        key, scale = next((k, v) for k, v in scales if abs(yuan) >= v or k == "chart.amount_m")
        return text(key, lang, value=format_number(round(yuan / scale, 2), lang=lang))
    shown = format_number(value, unit, lang)
    return shown + unit if unit == "%" else f"{shown} {unit}".rstrip()


def axis_formatter(unit: str, lang: str = "zh") -> FuncFormatter:
    """Tick labels in 万 for large counts (zh), thousands separators otherwise."""

    def fmt(value, _pos):
        if lang == "zh" and abs(value) >= 1e5 and unit in ("件", "次", "人"):
            return f"{value / 1e4:,.0f}万"
        return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}".rstrip("0").rstrip(".")

    return FuncFormatter(fmt)


def _yearly(frame: pd.DataFrame) -> pd.Series:
    """Values on every year from the first to the last, missing (NaN) where the data have none.

    >>> _yearly(pd.DataFrame({"year": [2018, 2022, 2023], "value": [1.0, 5.0, 6.0]})).tolist()
    [1.0, nan, nan, nan, 5.0, 6.0]
    """
    values = pd.Series(frame["value"].to_numpy(dtype=float), index=frame["year"].astype(int))
    values = values[~values.index.duplicated(keep="last")]
    return values.reindex(range(values.index.min(), values.index.max() + 1))


def _draw_lines(ax, lines: list[tuple[str, pd.DataFrame]]) -> None:
    """One line per series, in the house styles; derived points hollow."""
    for n, (label, frame) in enumerate(lines):
        if frame.empty:
            continue
        frame = frame.sort_values("year")
        colour, style, marker = (
            PALETTE[n % len(PALETTE)],
            LINESTYLES[n % len(LINESTYLES)],
            MARKERS[n % len(MARKERS)],
        )
        yearly = _yearly(frame)  # a missing year is a gap in the line, never bridged
        ax.plot(
            yearly.index, yearly.to_numpy(), color=colour, linestyle=style, linewidth=2, label=label
        )
        derived = frame["status"].eq("derived").to_numpy()
        ax.scatter(
            frame["year"][~derived],
            frame["value"][~derived],
            color=colour,
            marker=marker,
            s=36,
            zorder=3,
        )
        if derived.any():
            ax.scatter(
                frame["year"][derived],
                frame["value"][derived],
                facecolor="white",
                edgecolor=colour,
                marker=marker,
                s=36,
                linewidths=1.5,
                zorder=3,
            )


def _draw_target(ax, target: float, target_year: int | None, label: str) -> None:
    """The target as a dashed line with its value at the right, and a star at its year."""
    ax.axhline(target, label=label or None, **TARGET_LINE)
    ax.annotate(
        f"{target:g}",
        xy=(1, target),
        xycoords=("axes fraction", "data"),
        xytext=(-4, 4),
        textcoords="offset points",
        ha="right",
        fontsize=9,
        color=TARGET_COLOUR,
    )
    if target_year is not None:
        ax.scatter([target_year], [target], marker="*", s=140, color=TARGET_COLOUR, zorder=4)


def _draw_band(ax, band: pd.DataFrame, label: str) -> None:
    """A projection range (``year, low, central, high``): shaded, its central path dotted."""
    ax.fill_between(
        band["year"], band["low"], band["high"], color=PALETTE[0], alpha=0.15, label=label or None
    )
    ax.plot(band["year"], band["central"], color=PALETTE[0], linestyle=":", linewidth=1.5)


def _fit_limits(ax) -> None:
    """Limits holding everything drawn (points, target, band) with room to spare: the y axis
    from zero (or the lowest value, if negative) to :data:`HEADROOM` above the highest point,
    and half a year or more beside the first and last years, so no marker is cut off."""
    (x0, x1), (y0, y1) = ax.dataLim.intervalx, ax.dataLim.intervaly
    low = min(0.0, y0)
    room = HEADROOM * ((y1 - low) or abs(y1) or 1.0)
    ax.set_ylim(low - (room if low < 0 else 0), y1 + room)
    side = max(0.5, HEADROOM * (x1 - x0) / 3)
    ax.set_xlim(x0 - side, x1 + side)


def _legend_columns(labels: list[str], width: int = 95) -> list[int]:
    """How many entries each column of a legend holds: as many columns as fit ``width``
    (display columns, a CJK character two) when split as matplotlib splits them.

    >>> _legend_columns(["上海市", "全国", "目标 30"]), _legend_columns(["a" * 60, "b" * 60, "c"])
    ([1, 1, 1], [2, 1])
    """
    for columns in range(len(labels), 1, -1):
        rows, larger = -(-len(labels) // columns), len(labels) % columns or columns
        sizes = [rows] * larger + [rows - 1] * (columns - larger)
        starts = [sum(sizes[:n]) for n in range(columns)]
        parts = [labels[a : a + n] for a, n in zip(starts, sizes, strict=True)]
        if sum(max(map(_display_width, p)) + 8 for p in parts) <= width:
            return sizes
    return [len(labels)]


def _legend_below(ax) -> int:
    """The legend under the axes (below the year labels), never over a line or the target;
    its entries side by side as far as they fit. Returns its number of rows (0: none)."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return 0
    sizes = _legend_columns(labels)
    tick = mpl.font_manager.FontProperties(size=mpl.rcParams["xtick.labelsize"])
    below = mpl.rcParams["xtick.major.size"] + mpl.rcParams["xtick.major.pad"]
    below += 1.4 * tick.get_size_in_points() + 4  # the year labels' height, and a gap
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(0, 0),
        borderaxespad=below / 9,  # in the legend's font size (9 points)
        borderpad=0,
        fontsize=9,
        ncols=len(sizes),
    )
    return sizes[0]


def trend_chart(
    lines: list[tuple[str, pd.DataFrame]],
    *,
    title: str,
    unit: str,
    caption: str,
    target: float | None = None,
    target_year: int | None = None,
    target_label: str = "",
    lang: str = "zh",
    band: pd.DataFrame | None = None,
    band_label: str = "",
    empty: str = "",
) -> Chart | HTML:
    """Lines of yearly values (frames with ``year``, ``value``, ``status``) and a target marker.

    Derived points are drawn hollow (and the caption then says so); a year without a value is a
    gap in its line. The axes leave room around every point and the legend sits under them,
    clear of the lines and the target. The caption (source, vintage, notes) is printed under
    the legend. ``band`` (``year, low, central, high``) draws a projection range. Returns the
    chart (its figure closed to pyplot, so notebooks display it once) with its description;
    with no value in any line, the note ``empty`` (by default one naming the chart) instead.
    """
    if not _has_values(lines):
        return no_chart(empty or text("chart.no_values", lang, title=title))
    if any(f["status"].eq("derived").any() for _, f in lines if not f.empty):
        caption = text("chart.hollow", lang, caption=caption)
    fig, ax = plt.subplots()
    _draw_lines(ax, lines)
    if target is not None:
        _draw_target(ax, target, target_year, target_label)
    if band is not None and not band.empty:
        _draw_band(ax, band, band_label)
    ax.set_title(title, loc="left")
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(axis_formatter(unit, lang))
    ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    _fit_limits(ax)
    rows = _legend_below(ax)  # the figure grows by the legend, the axes keep their height
    fig.set_size_inches(fig.get_figwidth(), fig.get_figheight() + 0.2 * rows + 0.1 * bool(rows))
    fig.text(0.01, -0.02, wrap_caption(caption), ha="left", va="top", fontsize=8, color="#444444")
    fig.tight_layout()
    plt.close(fig)
    return Chart(fig, _trend_alt(lines, title, unit, target, target_year, lang))


def bar_chart(
    values: pd.Series,
    *,
    highlight: str | None,
    title: str,
    unit: str,
    caption: str,
    target: float | None = None,
    target_label: str = "",
    lang: str = "zh",
    empty: str = "",
) -> Chart | HTML:
    """Horizontal bars, largest on top (e.g. the 16 districts), the highlighted one dark.

    Bars differ in lightness and the highlighted bar is hatched, so it stands out in greyscale.
    With no value, the note ``empty`` (by default one naming the chart) instead of empty axes.
    """
    values = values.dropna().sort_values()
    if values.empty:
        return no_chart(empty or text("chart.no_values", lang, title=title))
    fig, ax = plt.subplots(figsize=(7.2, max(2.4, 0.28 * len(values) + 1.0)))
    colours = [PALETTE[0] if label == highlight else "#aab7b8" for label in values.index]
    bars = ax.barh([str(i) for i in values.index], values.to_numpy(), color=colours)
    for bar, label in zip(bars, values.index, strict=True):
        if label == highlight:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    if target is not None:
        ax.axvline(target, label=target_label or None, **TARGET_LINE)
        ax.legend(loc="lower right", fontsize=9)
    ax.set_title(title, loc="left")
    ax.set_xlabel(unit)
    ax.xaxis.set_major_formatter(axis_formatter(unit, lang))
    ax.grid(axis="y", visible=False)
    fig.text(0.01, -0.02, wrap_caption(caption), ha="left", va="top", fontsize=8, color="#444444")
    fig.tight_layout()
    plt.close(fig)
    return Chart(fig, _bar_alt(values, title, unit, highlight, lang))


def stacked_share_chart(
    frame: pd.DataFrame, *, title: str, unit: str, caption: str, lang: str = "zh", empty: str = ""
) -> Chart | HTML:
    """Stacked bars of categories (columns) by year (index), hatched for greyscale reading.

    With no value, the note ``empty`` (by default one naming the chart) instead of empty axes.
    """
    if not frame.notna().any().any():
        return no_chart(empty or text("chart.no_values", lang, title=title))
    fig, ax = plt.subplots()
    bottom = None
    hatches = ["", "//", "..", "xx", "\\\\", "--", "++", "oo"]
    for n, column in enumerate(frame.columns):
        ax.bar(
            [str(y) for y in frame.index],
            frame[column].fillna(0).to_numpy(),
            bottom=bottom,
            label=str(column),
            color=PALETTE[n % len(PALETTE)],
            hatch=hatches[n % len(hatches)],
            edgecolor="white",
        )
        bottom = frame[column].fillna(0).to_numpy() + (0 if bottom is None else bottom)
    ax.set_title(title, loc="left")
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(axis_formatter(unit, lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.text(0.01, -0.02, wrap_caption(caption), ha="left", va="top", fontsize=8, color="#444444")
    fig.tight_layout()
    plt.close(fig)
    return Chart(fig, _stacked_alt(frame, title, lang))
