"""The region reference, and turning the names and addresses people write into administrative codes.

``reference/regions.csv`` holds every province, prefecture-level and county-level unit of China's
administrative division code (GB/T 2260) since 1981, from the Ministry of Civil Affairs' tables
(see ``reference/regions.md``): the units in force and those that no longer exist, with the year
(or, for Shanghai, the day) they ended (``valid_to``) and the unit that took them over
(``successor_code``); plus 全国, a few aggregates and countries. Levels: ``country``,
``province``, ``prefecture`` and ``district`` (every county-level unit: 区, 县, 县级市, 旗 …).
Every spelling a row offers resolves to its code: the code itself, the full name (松江区), the
short name (松江), the English name (Songjiang, "Songjiang District"), the aliases (浦东区, 沪, a
former name …), any of these with or without the suffix 区/市/省/县/自治州 … and with stray ASCII
or full-width spaces (``"　松 江 区 "``), and a name written with its province or city
(上海市松江区, 浙江省舟山市普陀区).

A name several units share (普陀区 is in Shanghai and in Zhoushan) resolves, in this order, to the
unit of the higher level (吉林 is the province), the unit in force, the unit inside ``within``
(codes of provinces or cities the caller knows the names lie in), and the unit in Shanghai, the
region this project was built for (:data:`HOME`); otherwise it is ambiguous and reported as such.

Historical units resolve to their successor by default (闸北区 → 静安区 310106);
:func:`region_changes` tells, for the same names, which unit was written and when it changed::

    >>> import pandas as pd
    >>> resolve_regions(pd.Series(["松江区", "浦东", " 闸 北 区", "Songjiang District"])).tolist()
    ['310117', '310115', '310106', '310117']
    >>> region_changes(pd.Series(["闸北区"])).iloc[0].tolist()[:4]
    ['310108', '闸北区', '310106', '静安区']

An unknown name is an :class:`~ipanalysis.errors.InputError` that names the file, row and
column it came from; nothing is dropped silently. :func:`parse_addresses` reads the province,
prefecture-level city and county-level unit from addresses anywhere in China, and the country
from addresses abroad (country names from ``pycountry``'s Chinese ISO 3166 names).
"""

from __future__ import annotations

import collections
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
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "新区",
    "区",
    "市",
    "省",
    "县",
    "盟",
    "旗",
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
#: Where a name several units share is looked for last: Shanghai, the project's home region.
HOME = ("310000",)
#: Province-code prefixes outside the mainland and their country: Taiwan, Hong Kong, Macao.
NOT_MAINLAND: dict[str, str] = {"71": "TW", "81": "HK", "82": "MO"}
#: Administrative levels, top down; a name several units share goes to the higher level first.
LEVEL_RANK = {"province": 0, "prefecture": 1, "district": 2}
_UNKNOWN_HINT = "give a name such as 松江区 or a code such as 310117"
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[a-z]")
# NFKC turns the ideographic space into a plain one; zero-width spaces and BOMs survive it.
_SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_ENGLISH_NOISE = re.compile(r"['’`.\-]")
_FLOAT_CODE = re.compile(r"^(\d{6})\.0+$")


@functools.lru_cache(maxsize=1)
def _read_reference() -> pd.DataFrame:
    return pd.read_csv(paths.REFERENCE_DIR / "regions.csv", dtype=str, keep_default_na=False)


@functools.lru_cache(maxsize=1)
def _reference_rows() -> list:
    """The reference's rows as named tuples of plain strings (built once: iterating a frame's
    text columns value by value is slow)."""
    regions = _read_reference()
    row = collections.namedtuple("Region", regions.columns)
    columns = [regions[c].tolist() for c in regions.columns]
    return [row(*values) for values in zip(*columns, strict=True)]


def _reference_pairs(key: str, value: str) -> dict[str, str]:
    """``key`` column → ``value`` column of the reference, as a dict."""
    regions = _read_reference()
    return dict(zip(regions[key].tolist(), regions[value].tolist(), strict=True))


