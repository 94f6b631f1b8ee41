"""Applicants, the patentee, and the patentee's region, country and domestic flag."""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import pandas as pd

from .cells import _add_issues, _column, _flags, _quoted

_NOT_MAINLAND = ("71", "81", "82")  # Taiwan, Hong Kong, Macao


_COUNTRY_OF_PROVINCE = {"71": "TW", "81": "HK", "82": "MO"}


def resolve_patentees(frame: pd.DataFrame) -> pd.DataFrame:
    """``patentee``: the current right holder (当前权利人), else 第一权利人, else the first applicant.

    The input is not changed.

    >>> raw = pd.DataFrame({"patentee": ["乙公司", None], "applicants": ["甲公司;乙公司", "丙大学; 丁"]})
    >>> resolve_patentees(raw)["patentee"].tolist()
    ['乙公司', '丙大学']
    """
    patentee = _column(frame, "patentee").fillna(_column(frame, "first_patentee"))
    applicants = _column(frame, "applicants")[patentee.isna()]
    first_applicant = applicants.str.extract(r"^ *([^;；]*[^;； \t\r\n])")[0]
    patentee = patentee.fillna(first_applicant.reindex(patentee.index))
    return frame.assign(patentee=patentee.astype("str"))


def _code_of_province_text(text: str) -> str | None:
    """The code in a 国省代码 value: ``河南(41)`` → 410000, ``US`` → US; None when unknown."""
    from ipanalysis.regions import try_resolve_regions

    value = unicodedata.normalize("NFKC", text).strip()
    digits = re.search(r"(?:^|\()(\d{2})(?:\)|$)", value)
    if digits:
        code = digits.group(1) + "0000"
        return code if code in _province_codes() else None
    letters = re.search(r"(?:^|\()([A-Za-z]{2})(?:\)|$)", value)
    if letters:
        # CN alone: China, province not given
        return "100000" if letters.group(1).upper() == "CN" else letters.group(1).upper()
    name = re.split(r"[(;；,，]", value, maxsplit=1)[0].strip()
    code = try_resolve_regions(pd.Series([name])).iloc[0] if name else pd.NA
    return None if pd.isna(code) else str(code)


@functools.lru_cache(maxsize=1)
def _province_codes() -> frozenset[str]:
    from ipanalysis.regions import load_regions

    regions = load_regions()
    return frozenset(regions.loc[regions["level"] == "province", "code"])


def _country(code: pd.Series) -> pd.Series:
    """CN for mainland codes, HK / MO / TW, a foreign country code as it is, else missing."""
    six = code.str.fullmatch(r"[0-9]{6}", na=False)
    prefix = code.str[:2]
    country = pd.Series(np.nan, index=code.index, dtype="str")
    country = country.mask(six, prefix.map(_COUNTRY_OF_PROVINCE).fillna("CN"))
    return country.mask(code.str.fullmatch(r"[A-Z]{2}", na=False), code)


def resolve_patentee_region(frame: pd.DataFrame) -> pd.DataFrame:
    """``region``, ``country`` and ``domestic`` of the patentee.

    ``region``: a region column (any spelling :func:`ipanalysis.regions.try_resolve_regions`
    accepts) wins; else the district that :func:`ipanalysis.regions.district_from_address` reads from
    the address (``patentee_address``, else ``address``) when it lies in the province of
    ``province_text`` (国省代码, e.g. ``河南(41)``); else that province; else what the address tells
    (a province, or a country for foreign patentees). ``domestic`` is True for mainland China (not
    Hong Kong, Macao, Taiwan), as CNIPA counts 国内; a canonical ``domestic`` column, where given,
    is kept. A region that is not recognised, or a row where nothing tells whether the patentee is
    domestic, is an ``issues`` entry. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "province_text": ["河南(41)", "上海(31)", "美国(US)", None, None],
    ...     "address": ["450000河南省郑州市郑东新区", "201600上海市松江区九亭镇", "美国加利福尼亚州",
    ...                 "香港九龙", "火星基地"]})
    >>> out = resolve_patentee_region(raw)
    >>> out[["region", "country", "domestic"]].values.tolist()
    [['410000', 'CN', True], ['310117', 'CN', True], ['US', 'US', False], ['810000', 'HK', False], [nan, nan, False]]
    >>> out["issues"].dropna().tolist()
    ["address: cannot tell whether the patentee is domestic: no 国省代码 or region, and the address '火星基地' names no province or country"]
    """
    from ipanalysis.regions import district_from_address, try_resolve_regions

    region_text = _column(frame, "region")
    from_column = (
        try_resolve_regions(region_text).astype("str") if region_text.notna().any() else region_text
    )
    unknown_region = region_text.notna() & from_column.isna()
    province_text = _column(frame, "province_text")
    mapping = {value: _code_of_province_text(value) for value in province_text.dropna().unique()}
    province = province_text.map(mapping).astype("str")
    unknown_province = province_text.notna() & province.isna()
    address = _column(frame, "patentee_address").fillna(_column(frame, "address"))
    # one look-up per distinct address: a patentee's address repeats on each of its patents
    distinct = pd.Series(address.dropna().unique(), dtype="str")
    codes = dict(zip(distinct, district_from_address(distinct), strict=True))
    from_address = address.map(codes).astype("str")
    same_province = from_address.str[:2] == province.str[:2]
    derived = province.mask(province.isna() | same_province.fillna(False), from_address)
    region = from_column.fillna(derived)
    country = _country(region)
    derived_domestic = (country == "CN").astype("boolean").mask(country.isna(), pd.NA)
    if "domestic" in frame.columns:
        derived_domestic = _flags(frame["domestic"]).fillna(derived_domestic)
    untold = derived_domestic.isna()
    out = frame.assign(
        region=region.astype("str"),
        country=country,
        domestic=derived_domestic.fillna(False).astype(bool),
        address=address.astype("str"),
    )
    out = _add_issues(
        out,
        unknown_region,
        "region",
        "unknown region " + _quoted(region_text) + " (not in the region reference)",
    )
    out = _add_issues(
        out,
        unknown_province,
        "province_text",
        "unknown 国省代码 " + _quoted(province_text) + " (expected e.g. 河南(41) or US)",
    )
    told = untold & ~unknown_region & ~unknown_province
    # name the address that failed to tell; with no address, the first region source present
    at_address = "patentee_address" if "patentee_address" in frame.columns else "address"
    sources = ("province_text", "region", "patentee_address", "address")
    at_column = next((c for c in sources if c in frame.columns), "address")
    out = _add_issues(
        out,
        told & address.notna(),
        at_address,
        "cannot tell whether the patentee is domestic: no 国省代码 or region, and the address "
        + _quoted(address)
        + " names no province or country",
    )
    return _add_issues(
        out,
        told & address.isna(),
        at_column,
        "cannot tell whether the patentee is domestic: no 国省代码, region or address",
    )
