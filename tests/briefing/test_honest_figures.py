"""A briefing never mixes real and demo figures, counts one population per page, and gives the
same statuses on every page of a build."""

import re
import shutil

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup
from IPython.display import HTML
from notebook_runner import displayed
from openpyxl import Workbook

from ipanalysis import analysis, io, paths
from ipanalysis.briefing import load_briefing


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The office publishes Songjiang's 2025 PCT count (630); the demo is on for the rest."""
    target = tmp_path_factory.mktemp("mixed") / "data"
    shutil.copytree(paths.data_dir(), target, ignore=shutil.ignore_patterns("processed"))
    book = Workbook()
    sheet = book.active
    sheet.append(["2025年松江区知识产权主要指标"])
    sheet.append(["地区", "PCT国际专利申请受理量(件)"])
    sheet.append(["松江区", 630])
    path = target / "raw" / "songjiang_release.xlsx"
    book.save(path)
    manifest = target / "sources.yml"
    doc = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    doc["sources"].append(
        {
            "id": "songjiang-release",
            "file": "raw/songjiang_release.xlsx",
            "title": "2025年松江区知识产权主要指标（测试）",
            "publisher": "松江区知识产权局 (test fixture, made-up figures)",
            "vintage": "2026-03-01",
            "sha256": io.sha256(path),
            "layout": {
                "kind": "release",
                "measures": {"PCT国际专利申请受理量": ["pct_applications_cnipa", "all_applicants"]},
            },
        }
    )
    manifest.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return target


def _tables(items) -> list[pd.DataFrame]:
    """The tables the items display, numbers as numbers (thousands separators removed)."""
    out = []
    for item in items:
        if not isinstance(item, HTML):
            continue
        for table in BeautifulSoup(item.data, "html.parser").find_all("table"):
            head = [th.get_text() for th in table.select("thead th")]
            rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.select("tbody tr")]
            frame = pd.DataFrame(rows, columns=head)
            for column in frame.columns:
                numbers = pd.to_numeric(frame[column].str.replace(",", ""), errors="coerce")
                if numbers.notna().all():
                    frame[column] = numbers
            out.append(frame)
    return out


def test_no_series_rank_or_status_combines_real_and_demo_figures(mixed):
    b = load_briefing("松江区", 2025, data_dir=str(mixed))
    pct = b.series("pct_applications_cnipa", "all_applicants")
    assert pct[["year", "value", "status"]].values.tolist() == [[2025, 630.0, "published"]]
    for target in b.plan.targets:
        kinds = set(b.series(target.indicator, target.basis)["status"] == "synthetic")
        assert len(kinds) <= 1, target.id
        peers = analysis.peer_table(b.index, target.indicator, target.basis, b.peer_codes, 2025)
        compared = analysis.comparable(peers, b.region_code)
        assert compared["status"].eq("synthetic").nunique() <= 1, target.id
    card = b.scorecard.set_index("id")
    # the office's figure is ranked only among real figures: no other district has one, so
    # there is no rank to tell (1 of 1 would say nothing of a top 3)
    row = card.loc["pct_leading"]
    assert [row["value"], row["value_status"], row["peers"], row["status"]] == [
        630.0,
        "published",
        1,
        "no_data",
    ]
    assert row["note"] == "仅1个地区有数值，无法判断是否位列前3名"
    # the demo stays out of the indicator entirely: no demo PCT records for Songjiang's page
    assert b.district_records("pct").empty
    assert not card.loc["pct_growth", "value_status"] == "synthetic"


def test_the_demo_banner_names_the_proxies(data):
    header = displayed("scorecard", region="松江区", year=2025, data_dir=str(data))[0].data
    assert "上海市汇总数按各区年末常住人口、地区生产总值分配到16个区" in header
    # and says what is assumed, not published: no city total stands behind those figures
    assert "其余年份及转让、许可、质押按设定假设推出" in header
    english = displayed("scorecard", region="松江区", year=2025, lang="en", data_dir=str(data))
    assert "by their year-end resident population and gross domestic" in english[0].data
    assert "other years, transfers, licences and pledges from stated assumptions" in english[0].data


def test_a_demo_rank_is_marked_as_one(data):
    items = displayed("international", region="松江区", year=2025, data_dir=str(data))
    notes = [i.data for i in items if isinstance(i, HTML) and "位列第" in i.data]
    assert notes and all("演示排名" in n and n.rstrip("</p>").endswith("‡") for n in notes)


