"""Build briefings: run the notebooks with papermill in warm kernels, publish atomically.

Publishing is atomic: a notebook is executed into a staging folder; only when it ran without
error is its HTML (and the executed notebook, for audit) moved into
``reports/<region code>/<year>/``. A run that fails keeps the failed notebook under
``reports/<region code>/<year>/failed/`` and leaves the last good briefing and the index as they
were. Paths are built from the resolved region code and an integer year, never from raw
parameter text, so parameters cannot write outside ``reports/``.

:func:`build` runs the notebooks in warm kernels (:class:`_KernelPool`) and hands each executed
notebook to one export thread, so a kernel runs the next notebook while the last one's page is
exported (:func:`execute`, then :func:`publish_executed`).
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from jupyter_client.manager import KernelManager

from .. import paths
from ..analysis import check_parameters
from ..errors import InputError
from ..io import prepare, prepare_demo, read_activity_log
from ..io.definition import definition_from
from ..io.prepare import OBSERVATIONS_FILE, is_current
from ..locale import LANGUAGES
from ..paths import DEFAULT_PLAN
from ..plans import check_plan_region, load_plan, plan_path
from ..regions import load_regions, region_names
from ..regions import resolve_region as lookup
from .export import notebook_tools, to_html, warm_exporter
from .index import atomic_write, write_index
from .notebooks import CLEAR_CELL, NOTEBOOKS, check_extra_parameters, title


@dataclass
class BuildResult:
    """One notebook run: where it was published (or why not)."""

    region_code: str
    region: str
    year: int
    notebook: str
    lang: str
    ok: bool
    html: str | None
    executed: str
    seconds: float
    error: str = ""
    built_at: str = ""
    demo: bool | None = None  # whether the published page shows any synthetic demo value


#: The demo-data banner's mark in a page (see ipanalysis.briefing.sections.frame.header).
DEMO_BANNER = 'class="banner-synthetic"'


@dataclass(frozen=True)
class Run:
    """One briefing to publish: which notebook, for which region, year and language."""

    name: str
    region_code: str
    region: str
    year: int
    lang: str

    @property
    def stem(self) -> str:
        """The file name without suffix: ``scorecard`` (zh) or ``scorecard.en``."""
        return self.name if self.lang == "zh" else f"{self.name}.{self.lang}"

    @property
    def place(self) -> str:
        """The region's name in the briefing's language."""
        if self.lang == "zh":
            return self.region
        regions = load_regions()
        english = regions.loc[regions["code"] == self.region_code, "name_en"]
        return english.iloc[0] if len(english) and english.iloc[0] else self.region

    def folder(self, reports: Path) -> Path:
        """Where its briefing is published: ``reports/<code>/<year>/``."""
        return reports / self.region_code / str(int(self.year))


def publish_executed(
    run: Run, executed: Path, reports: Path, started: dt.datetime, error: Exception | None = None
) -> BuildResult:
    """Publish an executed notebook as HTML, atomically; or, when it failed, keep it under
    ``failed/`` and leave the last good briefing as it was.

    ``error`` is the exception its execution raised, if any (the notebook as run is kept).
    Used by :func:`run_notebook` and by the Airflow recipe, which executes notebooks itself.
    """
    final_dir = run.folder(reports)
    seconds = lambda: (dt.datetime.now() - started).total_seconds()  # noqa: E731
    result = dict(
        region_code=run.region_code,
        region=run.region,
        year=run.year,
        notebook=run.name,
        lang=run.lang,
        built_at=started.isoformat(timespec="seconds"),
    )
    try:
        if error is not None:
            raise error
        text = executed.read_text(encoding="utf-8")
        notebook = notebook_tools()[0].reads(text, as_version=4)
        if notebook.metadata.get("papermill", {}).get("exception"):
            raise RuntimeError("a cell raised an error (see the failed notebook)")
        page_title = f"{run.place} · {title(run.name, run.lang)} · {run.year}"
        body = to_html(notebook, page_title, run.lang)
    except Exception as exc:  # any failure: keep the evidence, publish nothing
        kept = final_dir / "failed" / f"{run.stem}.ipynb"
        kept.parent.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            shutil.copyfile(executed, kept)
        message = str(exc).strip().splitlines()
        error_line = message[-1] if message else type(exc).__name__
        return BuildResult(
            **result, ok=False, html=None, executed=str(kept), seconds=seconds(), error=error_line
        )
    final_dir.mkdir(parents=True, exist_ok=True)
    html_path, kept = final_dir / f"{run.stem}.html", final_dir / f"{run.stem}.ipynb"
    atomic_write(kept, text)
    atomic_write(html_path, body)
    (final_dir / "failed" / f"{run.stem}.ipynb").unlink(missing_ok=True)
    demo = DEMO_BANNER in body  # every page showing a demo value carries the banner
    return BuildResult(
        **result, ok=True, html=str(html_path), executed=str(kept), seconds=seconds(), demo=demo
    )


def run_notebook(
    name: str,
    *,
    region_code: str,
    region: str,
    year: int,
    lang: str,
    reports: Path,
    parameters: dict,
    timeout: int = 600,
    kernel: KernelManager | None = None,
) -> BuildResult:
    """Execute one briefing notebook and publish it atomically (see the module docstring).

    With ``kernel`` (a started kernel manager), the notebook runs in that warm kernel after a
    :data:`CLEAR_CELL` (tagged ``remove_cell``, so it shows only in the executed notebook): the
    user namespace starts empty, while imported modules stay loaded — the saving is the kernel
    start and the imports. Without it, papermill starts and stops a kernel of its own.
    """
    run = Run(name, region_code, region, int(year), lang)
    with tempfile.TemporaryDirectory(prefix="ipanalysis-build-") as staging:
        executed = execute(run, Path(staging), parameters, timeout, kernel)
        return publish_executed(run, executed.path, reports, executed.started, executed.error)


class Executed(NamedTuple):
    """A notebook as run in a staging folder, waiting to be published."""

    path: Path
    started: dt.datetime
    error: Exception | None


def execute(
    run: Run,
    staging: Path,
    parameters: dict,
    timeout: int = 600,
    kernel: KernelManager | None = None,
) -> Executed:
    """Run ``run``'s notebook with papermill into ``staging`` (see :func:`run_notebook`); an
    error is returned, not raised, with the notebook as far as it ran."""
    nbformat, papermill = notebook_tools()
    source = nbformat.read(paths.notebooks_dir() / NOTEBOOKS[run.name], as_version=4)
    if kernel is not None:
        reset = nbformat.v4.new_code_cell(CLEAR_CELL)
        reset.metadata["tags"] = ["remove_cell"]
        source.cells.insert(0, reset)
    started = dt.datetime.now()
    executed = staging / f"{run.stem}.ipynb"
    template = staging / f"input-{NOTEBOOKS[run.name]}"
    nbformat.write(source, template)
    error = None
    try:
        extra = {"km": kernel} if kernel is not None else {"cwd": str(staging)}
        papermill.execute_notebook(
            str(template),
            str(executed),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            execution_timeout=timeout,
            request_save_on_cell_execute=False,
            **extra,
        )
    except Exception as exc:  # reported and kept by publish_executed
        error = exc
        if not executed.exists():  # the notebook as run shows what failed
            shutil.copyfile(template, executed)
    return Executed(executed, started, error)


def resolve_region(region: str) -> tuple[str, str]:
    """(code, Chinese name) of a region name or code; ``InputError`` when unknown.

    Any spelling :mod:`ipanalysis.regions` resolves is accepted; the code comes from the
    reference, never from the text given, so it is safe to use in a path.
    """
    code = lookup(str(region))
    return code, region_names()[code]


#: Notebook parameters that name a file, and the reader that checks it (the notebooks read it).
FILE_PARAMETERS: dict[str, Callable] = {"activity_log": read_activity_log}


def _check_files(extra: dict[str, dict], plan: str, data_dir: Path) -> dict[str, dict]:
    """Read every file parameter once: a missing or malformed file stops the build with a
    one-line reason naming it, instead of failing in each notebook (the plans are read by
    :func:`_check_plans`).

    Returns ``extra`` with those files as absolute paths (the kernels run in another folder),
    the plan's too when it is given as a path.
    """
    for params in extra.values():  # InputError: "definition: unknown parameter(s) …"
        definition_from(params.get("definition"), data_dir=data_dir)
    plan_file = {"plan": str(Path(plan).absolute())} if Path(str(plan)).suffix else {}
    checked: dict[str, str] = {}
    for name, read in FILE_PARAMETERS.items():
        given = {params[name] for params in extra.values() if params.get(name)}
        for value in given:
            path = Path(value).expanduser().absolute()
            if not path.is_file():
                raise InputError(f"{name}: no such file {path}")
            try:
                read(path)
            except InputError as error:
                raise InputError(f"{name}: {error}") from None
            except Exception as error:  # not a CSV at all: binary, empty, wrong encoding
                reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
                raise InputError(f"{name}: {path.name}: not readable ({reason})") from None
            checked[value] = str(path)
    return {
        notebook: {
            **{k: checked.get(v, v) if k in FILE_PARAMETERS else v for k, v in params.items()},
            **plan_file,
        }
        for notebook, params in extra.items()
    }


def _plans(plan: str | Mapping[str, str], resolved: list[tuple[str, str]]) -> dict:
    """Each region's plan (code → plan id or path): the plan given, or the region's own from a
    mapping of region names or codes to plans; a region left without one stops the build."""
    if isinstance(plan, (str, Path)):
        return {code: str(plan) for code, _ in resolved}
    given = {resolve_region(region)[0]: str(p) for region, p in plan.items()}
    missing = [name for code, name in resolved if code not in given]
    if missing:
        raise InputError(f"no plan given for {', '.join(missing)}")
    return {code: given[code] for code, _ in resolved}


def _check_plans(plans: dict[str, str], data_dir: Path) -> None:
    """Each plan file can be read and is written for the regions it is given for: a one-line
    reason naming the file otherwise. Each file is read once."""
    for plan in dict.fromkeys(plans.values()):
        # InputError: "<file>: no such plan file (...)", an entry missing or unknown, etc.
        the_plan = load_plan(plan_path(plan, data_dir))
        for code in (c for c, p in plans.items() if p == plan):
            check_plan_region(the_plan, code, region_names())


def _plan_parameter(plan: str) -> str:
    """The plan as the notebooks get it: an id, or a path made absolute (they run elsewhere)."""
    return str(Path(plan).absolute()) if Path(plan).suffix else plan


def _observations(data_dir: Path) -> pd.DataFrame:
    """The processed observations: read when they were made from this manifest and this code
    (a scheduled run that changed nothing reads no raw file again: 0.6-1.2 s), else prepared
    (every raw file read, validated and written)."""
    if is_current(data_dir):
        return pd.read_parquet(data_dir / "processed" / OBSERVATIONS_FILE)
    return prepare(data_dir).observations


def _ready(notebooks, parameters, data_dir, region_code, years, lang, demo, plan) -> dict:
    """Check everything a run needs and prepare the data, before any notebook runs.

    Returns each notebook's extra parameters, converted to their declared types, file
    parameters as absolute paths. File parameters (the activity log) are checked first;
    :func:`_check_plans` has read the plans.
    """
    extra = _check_files(check_extra_parameters(notebooks, parameters), plan, Path(data_dir))
    # once, before any notebook: processed data are current and validated
    observations = _observations(Path(data_dir))
    for year in years:  # a year outside the data stops the whole run, not each notebook
        try:
            check_parameters(observations, region_code, int(year), lang)
        except ValueError as error:
            raise InputError(str(error)) from None
    if demo:  # generate the synthetic records once, before the kernels read them
        prepare_demo(data_dir)
    threading.Thread(target=warm_exporter, args=(lang,), daemon=True).start()
    return extra


def build(
    regions: list[str],
    years: list[int],
    *,
    lang: str = "zh",
    notebooks: list[str] | None = None,
    plan: str | Mapping[str, str] = DEFAULT_PLAN,
    data_dir: Path | None = None,
    reports_dir: Path | None = None,
    timeout: int = 600,
    jobs: int | None = None,
    warm: bool = True,
    demo: bool = True,
    parameters: dict[str, str] | None = None,
    on_result: Callable[[BuildResult], None] | None = None,
) -> list[BuildResult]:
    """Build briefings for every region × year × notebook; update the index. Returns results.

    ``jobs`` notebooks run at once (default: the number of CPU cores), each worker in a warm
    kernel of its own that is reused across notebooks (``warm=False``: a new kernel per
    notebook). The data are prepared once, before any notebook runs. ``parameters`` sets other
    notebook parameters by name (text, converted to the type the parameters cell declares; see
    :func:`notebook_parameters`); each notebook gets those it declares. ``plan`` is a plan id
    or file for every region, or a mapping of region (name or code) to its own plan, so that
    districts with a plan each are built in one run, in the same warm kernels.

    Raises
    ------
    InputError
        Before any notebook runs: an unknown notebook, region, parameter or language, a year
        outside the data, or a missing or malformed plan or file parameter (``activity_log``).
    """
    notebooks = notebooks or list(NOTEBOOKS)
    unknown = [n for n in notebooks if n not in NOTEBOOKS]
    if unknown:
        raise InputError(f"unknown notebook(s) {', '.join(unknown)}; known: {', '.join(NOTEBOOKS)}")
    if lang not in LANGUAGES:
        raise InputError(f"lang must be zh or en, got '{lang}'")
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    reports = Path(reports_dir) if reports_dir else paths.reports_dir()
    resolved = [resolve_region(r) for r in regions]
    plans = _plans(plan, resolved)
    runs_count = len(resolved) * len(years) * len(notebooks)
    workers = max(1, min(jobs or os.cpu_count() or 1, runs_count))
    kernels = _KernelPool(warm=warm)
    # kernels start (a few seconds) while this process checks and prepares
    kernels.prestart(workers)
    try:
        first = resolved[0][0]
        _check_plans(plans, data_dir)
        extra = _ready(
            notebooks, parameters or {}, data_dir, first, years, lang, demo, plans[first]
        )
    except BaseException:
        kernels.shutdown()
        raise
    runs = [
        dict(
            name=notebook,
            region_code=code,
            region=name,
            year=int(year),
            lang=lang,
            reports=reports,
            timeout=timeout,
            parameters={
                "region": code,
                "year": int(year),
                "lang": lang,
                "plan": _plan_parameter(plans[code]),
                "data_dir": str(data_dir),
                "demo": demo,
                **{k: v for k, v in extra[notebook].items() if k != "plan"},
            },
        )
        for code, name in resolved
        for year in years
        for notebook in notebooks
    ]
    try:
        results = _run_all(kernels, runs, workers, on_result)
    finally:
        kernels.shutdown()
    write_index(reports, results)
    return results


def _run_all(kernels, runs: list[dict], workers: int, on_result) -> list[BuildResult]:
    """Run every notebook, ``workers`` at once, each in a warm kernel; a notebook run is
    published by the export thread while its kernel already runs the next one. Results in the
    order of ``runs``."""
    results = []
    with (
        ThreadPoolExecutor(max_workers=1) as exports,
        ThreadPoolExecutor(max_workers=workers) as pool,
    ):
        published = [pool.submit(kernels.run, run, exports) for run in runs]
        for future in published:
            result = future.result().result()
            results.append(result)
            if on_result:
                on_result(result)
    return results


def _local_kernel(folder: Path) -> KernelManager:
    """A kernel manager talking to its kernel over Unix sockets in ``folder`` (private to this
    user): nothing listens on the network, and the kernel warns of no unencrypted TCP."""
    if os.name == "nt":  # no Unix sockets: local TCP
        return KernelManager(kernel_name="python3")
    return KernelManager(
        kernel_name="python3",
        transport="ipc",
        ip=str(folder / "kernel"),  # sockets kernel-1 … kernel-5, an absolute path
        connection_file=str(folder / "kernel.json"),
    )


def _publish(run: Run, executed: Executed, reports: Path, staging: Path) -> BuildResult:
    """:func:`publish_executed`, then the staging folder goes."""
    try:
        return publish_executed(run, executed.path, reports, executed.started, executed.error)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


class _KernelPool:
    """Warm kernels, one per worker thread; a kernel whose notebook failed is replaced.

    :meth:`prestart` starts the kernels and imports the library in them in the background, so
    that kernel start-up overlaps the data preparation in this process. With ``warm=False``,
    each notebook gets a new kernel of its own. Kernels talk over IPC (see
    :func:`_local_kernel`), in a temporary folder removed by :meth:`shutdown`.
    """

    WARM_UP = "import ipanalysis.briefing.sections, ipanalysis.high_value, matplotlib.pyplot"

    def __init__(self, warm: bool = True) -> None:
        self.warm = warm
        self.local = threading.local()
        self.all: list[KernelManager] = []
        self.idle: queue.Queue[KernelManager] = queue.Queue()
        self.lock = threading.Lock()
        self.starters: list[threading.Thread] = []
        self.unclaimed = 0  # prestarted kernels no worker has taken yet
        self.closing = False
        self.sockets = Path(tempfile.mkdtemp(prefix="ipanalysis-kernels-"))

    def _start(self, warm_up: bool = True) -> KernelManager:
        km = _local_kernel(Path(tempfile.mkdtemp(dir=self.sockets)))
        km.start_kernel(cwd=tempfile.gettempdir())
        with self.lock:
            self.all.append(km)
        if self.closing or not warm_up:  # shutting down already (a check failed): no warm-up
            return km
        client = km.blocking_client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
            client.execute_interactive(self.WARM_UP, timeout=120, output_hook=lambda _msg: None)
        finally:
            client.stop_channels()
        return km

    def prestart(self, count: int) -> None:
        """Start ``count`` warm kernels in background threads."""
        if not self.warm:
            return
        for _ in range(count):
            thread = threading.Thread(target=lambda: self.idle.put(self._start()), daemon=True)
            thread.start()
            self.starters.append(thread)
        with self.lock:
            self.unclaimed += count

    def _kernel(self) -> KernelManager:
        if not self.warm:
            return self._start(warm_up=False)
        km = getattr(self.local, "km", None)
        if km is None or not km.is_alive():
            with self.lock:
                prestarted, self.unclaimed = self.unclaimed > 0, max(self.unclaimed - 1, 0)
            km = self.idle.get() if prestarted else self._start()
            self.local.km = km
        return km

    def run(self, run: dict, exports: Executor) -> Future[BuildResult]:
        """Execute ``run`` (:func:`run_notebook`'s arguments) in this thread's kernel; its
        publication is left to ``exports``, so the kernel is free for the next notebook."""
        km = self._kernel()
        notebook = Run(run["name"], run["region_code"], run["region"], run["year"], run["lang"])
        staging = Path(tempfile.mkdtemp(prefix="ipanalysis-build-"))
        executed = execute(notebook, staging, run["parameters"], run["timeout"], km)
        if not self.warm or executed.error is not None:  # the next notebook: a clean kernel
            km.shutdown_kernel(now=True)
            self.local.km = None
        return exports.submit(_publish, notebook, executed, run["reports"], staging)

    def shutdown(self) -> None:
        self.closing = True
        for thread in self.starters:
            thread.join(timeout=120)
        stopping = [  # at once: each waits about 0.1 s for its process to go
            threading.Thread(target=km.shutdown_kernel, kwargs={"now": True})
            for km in self.all
            if km.has_kernel
        ]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()
        shutil.rmtree(self.sockets, ignore_errors=True)
