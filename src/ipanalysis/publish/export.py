"""Executed notebooks to self-contained HTML: no code, no external resource, the CJK font
embedded (subset to the page's characters)."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import os
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from .. import paths

if TYPE_CHECKING:
    import nbformat
    from nbconvert import HTMLExporter

EXTERNAL = re.compile(r"<(script|link|img)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.I)


def notebook_tools():
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


def exporter(lang: str = "zh") -> HTMLExporter:
    """The HTML exporter for briefings: no code, no prompts, no external scripts."""
    notebook_tools()
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    # notes for analysts (markdown) and the steps' intermediate tables stay out of the briefing
    remover = TagRemovePreprocessor(remove_cell_tags={"remove_cell", "analysis"}, enabled=True)
    exp = HTMLExporter(
        language_code=lang,  # <html lang=…> (ISO 639-1): fonts and screen readers
        template_name="briefing",
        extra_template_basedirs=[str(paths.PACKAGE_DIR / "publish" / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exp.register_preprocessor(remover, enabled=True)
    return exp


#: One exporter per language, kept: a new one compiles its ten templates again (0.1-0.3 s).
_EXPORTERS: dict[str, HTMLExporter] = {}
_EXPORTING = threading.Lock()  # an exporter renders one notebook at a time


def kept_exporter(lang: str = "zh") -> HTMLExporter:
    """The :func:`exporter` of ``lang`` made once in this process and kept (call it holding
    ``_EXPORTING``; :func:`to_html` does)."""
    if lang not in _EXPORTERS:
        _EXPORTERS[lang] = exporter(lang)
    return _EXPORTERS[lang]


def warm_exporter(lang: str = "zh") -> None:
    """Make the exporter of ``lang`` and render an empty notebook with it (compiling its
    templates), so that the first briefing's export does not wait for that."""
    nbformat, _ = notebook_tools()
    with _EXPORTING:
        kept_exporter(lang).from_notebook_node(nbformat.v4.new_notebook())


def embed_font(page: str) -> str:
    """Embed the packaged CJK font, subset to the page's characters, as a data: URI.

    The briefing then shows Chinese text on a machine with no CJK font installed, offline. The
    font (Noto Sans CJK SC, SIL Open Font Licence) comes from the ``mplfonts`` package. A subset
    is made once per set of characters and kept in the user's cache (:func:`font_cache`): a
    scheduled run's pages reuse the last run's instead of subsetting again (0.3-1 s a page).
    """
    chars = "".join(sorted(c for c in set(page) if c.isprintable()))
    data = base64.b64encode(_font_subset(chars)).decode("ascii")
    face = (
        '<style type="text/css">@font-face { font-family: "Briefing CJK"; '
        f'src: url(data:font/otf;base64,{data}) format("opentype"); }}</style>'
    )
    return page.replace("</head>", face + "</head>", 1)


#: Subsets kept in the cache; the oldest go beyond this.
FONT_CACHE_SIZE = 512


def font_cache() -> Path:
    """Where font subsets are kept: ``$XDG_CACHE_HOME/ipanalysis/fonts`` (``~/.cache/…``)."""
    root = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "ipanalysis" / "fonts"


def _font_subset(chars: str) -> bytes:
    """The font subset to ``chars`` (OpenType/CFF bytes): from the cache, else made and kept.

    The key is the characters, the font file (name, size, time) and the subsetting options, so
    a cached subset is byte for byte what :func:`_subset` makes. A cache that cannot be read or
    written is passed over.
    """
    font = paths.font_path()
    stat = font.stat()
    options = json.dumps(_SUBSET_OPTIONS, sort_keys=True)
    key = f"{options}|{font.name}|{stat.st_size}|{stat.st_mtime_ns}|{chars}"
    path = font_cache() / f"{hashlib.sha256(key.encode()).hexdigest()}.otf"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = _subset(font, chars)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staged = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        staged.write_bytes(data)
        os.replace(staged, path)  # whole or not at all, whoever writes it too
        kept = sorted(path.parent.glob("*.otf"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[FONT_CACHE_SIZE:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
    return data


#: The subsetting options (fontTools' ``subset.Options``), part of the cache key too: change them
#: and old subsets are not used. Chinese and Latin text need no OpenType features here.
_SUBSET_OPTIONS = {
    "layout_features": [],
    "hinting": False,
    "name_IDs": ["*"],
    "notdef_outline": True,
}


def _subset(font: Path, chars: str) -> bytes:
    """Subset the font file to ``chars`` (fontTools; pure Python, so worth keeping)."""
    from fontTools import subset

    options = subset.Options(**copy.deepcopy(_SUBSET_OPTIONS))
    loaded = subset.load_font(str(font), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(loaded)
    buffer = io.BytesIO()
    subset.save_font(loaded, buffer, options)
    return buffer.getvalue()


def to_html(notebook: nbformat.NotebookNode, title: str, lang: str = "zh") -> str:
    """Export an executed notebook to self-contained HTML; refuse any external resource.

    Raises ``RuntimeError`` when the notebook wrote to stderr (a warning would otherwise be
    published to the reader) or when the page would load anything from the network.
    """
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                raise RuntimeError(f"a cell wrote to stderr: {output.get('text', '')[:300]}")
    notebook.metadata["title"] = title
    with _EXPORTING:
        body, _ = kept_exporter(lang).from_notebook_node(notebook)
    found = EXTERNAL.search(body)
    if found:
        raise RuntimeError(f"briefing HTML would load an external resource: {found.group(0)}")
    return embed_font(body)
