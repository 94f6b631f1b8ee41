"""High-value invention patents by CNIPA's five criteria, stocks, levers and ranks.

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

Decisions (each tested by hand in ``tests/engine``):

* **Valid (有效)** at a reference date ``as_of``: an invention patent with
  ``grant_date <= as_of`` and (``lapse_date`` missing or ``lapse_date > as_of``). A patent granted
  on the reference date counts. ``lapse_date`` is the date the right ended (失效日期), so a patent
  whose lapse date *is* the reference date is no longer in force that day and does not count; one
  that lapses the day after does.
* **Maintained over N years**: strictly more than N full years, i.e. ``anchor + N years < as_of``
  (calendar years; an anchor of 29 February is treated as 28 February in non-leap years). A patent
  filed on 2014-06-30 has exactly 10 years on 2024-06-30 (not "over") and qualifies from 2024-07-01.
* **Unknown is not false**: a criterion whose input is missing (``strategic_emerging`` or
  ``overseas_family`` missing, a missing anchor date, or an input column absent altogether) is
  ``<NA>``. ``high_value`` is ``True`` when a valid patent meets any criterion, ``False`` when every
  criterion is known and false (or the patent is not valid), and ``<NA>`` otherwise; stocks report
  the ``<NA>`` patents in a separate ``high_value_unknown`` column. By the canonical table's
  contract a missing ``pledge_amount`` or ``award`` means *none* (not unknown).
* **Domestic only** for stocks and per-10k figures (国内, 不含港澳台), as CNIPA publishes them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from ipanalysis.errors import InputError
from ipanalysis.vocabulary import flag_words, missing_mask

CRITERIA: tuple[str, ...] = (
    "strategic_emerging",
    "overseas_family",
    "maintained",
    "high_pledge",
    "award",
)

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

#: Columns of the canonical patent table (:data:`ipanalysis.schemas.PATENT_COLUMNS`) read here.
ENGINE_COLUMNS: tuple[str, ...] = (
    "application_number",
    "patent_type",
    "filing_date",
    "grant_date",
    "lapse_date",
    "region",
    "ipc",
    "strategic_emerging",
    "overseas_family",
    "pledge_amount",
    "award",
    "domestic",
)
_REQUIRED = ("patent_type", "grant_date", "lapse_date", "domestic")
_DATES = ("filing_date", "grant_date", "lapse_date")
_FLAGS = ("strategic_emerging", "overseas_family", "domestic")


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
        ``"flag"`` (default): the ``strategic_emerging`` column supplied by the data source.
        ``"concordance"``: a patent qualifies when any of its IPC symbols starts with one of
        ``concordance`` (IPC prefixes taken from an official IPC→industry table supplied as data,
        e.g. CNIPA's 《战略性新兴产业分类与国际专利分类参照关系表》; see
        :func:`concordance_prefixes`).
        The library ships no concordance.
    concordance
        IPC prefixes used when ``strategic_emerging_source == "concordance"``.
    population_basis
        The per-10k denominator: ``"resident_year_end"`` (年末常住人口, as CNIPA and the Shanghai
        bulletins use) or ``"registered_year_end"`` (年末户籍人口). A population table carrying a
        ``basis`` column must match it.

    Examples
    --------
    >>> d = HighValueDefinition()
    >>> d.version, d.maintenance_years, d.maintenance_from, d.pledge_threshold
    ('cnipa-2021/1', 10, 'filing_date', 10000000.0)
    >>> HighValueDefinition(maintenance_from="grant_date", version="cnipa-2021/grant").version
    'cnipa-2021/grant'
    """

    version: str = "cnipa-2021/1"
    maintenance_years: int = 10
    maintenance_from: Literal["filing_date", "grant_date"] = "filing_date"
    pledge_threshold: float = 10_000_000.0
    awards: tuple[str, ...] = DEFAULT_AWARDS
    strategic_emerging_source: Literal["flag", "concordance"] = "flag"
    concordance: tuple[str, ...] = field(default=(), repr=False)
    population_basis: Literal["resident_year_end", "registered_year_end"] = "resident_year_end"

    def __post_init__(self) -> None:
        if self.maintenance_from not in ("filing_date", "grant_date"):
            raise ValueError(
                f"maintenance_from must be 'filing_date' or 'grant_date', "
                f"not {self.maintenance_from!r}"
            )
        if self.strategic_emerging_source not in ("flag", "concordance"):
            raise ValueError(
                f"strategic_emerging_source must be 'flag' or 'concordance', "
                f"not {self.strategic_emerging_source!r}"
            )
        if self.strategic_emerging_source == "concordance" and not self.concordance:
            raise ValueError(
                "strategic_emerging_source='concordance' needs a non-empty concordance "
                "(IPC prefixes from an official table; see concordance_prefixes)"
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

    def describe(self, lang: str = "en") -> str:
        """One line naming the version and every parameter, for a briefing's provenance cell.

        >>> print(HighValueDefinition().describe("zh"))
        高价值发明专利定义 cnipa-2021/1：维持年限自申请日起超过10年；质押融资金额 ≥ 10,000,000元；奖项 10 种；战略性新兴产业：数据源标记；人口：年末常住人口
        """
        if lang == "zh":
            se = (
                "数据源标记"
                if self.strategic_emerging_source == "flag"
                else f"IPC参照关系表（{len(self.concordance)}个前缀）"
            )
            start = {"filing_date": "申请日", "grant_date": "授权日"}[self.maintenance_from]
            population = {
                "resident_year_end": "年末常住人口",
                "registered_year_end": "年末户籍人口",
            }
            return (
                f"高价值发明专利定义 {self.version}：维持年限自{start}起超过{self.maintenance_years}年；"
                f"质押融资金额 ≥ {self.pledge_threshold:,.0f}元；奖项 {len(self.awards)} 种；"
                f"战略性新兴产业：{se}；人口：{population[self.population_basis]}"
            )
        se = (
            "source flag"
            if self.strategic_emerging_source == "flag"
            else f"IPC concordance ({len(self.concordance)} prefixes)"
        )
        return (
            f"high-value definition {self.version}: maintained > {self.maintenance_years} years "
            f"from {self.maintenance_from}; pledge >= {self.pledge_threshold:,.0f} CNY; "
            f"awards: {len(self.awards)} names; strategic emerging: {se}; "
            f"population: {self.population_basis}"
        )


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


# --- input preparation ---------------------------------------------------------------------------


def is_synthetic(frame: pd.DataFrame) -> bool:
    """True when ``frame`` holds synthetic records (``attrs`` flag or a true ``synthetic`` column).

    Results computed from synthetic records inherit the mark (see :func:`mark_status`).

    >>> is_synthetic(pd.DataFrame({"synthetic": [True]})), is_synthetic(pd.DataFrame({"a": [1]}))
    (True, False)
    """
    if frame.attrs.get("synthetic") is True:
        return True
    if "synthetic" in frame.columns:
        return bool(frame["synthetic"].astype(str).str.lower().eq("true").any())
    return False


def mark_status(result: pd.DataFrame, synthetic: bool, column: bool = False) -> pd.DataFrame:
    """Mark ``result`` as derived from synthetic records: ``attrs`` and, if ``column``, a
    ``data_status`` column, so that every figure shown from it can carry the label."""
    if synthetic:
        result.attrs["synthetic"] = True
        result.attrs["data_status"] = "synthetic"
        if column:
            result["data_status"] = "synthetic"
    return result


def _to_flag(values: pd.Series, column: str) -> pd.Series:
    """A nullable boolean from bool, 0/1 or true/false/是/否 text; else an InputError."""
    if isinstance(values.dtype, pd.BooleanDtype):
        return values
    if values.dtype == bool:
        return values if column == "domestic" else values.astype("boolean")
    if pd.api.types.is_numeric_dtype(values.dtype):
        bad = values.notna() & ~values.isin([0, 1])
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"expected true/false, found {values.iloc[pos]!r}", row=pos + 2, column=column
            )
        return values.astype("boolean")
    text = values.astype("str").str.strip().str.lower()
    missing = missing_mask(text)
    true, false = flag_words(text)
    bad = ~missing & ~true & ~false
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"expected true/false, found {values.iloc[pos]!r}", row=pos + 2, column=column
        )
    return pd.Series(
        pd.arrays.BooleanArray(true.to_numpy(dtype=bool), missing.to_numpy(dtype=bool)),
        index=values.index,
        name=column,
    )


