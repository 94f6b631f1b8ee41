"""The region reference, and turning the names people write into administrative codes.

``reference/regions.csv`` holds China's provinces, Shanghai's 16 districts (codes
310101…310151), the districts that no longer exist (南汇区, 卢湾区, 闸北区, 崇明县) with the date
they ended (``valid_to``) and the unit that took them over (``successor_code``), a few
aggregates and countries. Every spelling a row offers resolves to its code: the code itself, the
full name (松江区), the short name (松江), the English name (Songjiang, "Songjiang District"), the
aliases (浦东区, 沪 …), and any of these with or without the suffix 区/市/省/县/新区/自治区 and with
stray ASCII or full-width spaces inside or around (``"　松 江 区 "``).

Historical units resolve to their successor by default (闸北区 → 静安区 310106);
:func:`region_changes` tells, for the same names, which unit was written and when it changed::

    >>> import pandas as pd
    >>> resolve_regions(pd.Series(["松江区", "浦东", " 闸 北 区", "Songjiang District"])).tolist()
    ['310117', '310115', '310106', '310117']
    >>> region_changes(pd.Series(["闸北区"])).iloc[0].tolist()[:4]
    ['310108', '闸北区', '310106', '静安区']

An unknown name is an :class:`~ipanalysis.errors.InputError` that names the file, row and
column it came from; nothing is dropped silently.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

from . import paths
from .errors import InputError

#: Suffixes a Chinese name may be written with or without, longest first so that 浦东新区
#: loses 新区 (not just 区) and 广西壮族自治区 loses the whole 壮族自治区.
ZH_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "新区",
    "区",
    "市",
    "省",
    "县",
)
#: The same for English names, compared lower-case without spaces ("Pudong New Area").
EN_SUFFIXES = (
    "autonomousregion",
    "municipality",
    "newarea",
    "district",
    "province",
    "county",
    "city",
    "sar",
)
_UNKNOWN_HINT = "give a name such as 松江区 or a code such as 310117"
_CJK = re.compile(r"[\u3400-\u9fff]")
# NFKC turns the ideographic space into a plain one; zero-width spaces and BOMs survive it.
_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_ENGLISH_NOISE = re.compile(r"['’`.\-]")
_FLOAT_CODE = re.compile(r"^(\d{6})\.0+$")


@functools.lru_cache(maxsize=1)
def _read_reference() -> pd.DataFrame:
    return pd.read_csv(paths.REFERENCE_DIR / "regions.csv", dtype=str, keep_default_na=False)


def load_regions() -> pd.DataFrame:
    """The region reference as a frame of strings (empty string where a field is blank).

    Read once per process and cached; each call returns a copy, so callers may modify it.

    >>> regions = load_regions()
    >>> regions.set_index("code").loc["310117", ["name", "short_name", "name_en", "level"]].tolist()
    ['松江区', '松江', 'Songjiang', 'district']
    >>> regions.set_index("code").loc["310108", ["valid_to", "successor_code"]].tolist()
    ['2015-11-04', '310106']
    """
    return _read_reference().copy()


def normalise_name(name: object) -> str:
    """The comparison key of a region spelling: NFKC, no spaces, lower case, no apostrophes.

    Excel hands codes over as numbers, so ``310117.0`` becomes ``'310117'``.

    >>> normalise_name("　松 江 区 ")
    '松江区'
    >>> normalise_name("Jing'an District"), normalise_name(310117.0)
    ('jingandistrict', '310117')
    """
    text = unicodedata.normalize("NFKC", str(name))
    text = _SPACES.sub("", text).casefold()
    text = _FLOAT_CODE.sub(r"\1", text)
    return text if _CJK.search(text) else _ENGLISH_NOISE.sub("", text)


def _without_suffix(key: str) -> str | None:
    """``key`` less one administrative suffix, or None when it has none (or would be too short)."""
    suffixes = ZH_SUFFIXES if _CJK.search(key) else EN_SUFFIXES
    for suffix in suffixes:
        # keep at least two characters: 沪 or a bare 区 must not become a spelling
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            return key[: -len(suffix)]
    return None


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Normalised spelling → code. Exact spellings win over suffix-stripped ones, and a unit in
    force wins over a historical one (崇明 is 崇明区, not 崇明县)."""
    ranked: dict[str, tuple[tuple[int, int], str]] = {}
    for row in _read_reference().itertuples(index=False):
        historical = int(bool(row.valid_to))
        spellings = [row.code, row.name, row.short_name, row.name_en, *row.aliases.split(";")]
        for spelling in filter(None, spellings):
            key = normalise_name(spelling)
            stripped = _without_suffix(key)
            candidates = [(key, (0, historical))]
            if stripped:
                candidates.append((stripped, (1, historical)))
            for candidate, rank in candidates:
                if candidate not in ranked or rank < ranked[candidate][0]:
                    ranked[candidate] = (rank, row.code)
    return {key: code for key, (_, code) in ranked.items()}


