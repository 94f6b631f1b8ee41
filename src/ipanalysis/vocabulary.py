"""The one list of the words and signs every reader interprets: missing markers, true/false words
and full-width characters.

Readers of statistical tables, patent exports, manifests and notebook parameters all read cells
through these, so a sign means the same thing wherever it appears.

Missing markers
    A cell whose text (full-width forms turned to ASCII, outer spaces stripped, compared without
    regard to case) is one of :data:`MISSING_MARKERS` is *missing*: never zero. They are the
    blank cell, the signs Chinese statistical releases and platform exports use for "no figure"
    (—, ——, -, --, –, …, ……, /, 空白, NA, N/A, #N/A) and the texts databases and pandas write for a
    missing value (nan, none, null, <NA>, NaT). ``x``, ``无`` and ``0`` are deliberately **not**
    markers: ``无`` may mean "none" (zero) and ``x`` is more often a typo than a convention in these
    files, so a reader reports them instead of guessing.

>>> is_missing_text("—"), is_missing_text(" N/A "), is_missing_text("无"), is_missing_text("0")
(True, True, False, False)
>>> to_halfwidth("１２，３４５．６（万元）　")
'12,345.6(万元) '
>>> parse_flag("是"), parse_flag("F"), parse_flag("maybe")
(True, False, None)
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

#: Texts read as "no figure", lower-cased (compare ``text.strip().lower()`` after
#: :func:`to_halfwidth`).
MISSING_MARKERS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "—",
        "——",
        "–",
        "―",
        "――",
        "…",
        "……",
        "...",
        "......",
        "/",
        "空白",
        "na",
        "n/a",
        "#n/a",
        "nan",
        "none",
        "null",
        "<na>",
        "nat",
    }
)

#: Words read as true and as false (lower-cased), in data files and in parameters given as text.
TRUE_WORDS: frozenset[str] = frozenset({"true", "t", "1", "yes", "y", "是"})
FALSE_WORDS: frozenset[str] = frozenset({"false", "f", "0", "no", "n", "否"})

# Full-width forms (U+FF01–U+FF5E: digits, Latin letters, ，．（）：％ …) and the ideographic space
# map to ASCII. NFKC does exactly that for these characters, but applied to whole strings it would
# also turn a footnote mark ① into 1 (so "1,234①" would read as 12341) and … into "...", so it is
# applied to this block only.
FULLWIDTH: dict[int, str] = {
    code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFF01, 0xFF5F)
} | {0x3000: " "}
#: A regular expression matching any character that :data:`FULLWIDTH` changes.
FULLWIDTH_PATTERN = r"[\u3000\uff01-\uff5e]"
_FULLWIDTH_RE = re.compile(FULLWIDTH_PATTERN)


def to_halfwidth(text: str) -> str:
    """Full-width digits, Latin letters, punctuation and spaces as their ASCII forms."""
    return text.translate(FULLWIDTH)


def halfwidth(values: pd.Series) -> pd.Series:
    """:func:`to_halfwidth` of every text value; other values (numbers, missing) pass through.

    Only rows holding a full-width character are touched, so a large column of plain text costs
    one vectorised scan.

    >>> halfwidth(pd.Series(["１２，３４５", "松江区　", 7, None])).tolist()
    ['12,345', '松江区 ', 7, None]
    """
    if pd.api.types.is_string_dtype(values.dtype) and not isinstance(values.dtype, pd.StringDtype):
        wide = values.map(lambda v: isinstance(v, str) and _FULLWIDTH_RE.search(v) is not None)
    else:
        wide = values.astype("str").str.contains(FULLWIDTH_PATTERN, regex=True, na=False)
    wide = wide.fillna(False).astype(bool)
    if not wide.any():
        return values
    return values.mask(wide, values[wide].map(to_halfwidth))


def is_missing_text(value: object) -> bool:
    """Whether one value is absent or a missing marker (see the module docstring)."""
    if value is None or (isinstance(value, float) and value != value):
        return True
    if not isinstance(value, str):
        return False
    return to_halfwidth(value).strip().lower() in MISSING_MARKERS


def missing_mask(text: pd.Series) -> pd.Series:
    """True where a text Series is missing or holds a missing marker (vectorised).

    ``text`` should already be half-width; it is stripped and lower-cased here.

    >>> missing_mask(pd.Series(["—", " NULL ", "x", None])).tolist()
    [True, True, False, True]
    """
    return text.isna() | text.astype("str").str.strip().str.lower().isin(MISSING_MARKERS)


def parse_flag(value: object) -> bool | None:
    """True or False for a true/false word (:data:`TRUE_WORDS`, :data:`FALSE_WORDS`), else None."""
    if isinstance(value, bool):
        return value
    text = to_halfwidth(str(value)).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def flag_words(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Masks (true, false) of a lower-cased text Series against the true/false words."""
    return text.isin(TRUE_WORDS), text.isin(FALSE_WORDS)
