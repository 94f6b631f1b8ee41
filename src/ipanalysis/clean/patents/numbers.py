"""Application numbers (ZC 0006-2003, check digit kept), the record's key, and patent types."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa

from ipanalysis.vocabulary import halfwidth

from .cells import (
    _add_issues,
    _column,
    _column_as,
    _extract,
    _per_value,
    _plain_text,
    _present,
    _put,
    _quoted,
)

_NUMBER_TYPES = {
    "1": "invention",
    "8": "invention",
    "2": "utility_model",
    "9": "utility_model",
    "3": "design",
}


_TYPE_WORDS = {
    "发明": "invention",
    "发明专利": "invention",
    "发明授权": "invention",
    "发明公开": "invention",
    "发明申请": "invention",
    "授权发明": "invention",
    "发明专利申请": "invention",
    "invention": "invention",
    "实用新型": "utility_model",
    "实用新型专利": "utility_model",
    "utility_model": "utility_model",
    "utilitymodel": "utility_model",
    "外观设计": "design",
    "外观设计专利": "design",
    "外观": "design",
    "design": "design",
}


#: Chinese publication kind codes and the patent type they publish.
_KIND_TYPES = {"A": "invention", "B": "invention", "C": "invention", "U": "utility_model"}
_KIND_TYPES |= {"Y": "utility_model", "S": "design", "D": "design"}
_TYPE_NAMES_ZH = {"invention": "发明", "utility_model": "实用新型", "design": "外观设计"}


_WEIGHTS = {12: (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), 8: (2, 3, 4, 5, 6, 7, 8, 9)}
#: Check signs by remainder (10 → X), then missing.
_CHECK_SIGNS = pd.Series([*"0123456789X", np.nan], dtype="str")
#: Types by type digit, then missing.
_DIGIT_TYPES = pd.Series(
    [_NUMBER_TYPES.get(str(d), np.nan) for d in range(10)] + [np.nan], dtype="str"
)


def _digit_matrix(digits: pd.Series) -> np.ndarray:
    """Numbers of one length in ASCII digits as an (n, length) array of their digits.

    >>> _digit_matrix(pd.Series(["2022", "1985"])).tolist()
    [[2, 0, 2, 2], [1, 9, 8, 5]]
    """
    array = pa.array(digits, type=pa.large_string(), from_pandas=True)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if len(array) == 0:
        return np.zeros((0, 0), dtype=np.int64)
    _, offsets, data = array.buffers()
    starts = np.frombuffer(offsets, dtype=np.int64)[array.offset : array.offset + len(array)]
    length = len(digits.iloc[0])
    matrix = np.frombuffer(data, dtype=np.uint8)[starts[:, None] + np.arange(length)]
    return matrix.astype(np.int64) - 48


def _read_numbers(raw: pd.Series) -> pd.DataFrame:
    """What each application number text (stripped, missing as missing) says: the number with
    its check digit, the key, the type digit's type, and why it is malformed or mismatched."""
    # most exports write CN202223220665.2: sliced; the other spellings read by a pattern
    canonical = raw.str.fullmatch(r"CN[0-9]{12}\.[0-9X]", na=False)
    other = raw.notna() & ~canonical
    digits = raw.str.slice(2, 14).where(canonical)
    check = raw.str.slice(15).where(canonical)
    if other.any():
        text = halfwidth(raw[other]).str.upper().str.replace(r"[ \t\r\n\xa0]+", "", regex=True)
        parts = _extract(text, r"^(?:ZL|CN)?([0-9]{12}|[0-9]{8})(?:[.·•]?([0-9X]))?$")
        digits, check = _put(digits, other, parts[0]), _put(check, other, parts[1])
    length = digits.str.len()
    # year (12-digit numbers began on 2003-10-01; the 8-digit ones ran from 1985 to 2003),
    # type digit and check digit, from the digits
    year = np.full(len(raw), np.nan)
    type_digit = np.full(len(raw), 10)
    remainder = np.full(len(raw), 11)
    for size, first_digits, type_position in ((12, 4, 4), (8, 2, 2)):
        rows = (length == size).to_numpy(dtype=bool)
        if not rows.any():
            continue
        matrix = _digit_matrix(digits[rows])
        lead = matrix[:, :first_digits] @ (10 ** np.arange(first_digits - 1, -1, -1))
        year[rows] = lead if size == 12 else lead + np.where(lead >= 85, 1900, 2000)
        type_digit[rows] = matrix[:, type_position]
        remainder[rows] = (matrix @ np.array(_WEIGHTS[size])) % 11
    year = pd.Series(year, index=raw.index)
    bad_year = ((length == 12) & (year < 2003)) | ((length == 8) & ~year.between(1985, 2003))
    malformed = raw.notna() & (digits.isna() | bad_year)
    expected = _CHECK_SIGNS.take(remainder).set_axis(raw.index).mask(bad_year)
    mismatch = ~malformed & check.notna() & expected.notna() & (check != expected)
    ok = digits.notna() & ~malformed & ~mismatch
    return pd.DataFrame(
        {
            "number": _put(raw, other, "CN" + digits[other] + "." + expected[other]).where(ok),
            "key": _put(raw.str.slice(0, 14), other, "CN" + digits[other]).where(ok),
            "type": _DIGIT_TYPES.take(type_digit).set_axis(raw.index).where(ok),
            "pct": pd.Series(np.isin(type_digit, (8, 9)), index=raw.index, dtype="boolean").where(
                ok, pd.NA
            ),
            "malformed": malformed,
            "mismatch": mismatch,
            "digits": digits,
            "check": check,
            "expected": expected,
        }
    )


