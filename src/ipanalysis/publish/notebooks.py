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


#: The first cell of a notebook run in a warm kernel (see :func:`clear_namespace`).
CLEAR_CELL = (
    "from ipanalysis.publish.notebooks import clear_namespace\nclear_namespace(get_ipython())"
)


def clear_namespace(shell) -> None:
    """Empty an IPython kernel's user namespace for the next notebook, as ``%reset -f`` does,
    without its two full garbage collections (0.2-0.4 s a notebook in a kernel holding a
    briefing's data): every name the notebooks defined or imported goes, and the results they
    displayed (``Out``, ``_``, ``_12``); imported modules stay loaded.

    >>> from types import SimpleNamespace
    >>> ns = {"briefing": 1, "display": 2, "In": [], "_oh": {3: "x"}, "_3": "x", "_": "x"}
    >>> clear_namespace(SimpleNamespace(user_ns=ns, user_ns_hidden={"In": ns["In"]}))
    >>> sorted(ns), ns["_oh"]
    (['In', '_', '__', '___', '_oh'], {})
    """
    ns, hidden = shell.user_ns, shell.user_ns_hidden
    for name in [n for n in ns if n[:1] != "_" and (n not in hidden or hidden[n] is not ns[n])]:
        del ns[name]
    for name in [n for n in ns if n[:1] == "_" and n[1:].isdigit()]:  # _12: Out[12]
        del ns[name]
    ns.get("_oh", {}).clear()
    ns.update(_="", __="", ___="")


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
