"""Reading a large patent export: read_patent_export against pyarrow's parse, in one run.

Builds a 1,000,000-row, 61-column CSV (abstracts and claims included) in a temporary folder by
repeating the real 10-row export ``tests/fixtures/patents/cn_export_10rows.csv`` with distinct,
valid application numbers (ZC 0006-2003 check digits; each row keeps its type digit), then, each
in a fresh process so that peak memory is its own:

1. pyarrow parses the columns the reader needs (multi-threaded, as strings);
2. ``read_patent_export`` reads and cleans the file into the canonical table.

Prints wall time and peak memory (max RSS) of each and their ratio. The generated file is
deleted afterwards; nothing is written to the repository. Goal (issue 12): read and clean in at
most 3 x pyarrow's parse time, peak memory under 2 GB.

    python benchmarks/read_patents.py [--rows 1000000] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "patents" / "cn_export_10rows.csv"
WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


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


def measure(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; its wall time, peak memory and printed result."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2  # KiB → GiB
    return {"wall_s": wall, "peak_gb": peak, "out": done.stdout.strip()}


PYARROW = """
import pyarrow as pa, pyarrow.csv as pc, sys, json
from ipanalysis.clean.patents.headers import _header_plan
path = sys.argv[-1] if False else {path!r}
names = open(path, encoding="utf-8").readline().rstrip("\\n").split(",")
columns = list(_header_plan(names, None)[0])
table = pc.read_csv(path,
    parse_options=pc.ParseOptions(newlines_in_values=True),
    convert_options=pc.ConvertOptions(include_columns=columns,
        column_types={{c: pa.string() for c in columns}}))
print(json.dumps({{"rows": table.num_rows, "columns": table.num_columns}}))
"""

READER = """
import json
from ipanalysis.clean.patents import read_patent_export
result = read_patent_export({path!r}, as_of="2025-12-31")
print(json.dumps(result.reconciliation()))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated CSV")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ipanalysis-bench-"))
    path = folder / "export.csv"
    start = time.perf_counter()
    build(path, args.rows)
    size = path.stat().st_size / 1024**3
    print(
        f"built {path} ({args.rows:,} rows, 61 columns, {size:.2f} GB) in "
        f"{time.perf_counter() - start:.0f} s"
    )
    try:
        # each measurement in its own process: RUSAGE_CHILDREN's max is the largest so far,
        # so the smaller (pyarrow) runs first
        arrow = measure(PYARROW.format(path=str(path)))
        reader = measure(READER.format(path=str(path)))
    finally:
        if not args.keep:
            path.unlink()
            folder.rmdir()
    print(
        f"pyarrow parse of the needed columns: {arrow['wall_s']:.1f} s, peak "
        f"{arrow['peak_gb']:.2f} GB ({arrow['out']})"
    )
    print(
        f"read_patent_export (read + clean):   {reader['wall_s']:.1f} s, peak "
        f"{reader['peak_gb']:.2f} GB ({reader['out']})"
    )
    ratio = reader["wall_s"] / arrow["wall_s"]
    print(f"ratio: {ratio:.1f} x pyarrow (goal <= 3 x), peak goal < 2 GB")
    print(
        json.dumps(
            {
                "rows": args.rows,
                "size_gb": round(size, 2),
                "pyarrow": arrow,
                "reader": reader,
                "ratio": round(ratio, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