@functools.lru_cache(maxsize=1)
def _province_prefixes() -> tuple[tuple[str, str], ...]:
    """(normalised spelling, code) of provinces that have districts in the reference, longest
    first, so that 上海市松江区 is read as 松江区 of 上海市."""
    regions = _read_reference()
    parents = set(regions.loc[regions["level"] == "district", "parent_code"])
    rows = regions[regions["code"].isin(parents)]
    spellings = {
        normalise_name(s): code
        for code, name, short in zip(rows["code"], rows["name"], rows["short_name"], strict=True)
        for s in (name, short)
    }
    return tuple(sorted(spellings.items(), key=lambda item: -len(item[0])))


def _lookup(name: object) -> str | None:
    """The code of one spelling, or None; see the module docstring for what is accepted."""
    key = normalise_name(name)
    if not key:
        return None
    index = _index()
    if key in index:
        return index[key]
    stripped = _without_suffix(key)
    if stripped and stripped in index:
        return index[stripped]
    parents = _parents()
    for prefix, parent in _province_prefixes():
        if key.startswith(prefix) and len(key) > len(prefix):
            code = _lookup(key[len(prefix) :])
            if code is not None and parents.get(code) == parent:
                return code
    return None


@functools.lru_cache(maxsize=1)
def _parents() -> dict[str, str]:
    regions = _read_reference()
    return dict(zip(regions["code"], regions["parent_code"], strict=True))


@functools.lru_cache(maxsize=1)
def _successors() -> dict[str, str]:
    """Historical code → the code in force now, following chains of successors."""
    regions = _read_reference()
    direct = {
        code: successor
        for code, successor in zip(regions["code"], regions["successor_code"], strict=True)
        if successor
    }
    final = {}
    for code in direct:
        seen = {code}
        target = direct[code]
        while target in direct and target not in seen:  # a cycle would be a reference error
            seen.add(target)
            target = direct[target]
        final[code] = target
    return final


def spellings() -> dict[str, str]:
    """Every spelling the reference lists verbatim (code, name, short and English names,
    aliases) → code; :func:`resolve_regions` accepts more (no suffix, stray spaces, case).

    >>> spellings()["浦东区"], spellings()["Songjiang"], "松 江 区" in spellings()
    ('310115', '310117', False)
    """
    index: dict[str, str] = {}
    for row in _read_reference().itertuples(index=False):
        names = [row.code, row.name, row.short_name, row.name_en, *row.aliases.split(";")]
        index.update({s: row.code for s in names if s})
    return index


def region_names() -> dict[str, str]:
    """Code → Chinese name, for every unit of the reference.

    >>> region_names()["310106"], region_names()["310108"]
    ('静安区', '闸北区')
    """
    regions = _read_reference()
    return dict(zip(regions["code"], regions["name"], strict=True))


