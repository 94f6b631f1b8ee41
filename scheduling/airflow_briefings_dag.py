"""Airflow DAG: the monthly ipanalysis briefings, one papermill task per notebook.

For offices that already run Airflow (the cron and systemd recipes beside this file do the same
without it). Each run briefs the last completed year, as the recipes do (scheduling/README.md):

    prepare ──> run_scorecard, run_high_value, … (PapermillOperator, one per notebook) ──> publish

- ``prepare`` reads ``data/raw`` into ``data/processed``, generates the demo records once (so the
  notebooks, running in parallel, only read) and makes the staging folder;
- each ``run_<notebook>`` executes ``notebooks/<notebook>.ipynb`` with papermill in the project's
  kernel (``ipanalysis``) into a staging folder, ``reports/.staging/<run>/``;
- ``publish`` runs whatever the notebooks ran (``all_done``): it exports each executed notebook to
  self-contained HTML without code (``ipanalysis.build.to_html``: fonts and charts embedded, no
  network), publishes it atomically beside the executed notebook in ``reports/<code>/<year>/``,
  keeps a failed notebook in ``…/failed/`` and the last good HTML in place, updates
  ``reports/index.html``, and fails the DAG run when any notebook failed.

``prepare`` and ``publish`` run in the project's own virtual environment
(``ExternalPythonOperator``), so Airflow's environment needs only ``apache-airflow`` and
``apache-airflow-providers-papermill``; the ``ipanalysis`` kernel must be installed where
Airflow's papermill finds it (see scheduling/README.md). Runs never overlap (``max_active_runs``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pendulum
from airflow.providers.papermill.operators.papermill import PapermillOperator

try:  # Airflow 3
    from airflow.providers.standard.operators.python import ExternalPythonOperator
    from airflow.sdk import DAG
except ImportError:  # Airflow 2.4+
    from airflow import DAG
    from airflow.operators.python import ExternalPythonOperator

PROJECT = Path(os.environ.get("IPANALYSIS_HOME", "/srv/ipanalysis"))
PYTHON = str(PROJECT / ".venv" / "bin" / "python")
KERNEL = "ipanalysis"  # `.venv/bin/python -m ipykernel install --name ipanalysis`
REGION = "松江区"  # a name, not a code: native rendering would turn "310117" into an int
LANG = "zh"
PLAN = "songjiang-2024-2026"
DEMO = True
#: Briefing notebooks in reading order: the keys of ``ipanalysis.build.NOTEBOOKS``
#: (tests/test_scheduling.py checks that they match).
NOTEBOOKS = ["scorecard", "high_value", "international", "commercialisation", "patent_intensive"]
YEAR = "{{ data_interval_end.year - 1 }}"  # the last completed year
STAGING = str(PROJECT / "reports" / ".staging" / "{{ ts_nodash }}")


def prepare_data(data_dir: str, demo: bool, staging: str) -> None:
    """Prepare the processed data (and the demo records) once, before the notebooks read them.

    Also makes the staging folder: papermill writes into an existing folder only.
    """
    from pathlib import Path

    from ipanalysis.sources import prepare

    Path(staging).mkdir(parents=True, exist_ok=True)
    prepare(Path(data_dir))
    if demo:
        from ipanalysis.demo import load_demo

        load_demo(Path(data_dir))


def publish_briefings(
    staging: str, reports: str, notebooks: list, region: str, year: int, lang: str
) -> None:
    """Export the executed notebooks to HTML and publish them as ``ipanalysis build`` does."""
    import datetime as dt
    import os
    import shutil
    import tempfile
    from pathlib import Path

    import nbformat

    from ipanalysis import build

    def replace(path: Path, text: str) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)

    code, name = build.resolve_region(region)
    reports_dir = Path(reports)
    final = reports_dir / code / str(int(year))
    final.mkdir(parents=True, exist_ok=True)
    results = []
    for notebook in notebooks:
        _file, title_zh, title_en = build.NOTEBOOKS[notebook]
        stem = notebook if lang == "zh" else f"{notebook}.{lang}"
        executed = Path(staging) / f"{notebook}.ipynb"
        run = dict(region_code=code, region=name, year=int(year), notebook=notebook, lang=lang)
        run["built_at"] = dt.datetime.now().isoformat(timespec="seconds")
        try:
            if not executed.exists():
                raise RuntimeError("the notebook did not run (see its task log)")
            nb = nbformat.read(executed, as_version=4)
            meta = nb.metadata.get("papermill", {})
            if meta.get("exception"):
                raise RuntimeError("a cell raised an error (see the failed notebook)")
            title = f"{name} · {title_zh if lang == 'zh' else title_en} · {year}"
            page = build.to_html(nb, title)
        except Exception as exc:  # publish nothing for this notebook; keep the evidence
            kept = final / "failed" / f"{stem}.ipynb"
            if executed.exists():
                kept.parent.mkdir(exist_ok=True)
                shutil.copyfile(executed, kept)
            lines = str(exc).strip().splitlines()
            error = lines[-1] if lines else type(exc).__name__
            results.append(
                build.BuildResult(
                    **run, ok=False, html=None, executed=str(kept), seconds=0.0, error=error
                )
            )
            continue
        html_path, kept = final / f"{stem}.html", final / f"{stem}.ipynb"
        replace(kept, executed.read_text(encoding="utf-8"))
        replace(html_path, page)
        (final / "failed" / f"{stem}.ipynb").unlink(missing_ok=True)
        seconds = float(meta.get("duration") or 0.0)
        results.append(
            build.BuildResult(
                **run, ok=True, html=str(html_path), executed=str(kept), seconds=seconds
            )
        )
    build.write_index(reports_dir, results)
    shutil.rmtree(staging, ignore_errors=True)
    failed = [f"{r.notebook}: {r.error}" for r in results if not r.ok]
    if failed:
        raise RuntimeError(
            f"{len(failed)} of {len(results)} briefing(s) failed; the last good ones are kept: "
            + "; ".join(failed)
        )


with DAG(
    dag_id="ipanalysis_briefings",
    schedule="15 6 2 * *",  # monthly, as scheduling/ipanalysis-briefings.cron
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    render_template_as_native_obj=True,  # the year reaches the notebooks as an int
    tags=["ipanalysis"],
    doc_md=__doc__,
) as dag:
    prepare = ExternalPythonOperator(
        task_id="prepare",
        python=PYTHON,
        expect_airflow=False,  # the project's venv has no Airflow
        python_callable=prepare_data,
        op_kwargs={"data_dir": str(PROJECT / "data"), "demo": DEMO, "staging": STAGING},
    )
    runs = [
        PapermillOperator(
            task_id=f"run_{notebook}",
            input_nb=str(PROJECT / "notebooks" / f"{notebook}.ipynb"),
            output_nb=f"{STAGING}/{notebook}.ipynb",
            kernel_name=KERNEL,
            parameters={
                "region": REGION,
                "year": YEAR,
                "lang": LANG,
                "plan": PLAN,
                "data_dir": str(PROJECT / "data"),
                "demo": DEMO,
            },
        )
        for notebook in NOTEBOOKS
    ]
    publish = ExternalPythonOperator(
        task_id="publish",
        python=PYTHON,
        expect_airflow=False,
        python_callable=publish_briefings,
        trigger_rule="all_done",  # publish what succeeded, record what failed
        op_kwargs={
            "staging": STAGING,
            "reports": str(PROJECT / "reports"),
            "notebooks": NOTEBOOKS,
            "region": REGION,
            "year": YEAR,
            "lang": LANG,
        },
    )
    prepare >> runs >> publish
