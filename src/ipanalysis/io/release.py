"""Statistical releases (layout kind ``release``) to published observations.

The layout maps each measure of the table (its header path, e.g. ``专利授权量/发明``) to an
indicator and basis of the registry (``measures``); ``sheet``, ``period``, ``to_unit`` and
``encoding`` are passed to :func:`ipanalysis.clean.tables.read_table`, ``status`` (default
``published``) applies to every value.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..clean.tables import read_table
from ..errors import InputError, ReadResult, quarantine_frame
from ..indicators import INDICATORS
from ..regions import region_names
from ..schemas import ObservationTable
from .manifest import SourceEntry


def _measures(entry: SourceEntry, path: Path) -> dict:
    """The layout's ``measures``, checked: each maps to ``[indicator, basis]`` of the registry."""
    measures: dict = entry.layout.get("measures") or {}
    if not measures:
        raise InputError(
            f"layout of '{entry.id}' (kind release) needs 'measures': table measure → "
            "[indicator, basis]",
            file=path,
        )
    for measure, target in measures.items():
        if not isinstance(target, list) or len(target) != 2 or target[0] not in INDICATORS:
            raise InputError(
                f"layout of '{entry.id}': measure '{measure}' must map to [indicator, basis] with "
                f"an indicator of the registry, got {target!r}",
                file=path,
            )
    return measures


def _unit_problems(used: pd.DataFrame, indicator: pd.Series, path: Path, sheet) -> list[dict]:
    expected = indicator.map(lambda i: INDICATORS[i].unit)
    wrong = used["unit"] != expected
    return [
        {
            "raw_file": path.name,
            "sheet": sheet,
            "raw_row": int(r.raw_row),
            "column": r.cell,
            "reason": f"unit '{r.unit}' of {i} differs from the registry unit '{e}' "
            "(set to_unit in sources.yml to convert)",
            "record": json.dumps({"measure": r.measure, "value": r.value}, ensure_ascii=False),
        }
        for r, i, e in zip(used[wrong].itertuples(), indicator[wrong], expected[wrong], strict=True)
    ]


def _observations(used, indicator, measures, entry: SourceEntry, path: Path) -> pd.DataFrame:
    period = pd.to_numeric(used["period"], errors="coerce").astype("int64")
    return pd.DataFrame(
        {
            "region_code": used["region_code"].astype(str),
            "region": used["region_code"].map(region_names()).fillna(used["region"]),
            "indicator": indicator,
            "category": "total",
            "year": period,
            "date": pd.to_datetime(period.astype(str) + "-12-31"),
            "value": used["value"].astype(float),
            "unit": used["unit"],
            "basis": used["measure"].map({m: t[1] for m, t in measures.items()}),
            "basis_note": None,
            "status": entry.layout.get("status", "published"),
            "confidence": None,
            "source": f"{entry.publisher}：{entry.title}，"
            + used["sheet"].fillna("").astype(str)
            + " "
            + used["cell"]
            + f"（{entry.vintage}）",
            "source_en": f"{entry.text('publisher', 'en')}: {entry.text('title', 'en')}, "
            + used["sheet"].fillna("").astype(str)
            + " "
            + used["cell"]
            + f" ({entry.vintage})",
            "source_url": entry.meta.get("url"),
            "read_at": entry.meta.get("read_at"),
            "source_id": entry.id,
            "vintage": entry.vintage,
            "priority": entry.priority,
            "raw_file": path.name,
            "raw_row": used["raw_row"].astype("int64"),
        }
    )


def read_release(entry: SourceEntry, path: Path) -> ReadResult:
    """Observations from a statistical release (Excel or CSV) read by ``read_table``.

    A value whose unit differs from the registry's is quarantined; a row none of whose values is
    used is quarantined with the reason; measures the layout does not map are listed in the
    notes. Totals rows (全市 …) become observations of the region they stand for.
    """
    measures = _measures(entry, path)
    layout = entry.layout
    table = read_table(
        path,
        layout.get("sheet"),
        period=layout.get("period"),
        to_unit=layout.get("to_unit"),
        encoding=layout.get("encoding"),
    )
    tidy = table.data
    notes = list(table.notes)
    unused = sorted(set(tidy["measure"]) - set(measures))
    if unused:
        notes.append(f"measures not mapped in sources.yml (not read): {', '.join(unused)}")
    absent = sorted(set(measures) - set(tidy["measure"]))
    if absent:
        raise InputError(
            f"measure(s) {', '.join(absent)} named in sources.yml are not in the table; "
            f"it has: {', '.join(dict.fromkeys(tidy['measure']))}",
            file=path,
            sheet=table.sheet,
        )
    used = tidy[tidy["measure"].isin(list(measures)) & tidy["value"].notna()]
    indicator = used["measure"].map({m: t[0] for m, t in measures.items()})
    problems = _unit_problems(used, indicator, path, table.sheet)
    right = used["unit"] == indicator.map(lambda i: INDICATORS[i].unit)
    obs = _observations(used[right], indicator[right], measures, entry, path)
    quarantined = [*table.quarantine.to_dict("records"), *problems]
    seen = set(obs["raw_row"]) | {int(q["raw_row"]) for q in quarantined}
    quarantined += [
        {
            "raw_file": path.name,
            "sheet": table.sheet,
            "raw_row": int(row),
            "column": None,
            "reason": "no value of a measure mapped in sources.yml",
            "record": None,
        }
        for row in sorted(set(tidy["raw_row"]) - seen)
    ]
    return ReadResult(
        data=ObservationTable.validate(obs.reset_index(drop=True), lazy=True),
        quarantine=quarantine_frame(quarantined),
        rows_read=table.rows_read,
        file=path.name,
        notes=notes,
    )
