"""The frame of every briefing: header, scorecard, indicator charts, activities, definitions
and provenance."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from ...analysis import NATION, plan_words, revisions
from ...high_value import HighValueDefinition
from ...indicators import DEFINITIONS_VERSION, INDICATORS, Indicator, Ratio
from ...io.readers import RECORD_KINDS
from ...plans import STATUSES
from .. import charts
from ..bundle import Briefing
from ..html import render
from .common import DEMO_MARK, line_label, paragraph, status_badge, value_view
from .parameters import parameter_view

#: Indicator kinds whose national values would dwarf a district's on one chart.
COUNT_KINDS = ("stock", "flow")
#: The page words the frame's templates use (``page.<word>`` in the catalogue).
PAGE_WORDS = (
    "scorecard", "item", "target", "value", "status", "nation", "source", "no_region_data",
    "activities", "definitions", "definition", "unit", "formula", "provenance", "publisher",
    "vintage", "caveats", "params", "defs_version", "code_version", "generated", "derived",
    "revisions", "notes",
)  # fmt: skip


def page_words(b: Briefing) -> dict[str, str]:
    """The frame's words in the briefing's language, the region's words filled in."""
    return {word: b.text(f"page.{word}") for word in PAGE_WORDS}


def banner(b: Briefing) -> str:
    """The demo-data banner text (empty when no synthetic figure is shown)."""
    return b.text("page.banner") if b.synthetic_shown else ""


def header(b: Briefing, theme: str = "") -> HTML:
    """Title, subtitle, the status summary (:func:`status_counts`) and (when demo data are
    shown) the banner.

    ``theme`` names a theme notebook (e.g. ``"high_value"``) whose title joins the heading.
    """
    split = bool(b.scorecard["demo_status"].any())  # real and demo counts: two sentences
    key = "page.summary_split" if split else "page.summary"
    summary = b.text(key, n=len(b.scorecard), counts=status_counts(b))
    subtitle = b.text(
        "page.subtitle", plan=b.plan.name(b.lang), year=b.year, today=dt.date.today().isoformat()
    )
    return HTML(
        render(
            "header",
            title=b.text("page.title", region=b.region_name()),
            theme=b.text(f"theme.{theme}") if theme else "",
            subtitle=subtitle,
            summary=summary,
            banner=banner(b),
        )
    )


def _counted(b: Briefing, statuses: pd.Series) -> str:
    counts = statuses.value_counts()
    return b.text("common.comma").join(
        b.text(f"scorecard.tally.{s}", n=int(counts[s])) for s in STATUSES if s in counts
    )


def status_counts(b: Briefing) -> str:
    """The statuses counted for the header: those from real figures (quotable), then apart
    the ones computed from demo figures (‡) and the items not assessed (a year before the
    plan). Every page of a build counts the one scorecard, so all give the same line."""
    card = b.scorecard
    assessed, demo = card["assessed"].astype(bool), card["demo_status"].astype(bool)
    real = card[assessed & ~demo]
    parts = [_counted(b, real["status"])] if len(real) else []
    if demo.any():  # the real count first, said to be one; then the demo count, marked ‡
        parts = [
            b.text("scorecard.summary_real", counts=parts[0])
            if parts
            else b.text("scorecard.summary_no_real"),
            b.text(
                "scorecard.summary_demo",
                k=int(demo.sum()),
                counts=_counted(b, card[demo]["status"]),
            ),
        ]
    if not assessed.all():
        k = int((~assessed).sum())
        parts.append(b.text("scorecard.summary_not_assessed", k=k, **plan_words(b.plan, b.year)))
    return b.text("common.list_sep").join(parts)


def _value(b: Briefing, ind, value, status, year) -> dict | None:
    """A scorecard cell: the value with its unit, said as the page's sentences say it
    (:func:`~ipanalysis.briefing.charts.say_number`: in English, 亿元 as CNY millions or
    billions), its status mark and year."""
    view = value_view(b, value, ind.unit, status, year)
    if view is None or b.lang == "zh":  # Chinese numbers carry their unit
        return view
    return {**view, "text": charts.say_number(value, ind.unit_label(b.lang), b.lang)}


def _sources(b: Briefing, row, show_nation: bool) -> list[str]:
    """The source of every figure the row shows, each once, naming whose figures it gave
    where the figures come from more than one source."""
    shown = [
        (b.region_code, row.value, row.source),
        (b.parent, row.parent_value, row.parent_source),
    ]
    if show_nation:
        shown.append((NATION, row.nation_value, row.nation_source))
    cited: dict[str, list[str]] = {}
    for code, value, source in shown:
        if code and value is not None and not pd.isna(value) and isinstance(source, str):
            cited.setdefault(source, [])
            if b.place_name(code) not in cited[source]:
                cited[source].append(b.place_name(code))
    if len(cited) == 1:
        return list(cited)
    comma = b.text("common.comma")
    return [b.text("scorecard.source_of", places=comma.join(p), source=s) for s, p in cited.items()]


