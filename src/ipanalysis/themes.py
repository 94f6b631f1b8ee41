"""Theme sections of the briefings: what each theme notebook displays, built from a Briefing.

Each function takes a :class:`ipanalysis.report.Briefing` and returns the items a notebook
displays in order (HTML fragments and matplotlib figures), in the briefing's language. Figures
from synthetic demo records are marked ‡ and labelled; published figures carry their source.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from . import charts, engine
from .indicators import INDICATORS, yoy_growth
from .report import Briefing, esc, status_badge
from .scorecard import NATION, peers, series

DEMO_MARK = "‡"


def _t(b: Briefing, zh: str, en: str) -> str:
    return zh if b.lang == "zh" else en


def table(frame: pd.DataFrame, *, sortable: bool = False, caption: str = "") -> HTML:
    """An escaped HTML table (index dropped); ``sortable`` adds click-to-sort column heads."""
    classes = "datatable sortable" if sortable else "datatable"
    head = "".join(f"<th>{esc(c)}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = []
        for value in record:
            if isinstance(value, float) and not pd.isna(value):
                text = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
                cells.append(f'<td data-v="{value}">{esc(text)}</td>')
            else:
                cells.append(f"<td>{esc(value)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{esc(caption)}</p>' if caption else ""
    return HTML(
        f'<table class="{classes}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>{note}"
    )


def heading(text: str, level: int = 2) -> HTML:
    return HTML(f"<h{level}>{esc(text)}</h{level}>")


def paragraph(text: str, css: str = "") -> HTML:
    return HTML(f'<p class="{css}">{esc(text)}</p>' if css else f"<p>{esc(text)}</p>")


def _region_series(b: Briefing, indicator: str, basis: str, code: str | None = None):
    return series(b.index, indicator, code or b.region_code, basis, through_year=b.year)


def _is_demo(frame: pd.DataFrame) -> bool:
    return bool(len(frame)) and bool((frame["status"] == "synthetic").all())


def _label(b: Briefing, code: str, frame: pd.DataFrame) -> str:
    name = b.t["nation"] if code == NATION else b.region_name(code)
    return name + (b.t["synthetic_label"] if _is_demo(frame) else "")


def _peer_values(b: Briefing, indicator: str, basis: str) -> pd.Series:
    """The indicator at the reporting year for every peer region, indexed by region name."""
    values = {}
    for code in peers(b.regions, b.plan):
        frame = _region_series(b, indicator, basis, code)
        at = frame[frame["year"] == b.year]
        if len(at):
            values[b.region_name(code)] = float(at["value"].iloc[0])
    return pd.Series(values, dtype=float)


def _peer_chart(b: Briefing, indicator: str, basis: str, target: float | None = None) -> list:
    ind = INDICATORS[indicator]
    values = _peer_values(b, indicator, basis)
    if values.empty:
        return [
            paragraph(
                _t(
                    b,
                    "同级地区暂无该指标数据，无法排名。",
                    "No peer has this indicator: no ranking.",
                ),
                "note",
            )
        ]
    frames = [_region_series(b, indicator, basis, c) for c in peers(b.regions, b.plan)]
    demo = any(_is_demo(f) for f in frames)
    title = _t(
        b,
        f"{b.year}年{ind.name('zh')}：{len(values)}个区比较" + (DEMO_MARK if demo else ""),
        f"{ind.name('en')} in {b.year}: {len(values)} districts" + (DEMO_MARK if demo else ""),
    )
    fig = charts.bar_chart(
        values,
        highlight=b.region_name(),
        title=title,
        unit=ind.unit_label(b.lang),
        caption=b._sources_caption(frames),
        target=target,
        target_label=_t(b, f"目标 {target:g}", f"target {target:g}") if target else "",
        lang=b.lang,
    )
    rank = int(values.rank(ascending=False, method="min").get(b.region_name(), 0)) or None
    text = (
        _t(
            b,
            f"{b.region_name()}位列第{rank}名（共{len(values)}个区，并列取高名次）",
            f"{b.region_name()} ranks {rank} of {len(values)} (ties share the better rank)",
        )
        if rank
        else _t(b, "本区无该年数值，未排名。", "No value for the region this year: not ranked.")
    )
    return [fig, paragraph(text + (DEMO_MARK if demo else ""), "note")]


def _trend(b: Briefing, indicator: str, basis: str, codes: list[str], **kwargs):
    ind = INDICATORS[indicator]
    lines = []
    for code in dict.fromkeys(c for c in codes if c):
        frame = _region_series(b, indicator, basis, code)
        lines.append((_label(b, code, frame), frame))
    title = b.t["chart_title"].format(name=ind.name(b.lang), unit=ind.unit_label(b.lang))
    return charts.trend_chart(
        lines,
        title=title,
        unit=ind.unit_label(b.lang),
        caption=b._sources_caption([f for _, f in lines]),
        lang=b.lang,
        **kwargs,
    )


def _yearly_table(b: Briefing, columns: dict[str, tuple[str, str]], years: int = 6) -> HTML:
    """District values by year: ``columns`` maps a header to (indicator, basis)."""
    out = {}
    demo = False
    for header, (indicator, basis) in columns.items():
        frame = _region_series(b, indicator, basis)
        demo = demo or _is_demo(frame)
        out[header] = frame.set_index("year")["value"]
    frame = pd.DataFrame(out).sort_index().tail(years)
    frame.index.name = _t(b, "年份", "Year")
    note = b.t["synthetic"] if demo else ""
    return table(frame.reset_index().astype({frame.index.name: str}), caption=note)


def _parent(b: Briefing) -> str:
    return str(b.plan.peers.get("parent", ""))


def _district_records(b: Briefing, name: str) -> pd.DataFrame | None:
    """The region's records of one table: the office's own if they cover the region, else the
    synthetic demo records (when demo data are on). ``attrs["synthetic"]`` tells which."""
    for records in (b.office_records, b.records):
        if not records or name not in records:
            continue
        frame = records[name]
        own = frame[frame["region"].astype(str) == b.region_code]
        if len(own):
            own.attrs = dict(frame.attrs)
            return own
    return None


def _records_mark(b: Briefing, frame: pd.DataFrame) -> tuple[str, str]:
    """(mark, caption) for a figure from records: ‡ and the demo note, or the office's source."""
    if frame.attrs.get("synthetic", True):
        return DEMO_MARK, b.t["synthetic"]
    sources = "；".join(frame.attrs.get("sources", {}).values())
    return "", _t(
        b,
        f"来源：{sources}（ipanalysis 由专利记录计算）",
        f"Source: {sources} (computed by ipanalysis from patent records)",
    )


