""":func:`read_table`: a statistical release to the tidy long table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...errors import InputError, ReadResult, quarantine_frame
from .cells import _Sheet
from .files import _Grid, _load
from .layout import (
    ONE_REGION,
    REGIONS_IN_COLUMNS,
    _columns,
    _fill_periods_and_measures,
    _layout,
)
from .rows import _column_regions, _rows
from .totals import TOTALS_CHECK_COLUMNS, _check_totals, _convert, _totals_notes
from .values import _values

#: Columns of :func:`read_table`'s tidy table, in order.
TIDY_COLUMNS = [
    "region",
    "region_code",
    "region_label",
    "is_total",
    "period",
    "measure",
    "value",
    "unit",
    "raw_value",
    "source_file",
    "sheet",
    "cell",
    "raw_row",
]


@dataclass
class TableResult(ReadResult):
    """What :func:`read_table` found: the tidy table (``data``) and the bookkeeping around it.

    ``data`` holds regions and totals rows (``is_total``); :attr:`regions` and :attr:`totals`
    split them. ``notes`` lists, in plain words, the title, units, footnotes, columns not read,
    missing cells, totals differences and conversions.
    """

    sheet: str | None = None
    title: str | None = None
    totals_check: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=TOTALS_CHECK_COLUMNS)
    )
    missing_cells: int = 0

    @property
    def regions(self) -> pd.DataFrame:
        """The rows of ``data`` that are regions (not totals)."""
        return self.data[~self.data["is_total"]]

    @property
    def totals(self) -> pd.DataFrame:
        """The rows of ``data`` that the file states as totals."""
        return self.data[self.data["is_total"]]


def read_table(
    path: str | Path,
    sheet: str | int | None = None,
    *,
    period: str | int | None = None,
    to_unit: str | None = None,
    scale: Mapping[str, tuple[str, float]] | None = None,
    tolerance: float | None = None,
    encoding: str | None = None,
    follow_successor: bool = False,
    measure: str | None = None,
    region: str | None = None,
) -> TableResult:
    """Read one statistical release into a tidy long table; see the module docstring.

    Parameters
    ----------
    path
        An .xlsx, .xls or .csv file (the content decides, not the name: an .xls that is
        really an .xlsx is read, with a note).
    sheet
        Sheet name or 0-based position; default the first sheet.
    period
        The period of every value, when the file states none (or to override the title's);
        a period in a column header still wins for that column.
    to_unit, scale
        Convert values: ``to_unit="亿元"`` converts every unit that converts to 亿元;
        ``scale={"万元": ("亿元", 1e-4)}`` gives the factor explicitly.
    tolerance
        Largest difference between a stated total and the sum of the regions that is still
        rounding (in the column's unit); default: half a unit of the last decimal shown, per
        region and for the total.
    encoding
        Of a CSV; default UTF-8 (with or without BOM), UTF-16 with BOM, else GBK/GB18030.
    follow_successor
        Map historical regions (闸北区) to their successors (静安区).
    measure
        The measure name when the headers give none (only years); default: from the title.
    region
        The region of every value, for a table about one region (a measure in each row,
        periods as columns) that does not name it in a 地区： line; any spelling
        :mod:`ipanalysis.regions` accepts. A table naming its regions refuses it.

    Returns
    -------
    TableResult
        ``data`` (see :class:`ipanalysis.schemas.ReleaseTable`), ``quarantine``, ``rows_read``,
        ``notes``, ``totals_check``, ``missing_cells``, ``sheet``, ``title``.

    Raises
    ------
    InputError
        Naming file, sheet, row and column, when the file as a whole cannot be read faithfully.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "pop.csv").write_text(
    ...     "2024年各区常住人口\\n地区,常住人口(万人)\\n全市,\\"2,480.26\\"\\n松江区,１９５．８９\\n"
    ...     "青浦区,—\\n注：青浦区数据暂缺。\\n", encoding="gb18030")
    >>> result = read_table(folder / "pop.csv")
    >>> result.data[["region", "region_code", "is_total", "period", "measure", "value", "unit",
    ...              "cell"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['全市', '310000', True, '2024', '常住人口', 2480.26, '万人', 'B3'],
     ['松江区', '310117', False, '2024', '常住人口', 195.89, '万人', 'B4'],
     ['青浦区', '310118', False, '2024', '常住人口', nan, '万人', 'B5']]
    >>> result.totals_check[["total", "regions_sum", "regions_missing", "status"]].values.tolist()
    [[2480.26, 195.89, 1, 'incomplete']]
    >>> result.reconciliation()["reconciles"], result.missing_cells
    (True, 1)
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    if path.is_dir():
        raise InputError("a folder, not a file", file=path)
    grid = _load(path, sheet, encoding)
    return _tidy(
        grid,
        path,
        period=None if period is None else str(period),
        to_unit=to_unit,
        scale=dict(scale or {}),
        tolerance=tolerance,
        follow_successor=follow_successor,
        measure=measure,
        region=region,
    )


def _tidy(
    grid: _Grid,
    path: Path,
    *,
    period: str | None,
    to_unit: str | None,
    scale: dict,
    tolerance: float | None,
    follow_successor: bool,
    measure: str | None,
    region: str | None = None,
) -> TableResult:
    sheet = _Sheet(grid, path)
    notes = list(grid.notes)
    layout = _layout(sheet, notes, region=region)
    columns, period_col = _columns(sheet, layout, notes)
    _fill_periods_and_measures(sheet, layout, columns, period, measure, period_col)
    if measure and layout.mode == ONE_REGION:
        notes.append(f"measure= ({measure}) not used: each row names its measure")
    rows = _rows(sheet, layout, period_col, follow_successor, notes)
    column_regions = None
    if layout.mode == REGIONS_IN_COLUMNS:
        column_regions = _column_regions(sheet, layout, columns, follow_successor, notes)
    long, quarantined = _values(sheet, layout, rows, columns, column_regions)
    totals_check = _check_totals(long, tolerance)
    notes += _totals_notes(totals_check)
    long = _convert(sheet, long, to_unit, scale, notes)
    missing_cells = int(long["missing"].sum())
    if missing_cells:
        markers = sorted({m or "blank" for m in long.loc[long["missing"], "raw_value"]})
        notes.append(
            f"{missing_cells} cell(s) missing ({', '.join(markers)}): kept with an empty value, "
            "never 0"
        )
    return TableResult(
        data=_validate(sheet, _tidy_frame(sheet, long)),
        quarantine=quarantine_frame(quarantined),
        rows_read=len(layout.data_rows),
        file=sheet.file,
        notes=notes,
        sheet=sheet.sheet,
        title=layout.title,
        totals_check=totals_check,
        missing_cells=missing_cells,
    )


def _tidy_frame(sheet: _Sheet, long: pd.DataFrame) -> pd.DataFrame:
    """The long table of values in the tidy columns (:data:`TIDY_COLUMNS`)."""
    return pd.DataFrame(
        {
            "region": long["region"],
            "region_code": long["region_code"],
            "region_label": long["region_label"],
            "is_total": long["is_total"].astype(bool),
            "period": long["period"],
            "measure": long["measure"],
            "value": long["value"].astype(float),
            "unit": long["unit"],
            "raw_value": long["raw_value"],
            "source_file": sheet.file,
            "sheet": sheet.sheet,
            "cell": long["cell"],
            "raw_row": long["row"].astype(int) + 1,
        },
        columns=TIDY_COLUMNS,
    ).reset_index(drop=True)


def _validate(sheet: _Sheet, data: pd.DataFrame) -> pd.DataFrame:
    """Check the tidy table against its declared schema (every failure at once)."""
    import pandera.errors

    from ...schemas import ReleaseTable

    try:
        return ReleaseTable.validate(data, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        failures = exc.failure_cases
        first = failures.iloc[0]
        raise sheet.error(
            f"the tidy table breaks its schema ({len(failures)} failure(s); first: column "
            f"{first['column']}, check {first['check']}, value {first['failure_case']!r})"
        ) from None
