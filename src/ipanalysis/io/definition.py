"""The high-value definition's parameters as an office sets them: in ``sources.yml``, as a
notebook parameter or as a CLI option.

The same names and values everywhere: a patents source's layout may hold ``definition:`` (a
mapping), a notebook takes ``definition = "pledge_threshold=5e6; maintenance_from=grant_date"``
and ``ipanalysis build`` / ``high-value`` / ``stock`` take ``--definition NAME=VALUE``. The
names are the parameters of :class:`ipanalysis.high_value.HighValueDefinition`; ``awards`` and
``concordance`` take several values separated by ``|``, and ``concordance`` may name a CSV file
(an office's IPC table with an ``ipc`` column, relative to the data folder).

>>> parse_definition("pledge_threshold=5e6; awards=中国专利奖|国家技术发明奖")
{'pledge_threshold': 5000000.0, 'awards': ('中国专利奖', '国家技术发明奖')}
>>> definition_from({"maintenance_from": "grant_date"}).version
'cnipa-2021/2+maintenance_from=grant_date'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError
from ..high_value import DEFAULT_DEFINITION, HighValueDefinition, configured
from ..high_value.definition import concordance_prefixes

#: The parameters an office may set (every field of the definition but its version).
NAMES = tuple(f.name for f in dataclasses.fields(HighValueDefinition) if f.name != "version")
_NUMBERS = {"maintenance_years": int, "pledge_threshold": float}
_LISTS = ("awards", "concordance")


def _value(name: str, value: object) -> object:
    if name in _NUMBERS:
        try:
            return _NUMBERS[name](float(value))
        except (TypeError, ValueError):
            raise InputError(f"definition: {name} must be a number, not {value!r}") from None
    if name in _LISTS:
        items = value if isinstance(value, (list, tuple)) else str(value).split("|")
        return tuple(str(v).strip() for v in items if str(v).strip())
    return str(value).strip()


def parse_definition(given: str | Mapping | None) -> dict:
    """``"name=value; name=value"`` (or a mapping) as typed parameters; unknown names refused."""
    if not given:
        return {}
    if isinstance(given, str):
        pairs = [p.partition("=") for p in given.replace("；", ";").split(";") if p.strip()]
        bad = [p[0] for p in pairs if not p[1]]
        if bad:
            raise InputError(f"definition: expected name=value, got {'; '.join(bad)!r}")
        given = {k.strip(): v.strip() for k, _, v in pairs}
    unknown = sorted(set(given) - set(NAMES))
    if unknown:
        raise InputError(
            f"definition: unknown parameter(s) {', '.join(unknown)}; known: {', '.join(NAMES)}"
        )
    return {name: _value(name, value) for name, value in given.items()}


def _concordance(values: tuple[str, ...], data_dir: Path | None) -> tuple[str, ...]:
    """IPC prefixes, or those of a CSV file named as the only value."""
    if len(values) == 1 and values[0].lower().endswith(".csv"):
        path = Path(values[0])
        path = path if path.is_absolute() else (data_dir or paths.data_dir()) / path
        if not path.exists():
            raise InputError("definition: concordance file not found", file=path)
        return concordance_prefixes(pd.read_csv(path, dtype=str))
    return values


def definition_from(
    given: str | Mapping | None,
    base: HighValueDefinition = DEFAULT_DEFINITION,
    data_dir: Path | None = None,
) -> HighValueDefinition:
    """``base`` with the parameters ``given``; its version names every one that differs."""
    parameters = parse_definition(given)
    if "concordance" in parameters:
        parameters["concordance"] = _concordance(parameters["concordance"], data_dir)
    try:
        return configured(base, **parameters)
    except ValueError as error:
        raise InputError(f"definition: {error}") from None
