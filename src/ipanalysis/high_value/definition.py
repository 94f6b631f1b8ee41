"""The high-value definition: CNIPA's five criteria, with the parts the text leaves open as
named, versioned parameters.

CNIPA counts an invention patent as *high-value* (高价值发明专利, 2021 统计口径) when it is in
force and meets at least one of five criteria:

1. strategic_emerging -- it belongs to a strategic emerging industry (战略性新兴产业);
2. overseas_family    -- it has a patent right abroad in its family (在海外有同族专利权);
3. maintained         -- it has been maintained for more than 10 years (维持年限超过10年);
4. high_pledge        -- it carries a high pledge-financing amount (实现较高质押融资金额);
5. award              -- it won a national science and technology award or a China Patent Award
                         (获得国家科学技术奖或中国专利奖).

The parts of this rule that the published text leaves open are named parameters of a
:class:`HighValueDefinition` with a version string; every result carries the version in
``frame.attrs["definition"]`` so a briefing can state which definition produced a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

import pandas as pd

from ..errors import InputError
from ..locale import text

#: The five criteria, in CNIPA's order, as the column names :func:`classify` writes.
CRITERIA: tuple[str, ...] = (
    "strategic_emerging",
    "overseas_family",
    "maintained",
    "high_pledge",
    "award",
)
#: The last row of :func:`~ipanalysis.high_value.breakdown`: every high-value patent, once.
ALL_CRITERIA = "all (counted once)"


#: Award names that count by default (substring match on the ``award`` column): the State
#: Science and Technology Awards (国家科学技术奖: 最高奖, 自然科学奖, 技术发明奖, 科学技术进步奖,
#: 国际科学技术合作奖) and the China Patent Award (中国专利奖: 金奖, 银奖, 优秀奖; the 外观设计
#: awards cannot apply to an invention patent). "中国专利奖" also matches "中国专利奖金奖" and
#: similar spellings; provincial awards (e.g. 上海市科学技术奖) do not count.
DEFAULT_AWARDS: tuple[str, ...] = (
    "国家最高科学技术奖",
    "国家自然科学奖",
    "国家技术发明奖",
    "国家科学技术进步奖",
    "国家科技进步奖",
    "国际科学技术合作奖",
    "中国专利奖",
    "中国专利金奖",
    "中国专利银奖",
    "中国专利优秀奖",
)


@dataclass(frozen=True)
class HighValueDefinition:
    """The CNIPA high-value rule with its open parts as named, versioned parameters.

    Parameters
    ----------
    version
        Identifier printed next to every figure; change it whenever a parameter changes.
    maintenance_years
        Criterion 3 needs strictly more than this many full years of maintenance.
    maintenance_from
        ``"filing_date"`` (default: CNIPA's maintenance-year statistics count from the filing date,
        as the 20-year term does) or ``"grant_date"``.
    pledge_threshold
        Criterion 4 holds when ``pledge_amount >= pledge_threshold`` (CNY). The official text
        says only "较高质押融资金额"; the default 10,000,000 CNY (1,000 万元) is this project's
        choice: a round figure well above a typical single-patent small-business pledge (a few
        百万元) so that the criterion marks exceptional financing, not any pledge. Set it to
        match a local rule.
    awards
        Award names (substring match) that satisfy criterion 5; see :data:`DEFAULT_AWARDS`.
    strategic_emerging_source
        ``"auto"`` (default): the ``strategic_emerging`` column supplied by the data source where
        it is given, and the concordance for the patents it leaves empty (an export without an
        SEI flag is classified from its IPC symbols). ``"flag"``: the column only (missing stays
        unknown). ``"concordance"``: the concordance for every patent, ignoring the column.
    concordance
        IPC prefixes of an office's own IPC→industry table (see :func:`concordance_prefixes`): a
        patent qualifies when one of its IPC symbols starts with one. Empty (default): CNIPA's
        《战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）》, shipped with the package as
        rules (IPC patterns, exclusions, keyword cells; :mod:`ipanalysis.high_value.concordance`).
    keyword_rule
        How a keyword cell of the CNIPA concordance counts: ``"condition"`` (default) — the
        patent's title or abstract must contain one of its terms, and the criterion is unknown
        where it cannot be checked (no text, a placeholder cell); ``"description"`` — the cell
        describes the industry and the IPC pattern alone decides.
    population_basis
        The per-10k denominator: ``"resident_year_end"`` (年末常住人口, as CNIPA and the Shanghai
        bulletins use) or ``"registered_year_end"`` (年末户籍人口). A population table carrying a
        ``basis`` column must match it.

    Examples
    --------
    >>> d = HighValueDefinition()
    >>> d.version, d.maintenance_years, d.maintenance_from, d.pledge_threshold
    ('cnipa-2021/2', 10, 'filing_date', 10000000.0)
    >>> HighValueDefinition(maintenance_from="grant_date", version="cnipa-2021/grant").version
    'cnipa-2021/grant'
    """

    version: str = "cnipa-2021/2"
    maintenance_years: int = 10
    maintenance_from: Literal["filing_date", "grant_date"] = "filing_date"
    pledge_threshold: float = 10_000_000.0
    awards: tuple[str, ...] = DEFAULT_AWARDS
    strategic_emerging_source: Literal["auto", "flag", "concordance"] = "auto"
    concordance: tuple[str, ...] = field(default=(), repr=False)
    keyword_rule: Literal["condition", "description"] = "condition"
    population_basis: Literal["resident_year_end", "registered_year_end"] = "resident_year_end"

    def __post_init__(self) -> None:
        if self.maintenance_from not in ("filing_date", "grant_date"):
            raise ValueError(
                f"maintenance_from must be 'filing_date' or 'grant_date', "
                f"not {self.maintenance_from!r}"
            )
        if self.strategic_emerging_source not in ("auto", "flag", "concordance"):
            raise ValueError(
                f"strategic_emerging_source must be 'auto', 'flag' or 'concordance', "
                f"not {self.strategic_emerging_source!r}"
            )
        if self.keyword_rule not in ("condition", "description"):
            raise ValueError(
                f"keyword_rule must be 'condition' or 'description', not {self.keyword_rule!r}"
            )
        if self.maintenance_years < 1:
            raise ValueError(f"maintenance_years must be at least 1, not {self.maintenance_years}")
        if not self.pledge_threshold > 0:
            raise ValueError(f"pledge_threshold must be positive, not {self.pledge_threshold}")
        if self.population_basis not in ("resident_year_end", "registered_year_end"):
            raise ValueError(
                f"population_basis must be 'resident_year_end' or 'registered_year_end', "
                f"not {self.population_basis!r}"
            )

    def concordance_inputs(self) -> tuple[tuple[str, ...], str]:
        """The columns criterion 1 reads beside the source's flag, and for which patents.

        Returns ``(columns, patents)``; ``patents`` is ``"none"`` (source ``"flag"``),
        ``"flag_missing"`` (``"auto"``: those whose flag is empty) or ``"all"``
        (``"concordance"``). The title and abstract are read only for the keyword conditions of
        CNIPA's concordance. A reader may skip the rest (:func:`ipanalysis.io.read_patents`).

        >>> HighValueDefinition().concordance_inputs()
        (('ipc', 'title', 'abstract'), 'flag_missing')
        >>> HighValueDefinition(strategic_emerging_source="flag").concordance_inputs()
        ((), 'none')
        """
        if self.strategic_emerging_source == "flag":
            return (), "none"
        own_table = bool(self.concordance) or self.keyword_rule == "description"
        columns = ("ipc",) if own_table else ("ipc", "title", "abstract")
        patents = "all" if self.strategic_emerging_source == "concordance" else "flag_missing"
        return columns, patents

    def describe(self, lang: str = "en") -> str:
        """One line naming the version and every parameter, for a briefing's provenance cell.

        >>> print(HighValueDefinition().describe("zh"))
        高价值发明专利定义 cnipa-2021/2：维持年限自申请日起超过10年；质押融资金额 ≥ 10,000,000元；奖项 10 种；战略性新兴产业：数据源标记，无标记的专利按国家知识产权局《战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）》全部IPC分类号，关键词作为名称或摘要的条件；人口：年末常住人口
        """
        table = (
            text("definition.se.prefixes", lang, count=len(self.concordance))
            if self.concordance
            else text(f"definition.se.cnipa.{self.keyword_rule}", lang)
        )
        se = text(f"definition.se.{self.strategic_emerging_source}", lang, table=table)
        return text(
            "definition.describe",
            lang,
            version=self.version,
            years=self.maintenance_years,
            start=text(f"definition.start.{self.maintenance_from}", lang),
            threshold=self.pledge_threshold,
            awards=len(self.awards),
            se=se,
            population=text(f"definition.population.{self.population_basis}", lang),
        )


#: The definition used unless another is given: CNIPA's rule with this project's defaults.
DEFAULT_DEFINITION = HighValueDefinition()


def concordance_prefixes(table: pd.DataFrame, column: str = "ipc") -> tuple[str, ...]:
    """IPC prefixes from an IPC→industry concordance table, normalised (upper case, no spaces).

    >>> concordance_prefixes(pd.DataFrame({"ipc": ["h01m 10/", "G06N", "G06N"]}))
    ('G06N', 'H01M10/')
    """
    if column not in table.columns:
        raise InputError(f"concordance table has no column {column!r}", column=column)
    values = table[column].dropna().astype(str).str.upper().str.replace(r"\s+", "", regex=True)
    return tuple(sorted(set(values[values != ""])))


def with_definition(definition: HighValueDefinition, **changes: object) -> HighValueDefinition:
    """A copy of ``definition`` with ``changes``; pass a new ``version`` whenever a rule changes.

    >>> with_definition(DEFAULT_DEFINITION, pledge_threshold=5e6, version="x/1").pledge_threshold
    5000000.0
    """
    if "version" not in changes:
        raise ValueError("give the changed definition a new version")
    return replace(definition, **changes)


def configured(base: HighValueDefinition = DEFAULT_DEFINITION, **parameters) -> HighValueDefinition:
    """``base`` with the given parameters; the version names every one that differs.

    What a notebook's parameters cell or a CLI option sets: the figures then carry a version
    that says which rule made them.

    >>> configured(maintenance_years=10) is DEFAULT_DEFINITION
    True
    >>> configured(maintenance_years=12, pledge_threshold=5e6).version
    'cnipa-2021/2+maintenance_years=12,pledge_threshold=5000000.0'
    """
    changed = {k: v for k, v in parameters.items() if getattr(base, k) != v}
    if not changed:
        return base
    version = base.version + "+" + ",".join(f"{k}={v}" for k, v in sorted(changed.items()))
    return replace(base, version=version, **changed)
