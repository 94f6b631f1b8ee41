"""IPC symbols and the strategic-emerging-industry flag."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ipanalysis.vocabulary import halfwidth

from .cells import _add_issues, _by_distinct_rows, _column, _flags, _quoted

_IPC = r"[A-H][0-9]{2}[A-Z](?:[0-9]{1,4}(?:/[0-9]{1,6})?)?"


def split_ipc(frame: pd.DataFrame) -> pd.DataFrame:
    """``ipc`` as IPC symbols ``;``-joined, main class first, in one spelling.

    Symbols are found in ``ipc`` whatever separates them (``;``, ``,``, spaces, new lines), upper
    case, without internal spaces or version suffixes (``G06F 16/00 (2019.01)`` → ``G06F16/00``).
    The main class (``ipc_main``, 主分类号) is put first when it is not already. Text holding no
    IPC symbol is an ``issues`` entry. The input is not changed.

    >>> raw = pd.DataFrame({
    ...     "ipc": ["B64U20/80;B64U101/30", "h04l 9/40, H04L43/02 (2022.01)", "G06F16/31", "none yet", None],
    ...     "ipc_main": ["B64U20/80", "H04L43/02", "G06F40/289", None, "G01N33/00"]})
    >>> out = split_ipc(raw)
    >>> out["ipc"].tolist()
    ['B64U20/80;B64U101/30', 'H04L43/02;H04L9/40', 'G06F40/289;G06F16/31', nan, 'G01N33/00']
    >>> out["issues"].dropna().tolist()
    ["ipc: no IPC symbol in 'none yet'"]
    """
    return _by_distinct_rows(frame, ("ipc", "ipc_main"), _split_ipc)


def _split_ipc(frame: pd.DataFrame) -> pd.DataFrame:

    def spelled(text: pd.Series) -> pd.Series:
        text = halfwidth(text).str.upper()
        # the 14-character DOCDB form: G06F0017300000 is G06F17/30
        text = text.str.replace(
            r"\b([A-H][0-9]{2}[A-Z])0{0,3}([0-9]{1,4})([0-9]{2})([0-9]{4})\b",
            lambda m: f"{m[1]}{int(m[2])}/{m[3]}{m[4].rstrip('0')}",
            regex=True,
        )
        text = text.str.replace(r"\([0-9]{4}\.[0-9]{2}\)", " ", regex=True)
        text = text.str.replace(r"([A-H][0-9]{2}[A-Z]) +([0-9])", r"\1\2", regex=True)
        return text.str.replace(r" */ *", "/", regex=True)

    raw = _column(frame, "ipc")
    text = spelled(raw)
    joined = pd.Series(np.nan, index=frame.index, dtype="str")
    if text.notna().any():
        joined = text.str.findall(_IPC).str.join(";").astype("str")
        joined = joined.mask(joined == "")
    no_symbol = raw.notna() & joined.isna()
    first = joined.str.extract(f"^({_IPC})")[0]
    main = spelled(_column(frame, "ipc_main")).str.extract(f"({_IPC})")[0]
    needs_main = main.notna() & (first != main).fillna(True)
    if needs_main.any():
        # rare (exports list the main class first): per-row work only on these rows
        fixed = [
            ";".join(dict.fromkeys([m, *(s.split(";") if isinstance(s, str) else [])]))
            for m, s in zip(main[needs_main], joined[needs_main], strict=True)
        ]
        joined = joined.mask(needs_main, pd.Series(fixed, index=main.index[needs_main]))
    out = frame.assign(ipc=joined)
    return _add_issues(
        out,
        no_symbol,
        "ipc",
        "no IPC symbol in " + _quoted(raw),
    )


def flag_strategic_emerging(frame: pd.DataFrame) -> pd.DataFrame:
    """``strategic_emerging``: missing unless the export has a source column for it.

    A canonical ``strategic_emerging`` flag is kept; else a strategic-emerging-industry class
    column (``strategic_emerging_class``) gives True where it names a class and False where blank;
    else the flag is missing (unknown), as the engine expects. The input is not changed.

    >>> flag_strategic_emerging(pd.DataFrame({"strategic_emerging_class": ["新一代信息技术产业", None]}))[
    ...     "strategic_emerging"].tolist()
    [True, False]
    >>> flag_strategic_emerging(pd.DataFrame({"x": [1]}))["strategic_emerging"].tolist()
    [<NA>]
    """
    reads = ("strategic_emerging_class", "strategic_emerging")
    return _by_distinct_rows(frame, reads, _flag_strategic_emerging)


def _flag_strategic_emerging(frame: pd.DataFrame) -> pd.DataFrame:
    flag = pd.Series(pd.NA, index=frame.index, dtype="boolean")
    named = _column(frame, "strategic_emerging_class").notna()
    if "strategic_emerging_class" in frame.columns:
        flag = named.astype("boolean")
    if "strategic_emerging" in frame.columns:
        # the flag decides; a named class fills it only where it is missing (a blank class then
        # means "not given", since the flag column says what is known)
        flag = _flags(frame["strategic_emerging"]).mask(
            named & frame["strategic_emerging"].isna(), True
        )
    return frame.assign(strategic_emerging=flag)
