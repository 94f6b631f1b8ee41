"""An office's own files in data/raw/ become its own figures: releases and patent exports."""

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook

from ipanalysis import io as sources
from ipanalysis.briefing import load_briefing

OFFICE_PATENTS = """\
application_number,patent_type,filing_date,grant_date,lapse_date,region,patentee,strategic_emerging,overseas_family,domestic,legal_status_text
CN201810000011,invention,2018-03-01,2020-06-01,,松江区,甲公司,true,false,true,有权
CN201910000021,invention,2019-05-01,2021-09-01,,松江区,乙公司,false,false,true,有权
CN202010000031,invention,2020-01-15,2022-03-01,2024-05-01,松江区,丙公司,true,false,true,无权-未缴年费终止
CN202110000041,invention,2021-02-01,2023-07-01,,青浦区,丁公司,false,true,true,有权
CN202120000051,utility_model,2021-02-01,2021-08-01,,松江区,戊公司,,,true,有权
CN202210000061,invention,2022-02-01,2024-07-01,,松江区,己公司,,false,true,有权
"""


PUBLISHER = "松江区知识产权局 (test fixture, made-up figures)"


def _add_source(data, file, layout, title):
    manifest = data / "sources.yml"
    doc = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    doc["sources"].append(
        {
            "id": file.stem,
            "file": f"raw/{file.name}",
            "title": title,
            "publisher": PUBLISHER,
            "vintage": "2026-03-01",
            "sha256": sources.sha256(file),
            "layout": layout,
        }
    )
    manifest.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


