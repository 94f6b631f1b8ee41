"""Indicator definitions — the official definitions, cited, in one place.

Every quantitative indicator of a regional IP plan, and the supporting measures they are built
from, is one object in :data:`INDICATORS`: stable id, Chinese and English name, unit, formula,
direction, the official definition and its source. Names, units and definitions are never retyped
elsewhere (notebooks, charts and briefings read them from here).

A :class:`Measure` is a reported or counted quantity; a :class:`Ratio` is computed from two
measures and is a configured callable:

>>> import pandas as pd
>>> frame = pd.DataFrame({
...     "region": ["A", "B", "B"],
...     "high_value_invention_patents": [300, 40, 10],
...     "resident_population": [10.0, 2.0, 3.0],
... })
>>> per_10k = INDICATORS["high_value_invention_patents_per_10k"]
>>> per_10k(frame, by="region")
region
A    30.0
B    10.0
Name: high_value_invention_patents_per_10k, dtype: float64
>>> per_10k.unit, per_10k.source.document[:9]
('件/万人', '《“十四五”国家知')

Growth helpers (:func:`yoy_growth`, :func:`cagr`, :func:`required_growth`) work on plain numbers
or pandas objects.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

#: Version of the definitions in this module. Bump it when a definition, formula or default
#: changes; briefings print it beside every figure's provenance.
DEFINITIONS_VERSION = "2026.1"

#: Which way is better for an indicator: higher, lower, or neither (context figures).
Direction = Literal["higher", "lower", "none"]


@dataclass(frozen=True)
class Source:
    """Where a definition comes from: the issuing body and the document (with its number),
    with English glosses for English pages (the document's own title stays in Chinese)."""

    publisher: str
    document: str
    note: str = ""
    publisher_en: str = ""
    document_en: str = ""
    note_en: str = ""

    def cite(self, lang: str = "zh") -> str:
        """One-line citation: ``publisher, document (note)``; in English the publisher's name,
        the document's title as issued with an English gloss, and the note.

        >>> Source("国务院", "《规划》", "主要指标", "State Council", "Plan", "main indicators").cite("en")
        'State Council, 《规划》 (Plan), main indicators'
        """
        if lang == "zh":
            return f"{self.publisher}，{self.document}" + (f"（{self.note}）" if self.note else "")
        titles = re.findall(r"《[^》]*》", self.document)
        title = "".join(titles) if titles else f"《{self.document}》"
        gloss = f" ({self.document_en})" if self.document_en else ""
        note = f", {self.note_en}" if self.note_en else ""
        return f"{self.publisher_en or self.publisher}, {title}{gloss}{note}"


@dataclass(frozen=True)
class Indicator:
    """Metadata shared by every indicator.

    ``bases`` names the counting bases a value may have (e.g. CNIPA receipts vs WIPO origin);
    observations carry one of these codes and series of different bases are never mixed.
    """

    id: str
    name_zh: str
    name_en: str
    unit: str
    unit_en: str
    direction: Direction
    definition_zh: str
    definition_en: str
    source: Source
    kind: Literal["stock", "flow", "ratio", "share", "growth", "context"]
    bases: dict[str, str] = field(default_factory=dict)
    plan: bool = False  # one of the plan's quantitative indicators (not only a supporting measure)

    def name(self, lang: str = "zh") -> str:
        return self.name_zh if lang == "zh" else self.name_en

    def unit_label(self, lang: str = "zh") -> str:
        return self.unit if lang == "zh" else self.unit_en

    @property
    def formula(self) -> str:
        return self.id

    def as_dict(self) -> dict[str, object]:
        """Plain metadata, e.g. for a definitions table in a briefing."""
        return {
            "id": self.id,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "unit": self.unit,
            "formula": self.formula,
            "direction": self.direction,
            "definition_zh": self.definition_zh,
            "definition_en": self.definition_en,
            "source": self.source.cite(),
        }


@dataclass(frozen=True)
class Measure(Indicator):
    """A counted or reported quantity; calling it sums the column of the same id by group."""

    def __call__(self, frame: pd.DataFrame, by: str | list[str]) -> pd.Series:
        return frame.groupby(by, observed=True, sort=True)[self.id].sum().rename(self.id)


@dataclass(frozen=True)
class Ratio(Indicator):
    """``sum(numerator) / sum(denominator) * scale``, by group.

    ``scale`` turns the quotient into the indicator's unit: 1 for a count per 10,000 residents
    when population is held in 万人 (10,000 persons), 100 for a percentage.
    """

    numerator: str = ""
    denominator: str = ""
    scale: float = 1.0

    @property
    def formula(self) -> str:
        factor = "" if self.scale == 1 else f" × {self.scale:g}"
        return f"{self.numerator} / {self.denominator}{factor}"

    def __call__(self, frame: pd.DataFrame, by: str | list[str]) -> pd.Series:
        sums = frame.groupby(by, observed=True, sort=True)[[self.numerator, self.denominator]].sum()
        return self.compute(sums[self.numerator], sums[self.denominator])

    def compute(self, numerator, denominator):
        """The ratio of already aggregated parts (numbers or aligned Series)."""
        result = numerator / denominator * self.scale
        return result.rename(self.id) if isinstance(result, pd.Series) else result


_CNIPA = "国家知识产权局"
_CNIPA_EN = "China National Intellectual Property Administration (CNIPA)"
_FYP = Source(
    "国务院",
    "《“十四五”国家知识产权保护和运用规划》（国发〔2021〕20号）",
    "主要指标及注释；统计由国家知识产权局发布",
    "State Council",
    "14th Five-Year Plan for IP Protection and Use, Guo Fa [2021] No. 20",
    "main indicators and their notes; statistics published by CNIPA",
)
_NBS_BULLETIN = Source(
    "国家统计局 / 地方统计局",
    "国民经济和社会发展统计公报",
    "年末常住人口",
    "National Bureau of Statistics / local statistics bureaus",
    "Statistical Communiqué on National (or Local) Economic and Social Development",
    "year-end resident population",
)
_PII_CLASS = Source(
    "国家统计局",
    "《知识产权（专利）密集型产业统计分类（2019）》（国家统计局令第25号）",
    "增加值见国家统计局、国家知识产权局年度《全国专利密集型产业增加值数据公告》",
    "National Bureau of Statistics",
    "Statistical Classification of IP (Patent)-Intensive Industries (2019), NBS Order No. 25",
    "value added from the annual NBS/CNIPA announcement on patent-intensive industries",
)
_CNIPA_YEARBOOK = Source(
    _CNIPA,
    "《知识产权统计年报》",
    "PCT、马德里表；年度新闻发布会",
    _CNIPA_EN,
    "IP Statistical Yearbook",
    "PCT and Madrid tables; annual press conference",
)
_SCIO_HIGH_VALUE = Source(
    _CNIPA,
    "国务院新闻办公室新闻发布会",
    "高价值发明专利构成",
    _CNIPA_EN,
    "State Council Information Office press conference",
    "the make-up of high-value invention patents",
)
_WIPO = Source(
    "世界知识产权组织（WIPO）",
    "IP Facts and Figures; PCT and Madrid Yearly Reviews",
    "按来源国统计",
    "WIPO",
    "",
    "counts by origin",
)

_HIGH_VALUE_RULE_ZH = (
    "符合下列任一条件的有效发明专利：战略性新兴产业的发明专利；在海外有同族专利权的发明专利；"
    "维持年限超过10年的发明专利；实现较高质押融资金额的发明专利；获得国家科学技术奖或中国专利奖的发明专利。"
    "一件专利满足多项条件只计一次。"
)
_HIGH_VALUE_RULE_EN = (
    "valid invention patents meeting any one of: in a strategic emerging industry; a patent right in "
    "an overseas family member; maintained for over 10 years; realised a high pledge-financing "
    "amount; won a national science and technology award or the China Patent Award. A patent "
    "counts once however many criteria it meets."
)

_ENTRIES: tuple[Indicator, ...] = (
    Ratio(
        id="high_value_invention_patents_per_10k",
        name_zh="每万人口高价值发明专利拥有量",
        name_en="High-value invention patents per 10,000 residents",
        unit="件/万人",
        unit_en="per 10k residents",
        direction="higher",
        definition_zh="年末本地区（国内）专利权人拥有的高价值发明专利数量除以年末常住人口（万人）。"
        "高价值发明专利指" + _HIGH_VALUE_RULE_ZH,
        definition_en="High-value invention patents held by the region's domestic patentees at year "
        "end divided by the year-end resident population in 10,000s; high-value means "
        + _HIGH_VALUE_RULE_EN,
        source=_FYP,
        kind="ratio",
        bases={"domestic": "domestic patentees (national: excl. Hong Kong, Macao, Taiwan)"},
        plan=True,
        numerator="high_value_invention_patents",
        denominator="resident_population",
        scale=1.0,
    ),
    Measure(
        id="high_value_invention_patents",
        name_zh="高价值发明专利拥有量",
        name_en="High-value invention patents (stock)",
        unit="件",
        unit_en="patents",
        direction="higher",
        definition_zh="截至期末本地区专利权人拥有的高价值发明专利数量，即" + _HIGH_VALUE_RULE_ZH,
        definition_en="High-value invention patents held by the region's patentees at the end of "
        "the period: " + _HIGH_VALUE_RULE_EN,
        source=_FYP,
        kind="stock",
        bases={
            "domestic": "domestic patentees",
            "domestic_enterprise": "domestic enterprise patentees only",
        },
    ),
    Measure(
        id="valid_invention_patents",
        name_zh="有效发明专利拥有量",
        name_en="Valid invention patents (stock)",
        unit="件",
        unit_en="patents",
        direction="higher",
        definition_zh="截至期末经国家知识产权局授权、仍维持有效的发明专利数量，按专利权人所在地区统计。",
        definition_en="Invention patents granted by CNIPA and still in force at the end of the "
        "period, by the patentee's region.",
        source=Source(
            _CNIPA,
            "《知识产权统计年报》；年度新闻发布会",
            "发明专利有效量",
            _CNIPA_EN,
            "IP Statistical Yearbook; annual press conference",
            "valid invention patents",
        ),
        kind="stock",
        bases={
            "domestic": "domestic patentees",
            "domestic_enterprise": "domestic enterprise patentees only",
        },
    ),
    Measure(
        id="high_value_strategic_emerging",
        name_zh="战略性新兴产业有效发明专利拥有量",
        name_en="Valid invention patents in strategic emerging industries",
        unit="件",
        unit_en="patents",
        direction="higher",
        definition_zh="属于战略性新兴产业的有效发明专利数量（高价值发明专利的第一类条件）。",
        definition_en="Valid invention patents in strategic emerging industries (the first "
        "high-value criterion).",
        source=_SCIO_HIGH_VALUE,
        kind="stock",
        bases={"domestic": "domestic patentees"},
    ),
    Measure(
        id="valid_invention_maintained_over_10y",
        name_zh="维持年限超过10年的有效发明专利拥有量",
        name_en="Valid invention patents maintained over 10 years",
        unit="件",
        unit_en="patents",
        direction="higher",
        definition_zh="维持年限超过10年的有效发明专利数量（高价值发明专利的第三类条件）。",
        definition_en="Valid invention patents maintained for more than 10 years (the third "
        "high-value criterion).",
        source=_SCIO_HIGH_VALUE,
        kind="stock",
        bases={"domestic": "domestic patentees"},
    ),
    Measure(
        id="high_value_maintained_over_10y",
        name_zh="维持年限超过10年的高价值发明专利",
        name_en="High-value invention patents maintained over 10 years",
        unit="件",
        unit_en="patents",
        direction="higher",
        definition_zh="高价值发明专利中维持年限超过10年的数量。",
        definition_en="High-value invention patents maintained for more than 10 years.",
        source=_SCIO_HIGH_VALUE,
        kind="stock",
        bases={"domestic": "domestic patentees"},
    ),
    Measure(
        id="resident_population",
        name_zh="年末常住人口",
        name_en="Year-end resident population",
        unit="万人",
        unit_en="10k persons",
        direction="none",
        definition_zh="年末在本地区居住半年以上的人口，以万人计；每万人口指标的分母。",
        definition_en="Persons living in the region for six months or more at year end, in "
        "10,000s; the denominator of per-10k indicators.",
        source=_NBS_BULLETIN,
        kind="context",
        bases={"year_end": "year-end resident population"},
    ),
    Measure(
        id="resident_population_census",
        name_zh="常住人口（人口普查）",
        name_en="Resident population (census)",
        unit="人",
        unit_en="persons",
        direction="none",
        definition_zh="全国人口普查标准时点的常住人口。",
        definition_en="Resident population at the census reference date.",
        source=Source(
            "国家统计局 / 地方统计局",
            "第七次全国人口普查公报",
            "",
            "National Bureau of Statistics / local statistics bureaus",
            "Communiqué of the Seventh National Population Census",
        ),
        kind="context",
        bases={"census": "census count"},
    ),
    Measure(
        id="gdp",
        name_zh="地区生产总值",
        name_en="Gross domestic (regional) product",
        unit="亿元",
        unit_en="100m CNY",
        direction="higher",
        definition_zh="按当年价格计算的地区生产总值（GDP），亿元。",
        definition_en="Gross domestic / regional product at current prices, in 100 million CNY.",
        source=_NBS_BULLETIN,
        kind="context",
        bases={"current_prices": "current prices"},
    ),
    Measure(
        id="pct_applications_cnipa",
        name_zh="PCT国际专利申请受理量",
        name_en="PCT international applications received (CNIPA)",
        unit="件",
        unit_en="applications",
        direction="higher",
        definition_zh="国家知识产权局作为受理局当年受理的PCT国际专利申请数量，按申请人所在地区统计。",
        definition_en="PCT international applications received in the year by CNIPA as receiving "
        "office, by the applicant's region.",
        source=_CNIPA_YEARBOOK,
        kind="flow",
        bases={"all_applicants": "CNIPA as receiving office, by applicant region"},
        plan=True,
    ),
    Measure(
        id="pct_applications_wipo",
        name_zh="PCT国际专利申请量（WIPO按来源国）",
        name_en="PCT international applications by origin (WIPO)",
        unit="件",
        unit_en="applications",
        direction="higher",
        definition_zh="WIPO按第一申请人居住国统计的当年PCT国际申请量。与国家知识产权局受理量口径不同。",
        definition_en="PCT applications by country of residence of the first-named applicant, "
        "filing year (WIPO). A different basis from CNIPA receipts.",
        source=_WIPO,
        kind="flow",
        bases={"wipo_origin": "WIPO, origin of first-named applicant"},
    ),
    Measure(
        id="madrid_applications_cnipa",
        name_zh="马德里商标国际注册申请量",
        name_en="Madrid international trademark applications (CNIPA)",
        unit="件",
        unit_en="applications",
        direction="higher",
        definition_zh="国家知识产权局当年收到的国内申请人通过马德里体系提交的商标国际注册申请数量，按申请人所在地区统计。",
        definition_en="International trademark applications under the Madrid System received by "
        "CNIPA (office of origin) from domestic applicants in the year, by applicant region.",
        source=_CNIPA_YEARBOOK,
        kind="flow",
        bases={"domestic": "CNIPA as office of origin, domestic applicants"},
        plan=True,
    ),
    Measure(
        id="madrid_applications_wipo",
        name_zh="马德里商标国际注册申请量（WIPO按来源国）",
        name_en="Madrid applications by origin (WIPO)",
        unit="件",
        unit_en="applications",
        direction="higher",
        definition_zh="WIPO按来源国统计的马德里国际注册申请量。与国家知识产权局口径不同。",
        definition_en="Madrid international applications by origin (WIPO). A different basis from "
        "CNIPA receipts.",
        source=_WIPO,
        kind="flow",
        bases={"wipo_origin": "WIPO, country of origin"},
    ),
    Measure(
        id="valid_trademark_registrations",
        name_zh="有效商标注册量",
        name_en="Valid trademark registrations",
        unit="件",
        unit_en="registrations",
        direction="higher",
        definition_zh="截至期末仍有效的注册商标数量，按注册人所在地区统计。",
        definition_en="Trademark registrations in force at the end of the period, by holder region.",
        source=Source(
            "上海市知识产权局",
            "年度知识产权工作会议发布数据",
            "",
            "Shanghai IP Administration",
            "figures released at the annual IP work conference",
        ),
        kind="stock",
        bases={"all_holders": "all holders in the region"},
    ),
    Measure(
        id="ip_pledge_financing_amount",
        name_zh="知识产权质押融资登记金额",
        name_en="IP pledge financing registered amount",
        unit="亿元",
        unit_en="100m CNY",
        direction="higher",
        definition_zh="当年在国家知识产权局办理质押登记的专利权、商标专用权质押融资金额合计，亿元。",
        definition_en="Amount of patent and trademark pledge financing registered with CNIPA in the "
        "year, in 100 million CNY.",
        source=Source(
            _CNIPA,
            "年度新闻发布会",
            "专利商标质押融资登记金额",
            _CNIPA_EN,
            "annual press conference",
            "registered patent and trademark pledge financing",
        ),
        kind="flow",
        bases={
            "patent_and_trademark": "patent and trademark pledges",
            "patent": "patent pledges only (an office's pledge registrations)",
        },
        plan=True,
    ),
    Measure(
        id="patent_transfer_licence_count",
        name_zh="专利转让许可次数",
        name_en="Patent transfers and licences",
        unit="次",
        unit_en="registrations",
        direction="higher",
        definition_zh="当年专利权转让登记与专利实施许可合同备案的次数合计（按登记/备案次数计）。",
        definition_en="Number of patent assignment registrations plus licence-contract recordals in "
        "the year (counted in registrations).",
        source=Source(
            _CNIPA,
            "年度新闻发布会",
            "专利转让许可备案次数",
            _CNIPA_EN,
            "annual press conference",
            "patent transfers and licence recordals",
        ),
        kind="flow",
        bases={"registrations": "registrations and recordals (次)"},
        plan=True,
    ),
    Measure(
        id="patent_transfer_count",
        name_zh="专利转让登记次数",
        name_en="Patent transfer registrations",
        unit="次",
        unit_en="registrations",
        direction="higher",
        definition_zh="当年专利权（申请权）转让登记的次数，按受让前专利权人所在地区统计。",
        definition_en="Patent (application) right assignments registered in the year, by the "
        "region of the patentee before the transfer.",
        source=Source(
            _CNIPA,
            "专利权转让登记",
            "转让许可次数的一部分",
            _CNIPA_EN,
            "patent transfer registrations",
            "part of transfers and licences",
        ),
        kind="flow",
        bases={"registrations": "registrations (次)"},
    ),
    Measure(
        id="patent_licence_count",
        name_zh="专利实施许可备案次数",
        name_en="Patent licence recordals",
        unit="次",
        unit_en="recordals",
        direction="higher",
        definition_zh="当年专利实施许可合同备案的次数，按许可人所在地区统计。",
        definition_en="Patent licence contracts recorded in the year, by the licensor's region.",
        source=Source(
            _CNIPA,
            "专利实施许可合同备案",
            "转让许可次数的一部分",
            _CNIPA_EN,
            "patent licence contract recordals",
            "part of transfers and licences",
        ),
        kind="flow",
        bases={"registrations": "recordals (次)"},
    ),
    Measure(
        id="patent_pledge_count",
        name_zh="专利质押登记次数",
        name_en="Patent pledge registrations",
        unit="次",
        unit_en="registrations",
        direction="higher",
        definition_zh="当年办理专利权质押登记的次数，按出质人所在地区统计。",
        definition_en="Patent pledge registrations in the year, by the pledgor's region.",
        source=Source(_CNIPA, "专利权质押登记", "", _CNIPA_EN, "patent pledge registrations"),
        kind="flow",
        bases={"registrations": "registrations (次)"},
    ),
    Measure(
        id="patent_pledge_amount",
        name_zh="专利质押融资登记金额",
        name_en="Patent pledge financing registered amount",
        unit="亿元",
        unit_en="100m CNY",
        direction="higher",
        definition_zh="当年专利权质押登记的融资金额合计（不含商标），亿元。",
        definition_en="Amount of patent (not trademark) pledge financing registered in the year, "
        "in 100 million CNY.",
        source=Source(
            _CNIPA,
            "专利权质押登记",
            "知识产权质押融资登记金额的专利部分",
            _CNIPA_EN,
            "patent pledge registrations",
            "the patent part of registered IP pledge financing",
        ),
        kind="flow",
        bases={"patent": "patent pledges only"},
    ),
    Measure(
        id="pii_value_added",
        name_zh="专利密集型产业增加值",
        name_en="Patent-intensive industries' value added",
        unit="亿元",
        unit_en="100m CNY",
        direction="higher",
        definition_zh="按《知识产权（专利）密集型产业统计分类（2019）》界定的七大类专利密集型产业的增加值，现价，亿元。",
        definition_en="Value added of the seven categories of patent-intensive industries defined "
        "by the NBS 2019 classification, current prices, 100 million CNY.",
        source=_PII_CLASS,
        kind="flow",
        bases={"nbs_2019": "NBS Order No. 25 (2019) classification"},
    ),
    Measure(
        id="pii_value_added_growth",
        name_zh="专利密集型产业增加值名义增速",
        name_en="Patent-intensive industries' value added, nominal growth",
        unit="%",
        unit_en="%",
        direction="higher",
        definition_zh="专利密集型产业增加值比上年名义增长（未扣除价格因素），按公告发布值。",
        definition_en="Nominal year-on-year growth of patent-intensive industries' value added, as "
        "published.",
        source=_PII_CLASS,
        kind="growth",
        bases={"nbs_2019": "NBS Order No. 25 (2019) classification"},
    ),
    Measure(
        id="pii_category_share",
        name_zh="专利密集型产业分类占比",
        name_en="Category share of patent-intensive industries' value added",
        unit="%",
        unit_en="%",
        direction="none",
        definition_zh="某一大类增加值占专利密集型产业增加值合计的比重，按公告发布值。",
        definition_en="A category's share of total patent-intensive value added, as published.",
        source=_PII_CLASS,
        kind="share",
        bases={"nbs_2019": "NBS Order No. 25 (2019) classification"},
    ),
    Ratio(
        id="pii_share_gdp",
        name_zh="专利密集型产业增加值占GDP比重",
        name_en="Patent-intensive industries' share of GDP",
        unit="%",
        unit_en="%",
        direction="higher",
        definition_zh="专利密集型产业增加值除以同期地区生产总值（均为现价），乘以100。",
        definition_en="Patent-intensive industries' value added divided by GDP of the same period "
        "(both at current prices), times 100.",
        source=_PII_CLASS,
        kind="share",
        bases={"nbs_2019": "NBS Order No. 25 (2019) classification"},
        plan=True,
        numerator="pii_value_added",
        denominator="gdp",
        scale=100.0,
    ),
)

#: The registry: indicator id → definition.
INDICATORS: dict[str, Indicator] = {entry.id: entry for entry in _ENTRIES}


def get(indicator_id: str) -> Indicator:
    """The indicator with this id, or a ``KeyError`` listing the known ids."""
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        known = ", ".join(sorted(INDICATORS))
        raise KeyError(f"unknown indicator '{indicator_id}'; known: {known}") from None


def definitions_table(lang: str = "zh") -> pd.DataFrame:
    """Every indicator's metadata as a table (one row per indicator)."""
    return pd.DataFrame([entry.as_dict() for entry in _ENTRIES])


def per_10k(count, population_10k):
    """A count per 10,000 residents, with population given in 万人 (10,000 persons).

    >>> round(per_10k(1_665_000, 140_967), 2)  # national 2023: 166.5万件 / 140967万人
    11.81
    """
    return count / population_10k


def share(part, whole, percent: bool = True):
    """``part / whole``, as a percentage by default.

    >>> share(25, 200)
    12.5
    """
    return part / whole * (100 if percent else 1)


def yoy_growth(values: pd.Series) -> pd.Series:
    """Year-on-year growth in percent of a series indexed by consecutive years.

    Gaps in the years give missing growth, never a multi-year change labelled as one year.

    >>> yoy_growth(pd.Series([100.0, 110.0, 99.0], index=[2021, 2022, 2024])).round(2).tolist()
    [nan, 10.0, nan]
    """
    values = values.sort_index()
    previous = values.reindex(values.index - 1).to_numpy()
    return pd.Series((values.to_numpy() / previous - 1) * 100, index=values.index)


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate in percent from ``first`` to ``last`` over ``years`` years.

    >>> round(cagr(6.3, 11.8, 3), 2)
    23.27
    """
    if years <= 0:
        raise ValueError(f"cagr needs a positive number of years, got {years}")
    if first <= 0 or last < 0:
        return math.nan
    return ((last / first) ** (1 / years) - 1) * 100


def required_growth(current: float, target: float, years_left: float) -> float:
    """Annual growth in percent still needed to go from ``current`` to ``target`` in ``years_left``.

    Zero or negative when the target is already reached.

    >>> round(required_growth(20.0, 30.0, 2), 2)
    22.47
    >>> required_growth(31.0, 30.0, 2) < 0
    True
    """
    if years_left <= 0:
        raise ValueError(f"required_growth needs years left > 0, got {years_left}")
    if current <= 0:
        return math.inf
    return ((target / current) ** (1 / years_left) - 1) * 100
