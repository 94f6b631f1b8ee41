"""The briefing a notebook shows: a facade over sources, plans, the scorecard and charts.

A briefing notebook calls :meth:`Briefing.load` once and displays what the methods return; all
text a reader sees is built here, in the chosen language, with every data string HTML-escaped.
"""

from __future__ import annotations

import datetime as dt
import html
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from IPython.display import HTML
from matplotlib.figure import Figure

from . import __version__, charts, paths
from .indicators import DEFINITIONS_VERSION, INDICATORS
from .plans import STATUS_LABELS, Plan, load_plan
from .scorecard import NATION, build_scorecard, check_parameters, read_activity_log, series
from .sources import load_observations, manifest_table, read_manifest

TEXT = {
    "zh": {
        "title": "{region}知识产权工作简报",
        "subtitle": "{plan} · 报告年度 {year} · 生成于 {today}",
        "scorecard": "规划指标一览",
        "item": "指标",
        "target": "目标",
        "value": "本区数值",
        "status": "状态",
        "gap": "差距",
        "parent": "{name}",
        "nation": "全国",
        "source": "来源",
        "activities": "工作任务完成情况",
        "definitions": "指标定义与口径",
        "definition": "定义",
        "unit": "单位",
        "formula": "公式",
        "provenance": "数据来源与说明",
        "no_region_data": "本区暂无数据",
        "derived": "推算值（非公布数）",
        "summary": "共{n}项规划指标与任务：{counts}。",
        "legend": "状态判定规则：达成＝已达到目标；进度正常＝不低于序时进度；存在风险＝达到序时进度的{p}以上；"
        "进度滞后＝低于该比例或已过期未达成；暂无数据＝数据中无本区数值（不作估计）。",
        "caption": "来源：{sources}。空心点为推算值。",
        "chart_title": "{name}（{unit}）",
        "rank": "第{rank}名/{peers}",
        "required": "实现目标尚需年均增长{g:.1f}%",
        "trailing": "近年年均增长{g:.1f}%",
        "interpretation": "口径说明：{text}",
        "params": "参数",
        "vintage": "数据版本",
        "defs_version": "指标定义版本",
        "code_version": "程序版本",
        "generated": "生成时间",
        "publisher": "发布机构",
        "licence": "许可",
        "caveats": "注意事项",
        "no_data_note": "无本区数据：图中为上级地区与全国的公布数。",
        "quote": "规划原文",
    },
    "en": {
        "title": "IP briefing: {region}",
        "subtitle": "{plan} · reporting year {year} · generated {today}",
        "scorecard": "Plan indicators at a glance",
        "item": "Indicator",
        "target": "Target",
        "value": "Region",
        "status": "Status",
        "gap": "Gap",
        "parent": "{name}",
        "nation": "China",
        "source": "Source",
        "activities": "Activity targets",
        "definitions": "Definitions and bases",
        "definition": "Definition",
        "unit": "Unit",
        "formula": "Formula",
        "provenance": "Sources and notes",
        "no_region_data": "no figure for the region",
        "derived": "derived (not published)",
        "summary": "{n} plan indicators and tasks: {counts}.",
        "legend": "Status rule: met = target reached; on track = at or ahead of the linear schedule; "
        "at risk = at least {p} of scheduled progress; off track = less, or deadline passed unmet; "
        "no data = the data hold no figure for the region (none estimated).",
        "caption": "Sources: {sources}. Hollow points are derived values.",
        "chart_title": "{name} ({unit})",
        "rank": "rank {rank} of {peers}",
        "required": "needs {g:.1f}% a year to reach the target",
        "trailing": "recent growth {g:.1f}% a year",
        "interpretation": "Reading: {text}",
        "params": "Parameters",
        "vintage": "Vintage",
        "defs_version": "Definitions version",
        "code_version": "Code version",
        "generated": "Generated",
        "publisher": "Publisher",
        "licence": "Licence",
        "caveats": "Caveats",
        "no_data_note": "No figure for the region: the chart shows published figures for the "
        "parent region and China.",
        "quote": "Plan text",
    },
}