# -- (1) high-value invention patents ------------------------------------------------------------
def high_value(b: Briefing, definition: engine.HighValueDefinition | None = None) -> list:
    """Stock, per 10k, criteria and overlaps, trend and projection to the target, levers, rank."""
    definition = definition or engine.DEFAULT_DEFINITION
    ident, basis = "high_value_invention_patents_per_10k", "domestic"
    unit = INDICATORS[ident].unit
    level = next((t for t in b.plan.targets if t.indicator == ident and t.type == "level"), None)
    items: list = [heading(_t(b, "高价值发明专利", "High-value invention patents"))]
    row = b.scorecard[(b.scorecard["indicator"] == ident)].head(1)
    if len(row):
        r = row.iloc[0]
        items.append(
            HTML(
                f"<p>{esc(r['item'])}：{b._fmt(r['value'], unit, r['value_status'], r['value_year'])}"
                f" · {esc(b.t['target'])} {esc(r['target'])} · "
                f"{status_badge(r['status'], b.lang)}</p>"
            )
        )
    own = _region_series(b, ident, basis)
    band = None
    if level and len(own) >= 2:
        band = engine.project_per_10k(own[["year", "value"]], level.by)
        band = pd.concat(
            [
                pd.DataFrame(
                    {
                        "year": [int(own["year"].iloc[-1])],
                        "low": [own["value"].iloc[-1]],
                        "central": [own["value"].iloc[-1]],
                        "high": [own["value"].iloc[-1]],
                    }
                ),
                band[["year", "low", "central", "high"]],
            ],
            ignore_index=True,
        )
        last = band.iloc[-1]
        items.append(
            paragraph(
                _t(
                    b,
                    f"按近5年趋势外推，{level.by}年末约为{last['central']:.1f}{unit}"
                    f"（区间{last['low']:.1f}–{last['high']:.1f}），目标{level.value:g}{unit}。"
                    "外推假设：延续近5年线性趋势，区间取该期间最小与最大的年增量；人口保持最近水平。",
                    f"Continuing the last 5 years' trend gives about {last['central']:.1f} per 10k "
                    f"at end-{level.by} (range {last['low']:.1f}–{last['high']:.1f}); target "
                    f"{level.value:g}. Assumes the linear trend of the last 5 years, the range "
                    "from the smallest and largest yearly change in that window; population held.",
                )
                + (DEMO_MARK if _is_demo(own) else ""),
                "note",
            )
        )
    items.append(
        _trend(
            b,
            ident,
            basis,
            [b.region_code, _parent(b), NATION],
            target=level.value if level else None,
            target_year=level.by if level else None,
            target_label=level.label(b.lang) if level else "",
            band=band,
            band_label=_t(b, "趋势外推区间", "projection range"),
        )
    )
    items.append(heading(_t(b, "存量", "Stock"), 3))
    items.append(
        _yearly_table(
            b,
            {
                _t(b, "有效发明专利（件）", "Valid invention patents"): (
                    "valid_invention_patents",
                    "domestic",
                ),
                _t(b, "高价值发明专利（件）", "High-value invention patents"): (
                    "high_value_invention_patents",
                    "domestic",
                ),
                _t(b, "每万人口高价值发明专利（件）", "High-value per 10k"): (ident, basis),
            },
        )
    )
    patents = _district_records(b, "patents")
    as_of = pd.Timestamp(f"{b.year}-12-31")
    if patents is not None:
        mark, caption = _records_mark(b, patents)
        classified = engine.classify(patents, as_of, definition)
        names = {
            "strategic_emerging": _t(b, "战略性新兴产业", "strategic emerging industry"),
            "overseas_family": _t(b, "海外同族专利权", "overseas family right"),
            "maintained": _t(b, "维持年限超过10年", "maintained over 10 years"),
            "high_pledge": _t(b, "较高质押融资金额", "high pledge financing"),
            "award": _t(b, "国家科学技术奖或中国专利奖", "national S&T award / China Patent Award"),
            "all (counted once)": _t(b, "合计（每件只计一次）", "all (each counted once)"),
        }
        parts = engine.breakdown(classified)
        parts = pd.DataFrame(
            {
                _t(b, "条件", "Criterion"): parts["criterion"].map(names),
                _t(b, "件数", "Patents"): parts["patents"].astype(float),
                _t(b, "仅满足此项", "Only this"): parts["only_this"].astype(float),
                _t(b, "同时满足其他", "With others"): parts["with_others"].astype(float),
                _t(b, "占比（%）", "Share (%)"): (parts["share"] * 100).round(1),
            }
        )
        combos = engine.overlaps(classified).head(8)
        combos = pd.DataFrame(
            {
                _t(b, "条件组合", "Combination"): combos["combination"].map(
                    lambda c: " + ".join(names.get(x, x) for x in c.split("+"))
                ),
                _t(b, "件数", "Patents"): combos["patents"].astype(float),
            }
        )
        items += [
            heading(_t(b, f"{b.year}年末高价值构成", f"Criteria at end-{b.year}") + mark, 3),
            table(parts, caption=caption),
            heading(_t(b, "条件重叠", "Overlaps") + mark, 3),
            table(combos),
        ]
        maturing = engine.maturing(patents, as_of, 12, definition)
        lever = int((~maturing["already_high_value"]).sum())
        start = pd.Timestamp(f"{b.year}-01-01")
        lapsed = engine.lapsed(patents, start, as_of)
        items += [
            heading(_t(b, "抓手", "Levers") + mark, 3),
            paragraph(
                _t(
                    b,
                    f"未来12个月内将满10年维持期的有效发明专利{len(maturing)}件，其中{lever}件尚未"
                    f"因其他条件计入高价值——维持缴费即可新增高价值专利。{b.year}年内失效的已授权发明专利"
                    f"{len(lapsed)}件（如未缴年费终止），可排查是否可恢复或避免。",
                    f"{len(maturing)} valid invention patents pass 10 years of maintenance in the "
                    f"next 12 months; {lever} of them are not yet high-value on another criterion "
                    f"— keeping them in force adds high-value patents. {len(lapsed)} granted "
                    f"invention patents lapsed in {b.year} (e.g. unpaid fees).",
                )
            ),
        ]
    national = series(b.index, "high_value_strategic_emerging", NATION, year_end=False)
    if len(national):
        last = national.iloc[-1]
        items.append(
            paragraph(
                _t(
                    b,
                    f"全国参照：截至{last['date']:%Y-%m-%d}，战略性新兴产业有效发明专利"
                    f"{charts.format_number(last['value'], '件')}（{last['source']}）。",
                    f"National context: {charts.format_number(last['value'], '件', 'en')} valid "
                    f"invention patents in strategic emerging industries at {last['date']:%Y-%m-%d} "
                    f"({last['source']}).",
                ),
                "note",
            )
        )
    items.append(heading(_t(b, "同级比较", "Peers"), 3))
    items += _peer_chart(b, ident, basis, target=level.value if level else None)
    items.append(paragraph(definition.describe(b.lang), "note"))
    return items


