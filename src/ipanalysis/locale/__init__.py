"""Every word a reader sees, in one catalogue per language: ``zh.yml`` and ``en.yml``.

Briefings, scorecard notes, plan labels and the index page take their text from here by key;
nothing visible is typed in code. A key's text is a :meth:`str.format` template whose fields
are filled from the arguments (rule parameters, values, names), so a parameter changed in a
definition changes the sentence that states it.

>>> text("status.met", "zh"), text("status.met", "en")
('已达成', 'met')
>>> text("target.level_short", "en", value=30, unit="per 10k residents", by=2026)
'≥ 30 per 10k residents by end-2026'
>>> text("no.such.key", "zh")
Traceback (most recent call last):
...
KeyError: "no text 'no.such.key' in the zh catalogue"
"""

from __future__ import annotations

import functools
from importlib import resources

import yaml

LANGUAGES = ("zh", "en")


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of ``lang`` as a flat mapping of dotted keys to text templates."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got '{lang}'")
    source = resources.files(__package__).joinpath(f"{lang}.yml").read_text(encoding="utf-8")
    return _flatten(yaml.safe_load(source))


def text(key: str, lang: str, /, **fields: object) -> str:
    """The text of ``key`` in ``lang``, its ``{fields}`` filled in."""
    try:
        template = catalogue(lang)[key]
    except KeyError:
        raise KeyError(f"no text '{key}' in the {lang} catalogue") from None
    return template.format(**fields) if fields else template


def texts(prefix: str, lang: str) -> dict[str, str]:
    """Every text under ``prefix`` (e.g. ``"status"``), keyed by the rest of the key."""
    start = prefix + "."
    return {k[len(start) :]: v for k, v in catalogue(lang).items() if k.startswith(start)}