def load_regions() -> pd.DataFrame:
    """The region reference as a frame of strings (empty string where a field is blank).

    Read once per process and cached; each call returns a copy, so callers may modify it.

    >>> regions = load_regions()
    >>> regions.set_index("code").loc["310117", ["name", "short_name", "name_en", "level"]].tolist()
    ['松江区', '松江', 'Songjiang', 'district']
    >>> regions.set_index("code").loc["310108", ["valid_to", "successor_code"]].tolist()
    ['2015-11-04', '310106']
    >>> regions.set_index("code").loc["320583", ["name", "parent_code", "level"]].tolist()
    ['昆山市', '320500', 'district']
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
    # apostrophes, dots and hyphens are noise in English names (Jing'an), not in figures (2305.06)
    return _ENGLISH_NOISE.sub("", text) if _LATIN.search(text) and not _CJK.search(text) else text


def _without_suffix(key: str) -> str | None:
    """``key`` less one administrative suffix, or None when it has none (or would be too short)."""
    suffixes = ZH_SUFFIXES if _CJK.search(key) else EN_SUFFIXES
    for suffix in suffixes:
        # keep at least two characters: 沪 or a bare 区 must not become a spelling
        if key.endswith(suffix) and len(key) - len(suffix) >= 2:
            return key[: -len(suffix)]
    return None


def _row_rank(row) -> tuple[int, int, int]:
    """How strongly a unit claims a spelling it shares: higher level, in force, ended later."""
    ended = int(row.valid_to[:4]) if row.valid_to else 9999
    return (LEVEL_RANK.get(row.level, 3), int(bool(row.valid_to)), -ended)


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, tuple[tuple[tuple, str], ...]]:
    """Normalised spelling → (rank, code) of every unit offering it, best first. Spellings as
    listed rank before suffix-stripped ones."""
    found: dict[str, dict[str, tuple]] = {}
    for row in _reference_rows():
        unit = _row_rank(row)
        spellings = [row.code, row.name, row.short_name, row.name_en, *row.aliases.split(";")]
        for spelling in filter(None, spellings):
            key = normalise_name(spelling)
            stripped = _without_suffix(key)
            for candidate, rank in ((key, (0, *unit)), (stripped, (1, *unit))):
                if candidate and rank < found.setdefault(candidate, {}).get(row.code, (9,)):
                    found[candidate][row.code] = rank
    return {
        key: tuple(sorted((rank, code) for code, rank in codes.items()))
        for key, codes in found.items()
    }


@functools.lru_cache(maxsize=1)
def _parents() -> dict[str, str]:
    return _reference_pairs("code", "parent_code")


def _ancestors(code: str) -> list[str]:
    """``code`` and the codes above it, nearest first."""
    parents, chain = _parents(), [code]
    while parents.get(chain[-1]) and len(chain) < 6:
        chain.append(parents[chain[-1]])
    return chain


def _inside(code: str, within: Iterable[str]) -> bool:
    return bool(set(_ancestors(code)) & set(within))


def _choose(candidates, within: tuple[str, ...] = ()) -> tuple[str | None, list[str]]:
    """(code, []) for the unit a shared spelling means, or (None, the units it may mean)."""
    if not candidates:
        return None, []
    best = candidates[0][0]
    top = [code for rank, code in candidates if rank == best]
    if len(top) == 1:
        return top[0], []
    for scope in (within, HOME):
        inside = [c for c in top if scope and _inside(c, scope)]
        if len(inside) == 1:
            return inside[0], []
    return None, top


def _lookup(name: object, within: tuple[str, ...] = ()) -> tuple[str | None, list[str]]:
    """(code, []) of one spelling; (None, candidates) when ambiguous; (None, []) when unknown."""
    key = normalise_name(name)
    if not key:
        return None, []
    index = _index()
    if key in index:
        return _choose(index[key], within)
    stripped = _without_suffix(key)
    if stripped and stripped in index:
        return _choose(index[stripped], within)
    if _CJK.search(key):  # a name written with its province or city: 浙江省舟山市普陀区
        code, rest = _parse_chain(key)
        if code is not None and not rest:
            return code, []
    return None, []


@functools.lru_cache(maxsize=1)
def _successors() -> dict[str, str]:
    """Historical code → the code in force now, following chains of successors."""
    direct = {
        code: successor
        for code, successor in _reference_pairs("code", "successor_code").items()
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


@functools.lru_cache(maxsize=1)
def _historical() -> frozenset[str]:
    regions = _read_reference()
    return frozenset(regions.loc[regions["valid_to"] != "", "code"])


def current_code(code: str) -> str:
    """The unit in force now for ``code``: its successor, else (a unit split among several) the
    nearest unit above it still in force; a unit in force is itself.

    >>> current_code("310108"), current_code("310102"), current_code("310117")
    ('310106', '310000', '310117')
    """
    code = _successors().get(code, code)
    for unit in _ancestors(code):
        if unit not in _historical():
            return unit
    return code


def spellings() -> dict[str, str]:
    """Every spelling the reference lists verbatim (code, name, short and English names,
    aliases) → code, the unit with the strongest claim where several share one;
    :func:`resolve_regions` accepts more (no suffix, stray spaces, case, parents).

    >>> spellings()["浦东区"], spellings()["Songjiang"], spellings()["普陀区"], "松 江 区" in spellings()
    ('310115', '310117', '310107', False)
    """
    index: dict[str, tuple[tuple, str]] = {}
    for row in _reference_rows():
        rank = (_row_rank(row), 0 if _inside(row.code, HOME) else 1)
        names = [row.code, row.name, row.short_name, row.name_en, *row.aliases.split(";")]
        for spelling in filter(None, names):
            if spelling not in index or rank < index[spelling][0]:
                index[spelling] = (rank, row.code)
    return {spelling: code for spelling, (_, code) in index.items()}


def region_names() -> dict[str, str]:
    """Code → Chinese name, for every unit of the reference.

    >>> region_names()["310106"], region_names()["310108"], region_names()["150000"]
    ('静安区', '闸北区', '内蒙古自治区')
    """
    return _reference_pairs("code", "name")


def resolve_regions(
    names: pd.Series,
    *,
    file: str | None = None,
    rows: pd.Series | Iterable[int] | None = None,
    follow_successor: bool = True,
    sheet: str | None = None,
    column: str | None = None,
    within: Iterable[str] = (),
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
    within
        Codes of the provinces or cities the names are known to lie in, to tell apart units that
        share a name (朝阳区 of Beijing and of Changchun).

    Raises
    ------
    InputError
        For the first unknown, ambiguous or empty name, naming file, sheet, row and column;
        further ones are listed in the message.

    Examples
    --------
    >>> resolve_regions(pd.Series(["南汇区", "310230", "卢湾"]), follow_successor=False).tolist()
    ['310119', '310230', '310103']
    >>> resolve_regions(pd.Series(["朝阳区", "海淀区"]), within=["110000"]).tolist()
    ['110105', '110108']
    >>> resolve_regions(pd.Series(["松江区", "火星区"]), file="a.csv", column="地区")
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: a.csv, row 3, column '地区': unknown region '火星区': give a name such as 松江区 or a code such as 310117
    """
    text = names.astype("object").where(names.notna(), None)
    within = tuple(within)
    found = {name: _lookup(name, within) for name in pd.unique(text.dropna())}
    codes = text.map(_final_codes(found, follow_successor))
    bad = codes.isna().to_numpy()
    if bad.any():
        row_numbers = (
            pd.Series(range(2, len(names) + 2), index=names.index)
            if rows is None
            else pd.Series(list(rows), index=names.index)
        )
        described = [_describe(n, found.get(n, (None, []))[1]) for n in text[bad]]
        bad_rows = row_numbers[bad]
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