# -- (2) international filings -------------------------------------------------------------------
def _flow_section(b: Briefing, indicator: str, basis: str, table_name: str) -> list:
    ind = INDICATORS[indicator]
    own = _region_series(b, indicator, basis)
    items: list = [heading(ind.name(b.lang), 3)]
    if len(own) >= 2:
        growth = yoy_growth(own.set_index("year")["value"])
        latest = growth.dropna()
        if len(latest):
            items.append(
                paragraph(
                    _t(
                        b,
                        f"{int(latest.index[-1])}年{b.region_name()}{charts.format_number(own['value'].iloc[-1], ind.unit)}，"
                        f"同比{latest.iloc[-1]:+.1f}%。",
                        f"{b.region_name()}: {charts.format_number(own['value'].iloc[-1], ind.unit, 'en')} "
                        f"in {int(latest.index[-1])}, {latest.iloc[-1]:+.1f}% on the year before.",
                    )
                    + (DEMO_MARK if _is_demo(own) else "")
                )
            )
    elif own.empty:
        items.append(paragraph(b.t["no_data_note"], "note"))
    items.append(_trend(b, indicator, basis, [b.region_code, _parent(b)]))
    items += _peer_chart(b, indicator, basis)
    records = _district_records(b, table_name)
    if records is not None and "applicant" in records:
        mark, caption = _records_mark(b, records)
        year = records[records["filing_date"].dt.year == b.year]
        top = year["applicant"].value_counts().head(10)
        items += [
            heading(_t(b, f"{b.year}年主要申请人", f"Top filers in {b.year}") + mark, 4),
            table(
                pd.DataFrame(
                    {
                        _t(b, "申请人", "Applicant"): top.index.astype(str),
                        _t(b, "件数", "Applications"): top.to_numpy().astype(float),
                    }
                ),
                sortable=True,
                caption=caption,
            ),
        ]
    return items


