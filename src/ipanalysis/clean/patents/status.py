"""Legal status texts to the status vocabulary, and lapse dates checked against them."""

from __future__ import annotations

import functools
import re
import unicodedata

import pandas as pd

from ipanalysis import paths

from .cells import _add_issues, _by_distinct_rows, _column, _has_issue, _quoted
from .columns import ENDED_STATUSES, ISSUES


def _status_key(text: str) -> str:
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"[—–‐－]", "-", key).casefold()


@functools.lru_cache(maxsize=1)
def _status_table() -> dict[str, str]:
    table = pd.read_csv(paths.REFERENCE_DIR / "legal_status.csv", dtype=str, keep_default_na=False)
    return {_status_key(t): s for t, s in zip(table["text"], table["status"], strict=True)}


def _status_of(text: str) -> str:
    table = _status_table()
    key = _status_key(text)
    if key in table:
        return table[key]
    head = key.split("-", 1)[0]
    return table.get(head, "unknown")


def map_legal_status(frame: pd.DataFrame) -> pd.DataFrame:
    """``legal_status`` in :data:`LEGAL_STATUSES` from the export's legal-status text.

    Reads ``legal_status_text`` (法律状态, 最新法律状态), else ``right_status_text`` (专利权状态),
    through ``reference/legal_status.csv``; a text not listed is looked up by its part before ``-``
    (``有权-XYZ`` → in_force), else ``unknown``. Missing text gives a missing status. The input is
    not changed.

    >>> raw = pd.DataFrame({"legal_status_text": [
    ...     "有权-审定授权", "审中-实质审查", "无权-未缴年费终止", "无权－视为撤回", "有权-新情形", "待定", None]})
    >>> map_legal_status(raw)["legal_status"].tolist()
    ['in_force', 'pending', 'lapsed', 'withdrawn', 'in_force', 'unknown', nan]
    """
    return _by_distinct_rows(frame, ("legal_status_text", "right_status_text"), _map_legal_status)


def _map_legal_status(frame: pd.DataFrame) -> pd.DataFrame:
    text = _column(frame, "legal_status_text").fillna(_column(frame, "right_status_text"))
    # PatSnap writes the status, then the events: '撤回-视为撤回 | 一案双申'
    mapping = {value: _status_of(value.split(" | ")[0]) for value in text.dropna().unique()}
    return frame.assign(
        legal_status_text=text, legal_status=text.map(mapping).astype("str").where(text.notna())
    )


def resolve_lapse_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``lapse_date`` (the day the right ended; missing while in force), checked against the status.

    Keeps 失效日期 where given; a wholly invalidated right without one ends on its invalidation
    date. An ``issues`` entry marks a granted patent whose ``legal_status`` says the right has ended
    (:data:`ENDED_STATUSES`) but which has no lapse date, and a right in force without a grant
    date: either would make the engine count it wrongly. Needs parsed dates and
    :func:`map_legal_status`. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "grant_date": pd.to_datetime(["2020-01-01", "2020-01-01", "2019-05-05", None]),
    ...     "lapse_date": pd.to_datetime([None, None, "2022-03-01", None]),
    ...     "invalidation_date": pd.to_datetime([None, "2021-06-30", None, None]),
    ...     "legal_status": ["lapsed", "invalidated", "lapsed", "in_force"],
    ...     "legal_status_text": ["无权-未缴年费终止", "全部无效", "无权", "有权"]})
    >>> out = resolve_lapse_dates(raw)
    >>> out["lapse_date"].dt.strftime("%Y-%m-%d").tolist()
    [nan, '2021-06-30', '2022-03-01', nan]
    >>> print("\\n".join(out["issues"].dropna()))
    legal_status_text: the legal status '无权-未缴年费终止' says the right has ended, but the export gives no lapse date (失效日期)
    legal_status_text: the legal status '有权' says the right is in force, but the export gives no grant date
    """
    reads = ("lapse_date", "grant_date", "legal_status", "legal_status_text", "invalidation_date")
    reads += ("status_date", "grant_known", ISSUES)
    return _by_distinct_rows(frame, reads, _resolve_lapse_dates)


def _resolve_lapse_dates(frame: pd.DataFrame) -> pd.DataFrame:
    empty = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    lapse = frame["lapse_date"].astype("datetime64[ns]") if "lapse_date" in frame else empty
    grant = frame["grant_date"].astype("datetime64[ns]") if "grant_date" in frame else empty
    status = _column(frame, "legal_status")
    text = _column(frame, "legal_status_text")
    if "invalidation_date" in frame.columns:
        invalid = frame["invalidation_date"].astype("datetime64[ns]")
        lapse = lapse.mask(lapse.isna() & (status == "invalidated"), invalid)
    if "status_date" in frame.columns:
        # 法律状态最后修改日期: the day the status that ended the right was recorded
        changed = frame["status_date"].astype("datetime64[ns]")
        lapse = lapse.mask(lapse.isna() & status.isin(list(ENDED_STATUSES)), changed)
    out = frame.assign(lapse_date=lapse)
    known = frame["grant_known"] if "grant_known" in frame else True
    undated = (
        status.isin(list(ENDED_STATUSES))
        & grant.notna()
        & lapse.isna()
        & ~_has_issue(frame, "lapse_date")
    )
    out = _add_issues(
        out,
        undated,
        "legal_status_text",
        "the legal status "
        + _quoted(text)
        + " says the right has ended, but the export gives no lapse date (失效日期)",
    )
    return _add_issues(
        out,
        (status == "in_force") & grant.isna() & known & ~_has_issue(frame, "grant_date"),
        "legal_status_text",
        "the legal status "
        + _quoted(text)
        + " says the right is in force, but the export gives no grant date",
    )
