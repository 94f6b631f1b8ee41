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


# --- cleaning commands: read, read-patents, prepare (issue #3) --------------------------------


# --- engine commands: high-value, stock (issue #4) --------------------------------------------


if __name__ == "__main__":  # pragma: no cover
    app()
