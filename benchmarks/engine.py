"""Benchmark: classification plus year-end stocks by region, ipanalysis vs DuckDB SQL.

    .venv/bin/python benchmarks/engine.py            # 5,000,000 records
    .venv/bin/python benchmarks/engine.py --n 200000

Generates N synthetic patent records (``ipanalysis.io.demo.generate_patents``), writes them to
parquet in ``benchmarks/output/`` (git-ignored), then runs the same work twice, each in a fresh
process so that peak memory (``VmHWM``) belongs to that run alone:

* library: ``io.scan_patents`` — the classification at the last year end and the stocks by region
  at 10 year ends (domestic patentees) from one read of the file, a row group at a time;
* frames: the same work through one frame of every patent: ``io.read_patents`` (parquet, engine
  columns) + ``high_value.classify`` + ``high_value.stock`` (what a notebook does on a table it
  already holds);
* DuckDB: the same parquet, the classification materialised as a temporary table, and the same
  aggregation in SQL.

It prints records/s, wall time, peak MB and the ratio of the library's wall time to DuckDB's, and
checks that all three give identical stock tables and high-value counts, and the library the
frames' very classification and stock frames (dtypes, index and attrs included). Not a test: nothing here runs under pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST, LAST = 2016, 2025


def _peak_mb() -> float:
    """Peak resident memory of this process in MiB.

    Linux's ``ru_maxrss`` survives ``fork``/``exec`` (a child reports its parent's peak if that was
    larger), so read the process's own high-water mark, ``VmHWM``, where it exists.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run_library(path: Path, result: Path) -> dict:
    from ipanalysis import high_value
    from ipanalysis.io import scan_patents

    definition = high_value.DEFAULT_DEFINITION
    start = time.perf_counter()
    scan = scan_patents(
        path, f"{LAST}-12-31", high_value.year_ends(FIRST, LAST), "region", None, definition
    )
    wall, peak = time.perf_counter() - start, _peak_mb()
    scan.stocks.to_csv(result, index=False)
    _keep(scan.classified, scan.stocks, result)
    return {
        "wall_s": wall,
        "peak_mb": peak,
        "high_value_last": int(scan.classified["high_value"].fillna(False).sum()),
        "how": scan.how,
    }


def run_frames(path: Path, result: Path) -> dict:
    from ipanalysis import high_value
    from ipanalysis.io import read_patents

    definition = high_value.DEFAULT_DEFINITION
    start = time.perf_counter()
    # read for the definition: the IPC and text only for patents without a flag (none here)
    patents = read_patents(path, definition)
    classified = high_value.classify(patents, f"{LAST}-12-31", definition)
    stocks = high_value.stock(
        patents, high_value.year_ends(FIRST, LAST), "region", None, definition
    )
    wall, peak = time.perf_counter() - start, _peak_mb()
    assert len(classified) == len(patents)
    stocks.to_csv(result, index=False)
    _keep(classified, stocks, result)
    return {
        "wall_s": wall,
        "peak_mb": peak,
        "high_value_last": int(classified["high_value"].fillna(False).sum()),
    }


def _sql(path: Path) -> tuple[str, str]:
    import pandas as pd

    from ipanalysis.high_value import DEFAULT_DEFINITION as d

    pattern = "|".join(re.escape(a) for a in d.awards).replace("'", "''")
    source = f"read_parquet('{path}')"
    criteria = f"""
        strategic_emerging,
        overseas_family,
        coalesce(pledge_amount >= {d.pledge_threshold}, false) AS high_pledge,
        coalesce(regexp_matches(award, '{pattern}'), false) AS award_met"""
    last = pd.Timestamp(LAST, 12, 31)
    years = d.maintenance_years
    # "maintained over N years" is filing_date + N years < as_of; for 31 December reference dates
    # that is filing_date < as_of - N years (no 29 February to clamp)
    cutoff = pd.Timestamp(LAST - years, 12, 31)
    classify = f"""
        CREATE TEMP TABLE classified AS
        SELECT application_number, {criteria},
            filing_date < TIMESTAMP '{cutoff}' AS maintained,
            patent_type = 'invention' AND grant_date <= TIMESTAMP '{last}'
                AND coalesce(lapse_date > TIMESTAMP '{last}', true) AS valid
        FROM {source};
        SELECT count(*) FILTER (WHERE valid AND (strategic_emerging OR overseas_family
            OR high_pledge OR award_met OR maintained)) FROM classified"""
    dates = ", ".join(
        f"(TIMESTAMP '{y}-12-31', TIMESTAMP '{y - years}-12-31')" for y in range(FIRST, LAST + 1)
    )
    stock = f"""
        WITH dates(as_of, cutoff) AS (VALUES {dates}),
        p AS (
            SELECT region, grant_date, filing_date, lapse_date,
                (strategic_emerging OR overseas_family
                 OR coalesce(pledge_amount >= {d.pledge_threshold}, false)
                 OR coalesce(regexp_matches(award, '{pattern}'), false)) AS static_met
            FROM {source}
            WHERE patent_type = 'invention' AND domestic AND grant_date IS NOT NULL
        ),
        v AS (
            SELECT as_of, region, (static_met OR filing_date < cutoff) AS met
            FROM p CROSS JOIN dates
            WHERE grant_date <= as_of AND (lapse_date IS NULL OR lapse_date > as_of)
        )
        SELECT as_of AS date, region, count(*) AS valid,
            count(*) FILTER (WHERE met IS TRUE) AS high_value,
            count(*) FILTER (WHERE met IS NULL) AS high_value_unknown
        FROM v GROUP BY ALL ORDER BY 1, 2"""
    return classify, stock


