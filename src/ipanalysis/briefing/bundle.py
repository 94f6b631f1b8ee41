"""The Briefing: everything one briefing shows, as data — frozen, no I/O.

:func:`ipanalysis.briefing.load.load_briefing` assembles it from the files; sections
(:mod:`ipanalysis.briefing.sections`) render from it. Its methods only look things up: a series,
a region's name, the region's record tables, a text of the locale catalogue.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis import NATION, ObservationIndex, peers, series
from ..analysis.scorecard import citation, region_words
from ..high_value import DEFAULT_DEFINITION, HighValueDefinition
from ..indicators import INDICATORS
from ..io import SourceEntry
from ..io.demo import Tables
from ..locale import text
from ..plans import Plan
from ..schemas import PATENT_COLUMNS, MadridTable, PctTable, TransactionTable
from ..synthetic import PROXIES as DEMO_PROXIES
from ..synthetic import TABLE_INDICATORS

#: The columns of each record table, for an empty one.
RECORD_COLUMNS = {
    "patents": list(PATENT_COLUMNS),
    "pct": [*PctTable.to_schema().columns, "applicant"],
    "madrid": [*MadridTable.to_schema().columns, "applicant"],
    "transactions": list(TransactionTable.to_schema().columns),
}


@dataclass(frozen=True)
class Briefing:
    """Everything one briefing shows, for one region, reporting year and language."""

    region_code: str
    year: int
    lang: str
    plan: Plan
    observations: pd.DataFrame
    index: ObservationIndex
    regions: pd.DataFrame
    scorecard: pd.DataFrame
    sources: Mapping[str, SourceEntry]
    parameters: dict = field(default_factory=dict)
    records: Mapping[str, pd.DataFrame] | None = None  # synthetic demo record tables
    office_records: Mapping[str, pd.DataFrame] | None = None  # the office's own record tables
    code_version: str = ""  # "ipanalysis 0.1.0 (abc1234)"
    #: the activity log every page reads (``attrs["quarantine"]``: the rows set aside), or None
    activity_log: pd.DataFrame | None = None
    #: the high-value definition of the district's figures computed from patent records
    definition: HighValueDefinition = DEFAULT_DEFINITION

    # -- words -----------------------------------------------------------------------------------
    def text(self, key: str, /, **fields: object) -> str:
        """The catalogue text of ``key`` in the briefing's language (:mod:`ipanalysis.locale`),
        with the region's words (``here``, ``scope``, ``units``) and the demo's ``proxies``
        available to every text."""
        return text(key, self.lang, **{**self.place, **fields})

    @functools.cached_property
    def place(self) -> dict[str, str]:
        """The region's words from the region hierarchy (本区 / 全市 / 区 …) and the demo's
        proxies, for the texts."""
        words = region_words(self.regions, self.plan, self.region_code, self.lang)
        proxies = [INDICATORS[p].name(self.lang) for p in DEMO_PROXIES]
        proxies = proxies if self.lang == "zh" else [p.lower() for p in proxies]
        joined = ("、" if self.lang == "zh" else " and ").join(proxies)
        return {**words, "proxies": joined}

    def region_name(self, code: str | None = None) -> str:
        """A region's name in the briefing's language (the briefing's region by default)."""
        code = code or self.region_code
        return self._names.get(code, code)

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        """Region code → name in the briefing's language (made once, not on every look-up)."""
        column = "name" if self.lang == "zh" else "name_en"
        return dict(zip(self.regions["code"], self.regions[column], strict=True))

    def place_name(self, code: str) -> str:
        """The name a chart legend gives a region: 全国/China for the nation."""
        return self.text("page.nation") if code == NATION else self.region_name(code)

    # -- data ------------------------------------------------------------------------------------
    @property
    def parent(self) -> str:
        """The code of the plan's parent region (e.g. 310000), or ''."""
        return self.plan.parent

    @property
    def peer_codes(self) -> list[str]:
        """Codes of the plan's peer regions (current units only)."""
        return peers(self.regions, self.plan)

    def series(self, indicator: str, basis: str, code: str | None = None) -> pd.DataFrame:
        """One region's yearly values through the reporting year (the briefing's region).

        Made once per briefing and kept in its index (the five notebooks of a warm kernel, the
        scorecard and the peer charts share them); each call gets its own frame (a shallow copy:
        changing it leaves the one kept as it was)."""
        code = code or self.region_code
        return series(self.index, indicator, code, basis, through_year=self.year)

    def district_records(self, name: str) -> pd.DataFrame:
        """The region's records of one table (``patents``, ``pct``, ``madrid``,
        ``transactions``): the office's own if they cover the region, else the synthetic demo
        records (when demo data are on), else an empty table with the table's columns.
        ``attrs["synthetic"]`` tells which.
        """
        for records in (self.office_records, self.records):
            if not records or name not in records:
                continue
            if records is self.records and self.has_real(TABLE_INDICATORS.get(name, ())):
                continue  # real figures cover these indicators: no demo records beside them
            if isinstance(records, Tables):  # the demo's: only the region's rows are read
                own = records.of_region(name, self.region_code)
            else:
                frame = records[name]
                own = frame[_is_region(frame["region"], self.region_code)]
                own.attrs = dict(frame.attrs)
            if len(own):
                return own
        empty = pd.DataFrame(columns=RECORD_COLUMNS[name])
        empty.attrs = {"synthetic": False, "sources": {}}
        return empty

    def has_real(self, indicators) -> bool:
        """Whether published or derived figures of any of ``indicators`` exist for the region."""
        obs = self.observations
        rows = obs[(obs["region_code"] == self.region_code) & obs["indicator"].isin(indicators)]
        return bool((rows["status"] != "synthetic").any())

    @property
    def synthetic_shown(self) -> bool:
        """Whether the briefing shows any synthetic demo figure: the region's own, or its
        peers' where the region has no figure of the indicator to compare with."""
        obs = self.observations
        own = obs[obs["region_code"] == self.region_code]
        if (own["status"] == "synthetic").any():
            return True
        missing = {t.indicator for t in self.plan.targets} - set(own["indicator"])
        peers = obs[obs["region_code"].isin(self.peer_codes) & obs["indicator"].isin(missing)]
        return bool((peers["status"] == "synthetic").any())

    def target(self, indicator: str, kind: str = "level"):
        """The plan's first target of ``kind`` on ``indicator``, or None."""
        return next(
            (t for t in self.plan.targets if t.indicator == indicator and t.type == kind), None
        )

    def target_year(self, indicator: str) -> int | None:
        """The year of the plan's level target on ``indicator`` (e.g. 2026), or None."""
        level = self.target(indicator)
        return level.by if level else None

    def cite(self, row) -> str:
        """An observation's official citation in the briefing's language
        (:func:`ipanalysis.analysis.scorecard.citation`)."""
        return citation(row, self.lang) or ""

    def sources_caption(self, frames: list[pd.DataFrame]) -> str:
        """The caption naming the official publication of every value in ``frames``."""
        cited = []
        for frame in frames:
            if frame.empty:
                continue
            source = frame["source"]
            if self.lang == "en" and "source_en" in frame:
                source = frame["source_en"].fillna(source)
            cited += source.tolist()
        parts = list(dict.fromkeys(c for c in cited if isinstance(c, str) and c))
        return self.text("page.caption", sources=self.text("common.list_sep").join(parts))


def _is_region(column: pd.Series, code: str) -> np.ndarray:
    """Rows whose region, as text, is ``code``; a categorical column compares its categories,
    not every row's text.

    >>> _is_region(pd.Series(["310117", None, "310115"], dtype="category"), "310117").tolist()
    [True, False, False]
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        hits = np.flatnonzero(column.cat.categories.astype(str) == code)
        return np.isin(column.cat.codes.to_numpy(), hits)
    return (column.astype(str) == code).to_numpy(dtype=bool)
