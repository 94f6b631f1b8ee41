"""The manifest of raw sources (``data/sources.yml``): provenance, a sha256 pin and a layout.

Every file in ``data/raw/`` is described by one entry: publisher, document, vintage, how it was
obtained, licence, its sha256, and a ``layout`` telling :mod:`ipanalysis.io.readers` how its rows
become tidy observations or canonical record tables.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError


@dataclass(frozen=True)
class SourceEntry:
    """One manifest entry: provenance plus how to read the file."""

    id: str
    file: str
    title: str
    publisher: str
    vintage: str
    sha256: str
    layout: dict
    meta: dict

    def text(self, field: str, lang: str) -> str:
        """A descriptive field (``title``, ``publisher``, ``caveats``) in ``lang``: the entry's
        ``<field>_en`` on English pages where it gives one."""
        base = getattr(self, field, None) or self.meta.get(field, "")
        return str(self.meta.get(f"{field}_en") or base) if lang == "en" else str(base)

    @property
    def priority(self) -> int:
        """Ranks this source above others of the same vintage (``priority:``, default 0)."""
        return int(self.meta.get("priority", 0))

    def path(self, data_dir: Path) -> Path:
        return data_dir / self.file


def read_manifest(path: Path | None = None) -> list[SourceEntry]:
    """Parse ``sources.yml`` into entries, checking required keys."""
    path = Path(path) if path else paths.manifest_path()
    if not path.exists():
        raise InputError("the source manifest is missing", file=path)
    doc = paths.load_yaml(path.read_text(encoding="utf-8"))
    entries = []
    for n, item in enumerate(doc.get("sources", []), start=1):
        missing = [
            k
            for k in ("id", "file", "title", "publisher", "vintage", "sha256", "layout")
            if k not in item
        ]
        if missing:
            raise InputError(f"source #{n} lacks {', '.join(missing)}", file=path)
        entries.append(
            SourceEntry(
                id=item["id"],
                file=item["file"],
                title=item["title"],
                publisher=item["publisher"],
                vintage=str(item["vintage"]),
                sha256=item["sha256"],
                layout=item["layout"],
                meta={k: v for k, v in item.items() if k != "layout"},
            )
        )
    return entries


def sha256(path: Path) -> str:
    """The sha256 hex digest of a file, as pinned in the manifest."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def unlisted_files(data_dir: Path, manifest: list[SourceEntry]) -> list[str]:
    """Files in ``raw/`` that no manifest entry describes (hidden files and READMEs aside)."""
    listed = {(data_dir / e.file).resolve() for e in manifest}
    return sorted(
        path.relative_to(data_dir).as_posix()
        for path in (data_dir / "raw").rglob("*")
        if path.is_file()
        and not path.name.startswith(".")
        and path.name.lower() not in ("readme.md", "readme.txt")
        and path.resolve() not in listed
    )


def manifest_table(data_dir: Path | None = None) -> pd.DataFrame:
    """Sources as a table: id, title, publisher, vintage, licence (for footers and READMEs)."""
    data_dir = Path(data_dir) if data_dir else paths.data_dir()
    rows = [
        {
            "id": e.id,
            "title": e.title,
            "publisher": e.publisher,
            "vintage": e.vintage,
            "licence": e.meta.get("licence", ""),
            "caveats": e.meta.get("caveats", ""),
        }
        for e in read_manifest(data_dir / "sources.yml")
    ]
    return pd.DataFrame(rows)


@functools.cache
def _issuers() -> dict[str, str]:
    frame = pd.read_csv(paths.REFERENCE_DIR / "issuers.csv", dtype=str, keep_default_na=False)
    return dict(zip(frame["issuer"], frame["issuer_en"], strict=True))


def issuer_in_english(issuer: str) -> str:
    """The English name of an issuing body (``reference/issuers.csv``); the name as written when
    the table lacks it.

    >>> issuer_in_english("国家统计局")
    'National Bureau of Statistics (NBS)'
    """
    return _issuers().get(issuer, issuer)