def unresolved_reasons(names: pd.Series, *, within: Iterable[str] = ()) -> pd.Series:
    """Why each name does not resolve (unknown, ambiguous or empty), with how to write it;
    <NA> where it resolves. Aligned to ``names``; for callers that set such rows aside.

    >>> unresolved_reasons(pd.Series(["松江区", "火星区", "朝阳区"])).tolist()[:2]
    [<NA>, "unknown region '火星区': give a name such as 松江区 or a code such as 310117"]
    >>> unresolved_reasons(pd.Series(["朝阳区"])).iloc[0]
    "ambiguous region '朝阳区': it names 110105 (北京市), 220104 (吉林省长春市); write it with its city, e.g. 北京市朝阳区"
    """
    text = names.astype("object").where(names.notna(), None)
    within = tuple(within)
    found = {name: _lookup(name, within) for name in pd.unique(text.dropna())}
    reasons = []
    for name in text:
        code, candidates = found.get(name, (None, []))
        if name is not None and code is not None:
            reasons.append(pd.NA)
        else:  # an ambiguous name says how to write it; an unknown one gets the general hint
            hint = "" if candidates else f": {_UNKNOWN_HINT}"
            reasons.append(f"{_describe(name, candidates)}{hint}")
    return pd.Series(reasons, index=names.index, dtype="string")