def resolve_regions(
    names: pd.Series,
    *,
    file: str | None = None,
    rows: pd.Series | Iterable[int] | None = None,
    follow_successor: bool = True,
    sheet: str | None = None,
    column: str | None = None,
) -> pd.Series:
    """Administrative codes (str) for region names, aligned to ``names``; ``names`` is not changed.

    Parameters
    ----------
    names
        Codes or names in any spelling the module docstring lists.
    file, sheet, column
        Where the names come from, for the error message.
    rows
        The row number of each name as the user sees it in the file (default: index + 2, i.e.
        a CSV with one header line and a default index).
    follow_successor
        Map historical units to the unit in force now (default); ``False`` keeps their own code.

    Raises
    ------
    InputError
        For the first unknown or empty name, naming file, sheet, row and column; further unknown
        names are listed in the message.

    Examples
    --------
    >>> resolve_regions(pd.Series(["南汇区", "310230", "卢湾"]), follow_successor=False).tolist()
    ['310119', '310230', '310103']
    >>> resolve_regions(pd.Series(["松江区", "火星区"]), file="a.csv", column="地区")
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: a.csv, row 3, column '地区': unknown region '火星区': give a name such as 松江区 or a code such as 310117
    """
    text = names.astype("object").where(names.notna(), None)
    codes = text.map(_code_map(text, follow_successor))
    bad = codes.isna().to_numpy()
    if bad.any():
        row_numbers = (
            pd.Series(range(2, len(names) + 2), index=names.index)
            if rows is None
            else pd.Series(list(rows), index=names.index)
        )
        bad_names = text[bad]
        bad_rows = row_numbers[bad]
        described = [
            "an empty region name" if _blank(n) else f"unknown region '{n}'" for n in bad_names
        ]
        message = f"{described[0]}: {_UNKNOWN_HINT}"
        if len(described) > 1:
            more = [
                f"{d} (row {r})" for d, r in zip(described[1:4], bad_rows.iloc[1:4], strict=True)
            ]
            if len(described) > 4:
                more.append(f"{len(described) - 4} more")
            message += f"; also {', '.join(more)}"
        raise InputError(message, file=file, sheet=sheet, row=int(bad_rows.iloc[0]), column=column)
    return codes.astype(str).rename(names.name)


def _code_map(text: pd.Series, follow_successor: bool) -> dict[object, str | None]:
    """Distinct spelling → code: one look-up per distinct value, then a vectorised ``map``."""
    successors = _successors() if follow_successor else {}
    mapping = {}
    for name in pd.unique(text.dropna()):
        code = _lookup(name)
        mapping[name] = successors.get(code, code)
    return mapping


def _blank(name: object) -> bool:
    return name is None or not normalise_name(name)


def resolve_region(name: str, *, follow_successor: bool = True) -> str:
    """The code of one region name; :class:`InputError` when unknown.

    >>> resolve_region("浦东"), resolve_region("　松江 "), resolve_region("Shanghai")
    ('310115', '310117', '310000')
    >>> resolve_region("../../etc")
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: unknown region '../../etc': give a name such as 松江区 or a code such as 310117
    """
    code = _lookup(name)
    if code is None:
        raise InputError(f"unknown region '{name}': {_UNKNOWN_HINT}")
    return _successors().get(code, code) if follow_successor else code


def try_resolve_regions(names: pd.Series, *, follow_successor: bool = True) -> pd.Series:
    """Like :func:`resolve_regions`, but <NA> where a name is unknown (for detecting a region
    column, or for callers that quarantine unknown names themselves).

    >>> try_resolve_regions(pd.Series(["静安", "地区", None])).tolist()
    ['310106', <NA>, <NA>]
    """
    text = names.astype("object").where(names.notna(), None)
    return text.map(_code_map(text, follow_successor)).astype("string").rename(names.name)


