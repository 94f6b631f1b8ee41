"""Strategic emerging industry from IPC: CNIPA's SEI–IPC concordance (2021, trial), as data.

The rules ship with the package (``reference/sei_ipc_rules.csv``, read
``reference/sei_ipc_concordance.md`` for their source and how each part is read). A patent is in
a strategic emerging industry when one of its IPC symbols — every symbol, not only the main one
— falls under a rule: the rule's pattern matches, none of its exclusions (不含) does, and, for a
rule with a keyword cell, the keyword reading of the definition holds. A symbol under no rule is
not strategic emerging; a symbol of a group a later IPC edition created (G06V, H04L67 …) is
reported and leaves the criterion unknown where nothing else decides it.

>>> c = load_concordance()
>>> r = match(pd.Series(["A47J27/00;G06F40/30", "A47J27/00", None, "G06V10/82"]), c)
>>> r["strategic_emerging"].tolist(), r["sei_codes"].tolist()[:2]
([True, False, <NA>, <NA>], ['1.5', ''])
>>> r["reason"].tolist()[3]
'IPC of a later edition than the concordance: G06V10/82 (2022.01)'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from .. import paths
from ..errors import InputError

#: The concordance's name as the definition states it.
VERSION = "CNIPA SEI–IPC 2021 (trial)"
KeywordRule = Literal["condition", "description"]
_SYMBOL = re.compile(r"^([A-H]\d\d[A-Z])(\d+)(?:/(\d+))?$")


@functools.lru_cache(maxsize=1 << 16)
def normalise_symbol(text: str) -> str:
    """An IPC symbol as the rules write it: ``G06F 17/30`` and ``G06F0017300000`` → ``G06F17/30``.

    >>> normalise_symbol(" g06f 17/30 "), normalise_symbol("G06F0017300000")
    ('G06F17/30', 'G06F17/30')
    """
    symbol = re.sub(r"\s+", "", str(text)).upper()
    if "/" not in symbol and len(symbol) == 14 and symbol[4:].isdigit():  # DOCDB: 4+6 digits
        group, sub = int(symbol[4:8]), symbol[8:].rstrip("0")
        return f"{symbol[:4]}{group}/{sub.ljust(2, '0')}"
    return symbol


@dataclass(frozen=True)
class Pattern:
    """One IPC pattern: ``kind`` is ``symbol`` (exact), ``group`` (main group and below),
    ``subclass`` or ``class``; ``key`` the text it is looked up by."""

    kind: str
    key: str

    @classmethod
    def parse(cls, text: str) -> Pattern:
        star = text.endswith("*")
        body = text.rstrip("*")
        if "/" in body:
            return cls("symbol", body) if not star else cls("group", body.split("/")[0])
        if len(body) == 3:
            return cls("class", body)
        if len(body) == 4:
            return cls("subclass", body)
        return cls("group", body)

    def covers(self, keys: dict[str, str]) -> bool:
        """Whether a symbol's keys (``symbol, group, subclass, class``) fall under it."""
        return keys[self.kind] == self.key


@dataclass(frozen=True)
class Concordance:
    """The rules, indexed for look-up, and the later-edition groups."""

    rules: pd.DataFrame  # rule_part, sei_code, keywords, exclusions (tuple of Pattern)
    index: dict[tuple[str, str], tuple[int, ...]]  # (kind, key) → rule rows
    later: tuple[tuple[Pattern, str], ...]  # (group, edition)
    version: str = VERSION
    # per rule row, as plain tuples (looked up once per symbol, never through pandas)
    rows: tuple[tuple[str, str, str, tuple[Pattern, ...]], ...] = ()
    seen: dict = field(default_factory=dict, compare=False, repr=False)  # symbol → its rows


def _keys(symbol: str) -> dict[str, str] | None:
    found = _SYMBOL.match(symbol)
    if not found:
        return None
    subclass, group = found.group(1), found.group(1) + found.group(2)
    return {"symbol": symbol, "group": group, "subclass": subclass, "class": subclass[:3]}