def _describe(name: object, candidates: list[str]) -> str:
    if _blank(name):
        return "an empty region name"
    if candidates:
        names = region_names()
        options = ", ".join(f"{code} ({_full_name(code)})" for code in candidates[:4])
        return f"ambiguous region '{name}': it names {options}; write it with its city, e.g. {_full_name(candidates[0])}{names[candidates[0]]}"
    return f"unknown region '{name}'"


def _full_name(code: str) -> str:
    """The names above a unit, e.g. 浙江省舟山市 for 普陀区 330903 (for messages)."""
    names = region_names()
    chain = [c for c in reversed(_ancestors(code)[1:]) if c in names and c != "100000"]
    return "".join(names[c] for c in chain)


def _final_codes(found: dict, follow_successor: bool) -> dict[object, str | None]:
    successors = _successors() if follow_successor else {}
    return {name: successors.get(code, code) for name, (code, _) in found.items()}


def _blank(name: object) -> bool:
    return name is None or not normalise_name(name)


def resolve_region(name: str, *, follow_successor: bool = True) -> str:
    """The code of one region name; :class:`InputError` when unknown or ambiguous.

    >>> resolve_region("浦东"), resolve_region("　松江 "), resolve_region("Shanghai")
    ('310115', '310117', '310000')
    >>> resolve_region("浙江省舟山市普陀区"), resolve_region("普陀区"), resolve_region("昆山")
    ('330903', '310107', '320583')
    >>> resolve_region("../../etc")
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: unknown region '../../etc': give a name such as 松江区 or a code such as 310117
    """
    code, candidates = _lookup(name)
    if code is None:
        raise InputError(f"{_describe(name, candidates)}: {_UNKNOWN_HINT}")
    return _successors().get(code, code) if follow_successor else code


def try_resolve_regions(
    names: pd.Series, *, follow_successor: bool = True, within: Iterable[str] = ()
) -> pd.Series:
    """Like :func:`resolve_regions`, but <NA> where a name is unknown or ambiguous (for detecting
    a region column, or for callers that quarantine unknown names themselves).

    >>> try_resolve_regions(pd.Series(["静安", "地区", None, "内蒙古自治区"])).tolist()
    ['310106', <NA>, <NA>, '150000']
    """
    text = names.astype("object").where(names.notna(), None)
    within = tuple(within)
    found = {name: _lookup(name, within) for name in pd.unique(text.dropna())}
    return text.map(_final_codes(found, follow_successor)).astype("string").rename(names.name)