def region_changes(names: pd.Series) -> pd.DataFrame:
    """For each name (or code), the unit it denotes and, for a unit that no longer exists, the
    unit that took it over and the date of the change; aligned to ``names``.

    Columns: ``code`` and ``name`` (the unit as written, historical or not),
    ``successor_code`` and ``successor_name`` (the unit in force now; the same unit when it never
    changed) and ``changed_on`` (datetime64; NaT when it never changed). Raises like
    :func:`resolve_regions` on an unknown name.

    >>> changes = region_changes(pd.Series(["南汇", "卢湾区", "闸北", "崇明县", "松江区"]))
    >>> changes[["code", "successor_name"]].values.tolist()
    [['310119', '浦东新区'], ['310103', '黄浦区'], ['310108', '静安区'], ['310230', '崇明区'], ['310117', '松江区']]
    >>> changes["changed_on"].dt.strftime("%Y-%m-%d").tolist()
    ['2009-05-06', '2011-06-08', '2015-11-04', '2016-07-22', nan]
    """
    codes = resolve_regions(names, follow_successor=False)
    reference = _read_reference().set_index("code")
    successors = _successors()
    successor = codes.map(lambda c: successors.get(c, c))
    return pd.DataFrame(
        {
            "code": codes,
            "name": codes.map(reference["name"]),
            "successor_code": successor,
            "successor_name": successor.map(reference["name"]),
            "changed_on": pd.to_datetime(codes.map(reference["valid_to"]).replace("", None)),
        },
        index=names.index,
    )


@functools.lru_cache(maxsize=1)
def _address_patterns() -> tuple[re.Pattern, re.Pattern, dict[str, str], dict[str, str]]:
    """Two regexes (region at the start of an address; Shanghai district anywhere) and the maps
    from what they capture to codes."""
    regions = _read_reference()
    successors = _successors()
    top = regions[regions["level"].isin(["province", "country"]) & (regions["code"] != "100000")]
    start: dict[str, str] = {}
    for code, name, short in zip(top["code"], top["name"], top["short_name"], strict=True):
        start[name] = code
        start.setdefault(short, code)
    districts = regions[(regions["level"] == "district") & (regions["parent_code"] == "310000")]
    anywhere: dict[str, str] = {}
    for code, name, short, aliases in zip(
        districts["code"],
        districts["name"],
        districts["short_name"],
        districts["aliases"],
        strict=True,
    ):
        final = successors.get(code, code)
        # full names only: a bare 普陀 or 宝山 also names places outside Shanghai (舟山市普陀区)
        for spelling in (name, *filter(None, aliases.split(";"))):
            anywhere[spelling] = final
        # after 上海(市) the short name is safe: 上海松江九亭镇, 上海浦东张江
        anywhere.setdefault(f"上海{short}", final)
        anywhere.setdefault(f"上海市{short}", final)

    def alternation(words: Iterable[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    start_re = re.compile(rf"^(?:\d{{6}})?(?:中华人民共和国|中国)?(?P<region>{alternation(start)})")
    anywhere_re = re.compile(rf"(?P<district>{alternation(anywhere)})")
    return start_re, anywhere_re, start, anywhere


def district_from_address(addresses: pd.Series) -> pd.Series:
    """The Shanghai district code of each address, else its province (or country) code, else <NA>.

    Spaces and full-width characters are normalised first; a leading postcode or 中国 is
    skipped. A district is recognised by its full name anywhere in the address (松江区, 浦东新区,
    historical ones such as 闸北区 mapped to their successor) or by its short name right after
    上海/上海市 (上海松江九亭镇); an address that starts with another province is that province
    even if it mentions, say, 普陀区 (舟山市普陀区). ``addresses`` is not changed.

    >>> district_from_address(pd.Series([
    ...     "上海市松江区九亭镇涞寅路1号", "上海松江区新桥镇", "201203 上海市浦东新区张江路",
    ...     "上海市闸北区共和新路", "河南省郑州市金水区", "浙江省舟山市普陀区", "上海市", "东京都", None,
    ... ])).tolist()
    ['310117', '310117', '310115', '310106', '410000', '330000', '310000', <NA>, <NA>]
    """
    start_re, anywhere_re, start, anywhere = _address_patterns()
    clean = (
        addresses.astype("string")
        .str.normalize("NFKC")
        .str.replace(_SPACES.pattern, "", regex=True)
    )
    at_start = clean.str.extract(start_re)["region"].map(start)
    district = clean.str.extract(anywhere_re)["district"].map(anywhere)
    shanghai_or_unknown = at_start.isna() | (at_start == "310000")
    result = district.where(shanghai_or_unknown & district.notna(), at_start)
    return result.astype("string").rename(addresses.name)