COUNT_KINDS = ("stock", "flow")


def esc(value) -> str:
    """HTML-escape any value for display (data from files is never trusted as markup).

    >>> esc("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    return (
        ""
        if value is None or (isinstance(value, float) and pd.isna(value))
        else html.escape(str(value))
    )


def status_badge(status: str, lang: str) -> str:
    colour, symbol = charts.STATUS_STYLE[status]
    return (
        f'<span class="status status-{status}" style="border-color:{colour};color:{colour}">'
        f"{symbol} {esc(STATUS_LABELS[lang][status])}</span>"
    )


def git_commit() -> str:
    """The checkout's commit, or 'unknown' outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=paths.PACKAGE_DIR,
            timeout=5,
        )
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


@dataclass
class Briefing:
    """Everything one briefing shows, for one region, reporting year and language."""

    region_code: str
    year: int
    lang: str
    plan: Plan
    observations: pd.DataFrame
    regions: pd.DataFrame
    data_dir: Path
    scorecard: pd.DataFrame
    parameters: dict = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        region: str,
        year: int,
        lang: str = "zh",
        plan: str = "songjiang-2024-2026",
        data_dir: str = "",
        activity_log: str = "",
    ) -> Briefing:
        """Load data and plan, validate the parameters (clear ``ValueError`` on a bad one)."""
        data_path = Path(data_dir) if data_dir else paths.data_dir()
        observations = load_observations(data_path)
        from .sources import _regions

        regions = _regions()
        code = check_parameters(observations, regions, str(region), int(year), lang)
        the_plan = load_plan(
            plan if Path(str(plan)).suffix else data_path / "plans" / f"{plan}.yaml"
        )
        log = read_activity_log(activity_log) if activity_log else None
        card = build_scorecard(observations, regions, the_plan, code, int(year), lang, log)
        charts.use_theme()
        return cls(
            code,
            int(year),
            lang,
            the_plan,
            observations,
            regions,
            data_path,
            card,
            {
                "region": region,
                "year": year,
                "lang": lang,
                "plan": plan,
                "data_dir": data_dir,
                "activity_log": activity_log,
            },
        )

    # -- helpers ------------------------------------------------------------------------------
    @property
    def t(self) -> dict:
        return TEXT[self.lang]

    def region_name(self, code: str | None = None) -> str:
        column = "name" if self.lang == "zh" else "name_en"
        names = dict(zip(self.regions["code"], self.regions[column], strict=True))
        return names.get(code or self.region_code, code or self.region_code)

    def _sources_caption(self, frames: list[pd.DataFrame]) -> str:
        manifest = {e.id: e for e in read_manifest(self.data_dir / "sources.yml")}
        ids = list(
            dict.fromkeys(
                i for frame in frames for i in frame.get("source_id", pd.Series(dtype=str))
            )
        )
        parts = [
            f"{manifest[i].publisher}《{manifest[i].title}》({manifest[i].vintage})"
            if self.lang == "zh"
            else f"{manifest[i].publisher}, {manifest[i].title} ({manifest[i].vintage})"
            for i in ids
            if i in manifest
        ]
        return self.t["caption"].format(
            sources="；".join(parts) if self.lang == "zh" else "; ".join(parts)
        )

    # -- sections -----------------------------------------------------------------------------
    def header(self) -> HTML:
        t = self.t
        today = dt.date.today().isoformat()
        counts = self.scorecard["status"].value_counts()
        summary = t["summary"].format(
            n=len(self.scorecard),
            counts=("，" if self.lang == "zh" else ", ").join(
                f"{STATUS_LABELS[self.lang][s]} {counts[s]}"
                for s in STATUS_LABELS[self.lang]
                if s in counts
            ),
        )
        return HTML(
            f'<header class="briefing-header"><h1>{esc(t["title"].format(region=self.region_name()))}'
            f'</h1><p class="subtitle">{esc(t["subtitle"].format(plan=self.plan.name(self.lang), year=self.year, today=today))}</p>'
            f'<p class="summary">{esc(summary)}</p></header>'
        )

    def scorecard_table(self) -> HTML:
        t = self.t
        card = self.scorecard[self.scorecard["section"] == "indicator"]
        parent = self.region_name(str(self.plan.peers.get("parent", "")))
        head = (
            f"<tr><th>{t['item']}</th><th>{t['target']}</th><th>{t['value']}</th>"
            f"<th>{t['status']}</th><th>{esc(parent)}</th><th>{t['nation']}</th>"
            f"<th>{t['source']}</th></tr>"
        )
        body = []
        for row in card.itertuples():
            ind = INDICATORS[row.indicator]
            value = (
                self._fmt(row.value, ind.unit, row.value_status, row.value_year)
                if row.value is not None and not pd.isna(row.value)
                else f'<span class="na">{t["no_region_data"]}</span>'
            )
            extra = []
            if row.rank is not None and not pd.isna(row.rank):
                extra.append(t["rank"].format(rank=int(row.rank), peers=int(row.peers)))
            if row.required_growth is not None and not pd.isna(row.required_growth):
                extra.append(t["required"].format(g=row.required_growth))
            if row.interpretation:
                extra.append(t["interpretation"].format(text=row.interpretation))
            notes = "".join(f'<div class="note">{esc(e)}</div>' for e in extra)
            body.append(
                f"<tr><td>{esc(row.item)}</td><td>{esc(row.target)}{notes}</td><td>{value}</td>"
                f"<td>{status_badge(row.status, self.lang)}</td>"
                f"<td>{self._fmt(row.parent_value, ind.unit, row.parent_status, row.parent_year)}</td>"
                f"<td>{self._fmt(row.nation_value, ind.unit, row.nation_status, row.nation_year)}</td>"
                f'<td class="src">{esc(row.source) if row.source else "—"}</td></tr>'
            )
        legend = t["legend"].format(p=f"{self.plan.rules['at_risk_progress']:.0%}")
        return HTML(
            f'<h2>{t["scorecard"]}</h2><table class="scorecard"><thead>{head}</thead>'
            f'<tbody>{"".join(body)}</tbody></table><p class="legend">{esc(legend)}</p>'
        )

    def _fmt(self, value, unit, status, year) -> str:
        if value is None or pd.isna(value):
            return "—"
        mark = "†" if status == "derived" else ""
        year_text = (
            "" if year is None or pd.isna(year) else f' <span class="yr">({int(year)})</span>'
        )
        title = f' title="{esc(self.t["derived"])}"' if mark else ""
        return f"<span{title}>{esc(charts.format_number(value, unit, self.lang))}{mark}</span>{year_text}"

    def indicator_sections(self) -> list[tuple[HTML, Figure]]:
        """For each plan indicator: a heading with its status notes, and its trend chart."""
        out = []
        parent = str(self.plan.peers.get("parent", ""))
        done = set()
        for target in self.plan.targets:
            if (target.indicator, target.basis) in done:
                continue
            done.add((target.indicator, target.basis))
            ind = INDICATORS[target.indicator]
            codes = [self.region_code, parent]
            if ind.kind not in COUNT_KINDS:  # counts of the country dwarf a district's
                codes.append(NATION)
            lines = []
            for code in dict.fromkeys(c for c in codes if c):
                frame = series(
                    self.observations, ind.id, code, target.basis, through_year=self.year
                )
                label = self.t["nation"] if code == NATION else self.region_name(code)
                lines.append((label, frame))
            level = next(
                (x for x in self.plan.targets if x.indicator == ind.id and x.type == "level"), None
            )
            fig = charts.trend_chart(
                lines,
                title=self.t["chart_title"].format(
                    name=ind.name(self.lang), unit=ind.unit_label(self.lang)
                ),
                unit=ind.unit_label(self.lang),
                caption=self._sources_caption([f for _, f in lines]),
                target=level.value if level else None,
                target_year=level.by if level else None,
                target_label=level.label(self.lang) if level else "",
                lang=self.lang,
            )
            rows = self.scorecard[self.scorecard["indicator"] == ind.id]
            badges = " ".join(status_badge(s, self.lang) for s in rows["status"])
            notes = [n for n in rows["note"] if n]
            if lines[0][1].empty:
                notes.append(self.t["no_data_note"])
            quotes = "；".join(dict.fromkeys(rows["quote"]))
            head = (
                f'<section class="indicator"><h3>{esc(ind.name(self.lang))} {badges}</h3>'
                f'<p class="quote">{esc(self.t["quote"])}：{esc(quotes)}</p>'
                + "".join(f'<p class="note">{esc(n)}</p>' for n in dict.fromkeys(notes))
                + "</section>"
            )
            out.append((HTML(head), fig))
        return out

    def activities_table(self) -> HTML:
        t = self.t
        card = self.scorecard[self.scorecard["section"] == "activity"]
        body = "".join(
            f"<tr><td>{esc(r.item)}</td><td>{esc(r.target)}</td>"
            f"<td>{'—' if r.value is None or pd.isna(r.value) else esc(f'{r.value:g}')}</td>"
            f"<td>{status_badge(r.status, self.lang)}</td><td>{esc(r.note)}</td></tr>"
            for r in card.itertuples()
        )
        return HTML(
            f'<h2>{t["activities"]}</h2><table class="activities"><thead><tr>'
            f"<th>{t['item']}</th><th>{t['target']}</th><th>{t['value']}</th>"
            f"<th>{t['status']}</th><th></th></tr></thead><tbody>{body}</tbody></table>"
        )

    def definitions(self) -> HTML:
        t = self.t
        used = list(dict.fromkeys(x.indicator for x in self.plan.targets))
        rows = []
        for ident in used:
            ind = INDICATORS[ident]
            definition = ind.definition_zh if self.lang == "zh" else ind.definition_en
            rows.append(
                f"<tr><td>{esc(ind.name(self.lang))}</td><td>{esc(ind.unit_label(self.lang))}</td>"
                f"<td><code>{esc(ind.formula)}</code></td><td>{esc(definition)}</td>"
                f"<td>{esc(ind.source.cite())}</td></tr>"
            )
        return HTML(
            f'<h2>{t["definitions"]}</h2><table class="definitions"><thead><tr>'
            f"<th>{t['item']}</th><th>{t['unit']}</th><th>{t['formula']}</th>"
            f"<th>{t['definition']}</th><th>{t['source']}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def provenance(self) -> HTML:
        t = self.t
        manifest = manifest_table(self.data_dir)
        used = set(self.observations["source_id"])
        rows = "".join(
            f"<tr><td>{esc(r.title)}</td><td>{esc(r.publisher)}</td><td>{esc(r.vintage)}</td>"
            f"<td>{esc(r.caveats)}</td></tr>"
            for r in manifest.itertuples()
            if r.id in used
        )
        params = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        return HTML(
            f'<footer class="provenance"><h2>{t["provenance"]}</h2><table class="sources"><thead>'
            f"<tr><th>{t['source']}</th><th>{t['publisher']}</th><th>{t['vintage']}</th>"
            f"<th>{t['caveats']}</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<p>{t['params']}: <code>{esc(params)}</code> · {t['defs_version']}: "
            f"<code>{DEFINITIONS_VERSION}</code> · {t['code_version']}: "
            f"<code>ipanalysis {__version__} ({esc(git_commit())})</code> · {t['generated']}: "
            f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}</p>"
            f'<p class="legend">† {esc(t["derived"])}</p></footer>'
        )
