"""Build briefings: run parameterized notebooks with papermill, export self-contained HTML, publish.

Publishing is atomic: a notebook is executed into a staging folder; only when it ran without
error is its HTML (and the executed notebook, for audit) moved into
``reports/<region code>/<year>/``. A run that fails keeps the failed notebook under
``reports/<region code>/<year>/failed/`` and leaves the last good briefing and the index as they
were. Paths are built from the resolved region code and an integer year, never from raw
parameter text, so parameters cannot write outside ``reports/``.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import os
import queue
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jupyter_client.manager import KernelManager

from . import paths
from .errors import InputError
from .vocabulary import parse_flag

if TYPE_CHECKING:
    import nbformat
    from nbconvert import HTMLExporter

#: Briefing notebooks by name, in reading order: name → (file, Chinese title, English title).
NOTEBOOKS: dict[str, tuple[str, str, str]] = {
    "scorecard": ("scorecard.ipynb", "规划指标一览", "Plan scorecard"),
    "high_value": ("high_value.ipynb", "高价值发明专利", "High-value invention patents"),
    "international": ("international.ipynb", "国际申请", "International filings"),
    "commercialisation": ("commercialisation.ipynb", "转化运用", "Commercialisation"),
    "patent_intensive": ("patent_intensive.ipynb", "专利密集型产业", "Patent-intensive industries"),
}

INDEX_FILE = "index.html"
REGISTRY_FILE = "briefings.json"
EXTERNAL = re.compile(r"<(script|link|img)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.I)


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


def _notebook_tools():
    """Import nbformat, papermill and nbconvert (late: they take a second or two to import).

    jsonschema, which nbformat validates with, imports ``rfc3987_syntax`` when it is installed
    and compiles its grammars at import (about 1.3 s; python-jsonschema issue #1428). Notebook
    schemas use no IRI formats, so the module is marked absent first; jsonschema then skips
    those format checks, as it does wherever the module is not installed.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
    import nbformat
    import papermill

    return nbformat, papermill


def exporter() -> HTMLExporter:
    """The HTML exporter for briefings: no code, no prompts, no external scripts."""
    _notebook_tools()
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    remover = TagRemovePreprocessor(remove_cell_tags={"remove_cell"}, enabled=True)
    exp = HTMLExporter(
        template_name="briefing",
        extra_template_basedirs=[str(paths.PACKAGE_DIR / "templates")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exp.register_preprocessor(remover, enabled=True)
    return exp


def embed_font(page: str) -> str:
    """Embed the packaged CJK font, subset to the page's characters, as a data: URI.

    The briefing then shows Chinese text on a machine with no CJK font installed, offline. The
    font (Noto Sans CJK SC, SIL Open Font Licence) comes from the ``mplfonts`` package.
    """
    from fontTools import subset

    from .charts import font_path

    options = subset.Options()
    options.layout_features = []  # Chinese and Latin text need no OpenType features here
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(font_path(), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted({c for c in page if c.isprintable()})))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    face = (
        '<style type="text/css">@font-face { font-family: "Briefing CJK"; '
        f'src: url(data:font/otf;base64,{data}) format("opentype"); }}</style>'
    )
    return page.replace("</head>", face + "</head>", 1)


def to_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """Export an executed notebook to self-contained HTML; refuse any external resource.

    Raises ``RuntimeError`` when the notebook wrote to stderr (a warning would otherwise be
    published to the reader) or when the page would load anything from the network.
    """
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                raise RuntimeError(f"a cell wrote to stderr: {output.get('text', '')[:300]}")
    notebook.metadata["title"] = title
    body, _ = exporter().from_notebook_node(notebook)
    found = EXTERNAL.search(body)
    if found:
        raise RuntimeError(f"briefing HTML would load an external resource: {found.group(0)}")
    return embed_font(body)


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o644)  # published files are world-readable (mkstemp makes them private)
    os.replace(tmp, path)


def _read_registry(reports: Path) -> dict:
    path = reports / REGISTRY_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


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
    ``%reset -f`` cell (tagged ``remove_cell``, so it shows only in the executed notebook): the
    user namespace starts empty, while imported modules stay loaded — the saving is the kernel
    start and the imports. Without it, papermill starts and stops a kernel of its own.
    """
    nbformat, papermill = _notebook_tools()
    file, title_zh, title_en = NOTEBOOKS[name]
    source = nbformat.read(paths.notebooks_dir() / file, as_version=4)
    if kernel is not None:
        reset = nbformat.v4.new_code_cell("%reset -f")
        reset.metadata["tags"] = ["remove_cell"]
        source.cells.insert(0, reset)
    final_dir = reports / region_code / str(int(year))
    stem = name if lang == "zh" else f"{name}.{lang}"
    started = dt.datetime.now()
    with tempfile.TemporaryDirectory(prefix="ipanalysis-build-") as staging:
        executed = Path(staging) / f"{stem}.ipynb"
        template = Path(staging) / f"input-{file}"
        nbformat.write(source, template)
        try:
            extra = {"km": kernel} if kernel is not None else {"cwd": staging}
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
            notebook = nbformat.read(executed, as_version=4)
            title = f"{region} · {title_zh if lang == 'zh' else title_en} · {year}"
            body = to_html(notebook, title)
        except Exception as exc:  # any failure: keep the evidence, publish nothing
            failed_dir = final_dir / "failed"
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept = failed_dir / f"{stem}.ipynb"
            # the executed notebook shows the failing cell; without one, keep the input as run
            shutil.copyfile(executed if executed.exists() else template, kept)
            message = str(exc).strip().splitlines()
            return BuildResult(
                region_code,
                region,
                year,
                name,
                lang,
                False,
                None,
                str(kept),
                (dt.datetime.now() - started).total_seconds(),
                error=message[-1] if message else type(exc).__name__,
                built_at=started.isoformat(timespec="seconds"),
            )
        final_dir.mkdir(parents=True, exist_ok=True)
        html_path = final_dir / f"{stem}.html"
        kept = final_dir / f"{stem}.ipynb"
        _atomic_write(kept, executed.read_text(encoding="utf-8"))
        _atomic_write(html_path, body)
    (final_dir / "failed" / f"{stem}.ipynb").unlink(missing_ok=True)
    return BuildResult(
        region_code,
        region,
        year,
        name,
        lang,
        True,
        str(html_path),
        str(kept),
        (dt.datetime.now() - started).total_seconds(),
        built_at=started.isoformat(timespec="seconds"),
    )


def resolve_region(region: str, data_dir: Path | None = None) -> tuple[str, str]:
    """(code, Chinese name) of a region name or code; ``InputError`` when unknown.

    Any spelling :mod:`ipanalysis.regions` resolves is accepted; the code comes from the
    reference, never from the text given, so it is safe to use in a path.
    """
    from .regions import region_names
    from .regions import resolve_region as lookup

    code = lookup(str(region))
    return code, region_names()[code]


def build(
    regions: list[str],
    years: list[int],
    *,
    lang: str = "zh",
    notebooks: list[str] | None = None,
    plan: str = "songjiang-2024-2026",
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
    :func:`notebook_parameters`); each notebook gets those it declares.

    Raises
    ------
    InputError
        Before any notebook runs: an unknown notebook, region, parameter or language, or a year
        outside the data.
    """
    from .scorecard import check_parameters
    from .sources import prepare

    notebooks = notebooks or list(NOTEBOOKS)
    unknown = [n for n in notebooks if n not in NOTEBOOKS]
    if unknown:
        raise InputError(f"unknown notebook(s) {', '.join(unknown)}; known: {', '.join(NOTEBOOKS)}")
    if lang not in ("zh", "en"):
        raise InputError(f"lang must be zh or en, got '{lang}'")
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    reports = Path(reports_dir) if reports_dir else paths.reports_dir()
    resolved = [resolve_region(r, data_dir) for r in regions]
    runs_count = len(resolved) * len(years) * len(notebooks)
    workers = max(1, min(jobs or os.cpu_count() or 1, runs_count))
    kernels = _KernelPool(warm=warm)
    kernels.prestart(
        workers
    )  # kernels start (a few seconds) while this process checks and prepares
    try:
        extra = check_extra_parameters(notebooks, parameters or {})
        # once, before any notebook: processed data are current and validated
        observations = prepare(data_dir).observations
        for year in years:  # a year outside the data stops the whole run, not each notebook
            try:
                check_parameters(observations, resolved[0][0], int(year), lang)
            except ValueError as error:
                raise InputError(str(error)) from None
        if demo:  # generate the synthetic records once, before the kernels read them
            from .demo import load_demo

            load_demo(data_dir)
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
                "plan": plan,
                "data_dir": str(data_dir),
                "demo": demo,
                **extra[notebook],
            },
        )
        for code, name in resolved
        for year in years
        for notebook in notebooks
    ]
    results = []
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:  # the work is in the kernels
            for result in pool.map(kernels.run, runs):
                results.append(result)
                if on_result:
                    on_result(result)
    finally:
        kernels.shutdown()
    write_index(reports, results)
    return results