@pytest.fixture()
def release(data_copy):
    """A district release in Excel: title, units in the headers, a totals row (made-up figures)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "表1"
    sheet.append(["2025年上海市部分区知识产权主要指标"])
    sheet.append(["地区", "有效发明专利(件)", "每万人口高价值发明专利拥有量(件/万人)", "备注"])
    sheet.append(["全市", "２６，０００", 55.5, ""])
    sheet.append(["松江区", 9000, 40.5, "测试"])
    sheet.append(["青浦", "—", 31.2, ""])
    sheet.append(["注：测试用示意数据，非公布数。"])
    path = data_copy / "raw" / "district_ip_2025.xlsx"
    book.save(path)
    _add_source(
        data_copy,
        path,
        {
            "kind": "release",
            "sheet": "表1",
            "measures": {
                "有效发明专利": ["valid_invention_patents", "domestic"],
                "每万人口高价值发明专利拥有量": [
                    "high_value_invention_patents_per_10k",
                    "domestic",
                ],
            },
        },
        "2025年上海市部分区知识产权主要指标（测试）",
    )
    return data_copy


def test_a_release_becomes_published_observations(release):
    prepared = sources.prepare(release)
    obs = prepared.observations[prepared.observations["source_id"] == "district_ip_2025"]
    got = obs.sort_values(["indicator", "region_code"])[
        ["region_code", "indicator", "year", "value", "unit", "status", "source"]
    ]
    title = "2025年上海市部分区知识产权主要指标（测试）"
    assert got.to_dict("records") == [
        {
            "region_code": code,
            "indicator": indicator,
            "year": 2025,
            "value": value,
            "unit": unit,
            "status": "published",
            # the official citation: publisher, title, sheet and cell, vintage
            "source": f"{PUBLISHER}：{title}，表1 {cell}（2026-03-01）",
        }
        for code, indicator, value, unit, cell in [
            ("310000", "high_value_invention_patents_per_10k", 55.5, "件/万人", "C3"),
            ("310117", "high_value_invention_patents_per_10k", 40.5, "件/万人", "C4"),
            ("310118", "high_value_invention_patents_per_10k", 31.2, "件/万人", "C5"),
            ("310000", "valid_invention_patents", 26000.0, "件", "B3"),
            ("310117", "valid_invention_patents", 9000.0, "件", "B4"),
        ]
    ]
    line = prepared.reconciliation.set_index("file").loc["district_ip_2025.xlsx"]
    assert (line.rows_read, line.rows_kept, line.rows_quarantined) == (3, 3, 0)
    assert prepared.notes["district_ip_2025"] == [
        "title: 2025年上海市部分区知识产权主要指标",
        "footnote row 6: 注：测试用示意数据，非公布数。",
        "column D ('备注') labels the rows: not read",
        "totals check 有效发明专利 2025: the regions add up to 9,000 but 全市 (B3) states 26,000 "
        "(difference 17,000, tolerance 1; 1 region(s) missing)",
        "1 cell(s) missing (—): kept with an empty value, never 0",
    ]


def test_the_offices_published_figure_replaces_the_demo_value(release):
    card = load_briefing("松江区", 2025, data_dir=str(release)).scorecard
    row = card[card["indicator"] == "high_value_invention_patents_per_10k"].iloc[0]
    assert (row["value"], row["value_year"], row["value_status"]) == (40.5, 2025, "published")


def test_a_measure_the_manifest_names_but_the_table_lacks_is_a_clear_error(release):
    doc = yaml.safe_load((release / "sources.yml").read_text(encoding="utf-8"))
    doc["sources"][-1]["layout"]["measures"]["专利授权量"] = ["patent_grants", "domestic"]
    (release / "sources.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    with pytest.raises(ValueError) as err:
        sources.prepare_all(release)
    assert str(err.value) == (
        "district_ip_2025.xlsx: layout of 'district_ip_2025': measure '专利授权量' must map to "
        "[indicator, basis] with an indicator of the registry, got ['patent_grants', 'domestic']"
    )


@pytest.fixture()
def exported(data_copy):
    path = data_copy / "raw" / "office_patents.csv"
    path.write_text(OFFICE_PATENTS, encoding="utf-8")
    _add_source(
        data_copy,
        path,
        {"kind": "patents", "as_of": "2025-12-31", "years": [2020, 2025]},
        "松江区知识产权局专利清单（测试）",
    )
    return data_copy


def test_patent_records_give_derived_year_end_stocks(exported):
    prepared = sources.prepare(exported)
    obs = prepared.observations[prepared.observations["source_id"] == "office_patents"]
    wide = obs.pivot_table(index=["region_code", "year"], columns="indicator", values="value")
    songjiang = wide.loc["310117"]
    assert songjiang["valid_invention_patents"].tolist() == [1, 2, 3, 3, 3, 3]
    # 2024 on: 己 (no strategic-emerging flag, nothing else) is valid but undecidable
    assert songjiang["high_value_invention_patents"].dropna().to_dict() == {
        2020: 1,
        2021: 1,
        2022: 2,
        2023: 2,
    }
    per_10k = songjiang["high_value_invention_patents_per_10k"].dropna()
    assert per_10k.round(6).to_dict() == {
        2020: round(1 / 195.89, 6),
        2021: round(1 / 195.89, 6),
        2022: round(2 / 195.89, 6),
        2023: round(2 / 195.89, 6),
    }
    qingpu = wide.loc["310118"]
    assert qingpu["high_value_invention_patents"].dropna().to_dict() == {
        2020: 0,
        2021: 0,
        2022: 0,
        2023: 1,
        2024: 1,
        2025: 1,
    }
    assert set(obs["status"]) == {"derived"}
    note = obs.loc[obs["indicator"] == "high_value_invention_patents_per_10k", "basis_note"]
    assert set(note) == {
        "computed by ipanalysis from patent records (cnipa-2021/2); per 10k: population of 2024"
    }
    patents = pd.read_parquet(exported / "processed" / "patents.parquet")
    assert len(patents) == 6 and set(patents["source_id"]) == {"office_patents"}
    line = prepared.reconciliation.set_index("file").loc["office_patents.csv"]
    assert (line.rows_read, line.rows_kept, line.rows_quarantined) == (6, 6, 0)


def test_theme_sections_use_the_offices_records_without_the_demo_mark(exported):
    import re

    from IPython.display import HTML
    from notebook_runner import displayed

    items = displayed("high_value", region="松江区", year=2025, data_dir=str(exported))
    html = " ".join(i.data for i in items if isinstance(i, HTML))
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "2025年末高价值构成 " in text and "2025年末高价值构成‡" not in text
    source = "松江区知识产权局 (test fixture, made-up figures)《松江区知识产权局专利清单（测试）》(2026-03-01)"
    assert f"来源：{source}（ipanalysis 由机构记录计算）" in text
    # 2025 year end: 甲 (strategic emerging) and 乙 valid, 丙 lapsed, 己 undecidable
    assert "战略性新兴产业 1 " in text


def _pct_release(data, name, value, vintage, **extra):
    book = Workbook()
    sheet = book.active
    sheet.append(["地区", "PCT国际专利申请受理量(件)"])
    sheet.append(["松江区", value])
    path = data / "raw" / f"{name}.xlsx"
    book.save(path)
    manifest = data / "sources.yml"
    doc = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    doc["sources"].append(
        {
            "id": name,
            "file": f"raw/{name}.xlsx",
            "title": f"松江区PCT申请量（{name}，测试）",
            "publisher": PUBLISHER,
            "vintage": vintage,
            "sha256": sources.sha256(path),
            "layout": {
                "kind": "release",
                "period": "2025",
                "measures": {"PCT国际专利申请受理量": ["pct_applications_cnipa", "all_applicants"]},
            },
            **extra,
        }
    )
    manifest.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_the_newest_vintage_wins_and_the_revision_is_shown(data_copy):
    # the later release is listed first, so the manifest's order cannot decide
    _pct_release(data_copy, "release_june", 700, "2026-06-01")
    _pct_release(data_copy, "release_march", 630, "2026-03-01")
    from ipanalysis.briefing import load_briefing, sections

    b = load_briefing("松江区", 2025, data_dir=str(data_copy))
    shown = b.series("pct_applications_cnipa", "all_applicants")
    assert shown[["year", "value", "source_id"]].values.tolist() == [[2025, 700.0, "release_june"]]
    assert sections.frame.revision_lines(b) == [
        "PCT国际专利申请受理量，松江区，2025年：630件（松江区PCT申请量（release_march，测试），"
        "2026-03-01）→ 700件（松江区PCT申请量（release_june，测试），2026-06-01）"
    ]
    assert "数据修订" in sections.provenance(b).data


def test_sources_of_one_vintage_that_disagree_stop_prepare_unless_ranked(data_copy):
    _pct_release(data_copy, "release_a", 630, "2026-03-01")
    _pct_release(data_copy, "release_b", 700, "2026-03-01")
    with pytest.raises(ValueError) as error:
        sources.prepare_all(data_copy)
    assert str(error.value) == (
        "sources.yml: sources of the same vintage disagree: pct_applications_cnipa of 310117 "
        "(all_applicants) at 2025-12-31: 630 in raw/release_a.xlsx and 700 in "
        "raw/release_b.xlsx, both of vintage 2026-03-01. Give the newer one its later vintage, "
        "or rank them with 'priority:' in sources.yml"
    )
    doc = yaml.safe_load((data_copy / "sources.yml").read_text(encoding="utf-8"))
    doc["sources"][-1]["priority"] = 1
    (data_copy / "sources.yml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    obs = sources.prepare_all(data_copy).observations
    from ipanalysis.analysis import series

    assert series(obs, "pct_applications_cnipa", "310117")["value"].tolist() == [700.0]