def normalise_application_numbers(
    frame: pd.DataFrame, column: str = "application_number"
) -> pd.DataFrame:
    """Application numbers as ``'CN'`` + 12 (or, before 2003, 8) digits + ``.`` + check digit,
    with the record's key and the type the number implies.

    Accepts a ``CN`` or ``ZL`` prefix, spaces, full-width characters and a check digit with or
    without its dot (``·`` too); a number written without its check digit gets it computed.
    Adds ``application_key`` (the number without check digit, for joins; where the row has no
    application number, its publication number: such exports are keyed on it),
    ``type_from_number`` (invention / utility_model / design, from the type digit: 1 or 8
    invention, 2 or 9 utility model, 3 design), ``pct_national_phase`` (type digit 8 or 9) and
    ``office`` (CN for an application number, else the publication's country prefix). A
    malformed number, a check digit that does not match, or a row with neither number is left
    missing with an entry in ``issues``. The input is not changed.

    >>> raw = pd.DataFrame({"application_number": [
    ...     "CN202223220665.2", "ｃｎ２０２１２１６３５２３５．Ｘ", "ZL 2022 1 1740332.4", "97101765.4",
    ...     "2022232206659", "CN20221174", None, None],
    ...     "publication_number": [None, None, None, None, None, None, "CN109808866B", None]})
    >>> out = normalise_application_numbers(raw)
    >>> out[["application_number", "application_key", "type_from_number", "office"]].values.tolist()
    [['CN202223220665.2', 'CN202223220665', 'utility_model', 'CN'], ['CN202121635235.X', 'CN202121635235', 'utility_model', 'CN'], ['CN202211740332.4', 'CN202211740332', 'invention', 'CN'], ['CN97101765.4', 'CN97101765', 'invention', 'CN'], [nan, nan, nan, 'CN'], [nan, nan, nan, 'CN'], [nan, 'CN109808866B', nan, 'CN'], [nan, nan, nan, nan]]
    >>> print("\\n".join(out["issues"].dropna()))
    application_number: check digit '9' does not match 202223220665 (expected '2')
    application_number: not an application number: 'CN20221174' (expected e.g. CN202223220665.2)
    application_number: no application number and no publication number to key the record on
    """
    raw = _column(frame, column)
    read = _per_value(raw, _read_numbers)
    publication = _publication_numbers(frame)
    office = _per_value(publication, lambda p: _extract(p, r"^([A-Z]{2})")[0])
    out = frame.assign(
        **{
            column: read["number"],
            "application_key": read["key"].fillna(publication.where(raw.isna())),
            "type_from_number": read["type"],
            "pct_national_phase": read["pct"],
            "office": office.mask(raw.notna(), "CN").fillna(_column(frame, "office")),
        }
    )
    out = _add_issues(
        out,
        raw.isna() & publication.isna(),
        column,
        "no application number and no publication number to key the record on",
    )
    out = _add_issues(
        out,
        read["malformed"],
        column,
        lambda rows: (
            "not an application number: " + _quoted(raw[rows]) + " (expected e.g. CN202223220665.2)"
        ),
    )
    return _add_issues(
        out,
        read["mismatch"],
        column,
        lambda rows: (
            "check digit '"
            + read["check"][rows]
            + "' does not match "
            + read["digits"][rows]
            + " (expected '"
            + read["expected"][rows]
            + "')"
        ),
    )