#: Parameters that ``build`` sets itself from its own arguments.
BUILD_PARAMETERS = ("region", "year", "lang", "plan", "data_dir", "demo")


def notebook_parameters(name: str) -> dict[str, dict]:
    """The parameters a briefing notebook declares (papermill's reading of its parameters cell)."""
    _, papermill = _notebook_tools()
    return papermill.inspect_notebook(str(paths.notebooks_dir() / NOTEBOOKS[name][0]))


def check_extra_parameters(notebooks: list[str], given: dict[str, str]) -> dict[str, dict]:
    """Per notebook, the ``given`` parameters it declares, converted to their declared types.

    >>> check_extra_parameters(["scorecard", "high_value"], {"peers": "上海市"})["high_value"]
    {'peers': '上海市'}
    >>> check_extra_parameters(["scorecard"], {"colour": "red"})
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: unknown notebook parameter 'colour'; the notebooks take: activity_log, peers
    """
    declared = {name: notebook_parameters(name) for name in notebooks}
    for key in given:
        if key in BUILD_PARAMETERS:
            option = key.replace("_", "-")
            raise InputError(f"set '{key}' with the --{option} option, not as a parameter")
        if not any(key in params for params in declared.values()):
            known = sorted(
                {k for params in declared.values() for k in params} - set(BUILD_PARAMETERS)
            )
            raise InputError(
                f"unknown notebook parameter '{key}'; the notebooks take: {', '.join(known)}"
            )
    out: dict[str, dict] = {}
    for name, params in declared.items():
        out[name] = {}
        for key, text in given.items():
            if key in params:
                out[name][key] = _convert(key, str(text), params[key]["inferred_type_name"])
    return out


