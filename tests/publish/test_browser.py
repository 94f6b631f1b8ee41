"""Seen as a reader would see it: built briefings opened in headless Chromium (Debian's).

Each page is loaded from disk in a fresh browser context at 1280×800 with name resolution
disabled, and :func:`check_page` lists what a reader would see wrong:

- a network request (anything but the page itself; ``data:`` URIs make none), a failed load, a
  console error or an uncaught script exception;
- an image (a chart) that did not decode;
- CJK text the embedded subset font cannot draw (checked against its cmap with fontTools), or
  that the browser drew in another font: Chromium's own account of the fonts it used for each
  text node (DevTools ``CSS.getPlatformFontsForNode``) must name the embedded font for every
  character that font holds, so no CJK glyph comes from a fallback (or shows as a box);
- chart text the font could not draw (matplotlib's "Glyph … missing from font" warning in the
  executed notebook kept beside the page);
- the scorecard table (on a theme page: its title) starting below the fold.

A screenshot of the first screen of each page is kept in ``$IPANALYSIS_ARTIFACTS`` (default:
pytest's temporary folder) and its path printed. Chromium is required: ``python3 tasks.py test``
finds or installs one and passes its path as ``IPANALYSIS_CHROMIUM``; when it is missing these
tests fail, they do not skip.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from playwright.sync_api import sync_playwright

from ipanalysis import paths
from ipanalysis import publish as build

pytestmark = pytest.mark.slow

#: The browser ``tasks.py test`` found (IPANALYSIS_CHROMIUM), else one on PATH by the same names.
CHROMIUM = (
    os.environ.get("IPANALYSIS_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
    or shutil.which("google-chrome")
    or "/usr/bin/chromium"
)
FLAGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing can reach the network
]
VIEWPORT = {"width": 1280, "height": 800}
#: What must show on the first screen: the scorecard table; on a theme page, its title.
FOLD = {"scorecard": "table.scorecard"}
EMBEDDED_FONT = re.compile(r"url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)")
CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3200-\u32ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0002ffff]"
)
MISSING_GLYPH = re.compile(r"Glyph \d+ .{0,80}? missing from font\(s\) [^\n.]+")


def require_chromium(executable: str) -> str:
    """``executable`` if it exists; otherwise fail the test (CI installs Chromium: no skip)."""
    if not Path(executable).is_file():
        pytest.fail(
            f"Chromium not found at {executable} (set IPANALYSIS_CHROMIUM to another path): "
            "run the tests with `python3 tasks.py test`, which finds or installs one",
            pytrace=False,
        )
    return executable


@pytest.fixture(scope="module")
def browser():
    executable = require_chromium(CHROMIUM)
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Songjiang, 2025, Chinese, every notebook, demo data on: the default briefing."""
    root = tmp_path_factory.mktemp("browser")
    data = root / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns("processed"))
    results = build.build(["松江区"], [2025], data_dir=data, reports_dir=root / "reports")
    assert [(r.notebook, r.ok, r.error) for r in results] == [
        (name, True, "") for name in build.NOTEBOOKS
    ]
    return root / "reports"


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    where = os.environ.get("IPANALYSIS_ARTIFACTS")
    folder = Path(where) if where else tmp_path_factory.mktemp("artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def embedded_font(page: str) -> TTFont | None:
    """The font the page embeds as a data: URI, or None."""
    found = EMBEDDED_FONT.search(page)
    return TTFont(io.BytesIO(base64.b64decode(found.group(1)))) if found else None


def chart_glyph_warnings(notebook: Path) -> list[str]:
    """matplotlib's missing-glyph warnings in the outputs of an executed notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    texts = [
        "".join(output.get("text", ""))
        for cell in cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    ]
    return [m for text in texts for m in MISSING_GLYPH.findall(text)]


def _text_nodes(node: dict):
    """(node id, text) of every text node outside head, script and style."""
    if node.get("nodeType") == 3:
        yield node["nodeId"], node.get("nodeValue", "")
    if node.get("nodeName") in ("HEAD", "SCRIPT", "STYLE"):
        return
    for child in node.get("children", []):
        yield from _text_nodes(child)


def check_page(browser, path: Path, fold: str, screenshot: Path) -> list[str]:
    """What a reader of ``path`` would see wrong (see the module docstring); [] when nothing."""
    font = embedded_font(path.read_text(encoding="utf-8"))
    cmap = set(font.getBestCmap()) if font else set()
    font_name = font["name"].getDebugName(6) if font else None  # PostScript name
    url = path.resolve().as_uri()
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    requests, failed, errors = [], [], []
    page.on("request", lambda r: r.url != url and requests.append(r.url))
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(url, wait_until="networkidle", timeout=60_000)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(screenshot))
        print(f"screenshot: {screenshot}")
        problems = [f"network request: {r}" for r in requests]
        problems += [f"failed load: {f}" for f in failed]
        problems += [f"script error: {e}" for e in errors]
        broken = page.evaluate(
            "[...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
            ".map(i => i.src.slice(0, 40))"
        )
        problems += [f"image not shown: {src}" for src in broken]

        if font is None:
            problems.append("no embedded font (an @font-face with a data: URI)")
        text = page.evaluate("document.body.innerText")
        uncovered = "".join(sorted({c for c in CJK.findall(text) if ord(c) not in cmap}))
        if uncovered:
            problems.append(
                f"CJK characters not in the embedded font ({len(uncovered)}): "
                + (uncovered if len(uncovered) <= 10 else uncovered[:10] + "…")
            )
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        fallbacks: dict[str, list[str]] = {}
        for node_id, value in _text_nodes(cdp.send("DOM.getDocument", {"depth": -1})["root"]):
            if not CJK.search(value):
                continue
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node_id})["fonts"]
            # characters the embedded font lacks may come from another font; no other may
            lacking = sum(1 for c in value if not c.isspace() and ord(c) not in cmap)
            other = {
                f["familyName"]: f["glyphCount"]
                for f in fonts
                if not (f["isCustomFont"] and f.get("postScriptName") == font_name)
            }
            if sum(other.values()) > lacking:
                for family in other:
                    fallbacks.setdefault(family, []).append(value.strip()[:12])
        problems += [
            f"CJK text drawn in {family}, not the embedded font: {len(nodes)} text node(s), "
            f"first {nodes[0]!r}"
            for family, nodes in sorted(fallbacks.items())
        ]

        executed = path.with_suffix(".ipynb")
        if executed.exists():
            problems += [f"chart text: {w}" for w in chart_glyph_warnings(executed)]

        box = page.locator(fold).first.bounding_box()
        if box is None or box["height"] == 0:
            problems.append(f"{fold} is not shown")
        elif box["y"] >= VIEWPORT["height"]:
            problems.append(
                f"{fold} starts below the fold: top {box['y']:.0f} px ≥ {VIEWPORT['height']} px"
            )
        return problems
    finally:
        context.close()


@pytest.mark.parametrize("name", list(build.NOTEBOOKS))
def test_briefing_renders_in_chromium(browser, reports, artifacts, name):
    path = reports / "310117" / "2025" / f"{name}.html"
    shot = artifacts / f"310117-2025-{name}.png"
    assert check_page(browser, path, FOLD.get(name, "h1"), shot) == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_checked_scorecard_holds_what_a_reader_expects(browser, reports):
    """The clean check above looked at a real page: Chinese title, table, the embedded font."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto((reports / "310117" / "2025" / "scorecard.html").resolve().as_uri())
        assert page.locator("h1").first.inner_text() == "松江区知识产权工作简报"
        assert page.evaluate("[...document.fonts].map(f => [f.family, f.status])") == [
            ["Briefing CJK", "loaded"]
        ]
        assert page.evaluate("[...document.images].filter(i => i.naturalWidth > 0).length") == 6
        assert page.locator("table.scorecard thead th").all_inner_texts() == [
            "指标",
            "目标",
            "本区数值",
            "状态",
            "上海市",
            "全国",
            "来源",
        ]
        assert page.locator("table.scorecard tbody tr").count() == 9  # the plan's indicators
    finally:
        context.close()


def test_without_chromium_the_check_fails_and_says_how_to_install_it():
    with pytest.raises(pytest.fail.Exception) as failure:
        require_chromium("/nonexistent/chromium")
    assert str(failure.value) == (
        "Chromium not found at /nonexistent/chromium (set IPANALYSIS_CHROMIUM to another path): "
        "run the tests with `python3 tasks.py test`, which finds or installs one"
    )


# --- the check fails on a broken page --------------------------------------------------------

FALLBACK = re.compile(
    r"CJK text drawn in [\w ]+, not the embedded font: \d+ text node\(s\), first '.+'"
)


def _variant(reports: Path, folder: Path, edit) -> Path:
    """An edited copy of the scorecard page (without the executed notebook beside it)."""
    page = (reports / "310117" / "2025" / "scorecard.html").read_text(encoding="utf-8")
    path = folder / "scorecard.html"
    path.write_text(edit(page), encoding="utf-8")
    return path


def _after_body(html: str) -> Callable[[str], str]:
    def edit(page: str) -> str:
        start = page.index(">", page.index("<body")) + 1
        return page[:start] + html + page[start:]

    return edit


def _check_variant(browser, reports, tmp_path, edit) -> list[str]:
    path = _variant(reports, tmp_path, edit)
    return check_page(browser, path, FOLD["scorecard"], tmp_path / "shot.png")


def test_an_image_from_the_network_is_a_failed_load(browser, reports, tmp_path):
    edit = _after_body('<img src="http://example.com/x.png">')
    assert _check_variant(browser, reports, tmp_path, edit) == [
        "network request: http://example.com/x.png",
        "failed load: http://example.com/x.png (net::ERR_NAME_NOT_RESOLVED)",
        "script error: Failed to load resource: net::ERR_NAME_NOT_RESOLVED",
        "image not shown: http://example.com/x.png",
    ]


def test_a_stylesheet_resource_from_the_network_is_a_failed_load(browser, reports, tmp_path):
    edit = _after_body('<div style="height:4px;background:url(https://cdn.example.org/a.png)">')
    assert _check_variant(browser, reports, tmp_path, edit) == [
        "network request: https://cdn.example.org/a.png",
        "failed load: https://cdn.example.org/a.png (net::ERR_NAME_NOT_RESOLVED)",
        "script error: Failed to load resource: net::ERR_NAME_NOT_RESOLVED",
    ]


def test_a_chart_that_does_not_decode_is_caught(browser, reports, tmp_path):
    edit = _after_body('<img src="data:image/png;base64,AAAA">')
    assert _check_variant(browser, reports, tmp_path, edit) == [
        "image not shown: data:image/png;base64,AAAA"
    ]


def test_a_cjk_character_outside_the_subset_is_caught(browser, reports, tmp_path):
    edit = _after_body("<p>龘</p>")  # not in the page the font was subset for
    assert _check_variant(browser, reports, tmp_path, edit) == [
        "CJK characters not in the embedded font (1): 龘"
    ]


def test_a_page_without_the_embedded_font_is_caught(browser, reports, tmp_path):
    def edit(page: str) -> str:
        return re.sub(r'<style type="text/css">@font-face.*?</style>', "", page, flags=re.S)

    problems = _check_variant(browser, reports, tmp_path, edit)
    assert problems[0] == "no embedded font (an @font-face with a data: URI)"
    assert re.fullmatch(
        r"CJK characters not in the embedded font \((\d+)\): [^\x00-\x7f]{10}…", problems[1]
    ), problems[1]
    assert int(re.search(r"\((\d+)\)", problems[1]).group(1)) > 200
    assert all(FALLBACK.fullmatch(p) for p in problems[2:]), problems[2:]


def test_an_embedded_font_the_page_does_not_use_is_caught(browser, reports, tmp_path):
    """The font is there and covers the text, but the CSS names another family: boxes."""

    def edit(page: str) -> str:
        return page.replace('font-family: "Briefing CJK"; src', 'font-family: "Unused"; src')

    problems = _check_variant(browser, reports, tmp_path, edit)
    assert problems, "a page drawn in fallback fonts passed"
    assert all(FALLBACK.fullmatch(p) for p in problems), problems
    assert "first '松江区知识产权工作简报'" in "".join(problems)


def test_a_missing_glyph_in_a_chart_is_caught(browser, reports, tmp_path):
    """matplotlib's own warning, as a chart cell would print it, in the executed notebook."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ipanalysis.briefing import charts

    charts.use_theme()
    figure, axes = plt.subplots()
    axes.set_title("已达成 ✔")  # U+2714 is not in Noto Sans CJK SC
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figure.savefig(io.BytesIO(), format="png")
    plt.close(figure)
    message = f"UserWarning: {caught[0].message}\n"
    notebook = (reports / "310117" / "2025" / "scorecard.ipynb").read_text(encoding="utf-8")
    cells = json.loads(notebook)
    cells["cells"][-1]["outputs"] = [{"output_type": "stream", "name": "stderr", "text": message}]
    (tmp_path / "scorecard.ipynb").write_text(json.dumps(cells), encoding="utf-8")
    assert _check_variant(browser, reports, tmp_path, lambda page: page) == [
        "chart text: Glyph 10004 (\\N{HEAVY CHECK MARK}) missing from font(s) Noto Sans CJK SC"
    ]


def test_a_scorecard_below_the_fold_is_caught(browser, reports, tmp_path):
    edit = _after_body('<div style="height:900px"></div>')
    problems = _check_variant(browser, reports, tmp_path, edit)
    assert len(problems) == 1 and re.fullmatch(
        r"table\.scorecard starts below the fold: top (\d+) px ≥ 800 px", problems[0]
    ), problems
    assert int(re.search(r"top (\d+)", problems[0]).group(1)) >= 900


def test_a_script_error_is_caught(browser, reports, tmp_path):
    def edit(page: str) -> str:
        return page.replace("</body>", "<script>undefinedFunction()</script></body>")

    assert _check_variant(browser, reports, tmp_path, edit) == [
        "script error: undefinedFunction is not defined"
    ]
