"""Command line: ``ipanalysis --help``.

Commands print a one-line reason and exit non-zero on bad input (no tracebacks for user errors);
they are thin wrappers over library functions.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ipanalysis.paths import DEFAULT_PLAN

app = typer.Typer(
    name="ipanalysis",
    help="IP indicators for regional IP offices: prepare data, compute indicators, build briefings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error to stderr and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


# --- briefing commands (issue #2 / #5) -------------------------------------------------------


@app.command()
def prepare() -> None:
    """Read every source in data/raw/ (see data/sources.yml) into data/processed/.

    Prints a progress bar, the reconciliation (rows read = kept + quarantined, per file) and a
    data-quality summary; writes both beside the observations. A failure changes nothing.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress
    from rich.table import Table

    from . import paths
    from .errors import InputError
    from .io import prepare as run_prepare
    from .io import quality_summary, read_manifest

    console = Console() if sys.stdout.isatty() else Console(width=200)  # logs: no wrapping
    try:
        total = len(read_manifest(paths.manifest_path()))
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as progress:
            task = progress.add_task("reading data/raw", total=total)
            result = run_prepare(on_source=lambda _entry: progress.advance(task))
    except InputError as exc:
        fail(str(exc))
    summary = quality_summary(result)
    table = Table(title="data quality (data/processed/quality.csv)")
    columns = ["file", "rows_read", "rows_kept", "rows_quarantined", "values", "published"]
    columns += ["derived", "indicators", "regions", "years"]
    for column in columns:
        table.add_column(
            column.replace("_", " "),
            justify="left" if column in ("file", "years") else "right",
            no_wrap=True,
        )
    for row in summary[columns].itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    console.print(table)
    for source_id, notes in result.notes.items():  # what the table and export readers saw
        for note in notes:
            typer.echo(f"{source_id}: {note}")
    reconciliation = result.reconciliation
    typer.echo(
        f"total: read {reconciliation.rows_read.sum()} = kept {reconciliation.rows_kept.sum()} + "
        f"quarantined {reconciliation.rows_quarantined.sum()}; "
        f"{len(result.observations)} observations; quarantine: data/processed/quarantine.csv"
    )
    if not reconciliation.reconciles.all():
        fail("row counts do not reconcile")


@app.command()
def build(
    region: list[str] = typer.Option(
        ["松江区"], "--region", "-r", help="Region name or code; repeat for several."
    ),
    year: list[int] = typer.Option(
        [2025], "--year", "-y", help="Reporting year; repeat for several."
    ),
    lang: str = typer.Option("zh", help="Briefing language: zh or en."),
    notebook: list[str] = typer.Option(
        [], "--notebook", "-n", help="Notebook(s) to run (default: all)."
    ),
    plan: str = typer.Option(DEFAULT_PLAN, help="Plan file id in data/plans/ or a path."),
    timeout: int = typer.Option(600, help="Seconds allowed per notebook cell."),
    demo: bool = typer.Option(
        True, help="Show clearly labelled synthetic demo data where no district data exist."
    ),
    jobs: int = typer.Option(0, help="Notebooks run at once (0: one per CPU core)."),
    param: list[str] = typer.Option(
        [],
        "--param",
        "-p",
        help="Other notebook parameter as NAME=VALUE, e.g. activity_log=/srv/log.csv or "
        "peers=上海市; repeat for several.",
    ),
    definition: list[str] = typer.Option(
        [],
        "--definition",
        "-d",
        help="High-value rule parameter as NAME=VALUE, changed from sources.yml's, e.g. "
        "pledge_threshold=5e6 or maintenance_from=grant_date; repeat for several.",
    ),
) -> None:
    """Run the briefing notebooks and publish HTML into reports/ (atomically)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from .errors import InputError

    try:
        from .publish import NOTEBOOKS
        from .publish import build as run_build
    except ModuleNotFoundError:  # the library was installed without the extra
        fail("ipanalysis build needs the briefings extra: pip install 'ipanalysis[briefings]'")

    parameters = {}
    for item in param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(f"--param takes NAME=VALUE, got '{item}'")
        parameters[name.strip()] = value
    if definition:
        parameters["definition"] = "; ".join(definition)
    total = len(region) * len(year) * len(notebook or NOTEBOOKS)
    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        disable=not sys.stderr.isatty(),  # logs get the result lines only
    )
    task = progress.add_task("briefings", total=total)

    def show(result) -> None:
        mark = "ok    " if result.ok else "FAILED"
        where = result.html if result.ok else f"{result.error} (notebook kept: {result.executed})"
        typer.echo(
            f"{mark} {result.region} {result.year} {result.notebook} "
            f"[{result.seconds:.1f}s] {where}"
        )
        progress.advance(task)

    try:
        with progress:
            results = run_build(
                region,
                year,
                lang=lang,
                notebooks=notebook or None,
                plan=plan,
                timeout=timeout,
                demo=demo,
                jobs=jobs or None,
                parameters=parameters,
                on_result=show,
            )
    except InputError as exc:
        fail(str(exc))
    failed = [r for r in results if not r.ok]
    if failed:
        fail(f"{len(failed)} of {len(results)} briefing(s) failed; the last good ones are kept")


# --- cleaning commands: read, read-patents, prepare (issue #3) --------------------------------


def _parse_scale(values: list[str]) -> dict[str, tuple[str, float]]:
    """``万元:亿元:0.0001`` options as read_table's ``scale`` mapping."""
    scale = {}
    for value in values:
        parts = value.replace("：", ":").split(":")
        try:
            source, target, factor = parts
            scale[source.strip()] = (target.strip(), float(factor))
        except ValueError:
            fail(f"--scale expects FROM:TO:FACTOR such as 万元:亿元:0.0001, not {value!r}")
    return scale


