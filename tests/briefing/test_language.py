"""One language per page: every word of an English page is English, every word of a Chinese
page Chinese (proper names, codes and publication titles aside), and every chart says in words
what it shows."""

import re

import pytest
from bs4 import BeautifulSoup
from IPython.display import HTML
from notebook_runner import displayed

from ipanalysis.briefing.charts import Chart

NOTEBOOKS = ["scorecard", "high_value", "international", "commercialisation", "patent_intensive"]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”]")
#: Latin words a Chinese page may hold: names of bodies and systems, units, the library's name.
LATIN_OK = {"PCT", "WIPO", "GDP", "IPC", "CNIPA", "ipanalysis", "synthetic", "cnipa", "SCIO"}


def page_text(items) -> str:
    """What a reader reads: the HTML text outside <code>, and every chart's description."""
    parts = []
    for item in items:
        if isinstance(item, HTML):
            soup = BeautifulSoup(item.data, "html.parser")
            for code in soup.find_all("code"):
                code.decompose()
            for name in soup.find_all(class_="name"):  # proper names, as given
                name.decompose()
            parts.append(soup.get_text(" "))
            parts += [t["title"] for t in soup.find_all(title=True)]
        elif isinstance(item, Chart):
            parts.append(item.alt)
    return "\n".join(parts)


def without_titles(text: str) -> str:
    """Publication titles (in 《》) may stay in their own language."""
    return re.sub(r"《[^》]*》", "", text)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_an_english_page_is_english(data, name):
    items = displayed(name, region="松江区", year=2025, lang="en", data_dir=str(data))
    text = without_titles(page_text(items))
    found = sorted({m.group(0) for m in CJK.finditer(text)})
    assert found == [], [line for line in text.splitlines() if CJK.search(line)][:5]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_chinese_page_is_chinese(data, name):
    items = displayed(name, region="松江区", year=2025, lang="zh", data_dir=str(data))
    text = without_titles(page_text(items))
    words = set(re.findall(r"[A-Za-z]{2,}", text)) - LATIN_OK
    assert words == set(), [line for line in text.splitlines() if words & set(line.split())][:5]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_says_what_it_shows(data, lang):
    for name in NOTEBOOKS:
        charts = [
            i
            for i in displayed(name, region="松江区", year=2025, lang=lang, data_dir=str(data))
            if isinstance(i, Chart)
        ]
        assert charts, name
        for chart in charts:
            assert chart.alt.startswith(
                ("折线图", "条形图", "堆积柱形图") if lang == "zh" else ("Line", "Bar", "Stacked")
            ), chart.alt
            title = chart.figure.axes[0].get_title(loc="left")
            assert title.split("：")[0].split(" (")[0] in chart.alt, (title, chart.alt)
