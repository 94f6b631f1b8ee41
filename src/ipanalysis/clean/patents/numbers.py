"""Application numbers (ZC 0006-2003, check digit kept), the record's key, and patent types."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ipanalysis.vocabulary import halfwidth

from .cells import _add_issues, _column, _quoted

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


def _check_digits(digits: pd.Series, length: int) -> pd.Series:
    """ZC 0006-2003 check digit of each number of ``length`` digits: weighted sum mod 11, 10 → X."""
    total = pd.Series(0, index=digits.index, dtype="int64")
    for position, weight in enumerate(_WEIGHTS[length]):
        total += digits.str[position].astype("int64") * weight
    remainder = total % 11
    return remainder.astype("str").replace("10", "X")


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
    text = halfwidth(raw).str.upper().str.replace(r"[ \t\r\n\xa0]+", "", regex=True)
    parts = text.str.extract(r"^(?:ZL|CN)?([0-9]{12}|[0-9]{8})(?:[.·•]?([0-9X]))?$")
    digits, check = parts[0], parts[1]
    length = digits.str.len()
    year = pd.Series(np.nan, index=frame.index)
    long_, short = length == 12, length == 8
    year = year.mask(long_, pd.to_numeric(digits.str[:4], errors="coerce"))
    two = pd.to_numeric(digits.str[:2], errors="coerce")
    year = year.mask(short, two + np.where(two >= 85, 1900, 2000))
    # 12-digit numbers began on 2003-10-01; the 8-digit ones ran from 1985 to 2003
    bad_year = (long_ & (year < 2003)) | (short & ~year.between(1985, 2003))
    malformed = raw.notna() & (digits.isna() | bad_year)
    expected = pd.Series(np.nan, index=frame.index, dtype="str")
    for size in (12, 8):
        rows = (length == size) & ~bad_year
        if rows.any():
            expected = expected.mask(rows, _check_digits(digits[rows], size))
    mismatch = ~malformed & check.notna() & expected.notna() & (check != expected)
    type_digit = digits.str[4].where(long_, digits.str[2])
    ok = digits.notna() & ~malformed & ~mismatch
    publication = _publication_numbers(frame)
    key = ("CN" + digits).where(ok).fillna(publication.where(raw.isna()))
    office = publication.str.extract(r"^([A-Z]{2})")[0].where(publication.notna())
    out = frame.assign(
        **{
            column: ("CN" + digits + "." + expected).where(ok),
            "application_key": key,
            "type_from_number": type_digit.map(_NUMBER_TYPES).where(ok).astype("str"),
            "pct_national_phase": type_digit.isin(["8", "9"]).astype("boolean").where(ok, pd.NA),
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
        malformed,
        column,
        "not an application number: " + _quoted(raw) + " (expected e.g. CN202223220665.2)",
    )
    return _add_issues(
        out,
        mismatch,
        column,
        "check digit '" + check + "' does not match " + digits + " (expected '" + expected + "')",
    )


def _publication_numbers(frame: pd.DataFrame) -> pd.Series:
    """Publication numbers in one spelling: upper case, no spaces or dots (CN116245100A)."""
    text = halfwidth(_column(frame, "publication_number")).str.upper()
    return text.str.replace(r"[\s.\xa0]+", "", regex=True)


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
    text = halfwidth(_column(frame, "patent_type"))
    mapping = {value: _type_of_text(value) for value in text.dropna().unique()}
    from_text = text.map(mapping).astype("str")
    from_number = _column(frame, "type_from_number")
    # a CN publication's kind code tells the type where no application number does
    kind = _publication_numbers(frame).str.extract(r"^CN[0-9]+([A-Z])[0-9]?$")[0]
    from_number = from_number.fillna(kind.map(_KIND_TYPES).astype("str"))
    unknown = text.notna() & from_text.isna()
    clash = from_text.notna() & from_number.notna() & (from_text != from_number)
    keyed = _column(frame, "application_number").notna() | _column(frame, "application_key").notna()
    untold = text.isna() & from_number.isna() & keyed
    resolved = from_text.where(text.notna(), from_number).mask(unknown | clash)
    out = frame.assign(patent_type=resolved.astype("str"))
    out = _add_issues(
        out,
        unknown,
        "patent_type",
        "unknown patent type " + _quoted(text) + " (expected 发明, 实用新型 or 外观设计)",
    )
    out = _add_issues(
        out,
        clash,
        "patent_type",
        "patent type "
        + _quoted(text)
        + " contradicts the application number "
        + _column(frame, "application_number")
        + " (a "
        + from_number.map(_TYPE_NAMES_ZH).astype("str")
        + " number)",
    )
    return _add_issues(
        out,
        untold,
        "application_number",
        "the patent type is not given and neither the application number's type digit nor the "
        "publication's kind code tells it",
    )