@app.command("read")
def read_command(
    file: Annotated[Path, typer.Argument(help="statistical release: .xlsx, .xls or .csv")],
    out: Annotated[Path, typer.Option("--out", help="tidy long table to write, .csv or .parquet")],
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="sheet name (default: the first sheet)")
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="period of the figures when the file names none")
    ] = None,
    measure: Annotated[
        str | None,
        typer.Option("--measure", help="measure name when the headers give only years"),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="the region of a table about one region (a measure per row) that names none",
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="convert figures to this unit, e.g. 亿元 or 万人")
    ] = None,
    scale: Annotated[
        list[str],
        typer.Option("--scale", help="explicit conversion FROM:TO:FACTOR, e.g. 万元:亿元:0.0001"),
    ] = [],  # noqa: B006 - typer reads the default, it is never mutated
    tolerance: Annotated[
        float | None,
        typer.Option("--tolerance", help="largest rounding difference of a total (its unit)"),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option("--encoding", help="CSV encoding when not UTF-8 or GBK/GB18030")
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="exit 1 when a cell is quarantined or a total differs"),
    ] = False,
) -> None:
    """Read a statistical release into a tidy long table (region, period, measure, value, unit).

    The CSV is written in UTF-8 with a byte-order mark, so that Excel opens it with its Chinese.
    """
    from .clean.tables import read_table
    from .errors import InputError

    if out.suffix.lower() not in (".csv", ".parquet"):
        fail(f"--out must end in .csv or .parquet, not {out.name!r}")
    try:
        result = read_table(
            file,
            sheet,
            period=period,
            to_unit=unit,
            scale=_parse_scale(scale),
            tolerance=tolerance,
            encoding=encoding,
            measure=measure,
            region=region,
        )
    except InputError as exc:
        fail(str(exc))
    data = result.data
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        data.to_csv(out, index=False, encoding="utf-8-sig")
    else:
        data.to_parquet(out, index=False)
    _print_table_summary(result)
    rec = result.reconciliation()
    typer.echo(f"written: {out} ({len(data)} rows)")
    if not rec["reconciles"]:
        fail("row counts do not reconcile")
    check = result.totals_check
    if strict and (len(result.quarantine) or check["status"].isin(["differs", "incomplete"]).any()):
        fail("--strict: cells were quarantined or totals differ (see above)")


def _print_table_summary(result) -> None:
    """What ``ipanalysis read`` found: regions, totals, measures, periods, units, the totals
    check, missing and quarantined cells, notes, and read = kept + quarantined."""
    data = result.data

    def listed(values, limit: int = 20) -> str:
        values = [str(v) for v in values]
        more = f", … ({len(values) - limit} more)" if len(values) > limit else ""
        return ", ".join(values[:limit]) + more

    regions = data.loc[~data["is_total"], "region"].drop_duplicates()
    totals = data.loc[data["is_total"], "region_label"].drop_duplicates()
    where = f"{result.file}, sheet '{result.sheet}'" if result.sheet else result.file
    typer.echo(f"read {where}" + (f": {result.title}" if result.title else ""))
    typer.echo(f"regions: {len(regions)} ({listed(regions)})")
    typer.echo(f"totals rows: {listed(totals) if len(totals) else 'none'}")
    measures = data["measure"].drop_duplicates()
    typer.echo(f"measures: {len(measures)} ({listed(measures)})")
    typer.echo(f"periods: {listed(data['period'].drop_duplicates())}")
    units = data["unit"].dropna().drop_duplicates()
    typer.echo(f"units: {listed(units) if len(units) else 'none stated'}")
    check = result.totals_check
    if len(check):
        summed = check[check["status"] != "not_additive"]
        bad = summed[summed["status"] != "ok"]
        typer.echo(
            f"totals check: {len(summed) - len(bad)} of {len(summed)} totals match the regions"
            + (f"; {len(bad)} do not (see notes)" if len(bad) else "")
            + (
                f"; {len(check) - len(summed)} not additive (ratios, shares), not summed"
                if len(summed) < len(check)
                else ""
            )
        )
    else:
        typer.echo("totals check: the file states no total")
    typer.echo(f"missing: {result.missing_cells} cell(s), kept with an empty value (never 0)")
    quarantine = result.quarantine
    typer.echo(f"quarantined: {len(quarantine)} cell(s) or row(s)")
    for entry in quarantine.itertuples():
        column = f", column '{entry.column}'" if isinstance(entry.column, str) else ""
        typer.echo(f"  row {entry.raw_row}{column}: {entry.reason}")
    for note in result.notes:
        typer.echo(f"note: {note}")
    rec = result.reconciliation()
    typer.echo(
        f"rows: read {rec['rows_read']} = kept {rec['rows_kept']} + quarantined "
        f"{rec['rows_quarantined']}"
    )


@app.command("read-patents")
def read_patents_command(
    file: Annotated[Path, typer.Argument(help="patent export: .csv, .xlsx or .xls")],
    out: Annotated[Path, typer.Option("--out", help="canonical patent table, .csv or .parquet")],
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="sheet of a workbook (default: the first)")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="reference date, YYYY-MM-DD; later dates are errors"),
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", help="header set (default: detected)")
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="the patentees' region for an export without addresses (e.g. 松江区); "
            "rows the file places are kept where they are",
        ),
    ] = None,
) -> None:
    """Read a patent export into the canonical patent table; print the reconciliation."""
    import pandas as pd

    from ipanalysis.clean.patents import read_patent_export

    def read():
        if as_of is not None:
            try:
                day = pd.Timestamp(as_of)
            except ValueError:
                day = pd.NaT
            if pd.isna(day):
                fail(f"--as-of must be a date like 2025-12-31, not {as_of!r}")
        return read_patent_export(file, sheet, platform=platform, as_of=as_of, region=region)

    result, quarantine_path = _read_and_write(read, out)
    data = result.data
    types = data["patent_type"].value_counts().reindex(["invention", "utility_model", "design"])
    table = types.fillna(0).astype(int).rename("patents").rename_axis("patent_type").reset_index()
    typer.echo(table.to_string(index=False))
    regions = (
        data["region"].fillna("<unknown>").value_counts().rename("patents").rename_axis("region")
    )
    regions = regions.reset_index().sort_values(["patents", "region"], ascending=[False, True])
    regions.insert(1, "name", regions["region"].map(_region_names()).fillna(""))
    typer.echo(regions.to_string(index=False))
    _written(result, out, quarantine_path)


# --- engine commands: high-value, stock (issue #4) --------------------------------------------

_PatentsFile = Annotated[
    Path, typer.Argument(help="canonical patent table, .csv or .parquet (extra columns ignored)")
]
_AsOf = Annotated[str, typer.Option("--as-of", help="reference date, YYYY-MM-DD")]


def _engine_input(path: Path, rule=None):
    """Read a patent table for the engine commands (only the inputs ``rule`` needs); bad input
    ends the command with one line."""
    from ipanalysis.errors import InputError
    from ipanalysis.io import read_patents
    from ipanalysis.schemas import is_synthetic

    try:
        patents = read_patents(path, definition=rule)
    except InputError as error:
        fail(str(error))
    return patents, is_synthetic(patents)


_Definition = Annotated[
    list[str] | None,
    typer.Option(
        "--definition",
        "-d",
        help="high-value rule parameter as NAME=VALUE (e.g. pledge_threshold=5e6, "
        "maintenance_from=grant_date, strategic_emerging_source=flag); repeat for several",
    ),
]


def _definition(given: list[str] | None):
    """The high-value definition with the ``--definition`` options applied."""
    from ipanalysis.errors import InputError
    from ipanalysis.io.definition import definition_from

    try:
        return definition_from("; ".join(given or []))
    except InputError as error:
        fail(str(error))


def _as_of(value: str):
    import pandas as pd

    try:
        return pd.Timestamp(value)
    except ValueError:
        fail(f"--as-of must be a date like 2023-12-31, not {value!r}")


def _region_names() -> dict[str, str]:
    from ipanalysis.regions import region_names

    return region_names()


def _print_table(frame, title: str, synthetic: bool) -> None:
    if synthetic:
        typer.echo("*** SYNTHETIC DATA: generated records, not observations ***")
    typer.echo(title)
    typer.echo(frame.to_string(index=False))


@app.command("high-value")
def high_value(
    patents_file: _PatentsFile,
    as_of: _AsOf,
    out: Annotated[Path, typer.Option("--out", help="output file, .csv or .parquet")],
    definition: _Definition = None,
) -> None:
    """Classify each patent on CNIPA's five high-value criteria at a date; totals by region."""
    from ipanalysis import high_value as hv

    day = _as_of(as_of)
    rule = _definition(definition)
    if out.suffix.lower() not in (".csv", ".parquet"):
        fail(f"--out must end in .csv or .parquet, not {out.name!r}")
    patents, synthetic = _engine_input(patents_file, rule)
    result = hv.classify(patents, day, rule)
    if "application_number" not in result.columns:
        fail(f"{patents_file.name}: patent table lacks column application_number")
    table = result[["application_number", *hv.CRITERIA, "valid", "high_value"]]
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".csv":
        table.to_csv(out, index=False)
    else:
        table.to_parquet(out, index=False)
    totals = hv.counts_by_region(result, patents["region"] if "region" in patents else None)
    totals.insert(1, "name", totals["region"].map(_region_names()).fillna(""))
    columns = ["valid", "high_value", "high_value_unknown"]
    totals.loc[len(totals)] = ["total", "", *totals[columns].sum().tolist()]
    title = (
        f"{len(table):,} patents classified at {day.date()} "
        f"({rule.describe()}); written to {out}\n"
        "all patentees; the per-10k indicator counts domestic ones only"
    )
    why = result.attrs.get("strategic_emerging_unknown") or {}
    if why:
        reasons = "; ".join(f"{reason} ({n:,})" for reason, n in why.items())
        title += f"\nstrategic emerging unknown for {sum(why.values()):,} valid patents: {reasons}"
    _print_table(totals, title, synthetic)


