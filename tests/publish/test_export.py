"""The page's font: a subset made once per set of characters and kept in the user's cache."""

import re
from pathlib import Path

from ipanalysis.briefing.charts import font_path
from ipanalysis.publish import export

PAGE = "<html><head><title>x</title></head><body>松江区 高价值发明专利 2025 ✓ abc</body></html>"


def _font(page: str) -> str:
    return re.search(r"base64,([A-Za-z0-9+/=]+)\)", page).group(1)


def test_a_subset_is_kept_and_reused_byte_for_byte(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made = export.embed_font(PAGE)
    kept = list((tmp_path / "ipanalysis" / "fonts").glob("*.otf"))
    assert len(kept) == 1
    chars = "".join(sorted({c for c in PAGE if c.isprintable()}))
    fresh = export._subset(Path(font_path()), chars)
    assert kept[0].read_bytes() == fresh
    calls = []
    monkeypatch.setattr(export, "_subset", lambda *a: calls.append(a) or b"")
    assert export.embed_font(PAGE) == made  # from the cache: no subsetting
    assert calls == []
    export.embed_font(PAGE.replace("abc", "xyz"))  # other characters: another subset
    assert len(calls) == 1


def test_a_cache_that_cannot_be_written_is_passed_over(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    page = export.embed_font(PAGE)
    assert _font(page)
    assert page.count("@font-face") == 1


def _notebook(title: str, text: str):
    import nbformat

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("display(page)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": f"<p>{text}</p>"})]
    notebook.cells = [nbformat.v4.new_markdown_cell(f"# {title}"), cell]
    for n, each in enumerate(notebook.cells):
        each.id = f"cell-{n}"  # the same ids each time: pages compared byte for byte
    return notebook


def test_the_kept_exporter_renders_each_page_as_a_new_exporter_would(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pages = [
        ("松江区", "高价值发明专利 30 件"),
        ("青浦区", "PCT 12 件"),
        ("松江区", "高价值发明专利 30 件"),
    ]
    kept = [export.to_html(_notebook(*page), page[0], "zh") for page in pages]
    for page, html in zip(pages, kept, strict=True):
        notebook = _notebook(*page)
        notebook.metadata["title"] = page[0]
        fresh, _ = export.exporter("zh").from_notebook_node(notebook)
        assert html == export.embed_font(fresh)
        assert page[1] in html
    assert kept[0] == kept[2]  # nothing of the second page stays in the exporter
    english = export.to_html(_notebook("Songjiang", "PCT"), "Songjiang", "en")
    assert '<html lang="en"' in english and '<html lang="zh"' in kept[0]