def _to_dates(values: pd.Series, column: str) -> pd.Series:
    if values.dtype == "datetime64[ns]":
        return values
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.astype("datetime64[ns]")
    parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    bad = parsed.isna() & values.notna() & (values.astype("str").str.strip() != "")
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"expected a date like 2023-05-23, found {values.iloc[pos]!r}",
            row=pos + 2,
            column=column,
        )
    return parsed.astype("datetime64[ns]")


def prepare_patents(patents: pd.DataFrame) -> pd.DataFrame:
    """The engine's columns of a canonical patent table, with the engine's dtypes.

    Keeps only :data:`ENGINE_COLUMNS` that are present (extra columns are ignored), returns a new
    frame (the input is not changed): dates as ``datetime64[ns]``, ``patent_type`` and ``region`` as
    categoricals, flags as nullable booleans, ``pledge_amount`` as float. Already-prepared columns
    pass through without copying work.

    Raises
    ------
    InputError
        A required column is missing, or a value cannot be read; the error names the column and the
        row (counted as in a CSV file: the header is row 1).
    """
    missing = [c for c in _REQUIRED if c not in patents.columns]
    if missing:
        raise InputError(f"patent table lacks required column(s): {', '.join(missing)}")
    present = [c for c in ENGINE_COLUMNS if c in patents.columns]
    # a lazy (copy-on-write) selection: columns already in the engine's dtypes are not copied
    frame = patents[present]
    for column in present:
        values = original = frame[column]
        if column in _DATES:
            values = _to_dates(values, column)
        elif column in _FLAGS:
            values = _to_flag(values, column)
        elif column == "pledge_amount" and values.dtype != "float64":
            values = pd.to_numeric(values, errors="coerce").astype("float64")
        elif column in ("patent_type", "region", "award"):
            if not isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype("category")
            if column == "region" and not pd.api.types.is_string_dtype(values.cat.categories):
                values = values.cat.rename_categories(values.cat.categories.astype(str))
        if values is not original:
            frame[column] = values
    types = frame["patent_type"]
    unknown = set(types.cat.categories) - {"invention", "utility_model", "design"}
    if unknown:
        pos = int(np.flatnonzero(types.isin(sorted(unknown)).to_numpy())[0])
        raise InputError(
            f"patent_type must be invention, utility_model or design, found {types.iloc[pos]!r}",
            row=pos + 2,
            column="patent_type",
        )
    if frame["domestic"].isna().any():
        pos = int(np.flatnonzero(frame["domestic"].isna().to_numpy())[0])
        raise InputError(
            "domestic must be true or false, found a missing value", row=pos + 2, column="domestic"
        )
    return frame


