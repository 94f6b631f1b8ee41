"""Rebuild ``regions.csv`` from the official code history (run by hand, never at import time).

Usage::

    python src/ipanalysis/reference/regions_build.py result.csv > src/ipanalysis/reference/regions.csv

``result.csv`` is the summary table of the ``yescallop/areacodes`` repository (CC0 1.0): every
county-level-and-above code of GB/T 2260 as the Ministry of Civil Affairs published it from 1981
on, with the year each came into use and left it and the code(s) that took it over. See
``regions.md`` beside this file for the version used and its checksum.

Rows already in ``regions.csv`` that are not GB/T 2260 codes (全国, aggregates, the world,
countries) and the curated fields of the rows that are (English names, aliases, exact dates of
Shanghai's changes) are kept; everything else comes from ``result.csv``:

* level: 省级 → province, 地级 → prefecture, 县级 → district (every county-level unit: 区, 县,
  县级市, 旗 …; the briefings rank a district among the units of the same parent and level);
* parent: a county-level unit's prefecture (its code's first four digits + 00) when that code is
  in the table, else its province; a prefecture's province; a province's country (100000);
* valid_from / valid_to: the year the code came into use (blank for 1981, the first year of the
  table) and the year it left it (blank while in use); the source gives years only;
* successor_code: for a unit no longer in use, the one code that took it over; blank when it was
  split among several (it then resolves to itself, a historical unit);
* a code used twice (a unit renamed, or a code given to another unit later) keeps the row of its
  latest unit; an earlier name of the same unit (its successor is its own code) becomes an alias.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
LEVELS = {"省级": "province", "地级": "prefecture", "县级": "district"}
COLUMNS = [
    "code",
    "name",
    "short_name",
    "name_en",
    "level",
    "parent_code",
    "valid_from",
    "valid_to",
    "successor_code",
    "aliases",
]
# ethnic names of autonomous prefectures, counties and banners, written without 族
_ETHNIC = r"(?:[\u4e00-\u9fff]{1,5}?族|蒙古|哈萨克|柯尔克孜|鄂伦春|各族)+"
_SHORT = [
    re.compile(rf"^(.{{2,}}?){_ETHNIC}自治[州县旗]$"),
    re.compile(r"^(.{2,}?)(?:地区|林区|特区|新区|盟|市|县|区|旗)$"),
]


def short_name(name: str) -> str:
    """The name without its administrative suffix (and ethnic part), when two characters remain.

    >>> short_name("黔南布依族苗族自治州"), short_name("伊犁哈萨克自治州"), short_name("松江区")
    ('黔南', '伊犁', '松江')
    >>> short_name("城区"), short_name("浦东新区"), short_name("鄂伦春自治旗")
    ('城区', '浦东', '鄂伦春自治旗')
    """
    for pattern in _SHORT:
        match = pattern.match(name)
        if match and "自治" not in match.group(1):
            return match.group(1)
    return name


def _successor(status: str, new: str, code: str) -> str:
    """The single code that took a unit over, else blank."""
    if status == "在用" or not new:
        return ""
    codes = {re.sub(r"\[\d{4}\]$", "", c) for c in new.split(";")}
    codes.discard(code)
    return codes.pop() if len(codes) == 1 else ""


def official(result: pd.DataFrame) -> pd.DataFrame:
    """The official code history as rows of ``regions.csv`` (one per code)."""
    table = result.rename(
        columns={"代码": "code", "名称": "name", "级别": "level_zh", "状态": "status"}
    )
    table = table.assign(
        start=table["启用时间"],
        end=table["变更/弃用时间"],
        new=table["新代码"],
        order=range(len(table)),
    )
    # the row of a code's latest unit first: in use, else the latest to end
    table = table.assign(in_use=table["status"] == "在用", end_key=table["end"].replace("", "9999"))
    table = table.sort_values(["code", "in_use", "end_key"], ascending=[True, False, False])
    rows, aliases = [], {}
    for code, group in table.groupby("code", sort=False):
        head = group.iloc[0]
        for former in group.iloc[1:].itertuples():
            own = {re.sub(r"\[\d{4}\]$", "", c) for c in former.new.split(";") if c}
            if former.name != head["name"] and own == {code}:
                aliases.setdefault(code, []).append(former.name)
        rows.append(head)
    frame = pd.DataFrame(rows).sort_values("order")
    codes = set(frame["code"])
    province = frame["code"].str[:2] + "0000"
    prefecture = frame["code"].str[:4] + "00"
    level = frame["level_zh"].map(LEVELS)
    parent = province.where(level == "district", "100000")
    parent = parent.mask(level == "prefecture", province)
    parent = parent.mask((level == "district") & prefecture.isin(codes - {""}), prefecture)
    parent = parent.mask(level == "district", parent.where(parent != frame["code"], province))
    return pd.DataFrame(
        {
            "code": frame["code"],
            "name": frame["name"],
            "short_name": frame["name"].map(short_name),
            "name_en": "",
            "level": level,
            "parent_code": parent,
            "valid_from": frame["start"].where(frame["start"] != "1981", ""),
            "valid_to": frame["end"].where(~frame["in_use"], ""),
            "successor_code": [
                _successor(s, n, c)
                for s, n, c in zip(frame["status"], frame["new"], frame["code"], strict=True)
            ],
            "aliases": frame["code"].map(lambda c: ";".join(aliases.get(c, []))),
        }
    )


def build(result: pd.DataFrame, curated: pd.DataFrame) -> pd.DataFrame:
    """Official rows with the curated fields laid over them, then the curated non-code rows."""
    rows = official(result).set_index("code")
    curated = curated.set_index("code")
    known = curated.index.intersection(rows.index)
    for column in ("short_name", "name_en", "valid_from", "valid_to", "successor_code"):
        given = curated.loc[known, column]
        given = given[given != ""]
        rows.loc[given.index, column] = given
    for code in known:
        mine = [a for a in curated.at[code, "aliases"].split(";") if a]
        theirs = [a for a in rows.at[code, "aliases"].split(";") if a]
        rows.at[code, "aliases"] = ";".join(dict.fromkeys([*mine, *theirs]))
    extra = curated.loc[[c for c in curated.index if c not in rows.index]]
    first = extra.index == "100000"  # 全国 leads, as it always has
    out = pd.concat([extra[first], rows, extra[~first]]).reset_index(names="code")
    return out[COLUMNS]


def main(path: str) -> None:
    result = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    curated = pd.read_csv(HERE / "regions.csv", dtype=str, keep_default_na=False)
    build(result, curated).to_csv(sys.stdout, index=False, lineterminator="\n")


if __name__ == "__main__":
    main(sys.argv[1])
