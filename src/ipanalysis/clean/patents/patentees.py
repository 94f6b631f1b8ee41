"""Applicants, the patentee, and the patentee's region, country and domestic flag."""

from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import pandas as pd

from ipanalysis.regions import NOT_MAINLAND
from ipanalysis.vocabulary import halfwidth

from .cells import _add_issues, _by_distinct_rows, _column, _flags, _quoted

#: Separators between applicants: ; and ； (CNIPA, CNKI, incoPat), | (PatSnap).
APPLICANT_SEPARATORS = r"\s*[;；|]\s*"


def split_applicants(frame: pd.DataFrame) -> pd.DataFrame:
    """``applicants`` with every applicant kept, in the exported order, ``;``-joined, and
    ``applicant_count``.

    Exports separate applicants with ``;`` or ``；`` (CNIPA, CNKI, incoPat, often with a space)
    or `` | `` (PatSnap). Empty parts are dropped. The input is not changed.

    >>> raw = pd.DataFrame({"applicants": ["甲公司；乙大学", "丙 | 丁 | 戊", "己; ", None]})
    >>> split_applicants(raw)[["applicants", "applicant_count"]].values.tolist()
    [['甲公司;乙大学', 2], ['丙;丁;戊', 3], ['己', 1], [nan, <NA>]]
    """
    return _by_distinct_rows(frame, ("applicants",), _split_applicants)


def _split_applicants(frame: pd.DataFrame) -> pd.DataFrame:
    text = halfwidth(_column(frame, "applicants"))
    joined = text.str.replace(APPLICANT_SEPARATORS, ";", regex=True).str.strip(";")
    joined = joined.mask(joined == "")
    count = (joined.str.count(";") + 1).astype("Int64")
    return frame.assign(applicants=joined.astype("str"), applicant_count=count)


def resolve_patentees(frame: pd.DataFrame) -> pd.DataFrame:
    """``patentee``: the current right holder (当前权利人), else 第一权利人, else the first-named
    applicant.

    The input is not changed.

    >>> raw = pd.DataFrame({"patentee": ["乙公司", None], "applicants": ["甲公司;乙公司", "丙大学; 丁"]})
    >>> resolve_patentees(raw)["patentee"].tolist()
    ['乙公司', '丙大学']
    """
    return _by_distinct_rows(
        frame, ("patentee", "first_patentee", "applicants"), _resolve_patentees
    )


def _resolve_patentees(frame: pd.DataFrame) -> pd.DataFrame:
    patentee = _column(frame, "patentee").fillna(_column(frame, "first_patentee"))
    applicants = _column(frame, "applicants")[patentee.isna()]
    first_applicant = applicants.str.extract(r"^ *([^;；|]*[^;；| \t\r\n])")[0]
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
    country = country.mask(six, prefix.map(NOT_MAINLAND).fillna("CN"))
    return country.mask(code.str.fullmatch(r"[A-Z]{2}", na=False), code)


def _address(frame: pd.DataFrame) -> pd.Series:
    """The patentee's address: its own column, else the pieces some exports give (PatSnap's
    州/省, 地市, 区县) joined."""
    address = _column(frame, "patentee_address").fillna(_column(frame, "address"))
    pieces = [_column(frame, c) for c in ("address_province", "address_city", "address_county")]
    if not any(piece.notna().any() for piece in pieces):
        return address
    joined = pieces[0].fillna("") + pieces[1].fillna("") + pieces[2].fillna("")
    return address.fillna(joined.mask(joined == ""))


