"""The region of a record: a region column, else the address, else the ``region=`` option."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ipanalysis.regions import NOT_MAINLAND

from .cells import Issues, text


def place(
    region_text: pd.Series,
    address: pd.Series,
    region: str | None,
    issues: Issues,
    column: str = "region",
) -> pd.DataFrame:
    """``region`` and ``domestic`` of each record, in the order of the patent reader's rule.

    1. A region column (a name or code in any spelling :mod:`ipanalysis.regions` accepts);
       a name the reference does not know, or that several units share, is an issue (its row
       is quarantined with the reason, e.g. how to write an ambiguous name).
    2. The most specific unit :func:`ipanalysis.regions.parse_addresses` reads from the address
       (a country code for an address abroad).
    3. ``region`` (a code: the ``region=`` option), for the rows nothing else places, and where
       it lies inside what the address tells (松江区 for an address that says only 上海市), but
       not for an address naming a district the reference does not know (上海市火星区): that row
       stays at the city, and the notes count it.

    Rows nothing places keep ``region`` missing (unknown, never a guess). ``domestic`` is True
    for mainland China (not Hong Kong, Macao or Taiwan), False abroad, missing when unknown.

    >>> issues = Issues()
    >>> out = place(pd.Series(["", "", "", "火星区", ""]), pd.Series(["上海市松江区九亭镇",
    ...     "上海市", "美国加州", "", "上海市火星区"]), "310117", issues)
    >>> out[["region", "by_option", "unknown_unit"]].values.tolist()
    [['310117', False, False], ['310117', True, False], ['US', False, False], [nan, False, False], ['310000', False, True]]
    >>> issues.entries
    [(3, 'region', "unknown region '火星区': give a name such as 松江区 or a code such as 310117")]
    """
    from ipanalysis.regions import (
        parse_addresses,
        region_levels,
        try_resolve_regions,
        unresolved_reasons,
    )

    names = text(region_text)
    from_column = try_resolve_regions(names).astype(object).where(lambda s: s.notna(), np.nan)
    bad = names.notna() & from_column.isna()
    if bad.any():
        issues.add(bad, column, unresolved_reasons(names[bad]).reindex(names.index))
    addresses = text(address)
    from_address = parse_addresses(addresses)["code"].astype(object)
    code = from_column.fillna(from_address.where(from_address.notna(), np.nan))
    by_option = pd.Series(False, index=region_text.index)
    unknown_unit = pd.Series(False, index=region_text.index)
    if region is not None:
        levels = region_levels(pd.Series([region])).iloc[0]
        above = {c for c in levels.tolist() if isinstance(c, str) and c != region}
        # an address naming a district the reference does not know (上海市火星区, a misspelt
        # 青埔区) is not the option's region: it stays where the address places it
        unknown_unit = code.isin(above) & addresses.fillna("").str.contains(_UNIT_AFTER_CITY)
        by_option = (code.isna() | code.isin(above)) & ~bad & ~unknown_unit
        code = code.mask(by_option, region)
    code = code.mask(bad, np.nan)
    return pd.DataFrame(
        {
            "region": code,
            "domestic": domestic_of(code),
            "by_option": by_option,
            "unknown_unit": unknown_unit,
        },
        index=region_text.index,
    )


#: A county-level unit written after the city in an address: 市…区, 市…县, 市…旗.
_UNIT_AFTER_CITY = r"市[^市]*?[\u4e00-\u9fff](?:区|县|旗)"


def domestic_of(codes: pd.Series) -> pd.Series:
    """True for a mainland region code, False for Hong Kong, Macao, Taiwan or a country abroad,
    missing where the code is missing.

    >>> domestic_of(pd.Series(["310117", "810000", "US", None])).tolist()
    [True, False, False, <NA>]
    """
    six = codes.astype(str).str.fullmatch(r"[0-9]{6}") & codes.notna()
    mainland = six & ~codes.astype(str).str[:2].isin(list(NOT_MAINLAND))
    out = pd.Series(mainland, index=codes.index).astype("boolean")
    return out.mask(codes.isna(), pd.NA)


def region_notes(placed: pd.DataFrame, given: str | None, how: str) -> list[str]:
    """What the reader says about the regions of the kept rows (``placed``: :func:`place`'s
    columns): how many are unknown and how to give them (``how``: the option's name in the
    reader and the CLI), and for how many the ``region=`` option was used."""
    from ipanalysis.regions import region_names

    unknown = int(placed["region"].isna().sum())
    notes = []
    if unknown:
        notes.append(
            f"{unknown} row(s) with region unknown: no region column or address in the file "
            f"names their region; give the region for the whole file with {how}"
        )
    odd = int(placed["unknown_unit"].sum()) if "unknown_unit" in placed else 0
    if odd:
        notes.append(
            f"{odd} row(s) whose address names a district the reference does not know were left "
            "at the city the address names (not given the region option): check their addresses"
        )
    if given is not None:
        used = int(placed["by_option"].sum())
        notes.append(
            f"region given: {given} ({region_names().get(given, '')}), used for {used} row(s) "
            "the file places no more precisely"
        )
    return notes
