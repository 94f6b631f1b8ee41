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
    return cited(core, entries, f"{cited_zh}；{how[0]}", f"{cited_en}; {how[1]}")


def cited(core: pd.DataFrame, entries: Sequence[SourceEntry], source, source_en) -> pd.DataFrame:
    """Observation rows of ``core`` with their region's name, the citation given (``source``
    and ``source_en``: a text, or a text per row) and the provenance of ``entries``, the files
    they were computed from (the first one's id, address and priority; the newest vintage),
    checked against :class:`ObservationTable`."""
    first = entries[0]
    out = core.assign(
        region=core["region_code"].map(region_names()).fillna(core["region_code"]),
        source=source,
        source_en=source_en,
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


def _span(entry: SourceEntry) -> list[int] | None:
    """The years ``years: [first, last]`` of a list's layout, or None."""
    given = entry.layout.get("years")
    return list(range(int(given[0]), int(given[-1]) + 1)) if given else None


def _applications(read: Read) -> list[pd.DataFrame]:
    """PCT and Madrid applications by year; the source line states the counting basis."""
    frames = []
    entries, pct = _of(read, "pct")
    if entries:
        offices = next(
            (e.layout["receiving_offices"] for e in entries if "receiving_offices" in e.layout),
            ("CN",),
        )
        codes, years = _covered(_lists(read, "pct"), "filing_date")
        core = rec.pct_observations(pct, codes, years, offices)
        received = "，".join(f"{o} {n}" for o, n in core.attrs["received"].items()) or "无"
        left = "，".join(f"{o} {n}" for o, n in core.attrs["left_out"].items())
        how = (
            f"ipanalysis 按第一申请人地址、国际申请日由PCT申请清单计数（受理局：{received}"
            + (f"；其他受理局未计入：{left}" if left else "")
            + "）",
            "counted by ipanalysis from the PCT list by the first-named applicant's address and "
            f"the international filing date (received by {received.replace('，', ', ')}"
            + (f"; other receiving offices not counted: {left.replace('，', ', ')}" if left else "")
            + ")",
        )
        frames.append(with_source(core, entries, how))
    entries, madrid = _of(read, "madrid")
    if entries:
        codes, years = _covered(_lists(read, "madrid"))
        core = rec.madrid_observations(madrid, codes, years)
        kinds = sorted(set(madrid["date_kind"].dropna())) or ["filing"]
        words = {"filing": "申请日", "registration": "注册日"}
        how = (
            f"ipanalysis 按申请人地址、{'/'.join(words.get(k, k) for k in kinds)}由马德里申请清单计数",
            "counted by ipanalysis from the Madrid list by the applicant's address and the "
            f"{' / '.join(kinds)} date",
        )
        frames.append(with_source(core, entries, how))
    return frames


def _lists_by_kind(read: Read) -> dict[str, list[tuple[SourceEntry, pd.DataFrame]]]:
    """The transaction lists by the kind of event each holds (its ``events:``, else its rows')."""
    by_kind: dict[str, list[tuple[SourceEntry, pd.DataFrame]]] = {}
    for entry, result in read:
        if entry.layout.get("kind") != "transactions":
            continue
        told = entry.layout.get("events")
        for kind in [told] if told else sorted(set(result.data["event_type"].dropna())):
            rows = result.data[result.data["event_type"] == kind]
            by_kind.setdefault(kind, []).append((entry, rows))
    return by_kind


def _covered(
    lists: list[tuple[SourceEntry, pd.DataFrame]], dates: str = "date"
) -> tuple[list[str], list[int]]:
    """The regions and years several lists of one kind cover together (each its own span)."""
    codes, years = set(), set()
    for entry, rows in lists:
        c, y = rec.coverage(rows["region"], rows[dates], covers([entry]), _span(entry))
        codes |= set(c)
        years |= set(y)
    return sorted(codes), sorted(years)


def _lists(read: Read, kind: str) -> list[tuple[SourceEntry, pd.DataFrame]]:
    return [(e, r.data) for e, r in read if e.layout.get("kind") == kind]


def _transactions(read: Read) -> list[pd.DataFrame]:
    """Counts from the registration lists; per kind without a list, the per-patent estimate."""
    by_kind = _lists_by_kind(read)
    frames = []
    if by_kind:
        deals = pd.concat([rows for lists in by_kind.values() for _, rows in lists])
        core = rec.transaction_observations(
            deals, {kind: _covered(lists) for kind, lists in by_kind.items()}
        )
        how = (
            "ipanalysis 由登记清单计数（每次登记计一次）",
            "counted by ipanalysis from the registration lists, once per registration",
        )
        for indicator, rows in core.groupby("indicator", sort=False):
            events = rec.TRANSACTION_EVENTS[indicator]
            cited = list({e.id: e for k in events for e, _ in by_kind[k]}.values())
            frames.append(with_source(rows, cited, how))
    missing = {
        "patent_transfer_licence_count": not {"transfer", "licence"} <= set(by_kind),
        "patent_pledge_count": "pledge" not in by_kind,
    }
    if any(missing.values()):
        frames += _per_patent(read, [i for i, lacking in missing.items() if lacking])
    return frames


def _per_patent(read: Read, indicators: list[str]) -> list[pd.DataFrame]:
    """The per-patent estimate of ``indicators`` from patent exports a year apart."""
    patents = [(e, r) for e, r in read if e.layout.get("kind") == "patents"]
    snapshots = [
        (pd.Timestamp(e.layout["as_of"]), r.data) for e, r in patents if e.layout.get("as_of")
    ]
    core = rec.per_patent_observations(snapshots, covers([e for e, _ in patents]))
    core = core[core["indicator"].isin(indicators)]
    if core.empty:
        return []
    how = (
        "无登记清单：ipanalysis 由相隔一年的两次专利导出中各专利的次数之差估算",
        "no registration list: estimated by ipanalysis from the per-patent counts of two "
        "patent exports a year apart",
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


def with_pledge_amounts(patents: pd.DataFrame, read: Read) -> tuple[pd.DataFrame, list[str]]:
    """The patent records with the pledge amounts the office's pledge lists give, where the
    export gives none (it gives pledge counts, not amounts), and a note of how many."""
    lists = [r.data for e, r in read if e.layout.get("kind") == "transactions"]
    if not lists or "application_number" not in patents.columns:
        return patents, []
    amounts = rec.pledge_amounts_by_patent(pd.concat(lists, ignore_index=True))
    found = patents["application_number"].map(amounts)
    fill = patents["pledge_amount"].isna() & found.notna()
    if not fill.any():
        return patents, []
    out = patents.assign(pledge_amount=patents["pledge_amount"].where(~fill, found))
    return out, [f"{int(fill.sum())} patent(s) given their pledge amount from the pledge lists"]


def record_observations(read: Read, observations: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Observations of the record kinds (not patents' stocks: :mod:`.prepare`) and notes."""
    frames = [*_applications(read), *_transactions(read)]
    pii, notes = _industries(read, observations)
    frames += pii
    frames = [f for f in frames if len(f)]
    if not frames:
        return observations.iloc[0:0], notes
    return pd.concat(frames, ignore_index=True), notes