def read_patents(path: str | Path) -> pd.DataFrame:
    """Read a canonical patent table from CSV or parquet and :func:`prepare_patents` it.

    Only the engine's columns are read from parquet; CSV values are read as text first so that
    codes such as ``region`` keep their leading digits.

    Raises
    ------
    InputError
        The file does not exist, is neither ``.csv`` nor ``.parquet``, or a value cannot be read.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", file=path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            import pyarrow.parquet as pq

            schema = pq.read_schema(path)
            present = set(schema.names)
            marked = (schema.metadata or {}).get(b"synthetic") == b"true"
            table = pq.read_table(
                path, columns=[c for c in (*ENGINE_COLUMNS, "synthetic") if c in present]
            )
            # one block per column and Arrow buffers released as they convert: no consolidation
            # copy, about half the peak memory of pd.read_parquet
            frame = table.to_pandas(split_blocks=True, self_destruct=True)
            del table
        elif suffix == ".csv":
            frame = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""])
        else:
            raise InputError(
                f"expected a .csv or .parquet file, found {suffix or 'no suffix'!r}", file=path
            )
        if suffix == ".csv":
            marked = is_synthetic(frame)
        prepared = prepare_patents(frame)
        prepared.attrs["synthetic"] = bool(marked or is_synthetic(frame))
        return prepared
    except InputError as error:
        if error.file is None:
            error.file = path.name
            error.args = (str(error),)
        raise


# --- classification ------------------------------------------------------------------------------


_DAY_NS = 86_400_000_000_000
_NAT = np.iinfo(np.int64).min  # NaT viewed as int64
_NEVER = np.iinfo(np.int32).max  # a day number later than any date: never granted / lapsed


def _days(values: pd.Series) -> np.ndarray:
    """Calendar day numbers (days since 1970-01-01) as int32, missing dates as :data:`_NEVER`.

    Comparing day numbers compares calendar days, whatever the time of day in the input.
    """
    ns = values.to_numpy(dtype="datetime64[ns]").view("int64")
    days = (ns // _DAY_NS).astype(np.int32)
    days[ns == _NAT] = _NEVER
    return days


def _day_number(day: pd.Timestamp) -> np.int32:
    return np.int32(day.value // _DAY_NS)


def _cutoff(as_of: pd.Timestamp, years: int) -> np.int32:
    """First date whose (y, m, d) is at least ``as_of``'s minus ``years`` years, as a day number.

    ``anchor < cutoff`` iff ``anchor + years < as_of`` in calendar terms (29 Feb anchors fall on
    28 Feb in non-leap years), so one scalar comparison replaces a per-row date offset.
    """
    try:
        day = pd.Timestamp(as_of.year - years, as_of.month, as_of.day)
    except ValueError:  # 29 February in a non-leap year
        day = pd.Timestamp(as_of.year - years, 3, 1)
    return _day_number(day)


def _timestamp(value: object, name: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{name} must be a date like 2023-12-31, not {value!r}") from error
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date like 2023-12-31, not {value!r}")
    return stamp.normalize()


@dataclass(frozen=True)
class _Static:
    """Per-patent inputs that do not depend on the reference date, as numpy arrays."""

    candidate: np.ndarray  # an invention with a grant date (domestic or not)
    domestic: np.ndarray
    grant: np.ndarray  # day numbers (int32); a missing date is _NEVER
    lapse: np.ndarray
    anchor: np.ndarray  # filing or grant date, per the definition
    anchor_known: np.ndarray
    true: dict[str, np.ndarray]  # criterion -> met (date-independent criteria)
    known: dict[str, np.ndarray]  # criterion -> input present
    static_met: np.ndarray  # any date-independent criterion met
    static_unknown: np.ndarray  # any criterion input missing (maintenance anchor included)


def _award_match(award: pd.Series, names: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    if not names:
        return np.zeros(len(award), bool), np.ones(len(award), bool)
    pattern = "|".join(re.escape(n) for n in names)
    if isinstance(award.dtype, pd.CategoricalDtype):
        cats = pd.Series(award.cat.categories.astype(str))
        hit = np.append(cats.str.contains(pattern, regex=True).to_numpy(dtype=bool), False)
        return hit[award.cat.codes.to_numpy()], np.ones(len(award), bool)
    met = award.astype("str").str.contains(pattern, regex=True).fillna(False)
    return met.to_numpy(dtype=bool), np.ones(len(award), bool)


def _concordance_match(ipc: pd.Series, prefixes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Any ';'-joined IPC symbol starting with a prefix (spaces and case ignored); NA unknown."""
    pattern = "(?:^|;)(?:" + "|".join(re.escape(p) for p in prefixes) + ")"

    def match(values: pd.Series) -> np.ndarray:
        text = values.astype("str").str.upper().str.replace(" ", "", regex=False)
        return text.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)

    if isinstance(ipc.dtype, pd.CategoricalDtype):  # match each distinct value once
        codes = ipc.cat.codes.to_numpy()
        hit = np.append(match(pd.Series(ipc.cat.categories)), False)
        return hit[codes], codes >= 0
    return match(ipc), ipc.notna().to_numpy(dtype=bool)


