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
    return _flatten(yaml.load(source, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


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


_PROVINCIAL = ("自治区", "特别行政区", "省")
_UNITS = ("区", "市", "县", "旗")


def unit_of(name: str) -> str:
    """The kind of unit a Chinese region name ends with: 区, 市, 省, 县, 旗, 国 or ``mixed``.

    >>> unit_of("松江区"), unit_of("上海市"), unit_of("内蒙古自治区"), unit_of("全国")
    ('区', '市', '省', '国')
    """
    if name in ("全国", "中国", "中华人民共和国"):
        return "国"
    if name.endswith(_PROVINCIAL):
        return "省"
    return next((u for u in _UNITS if name.endswith(u)), "mixed")


def place_words(
    name: str, parent: str, peers: list[str], lang: str, peer_level: str = ""
) -> dict[str, str]:
    """Words for the region and its setting, from the Chinese names of the region, its parent
    and its peers: ``here`` (本区 / the district), ``scope`` (the parent's whole area: 全市 /
    the city) and ``units`` (the peers: 区 / districts; provinces, autonomous regions and
    municipalities together when ``peer_level`` is ``province``).

    >>> place_words("松江区", "上海市", ["黄浦区", "松江区"], "zh")
    {'here': '本区', 'scope': '全市', 'units': '区'}
    >>> place_words("浙江省", "全国", ["浙江省", "上海市"], "en", peer_level="province")
    {'here': 'the province', 'scope': 'the country', 'units': 'provinces'}
    """
    kinds = {unit_of(p) for p in peers}
    kind = "省" if peer_level == "province" else kinds.pop() if len(kinds) == 1 else "mixed"
    return {
        "here": texts(f"place.{unit_of(name)}", lang)["here"],
        "scope": texts(f"place.{unit_of(parent)}", lang)["scope"] if parent else "",
        "units": texts(f"place.{kind}", lang)["units"],
    }
