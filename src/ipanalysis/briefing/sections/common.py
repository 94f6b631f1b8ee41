"""Pieces every briefing page uses: headings, notes, tables, values, badges, trends, peers."""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from ...analysis import higher_is_better, peer_values, rank_among
from ...high_value.observations import noted_population_year
from ...indicators import INDICATORS
from ...synthetic import TABLE_INDICATORS
from .. import charts
from ..bundle import Briefing
from ..html import render

#: The mark of a value, rank or status computed from synthetic demo data.
DEMO_MARK = "‡"
#: The mark of a derived value (computed, not published).
DERIVED_MARK = "†"


def heading(text: str, level: int = 2) -> HTML:
    """A heading of ``level`` (2 = a section, 3 = a part of one)."""
    return HTML(render("heading", text=text, level=level))


def paragraph(text: str, css: str = "") -> HTML:
    """A paragraph; ``css="note"`` for the small grey notes under charts and tables."""
    return HTML(render("paragraph", text=text, css=css))


def _cell(value, name: bool = False) -> dict:
    if isinstance(value, float) and not pd.isna(value):
        text = charts.format_number(value, lang="en")  # thousands separators, no unit
        return {"number": value, "text": text, "name": name}
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return {"number": None, "text": "", "name": name}
    return {"number": None, "text": value, "name": name}


def table(
    frame: pd.DataFrame,
    *,
    sortable: bool = False,
    caption: str = "",
    names: tuple = (),
    empty: str = "",
) -> HTML:
    """An escaped HTML table (index dropped); ``sortable`` adds click-to-sort column heads.

    Cells of the ``names`` columns hold proper names (applicants, patentees): they are written
    as given, whatever the page's language, and marked ``class="name"``. A frame without rows
    gives the note ``empty`` (what is missing) instead of a table of headers alone, or nothing
    when no note is given.
    """
    if frame.empty:
        return paragraph(empty, "note") if empty else HTML("")
    flags = [column in names for column in frame.columns]
    return HTML(
        render(
            "table",
            classes="datatable sortable" if sortable else "datatable",
            columns=list(frame.columns),
            rows=[
                [_cell(v, f) for v, f in zip(record, flags, strict=True)]
                for record in frame.itertuples(index=False)
            ],
            caption=caption,
        )
    )


def badge(b: Briefing, status: str) -> dict:
    """A status badge's view: status, colour and symbol (readable in greyscale), label."""
    colour, symbol = charts.STATUS_STYLE[status]
    return {
        "status": status,
        "colour": colour,
        "symbol": symbol,
        "label": b.text(f"status.{status}"),
    }


def status_badge(b: Briefing, row) -> dict:
    """A scorecard row's status badge: a row not assessed (a year before the plan) says so,
    and ``mark`` is ‡ where the status was computed from demo figures."""
    view = badge(b, row.status)
    if not row.assessed:
        view = {**view, "label": b.text("scorecard.not_assessed")}
    return {**view, "mark": DEMO_MARK if row.demo_status else ""}


def value_view(b: Briefing, value, unit: str, status, year) -> dict | None:
    """A value's view: the number as a reader reads it, its mark (†, ‡), title and year."""
    if value is None or pd.isna(value):
        return None
    mark = {"derived": DERIVED_MARK, "synthetic": DEMO_MARK}.get(status, "")
    return {
        "text": charts.format_number(value, unit, b.lang),
        "mark": mark,
        "title": b.text(f"page.{status}") if mark else "",
        "synthetic": status == "synthetic",
        "year": None if year is None or pd.isna(year) else int(year),
    }


def is_demo(frame: pd.DataFrame) -> bool:
    """Whether every value of a series is synthetic demo data."""
    return bool(len(frame)) and bool((frame["status"] == "synthetic").all())


def line_label(b: Briefing, code: str, frame: pd.DataFrame) -> str:
    """A chart line's label: the region's name, marked when its values are demo data."""
    return b.place_name(code) + (b.text("page.synthetic_label") if is_demo(frame) else "")