def region_changes(names: pd.Series) -> pd.DataFrame:
    """For each name (or code), the unit it denotes and, for a unit that no longer exists, the
    unit that took it over and when; aligned to ``names``.

    Columns: ``code`` and ``name`` (the unit as written, historical or not),
    ``successor_code`` and ``successor_name`` (the unit in force now, see :func:`current_code`;
    the same unit when it never changed), ``changed_on`` (datetime64: the day of the change
    where the reference gives it, else NaT) and ``changed_in`` (the year; <NA> when it never
    changed). Raises like :func:`resolve_regions` on an unknown name.

    >>> changes = region_changes(pd.Series(["南汇", "卢湾区", "闸北", "崇明县", "松江区", "崇文区"]))
    >>> changes[["code", "successor_name"]].values.tolist()
    [['310119', '浦东新区'], ['310103', '黄浦区'], ['310108', '静安区'], ['310230', '崇明区'], ['310117', '松江区'], ['110103', '东城区']]
    >>> changes["changed_on"].dt.strftime("%Y-%m-%d").tolist(), changes["changed_in"].tolist()
    (['2009-05-06', '2011-06-08', '2015-11-04', '2016-07-22', nan, nan], [2009, 2011, 2015, 2016, <NA>, 2010])
    """
    codes = resolve_regions(names, follow_successor=False)
    reference = _read_reference().set_index("code")
    successor = codes.map(current_code)
    valid_to = codes.map(reference["valid_to"])
    exact = valid_to.where(valid_to.str.len() == 10)
    return pd.DataFrame(
        {
            "code": codes,
            "name": codes.map(reference["name"]),
            "successor_code": successor,
            "successor_name": successor.map(reference["name"]),
            "changed_on": pd.to_datetime(exact.replace("", None)),
            "changed_in": pd.to_numeric(valid_to.str[:4].replace("", None)).astype("Int64"),
        },
        index=names.index,
    )


# --- addresses ------------------------------------------------------------------------------------

#: Characters after which a county's short name is a street, not the county (金水路, 松江路).
_STREET_AFTER = frozenset("路街道巷弄号里桥大")
_POSTCODE = re.compile(r"^[0-9]{6}[,，、 ]?")
_CHINA = re.compile(r"^(?:中华人民共和国|中国)")
_LONGEST = 20  # characters; the longest unit name, 积石山保安族东乡族撒拉族自治县, has 15


@functools.lru_cache(maxsize=1)
def _by_level() -> dict[str, dict[str, tuple[dict[str, list[str]], dict[str, list[str]]]]]:
    """level → (full spellings → codes, short spellings → codes), spellings as written."""
    out: dict[str, tuple[dict, dict]] = {lvl: ({}, {}) for lvl in LEVEL_RANK}
    for row in _reference_rows():
        if row.level not in out:
            continue
        full, short = out[row.level]
        for spelling in filter(None, [row.name, *row.aliases.split(";")]):
            full.setdefault(spelling, []).append(row.code)
        if row.short_name and row.short_name != row.name:
            short.setdefault(row.short_name, []).append(row.code)
    return out


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """Chinese country names (ISO 3166 short and official names from pycountry, and the
    reference's country rows) → alpha-2 code; China and its regions are not countries here."""
    import gettext

    import pycountry

    names: dict[str, str] = {}
    try:
        zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"]).gettext
    except OSError:  # pragma: no cover - pycountry always ships zh_CN
        zh = None
    for country in pycountry.countries:
        if country.alpha_2 in ("CN", "HK", "MO", "TW") or zh is None:
            continue
        for text in (country.name, getattr(country, "official_name", None)):
            if text and zh(text) != text:
                names[unicodedata.normalize("NFKC", zh(text))] = country.alpha_2
    for row in (r for r in _reference_rows() if r.level == "country"):
        if re.fullmatch(r"[A-Z]{2}", row.code):
            for spelling in filter(None, [row.name, *row.aliases.split(";")]):
                names[spelling] = row.code
    return names


def _match_at(
    text: str, pos: int, level: str, scope: tuple[str, ...], hint: tuple[str, ...], short: bool
) -> tuple[str | None, int]:
    """The longest unit name of ``level`` at ``pos``: (code, end), else (None, pos).

    Only units inside ``scope`` (the province or city already read) count; ``hint`` (e.g. the
    province of 国省代码) only chooses among units that share the name.
    """
    full, shorts = _by_level()[level]
    for length in range(min(_LONGEST, len(text) - pos), 1, -1):
        piece = text[pos : pos + length]
        codes = full.get(piece) or (shorts.get(piece) if short else None)
        if not codes:
            continue
        if piece not in full and text[pos + length : pos + length + 1] in _STREET_AFTER:
            continue
        if scope:
            codes = [c for c in codes if _inside(c, scope)]
        if hint and len(codes) > 1:
            codes = [c for c in codes if _inside(c, hint)] or codes
        code = _pick(codes)
        if code is not None:
            return code, pos + length
    return None, pos


