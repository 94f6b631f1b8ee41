"""Compare two sets of built briefings as a reader sees them; print the differences.

    python benchmarks/compare_briefings.py reports-before/ reports-after/

For every ``*.html`` under ``<code>/<year>/`` in both folders, the page is reduced to what a
reader sees, in order: the page's title and styles, then every displayed output (HTML
fragments parsed and re-serialised, so that ``&quot;`` and ``&#34;`` compare equal; images by
their bytes). Cell boundaries are not compared: the notebooks may show the same outputs in
more cells (one analysis step per cell). Build dates and times, the commit and absolute paths
are masked. Exit status 0 when nothing differs, 1 otherwise.

Used for the layout change of issue 8: the five briefings, zh and en, built before and after,
must not differ apart from named fixes.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import re
import sys
from pathlib import Path

from bs4 import BeautifulSoup

MASKS = [
    (re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?"), "<DATETIME>"),
    (re.compile(r"(生成于|generated) \d{4}-\d{2}-\d{2}"), r"\1 <DATE>"),
    (
        re.compile(r"ipanalysis (\d+\.\d+\.\d+) \(([0-9a-f]{4,40}|unknown)\)"),
        r"ipanalysis \1 (<COMMIT>)",
    ),
    (re.compile(r"(/tmp|/work|/home|/root)[^'\"<>\s]*"), "<PATH>"),
]


#: Changes made on purpose, applied to the *before* pages: (what changed and why, pattern, new).
NAMED_FIXES = [
    (
        "English page headings name the theme as the page title and the index do (capitalised)",
        re.compile(r"(<h1>IP briefing: [^<]*· )([a-z])"),
        lambda m: m.group(1) + m.group(2).upper(),
    ),
    (
        "a scorecard row without a source shows — (it was empty)",
        re.compile(r'<td class="src"></td>'),
        '<td class="src">—</td>',
    ),
]


def _mask(text: str) -> str:
    for pattern, repl in MASKS:
        text = pattern.sub(repl, text)
    return text


def reader_view(page: str, fixes=()) -> list[str]:
    """The page as a list of lines: title, styles, then each output in order, with ``fixes``
    (see :data:`NAMED_FIXES`) applied to the outputs."""
    soup = BeautifulSoup(page, "html.parser")
    lines = [f"title: {soup.title.get_text() if soup.title else ''}"]
    for style in soup.find_all("style"):
        text = style.get_text()
        if "@font-face" in text:  # the embedded font: compare by content digest
            lines.append("font: " + hashlib.sha256(text.encode()).hexdigest()[:16])
        else:
            lines.append("style: " + hashlib.sha256(text.encode()).hexdigest()[:16])
    for output in soup.select(".jp-OutputArea-output"):
        for img in output.find_all("img"):
            src = img.get("src", "")
            img["src"] = "sha256:" + hashlib.sha256(src.encode()).hexdigest()[:16]
        body = "".join(str(child) for child in output.children).strip()
        for _, pattern, new in fixes:
            body = pattern.sub(new, body)
        lines.append("output: " + _mask(body))
    return lines


def compare(before: Path, after: Path) -> list[str]:
    """Differences between the briefings in two report folders (empty when none)."""
    found = []
    names = sorted(
        {p.relative_to(before).as_posix() for p in before.glob("*/*/*.html")}
        | {p.relative_to(after).as_posix() for p in after.glob("*/*/*.html")}
    )
    for name in names:
        a, b = before / name, after / name
        if not (a.exists() and b.exists()):
            found.append(f"{name}: only in {'after' if b.exists() else 'before'}")
            continue
        old = reader_view(a.read_text(encoding="utf-8"), fixes=NAMED_FIXES)
        new = reader_view(b.read_text(encoding="utf-8"))
        if old != new:
            diff = difflib.unified_diff(old, new, f"before/{name}", f"after/{name}", lineterm="")
            found.extend(diff)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    found = compare(args.before, args.after)
    pages = len(list(args.before.glob("*/*/*.html")))
    for line in found:
        print(line)
    for description, _, _ in NAMED_FIXES:
        print(f"named fix applied to the earlier pages: {description}")
    print(f"{pages} briefing(s) compared: " + ("identical" if not found else "they differ"))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