def test_counts_on_the_high_value_page_count_one_population(data):
    items = displayed("high_value", region="松江区", year=2025, data_dir=str(data))
    stock, criteria = _tables(items)[:2]
    high_value = stock.set_index("年份").loc[2025, "高价值发明专利（件）"]
    total = criteria.set_index("条件").loc["合计（每件只计一次）", "件数"]
    assert total == high_value
    text = " ".join(i.data for i in items if isinstance(i, HTML))
    assert text.count("计数口径：本区国内专利权人") >= 2  # the stock and the criteria tables


def test_counts_on_the_commercialisation_page_add_up(data):
    items = displayed("commercialisation", region="松江区", year=2025, data_dir=str(data))
    table = _tables(items)[0]
    assert (table["转让（次）"] + table["许可（次）"]).tolist() == table[
        "转让许可合计（次）"
    ].tolist()


def test_top_filers_are_within_the_years_filings(data):
    b = load_briefing("松江区", 2025, data_dir=str(data))
    items = displayed("international", region="松江区", year=2025, data_dir=str(data))
    filers = _tables(items)[0]
    year = b.series("pct_applications_cnipa", "all_applicants").set_index("year")["value"][2025]
    assert 0 < filers["件数"].sum() <= year


def test_every_page_of_a_build_gives_the_same_statuses(data, tmp_path):
    log = tmp_path / "activities.csv"
    log.write_text(
        "activity,region_code,year,count,source\nspecial_actions,310117,2025,11,台账\n",
        encoding="utf-8",
    )
    summaries = set()
    for name in ["scorecard", "high_value", "international", "commercialisation"]:
        items = displayed(
            name, region="松江区", year=2025, data_dir=str(data), activity_log=str(log)
        )
        header = BeautifulSoup(items[0].data, "html.parser")
        summaries.add(header.select_one(".summary").get_text())
    assert len(summaries) == 1, summaries
    summary = summaries.pop()
    # the activity log's target counts on every page, among the real statuses; the demo's
    # "met" (high-value patents) is counted apart, marked ‡
    assert "实际数据：已达成 1，" in summary, summary
    assert re.search(r"演示数据‡：\d+项（已达成 1，", summary), summary


def test_a_plan_for_another_region_is_refused(data):
    with pytest.raises(ValueError) as error:
        load_briefing("浦东新区", 2025, data_dir=str(data))
    assert str(error.value) == (
        "plan 'songjiang-2024-2026' is for 松江区 (310117), not 浦东新区 (310115): give --plan "
        "with a plan file written for 浦东新区 (see the README, 'A plan for another region')"
    )


def test_a_province_reads_as_a_province(data):
    items = displayed(
        "scorecard",
        region="浙江省",
        year=2023,
        plan="example-zhejiang",
        demo=False,
        data_dir=str(data),
    )
    text = " ".join(BeautifulSoup(i.data, "html.parser").get_text(" ") for i in items[:2])
    assert "本省数值" in text and "全国前3名" in text and "全市" not in text and "本区" not in text
    # the rank, recomputed from the yearbook table itself
    raw = pd.read_csv(paths.data_dir() / "raw" / "pct_received_by_region_cnipa_2023yearbook.csv")
    provinces = raw[raw["level"] == "region"].set_index("region_zh")["y2023"]
    rank = int((provinces > provinces["浙江"]).sum()) + 1
    assert re.search(rf"第{rank}名/\d+", text), text[:400]


def test_figures_cite_the_official_publication_never_the_page_read(data):
    raw = pd.read_csv(paths.data_dir() / "raw" / "shanghai_ip_and_context_indicators.csv")
    read_at = [u for u in raw["read_at"].dropna() if u]
    assert read_at  # the figures were read on secondary pages …
    for lang in ("zh", "en"):
        items = displayed("scorecard", region="松江区", year=2025, lang=lang, data_dir=str(data))
        page = " ".join(i.data for i in items if isinstance(i, HTML))
        assert not [u for u in read_at if u in page]  # … which the briefing never shows
    province = displayed(
        "scorecard",
        region="浙江省",
        year=2023,
        plan="example-zhejiang",
        demo=False,
        data_dir=str(data),
    )
    zh = " ".join(i.data for i in province if isinstance(i, HTML))
    assert "国家知识产权局：《2023知识产权统计年报》，表6-4 PCT国际专利申请受理量" in zh
