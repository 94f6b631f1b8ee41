"""Shared text normalisation for cleaning: full-width characters, missing markers, numbers
stored as text, and units written into headers or cells.

Every function takes a Series and returns a new one (the input is not changed); non-text
values (numbers read from Excel, missing values) pass through where that makes sense.

Missing markers
    A cell whose text, after :func:`normalise_text`, is one of
    :data:`ipanalysis.vocabulary.MISSING_MARKERS` (compared lower-cased) is *missing*: never
    zero. ``x``, ``无`` or ``0`` are deliberately **not** markers (see :mod:`ipanalysis.vocabulary`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import InputError
from ..vocabulary import FULLWIDTH as _FULLWIDTH
from ..vocabulary import MISSING_MARKERS

_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
# a space between two Chinese characters is layout (a line break in a header cell, 地  区)
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")
# a comma between digits that is followed by exactly three digits: a thousands separator
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

_MULTIPLIERS = {"": 1.0, "十": 10.0, "百": 1e2, "千": 1e3, "万": 1e4, "十万": 1e5}
_MULTIPLIERS |= {"百万": 1e6, "千万": 1e7, "亿": 1e8, "万亿": 1e12}
#: Base units that count things: a negative value in one of these is an error.
COUNT_UNITS = (
    "件",
    "项",
    "个",
    "人次",
    "人",
    "户",
    "家",
    "所",
    "台",
    "套",
    "次",
    "篇",
    "部",
    "册",
    "株",
    "辆",
    "座",
    "名",
    "条",
    "份",
)
_BASES = (*COUNT_UNITS, "美元", "元", "吨", "公斤", "千克", "平方米", "平方公里", "公顷", "亩")
_MULT = "|".join(sorted((m for m in _MULTIPLIERS if m), key=len, reverse=True))
_BASE = "|".join(sorted(_BASES, key=len, reverse=True))
_SIMPLE = rf"(?:{_MULT})?(?:{_BASE})"
#: A unit as written in Chinese releases: 件, 万元, 亿美元, 件/万人, %, ‰, 百分点, 倍.
UNIT_PATTERN = rf"(?:{_SIMPLE}(?:/{_SIMPLE})?|%|‰|百分点|倍)"
_UNIT = re.compile(rf"(?P<mult>{_MULT})?(?P<base>{_BASE})")
_UNIT_IN_HEADER = re.compile(
    rf"^(?P<label>.*?)\s*(?:[(\[]\s*(?:计量)?(?:单位[:：]?\s*)?(?P<paren>{UNIT_PATTERN})\s*[)\]]"
    rf"|[,，;；]?\s*(?:计量)?单位[:：]\s*(?P<plain>{UNIT_PATTERN}))\s*$"
)
_NUMBER_WITH_UNIT = re.compile(rf"^(?P<number>.*?\d\.?)\s*(?P<unit>{UNIT_PATTERN})$")


def to_halfwidth(values: pd.Series) -> pd.Series:
    """Full-width digits, Latin letters, punctuation and spaces as their ASCII forms.

    Only the full-width block and the ideographic space change; other characters (Chinese, ①,
    —, …) are kept. Non-text values pass through.

    >>> to_halfwidth(pd.Series(["１２，３４５．６", "（万元）", "松江区　", 7])).tolist()
    ['12,345.6', '(万元)', '松江区 ', 7]
    """
    return values.map(lambda v: v.translate(_FULLWIDTH) if isinstance(v, str) else v)


def normalise_text(values: pd.Series) -> pd.Series:
    """:func:`to_halfwidth`, zero-width characters removed, runs of spaces (and line breaks in a
    cell) made one space, spaces between two Chinese characters removed, and outer spaces
    stripped. Non-text values pass through.

    >>> normalise_text(pd.Series(["　专利\\n授权量 ", "\\ufeff地  区", "Pudong  New Area", 3])).tolist()
    ['专利授权量', '地区', 'Pudong New Area', 3]
    """

    def clean(value):
        if not isinstance(value, str):
            return value
        value = _ZERO_WIDTH.sub("", value.translate(_FULLWIDTH))
        return _CJK_GAP.sub("", _SPACES.sub(" ", value)).strip()

    return values.map(clean)


def is_missing(values: pd.Series, *, markers: frozenset[str] = MISSING_MARKERS) -> pd.Series:
    """True where a value is absent (None/NaN) or its text is a missing marker.

    >>> is_missing(pd.Series(["—", " … ", "－", "空白", "", None, "0", 0, "x"])).tolist()
    [True, True, True, True, True, True, False, False, False]
    """
    text = normalise_text(values)
    return pd.Series(
        [
            v is None or (isinstance(v, float) and np.isnan(v)) or str(v).lower() in markers
            for v in text
        ],
        index=values.index,
        dtype=bool,
    )


def parse_numbers(
    values: pd.Series,
    *,
    markers: frozenset[str] = MISSING_MARKERS,
    errors: str = "raise",
) -> pd.Series:
    """Floats from numbers stored as text or as numbers; missing markers become NaN, never 0.

    Text may use full-width digits and punctuation, thousands separators (``12,345``), a sign and
    surrounding spaces. ``errors="raise"`` raises :class:`InputError` on the first value that is
    neither a number nor a missing marker; ``errors="coerce"`` makes it NaN (use
    :func:`is_missing` to tell the two apart).

    >>> parse_numbers(pd.Series(["１２，３４５", "1,234,567.8", " 42 ", "—", "-3.5", 7, None])).tolist()
    [12345.0, 1234567.8, 42.0, nan, -3.5, 7.0, nan]
    >>> parse_numbers(pd.Series(["12", "abc"]))
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: expected a number or a missing marker such as —, found 'abc' (index 1)
    >>> parse_numbers(pd.Series(["12", "abc", "1,23"]), errors="coerce").tolist()
    [12.0, nan, nan]
    """
    if errors not in ("raise", "coerce"):
        raise ValueError(f"errors must be 'raise' or 'coerce', not {errors!r}")
    # positional throughout, so that any index (duplicated labels too) comes back unchanged
    text = normalise_text(values).reset_index(drop=True)
    out = np.full(len(text), np.nan)
    numeric = text.map(
        lambda v: isinstance(v, int | float | np.number) and not isinstance(v, bool)
    ).to_numpy(dtype=bool)
    out[numeric] = text[numeric].astype(float).to_numpy()
    is_text = text.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    candidates = np.flatnonzero(
        is_text & ~text.astype("str").str.lower().isin(list(markers)).to_numpy(dtype=bool)
    )
    cleaned = text.iloc[candidates].astype(str).str.replace(_THOUSANDS, "", regex=True)
    good = cleaned.str.fullmatch(_NUMBER.pattern).to_numpy(dtype=bool)
    out[candidates[good]] = cleaned[good].astype(float).to_numpy()
    if errors == "raise":
        other = ~numeric & ~is_text & text.notna().to_numpy(dtype=bool)
        bad = sorted([*candidates[~good], *np.flatnonzero(other)])
        if bad:
            found = text.iloc[bad[:1]].tolist()[0]
            raise InputError(
                "expected a number or a missing marker such as —, "
                f"found {found!r} (index {values.index[bad[0]]})"
            )
    return pd.Series(out, index=values.index)


def split_unit(header: str) -> tuple[str, str | None]:
    """A header's label and the unit written into it, or ``(header, None)`` when it names none.

    >>> split_unit("年末常住人口(万人)"), split_unit("地区生产总值（亿元）")
    (('年末常住人口', '万人'), ('地区生产总值', '亿元'))
    >>> split_unit("每万人口发明专利拥有量（件/万人）"), split_unit("单位：件")
    (('每万人口发明专利拥有量', '件/万人'), ('', '件'))
    >>> split_unit("增长(%)"), split_unit("省(区、市)")
    (('增长', '%'), ('省(区、市)', None))
    """
    text = normalise_text(pd.Series([header])).iloc[0]
    match = _UNIT_IN_HEADER.match(text)
    if not match:
        return text, None
    return match["label"], match["paren"] or match["plain"]


def split_number_unit(values: pd.Series) -> pd.DataFrame:
    """Split cells such as ``"3,500万元"`` into the number text and the unit (<NA> when none).

    Other cells are returned as they are in ``number``, for :func:`parse_numbers`.

    >>> split_number_unit(pd.Series(["1.2亿元", "3,500 万元", "12", "—", 5])).values.tolist()
    [['1.2', '亿元'], ['3,500', '万元'], ['12', <NA>], ['—', <NA>], [5, <NA>]]
    """
    text = normalise_text(values).reset_index(drop=True)  # positional: any index comes back
    is_text = text.map(lambda v: isinstance(v, str))
    found = text.where(is_text).astype("string").str.extract(_NUMBER_WITH_UNIT)
    number = text.to_numpy(dtype=object).copy()
    has_unit = found["unit"].notna().to_numpy(dtype=bool)
    number[has_unit] = found["number"][has_unit].to_numpy(dtype=object)
    return pd.DataFrame(
        {"number": number, "unit": found["unit"].astype("string").array}, index=values.index
    )


def _parse_unit(unit: str) -> tuple[float, str, float, str] | None:
    """(multiplier, base, per-multiplier, per-base) of a unit such as 万元 or 件/万人."""
    top, _, bottom = unit.partition("/")
    first = _UNIT.fullmatch(top)
    if first is None:
        return None
    second = _UNIT.fullmatch(bottom) if bottom else None
    if bottom and second is None:
        return None
    return (
        _MULTIPLIERS[first["mult"] or ""],
        first["base"],
        _MULTIPLIERS[second["mult"] or ""] if second else 1.0,
        second["base"] if second else "",
    )


def unit_factor(from_unit: str, to_unit: str) -> float | None:
    """The factor that turns a value in ``from_unit`` into ``to_unit``, or None when the two
    measure different things (件 and 元) or either is not a unit this module knows.

    >>> unit_factor("万元", "亿元"), unit_factor("亿元", "万元"), unit_factor("人", "万人")
    (0.0001, 10000.0, 0.0001)
    >>> unit_factor("件/万人", "件/人"), unit_factor("件", "元"), unit_factor("%", "%")
    (0.0001, None, 1.0)
    """
    if from_unit == to_unit:
        return 1.0
    a, b = _parse_unit(from_unit), _parse_unit(to_unit)
    if a is None or b is None or (a[1], a[3]) != (b[1], b[3]):
        return None
    return float(np.float64(a[0] / a[2]) / np.float64(b[0] / b[2]))


def is_count_unit(unit: str | None) -> bool:
    """Whether a unit counts things (件, 万件, 项, 人 …), where a negative value is impossible.

    >>> is_count_unit("万件"), is_count_unit("万元"), is_count_unit("件/万人"), is_count_unit(None)
    (True, False, False, False)
    """
    if not unit:
        return False
    parsed = _parse_unit(unit)
    return parsed is not None and parsed[1] in COUNT_UNITS and not parsed[3]


def region_option(region: str | None) -> str | None:
    """The code of a ``region=`` option (any spelling :mod:`ipanalysis.regions` accepts); None
    when not given.

    Raises
    ------
    InputError
        The region is unknown or ambiguous, naming the option.
    """
    if region is None or str(region).strip() == "":
        return None
    from ..regions import resolve_region

    try:
        return resolve_region(str(region))
    except InputError as error:
        raise InputError(f"--region / region=: {error}") from None
