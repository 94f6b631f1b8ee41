"""Classify patents on the five criteria at a reference date; the breakdown and overlaps.

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
  contract a missing ``pledge_amount`` or ``award`` means *none* (not unknown) — except a
  missing amount of a patent whose ``pledge_count`` says it was pledged: that is unknown.
* **Domestic only** for stocks and per-10k figures (国内, 不含港澳台), as CNIPA publishes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..schemas import is_synthetic, mark_status
from . import concordance
from .definition import ALL_CRITERIA, CRITERIA, DEFAULT_DEFINITION, HighValueDefinition
from .memory import small_pages
from .patents import check_inputs_read, prepare_patents

_DAY_NS = 86_400_000_000_000


_NAT = np.iinfo(np.int64).min  # NaT viewed as int64


def _nanoseconds(values: pd.Series) -> np.ndarray:
    """A date column as int64 nanoseconds since 1970 (NaT: :data:`_NAT`), a view where the column
    is ``datetime64[ns]`` already, as :func:`prepare_patents` makes it.

    Dates are compared as they are stored, against the first nanosecond of a calendar day
    (:func:`_day_start`): ``day(x) <= d`` iff ``x < start(d + 1)``, whatever the time of day in
    ``x``. No per-row conversion to day numbers (an integer division of every date) is needed.
    """
    return values.to_numpy(dtype="datetime64[ns]").view("int64")


def _day_start(day: pd.Timestamp) -> np.int64:
    """The first nanosecond of ``day``'s calendar day."""
    return np.int64(day.value // _DAY_NS * _DAY_NS)


def _next_day(day: pd.Timestamp) -> np.int64:
    """The first nanosecond of the calendar day after ``day``."""
    return _day_start(day) + np.int64(_DAY_NS)


def _cutoff(as_of: pd.Timestamp, years: int) -> np.int64:
    """First nanosecond of the first date whose (y, m, d) is at least ``as_of``'s minus ``years``
    years.

    ``anchor < cutoff`` iff ``anchor + years < as_of`` in calendar terms (29 Feb anchors fall on
    28 Feb in non-leap years), so one scalar comparison replaces a per-row date offset.
    """
    try:
        day = pd.Timestamp(as_of.year - years, as_of.month, as_of.day)
    except ValueError:  # 29 February in a non-leap year
        day = pd.Timestamp(as_of.year - years, 3, 1)
    return _day_start(day)


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
    grant: np.ndarray  # int64 nanoseconds (see _nanoseconds); a missing date is _NAT
    lapse: np.ndarray  # _NAT: never lapsed
    anchor: np.ndarray  # filing or grant date, per the definition; _NAT: unknown
    anchor_known: np.ndarray
    true: dict[str, np.ndarray]  # criterion -> met (date-independent criteria)
    known: dict[str, np.ndarray]  # criterion -> input present
    static_met: np.ndarray  # any date-independent criterion met
    static_unknown: np.ndarray  # any criterion input missing (maintenance anchor included)
    # the rows (positions) criterion 1 was matched on against the CNIPA concordance, and
    # concordance.match's reason for each; None when it matched no row
    strategic_reason: tuple[np.ndarray, pd.Series] | None = None


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


def _patent_text(patents: pd.DataFrame, rows: np.ndarray) -> pd.Series | None:
    """Title and abstract of ``rows`` joined (None when the table has neither column)."""
    columns = [c for c in ("title", "abstract") if c in patents.columns]
    if not columns:
        return None
    parts = [patents[c].iloc[rows].astype("object") for c in columns]
    joined = parts[0].where(parts[0].notna(), "")
    for part in parts[1:]:
        joined = joined + " " + part.where(part.notna(), "")
    return joined.str.strip().replace("", None)


def _strategic_emerging(
    patents: pd.DataFrame, definition: HighValueDefinition
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, pd.Series] | None] | None:
    """(met, known, reason) of criterion 1 from the source's flag and/or the IPC concordance.

    ``"auto"`` takes the flag where given and the concordance for the other patents; ``"flag"``
    the flag only; ``"concordance"`` the concordance for all. None: no input column at all.
    ``reason`` is (rows, :func:`concordance.match`'s reason for each) of the rows matched against
    the CNIPA concordance, or None when it matched no row.
    """
    source, n = definition.strategic_emerging_source, len(patents)
    has_flag = source != "concordance" and "strategic_emerging" in patents.columns
    if has_flag:
        flag = patents["strategic_emerging"]
        met = np.array(flag.to_numpy(dtype=bool, na_value=False))
        known = np.array(flag.notna().to_numpy(dtype=bool))
    else:
        met, known = np.zeros(n, bool), np.zeros(n, bool)
    if source == "flag":
        return (met, known, None) if has_flag else None
    rows = np.flatnonzero(~known)
    if len(rows):  # a table read for another definition may lack these patents' IPC or text
        check_inputs_read(patents, definition)
    if "ipc" not in patents.columns:
        return (met, known, None) if has_flag else None
    reason = None
    if len(rows):
        ipc = patents["ipc"].iloc[rows]
        if definition.concordance:
            met[rows], known[rows] = _concordance_match(ipc, definition.concordance)
        else:
            found = concordance.match(
                ipc, text=_patent_text(patents, rows), keyword_rule=definition.keyword_rule
            )
            met[rows], known[rows] = concordance.as_arrays(found)
            reason = rows, found["reason"]
    return met, known, reason