def run_duckdb(path: Path, result: Path) -> dict:
    import duckdb

    classify, stock = _sql(path)
    start = time.perf_counter()
    con = duckdb.connect()
    high_value_last = con.execute(classify).fetchone()[0]
    stocks = con.execute(stock).df()
    wall = time.perf_counter() - start
    stocks.to_csv(result, index=False)
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    return {
        "wall_s": wall,
        "peak_mb": _peak_mb(),
        "threads": threads,
        "high_value_last": int(high_value_last),
    }


def _child(kind: str, path: Path, result: Path) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--parquet", str(path)]
    out = subprocess.run([*command, "--result", str(result)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{kind} run failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _same(a: Path, b: Path) -> bool:
    import pandas as pd

    left = pd.read_csv(a, dtype={"region": str}, parse_dates=["date"])
    right = pd.read_csv(b, dtype={"region": str}, parse_dates=["date"])
    cols = ["date", "region", "valid", "high_value", "high_value_unknown"]
    # DuckDB omits (date, region) pairs with no valid patent; the library lists them with zeros
    left = left[cols][left["valid"] > 0].sort_values(["date", "region"], ignore_index=True)
    right = right[cols].sort_values(["date", "region"], ignore_index=True)
    return left.equals(right)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5_000_000, help="records (default 5,000,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    parser.add_argument("--output", type=Path, default=HERE / "output")
    parser.add_argument("--child", choices=list(RUNS), help=argparse.SUPPRESS)
    parser.add_argument("--parquet", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(RUNS[args.child](args.parquet, args.result)))
        return 0

    from ipanalysis.io import demo

    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / f"patents_{args.n}_{args.seed}.parquet"
    if not path.exists():
        start = time.perf_counter()
        demo.write_parquet(demo.generate_patents(args.n, seed=args.seed), path)
        print(
            f"generated {args.n:,} synthetic records in {time.perf_counter() - start:.1f} s "
            f"-> {path} ({path.stat().st_size / 2**20:.0f} MB)"
        )
    runs: dict[str, list[dict]] = {kind: [] for kind in RUNS}
    for _ in range(args.repeat):
        for kind in runs:
            runs[kind].append(_child(kind, path, args.output / f"stock_{kind}.csv"))
    best = {kind: min(x["wall_s"] for x in r) for kind, r in runs.items()}
    median = {kind: statistics.median(x["wall_s"] for x in r) for kind, r in runs.items()}
    peak = {kind: max(x["peak_mb"] for x in r) for kind, r in runs.items()}
    print(
        f"records: {args.n:,}; work: read parquet + classify at {LAST}-12-31 + stocks by region "
        f"at {LAST - FIRST + 1} year ends; {args.repeat} alternating runs each; "
        f"cpus: {os.cpu_count()}; duckdb threads: {runs['duckdb'][0]['threads']}"
    )
    for kind in runs:
        print(
            f"{kind:8s} wall best {best[kind]:5.2f} s, median {median[kind]:5.2f} s  "
            f"{args.n / best[kind]:11,.0f} records/s (best)  peak {peak[kind]:6.0f} MB"
        )
    stock = {kind: args.output / f"stock_{kind}.csv" for kind in RUNS}
    same = _same(stock["library"], stock["duckdb"]) and _same(stock["frames"], stock["duckdb"])
    same &= {x["high_value_last"] for r in runs.values() for x in r} == {
        runs["library"][0]["high_value_last"]
    }
    same &= _same_frames(stock["library"], stock["frames"])
    print(f"library read the file by: {', '.join(sorted({x['how'] for x in runs['library']}))}")
    for kind in ("library", "frames"):
        print(
            f"ratio {kind}/duckdb wall time: best {best[kind] / best['duckdb']:.2f}, "
            f"median {median[kind] / median['duckdb']:.2f} (target: median <= 0.7); "
            f"peak {kind} {peak[kind]:.0f} MB (target < 1024)"
        )
    print(f"identical results (stocks, high-value count, classification): {same}")
    return 0 if same else 1


def _keep(classified, stocks, result: Path) -> None:
    """Both results as they are (pickled: dtypes, index and attrs kept), for _same_frames."""
    with open(result.with_suffix(".pickle"), "wb") as file:
        pickle.dump((classified, stocks), file)


def _same_frames(a: Path, b: Path) -> bool:
    """Whether two runs' classification and stocks are the same frames, attrs included."""
    import pandas as pd

    with (
        open(a.with_suffix(".pickle"), "rb") as left,
        open(b.with_suffix(".pickle"), "rb") as right,
    ):
        pairs = list(zip(pickle.load(left), pickle.load(right), strict=True))
    try:
        for x, y in pairs:
            pd.testing.assert_frame_equal(x, y)
    except AssertionError as error:
        print(f"library and frames differ: {error}")
        return False
    return all(x.attrs == y.attrs for x, y in pairs)


RUNS = {"library": run_library, "frames": run_frames, "duckdb": run_duckdb}


if __name__ == "__main__":
    sys.exit(main())