def _static(patents: pd.DataFrame, definition: HighValueDefinition) -> _Static:
    n = len(patents)
    grant = _days(patents["grant_date"])
    candidate = (patents["patent_type"] == "invention").to_numpy(dtype=bool) & (grant != _NEVER)
    lapse = _days(patents["lapse_date"])
    anchor_column = definition.maintenance_from
    if anchor_column in patents.columns:
        anchor = _days(patents[anchor_column])
        anchor_known = anchor != _NEVER
    else:
        anchor, anchor_known = np.full(n, _NEVER, np.int32), np.zeros(n, bool)
    true: dict[str, np.ndarray] = {}
    known: dict[str, np.ndarray] = {}
    if definition.strategic_emerging_source == "flag":
        source = "strategic_emerging"
        if source in patents.columns:
            flag = patents[source]
            known[source] = flag.notna().to_numpy(dtype=bool)
            true[source] = flag.to_numpy(dtype=bool, na_value=False)
    else:
        if "ipc" in patents.columns:
            true["strategic_emerging"], known["strategic_emerging"] = _concordance_match(
                patents["ipc"], definition.concordance
            )
    if "overseas_family" in patents.columns:
        flag = patents["overseas_family"]
        known["overseas_family"] = flag.notna().to_numpy(dtype=bool)
        true["overseas_family"] = flag.to_numpy(dtype=bool, na_value=False)
    if "pledge_amount" in patents.columns:
        amount = patents["pledge_amount"].to_numpy(dtype="float64", na_value=np.nan)
        true["high_pledge"] = amount >= definition.pledge_threshold
        known["high_pledge"] = np.ones(n, bool)
    if "award" in patents.columns:
        true["award"], known["award"] = _award_match(patents["award"], definition.awards)
    for criterion in CRITERIA:
        if criterion != "maintained" and criterion not in true:
            true[criterion] = np.zeros(n, bool)
            known[criterion] = np.zeros(n, bool)
    static_met = np.zeros(n, bool)
    static_unknown = ~anchor_known
    for criterion in true:
        static_met |= true[criterion]
        static_unknown |= ~known[criterion]
    return _Static(
        candidate=candidate,
        domestic=patents["domestic"].to_numpy(dtype=bool, na_value=False),
        grant=grant,
        lapse=lapse,
        anchor=anchor,
        anchor_known=anchor_known,
        true=true,
        known=known,
        static_met=static_met,
        static_unknown=static_unknown,
    )


def _at(static: _Static, as_of: pd.Timestamp, definition: HighValueDefinition):
    """valid, criterion (met, known) arrays and high_value (met, unknown) at one date."""
    day = _day_number(as_of)
    valid = static.candidate & (static.grant <= day) & (static.lapse > day)
    # an unknown anchor is stored as _NEVER, so it never compares as maintained
    maintained = static.anchor < _cutoff(as_of, definition.maintenance_years)
    met = dict(static.true)
    known = dict(static.known)
    met["maintained"], known["maintained"] = maintained, static.anchor_known
    any_met = static.static_met | maintained
    high = valid & any_met
    unknown = valid & ~any_met & static.static_unknown
    return valid, met, known, high, unknown


def classify(
    patents: pd.DataFrame,
    as_of: object,
    definition: HighValueDefinition = DEFAULT_DEFINITION,
) -> pd.DataFrame:
    """Flag each patent on the five criteria, ``valid`` and ``high_value`` at ``as_of``.

    Parameters
    ----------
    patents
        A canonical patent table (extra columns ignored; see :func:`prepare_patents`).
    as_of
        The reference date (anything :class:`pandas.Timestamp` accepts).
    definition
        The high-value definition; its version is stored in ``result.attrs["definition"]``.

    Returns
    -------
    DataFrame
        Same index and order as ``patents``: ``application_number`` (when present), one nullable
        boolean column per criterion in :data:`CRITERIA` (``<NA>`` = input missing), ``valid``
        (bool) and ``high_value`` (nullable boolean). ``attrs["unknown"]`` counts, per criterion,
        the valid patents whose criterion is unknown, and ``attrs["high_value_unknown"]`` the valid
        patents whose overall status is unknown.

    Examples
    --------
    >>> p = pd.DataFrame({
    ...     "application_number": ["CN201410000001", "CN201410000002"],
    ...     "patent_type": ["invention", "utility_model"],
    ...     "filing_date": ["2014-01-01", "2014-01-01"], "grant_date": ["2016-01-01"] * 2,
    ...     "lapse_date": [None, None], "strategic_emerging": [True, True],
    ...     "overseas_family": [False, False], "domestic": [True, True]})
    >>> classify(p, "2023-12-31")[["valid", "strategic_emerging", "maintained", "high_value"]]
       valid  strategic_emerging  maintained  high_value
    0   True                True       False        True
    1  False                True       False       False
    """
    day = _timestamp(as_of, "as_of")
    prepared = prepare_patents(patents)
    static = _static(prepared, definition)
    valid, met, known, high, unknown = _at(static, day, definition)
    out: dict[str, object] = {}
    if "application_number" in prepared.columns:
        out["application_number"] = prepared["application_number"]
    for criterion in CRITERIA:
        out[criterion] = pd.arrays.BooleanArray(met[criterion], ~known[criterion])
    out["valid"] = valid
    out["high_value"] = pd.arrays.BooleanArray(high, unknown)
    result = mark_status(pd.DataFrame(out, index=prepared.index), is_synthetic(patents))
    result.attrs["definition"] = definition.version
    result.attrs["as_of"] = day.date().isoformat()
    result.attrs["unknown"] = {c: int((valid & ~known[c]).sum()) for c in CRITERIA}
    result.attrs["high_value_unknown"] = int(unknown.sum())
    return result