def _convert(key: str, text: str, type_name: str):
    if type_name == "int":
        try:
            return int(text)
        except ValueError:
            raise InputError(f"parameter '{key}' must be a whole number, got '{text}'") from None
    if type_name == "bool":
        flag = parse_flag(text)
        if flag is None:
            raise InputError(f"parameter '{key}' must be true or false, got '{text}'")
        return flag
    return text


class _KernelPool:
    """Warm kernels, one per worker thread; a kernel whose notebook failed is replaced.

    :meth:`prestart` starts the kernels and imports the library in them in the background, so
    that kernel start-up overlaps the data preparation in this process.
    """

    WARM_UP = "import ipanalysis.report, ipanalysis.themes, matplotlib.pyplot"

    def __init__(self, warm: bool = True) -> None:
        self.warm = warm
        self.local = threading.local()
        self.all: list[KernelManager] = []
        self.idle: queue.Queue[KernelManager] = queue.Queue()
        self.lock = threading.Lock()
        self.starters: list[threading.Thread] = []

    def _start(self) -> KernelManager:
        km = KernelManager(kernel_name="python3")
        km.start_kernel(cwd=tempfile.gettempdir())
        with self.lock:
            self.all.append(km)
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

    def _kernel(self) -> KernelManager | None:
        if not self.warm:
            return None
        km = getattr(self.local, "km", None)
        if km is None or not km.is_alive():
            km = self.idle.get() if self.starters else self._start()
            self.starters = self.starters[1:]
            self.local.km = km
        return km

    def run(self, run: dict) -> BuildResult:
        km = self._kernel()
        result = run_notebook(**run, kernel=km)
        if km is not None and not result.ok:  # start the next notebook in a clean kernel
            km.shutdown_kernel(now=True)
            self.local.km = None
        return result

    def shutdown(self) -> None:
        for thread in self.starters:
            thread.join(timeout=120)
        for km in self.all:
            if km.has_kernel:
                km.shutdown_kernel(now=True)


def write_index(reports: Path, results: list[BuildResult]) -> Path:
    """Record results in the registry and rewrite ``reports/index.html`` (atomically).

    A failed run is recorded as the latest attempt but keeps the link to the last good briefing.
    """
    registry = _read_registry(reports)
    for result in results:
        key = f"{result.region_code}/{result.year}/{result.notebook}/{result.lang}"
        entry = registry.get(key, {})
        entry["last_attempt"] = asdict(result)
        if result.ok:
            entry["last_good"] = asdict(result)
        registry[key] = entry
    _atomic_write(reports / REGISTRY_FILE, json.dumps(registry, ensure_ascii=False, indent=1))
    rows = []
    for key in sorted(registry):
        entry = registry[key]
        good, last = entry.get("last_good"), entry["last_attempt"]
        link = "—"
        if good and good.get("html"):
            rel = Path(good["html"]).resolve().relative_to(reports.resolve())
            link = f'<a href="{html.escape(rel.as_posix())}">{html.escape(good["built_at"])}</a>'
        status = "成功 ok" if last["ok"] else f"失败 failed: {html.escape(last['error'][:160])}"
        title = NOTEBOOKS.get(last["notebook"], ("", last["notebook"], last["notebook"]))
        rows.append(
            f"<tr><td>{html.escape(last['region'])}</td><td>{last['year']}</td>"
            f"<td>{html.escape(title[1])} / {html.escape(title[2])}</td><td>{last['lang']}</td>"
            f"<td>{link}</td><td>{status} ({html.escape(last['built_at'])})</td></tr>"
        )
    page = f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>ipanalysis briefings</title>
<style>body{{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",Arial,sans-serif;
max-width:1000px;margin:2em auto;color:#1c2833}}table{{border-collapse:collapse;width:100%}}
th,td{{text-align:left;padding:6px 8px;border-bottom:1px solid #d5d8dc}}
thead th{{background:#eaf2f8}}</style></head><body>
<h1>知识产权工作简报 · IP briefings</h1>
<table><thead><tr><th>地区 Region</th><th>年度 Year</th><th>简报 Briefing</th><th>语言</th>
<th>最近成功版本 Last good</th><th>最近一次运行 Last run</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<p>Generated {dt.datetime.now().strftime("%Y-%m-%d %H:%M")} by ipanalysis.</p></body></html>
"""
    path = reports / INDEX_FILE
    _atomic_write(path, page)
    return path