def resolve_patentee_region(frame: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """``region``, the units it lies in, ``country`` and ``domestic`` of the first-named applicant.

    Exports give the first-named applicant's address (申请人地址, 地址) and CNIPA's regional
    statistics count a patent for the region of its first-named applicant; the region here
    follows the same rule. In order:

    1. a region column (any spelling :func:`ipanalysis.regions.try_resolve_regions` accepts);
    2. the most specific unit :func:`ipanalysis.regions.parse_addresses` reads from the address
       (``patentee_address``, else ``address``, else PatSnap's 州/省 + 地市 + 区县), when it lies
       in the province of ``province_text`` (国省代码, e.g. ``河南(41)``) or no province is given;
       else that province; a country named at the start of the address marks the patentee abroad;
    3. ``region`` (the ``--region`` option: the file states no region, e.g. a search by
       applicant), for the rows the file tells nothing about, and where it lies inside what the
       file tells (松江区 for a row whose address says only 上海市).

    Rows nothing tells about keep ``region`` and ``domestic`` missing (unknown, never a guess);
    the reader counts them and says how to give the region. ``province_code``,
    ``prefecture_code`` and ``county_code`` are the units the region lies in; ``address_code``
    the unit as the address writes it (historical codes kept). ``domestic`` is True for
    mainland China (not Hong Kong, Macao, Taiwan), as CNIPA counts 国内; a canonical
    ``domestic`` column, where given, is kept. A region column or 国省代码 value that is not
    recognised is an ``issues`` entry. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "province_text": ["河南(41)", "上海(31)", "美国(US)", None, None],
    ...     "address": ["450000河南省郑州市郑东新区", "201600上海市松江区九亭镇", "美国加利福尼亚州",
    ...                 "香港九龙", "火星基地"]})
    >>> out = resolve_patentee_region(raw)
    >>> out[["region", "country", "domestic"]].values.tolist()
    [['410100', 'CN', True], ['310117', 'CN', True], ['US', 'US', False], ['810000', 'HK', False], [nan, nan, <NA>]]
    >>> resolve_patentee_region(raw, region="310117")["region"].tolist()
    ['410100', '310117', 'US', '810000', '310117']
    """
    reads = ("region", "province_text", "patentee_address", "address", "address_province")
    reads += ("address_city", "address_county", "domestic")
    return _by_distinct_rows(frame, reads, _resolve_patentee_region, region=region)


def _resolve_patentee_region(frame: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    from ipanalysis.regions import parse_addresses, region_levels, try_resolve_regions

    region_text = _column(frame, "region")
    from_column = (
        try_resolve_regions(region_text).astype("str") if region_text.notna().any() else region_text
    )
    unknown_region = region_text.notna() & from_column.isna()
    province_text = _column(frame, "province_text")
    mapping = {value: _code_of_province_text(value) for value in province_text.dropna().unique()}
    province = province_text.map(mapping).astype("str")
    unknown_province = province_text.notna() & province.isna()
    address = _address(frame)
    hint = province.where(province.str.fullmatch(r"[0-9]{6}", na=False))
    parsed = parse_addresses(address, within=hint)
    from_address = parsed["code"].astype("str")
    same_province = from_address.str[:2] == province.str[:2]
    derived = province.mask(province.isna() | same_province.fillna(False), from_address)
    region_code = from_column.fillna(derived)
    if region is not None:
        inside = region_code.isna() | region_code.map(lambda c: _contains(c, region))
        region_code = region_code.mask(inside.astype(bool), region)
    levels = region_levels(region_code)
    country = _country(region_code)
    domestic = (country == "CN").astype("boolean").mask(country.isna(), pd.NA)
    if "domestic" in frame.columns:
        domestic = _flags(frame["domestic"]).fillna(domestic)
    out = frame.assign(
        region=region_code.astype("str"),
        country=country,
        domestic=domestic,
        address=address.astype("str"),
        province_code=levels["province"].astype("str"),
        prefecture_code=levels["prefecture"].astype("str"),
        county_code=levels["county"].astype("str"),
        address_code=parsed["written_code"].astype("str"),
    )
    out = _add_issues(
        out,
        unknown_region,
        "region",
        "unknown region " + _quoted(region_text) + " (not in the region reference)",
    )
    return _add_issues(
        out,
        unknown_province,
        "province_text",
        "unknown 国省代码 " + _quoted(province_text) + " (expected e.g. 河南(41) or US)",
    )


def _contains(outer: object, inner: str) -> bool:
    """Whether region ``inner`` lies inside ``outer`` (a unit contains itself)."""
    from ipanalysis.regions import _ancestors

    return isinstance(outer, str) and outer in _ancestors(inner)