def _static(patents: pd.DataFrame, definition: HighValueDefinition) -> _Static:
    n = len(patents)
    grant = _nanoseconds(patents["grant_date"])
    candidate = (patents["patent_type"] == "invention").to_numpy(dtype=bool) & (grant != _NAT)
    lapse = _nanoseconds(patents["lapse_date"])
    anchor_column = definition.maintenance_from
    if anchor_column in patents.columns:
        anchor = _nanoseconds(patents[anchor_column])
        anchor_known = anchor != _NAT
    else:
        anchor, anchor_known = np.full(n, _NAT, np.int64), np.zeros(n, bool)
    true: dict[str, np.ndarray] = {}
    known: dict[str, np.ndarray] = {}
    strategic = _strategic_emerging(patents, definition)
    strategic_reason = None
    if strategic is not None:
        true["strategic_emerging"], known["strategic_emerging"], strategic_reason = strategic
    if "overseas_family" in patents.columns:
        flag = patents["overseas_family"]
        known["overseas_family"] = flag.notna().to_numpy(dtype=bool)
        true["overseas_family"] = flag.to_numpy(dtype=bool, na_value=False)
    if "pledge_amount" in patents.columns:
        amount = patents["pledge_amount"].to_numpy(dtype="float64", na_value=np.nan)
        true["high_pledge"] = amount >= definition.pledge_threshold
        known["high_pledge"] = np.ones(n, bool)
        if "pledge_count" in patents.columns:  # pledged, but the export gives no amount
            count = patents["pledge_count"].to_numpy(dtype="float64", na_value=np.nan)
            known["high_pledge"] = ~(np.isnan(amount) & (count > 0))
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
        strategic_reason=strategic_reason,
    )


def _at(static: _Static, as_of: pd.Timestamp, definition: HighValueDefinition):
    """valid, criterion (met, known) arrays and high_value (met, unknown) at one date."""
    end = _next_day(as_of)
    valid = static.candidate & (static.grant < end)
    valid &= (static.lapse >= end) | (static.lapse == _NAT)
    maintained = static.anchor < _cutoff(as_of, definition.maintenance_years)
    maintained &= static.anchor_known  # an unknown anchor (_NAT) compares as earliest
    met = dict(static.true)
    known = dict(static.known)
    met["maintained"], known["maintained"] = maintained, static.anchor_known
    any_met = static.static_met | maintained
    high = valid & any_met
    unknown = valid & ~any_met & static.static_unknown
    return valid, met, known, high, unknown


@small_pages()
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
        patents whose overall status is unknown, ``attrs["strategic_emerging_unknown"]`` why
        criterion 1 is unknown (reason → valid patents: e.g. an IPC of a later edition than the
        concordance).

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
    why = _why_unknown(
        prepared, valid & ~known["strategic_emerging"], definition, static.strategic_reason
    )
    return _classified(
        prepared.get("application_number"),
        (valid, met, known, high, unknown),
        prepared.index,
        is_synthetic(patents),
        definition,
        day,
        why,
    )


