"""MkDocs hooks: the pages and tables generated from the library when the site is built.

- ``indicators.md``: the indicator catalogue, from the registry
  (:data:`ipanalysis.indicators.INDICATORS`, version ``DEFINITIONS_VERSION``);
- ``<!-- high-value-parameters -->`` in a page: the high-value definition's parameters with
  their defaults, from :class:`ipanalysis.high_value.HighValueDefinition`.

Nothing here is copied by hand: change the registry or the definition and the site follows.
"""

from __future__ import annotations

import dataclasses
import inspect
import re

from mkdocs.structure.files import File

DIRECTIONS = {
    "higher": "higher is better",
    "lower": "lower is better",
    "none": "no direction (context)",
}


#: A Sphinx role in a docstring (``:data:`DEFAULT_AWARDS```), shown as code in a table.
ROLE = re.compile(r":\w+:`~?([\w.]+)`")


def _cell(text: object) -> str:
    return ROLE.sub(r"`\1`", str(text)).replace("|", "\\|").replace("\n", " ")


def indicator_catalogue() -> str:
    """The catalogue page: a summary table, then every indicator with all its metadata."""
    from ipanalysis.indicators import DEFINITIONS_VERSION, INDICATORS

    out = [
        "# Indicator catalogue",
        "",
        f"Definitions version **{DEFINITIONS_VERSION}** "
        "([`DEFINITIONS_VERSION`][ipanalysis.indicators.DEFINITIONS_VERSION]), printed in every "
        "briefing's footer. This page is generated from the registry "
        "([`INDICATORS`][ipanalysis.indicators.INDICATORS]) each time the site is built: "
        f"{len(INDICATORS)} indicators, the plan's own marked *plan*, the measures they are "
        "built from *supporting*.",
        "",
        "```python",
        "from ipanalysis.indicators import INDICATORS",
        'per_10k = INDICATORS["high_value_invention_patents_per_10k"]',
        'per_10k(frame, by="region")   # a Ratio is a callable over your own frame',
        "```",
        "",
        "| id | 名称 | Name | Unit | Kind | |",
        "|---|---|---|---|---|---|",
    ]
    for ind in INDICATORS.values():
        out.append(
            f"| [`{ind.id}`](#{ind.id}) | {_cell(ind.name_zh)} | {_cell(ind.name_en)} | "
            f"{_cell(ind.unit)} | {ind.kind} | {'plan' if ind.plan else 'supporting'} |"
        )
    for ind in INDICATORS.values():
        bases = "; ".join(f"`{code}`: {_cell(text)}" for code, text in ind.bases.items())
        out += [
            "",
            f"## {ind.name_zh} — {ind.name_en} {{#{ind.id}}}",
            "",
            "| | |",
            "|---|---|",
            f"| id | `{ind.id}` ({type(ind).__name__}{', plan indicator' if ind.plan else ''}) |",
            f"| Unit | {_cell(ind.unit)} ({_cell(ind.unit_en)}) |",
            f"| Formula | `{_cell(ind.formula)}` |",
            f"| Direction | {DIRECTIONS.get(ind.direction, ind.direction)} |",
            f"| Kind | {ind.kind} |",
            f"| Counting bases | {bases or '—'} |",
            f"| Source | {_cell(ind.source.cite())} |",
            "",
            f"**定义** {ind.definition_zh}",
            "",
            f"**Definition** {ind.definition_en}",
        ]
    return "\n".join(out) + "\n"


def high_value_parameters() -> str:
    """A table of the definition's parameters: type, default and meaning (its docstring's
    Parameters section)."""
    from griffe import Docstring, DocstringSectionKind

    from ipanalysis.high_value import DEFAULT_DEFINITION, HighValueDefinition

    docstring = Docstring(inspect.getdoc(HighValueDefinition))
    sections = docstring.parse("numpy", warn_missing_types=False)
    (parameters,) = [s for s in sections if s.kind is DocstringSectionKind.parameters]
    meaning = {item.name: item.description for item in parameters.value}
    rows = ["| Parameter | Type | Default | Meaning |", "|---|---|---|---|"]
    for field in dataclasses.fields(HighValueDefinition):
        default = getattr(DEFAULT_DEFINITION, field.name)
        if isinstance(default, tuple):
            default = ", ".join(default) if default else "(none)"
        elif isinstance(default, float):
            default = f"{default:,.0f}"
        rows.append(
            f"| `{field.name}` | `{_cell(field.type)}` | {_cell(default)} | "
            f"{_cell(meaning[field.name])} |"
        )
    return "\n".join(rows)


def top_level_names() -> str:
    """The names ``import ipanalysis`` gives, each linked to where it is documented."""
    import ipanalysis

    rows = ["| Name | Defined in |", "|---|---|"]
    for name in ipanalysis.__all__:
        module, value = ipanalysis._PUBLIC[name], getattr(ipanalysis, name)
        where = getattr(value, "__module__", module) if callable(value) else module
        anchor = f"{where}.{value.__qualname__}" if callable(value) else f"{module}.{name}"
        rows.append(f"| [`{name}`][{anchor}] | [`{module}`][{module}] |")
    return "\n".join(rows)


def on_files(files, config):
    """Add the generated catalogue page."""
    files.append(File.generated(config, "indicators.md", content=indicator_catalogue()))
    return files


def on_page_markdown(markdown, page, config, files):
    """Fill the generated tables in the pages that ask for them."""
    generated = {
        "<!-- high-value-parameters -->": high_value_parameters,
        "<!-- top-level-names -->": top_level_names,
    }
    for marker, make in generated.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown
