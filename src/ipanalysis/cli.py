"""Command line: ``ipanalysis --help``.

Commands print a one-line reason and exit non-zero on bad input (no tracebacks for user errors);
they are thin wrappers over library functions.
"""

from __future__ import annotations

import typer

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
    """Read every source in data/raw/ (see data/sources.yml) into data/processed/."""
    from .quarantine import InputError
    from .sources import prepare as run_prepare

    try:
        result = run_prepare()
    except InputError as exc:
        fail(str(exc))
    table = result.reconciliation
    for row in table.itertuples():
        typer.echo(
            f"{row.file}: read {row.rows_read} = kept {row.rows_kept} "
            f"+ quarantined {row.rows_quarantined}"
        )
    typer.echo(
        f"total: read {table.rows_read.sum()} = kept {table.rows_kept.sum()} + "
        f"quarantined {table.rows_quarantined.sum()}; "
        f"{len(result.observations)} observations"
    )
    if not table.reconciles.all():
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
    plan: str = typer.Option("songjiang-2024-2026", help="Plan file id in data/plans/ or a path."),
    timeout: int = typer.Option(600, help="Seconds allowed per notebook cell."),
) -> None:
    """Run the briefing notebooks and publish HTML into reports/ (atomically)."""
    from .build import build as run_build
    from .quarantine import InputError

    def show(result) -> None:
        mark = "ok    " if result.ok else "FAILED"
        where = result.html if result.ok else f"{result.error} (notebook kept: {result.executed})"
        typer.echo(
            f"{mark} {result.region} {result.year} {result.notebook} "
            f"[{result.seconds:.1f}s] {where}"
        )

    try:
        results = run_build(
            region,
            year,
            lang=lang,
            notebooks=notebook or None,
            plan=plan,
            timeout=timeout,
            on_result=show,
        )
    except InputError as exc:
        fail(str(exc))
    failed = [r for r in results if not r.ok]
    if failed:
        fail(f"{len(failed)} of {len(results)} briefing(s) failed; the last good ones are kept")


# --- cleaning commands: read, read-patents, prepare (issue #3) --------------------------------


# --- engine commands: high-value, stock (issue #4) --------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    app()