def _classified(
    application_number: pd.Series | None,
    at: tuple,
    index: pd.Index,
    synthetic: bool,
    definition: HighValueDefinition,
    day: pd.Timestamp,
    why: dict[str, int],
) -> pd.DataFrame:
    """:func:`classify`'s frame from :func:`_at`'s arrays ``at`` (the frame takes them without a
    copy) and the reasons criterion 1 is unknown, ``why``; shared with
    :func:`ipanalysis.io.scan_patents`, which computes the arrays a row group at a time."""
    valid, met, known, high, unknown = at
    out: dict[str, object] = {}
    if application_number is not None:
        out["application_number"] = application_number
    for criterion in CRITERIA:
        out[criterion] = pd.arrays.BooleanArray(met[criterion], ~known[criterion])
    out["valid"] = valid
    out["high_value"] = pd.arrays.BooleanArray(high, unknown)
    frame = pd.DataFrame(out, index=index, copy=False)
    result = mark_status(frame, synthetic)
    result.attrs["definition"] = definition.version
    result.attrs["as_of"] = day.date().isoformat()
    result.attrs["unknown"] = {c: int((valid & ~known[c]).sum()) for c in CRITERIA}
    result.attrs["high_value_unknown"] = int(unknown.sum())
    result.attrs["strategic_emerging_unknown"] = why
    return result


def _why_unknown(
    patents: pd.DataFrame,
    rows: np.ndarray,
    definition: HighValueDefinition,
    reason: tuple[np.ndarray, pd.Series] | None,
):
    """Why criterion 1 is unknown for the valid patents ``rows``: reason → count (a later IPC
    edition than the concordance's, a keyword condition that cannot be checked, no IPC, no flag).

    ``reason`` is :attr:`_Static.strategic_reason`: :func:`_strategic_emerging` matched every row
    still unknown here against the concordance (a row's reason depends on its own IPC and text
    only), so the reasons are read, not matched again.
    """
    if not rows.any():
        return {}
    if definition.strategic_emerging_source == "flag" or definition.concordance:
        return {"no strategic-emerging flag": int(rows.sum())}
    if "ipc" not in patents.columns:
        return {"no IPC": int(rows.sum())}
    matched, why = reason  # every row of ``rows`` is among the sorted ``matched``
    reasons = why.iloc[np.searchsorted(matched, np.flatnonzero(rows))].to_numpy(dtype=object)
    kind = {r: r.split(":")[0] or "unknown" for r in set(reasons)}  # a few distinct reasons
    kinds = pd.Series([kind[r] for r in reasons])
    return {str(k): int(v) for k, v in kinds.value_counts().items()}


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
    rows.append((ALL_CRITERIA, total, single, total - single))
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


def counts_by_region(classified: pd.DataFrame, region: pd.Series | None = None) -> pd.DataFrame:
    """Valid, high-value and undecided (``high_value_unknown``) patents by region.

    ``region`` (aligned with ``classified``, e.g. the patent table's ``region`` column) groups
    the counts; without it there is one row ``<all>``. A missing region counts as
    ``<missing>``. Counts every patentee given (filter to domestic ones first for the
    per-10k indicator's population).

    >>> c = pd.DataFrame({"valid": [True, True, False], "high_value": [True, None, False]},
    ...                  index=[0, 1, 2]).astype({"high_value": "boolean"})
    >>> counts_by_region(c, pd.Series(["310117", "310117", None]))
          region  valid  high_value  high_value_unknown
    0     310117      2           1                   1
    1  <missing>      0           0                   0
    """
    groups = (
        pd.Series("<all>", index=classified.index)
        if region is None
        else region.astype("str").fillna("<missing>")
    )
    frame = pd.DataFrame(
        {
            "region": groups.to_numpy(),
            "valid": classified["valid"].to_numpy(dtype=bool),
            "high_value": classified["high_value"].fillna(False).to_numpy(dtype=bool),
            "high_value_unknown": classified["high_value"].isna().to_numpy(dtype=bool),
        }
    )
    columns = ["valid", "high_value", "high_value_unknown"]
    return frame.groupby("region", as_index=False)[columns].sum()
