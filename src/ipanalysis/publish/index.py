"""The index of published briefings (``reports/index.html``) and its registry."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from jinja2 import Environment, PackageLoader

from ..locale import texts
from .notebooks import NOTEBOOKS, title

INDEX_FILE = "index.html"


REGISTRY_FILE = "briefings.json"


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o644)  # published files are world-readable (mkstemp makes them private)
    os.replace(tmp, path)


def _read_registry(reports: Path) -> dict:
    path = reports / REGISTRY_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _row(reports: Path, entry: dict) -> dict:
    good, last = entry.get("last_good"), entry["last_attempt"]
    link = None
    if good and good.get("html"):
        link = Path(good["html"]).resolve().relative_to(reports.resolve()).as_posix()
    return {
        "region": last["region"],
        "year": last["year"],
        "title_zh": title(last["notebook"], "zh") if last["notebook"] in NOTEBOOKS else "",
        "title_en": title(last["notebook"], "en") if last["notebook"] in NOTEBOOKS else "",
        "lang": last["lang"],
        "link": link,
        "built": good["built_at"] if link else "",
        "ok": last["ok"],
        "demo": good.get("demo") if good else None,
        "error": last["error"][:160],
        "attempted": last["built_at"],
    }


def _page(reports: Path, registry: dict) -> str:
    env = Environment(loader=PackageLoader("ipanalysis.publish", "templates"), autoescape=True)
    return (
        env.get_template("reports_index.html.j2").render(
            zh=texts("index", "zh"),
            en=texts("index", "en"),
            rows=[_row(reports, registry[key]) for key in sorted(registry)],
            generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        )
        + "\n"
    )


def write_index(reports: Path, results: list) -> Path:
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
    atomic_write(reports / REGISTRY_FILE, json.dumps(registry, ensure_ascii=False, indent=1))
    page = _page(reports, registry)
    path = reports / INDEX_FILE
    atomic_write(path, page)
    return path
