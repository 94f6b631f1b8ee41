"""Flows by region and year: PCT and Madrid applications, transfers, licences and pledges.

Three canonical tables (:mod:`ipanalysis.schemas`), each validated where it enters:

* :class:`PctTable` -- one row per PCT international application. Date basis: the international
  filing date (国际申请日) at the receiving office; counting basis: applications (件), by the region
  of the (first) applicant, as in CNIPA's yearbook table 6-4.
* :class:`MadridTable` -- one row per Madrid international trademark application filed through
  CNIPA as office of origin. Date basis: the date CNIPA received it; counting basis: applications
  (件), by the applicant's region, as in the yearbook's table 7-4.
* :class:`TransactionTable` -- one row per registration (登记) of a patent transfer, licence or
  pledge: ``event_type`` (transfer / licence / pledge), ``date`` (registration date),
  ``application_number``, ``region`` and ``amount`` (CNY, pledges; missing otherwise). Counting
  basis: registrations (次). A pledge contract that covers several patents is registered once; give
  its rows the same ``registration_id`` and it is counted (and its amount summed) once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..errors import InputError
from ..schemas import (
    EVENT_TYPES,
    MadridTable,
    PctTable,
    TransactionTable,
    is_synthetic,
    mark_status,
)


def validate(frame: pd.DataFrame, model: type[pa.DataFrameModel], name: str) -> pd.DataFrame:
    """Validate ``frame`` against ``model`` (extra columns kept), raising a located InputError.

    The error names the first failing column and row (row 2 is the first data row of a CSV file)
    and how many checks failed in all.

    >>> validate(pd.DataFrame({"application_number": ["PCT/CN2023/1"],
    ...     "filing_date": ["2023-02-30"], "region": ["310117"]}), PctTable, "PCT table")
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: row 2, column 'filing_date': PCT table: expected a date, found '2023-02-30' (1 failure in all)
    """  # noqa: E501
    missing = [c for c in model.to_schema().columns if c not in frame.columns]
    if missing:
        raise InputError(f"{name} lacks required column(s): {', '.join(missing)}")
    try:
        return model.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        # a value that cannot be coerced also fails the dtype check: count cells, not checks
        cells = cases.drop_duplicates(["column", "index"])
        first = cases.iloc[0]
        row = None if pd.isna(first["index"]) else int(frame.index.get_loc(first["index"])) + 2
        check = str(first["check"])
        value = first["failure_case"]
        if check.startswith("coerce_dtype") and "datetime" in check:
            what = f"expected a date, found {value!r}"
        elif check.startswith("coerce_dtype") and "float" in check:
            what = f"expected a number, found {value!r}"
        elif check == "not_nullable":
            what = "a value is required, found a missing one"
        elif check.startswith("isin"):
            what = f"expected one of {', '.join(EVENT_TYPES)}, found {value!r}"
        else:
            what = f"failed {check}, found {value!r}"
        raise InputError(
            f"{name}: {what} ({len(cells)} failure{'s' if len(cells) != 1 else ''} in all)",
            row=row,
            column=str(first["column"]),
        ) from None


def _by_year(frame: pd.DataFrame, date: str, start: int | None, end: int | None) -> pd.DataFrame:
    years = frame[date].dt.year
    first = int(years.min()) if start is None and len(frame) else start
    last = int(years.max()) if end is None and len(frame) else end
    keep = (years >= first) & (years <= last) if first is not None else years.notna()
    return frame.loc[keep].assign(year=years[keep].astype("int64")), first, last


def _complete(counts: pd.DataFrame, regions, first, last, columns) -> pd.DataFrame:
    """Every (region, year) present, zeros where nothing happened."""
    if first is None:
        return counts
    index = pd.MultiIndex.from_product(
        [sorted(regions), range(first, last + 1)], names=["region", "year"]
    )
    out = counts.set_index(["region", "year"]).reindex(index, fill_value=0).reset_index()
    return out.astype({c: counts[c].dtype for c in columns if c in counts})


def count_by_year(
    frame: pd.DataFrame,
    model: type[pa.DataFrameModel],
    name: str,
    start: int | None = None,
    end: int | None = None,
    regions: list[str] | None = None,
) -> pd.DataFrame:
    """Applications by region and calendar year of ``filing_date``: ``region, year, applications``.

    Every region in ``regions`` (default: those present) and year from ``start`` to ``end``
    (default: the span of the data) appears, with 0 where there were none.
    """
    table = validate(frame, model, name)
    table, first, last = _by_year(table, "filing_date", start, end)
    counts = table.groupby(["region", "year"], as_index=False).size()
    counts = counts.rename(columns={"size": "applications"})
    regions = regions if regions is not None else table["region"].unique().tolist()
    out = _complete(counts, regions, first, last, ["applications"])
    out["applications"] = out["applications"].astype("int64")
    return mark_status(out, is_synthetic(frame), column=True)


def pct_by_year(pct: pd.DataFrame, start=None, end=None, regions=None) -> pd.DataFrame:
    """PCT international applications (件) by region and year of the international filing date.

    >>> pct = pd.DataFrame({"application_number": ["PCT/CN2023/1", "PCT/CN2023/2"],
    ...     "filing_date": ["2023-01-05", "2023-12-31"], "region": ["310117", "310117"]})
    >>> pct_by_year(pct)
       region  year  applications
    0  310117  2023             2
    """
    out = count_by_year(pct, PctTable, "PCT table", start, end, regions)
    out.attrs["basis"] = "international filing date; applications (件) by applicant region"
    return out


def madrid_by_year(madrid: pd.DataFrame, start=None, end=None, regions=None) -> pd.DataFrame:
    """Madrid international trademark applications (件) by region and year CNIPA received them."""
    out = count_by_year(madrid, MadridTable, "Madrid table", start, end, regions)
    out.attrs["basis"] = "date received by CNIPA as office of origin; applications (件)"
    return out


def transactions_by_year(
    transactions: pd.DataFrame,
    start: int | None = None,
    end: int | None = None,
    regions: list[str] | None = None,
) -> pd.DataFrame:
    """Transfer, licence and pledge registrations (次) and pledge amounts by region and year.

    Returns
    -------
    DataFrame
        ``region, year, transfers, licences, transfers_and_licences, pledges, pledge_amount`` (CNY;
        the sum of the registrations' amounts, a missing amount counting as 0). Rows sharing a
        ``registration_id`` (when the column is present) are one registration.

    Examples
    --------
    >>> t = pd.DataFrame({"event_type": ["transfer", "licence", "pledge", "pledge"],
    ...     "date": ["2023-03-01", "2023-04-01", "2023-05-01", "2023-05-01"],
    ...     "application_number": ["CN1", "CN2", "CN3", "CN4"], "region": ["310117"] * 4,
    ...     "amount": [None, None, 5e6, 5e6], "registration_id": ["a", "b", "c", "c"]})
    >>> transactions_by_year(t).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'region': '310117', 'year': 2023, 'transfers': 1, 'licences': 1,
     'transfers_and_licences': 2, 'pledges': 1, 'pledge_amount': 5000000.0}
    """
    table = validate(transactions, TransactionTable, "transactions table")
    if "registration_id" in table.columns:
        has_id = table["registration_id"].notna()
        dupes = table.duplicated(["event_type", "registration_id"]) & has_id
        table = table.loc[~dupes]
    table, first, last = _by_year(table, "date", start, end)
    event = table["event_type"]
    counts = pd.DataFrame(
        {
            "region": table["region"],
            "year": table["year"],
            "transfers": (event == "transfer").astype("int64"),
            "licences": (event == "licence").astype("int64"),
            "pledges": (event == "pledge").astype("int64"),
            "pledge_amount": np.where(event == "pledge", table["amount"].fillna(0.0), 0.0),
        }
    )
    counts = counts.groupby(["region", "year"], as_index=False).sum()
    regions = regions if regions is not None else table["region"].unique().tolist()
    out = _complete(counts, regions, first, last, ["transfers", "licences", "pledges"])
    out.insert(4, "transfers_and_licences", out["transfers"] + out["licences"])
    out["pledge_amount"] = out["pledge_amount"].astype("float64")
    out = mark_status(out, is_synthetic(transactions), column=True)
    out.attrs["basis"] = "registration date; registrations (次); pledge amount in CNY"
    return out