def file_hint(b: Briefing, indicators) -> str:
    """Which of the office's files would give the region's figure of ``indicators`` (its patent
    export, PCT, Madrid or transaction lists), or '' where no such file gives one."""
    tables = [t for t, given in TABLE_INDICATORS.items() if set(indicators) & set(given)]
    return b.text("common.sentence_sep").join(b.text(f"chart.hint.{t}") for t in tables)


def sentences(b: Briefing, parts) -> str:
    """Sentences joined into one note, empty ones left out. In English each starts with a
    capital letter (the demo note, say, starts in lower case where it is a label); each ends
    with a full stop."""
    said = [p.strip() for p in parts if p and p.strip()]
    if b.lang == "en":
        said = [p[:1].upper() + p[1:] for p in said]
    stop = b.text("common.full_stop")
    said = [p if p[-1] in ".。!?！？" else p + stop for p in said]
    return b.text("common.sentence_sep").join(said)


def in_sentence(b: Briefing, name: str) -> str:
    """An indicator's name inside an English sentence: its first letter in lower case, unless
    it starts an acronym ("PCT …", "IP …")."""
    if b.lang == "en" and name[1:2].islower():
        return name[:1].lower() + name[1:]
    return name


def _chart_hint(b: Briefing, indicator: str, codes: list[str]) -> str:
    """The file hint under a chart with no value (which file would give the region's figure).

    A chart of the region alone stands beside the region's table of its file's figures (the
    commercialisation page), whose note says the hint first when the region has none of them:
    the chart then leaves it out, so a page says it once.
    """
    if b.region_code not in codes:
        return ""
    if set(filter(None, codes)) == {b.region_code}:
        given = [i for t, ids in TABLE_INDICATORS.items() if indicator in ids for i in ids]
        obs = b.observations
        own = obs[(obs["region_code"] == b.region_code) & obs["indicator"].isin(given)]
        if own[own["year"] <= b.year]["value"].isna().all():
            return ""  # the table of these figures is a note too, and names the file
    return file_hint(b, [indicator])


def trend(b: Briefing, indicator: str, basis: str, codes: list[str], **kwargs) -> Figure | HTML:
    """The indicator's yearly values for each region of ``codes``, with the sources' caption;
    where none of them has a value, a note saying so (and which file would give the region's).

    Keyword arguments go to :func:`ipanalysis.briefing.charts.trend_chart` (target, band …).
    """
    ind = INDICATORS[indicator]
    lines = []
    for code in dict.fromkeys(c for c in codes if c):
        frame = b.series(indicator, basis, code)
        lines.append((line_label(b, code, frame), frame))
    title = b.text("page.chart_title", name=ind.name(b.lang), unit=ind.unit_label(b.lang))
    regions = b.text("chart.regions_sep").join(b.place_name(c) for c in dict.fromkeys(codes) if c)
    empty = b.text("chart.no_figure", regions=regions, name=ind.name(b.lang))
    empty = sentences(b, [empty, _chart_hint(b, indicator, codes)])
    return charts.trend_chart(
        lines,
        title=title,
        unit=ind.unit_label(b.lang),
        caption=b.sources_caption([f for _, f in lines]),
        lang=b.lang,
        empty=empty,
        **kwargs,
    )


def yearly_table(
    b: Briefing, columns: dict[str, tuple[str, str]], years: int = 6, population: str = ""
) -> HTML:
    """The region's values by year: ``columns`` maps a catalogue key to (indicator, basis).

    ``population`` is the catalogue key of the sentence saying whose patents the counts count.
    """
    out, cited, borrowed = {}, {}, {}
    demo = False
    for key, (indicator, basis) in columns.items():
        frame = b.series(indicator, basis)
        demo = demo or is_demo(frame)
        out[b.text(key)] = frame.set_index("year")["value"]
        real = frame[frame["status"] != "synthetic"]
        words = real["source"] if b.lang == "zh" else real["source_en"].fillna(real["source"])
        cited.update(dict.fromkeys(words.dropna()))
        borrowed.update(_population_years(real))
    frame = pd.DataFrame(out).sort_index().tail(years)
    if frame.empty:
        return table(frame, empty=_no_rows(b, [ind for ind, _ in columns.values()]))
    frame.index.name = b.text("common.year")
    joined = b.text("common.list_sep").join(cited)
    sources = b.text("page.table_sources", sources=joined) if cited else ""
    shown = set(frame.index)
    pairs = [(y, p) for y, p in sorted(borrowed.items()) if y in shown]
    borrowed_note = (
        b.text(
            "page.population_year",
            pairs=b.text("common.list_sep").join(
                b.text("page.population_pair", year=y, population_year=p) for y, p in pairs
            ),
        )
        if pairs
        else ""
    )
    notes = [
        b.text(population) if population else "",
        sources,
        borrowed_note,
        b.text("page.synthetic") if demo else "",
    ]
    note = sentences(b, notes)
    return table(frame.reset_index().astype({frame.index.name: str}), caption=note)


def _no_rows(b: Briefing, indicators: list[str]) -> str:
    """The note for a table of the region's figures when it has none: what is missing, and
    which of the office's files would give it."""
    names = b.text("common.enum_sep").join(
        in_sentence(b, INDICATORS[i].name(b.lang)) for i in indicators
    )
    return sentences(b, [b.text("page.no_rows", names=names), file_hint(b, indicators)])


def _population_years(rows: pd.DataFrame) -> dict[int, int]:
    """Years whose per-10k figure divides by another year's population (from ``basis_note``)."""
    found = noted_population_year(rows["basis_note"])
    pairs = zip(rows["year"], found, strict=True)
    return {int(y): int(p) for y, p in pairs if isinstance(p, str) and int(p) != int(y)}


def records_mark(b: Briefing, frame: pd.DataFrame, population: str = "") -> tuple[str, str]:
    """(mark, caption) for a figure from records: ‡ and the demo note, or the office's source;
    the caption starts with the sentence of catalogue key ``population`` (whose records)."""
    lead = b.text(population) if population else ""
    if frame.attrs.get("synthetic", True):
        return DEMO_MARK, sentences(b, [lead, b.text("page.synthetic")])
    sources = "；".join(frame.attrs.get("sources", {}).values())
    return "", sentences(b, [lead, b.text("records.source", sources=sources)])


def peer_chart(b: Briefing, indicator: str, basis: str, with_target: bool = False) -> list:
    """The indicator at the reporting year for every peer region, the region highlighted, and
    the region's rank (the indicator's direction decides which end ranks first).

    ``with_target`` draws the plan's level target on the indicator, if it has one.
    """
    ind = INDICATORS[indicator]
    level = b.target(indicator) if with_target else None
    target = level.value if level else None
    by_code = peer_values(b.index, indicator, basis, b.peer_codes, b.year, b.region_code)
    if len(by_code) < 2:  # the region alone (or none): nothing to rank against
        return [paragraph(b.text("peers.none"), "note")]
    values = pd.Series(by_code.to_numpy(), index=[b.region_name(c) for c in by_code.index])
    frames = [b.series(indicator, basis, c) for c in by_code.index]
    mark = DEMO_MARK if by_code.attrs["demo"] else ""
    title = b.text("peers.title", year=b.year, name=ind.name(b.lang), count=len(values)) + mark
    fig = charts.bar_chart(
        values,
        highlight=b.region_name(),
        title=title,
        unit=ind.unit_label(b.lang),
        caption=b.sources_caption(frames),
        target=target,
        target_label=b.text("common.target_value", value=target) if target else "",
        lang=b.lang,
    )
    rank = rank_among(by_code, b.region_code, higher_is_better(indicator))
    text = (
        b.text("peers.rank", region=b.region_name(), rank=rank, count=len(values))
        if rank
        else b.text("peers.unranked")
    )
    if mark:
        text += b.text("peers.demo_rank") + mark
    return [fig, paragraph(text, "note")]
