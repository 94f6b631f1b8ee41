"""Airflow DAG: the monthly ipanalysis briefings, one papermill task per notebook.

For offices that already run Airflow (the cron and systemd recipes beside this file do the same
without it). Each run briefs the last completed year, as the recipes do (scheduling/README.md):

    prepare ──> run_scorecard, run_high_value, … (PapermillOperator, one per notebook) ──> publish

- ``prepare`` reads ``data/raw`` into ``data/processed``, generates the demo records once (so the
  notebooks, running in parallel, only read) and makes the staging folder;
- each ``run_<notebook>`` executes ``notebooks/<notebook>.ipynb`` with papermill in the project's
  kernel (``ipanalysis``) into a staging folder, ``reports/.staging/<run>/``;
- ``publish`` runs whatever the notebooks ran (``all_done``): it exports each executed notebook to
  self-contained HTML without code (``ipanalysis.publish.export.to_html``: fonts and charts embedded, no
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
DEMO = False  # scheduled briefings hold real figures only (no demo data)
#: Briefing notebooks in reading order: the keys of ``ipanalysis.publish.NOTEBOOKS``
#: (tests/test_scheduling.py checks that they match).
NOTEBOOKS = ["scorecard", "high_value", "international", "commercialisation", "patent_intensive"]
YEAR = "{{ data_interval_end.year - 1 }}"  # the last completed year
STAGING = str(PROJECT / "reports" / ".staging" / "{{ ts_nodash }}")


def prepare_data(data_dir: str, demo: bool, staging: str) -> None:
    """Prepare the processed data (and the demo records) once, before the notebooks read them.

    Also makes the staging folder: papermill writes into an existing folder only.
    """
    from pathlib import Path

    from ipanalysis.io import prepare, prepare_demo

    Path(staging).mkdir(parents=True, exist_ok=True)
    prepare(Path(data_dir))
    if demo:
        prepare_demo(Path(data_dir))


def publish_briefings(
    staging: str, reports: str, notebooks: list, region: str, year: int, lang: str
) -> None:
    """Export the executed notebooks to HTML and publish them as ``ipanalysis build`` does
    (:func:`ipanalysis.publish.runner.publish_executed`); record every result in the index."""
    import datetime as dt
    import shutil
    from pathlib import Path

    from ipanalysis import publish
    from ipanalysis.publish.runner import Run, publish_executed

    code, name = publish.resolve_region(region)
    reports_dir = Path(reports)
    results = []
    for notebook in notebooks:
        executed = Path(staging) / f"{notebook}.ipynb"
        missing = (
            None
            if executed.exists()
            else RuntimeError("the notebook did not run (see its task log)")
        )
        run = Run(notebook, code, name, int(year), lang)
        results.append(publish_executed(run, executed, reports_dir, dt.datetime.now(), missing))
    publish.write_index(reports_dir, results)
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
