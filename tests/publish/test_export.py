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
