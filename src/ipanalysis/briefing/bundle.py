"""The Briefing: everything one briefing shows, as data — frozen, no I/O.

:func:`ipanalysis.briefing.load.load_briefing` assembles it from the files; sections
(:mod:`ipanalysis.briefing.sections`) render from it. Its methods only look things up: a series,
a region's name, the region's record tables, a text of the locale catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from ..analysis import NATION, ObservationIndex, peers, series
from ..io import SourceEntry
from ..locale import text
from ..plans import Plan
from ..schemas import PATENT_COLUMNS, MadridTable, PctTable, TransactionTable
from ..synthetic import SOURCE_ID as SYNTHETIC_ID

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

    # -- words -----------------------------------------------------------------------------------
    def text(self, key: str, /, **fields: object) -> str:
        """The catalogue text of ``key`` in the briefing's language (:mod:`ipanalysis.locale`)."""
        return text(key, self.lang, **fields)

    def region_name(self, code: str | None = None) -> str:
        """A region's name in the briefing's language (the briefing's region by default)."""
        column = "name" if self.lang == "zh" else "name_en"
        names = dict(zip(self.regions["code"], self.regions[column], strict=True))
        code = code or self.region_code
        return names.get(code, code)

    def place_name(self, code: str) -> str:
        """The name a chart legend gives a region: 全国/China for the nation."""
        return self.text("page.nation") if code == NATION else self.region_name(code)

    # -- data ------------------------------------------------------------------------------------
    @property
    def parent(self) -> str:
        """The code of the plan's parent region (e.g. 310000), or ''."""
        return str(self.plan.peers.get("parent", ""))

    @property
    def peer_codes(self) -> list[str]:
        """Codes of the plan's peer regions (current units only)."""
        return peers(self.regions, self.plan)

    def series(self, indicator: str, basis: str, code: str | None = None) -> pd.DataFrame:
        """One region's yearly values through the reporting year (the briefing's region)."""
        return series(
            self.index, indicator, code or self.region_code, basis, through_year=self.year
        )

    def district_records(self, name: str) -> pd.DataFrame:
        """The region's records of one table (``patents``, ``pct``, ``madrid``,
        ``transactions``): the office's own if they cover the region, else the synthetic demo
        records (when demo data are on), else an empty table with the table's columns.
        ``attrs["synthetic"]`` tells which.
        """
        for records in (self.office_records, self.records):
            if not records or name not in records:
                continue
            frame = records[name]
            own = frame[frame["region"].astype(str) == self.region_code]
            if len(own):
                own.attrs = dict(frame.attrs)
                return own
        empty = pd.DataFrame(columns=RECORD_COLUMNS[name])
        empty.attrs = {"synthetic": False, "sources": {}}
        return empty

    @property
    def synthetic_shown(self) -> bool:
        """Whether any figure this briefing shows for the region comes from synthetic demo data."""
        own = self.observations[self.observations["region_code"] == self.region_code]
        return bool((own["status"] == "synthetic").any())

    def target(self, indicator: str, kind: str = "level"):
        """The plan's first target of ``kind`` on ``indicator``, or None."""
        return next(
            (t for t in self.plan.targets if t.indicator == indicator and t.type == kind), None
        )

    def target_year(self, indicator: str) -> int | None:
        """The year of the plan's level target on ``indicator`` (e.g. 2026), or None."""
        level = self.target(indicator)
        return level.by if level else None

    def sources_caption(self, frames: list[pd.DataFrame]) -> str:
        """The caption naming every source of the values in ``frames`` (chart captions)."""
        ids = list(
            dict.fromkeys(
                i for frame in frames for i in frame.get("source_id", pd.Series(dtype=str))
            )
        )
        parts = [
            self.text(
                "page.source_cite",
                publisher=self.sources[i].publisher,
                title=self.sources[i].title,
                vintage=self.sources[i].vintage,
            )
            for i in ids
            if i in self.sources
        ]
        parts += [self.text("page.synthetic_source") for i in ids if i == SYNTHETIC_ID]
        return self.text("page.caption", sources=self.text("common.list_sep").join(parts))