@functools.cache
def load_concordance() -> Concordance:
    """The shipped concordance, read once (``reference/sei_ipc_rules.csv``)."""
    raw = pd.read_csv(paths.REFERENCE_DIR / "sei_ipc_rules.csv", dtype=str, keep_default_na=False)
    parts = raw["rule_id"] + "|" + raw["keywords"]  # a rule part: its patterns share a keyword
    rules = pd.DataFrame(
        {
            "rule_part": parts,
            "sei_code": raw["sei_code"],
            "keywords": raw["keywords"],
            "pattern": raw["ipc_pattern"].map(Pattern.parse),
            "exclusions": raw["exclusions"].map(
                lambda e: tuple(Pattern.parse(x) for x in e.split(";") if x)
            ),
        }
    )
    index: dict[tuple[str, str], list[int]] = {}
    for row, pattern in enumerate(rules["pattern"]):
        index.setdefault((pattern.kind, pattern.key), []).append(row)
    later_raw = pd.read_csv(paths.REFERENCE_DIR / "ipc_later_editions.csv", dtype=str)
    later = tuple(
        (Pattern.parse(g), e) for g, e in zip(later_raw["group"], later_raw["edition"], strict=True)
    )
    rows = tuple(rules[["rule_part", "sei_code", "keywords", "exclusions"]].itertuples(False, None))
    return Concordance(rules, {k: tuple(v) for k, v in index.items()}, later, rows=rows)


def _rules_of(symbol: str, c: Concordance) -> set[int]:
    """Rule rows whose pattern covers ``symbol`` and whose exclusions do not (none for a symbol
    of a later IPC edition: the rules were written before it existed)."""
    if symbol in c.seen:
        return c.seen[symbol]
    keys = _keys(symbol)
    rows: set[int] = set()
    if keys is not None and not _later_edition(symbol, c):
        for kind in ("symbol", "group", "subclass", "class"):
            rows.update(c.index.get((kind, keys[kind]), ()))
        rows = {r for r in rows if not any(x.covers(keys) for x in c.rows[r][3])}
    c.seen[symbol] = rows
    return rows


def _later_edition(symbol: str, c: Concordance) -> str | None:
    key = ("later", symbol)
    if key not in c.seen:
        keys = _keys(symbol)
        c.seen[key] = (
            None
            if keys is None
            else next((edition for group, edition in c.later if group.covers(keys)), None)
        )
    return c.seen[key]


def keyword_holds(cell: str, text: str | None, rule: KeywordRule) -> bool | None:
    """Whether a keyword cell holds for a patent's title and abstract (None: cannot tell).

    >>> keyword_holds("光纤宽带运营服务;移动话音服务", "一种移动话音服务系统", "condition")
    True
    >>> keyword_holds("不包含非机动车", "一种非机动车刹车", "condition"), keyword_holds("稀土相关关键词", "x", "condition")
    (False, None)
    """
    if rule == "description" or not cell:
        return True
    if cell.endswith("相关关键词") or not isinstance(text, str) or not text.strip():
        return None  # a placeholder, or no text to check: unknown
    if cell.startswith("不包含"):
        return cell[len("不包含") :] not in text
    terms = [t.strip() for t in re.split(r"[;；、等]", cell) if len(t.strip()) >= 2]
    return any(t in text for t in terms)


@dataclass(frozen=True)
class _Found:
    """What one distinct IPC string gives before any text is read."""

    decided: bool  # an IPC-only rule (or a keyword rule read as a description) matched
    codes: tuple[str, ...]  # the SEI codes of those rules
    keyword_parts: tuple[tuple[str, str], ...]  # (sei code, keyword cell) still to check
    later: str  # later-edition symbols no rule covers ('' when none)


