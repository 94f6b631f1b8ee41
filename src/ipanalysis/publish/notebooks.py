"""The briefing notebooks: their files, titles and parameters (read by papermill)."""

from __future__ import annotations

from .. import paths
from ..errors import InputError
from ..locale import text
from ..vocabulary import parse_flag
from .export import notebook_tools

#: Briefing notebooks by name, in reading order: name → file in ``notebooks/``. Their titles
#: are the locale catalogue's ``theme.<name>``.
NOTEBOOKS: dict[str, str] = {
    "scorecard": "scorecard.ipynb",
    "high_value": "high_value.ipynb",
    "international": "international.ipynb",
    "commercialisation": "commercialisation.ipynb",
    "patent_intensive": "patent_intensive.ipynb",
}


def title(name: str, lang: str) -> str:
    """A briefing notebook's title in ``lang``."""
    return text(f"theme.{name}", lang)


#: Parameters that ``build`` sets itself from its own arguments.
BUILD_PARAMETERS = ("region", "year", "lang", "plan", "data_dir", "demo")


def notebook_parameters(name: str) -> dict[str, dict]:
    """The parameters a briefing notebook declares (papermill's reading of its parameters cell)."""
    _, papermill = notebook_tools()
    return papermill.inspect_notebook(str(paths.notebooks_dir() / NOTEBOOKS[name]))


def check_extra_parameters(notebooks: list[str], given: dict[str, str]) -> dict[str, dict]:
    """Per notebook, the ``given`` parameters it declares, converted to their declared types.

    >>> check_extra_parameters(["scorecard", "high_value"], {"peers": "上海市"})["high_value"]
    {'peers': '上海市'}
    >>> check_extra_parameters(["scorecard"], {"colour": "red"})
    Traceback (most recent call last):
    ...
    ipanalysis.errors.InputError: unknown notebook parameter 'colour'; the notebooks take: activity_log, definition, peers
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
        for key, value in given.items():
            if key in params:
                out[name][key] = _convert(key, str(value), params[key]["inferred_type_name"])
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