def international(b: Briefing) -> list:
    """PCT and Madrid filings: growth, trend against the parent region, rank, top filers."""
    return [
        heading(_t(b, "国际申请：PCT与马德里", "International filings: PCT and Madrid")),
        paragraph(
            _t(
                b,
                "口径：PCT为国家知识产权局作为受理局按申请人所在地区统计的受理量；马德里为国家知识产权局"
                "收到的国内申请人商标国际注册申请量。WIPO按来源国统计的数值口径不同，不与本节数值混用。",
                "Bases: PCT = applications received by CNIPA as receiving office, by applicant "
                "region; Madrid = applications received by CNIPA from domestic applicants. WIPO's "
                "origin counts use another basis and are not mixed with these.",
            ),
            "note",
        ),
        *_flow_section(b, "pct_applications_cnipa", "all_applicants", "pct"),
        *_flow_section(b, "madrid_applications_cnipa", "domestic", "madrid"),
    ]


# -- (3) commercialisation ------------------------------------------------------------------------
def commercialisation(b: Briefing) -> list:
    """Transfers, licences and pledges: counts and amounts, rank, national context."""
    ident = "patent_transfer_licence_count"
    items: list = [
        heading(
            _t(b, "转化运用：转让、许可与质押", "Commercialisation: transfers, licences, pledges")
        ),
        _yearly_table(
            b,
            {
                _t(b, "转让（次）", "Transfers"): ("patent_transfer_count", "registrations"),
                _t(b, "许可（次）", "Licences"): ("patent_licence_count", "registrations"),
                _t(b, "转让许可合计（次）", "Transfers + licences"): (ident, "registrations"),
                _t(b, "质押（次）", "Pledges"): ("patent_pledge_count", "registrations"),
                _t(b, "专利质押金额（亿元）", "Patent pledge amount (100m CNY)"): (
                    "patent_pledge_amount",
                    "patent",
                ),
            },
        ),
        _trend(b, ident, "registrations", [b.region_code]),
        *_peer_chart(b, ident, "registrations"),
        heading(_t(b, "全国参照（公布数）", "National context (published)"), 3),
        _trend(b, ident, "registrations", [NATION]),
        _trend(b, "ip_pledge_financing_amount", "patent_and_trademark", [NATION]),
        paragraph(
            _t(
                b,
                "全国质押融资金额为专利与商标合计；区级演示数据仅含专利质押，两者口径不同，未合并作图。",
                "The national pledge amount covers patents and trademarks; the district demo "
                "figures cover patent pledges only, so they are not charted together.",
            ),
            "note",
        ),
    ]
    return items


