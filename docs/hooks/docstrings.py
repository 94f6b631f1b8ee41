"""A griffe extension for the API reference: the project's docstrings as written, checked.

- ``#:`` comments above a module constant are its docstring (the Sphinx convention the source
  uses), so that constants are documented where they are defined.
- Sphinx roles (``:func:`load_plan```, ``:data:`~ipanalysis.indicators.INDICATORS```) become
  links when their target is shown in the reference, and code otherwise (a private helper, a
  pandas method). A role naming nothing is a warning, which fails the strict build.
- Doctest examples outside an ``Examples`` section are shown as code, not as Markdown quotes.
- A public name of a documented module without a docstring is a warning too.
- A function exported by a package under the name of its own submodule
  (``ipanalysis.high_value.classify``: griffe sees the submodule, Python the function) is taken
  as the function; its page shows it with an explicit ``:::`` entry.

Loaded by mkdocstrings (``mkdocs.yml``: ``extensions``), with the documented modules as option.
"""

from __future__ import annotations

import ast
import re
from typing import Any

from griffe import Alias, Attribute, Docstring, Extension, Module, Object, logger

ROLE = re.compile(r":(?:py:)?(func|class|data|mod|meth|attr|exc|obj|const):`(~?)(\.*[\w.]+)`")
DOCTEST = re.compile(r"(?m)^([ \t]*)>>> ")


def _comment_above(attr: Attribute) -> str | None:
    """The ``#:`` lines right above ``attr``'s assignment, without their markers."""
    lines = attr.module.lines
    comment: list[str] = []
    row = (attr.lineno or 0) - 2
    while row >= 0 and lines[row].lstrip().startswith("#:"):
        comment.insert(0, lines[row].lstrip()[2:].strip())
        row -= 1
    return "\n".join(comment) or None


def _final(obj: Object | Alias | None) -> Object | None:
    try:
        return obj.final_target if isinstance(obj, Alias) else obj
    except Exception:  # an alias to something outside the loaded packages
        return None


def _exported(module: Module, name: str) -> Object | None:
    """What ``module.name`` is at run time: a submodule shadowed by a same-named function is
    the function."""
    member = _final(module.members.get(name))
    if isinstance(member, Module) and name in (module.exports or ()):
        return _final(member.members.get(name)) or member
    return member


def fence_doctests(text: str) -> str:
    """Wrap each run of doctest lines (``>>>``, ``...`` and their output, up to a blank line)
    in a ``pycon`` code fence, keeping its indentation.

    >>> fence_doctests("Text.\\n\\n  >>> 1 + 1\\n  2\\n\\nMore.").splitlines()
    ['Text.', '', '  ```pycon', '  >>> 1 + 1', '  2', '  ```', '', 'More.']
    """
    lines, out, row = text.split("\n"), [], 0
    while row < len(lines):
        match = DOCTEST.match(lines[row])
        inside_fence = sum(line.lstrip().startswith("```") for line in out) % 2 == 1
        if not match or inside_fence:
            out.append(lines[row])
            row += 1
            continue
        indent, block = match.group(1), []
        while row < len(lines) and lines[row].strip():
            block.append(lines[row])
            row += 1
        out += [f"{indent}```pycon", *block, f"{indent}```"]
    return "\n".join(out)


#: Numpy sections griffe parses itself: their ``name\n    description`` items stay as written.
NUMPY_SECTIONS = {
    "parameters",
    "other parameters",
    "returns",
    "yields",
    "receives",
    "raises",
    "warns",
    "warnings",
    "attributes",
    "methods",
    "functions",
    "classes",
    "modules",
    "see also",
    "examples",
}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def definition_lists(text: str) -> str:
    """RST definition lists (a term, its definition indented 4 more) as Markdown ones
    (the term, then ``:   definition``), outside the sections griffe parses itself.

    >>> print(definition_lists("Statuses\\n--------\\n``met``\\n    reached;\\n    or held.\\n``no_data``\\n    none."))
    Statuses
    --------
    ``met``
    :   reached;
        or held.
    <BLANKLINE>
    ``no_data``
    :   none.
    """
    lines, out, section, row, after_definition = text.split("\n"), [], "", 0, False
    while row < len(lines):
        line = lines[row]
        below = lines[row + 1] if row + 1 < len(lines) else ""
        if below.strip() and set(below.strip()) == {"-"}:
            section = line.strip().lower()
        indent = _indent(line)
        if (
            section not in NUMPY_SECTIONS
            and line.strip()
            and not line.rstrip().endswith(":")
            and not line.lstrip().startswith((">>>", "...", "- ", "* ", "```"))
            and (row == 0 or set(lines[row - 1].strip()) <= {"-"} or after_definition)
            and below.strip()
            and _indent(below) == indent + 4
        ):
            if after_definition:
                out.append("")
            out.append(line)
            row += 1
            marker = ":   "
            while row < len(lines) and lines[row].strip() and _indent(lines[row]) >= indent + 4:
                out.append(" " * indent + marker + lines[row][indent + 4 :])
                marker = "    "
                row += 1
            after_definition = True
            continue
        after_definition = False
        out.append(line)
        row += 1
    return "\n".join(out)


