"""Benchmark: all briefings for the 16 Shanghai districts, ``ipanalysis build`` vs the plain way.

    .venv/bin/python benchmarks/briefings.py                  # 16 districts, 2025, both ways
    .venv/bin/python benchmarks/briefings.py --districts 2 --skip-plain

Works in ``benchmarks/output/briefings/`` (git-ignored): a project copy (``home/``: data without
processed outputs, notebooks) used as ``IPANALYSIS_HOME``, the briefings built by ipanalysis in
``home/reports/`` and those built the plain way in ``plain/``. In order:

1. a single district's full set (松江区, every notebook) with the CLI, ``ipanalysis build -r 松江区
   -y YEAR``, as a scheduled run does: the first run in the fresh copy (``cold``: it prepares the
   data and generates the demo records) and ``--repeat`` more (``warm``);
2. ipanalysis: every notebook for N districts in one ``publish.build`` call (warm kernels, ``--jobs``
   at once), in a child process;
3. the plain way: for each district and notebook, ``papermill`` CLI (a new kernel each time) then
   ``jupyter nbconvert --to html --no-input`` CLI, as subprocesses, one after another
   (``--plain-jobs`` districts at once).

Both ways read the same prepared data and demo cache (made by step 1). It prints wall times, the
time per district and the ratio plain / ipanalysis, and exits non-zero when a run failed. Not a
test: nothing here runs under pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
SINGLE = "310117"  # 松江区
PLAN = "songjiang-2024-2026"  # its plan; the other districts get a copy naming them

# Runs in a child process: the library call, results as JSON on the last line of stdout.
_LIBRARY_RUN = """
import json, sys, time
from ipanalysis import publish as build
regions, year, jobs, plans = json.loads(sys.argv[1])
start = time.perf_counter()
results = build.build(regions, [year], jobs=jobs or None, plan=plans)
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "results": [
    {"code": r.region_code, "notebook": r.notebook, "ok": r.ok, "seconds": r.seconds,
     "error": r.error} for r in results]}))
