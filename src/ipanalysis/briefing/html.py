"""HTML fragments of a briefing, rendered from Jinja templates (``briefing/templates/``).

Every value is escaped by the template engine (data from files is never trusted as markup).
In these templates a line break and the indentation after it are layout, not output (as in
JSX): write a space explicitly where the page needs one.
"""

from __future__ import annotations

import functools
import re

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup


class _Compact(Extension):
    """Drop line breaks and the indentation after them from template source (not from data)."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return re.sub(r"\n[ \t]*", "", source)


@functools.cache
def environment() -> Environment:
    """The briefing's template environment: autoescaping, strict about undefined names."""
    return Environment(
        loader=PackageLoader("ipanalysis.briefing", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=[_Compact],
        keep_trailing_newline=False,
    )


def render(template: str, /, **context: object) -> Markup:
    """Render ``templates/<template>.html.j2`` with ``context``; the result is safe markup."""
    return Markup(environment().get_template(f"{template}.html.j2").render(**context))