def _scorecard_row(b: Briefing, row, show_nation: bool = True) -> dict:
    ind = INDICATORS[row.indicator]
    notes = []
    if row.rank is not None and not pd.isna(row.rank):  # a rank among demo figures: ‡
        mark = DEMO_MARK if row.rank_demo else ""
        notes.append(b.text("page.rank", rank=int(row.rank), peers=int(row.peers)) + mark)
    if row.required_growth is not None and not pd.isna(row.required_growth):
        notes.append(b.text("page.required", g=row.required_growth))
    if row.interpretation:
        notes.append(b.text("page.interpretation", text=row.interpretation))
    return {
        "item": row.item,
        "target": row.target,
        "notes": notes,
        "value": _value(b, ind, row.value, row.value_status, row.value_year),
        "badge": status_badge(b, row),
        "parent": _value(b, ind, row.parent_value, row.parent_status, row.parent_year),
        "nation": _value(b, ind, row.nation_value, row.nation_status, row.nation_year),
        "sources": _sources(b, row, show_nation),
    }


def scorecard_table(b: Briefing) -> HTML:
    """Every plan indicator: target, the region's value, status, parent and nation, source."""
    card = b.scorecard[b.scorecard["section"] == "indicator"]
    legend = b.text("page.legend", p=f"{b.plan.rules['at_risk_progress']:.0%}")
    show_nation = b.parent != NATION  # a province's parent is the nation: one column
    assessed = bool(card["assessed"].all())
    return HTML(
        render(
            "scorecard",
            t=page_words(b),
            parent=b.place_name(b.parent),
            show_nation=show_nation,
            rows=[_scorecard_row(b, row, show_nation) for row in card.itertuples()],
            legend=legend,
            plan_note=""
            if assessed
            else b.text("scorecard.before_baseline", **plan_words(b.plan, b.year)),
        )
    )


def _indicator_lines(b: Briefing, indicator: str, basis: str) -> list:
    """Chart lines of one indicator: region and parent; the nation where it does not dwarf."""
    ind = INDICATORS[indicator]
    codes = [b.region_code, b.parent]
    if ind.kind not in COUNT_KINDS:
        codes.append(NATION)
    lines = []
    for code in dict.fromkeys(codes):
        if code:
            frame = b.series(indicator, basis, code)
            lines.append((line_label(b, code, frame), frame))
    if NATION not in codes and all(frame.empty for _, frame in lines):
        frame = b.series(indicator, basis, NATION)  # nothing to dwarf
        lines.append((line_label(b, NATION, frame), frame))
    return lines


def _indicator_chart(b: Briefing, indicator: str, lines: list):
    if all(frame.empty for _, frame in lines):
        return paragraph(b.text("page.no_chart"), "note")
    ind = INDICATORS[indicator]
    level = b.target(indicator)
    return charts.trend_chart(
        lines,
        title=b.text("page.chart_title", name=ind.name(b.lang), unit=ind.unit_label(b.lang)),
        unit=ind.unit_label(b.lang),
        caption=b.sources_caption([f for _, f in lines]),
        target=level.value if level else None,
        target_year=level.by if level else None,
        target_label=level.label(b.lang, scope=b.place["scope"]) if level else "",
        lang=b.lang,
    )


def _indicator_head(b: Briefing, indicator: str, lines: list) -> HTML:
    rows = b.scorecard[b.scorecard["indicator"] == indicator]
    notes = [n for n in rows["note"] if n]
    # a row judged without a district figure already says so in its note: say it once
    said = any(r.assessed and (r.value is None or pd.isna(r.value)) for r in rows.itertuples())
    if lines[0][1].empty and not said:
        notes.append(b.text("page.no_data_note"))
    twins = len(rows) > 1  # one indicator, several targets: each badge names its target
    return HTML(
        render(
            "indicator",
            name=INDICATORS[indicator].name(b.lang),
            badges=[
                {**status_badge(b, r), "target": r.target if twins else ""}
                for r in rows.itertuples()
            ],
            quote_word=b.text("page.quote"),
            colon=b.text("common.colon"),
            quotes=b.text("common.list_sep").join(dict.fromkeys(rows["quote"])),
            notes=list(dict.fromkeys(notes)),
        )
    )


def indicator_sections(b: Briefing) -> list:
    """For each plan indicator: a heading with its status notes, then its trend chart.

    Counts are charted for the region and its parent; the country joins only when neither
    has a value (its counts would dwarf a district's). With no value at all, a note replaces
    the chart. Returns the items in reading order: heading, chart, heading, chart, …
    """
    items: list = []
    card = b.scorecard[b.scorecard["section"] == "indicator"]
    used = dict(zip(card["id"], card["basis"], strict=True))  # an also_basis where it was read
    pairs = dict.fromkeys((t.indicator, used.get(t.id) or t.basis) for t in b.plan.targets)
    for indicator, basis in pairs:
        lines = _indicator_lines(b, indicator, basis)
        items += [_indicator_head(b, indicator, lines), _indicator_chart(b, indicator, lines)]
    return items


def activities_table(b: Briefing) -> HTML:
    """The plan's activity targets: the count so far, target and status."""
    card = b.scorecard[b.scorecard["section"] == "activity"]
    rows = [
        {
            "item": r.item,
            "target": r.target,
            "value": "—" if r.value is None or pd.isna(r.value) else f"{r.value:g}",
            "badge": status_badge(b, r),
            "note": r.note,
        }
        for r in card.itertuples()
    ]
    empty = b.text("scorecard.no_activities")  # a plan without activity targets: no table
    page = render("activities", t=page_words(b), rows=rows, empty=empty)
    return HTML(page + log_note(b))


def log_note(b: Briefing) -> str:
    """A note naming the activity-log rows set aside (unknown activity or region …), or ''."""
    log = b.activity_log
    aside = log.attrs.get("quarantine") if log is not None else None
    if aside is None or aside.empty:
        return ""
    rows = aside["raw_row"].astype(str)
    if b.lang == "en":  # the readers word their reasons in English
        rows = rows + ": " + aside["reason"].astype(str)
    shown = ("、" if b.lang == "zh" else "; ").join(rows)
    words = b.text("scorecard.log_set_aside", n=len(aside), rows=shown)
    return render("paragraph", text=words, css="note")


def definitions(b: Briefing) -> HTML:
    """Every indicator the plan uses: unit, formula, official definition and source."""
    rows = []
    for ident in dict.fromkeys(x.indicator for x in b.plan.targets):
        ind = INDICATORS[ident]
        rows.append(
            {
                "name": ind.name(b.lang),
                "unit": ind.unit_label(b.lang),
                "formula": formula_words(b, ind),
                "definition": ind.definition_zh if b.lang == "zh" else ind.definition_en,
                "source": ind.source.cite(b.lang),
            }
        )
    return HTML(render("definitions", t=page_words(b), rows=rows))


def formula_words(b: Briefing, ind: Indicator) -> str:
    """An indicator's formula in the page's language: a ratio by the names of its parts (as
    the registry names them), any other indicator as a total of what its definition counts."""
    if not isinstance(ind, Ratio):
        return b.text("page.formula_total")
    scale = "" if ind.scale == 1 else b.text("page.formula_scale", scale=ind.scale)
    return b.text(
        "page.formula_ratio",
        numerator=INDICATORS[ind.numerator].name(b.lang),
        denominator=INDICATORS[ind.denominator].name(b.lang),
        scale=scale,
    )


def provenance(b: Briefing, definition: HighValueDefinition | None = None) -> HTML:
    """The sources used, parameters, versions and marks (†, ‡) of the page, and the high-value
    definition (``b.definition`` unless another is given) where the page's figures were
    computed from patent records (the office's or the demo's)."""
    used = set(b.observations["source_id"])
    # values counted from several of the office's lists name each file in raw_file
    files = {
        f for names in b.observations["raw_file"].dropna().unique() for f in str(names).split(", ")
    }
    used |= {
        e.id
        for e in b.sources.values()
        if Path(e.file).name in files and e.id not in used and e.layout.get("kind") in RECORD_KINDS
    }
    rows = [
        {
            "title": e.text("title", b.lang),
            "publisher": e.text("publisher", b.lang),
            "vintage": e.vintage,
            "caveats": e.text("caveats", b.lang),
        }
        for e in b.sources.values()
        if e.id in used
    ]
    definition = definition or b.definition
    computed = b.synthetic_shown or any(
        e.layout.get("kind") == "patents" for e in b.sources.values() if e.id in used
    )
    line = b.text("page.hv_definition") + definition.describe(b.lang) if computed else ""
    legend = b.text("page.synthetic") if b.synthetic_shown else ""
    return HTML(
        render(
            "provenance",
            t=page_words(b),
            rows=rows,
            parameters=parameter_view(b),
            definitions_version=DEFINITIONS_VERSION,
            code_version=b.code_version,
            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
            synthetic_legend=legend,
            definition_line=line,
            revisions=revision_lines(b),
        )
    )


def revision_lines(b: Briefing) -> list[str]:
    """Figures of the region, its parent and the nation that a newer vintage revised: the
    value shown (new) and the earlier one (old), with both sources."""
    codes = {b.region_code, b.parent, NATION}
    found = revisions(b.observations[b.observations["region_code"].isin(codes)])
    lines = []
    for r in found.itertuples():
        ind = INDICATORS.get(r.indicator)
        old, new = b.sources.get(r.old_source_id), b.sources.get(r.new_source_id)
        lines.append(
            b.text(
                "page.revision_row",
                name=ind.name(b.lang) if ind else r.indicator,
                region=b.place_name(r.region_code),
                year=int(r.year),
                old=charts.format_number(r.old_value, ind.unit if ind else "", b.lang),
                old_source=old.text("title", b.lang) if old else r.old_source_id,
                old_vintage=r.old_vintage,
                new=charts.format_number(r.new_value, ind.unit if ind else "", b.lang),
                new_source=new.text("title", b.lang) if new else r.new_source_id,
                new_vintage=r.new_vintage,
            )
        )
    return lines


__all__ = [
    "activities_table",
    "banner",
    "definitions",
    "header",
    "indicator_sections",
    "provenance",
    "scorecard_table",
]