def _publication_numbers(frame: pd.DataFrame) -> pd.Series:
    """Publication numbers in one spelling: upper case, no spaces or dots (CN116245100A)."""
    if "publication_number" not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype="str")

    def spelled(numbers: pd.Series) -> pd.Series:
        text = halfwidth(_plain_text(numbers)).str.upper()
        return text.str.replace(r"[\s.\xa0]+", "", regex=True)

    return _per_value(frame["publication_number"], spelled)


def _type_of_text(text: str) -> str | None:
    """invention / utility_model / design for a 专利类型 text, None when unknown or mixed."""
    words = [w for w in re.split(r"[;,，；/|、\s]+", text.casefold()) if w]
    kinds = {_TYPE_WORDS.get(w) for w in words}
    return kinds.pop() if len(kinds) == 1 and None not in kinds else None


def resolve_patent_types(frame: pd.DataFrame) -> pd.DataFrame:
    """``patent_type`` (invention / utility_model / design) from 专利类型 text or the number.

    Reads the ``patent_type`` text (发明, 发明公开, 发明授权, ``发明公开;发明授权``, 实用新型, 外观设计,
    or the canonical words) and cross-checks it with ``type_from_number`` (see
    :func:`normalise_application_numbers`); where no text is given the number decides. Unknown text,
    a contradiction, or neither source telling the type is an ``issues`` entry. The input is not
    changed.

    >>> raw = pd.DataFrame({
    ...     "application_number": ["CN202211359874", "CN202223220665", "CN202233000001", "CN202210000001"],
    ...     "patent_type": ["发明公开;发明授权", None, "发明", "专利"],
    ...     "type_from_number": ["invention", "utility_model", "design", "invention"]})
    >>> out = resolve_patent_types(raw)
    >>> out["patent_type"].tolist()
    ['invention', 'utility_model', nan, nan]
    >>> print("\\n".join(out["issues"].dropna()))
    patent_type: patent type '发明' contradicts the application number CN202233000001 (a 外观设计 number)
    patent_type: unknown patent type '专利' (expected 发明, 实用新型 or 外观设计)
    """
    text = _column_as(frame, "patent_type", halfwidth)
    from_text = _per_value(
        text, lambda t: t.map(lambda v: _type_of_text(v) if isinstance(v, str) else None)
    ).astype("str")
    from_number = _column(frame, "type_from_number")
    # a CN publication's kind code tells the type where no application number does
    kind_type = _per_value(
        _publication_numbers(frame),
        lambda p: _extract(p, r"^CN[0-9]+([A-Z])[0-9]?$")[0].map(_KIND_TYPES).astype("str"),
    )
    from_number = from_number.fillna(kind_type)
    unknown = text.notna() & from_text.isna()
    clash = from_text.notna() & from_number.notna() & (from_text != from_number)
    keyed = _present(frame, "application_number") | _present(frame, "application_key")
    untold = text.isna() & from_number.isna() & keyed
    resolved = from_text.where(text.notna(), from_number).mask(unknown | clash)
    out = frame.assign(patent_type=resolved.astype("str"))
    out = _add_issues(
        out,
        unknown,
        "patent_type",
        lambda rows: (
            "unknown patent type " + _quoted(text[rows]) + " (expected 发明, 实用新型 or 外观设计)"
        ),
    )
    out = _add_issues(
        out,
        clash,
        "patent_type",
        lambda rows: (
            "patent type "
            + _quoted(text[rows])
            + " contradicts the application number "
            + _column(frame[rows], "application_number")
            + " (a "
            + from_number[rows].map(_TYPE_NAMES_ZH).astype("str")
            + " number)"
        ),
    )
    return _add_issues(
        out,
        untold,
        "application_number",
        "the patent type is not given and neither the application number's type digit nor the "
        "publication's kind code tells it",
    )