def breakdown(classified: pd.DataFrame) -> pd.DataFrame:
    """Criterion counts among high-value patents, overlaps shown, each patent counted once overall.

    Parameters
    ----------
    classified
        The output of :func:`classify` (filter it first, e.g. to domestic patents or a region).

    Returns
    -------
    DataFrame
        One row per criterion and a final ``all (counted once)`` row: ``patents`` (high-value
        patents meeting the criterion), ``only_this`` (meeting no other criterion),
        ``with_others``, and ``share`` of all high-value patents (criterion shares add up to more
        than 1 when criteria overlap). ``attrs["combinations"]`` holds :func:`overlaps`.

    Examples
    --------
    >>> c = pd.DataFrame({"strategic_emerging": [True, True, False],
    ...     "overseas_family": [True, False, False], "maintained": [False] * 3,
    ...     "high_pledge": [False] * 3, "award": [False] * 3,
    ...     "valid": [True] * 3, "high_value": [True, True, False]})
    >>> breakdown(c)
                criterion  patents  only_this  with_others  share
    0  strategic_emerging        2          1            1    1.0
    1     overseas_family        1          0            1    0.5
    2          maintained        0          0            0    0.0
    3         high_pledge        0          0            0    0.0
    4               award        0          0            0    0.0
    5  all (counted once)        2          1            1    1.0
    """
    high = classified["high_value"].fillna(False).to_numpy(dtype=bool)
    met = {c: classified[c].fillna(False).to_numpy(dtype=bool) & high for c in CRITERIA}
    how_many = sum(m.astype(np.int8) for m in met.values())
    total = int(high.sum())
    rows = []
    for criterion in CRITERIA:
        n = int(met[criterion].sum())
        only = int((met[criterion] & (how_many == 1)).sum())
        rows.append((criterion, n, only, n - only))
    single = int((high & (how_many == 1)).sum())
    rows.append(("all (counted once)", total, single, total - single))
    result = pd.DataFrame(rows, columns=["criterion", "patents", "only_this", "with_others"])
    result["share"] = result["patents"] / total if total else np.nan
    result = mark_status(result, is_synthetic(classified))
    result.attrs["combinations"] = overlaps(classified)
    result.attrs["definition"] = classified.attrs.get("definition")
    return result


def overlaps(classified: pd.DataFrame) -> pd.DataFrame:
    """High-value patents by the exact combination of criteria they meet (``a+b``), most first.

    >>> c = pd.DataFrame({"strategic_emerging": [True, True], "overseas_family": [True, False],
    ...     "maintained": [False] * 2, "high_pledge": [False] * 2, "award": [False] * 2,
    ...     "high_value": [True, True]})
    >>> overlaps(c)
                              combination  patents
    0                  strategic_emerging        1
    1  strategic_emerging+overseas_family        1
    """
    high = classified["high_value"].fillna(False).to_numpy(dtype=bool)
    code = np.zeros(len(classified), np.int64)
    for bit, criterion in enumerate(CRITERIA):
        code |= classified[criterion].fillna(False).to_numpy(dtype=bool).astype(np.int64) << bit
    counts = np.bincount(code[high], minlength=2 ** len(CRITERIA))
    rows = [
        ("+".join(c for bit, c in enumerate(CRITERIA) if value >> bit & 1), int(counts[value]))
        for value in np.flatnonzero(counts)
    ]
    frame = pd.DataFrame(rows, columns=["combination", "patents"])
    return frame.sort_values(["patents", "combination"], ascending=[False, True], ignore_index=True)


# --- stocks --------------------------------------------------------------------------------------


def load_population(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    """A population table ``region, population_10k[, year][, basis]`` from a path or frame.

    Accepts the project's raw layout (``adcode, resident_population_10k[, year_end]``: its basis
    is resident year-end population, 年末常住人口) or the canonical names. A table that names no
    basis (no ``basis`` column, no ``resident_`` column) is not checked against the definition's.

    >>> load_population(pd.DataFrame({"adcode": [310117], "resident_population_10k": [195.89],
    ...                               "year_end": [2024]}))
       region  population_10k  year              basis
    0  310117          195.89  2024  resident_year_end
    """
    is_frame = isinstance(source, pd.DataFrame)
    file = None if is_frame else Path(source)
    if is_frame:
        frame = source.copy()
    elif not file.exists():
        raise InputError("no such file", file=file)
    else:
        frame = pd.read_csv(file, dtype={"adcode": str, "region": str})
    if "resident_population_10k" in frame.columns and "basis" not in frame.columns:
        frame["basis"] = "resident_year_end"
    renames = {"adcode": "region", "resident_population_10k": "population_10k", "year_end": "year"}
    frame = frame.rename(columns={k: v for k, v in renames.items() if k in frame.columns})
    for column in ("region", "population_10k"):
        if column not in frame.columns:
            raise InputError(f"population table lacks column {column!r}", file=file)
    frame["region"] = frame["region"].astype(str)
    frame["population_10k"] = pd.to_numeric(frame["population_10k"], errors="coerce")
    bad = frame["population_10k"].isna() | (frame["population_10k"] <= 0)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            "population must be a positive number", file=file, row=pos + 2, column="population_10k"
        )
    keep = ["region", "population_10k"] + [c for c in ("year", "basis") if c in frame.columns]
    return frame[keep].reset_index(drop=True)


def year_ends(start: int, end: int) -> list[pd.Timestamp]:
    """31 December of each year from ``start`` to ``end`` inclusive.

    >>> [d.date().isoformat() for d in year_ends(2022, 2023)]
    ['2022-12-31', '2023-12-31']
    """
    return [pd.Timestamp(year, 12, 31) for year in range(start, end + 1)]


