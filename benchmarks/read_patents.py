"""Reading a large patent export: read_patent_export against pyarrow and DuckDB, in one run.

Builds 61-column CSV exports (abstracts and claims included) of 200,000 and 1,000,000 rows in a
temporary folder by repeating the real 10-row export ``tests/fixtures/patents/cn_export_10rows.csv``
with distinct, valid application numbers (ZC 0006-2003 check digits; each row keeps its type
digit), reads each file once so that every run finds it in the page cache, then, alternating, each
in a fresh process so that peak memory (``VmHWM``) is its own:

1. **pyarrow parse**: ``pyarrow.csv.read_csv`` of the columns the reader needs, as strings
   (multi-threaded);
2. **DuckDB scan**: ``read_csv`` of the same columns, counted (all text);
3. **read_patent_export**: the file read and cleaned into the canonical patent table (validated).

Prints, per size, the best and median time of each (measured inside the process, after its
imports; the ratio is taken on these), the best time of the whole process (interpreter start and
imports included) and the peak memory, and the reader's ratio to pyarrow. The load average is
printed too: on a shared machine the figures are only as quiet as the machine. The generated files are deleted
afterwards; nothing is written to the repository. Goal (issue 12): read and clean in at most
3 x pyarrow's parse time, peak memory under 2 GB.

    python benchmarks/read_patents.py [--rows 200000 1000000] [--repeat 3] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "patents" / "cn_export_10rows.csv"
WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
AS_OF = "2025-12-31"
TOOLS = ("pyarrow", "duckdb", "reader")
LABELS = {"pyarrow": "pyarrow parse", "duckdb": "DuckDB scan", "reader": "read_patent_export"}


def check_digit(digits: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def build(path: Path, rows: int) -> None:
    """Write the export: the fixture's rows repeated, each with a new application number."""
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        template = list(reader)
    number = header.index("申请号")
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for i in range(rows):
            row = list(template[i % len(template)])
            type_digit = row[number][6]  # CN + 4-digit year + type digit
            digits = f"2021{type_digit}{i:07d}"
            row[number] = f"CN{digits}.{check_digit(digits)}"
            writer.writerow(row)


def _peak_gb() -> float:
    """Peak resident memory of this process in GiB (``VmHWM``: see ``engine._peak_mb``)."""
    from engine import _peak_mb  # the script beside this one (benchmarks/ is on sys.path)

    return _peak_mb() / 1024


def _columns(path: Path) -> list[str]:
    from ipanalysis.clean.patents.headers import header_map

    with path.open(encoding="utf-8", newline="") as handle:
        names = next(csv.reader(handle))
    return list(header_map(names))


def run_pyarrow(path: Path) -> dict:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    columns = _columns(path)
    start = time.perf_counter()
    table = pacsv.read_csv(
        path,
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            include_columns=columns, column_types={c: pa.string() for c in columns}
        ),
    )
    return {"wall_s": time.perf_counter() - start, "rows": table.num_rows}


def run_duckdb(path: Path) -> dict:
    import duckdb

    columns = _columns(path)
    counts = ", ".join(f'count("{c}")' for c in columns)
    start = time.perf_counter()
    con = duckdb.connect()
    found = con.execute(
        f"SELECT count(*), {counts} FROM read_csv(?, header = true, all_varchar = true)",
        [str(path)],
    ).fetchone()
    return {"wall_s": time.perf_counter() - start, "rows": found[0]}


def run_reader(path: Path) -> dict:
    from ipanalysis.clean.patents import read_patent_export

    start = time.perf_counter()
    result = read_patent_export(path, as_of=AS_OF)
    wall = time.perf_counter() - start
    return {"wall_s": wall, "rows": result.rows_read, **result.reconciliation()}


def _child(tool: str, path: Path) -> dict:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", tool, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    process = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{tool} run failed:\n{done.stderr}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "process_s": process}


def measure(path: Path, repeat: int) -> dict:
    """Alternating runs of every tool on ``path``: times, peaks and rows of each."""
    with path.open("rb") as handle:  # into the page cache, so that no run pays the disk
        while handle.read(1 << 24):
            pass
    runs: dict[str, list[dict]] = {tool: [] for tool in TOOLS}
    for _ in range(repeat):
        for tool in TOOLS:
            runs[tool].append(_child(tool, path))
    out = {}
    for tool, found in runs.items():
        walls = [r["wall_s"] for r in found]
        out[tool] = {
            "best_s": round(min(walls), 2),
            "median_s": round(statistics.median(walls), 2),
            "process_best_s": round(min(r["process_s"] for r in found), 2),
            "peak_gb": round(max(r["peak_gb"] for r in found), 2),
            "rows": found[-1]["rows"],
        }
    out["reader"]["reconciles"] = all(r["reconciles"] for r in runs["reader"])
    for stat in ("best_s", "median_s"):
        out[f"ratio_{stat[:-2]}"] = round(out["reader"][stat] / out["pyarrow"][stat], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool (alternating)")
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV files")
    parser.add_argument("--child", nargs=2, metavar=("TOOL", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tool, path = args.child
        found = {"pyarrow": run_pyarrow, "duckdb": run_duckdb, "reader": run_reader}[tool](
            Path(path)
        )
        print(json.dumps({**found, "peak_gb": _peak_gb()}))
        return
    folder = Path(tempfile.mkdtemp(prefix="ipanalysis-bench-"))
    figures = []
    try:
        for rows in args.rows:
            path = folder / f"export_{rows}.csv"
            start = time.perf_counter()
            build(path, rows)
            size = path.stat().st_size / 1024**3
            print(
                f"built {path} ({rows:,} rows, 61 columns, {size:.2f} GB) in "
                f"{time.perf_counter() - start:.0f} s",
                flush=True,
            )
            found = measure(path, args.repeat)
            figures.append({"rows": rows, "size_gb": round(size, 2), **found})
            if not args.keep:
                path.unlink()
    finally:
        if not args.keep and not any(folder.iterdir()):
            folder.rmdir()
    print(
        f"\n{'rows':>9}  {'file':>7}  {'run':<19}{'best':>8}{'median':>8}{'process':>9}{'peak':>8}"
    )
    for f in figures:
        for i, tool in enumerate(TOOLS):
            lead = f"{f['rows']:>9,}  {f['size_gb']:>5.2f}GB" if i == 0 else " " * 18
            t = f[tool]
            print(
                f"{lead}  {LABELS[tool]:<19}{t['best_s']:>7.2f}s{t['median_s']:>7.2f}s"
                f"{t['process_best_s']:>8.2f}s{t['peak_gb']:>6.2f}GB"
            )
        print(
            f"{'':18}  read_patent_export / pyarrow: {f['ratio_best']:.2f} (best), "
            f"{f['ratio_median']:.2f} (median); goal <= 3, peak < 2 GB; rows "
            f"{f['reader']['rows']:,} read, reconciles: {f['reader']['reconciles']}"
        )
    print(f"load average (1, 5, 15 min): {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(json.dumps({"repeat": args.repeat, "figures": figures}))


if __name__ == "__main__":
    main()