# -- (4) patent-intensive industries --------------------------------------------------------------
def patent_intensive(b: Briefing) -> list:
    """Patent-intensive industries' share of GDP and categories, against the national series."""
    ident = "pii_share_gdp"
    own = _region_series(b, ident, "nbs_2019")
    items: list = [
        heading(_t(b, "专利密集型产业", "Patent-intensive industries")),
    ]
    if own.empty:
        items.append(
            paragraph(
                _t(
                    b,
                    f"{b.region_name()}专利密集型产业增加值及其占GDP比重暂无公布数据（国家统计局、国家知识产权局"
                    "仅公布全国数据），本节以全国公布数作参照，不作区级估计。",
                    f"No published patent-intensive value added for {b.region_name()} (NBS and CNIPA "
                    "publish national figures only); this section shows the national series and "
                    "makes no district estimate.",
                ),
                "note",
            )
        )
    items.append(_trend(b, ident, "nbs_2019", [b.region_code, NATION]))
    items.append(
        paragraph(
            _t(
                b,
                "注：2023年起按第五次全国经济普查口径，2022年比重修订为约12.60%（原公布12.71%，图中为原公布数）。",
                "Note: from 2023 on the 5th economic census basis; the 2022 share was revised to "
                "about 12.60% (12.71% as first published, shown here).",
            ),
            "note",
        )
    )
    cats = b.observations[
        (b.observations["indicator"] == "pii_value_added")
        & (b.observations["region_code"] == NATION)
        & (b.observations["category"] != "total")
    ]
    if len(cats):
        complete = cats.groupby("year")["category"].nunique()
        years = complete[complete == 7].index
        wide = (
            cats[cats["year"].isin(years)]
            .pivot_table(index="year", columns="category", values="value", aggfunc="first")
            .sort_index(axis=1)
        )
        labels = {
            "01": _t(b, "信息通信技术制造业", "ICT manufacturing"),
            "02": _t(b, "信息通信技术服务业", "ICT services"),
            "03": _t(b, "新装备制造业", "New equipment"),
            "04": _t(b, "新材料制造业", "New materials"),
            "05": _t(b, "医药医疗产业", "Pharma and medical"),
            "06": _t(b, "环保产业", "Environmental"),
            "07": _t(b, "研发、设计和技术服务业", "R&D, design, technical services"),
        }
        wide = wide.rename(columns=labels)
        frames = [cats]
        items.append(
            charts.stacked_share_chart(
                wide,
                title=_t(
                    b, "全国专利密集型产业增加值构成（亿元）", "National value added by category"
                ),
                unit=INDICATORS["pii_value_added"].unit_label(b.lang),
                caption=b._sources_caption(frames),
                lang=b.lang,
            )
        )
        shares = (wide.div(wide.sum(axis=1), axis=0) * 100).round(1).T
        shares.columns = [str(c) for c in shares.columns]
        shares.index.name = _t(b, "类别（占比%）", "Category (share %)")
        items.append(table(shares.reset_index()))
    gdp = _region_series(b, "gdp", "current_prices")
    if len(gdp):
        text = "；".join(
            f"{int(r.year)}年{charts.format_number(r.value, '亿元')}"
            + (
                ""
                if r.confidence in (None, "high") or pd.isna(r.confidence)
                else f"（可信度{r.confidence}）"
            )
            for r in gdp.itertuples()
        )
        items.append(
            paragraph(
                _t(
                    b,
                    f"{b.region_name()}地区生产总值（公布数）：{text}。",
                    f"{b.region_name()} GDP (published): "
                    + "; ".join(
                        f"{int(r.year)}: {r.value:,.2f} (100m CNY)" for r in gdp.itertuples()
                    ),
                ),
                "note",
            )
        )
    return items