def stock(
    patents: pd.DataFrame,
    dates: object | Iterable[object],
    by: str | None = "region",
    population: pd.DataFrame | None = None,
    definition: HighValueDefinition = DEFAULT_DEFINITION,
    domestic_only: bool = True,
) -> pd.DataFrame:
    """Valid and high-value invention patents held at each date, by region, and per 10k residents.

    Parameters
    ----------
    patents
        A canonical patent table.
    dates
        One reference date or several (e.g. :func:`year_ends`).
    by
        Group column (``"region"``) or ``None`` for one total per date.
    population
        Optional :func:`load_population` table. With a ``year`` column, each date uses the
        population of the nearest available year (ties: the earlier), shown in a
        ``population_year`` column; without it, the same population for every date. Regions
        without a population get ``NaN`` per-10k values.
    domestic_only
        Count domestic patentees only (default; CNIPA's per-10k indicator is domestic).

    Returns
    -------
    DataFrame
        ``date, [by,] valid, high_value, high_value_unknown`` and, with a population,
        ``population_10k, valid_per_10k, high_value_per_10k``; one row per date and group (groups
        with no patents appear with zeros). ``high_value_unknown`` counts valid patents whose
        status is unknown because an input is missing; they are not in ``high_value``.
    """
    stamps = [
        _timestamp(d, "date")
        for d in (
            [dates]
            if isinstance(dates, (str, pd.Timestamp)) or not isinstance(dates, Iterable)
            else dates
        )
    ]
    prepared = prepare_patents(patents)
    # only granted inventions can ever be valid: take them (and the columns needed) once
    keep = (prepared["patent_type"] == "invention").to_numpy(dtype=bool) & prepared[
        "grant_date"
    ].notna().to_numpy()
    if domestic_only:
        keep &= prepared["domestic"].to_numpy(dtype=bool)
    rows = np.flatnonzero(keep)
    unused = {"application_number"} | (
        {"ipc"} if definition.strategic_emerging_source == "flag" else set()
    )
    candidates = prepared[[c for c in prepared.columns if c not in unused]].take(rows)
    static = _static(candidates, definition)
    if by is None:
        codes, groups = np.zeros(len(candidates), np.int64), None
    else:
        if by not in candidates.columns:
            raise InputError(f"patent table has no column {by!r} to group by", column=by)
        column = candidates[by]
        if not isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype("category")
        categories = column.cat.categories
        codes = column.cat.codes.to_numpy().astype(np.int64)
        if (codes < 0).any():
            categories = categories.append(pd.Index(["<missing>"]))
            codes[codes < 0] = len(categories) - 1
        groups = categories
    n_groups = 1 if groups is None else len(groups)
    # four states per patent and date (0 not valid, 1 valid, 2 valid and high-value, 3 valid and
    # unknown), counted by group in one bincount; int8/int32 arrays keep memory traffic low
    grant, lapse, anchor = static.grant, static.lapse, static.anchor
    static_state = np.where(static.static_met, 2, np.where(static.static_unknown, 3, 1)).astype(
        np.int8
    )
    base = codes * 4
    frames = []
    for day in stamps:
        at = _day_number(day)
        valid = grant <= at
        valid &= lapse > at
        state = np.where(anchor < _cutoff(day, definition.maintenance_years), 2, static_state)
        state *= valid.view(np.int8)
        counts = np.bincount(base + state, minlength=4 * n_groups).reshape(n_groups, 4)
        frame = pd.DataFrame(
            {
                "date": np.repeat(np.datetime64(day.to_datetime64(), "ns"), n_groups),
                "valid": counts[:, 1:].sum(axis=1),
                "high_value": counts[:, 2],
                "high_value_unknown": counts[:, 3],
            }
        )
        if groups is not None:
            frame.insert(1, by, np.asarray(groups, dtype=object))
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    if population is not None:
        result = _per_10k(result, population, by, definition)
    result = mark_status(result, is_synthetic(patents), column=True)
    result.attrs["definition"] = definition.version
    result.attrs["domestic_only"] = domestic_only
    return result


#: Columns of :func:`stock` and the registry indicators (domestic basis) they measure.
STOCK_INDICATORS: dict[str, str] = {
    "valid": "valid_invention_patents",
    "high_value": "high_value_invention_patents",
    "high_value_per_10k": "high_value_invention_patents_per_10k",
}


def stock_observations(stocks: pd.DataFrame) -> pd.DataFrame:
    """A :func:`stock` table by region in long form, one row per region, date and indicator.

    Columns ``region_code, indicator, year, date, value, unit`` (the registry's unit),
    ``population_year`` (per-10k rows, else missing) and ``undecided``: for high-value rows,
    whether some valid patent's status was unknown (``high_value_unknown > 0``), so the count
    is a lower bound. Per-10k rows of regions without a population are left out.

    >>> stocks = pd.DataFrame({"date": pd.to_datetime(["2025-12-31"]), "region": ["310117"],
    ...     "valid": [3], "high_value": [1], "high_value_unknown": [1]})
    >>> stock_observations(stocks)[["indicator", "value", "unit", "undecided"]]
                          indicator  value unit  undecided
    0       valid_invention_patents    3.0    件      False
    1  high_value_invention_patents    1.0    件       True
    """
    from .indicators import INDICATORS

    frames = []
    for column, indicator in STOCK_INDICATORS.items():
        if column not in stocks.columns:
            continue
        part = stocks[stocks[column].notna()]
        years = part.get("population_year") if column.endswith("per_10k") else None
        frames.append(
            pd.DataFrame(
                {
                    "region_code": part["region"].astype(str),
                    "indicator": indicator,
                    "year": part["date"].dt.year.astype("int64"),
                    "date": part["date"],
                    "value": part[column].astype(float),
                    "unit": INDICATORS[indicator].unit,
                    "population_year": pd.array(
                        years if years is not None else [pd.NA] * len(part), dtype="Int64"
                    ),
                    "undecided": (part["high_value_unknown"] > 0).to_numpy()
                    if column != "valid"
                    else False,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _per_10k(
    result: pd.DataFrame, population: pd.DataFrame, by: str | None, definition: HighValueDefinition
) -> pd.DataFrame:
    """Join population (nearest available year to each date's year) and divide."""
    pop = load_population(population)
    if "basis" in pop.columns and (pop["basis"] != definition.population_basis).any():
        found = sorted(set(pop["basis"]) - {definition.population_basis})
        raise InputError(
            f"population basis {', '.join(found)} does not match the definition's "
            f"{definition.population_basis}",
            column="basis",
        )
    if "year" not in pop.columns:
        pop = pop.assign(year=pd.NA)
    pop = pop.rename(columns={"region": "_group"})
    if by is None:
        pop = pop.groupby("year", as_index=False, dropna=False)["population_10k"].sum()
        pop["_group"] = "<all>"
    with_year = pop["year"].notna().any()
    keys = pd.DataFrame(
        {
            "_row": np.arange(len(result)),
            "_group": result[by].to_numpy() if by is not None else "<all>",
            "_date_year": result["date"].dt.year.to_numpy(),
        }
    )
    # each row takes its group's population of the nearest year (ties: the earlier year); the
    # tables are small (groups x years), so a join then a sort is enough
    pairs = keys.merge(pop[["_group", "year", "population_10k"]], on="_group", how="left")
    if with_year:
        pairs["_distance"] = (pairs["year"] - pairs["_date_year"]).abs()
        pairs = pairs.sort_values(["_row", "_distance", "year"], kind="stable")
    pairs = pairs.drop_duplicates("_row").sort_values("_row")
    merged = result.copy()
    merged["population_10k"] = pairs["population_10k"].to_numpy(dtype=float)
    if with_year:
        merged["population_year"] = pd.array(pairs["year"].to_numpy(), dtype="Int64")
    merged["valid_per_10k"] = merged["valid"] / merged["population_10k"]
    merged["high_value_per_10k"] = merged["high_value"] / merged["population_10k"]
    merged.attrs["population_basis"] = definition.population_basis
    return merged


# --- levers --------------------------------------------------------------------------------------


def maturing(
    patents: pd.DataFrame,
    as_of: object,
    months: int,
    definition: HighValueDefinition = DEFAULT_DEFINITION,
    domestic_only: bool = True,
) -> pd.DataFrame:
    """Valid invention patents that will pass the maintenance threshold within ``months``.

    A patent is listed when it is valid at ``as_of``, does not yet meet the maintenance criterion,
    and first meets it on or before ``as_of + months`` (``qualifies_on`` is the day after its
    ``maintenance_years`` anniversary). ``already_high_value`` tells whether another criterion makes
    it high-value anyway, so the lever is the rows where it is ``False``. It assumes the patent's
    fees are paid until then.

    Returns
    -------
    DataFrame
        ``application_number, region, qualifies_on, already_high_value`` (nullable boolean),
        sorted by ``qualifies_on``, index of the input.
    """
    day = _timestamp(as_of, "as_of")
    if months < 0:
        raise ValueError(f"months must be zero or more, not {months}")
    prepared = prepare_patents(patents)
    static = _static(prepared, definition)
    valid, met, known, high, unknown = _at(static, day, definition)
    keep = valid & static.anchor_known & ~met["maintained"]
    if domestic_only:
        keep &= static.domestic
    rows = prepared.loc[keep]
    anchor = rows[definition.maintenance_from]
    qualifies = anchor + pd.DateOffset(years=definition.maintenance_years) + pd.Timedelta(days=1)
    horizon = day + pd.DateOffset(months=months)
    within = (qualifies <= horizon).to_numpy()
    other = np.zeros(int(keep.sum()), bool)
    other_unknown = np.zeros(int(keep.sum()), bool)
    for criterion in CRITERIA:
        if criterion != "maintained":
            other |= met[criterion][keep]
            other_unknown |= ~known[criterion][keep]
    out = pd.DataFrame(index=rows.index)
    for column in ("application_number", "region"):
        if column in rows.columns:
            out[column] = rows[column]
    out["qualifies_on"] = qualifies
    out["already_high_value"] = pd.arrays.BooleanArray(other, ~other & other_unknown)
    out = out.loc[within].sort_values("qualifies_on", kind="stable")
    out = mark_status(out, is_synthetic(patents))
    out.attrs["definition"] = definition.version
    return out


def lapsed(
    patents: pd.DataFrame,
    start: object,
    end: object,
    patent_types: Sequence[str] = ("invention",),
    domestic_only: bool = True,
) -> pd.DataFrame:
    """Granted patents whose right ended in ``[start, end]`` (both inclusive), e.g. for unpaid fees.

    Returns ``application_number, region, patent_type, grant_date, lapse_date`` of those rows and a
    ``years_in_force`` column (whole years from grant to lapse), sorted by ``lapse_date``.
    """
    first, last = _timestamp(start, "start"), _timestamp(end, "end")
    if last < first:
        raise ValueError(f"end {last.date()} is before start {first.date()}")
    prepared = prepare_patents(patents)
    keep = (
        prepared["patent_type"].isin(list(patent_types)).to_numpy(dtype=bool)
        & prepared["grant_date"].notna().to_numpy()
        & (prepared["lapse_date"] >= first).fillna(False).to_numpy(dtype=bool)
        & (prepared["lapse_date"] <= last).fillna(False).to_numpy(dtype=bool)
    )
    if domestic_only:
        keep &= prepared["domestic"].to_numpy(dtype=bool)
    columns = [
        c
        for c in ("application_number", "region", "patent_type", "grant_date", "lapse_date")
        if c in prepared.columns
    ]
    out = prepared.loc[keep, columns].copy()
    g, lp = out["grant_date"], out["lapse_date"]
    years = (
        lp.dt.year
        - g.dt.year
        - ((lp.dt.month * 100 + lp.dt.day) < (g.dt.month * 100 + g.dt.day)).astype(int)
    )
    out["years_in_force"] = years.astype("int64")
    return mark_status(out.sort_values("lapse_date", kind="stable"), is_synthetic(patents))


def project_per_10k(
    history: pd.DataFrame,
    target_year: int,
    window: int = 5,
    by: str | None = None,
    value: str = "value",
) -> pd.DataFrame:
    """Project a per-10k series to ``target_year`` from the trend of its last ``window`` years.

    Assumptions (stated in ``attrs["method"]``): ``central`` continues the least-squares linear
    trend of the last ``window`` year-end values; ``low`` and ``high`` continue from the last
    value at the smallest and largest year-on-year change seen in that window. Population is held
    at its last level (the value is already per 10k).

    Parameters
    ----------
    history
        ``year`` (or a year-end ``date``, e.g. :func:`stock` output) and ``value`` columns (and
        ``by`` when given), one row per year (and group).

    Examples
    --------
    >>> h = pd.DataFrame({"year": [2021, 2022, 2023], "value": [31.6, 40.9, 50.2]})
    >>> project_per_10k(h, 2026, window=3).round(2)
       year  last_year  last_value   low  central  high
    0  2026       2023        50.2  78.1     78.1  78.1
    """
    if "year" not in history.columns and "date" in history.columns:
        history = history.assign(year=pd.to_datetime(history["date"]).dt.year)
    for column in ["year", value] + ([by] if by else []):
        if column not in history.columns:
            raise InputError(f"history lacks column {column!r}", column=column)
    if window < 2:
        raise ValueError(f"window must be at least 2 years, not {window}")
    frame = history.dropna(subset=[value]).sort_values([*([by] if by else []), "year"])
    groups = frame.groupby(by, sort=True, observed=True) if by else [(None, frame)]
    rows = []
    for key, group in groups:
        recent = group.tail(window)
        if len(recent) < 2:
            raise InputError(
                f"need at least 2 years of history to project, found {len(recent)}"
                + (f" for {key}" if by else ""),
                column=value,
            )
        years = recent["year"].to_numpy(dtype=float)
        values = recent[value].to_numpy(dtype=float)
        last_year, last_value = int(years[-1]), float(values[-1])
        if target_year < last_year:
            raise ValueError(f"target_year {target_year} is before the last year {last_year}")
        slope, intercept = np.polyfit(years, values, 1)
        steps = np.diff(values) / np.diff(years)
        ahead = target_year - last_year
        row = {
            "year": target_year,
            "last_year": last_year,
            "last_value": last_value,
            "low": last_value + ahead * steps.min(),
            "central": slope * target_year + intercept,
            "high": last_value + ahead * steps.max(),
        }
        rows.append(({by: key} if by else {}) | row)
    out = pd.DataFrame(rows)
    out.attrs["method"] = (
        f"linear trend of the last {window} years (central); last value plus the "
        f"smallest/largest year-on-year change in that window (low/high)"
    )
    return out


# --- ranks ---------------------------------------------------------------------------------------


def rank(
    frame: pd.DataFrame,
    value: str,
    by: str | Sequence[str] | None = None,
    ascending: bool = False,
    peers: Iterable[str] | None = None,
    region: str = "region",
) -> pd.DataFrame:
    """Rank rows on ``value`` among peers, largest first, ties sharing the best rank ('min').

    Ties get the smallest rank of the group and the next rank is skipped (10, 10, 8 -> 1, 1, 3), as
    in sports tables and official league tables. Missing values get no rank (``<NA>``) and are not
    counted as peers. Rankings are separate within each ``by`` group (e.g. ``"date"``). With
    ``peers`` (e.g. the 16 district codes), only rows whose ``region`` is one of them are ranked;
    the others stay in the result without a rank.

    Returns
    -------
    DataFrame
        A copy of ``frame`` with ``rank`` (Int64) and ``peers`` (Int64: ranked rows in the group).

    Examples
    --------
    >>> f = pd.DataFrame({"region": ["a", "b", "c", "d"], "v": [10.0, 8.0, 10.0, None]})
    >>> rank(f, "v")
      region     v  rank  peers
    0      a  10.0     1      3
    1      b   8.0     3      3
    2      c  10.0     1      3
    3      d   NaN  <NA>      3
    """
    if value not in frame.columns:
        raise InputError(f"cannot rank: no column {value!r}", column=value)
    out = frame.copy()
    values = out[value]
    if peers is not None:
        if region not in out.columns:
            raise InputError(f"cannot rank among peers: no column {region!r}", column=region)
        values = values.where(out[region].astype(str).isin([str(p) for p in peers]))
    if by is None:
        ranks = values.rank(method="min", ascending=ascending)
        counts = pd.Series(values.notna().sum(), index=out.index)
    else:
        keys = [by] if isinstance(by, str) else list(by)
        grouped = values.groupby([out[k] for k in keys], sort=False, observed=True, dropna=False)
        ranks = grouped.rank(method="min", ascending=ascending)
        counts = grouped.transform("count")
    out["rank"] = ranks.astype("Int64")
    out["peers"] = counts.astype("Int64")
    return out


def with_definition(definition: HighValueDefinition, **changes: object) -> HighValueDefinition:
    """A copy of ``definition`` with ``changes``; pass a new ``version`` whenever a rule changes.

    >>> with_definition(DEFAULT_DEFINITION, pledge_threshold=5e6, version="x/1").pledge_threshold
    5000000.0
    """
    if "version" not in changes:
        raise ValueError("give the changed definition a new version")
    return replace(definition, **changes)