@app.command("stock")
def stock_command(
    patents_file: _PatentsFile,
    as_of: _AsOf,
    population: Annotated[
        Path | None,
        typer.Option(
            "--population", help="population CSV: adcode/region and resident_population_10k"
        ),
    ] = None,
    definition: _Definition = None,
) -> None:
    """Valid and high-value invention patents at a date by region (per 10k with population)."""
    from ipanalysis.errors import InputError
    from ipanalysis.io import load_population, scan_patents
    from ipanalysis.schemas import is_synthetic

    day = _as_of(as_of)
    rule = _definition(definition)
    try:
        pop = None if population is None else load_population(population)
        # one read of the file, a row group at a time where it is parquet
        table = scan_patents(patents_file, dates=day, population=pop, definition=rule).stocks
    except InputError as error:
        fail(str(error))
    synthetic = is_synthetic(table)
    table = table.drop(columns=["date"])
    table.insert(1, "name", table["region"].map(_region_names()).fillna(""))
    title_note = ""
    if "population_year" in table.columns:
        years = sorted(table["population_year"].dropna().unique())
        title_note = f"; population of {', '.join(str(y) for y in years)}" if years else ""
    if "population_10k" in table.columns:
        known = table["population_10k"].notna()
        if not known.any():
            title_note = f"; {population.name} gives no population of these regions"
        table["population_10k"] = table["population_10k"].map(str).where(known, "unknown")
    for column in ("valid_per_10k", "high_value_per_10k"):
        if column in table.columns:  # unknown is never shown as 0 (nor as NaN)
            rounded = table[column].round(2).map(lambda v: f"{v:.2f}")
            table[column] = rounded.where(table[column].notna(), "unknown")
    title = (
        f"invention patents held at {day.date()} by domestic patentees "
        f"({rule.describe()}){title_note}"
    )
    _print_table(table.drop(columns=["population_year"], errors="ignore"), title, synthetic)


# --- the records an office holds: read-pct, read-madrid, read-transactions, read-value-added ----

_RecordFile = Annotated[Path, typer.Argument(help="the list: .csv, .xlsx or .xls")]
_RecordOut = Annotated[
    Path, typer.Option("--out", help="canonical table to write, .csv or .parquet")
]
_RecordSheet = Annotated[
    str | None, typer.Option("--sheet", help="sheet of a workbook (default: the first)")
]
_RecordRegion = Annotated[
    str | None,
    typer.Option(
        "--region",
        help="the region of the whole list where rows name none (e.g. 松江区); "
        "rows the file places are kept where they are",
    ),
]


def _read_and_write(read, out: Path):
    """Run a reader (``read()``: a result with ``data``, ``quarantine``, counts and notes),
    write its table to ``out`` and its quarantine beside it, print the reconciliation and the
    notes. Returns the result and the quarantine's path."""
    from ipanalysis.errors import InputError

    if out.suffix.lower() not in (".csv", ".parquet"):
        fail(f"--out must end in .csv or .parquet, not {out.name!r}")
    try:
        result = read()
    except InputError as error:
        fail(str(error))
    quarantine_path = out.with_name(f"{out.stem}.quarantine.csv")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".csv":
            result.data.to_csv(out, index=False, date_format="%Y-%m-%d")
        else:
            result.data.to_parquet(out, index=False)
        result.quarantine.to_csv(quarantine_path, index=False)
    except OSError as error:
        fail(f"cannot write {error.filename or out}: {error.strerror or error}")
    typer.echo(
        f"{result.file}: read {result.rows_read} = kept {result.rows_kept} "
        f"+ quarantined {result.rows_quarantined}"
    )
    for note in result.notes:
        typer.echo(f"note: {note}")
    return result, quarantine_path


def _written(result, out: Path, quarantine_path: Path) -> None:
    """Say where the table and the quarantine went; fail when the counts do not reconcile."""
    typer.echo(f"canonical table written to {out}")
    typer.echo(f"quarantine ({len(result.quarantine)} entries) written to {quarantine_path}")
    if not result.reconciliation()["reconciles"]:
        fail("row counts do not reconcile")


