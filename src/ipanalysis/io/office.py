"""An office's own records to observations, each with the source line of the files it came from.

:func:`record_observations` takes what :func:`ipanalysis.io.prepare.prepare_all` read (every
manifest entry with its result) and returns the observations the record kinds give — PCT and
Madrid applications, transfers, licences and pledges, patent-intensive industries' share of GDP
(the computations: :mod:`ipanalysis.analysis.records`) — with notes of what was left out.
Layout options read here: ``covers`` (regions the list is complete for; default the layout's
``region``, else those its rows name), ``years`` (``[first, last]``), ``receiving_offices``
(PCT), ``events`` (transactions) and ``partial_share`` (the value-added table).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..analysis import records as rec
from ..errors import ReadResult
from ..regions import region_names, resolve_region
from ..schemas import ObservationTable
from .manifest import SourceEntry

Read = Sequence[tuple[SourceEntry, ReadResult]]


def covers(entries: Sequence[SourceEntry]) -> list[str] | None:
    """The region codes a set of lists is complete for (None: the regions their rows name)."""
    codes = []
    for entry in entries:
        given = entry.layout.get("covers") or (
            [entry.layout["region"]] if entry.layout.get("region") else []
        )
        codes += [resolve_region(str(name)) for name in given]
    return sorted(set(codes)) or None


def with_source(core: pd.DataFrame, entries: Sequence[SourceEntry], how: tuple[str, str]):
    """Observation rows of ``core`` citing ``entries`` (the office's files) and how ipanalysis
    computed them (``how``: Chinese, English)."""
    cited_zh = "；".join(f"{e.publisher}：{e.title}（{e.vintage}）" for e in entries)
    cited_en = "; ".join(
        f"{e.text('publisher', 'en')}: {e.text('title', 'en')} ({e.vintage})" for e in entries
    )
    first = entries[0]
    out = core.assign(
        region=core["region_code"].map(region_names()).fillna(core["region_code"]),
        source=f"{cited_zh}；{how[0]}",
        source_en=f"{cited_en}; {how[1]}",
        source_url=first.meta.get("url"),
        read_at=None,
        source_id=first.id,
        vintage=max(e.vintage for e in entries),
        priority=first.priority,
        raw_file=", ".join(Path(e.file).name for e in entries),
        raw_row=2,
    )
    columns = list(ObservationTable.to_schema().columns)
    return ObservationTable.validate(out.reindex(columns=columns), lazy=True)


def _of(read: Read, kind: str) -> tuple[list[SourceEntry], pd.DataFrame | None]:
    found = [(e, r) for e, r in read if e.layout.get("kind") == kind]
    if not found:
        return [], None
    return [e for e, _ in found], pd.concat([r.data for _, r in found], ignore_index=True)


def _years(entries: Sequence[SourceEntry]):
    spans = [e.layout["years"] for e in entries if e.layout.get("years")]
    return [min(s[0] for s in spans), max(s[-1] for s in spans)] if spans else None


def _applications(read: Read) -> list[pd.DataFrame]:
    """PCT and Madrid applications by year; the source line states the counting basis."""
    frames = []
    entries, pct = _of(read, "pct")
    if entries:
        offices = next(
            (e.layout["receiving_offices"] for e in entries if e.layout.get("receiving_offices")),
            None,
        )
        core = rec.pct_observations(pct, covers(entries), _years(entries), offices)
        kept = pct if not offices else pct[pct["receiving_office"].isin(offices)]
        counts = kept["receiving_office"].fillna("?").value_counts()
        received = ", ".join(f"{o} {n}" for o, n in counts.items())
        how = (
            f"ipanalysis 按第一申请人地址、国际申请日由PCT申请清单计数（受理局：{received}）",
            "counted by ipanalysis from the PCT list by the first-named applicant's address and "
            f"the international filing date (received by {received})",
        )
        frames.append(with_source(core, entries, how))
    entries, madrid = _of(read, "madrid")
    if entries:
        core = rec.madrid_observations(madrid, covers(entries), _years(entries))
        kinds = sorted(set(madrid["date_kind"].dropna())) or ["filing"]
        words = {"filing": "申请日", "registration": "注册日"}
        how = (
            f"ipanalysis 按申请人地址、{'/'.join(words.get(k, k) for k in kinds)}由马德里申请清单计数",
            "counted by ipanalysis from the Madrid list by the applicant's address and the "
            f"{' / '.join(kinds)} date",
        )
        frames.append(with_source(core, entries, how))
    return frames


def _transactions(read: Read) -> list[pd.DataFrame]:
    entries, deals = _of(read, "transactions")
    if entries:
        spans: dict[str, list[int] | None] = {}
        for entry, result in read:
            if entry not in entries:
                continue
            told = entry.layout.get("events")
            for kind in [told] if told else sorted(set(result.data["event_type"].dropna())):
                rows = result.data[result.data["event_type"] == kind]
                span = (
                    entry.layout.get("years")
                    or rec.coverage(rows["region"], rows["date"], None, None)[1]
                )
                spans[kind] = sorted(set(spans.get(kind) or []) | set(span))
        core = rec.transaction_observations(deals, spans, covers(entries))
        how = (
            "ipanalysis 由登记清单计数（每次登记计一次）",
            "counted by ipanalysis from the registration lists, once per registration",
        )
        return [with_source(core, entries, how)]
    patents = [(e, r) for e, r in read if e.layout.get("kind") == "patents"]
    snapshots = [
        (pd.Timestamp(e.layout["as_of"]), r.data) for e, r in patents if e.layout.get("as_of")
    ]
    core = rec.per_patent_observations(snapshots, covers([e for e, _ in patents]))
    if core.empty:
        return []
    how = (
        "无登记清单：ipanalysis 由相隔一年的两次专利导出中各专利的转让、许可、质押次数之差估算",
        "no registration list: estimated by ipanalysis from the per-patent counts of two patent exports a year apart",
    )
    return [with_source(core, [e for e, _ in patents], how)]


def _industries(read: Read, observations: pd.DataFrame) -> tuple[list[pd.DataFrame], list[str]]:
    entries, value_added = _of(read, "industry_value_added")
    mapped, mapping = _of(read, "pii_classification")
    if not entries or not mapped:
        return [], [
            "value added needs the office's class mapping (kind pii_classification)"
        ] if entries else []
    gdp = observations[
        (observations["indicator"] == "gdp") & (observations["status"] != "synthetic")
    ]
    gdp = gdp[["region_code", "year", "value"]].drop_duplicates(
        ["region_code", "year"], keep="last"
    )
    share = next(
        (float(e.layout["partial_share"]) for e in entries if "partial_share" in e.layout), 0.0
    )
    core, notes = rec.pii_observations(value_added, mapping, gdp, share)
    how = (
        "ipanalysis 按机构的国民经济行业—专利密集型产业对照由分行业增加值计算",
        "computed by ipanalysis from value added by class and the office's class mapping",
    )
    return [with_source(core, [*entries, *mapped], how)], notes


def record_observations(read: Read, observations: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Observations of the record kinds (not patents' stocks: :mod:`.prepare`) and notes."""
    frames = [*_applications(read), *_transactions(read)]
    pii, notes = _industries(read, observations)
    frames += pii
    frames = [f for f in frames if len(f)]
    if not frames:
        return observations.iloc[0:0], notes
    return pd.concat(frames, ignore_index=True), notes