"""


def districts(count: int) -> list[tuple[str, str]]:
    """(code, name) of the first ``count`` current Shanghai districts, Songjiang first."""
    import pandas as pd

    from ipanalysis.paths import REFERENCE_DIR

    regions = pd.read_csv(REFERENCE_DIR / "regions.csv", dtype=str)
    current = regions[
        (regions["parent_code"] == "310000")
        & (regions["level"] == "district")
        & regions["valid_to"].isna()
    ]
    pairs = sorted(zip(current["code"], current["name"], strict=True))
    pairs.sort(key=lambda pair: pair[0] != SINGLE)
    return pairs[:count]


def make_home(out: Path) -> Path:
    """A fresh project copy: data (no processed outputs) and notebooks."""
    home = out / "home"
    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(ROOT / "data", home / "data", ignore=shutil.ignore_patterns("processed"))
    (home / "data" / "processed").mkdir()
    shutil.copytree(ROOT / "notebooks", home / "notebooks")
    return home


def district_plans(out: Path, codes: list[str]) -> dict[str, str]:
    """A plan for each district: Songjiang's own, and for the others a copy of it written for
    that district (its ``region`` changed), as ``ipanalysis build`` wants a plan per region."""
    from ipanalysis.plans import plan_path

    text = plan_path(PLAN).read_text(encoding="utf-8")
    folder = out / "plans"
    folder.mkdir(parents=True, exist_ok=True)
    plans = {}
    for code in codes:
        if code == SINGLE:
            plans[code] = PLAN
            continue
        copy = folder / f"{code}.yaml"
        copy.write_text(text.replace(f'region: "{SINGLE}"', f'region: "{code}"', 1), "utf-8")
        plans[code] = str(copy)
    return plans


def _env(home: Path) -> dict[str, str]:
    """The runs' environment: the project copy, and a cache of its own (font subsets), so that
    the cold run starts with none and the warm runs reuse what the runs before them kept."""
    cache = str(home / "cache")
    return {
        **os.environ,
        "IPANALYSIS_HOME": str(home),
        "MPLBACKEND": "Agg",
        "XDG_CACHE_HOME": cache,
    }


def single_district(home: Path, year: int, jobs: int, repeat: int) -> list[float]:
    """Wall seconds of ``ipanalysis build -r 松江区 -y YEAR``: the cold run, then ``repeat`` warm."""
    walls = []
    for _ in range(1 + repeat):
        start = time.perf_counter()
        cmd = [str(BIN / "ipanalysis"), "build", "-r", SINGLE, "-y", str(year)]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        run = subprocess.run(cmd, env=_env(home), capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        if run.returncode != 0:
            sys.exit(f"ipanalysis build failed:\n{run.stdout}\n{run.stderr}")
    return walls


def ours(home: Path, codes: list[str], year: int, jobs: int, plans: dict[str, str]) -> dict:
    """One ``publish.build`` call for every district (a plan each), in a child process."""
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", _LIBRARY_RUN, json.dumps([codes, year, jobs, plans])],
        env=_env(home),
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"publish.build failed:\n{run.stderr[-3000:]}")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    report["process_wall"] = wall
    return report


def plain_district(
    home: Path, out: Path, code: str, year: int, names: list[str], plan: str
) -> dict:
    """papermill CLI then nbconvert CLI for each notebook of one district; seconds of each."""
    folder = out / code
    folder.mkdir(parents=True, exist_ok=True)
    times = {"papermill": 0.0, "nbconvert": 0.0, "failed": []}
    start = time.perf_counter()
    for name in names:
        executed = folder / f"{name}.ipynb"
        steps = {
            "papermill": [
                str(BIN / "papermill"),
                str(home / "notebooks" / f"{name}.ipynb"),
                str(executed),
                "-k",
                "python3",
                "--no-progress-bar",
                "-p",
                "region",
                code,
                "-p",
                "year",
                str(year),
                "-p",
                "data_dir",
                str(home / "data"),
                "-p",
                "plan",
                plan,
            ],
            "nbconvert": [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "html",
                "--no-input",
                str(executed),
            ],
        }
        for step, cmd in steps.items():
            began = time.perf_counter()
            run = subprocess.run(cmd, env=_env(home), cwd=folder, capture_output=True, text=True)
            times[step] += time.perf_counter() - began
            if run.returncode != 0:
                last = (run.stderr.strip().splitlines() or ["(no output)"])[-1]
                times["failed"].append(f"{code} {name} {step}: {last}")
                break
    times["wall"] = time.perf_counter() - start
    return times


def plain(home: Path, out: Path, codes, year: int, names: list[str], jobs: int, plans: dict):
    if out.exists():
        shutil.rmtree(out)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        per = dict(
            zip(
                codes,
                pool.map(lambda c: plain_district(home, out, c, year, names, plans[c]), codes),
                strict=True,
            )
        )
    return time.perf_counter() - start, per


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--districts", type=int, default=16, help="how many districts (1-16)")
    parser.add_argument("--year", type=int, default=2025, help="reporting year")
    parser.add_argument(
        "--jobs", type=int, default=0, help="ipanalysis: notebooks at once (0: cores)"
    )
    parser.add_argument("--plain-jobs", type=int, default=1, help="plain way: districts at once")
    parser.add_argument("--repeat", type=int, default=3, help="warm single-district runs")
    parser.add_argument("--skip-plain", action="store_true", help="time ipanalysis only")
    parser.add_argument("--out", type=Path, default=HERE / "output" / "briefings")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()  # the plain runs work in their own folders

    from ipanalysis.publish import NOTEBOOKS

    names = list(NOTEBOOKS)
    chosen = districts(args.districts)
    codes = [code for code, _ in chosen]
    args.out.mkdir(parents=True, exist_ok=True)
    home = make_home(args.out)
    cores = os.cpu_count()
    print(
        f"{len(codes)} district(s) × {len(names)} notebooks, year {args.year}; {cores} CPU cores; "
        f"ipanalysis --jobs {args.jobs or cores}; plain way {args.plain_jobs} district(s) at once; "
        f"load average {_load()} (other work on the machine skews every figure)",
        flush=True,
    )

    walls = single_district(home, args.year, args.jobs, args.repeat)
    warm = walls[1:] or walls
    print(
        f"single district (松江区, {len(names)} notebooks), `ipanalysis build` wall: "
        f"cold {walls[0]:.1f} s; warm best {min(warm):.1f} s, median "
        f"{statistics.median(warm):.1f} s ({len(warm)} runs)",
        flush=True,
    )

    plans = district_plans(args.out, codes)
    built = ours(home, codes, args.year, args.jobs, plans)
    failed = [f"{r['code']} {r['notebook']}: {r['error']}" for r in built["results"] if not r["ok"]]
    by_district = {code: 0.0 for code in codes}
    for result in built["results"]:
        by_district[result["code"]] += result["seconds"]
    print(
        f"ipanalysis, all districts: {built['wall']:.1f} s in publish.build "
        f"({built['process_wall']:.1f} s with the process start)",
        flush=True,
    )

    plain_wall, per = (None, {})
    if not args.skip_plain:
        plain_wall, per = plain(
            home, args.out / "plain", codes, args.year, names, args.plain_jobs, plans
        )
        failed += [f for times in per.values() for f in times["failed"]]

    print()
    header = (
        f"{'district':<17}{'ipanalysis':>12}{'plain':>10}{'papermill':>11}{'nbconvert':>11}"
        f"{'plain/ipanalysis':>18}"
    )
    print(header)
    print("-" * len(header))
    for code, name in chosen:
        mine = by_district[code]
        row = f"{code} {_pad(name, 10)}{mine:>11.1f}s"
        if code in per:
            times = per[code]
            row += (
                f"{times['wall']:>9.1f}s{times['papermill']:>10.1f}s{times['nbconvert']:>10.1f}s"
                f"{times['wall'] / mine:>17.1f}×"
            )
        print(row)
    print("-" * len(header))
    total = f"{'all, wall':<17}{built['process_wall']:>11.1f}s"
    if plain_wall is not None:
        pm = sum(t["papermill"] for t in per.values())
        nb = sum(t["nbconvert"] for t in per.values())
        total += (
            f"{plain_wall:>9.1f}s{pm:>10.1f}s{nb:>10.1f}s"
            f"{plain_wall / built['process_wall']:>17.1f}×"
        )
    print(total)
    print(
        "\nPer district, ipanalysis: the sum of its notebooks' times, each from start to published "
        f"HTML ({args.jobs or cores} notebooks run at once, so they add up to more than the wall "
        "time); plain: the sum of its papermill and nbconvert runs, one after another. "
        "All, wall: the whole build (process start included) / the whole plain loop."
    )
    median = statistics.median(warm)
    if plain_wall is not None:
        ratio = plain_wall / built["process_wall"]
        print(
            f"ratio plain / ipanalysis (wall, {len(codes)} districts): {ratio:.2f}× "
            "(target ≥ 6 for the 16)"
        )
        single = per[SINGLE]["wall"]
        print(
            f"single district: ipanalysis build warm median {median:.1f} s, plain way "
            f"{single:.1f} s, ratio {single / median:.2f}× (target: median < 8 s, ratio ≥ 5)"
        )
    else:
        print(f"single district full set, warm median: {median:.1f} s (target < 8 s)")
    print(f"load average at the end: {_load()}")
    for failure in failed:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