class ProjectDocstrings(Extension):
    """See the module docstring; ``documented`` lists the modules with a reference page."""

    def __init__(self, documented: list[str]) -> None:
        self.documented = documented

    def on_attribute_instance(self, *, node: ast.AST, attr: Attribute, **kwargs: Any) -> None:
        """Take a module constant's ``#:`` comment as its docstring."""
        if attr.docstring is None and attr.parent is not None and attr.parent.is_module:
            text = _comment_above(attr)
            if text:
                attr.docstring = Docstring(text, lineno=attr.lineno, parent=attr)

    def on_package(self, *, pkg: Module, **kwargs: Any) -> None:
        """Check the documented names, then rewrite every docstring (roles, doctests)."""
        if pkg.name != "ipanalysis":
            return
        self.pkg = pkg
        self.modules = [pkg.modules_collection[path] for path in self.documented]
        self.pages: dict[str, str] = {}  # path of an object shown in the reference -> anchor
        for module in reversed(self.modules):  # the first module listed wins
            self.pages[module.path] = module.path
            for name in list(module.members):
                target = _exported(module, name)
                if name.startswith("_") or not module.members[name].is_public:
                    continue
                if target is None or isinstance(target, Module):
                    continue
                if not target.docstring:
                    logger.warning(f"{module.path}.{name} is public but has no docstring")
                    continue
                self.pages[target.path] = target.path  # its canonical path is an anchor too
                for sub_name, sub in getattr(target, "members", {}).items():
                    shown = _final(sub)  # a class's member with a docstring has an anchor
                    if not sub_name.startswith("_") and shown is not None and shown.docstring:
                        self.pages[shown.path] = shown.path
        for obj in self._objects(pkg):
            if obj.docstring is not None:
                text = ROLE.sub(lambda m, obj=obj: self._link(m, obj), obj.docstring.value)
                obj.docstring.value = definition_lists(fence_doctests(text))

    def _objects(self, obj: Object):
        yield obj
        for member in obj.members.values():
            if not isinstance(member, Alias):
                yield from self._objects(member)

    def _resolve(self, name: str, obj: Object) -> Object | None | str:
        """What ``name`` names, seen from ``obj`` (Sphinx's rules, roughly): relative to the
        module with leading dots; else in each enclosing scope, the whole package, then the
        documented modules (the names ``ipanalysis`` exposes lazily). ``"external"`` for a
        dotted name outside the package (``pandas.Timestamp``)."""
        module = obj if isinstance(obj, Module) else obj.module
        if name.startswith("."):
            base = module
            for _ in range(len(name) - len(name.lstrip(".")) - 1):
                base = base.parent
            return self._lookup(base if module.is_package else base.parent, name.lstrip("."))
        scopes = [obj if isinstance(obj, Module) or obj.is_class else obj.parent]
        while scopes[-1].parent is not None:
            scopes.append(scopes[-1].parent)
        for scope in scopes:
            found = self._lookup(scope, name)
            if found is not None:
                return found
        if name.startswith("ipanalysis."):
            return self._lookup(self.pkg, name.removeprefix("ipanalysis."))
        for documented in self.modules:
            found = self._lookup(documented, name)
            if found is not None:
                return found
        return "external" if "." in name else None

    def _lookup(self, scope: Object, name: str) -> Object | None:
        """``name``'s parts walked down from ``scope``: a submodule on the way, what the module
        exports (see :func:`_exported`) at the end."""
        *path, last = name.split(".")
        for part in path:
            scope = _final(scope.members.get(part))
            if scope is None:
                return None
        return (
            _exported(scope, last) if isinstance(scope, Module) else _final(scope.members.get(last))
        )

    def _link(self, match: re.Match, obj: Object) -> str:
        role, short, name = match.groups()
        target = self._resolve(name, obj)
        shown = name.lstrip(".").rsplit(".", 1)[-1] if short else name.lstrip(".")
        if role in ("func", "meth"):
            shown += "()"
        if target is None:
            logger.warning(f"{obj.path}: :{role}:`{name}` names nothing (a broken reference)")
            return f"`{shown}`"
        anchor = None if target == "external" else self.pages.get(target.path)
        return f"[`{shown}`][{anchor}]" if anchor else f"`{shown}`"