def _pick(codes: list[str]) -> str | None:
    """One of several units with the same name: in force before historical, then Shanghai."""
    if len(codes) <= 1:
        return codes[0] if codes else None
    current = [c for c in codes if c not in _historical()] or codes
    if len(current) == 1:
        return current[0]
    home = [c for c in current if _inside(c, HOME)]
    return home[0] if len(home) == 1 else None


def _search(
    text: str, level: str, scope: tuple[str, ...], hint: tuple[str, ...]
) -> tuple[str | None, int]:
    """The first full unit name of ``level`` anywhere in ``text``: (code, position)."""
    for pos in range(len(text) - 1):
        code, _ = _match_at(text, pos, level, scope, hint, short=False)
        if code is not None:
            return code, pos
    return None, -1


def _parse_chain(
    text: str, hint: tuple[str, ...] = (), scope: tuple[str, ...] = ()
) -> tuple[str | None, str]:
    """(most specific unit, text left) of units written one after the other at the start."""
    code, pos = None, 0
    for level in ("province", "prefecture", "district"):
        inside = (code,) if code else scope
        found, end = _match_at(text, pos, level, inside, hint, short=pos > 0 or level == "province")
        if level == "province" and found is not None:
            # 吉林市 is the city, not the province 吉林 followed by 市
            _, longer = _match_at(text, pos, "prefecture", inside, hint, short=False)
            found = None if longer > end else found
        if found is not None:
            code, pos = found, end
    return code, text[pos:]


@functools.lru_cache(maxsize=1 << 16)
def _parse(text: str, hint: tuple[str, ...]) -> tuple[str | None, str | None]:
    """(unit the address names, country) of one normalised address (cached: a patentee's
    address repeats on each of its patents, across the batches of a large export)."""
    text = _CHINA.sub("", _POSTCODE.sub("", text))
    if not text:
        return None, None
    countries = _countries()
    for length in range(min(12, len(text)), 1, -1):
        if text[:length] in countries:
            return None, countries[text[:length]]
    code, rest = _parse_chain(text, hint)
    if code is None:  # nothing at the start: a city, else a county, named further on
        for level in ("prefecture", "district"):
            found, pos = _search(text, level, (), hint)
            if found is not None:
                code, rest = _parse_chain(text[pos:], hint, (found,))
                break
    if code is not None and _level_of().get(code) != "district":
        # a province or city without its county: a county named further on
        found, _ = _search(rest, "district", (code,), hint)
        code = found or code
    return code, None if code is None else "CN"


@functools.lru_cache(maxsize=1)
def _level_of() -> dict[str, str]:
    return _reference_pairs("code", "level")


def parse_addresses(addresses: pd.Series, within: pd.Series | None = None) -> pd.DataFrame:
    """The units an address names, for addresses anywhere in China and abroad.

    Spaces and full-width characters are normalised; a leading postcode and 中国 are skipped.
    The province, the prefecture-level city and the county-level unit are read from their names
    (full names anywhere; a short name right after its province or city: 上海松江九亭镇, not
    金水路); a unit that no longer exists (上海市闸北区) is its successor today. An address that
    starts with a country's name (美国加利福尼亚州, 日本国东京都) is abroad. ``within`` (one
    province or city code per address, e.g. from 国省代码) tells apart units that share a name.
    ``addresses`` is not changed.

    Returns
    -------
    pandas.DataFrame
        Aligned to ``addresses``: ``code`` (the most specific unit, as it is now; for an
        address abroad the country), ``written_code`` (the unit as the address names it,
        historical or not), ``province``, ``prefecture`` and ``county`` (codes as they are now,
        <NA> where the address does not tell; a municipality's districts have no prefecture) and
        ``country`` (CN for the mainland, HK, MO, TW or a foreign ISO 3166 code).

    >>> parse_addresses(pd.Series(["上海市闸北区共和新路", "450046河南省郑州市郑东新区", "美国加州"]))[
    ...     ["code", "written_code", "province", "prefecture", "county", "country"]].values.tolist()
    [['310106', '310108', '310000', <NA>, '310106', 'CN'], ['410100', '410100', '410000', '410100', <NA>, 'CN'], ['US', <NA>, <NA>, <NA>, <NA>, 'US']]
    """
    clean = (
        addresses.astype("string")
        .str.normalize("NFKC")
        .str.replace(_SPACES.pattern, "", regex=True)
    )
    hints = (
        pd.Series("", index=addresses.index, dtype="string")
        if within is None
        else within.astype("string").fillna("")
    )
    pairs = pd.DataFrame({"text": clean, "hint": hints})
    distinct = pairs.dropna(subset=["text"]).drop_duplicates()
    parsed = {
        (t, h): _parse(t, (h,) if h else ())
        for t, h in zip(distinct["text"], distinct["hint"], strict=True)
    }
    found = [
        parsed.get((t, h), (None, None)) for t, h in zip(pairs["text"], pairs["hint"], strict=True)
    ]
    written = pd.Series([w for w, _ in found], index=addresses.index, dtype="string")
    country = pd.Series([c for _, c in found], index=addresses.index, dtype="string")
    mapping = {code: _levels(code) for code in written.dropna().unique()}
    levels = pd.DataFrame(
        [mapping.get(code, (pd.NA,) * 4) if pd.notna(code) else (pd.NA,) * 4 for code in written],
        index=addresses.index,
        columns=["code", "province", "prefecture", "county"],
        dtype="string",
    )
    outside = {f"{prefix}0000": c for prefix, c in NOT_MAINLAND.items()}  # 710000: TW …
    country = country.mask(levels["province"].isin(list(outside)), None)
    country = country.fillna(levels["province"].map(outside))
    code = levels["code"].fillna(country.where(~country.isin(["CN", "HK", "MO", "TW"])))
    return pd.DataFrame(
        {
            "code": code,
            "written_code": written,
            "province": levels["province"],
            "prefecture": levels["prefecture"],
            "county": levels["county"],
            "country": country,
        },
        index=addresses.index,
    )


def _levels(code: str) -> tuple:
    """(unit now, its province, prefecture, county) of a unit as written."""
    now = current_code(code)
    levels = _level_of()
    units = {levels.get(c): c for c in _ancestors(now)}
    return (
        now,
        units.get("province", pd.NA),
        units.get("prefecture", pd.NA),
        units.get("district", pd.NA),
    )


def district_from_address(addresses: pd.Series) -> pd.Series:
    """The most specific unit each address names, as it is now: the county-level unit, else the
    prefecture-level city, else the province, else (abroad) the country code, else <NA>.

    See :func:`parse_addresses`; an address that starts with a province is read inside it even
    if it mentions, say, 普陀区 (浙江省舟山市普陀区 is 330903, not Shanghai's 310107).
    ``addresses`` is not changed.

    >>> district_from_address(pd.Series([
    ...     "上海市松江区九亭镇涞寅路1号", "上海松江区新桥镇", "201203 上海市浦东新区张江路",
    ...     "上海市闸北区共和新路", "河南省郑州市金水区", "浙江省舟山市普陀区", "上海市", "东京都", None,
    ... ])).tolist()
    ['310117', '310117', '310115', '310106', '410105', '330903', '310000', <NA>, <NA>]
    """
    return parse_addresses(addresses)["code"].rename(addresses.name)


def region_levels(codes: pd.Series) -> pd.DataFrame:
    """The province, prefecture-level city and county-level unit each code lies in (codes in
    force now; <NA> where a level does not apply or the code is not a Chinese unit); aligned to
    ``codes``, which is not changed.

    >>> region_levels(pd.Series(["320583", "310117", "410100", "US", None])).values.tolist()
    [['320000', '320500', '320583'], ['310000', <NA>, '310117'], ['410000', '410100', <NA>], [<NA>, <NA>, <NA>], [<NA>, <NA>, <NA>]]
    """
    known = set(_level_of())
    mapping = {
        code: _levels(code)[1:] if code in known else (pd.NA,) * 3
        for code in codes.dropna().unique()
    }
    rows = [mapping[code] if pd.notna(code) else (pd.NA,) * 3 for code in codes]
    return pd.DataFrame(
        rows, index=codes.index, columns=["province", "prefecture", "county"], dtype="string"
    )