def _records_command(read, out: Path, counted: str, by: list[str]) -> None:
    """Run a records reader, write its table and quarantine, print the reconciliation, the
    notes and the counts by region (``by``: the columns counted over, region first)."""
    result, quarantine_path = _read_and_write(read, out)
    data = result.data.rename(columns={"region_code": "region"})
    if "region" in by:
        data = data.assign(region=data["region"].fillna("<unknown>"))
    counts = data.groupby(by, dropna=False).size().rename(counted).reset_index()
    counts = counts.sort_values([counted, *by], ascending=[False, *[True] * len(by)])
    if "region" in by:
        counts.insert(1, "name", counts["region"].map(_region_names()).fillna(""))
    typer.echo(counts.to_string(index=False) if len(counts) else f"no {counted} kept")
    _written(result, out, quarantine_path)


@app.command("read-pct")
def read_pct_command(
    file: _RecordFile, out: _RecordOut, sheet: _RecordSheet = None, region: _RecordRegion = None
) -> None:
    """Read a PCT application list (an office's, or a PATENTSCOPE result list)."""
    from ipanalysis.clean.records import read_pct_list

    _records_command(lambda: read_pct_list(file, sheet, region), out, "applications", ["region"])


@app.command("read-madrid")
def read_madrid_command(
    file: _RecordFile, out: _RecordOut, sheet: _RecordSheet = None, region: _RecordRegion = None
) -> None:
    """Read a Madrid international trademark application list."""
    from ipanalysis.clean.records import read_madrid_list

    _records_command(lambda: read_madrid_list(file, sheet, region), out, "applications", ["region"])


@app.command("read-transactions")
def read_transactions_command(
    file: _RecordFile,
    out: _RecordOut,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="transfer, licence or pledge (default: told by the headers)"),
    ] = None,
    sheet: _RecordSheet = None,
    region: _RecordRegion = None,
    party: Annotated[
        str,
        typer.Option("--party", help="whose region: holder (default) or counterparty"),
    ] = "holder",
) -> None:
    """Read a transfer, licence or pledge list: one row per registration."""
    from ipanalysis.clean.records import read_transactions

    _records_command(
        lambda: read_transactions(file, kind, sheet, region, party),
        out,
        "registrations",
        ["region", "event_type"],
    )


@app.command("read-value-added")
def read_value_added_command(
    file: _RecordFile,
    out: _RecordOut,
    sheet: _RecordSheet = None,
    region: _RecordRegion = None,
    year: Annotated[
        int | None, typer.Option("--year", help="year of the figures when the table names none")
    ] = None,
) -> None:
    """Read value added by four-digit industry class (GB/T 4754-2017), in 亿元."""
    from ipanalysis.clean.records import read_value_added

    _records_command(
        lambda: read_value_added(file, sheet, region, year), out, "classes", ["region", "year"]
    )


@app.command("read-activity-log")
def read_activity_log_command(
    file: _RecordFile,
    out: _RecordOut,
    plan: Annotated[
        str | None,
        typer.Option("--plan", help="plan whose activity ids the log may use (default: any id)"),
    ] = None,
) -> None:
    """Read an activity log: unknown activities and regions are set aside with their reason."""
    from ipanalysis.clean.records import read_activity_log
    from ipanalysis.errors import InputError
    from ipanalysis.plans import load_plan, plan_path

    try:
        ids = [a.id for a in load_plan(plan_path(plan)).activities] if plan else None
    except InputError as error:
        fail(str(error))
    _records_command(
        lambda: read_activity_log(file, activities=ids), out, "rows", ["region", "activity"]
    )


@app.command("read-pii-classification")
def read_pii_classification_command(
    file: _RecordFile, out: _RecordOut, sheet: _RecordSheet = None
) -> None:
    """Read an office's GB/T 4754 class → NBS 2019 patent-intensive category mapping."""
    from ipanalysis.clean.records import read_pii_classification

    _records_command(
        lambda: read_pii_classification(file, sheet), out, "classes", ["category_code"]
    )


if __name__ == "__main__":  # pragma: no cover
    app()
