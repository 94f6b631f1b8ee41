"""The region's GDP note names the publications its figures were read in, in the page's language."""

import html

import pytest

from ipanalysis.briefing import load_briefing, sections


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_gdp_note_cites_every_publication_it_shows(lang):
    b = load_briefing("松江区", 2025, lang=lang)
    gdp = b.series("gdp", "current_prices")
    assert len(gdp) == 3  # 2014, 2017 and 2024 in the embedded data
    (note,) = sections.gdp_note(b, gdp)
    text = html.unescape(str(note.data))
    for _, row in gdp.iterrows():
        assert b.cite(row) in text
    # the 2024 figure was read second-hand: its citation says so, and so does the note
    assert ("推定；未见原文" if lang == "zh" else "presumed; not seen") in text
    assert ("来源：" if lang == "zh" else "Source: ") in text