def _look_up(ipc: str, c: Concordance, rule: KeywordRule) -> _Found | None:
    """The rules one patent's IPC symbols fall under (None: no IPC given)."""
    if not isinstance(ipc, str) or not ipc.strip():
        return None
    symbols = [normalise_symbol(x) for x in re.split(r"[;；,，]", ipc) if x.strip()]
    parts = {}  # rule part → (sei code, keyword cell), first row of each part
    for row in sorted(set().union(*(_rules_of(x, c) for x in symbols))):
        part, code, keywords, _ = c.rows[row]
        parts.setdefault(part, (code, keywords))
    plain = [(code, kw) for code, kw in parts.values() if kw == "" or rule == "description"]
    later = [f"{x} ({e})" for x in symbols if (e := _later_edition(x, c))]
    return _Found(
        decided=bool(plain),
        codes=tuple(sorted({code for code, _ in plain})),
        keyword_parts=tuple(p for p in parts.values() if p[1] != "" and rule != "description"),
        later=", ".join(later),
    )


def _decide(found: _Found | None, text: str | None):
    """(strategic_emerging, sei codes, reason) of one patent from its look-up and its text."""
    if found is None:
        return pd.NA, "", "no IPC"
    codes, unsure = set(found.codes), False
    for code, cell in found.keyword_parts:
        holds = keyword_holds(cell, text, "condition")
        codes.update([code] if holds else [])
        unsure = unsure or holds is None
    if codes:
        return True, ";".join(sorted(codes)), ""
    if found.later:
        return pd.NA, "", "IPC of a later edition than the concordance: " + found.later
    if unsure:
        return pd.NA, "", "a keyword condition that cannot be checked"
    return False, "", ""


def match(
    ipc: pd.Series,
    concordance: Concordance | None = None,
    text: pd.Series | None = None,
    keyword_rule: KeywordRule = "condition",
) -> pd.DataFrame:
    """Each patent's strategic-emerging status from its IPC symbols (``;``-joined).

    ``text`` (title and abstract) is read for rules with a keyword condition. Returns, on
    ``ipc``'s index: ``strategic_emerging`` (nullable boolean), ``sei_codes`` (the SEI codes
    matched, ``;``-joined) and ``reason`` (why unknown). Each distinct IPC string is looked up
    once; the text is read only where a keyword condition decides.
    """
    if keyword_rule not in ("condition", "description"):
        raise InputError(f"keyword_rule must be condition or description, not {keyword_rule!r}")
    c = concordance or load_concordance()
    keys = ipc.astype("object")
    keys = keys.where(keys.notna(), None).to_numpy()
    found = {v: _look_up(v, c, keyword_rule) for v in pd.unique(keys) if v is not None}
    found[None] = None
    # one answer per distinct IPC string where no keyword condition decides; else per distinct
    # (IPC string, text) pair, reading the text
    answers = {v: _decide(f, None) for v, f in found.items() if not f or not f.keyword_parts}
    texty = [v not in answers for v in keys]
    words = text.astype("object").to_numpy() if text is not None else [None] * len(keys)
    pairs: dict[tuple, tuple] = {}
    rows = []
    for v, needs_text, words_of in zip(keys, texty, words, strict=True):
        if not needs_text:
            rows.append(answers[v])
            continue
        pair = (v, words_of if isinstance(words_of, str) else None)
        if pair not in pairs:
            pairs[pair] = _decide(found[v], pair[1])
        rows.append(pairs[pair])
    flags, codes, reasons = zip(*rows, strict=True) if rows else ((), (), ())
    return pd.DataFrame(
        {
            "strategic_emerging": pd.array(list(flags), dtype="boolean"),
            "sei_codes": list(codes),
            "reason": list(reasons),
        },
        index=ipc.index,
    )


def as_arrays(result: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(met, known) arrays of a :func:`match` result, as the classification reads them."""
    flag = result["strategic_emerging"]
    return flag.to_numpy(dtype=bool, na_value=False), flag.notna().to_numpy(dtype=bool)
