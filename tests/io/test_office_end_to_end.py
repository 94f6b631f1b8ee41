"""End to end: a district office supplies its own records — a patent export, PCT and Madrid
lists, transfer, licence and pledge lists, value added by industry class with its class mapping,
and an activity log — and ``ipanalysis prepare`` then ``ipanalysis build --no-demo`` give
briefings in which every plan indicator has a district value with its source, and no demo mark.

The files have the field layouts of real ones (the patent export is the real 61-column CNIPA
export's header, ``tests/fixtures/patents``; the lists are ``tests/fixtures/records``, whose
headers are the gazette's and platforms' field names); every row is made up, and the test GDP is
a made-up figure marked as such in its title.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook
from typer.testing import CliRunner

from ipanalysis import io, paths
from ipanalysis.briefing import load_briefing
from ipanalysis.cli import app
from ipanalysis.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
REAL_EXPORT = ROOT / "tests" / "fixtures" / "patents" / "cn_export_10rows.csv"
RECORDS = ROOT / "tests" / "fixtures" / "records"
WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
YEAR = 2025

# (filed, granted, IPC, family, title, lapsed): Songjiang inventions, made up
PATENTS = [
    ("20120305", "20140610", "G01S19/14", "", "一种卫星导航接收装置", ""),  # SEI 2.3, > 10 years
    ("20180101", "20200505", "A47J27/00", "CN1;US11720000B2", "一种炊具", ""),  # overseas family
    ("20190101", "20210505", "A47J27/00", "", "一种锅", ""),  # no criterion: not high-value
    ("20200301", "20220816", "G21C5/00", "", "一种反应堆结构", ""),  # SEI 6.1
    ("20160301", "20180816", "E01H1/00", "", "一种清扫车", "20230301"),  # lapsed in 2023
    ("20210701", "20240102", "G06F40/30", "", "一种文本语义分析方法", ""),  # SEI 1.5
]


def _number(digits: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
    return f"CN{digits}.{'X' if remainder == 10 else remainder}"


def write_export(path: Path) -> Path:
    """A patent export with the real export's 61 columns and made-up Songjiang rows."""
    with REAL_EXPORT.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header, template = next(reader), next(reader)
    at = {name: i for i, name in enumerate(header)}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for n, (filed, granted, ipc, family, title, lapsed) in enumerate(PATENTS):
            row = list(template)
            cells = {
                "序号": str(n + 1),
                "申请日": filed,
                "公开日": granted,
                "授权公告日": granted,
                "申请人": f"上海松江测试科技有限公司{n % 3}",
                "第一权利人": f"上海松江测试科技有限公司{n % 3}",
                "当前权利人": f"上海松江测试科技有限公司{n % 3}",
                "申请号": _number(f"{filed[:4]}1{n:07d}"),
                "公开号": f"CN1{n:08d}B",
                "授权公告号": f"CN1{n:08d}B",
                "专利类型": "发明",
                "专利名称": title,
                "授权名称": title,
                "申请人地址": "201600上海市松江区九亭镇测试路1号",
                "当前著录项联系人通讯地址": "上海市松江区九亭镇测试路1号",
                "法律状态": "无权-未缴年费" if lapsed else "有权-审定授权",
                "失效日期": lapsed,
                "主分类号": ipc.split(";")[0],
                "分类号": ipc,
                "国省代码": "上海(31)",
                "同族专利": family,
                "简单同族数量": str(len(family.split(";"))) if family else "1",
            }
            for name, value in cells.items():
                row[at[name]] = value
            writer.writerow(row)
    return path


def write_value_added(path: Path) -> Path:
    """Value added by GB/T 4754 class, the layout of ``records/value_added_district.xlsx``."""
    book = Workbook()
    sheet = book.active
    sheet.title = "表1"
    sheet.append(["2023年松江区规模以上工业分行业增加值"])
    sheet.append(["行业代码", "行业名称", "增加值（万元）", "比上年增长（%）"])
    sheet.append(["3911", "计算机整机制造", 1500000, 3.0])  # partial class: counted at 0
    sheet.append(["3921", "通信系统设备制造", 800000, 5.0])
    sheet.append(["2710", "化学药品原料药制造", 300000, 1.0])
    sheet.append(["1310", "谷物磨制", 90000, 0.5])  # not patent-intensive
    book.save(path)
    return path


def write_mapping(path: Path) -> Path:
    """The office's class mapping, the layout of ``records/pii_mapping.csv``."""
    rows = [
        [
            "大类代码",
            "大类名称",
            "中类代码",
            "中类名称",
            "国民经济行业代码",
            "国民经济行业名称",
            "部分",
        ],
        ["01", "信息通信技术制造业", "示例1", "示例中类一", "3921", "通信系统设备制造", "否"],
        ["01", "信息通信技术制造业", "示例1", "示例中类一", "3911*", "计算机整机制造", ""],
        ["05", "医药医疗产业", "示例4", "示例中类四", "2710", "化学药品原料药制造", "否"],
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    return path


def write_gdp(path: Path) -> Path:
    rows = [
        ["adcode", "district", "year", "gdp_100m_cny", "unit", "status"],
        ["310117", "松江区", "2023", "2000.00", "亿元", "published"],
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    return path


def _entry(ident: str, path: Path, title: str, layout: dict) -> dict:
    return {
        "id": ident,
        "file": f"raw/{path.name}",
        "title": title,
        "title_en": f"{ident} (test fixture: made-up rows)",
        "publisher": "松江区知识产权局（测试数据，虚构）",
        "publisher_en": "Songjiang District IP Office (test fixture, made-up rows)",
        "vintage": "2026-02-01",
        "sha256": io.sha256(path),
        "layout": layout,
    }


def office_data(root: Path) -> Path:
    """The project data folder with the office's records listed in sources.yml."""
    data = root / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns("processed"))
    raw = data / "raw"
    region = {"region": "松江区"}
    files = [
        ("sj-patents", write_export(raw / "songjiang_patents.csv"), "松江区发明专利导出",
         {"kind": "patents", "as_of": f"{YEAR}-12-31", "years": [2023, YEAR]}),
        ("sj-pct", RECORDS / "pct_office_list.xlsx", "松江区PCT国际专利申请清单",
         {"kind": "pct", **region}),
        ("sj-madrid", RECORDS / "madrid_office_list_gbk.csv", "松江区马德里商标国际注册清单",
         {"kind": "madrid", **region}),
        ("sj-pledges", RECORDS / "pledge_platform.xlsx", "松江区专利质押登记清单",
         {"kind": "transactions", "events": "pledge", **region}),
        ("sj-licences", RECORDS / "licence_gazette_ee01.csv", "松江区专利实施许可备案清单",
         {"kind": "transactions", "events": "licence", **region}),
        ("sj-transfers", RECORDS / "transfer_gazette_tr01.csv", "松江区专利转让登记清单",
         {"kind": "transactions", "events": "transfer", **region}),
        ("sj-value-added", write_value_added(raw / "songjiang_value_added.xlsx"),
         "松江区规模以上工业分行业增加值", {"kind": "industry_value_added", **region}),
        ("sj-pii-mapping", write_mapping(raw / "songjiang_pii_mapping.csv"),
         "松江区专利密集型产业行业对照", {"kind": "pii_classification"}),
        ("sj-gdp", write_gdp(raw / "songjiang_gdp_test.csv"), "松江区地区生产总值（测试用虚构数）",
         {"kind": "long", "region": {"column": "adcode"},
          "indicator": {"constant": ["gdp", "current_prices"]}, "year": "year",
          "values": {"gdp_100m_cny": None}, "unit": "unit", "status": "status"}),
        ("sj-activities", RECORDS / "activity_log.csv", "松江区知识产权工作台账",
         {"kind": "activity_log", "plan": "songjiang-2024-2026"}),
    ]  # fmt: skip
    manifest = yaml.safe_load((data / "sources.yml").read_text(encoding="utf-8"))
    for ident, path, title, layout in files:
        if path.parent != raw:
            path = Path(shutil.copy(path, raw / path.name))
        manifest["sources"].append(_entry(ident, path, title, layout))
    (data / "sources.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True), "utf-8")
    return data


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("office")
    office_data(root)
    (root / "notebooks").symlink_to(ROOT / "notebooks")
    result = CliRunner().invoke(app, ["prepare"], env={"IPANALYSIS_HOME": str(root)})
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def briefing(project):
    return load_briefing("松江区", YEAR, data_dir=str(project / "data"), demo=False)


def test_prepare_keeps_or_quarantines_every_row_of_every_record_file(project):
    processed = project / "data" / "processed"
    lines = io.prepare_all(project / "data").reconciliation
    assert lines["reconciles"].all()
    for kind in ("pct", "madrid", "transactions", "industry_value_added", "activity_log"):
        assert (processed / f"{kind}.parquet").exists()
    assert (processed / "patents.parquet").exists()


def plan_indicators():
    plan = yaml.safe_load(
        (paths.PACKAGED_PLANS_DIR / "songjiang-2024-2026.yaml").read_text(encoding="utf-8")
    )
    return [t["id"] for t in plan["targets"]]


@pytest.mark.parametrize("target", plan_indicators())
def test_every_plan_indicator_has_a_district_value_with_its_source(briefing, target):
    row = briefing.scorecard.set_index("id").loc[target]
    assert row["value"] is not None and row["value"] == row["value"]  # not missing
    assert row["value_status"] in ("published", "derived")
    assert "松江区知识产权局" in row["source"]
    kind = next(t.type for t in briefing.plan.targets if t.id == target)
    if kind == "rank":  # a rank needs the other districts' figures, which the office lacks
        assert row["status"] == "no_data" and row["note"] == "本区或同级地区均无可比数值"
    elif kind == "growth" and row["value_year"] != YEAR:  # a list of one year: no growth yet
        assert row["status"] == "no_data" and row["note"].startswith("无可比较的上年数值")
    else:
        assert row["status"] != "no_data"


def test_the_district_values_are_the_records_counted(briefing):
    def value(indicator, basis):
        own = briefing.series(indicator, basis)
        return own[["year", "value", "status"]].values.tolist()

    # PCT list: 4 of its 6 applications are Songjiang's (one Pudong, one abroad), all 2024,
    # and CNIPA received 3 of them (PCT/IB2024/050004 went to the International Bureau)
    assert value("pct_applications_cnipa", "all_applicants") == [[2024, 3.0, "derived"]]
    pct = briefing.series("pct_applications_cnipa", "all_applicants")
    assert "受理局：CN 3；其他受理局未计入：IB 1" in pct["source"].iloc[0]
    # Madrid list: 3 of 4 (one Minhang), 2024
    assert value("madrid_applications_cnipa", "domestic") == [[2024, 3.0, "derived"]]
    # transfers (2 rows, one registration each) and licences (2 records), both lists of 2024
    assert value("patent_transfer_licence_count", "registrations") == [[2024, 4.0, "derived"]]
    # pledges: two Songjiang registrations of 2023, 3,000,000 + 12,505,000 元 = 0.15505 亿元
    amount = value("ip_pledge_financing_amount", "patent")
    assert amount[0][:2] == [2023, pytest.approx(0.15505)]
    # value added: 3921 (80 亿) + 2710 (30 亿); 3911 is partial (0 by default); GDP 2000 亿
    share = value("pii_share_gdp", "nbs_2019")
    assert share[0][:2] == [2023, pytest.approx(110 / 2000 * 100)]
    stock = value("high_value_invention_patents", "domestic")
    # at the end of 2025: patents 1 (SEI, >10 years), 2 (overseas), 4 (SEI), 6 (SEI); the
    # lapsed one and the one meeting nothing are not high-value
    assert stock[-1][:2] == [2025, 4.0]


def test_the_activity_log_rows_set_aside_are_reported(briefing):
    log = briefing.activity_log
    aside = log.attrs["quarantine"]
    assert len(aside) > 0
    assert any("unknown activity" in r for r in aside["reason"])
    card = briefing.scorecard.set_index("id")
    assert card.loc["special_actions", "value"] == 10.0  # 4 + 6 for 2025, the rows read
    # an item whose only rows were set aside says so, not that the log lacks it
    assert card.loc["mediation_training", "note"] == "活动台账中此项的行未采用（见下方说明）"
    assert card.loc["work_conference", "note"] == "活动台账中此项的行未采用（见下方说明）"
    assert card.loc["finance_events", "note"] == "活动台账中无此项的记录"  # Huangpu's row only


def test_build_without_demo_gives_briefings_with_no_demo_mark(project):
    result = CliRunner().invoke(
        app,
        ["build", "--no-demo", "-r", "松江区", "-y", str(YEAR), "--lang", "zh"],
        env={"IPANALYSIS_HOME": str(project)},
    )
    assert result.exit_code == 0, result.output
    pages = sorted((project / "reports").rglob("*.html"))
    briefings = [p for p in pages if p.name != "index.html"]
    assert len(briefings) == 5
    for page in briefings:
        text = page.read_text(encoding="utf-8")
        # the footer's parameters say the demo was off; nothing else speaks of demo data
        stated = '<p class="parameters">'
        assert "演示数据：不显示" in text.split(stated, 1)[1].split("</p>", 1)[0], page.name
        text = text.split(stated, 1)[0] + text.split(stated, 1)[1].split("</p>", 1)[1]
        assert "‡" not in text and "演示" not in text, page.name
    scorecard = next(p for p in briefings if "scorecard" in p.name).read_text(encoding="utf-8")
    assert "活动台账中有" in scorecard  # the log's rows set aside are said
    assert "高价值发明专利定义 cnipa-2021/2" in scorecard  # the definition used is stated


def test_a_definition_parameter_restates_the_records_stocks(project):
    data = str(project / "data")
    flag_only = load_briefing(
        "松江区", YEAR, data_dir=data, demo=False, definition="strategic_emerging_source=flag"
    )
    assert flag_only.definition.version == "cnipa-2021/2+strategic_emerging_source=flag"
    # without the concordance no patent's strategic-emerging criterion is known, so the patent
    # meeting no other criterion is undecidable and the region gets no high-value figure
    assert flag_only.series("high_value_invention_patents", "domestic").empty
    assert not flag_only.series("valid_invention_patents", "domestic").empty
    row = flag_only.scorecard.set_index("id").loc["high_value_per_10k"]
    assert row["status"] == "no_data"


@pytest.mark.parametrize(
    ("ident", "changes", "message"),
    [
        (
            "sj-pct",
            {"yaers": [2023, 2025], "receiving_offices": "CN"},
            "sources.yml entry 'sj-pct' (raw/pct_office_list.xlsx), layout: unknown key 'yaers' "
            "(a pct layout takes sheet, region, covers, years, receiving_offices); "
            "receiving_offices must be a list, e.g. [松江区] or [CN], not 'CN'",
        ),
        (
            "sj-value-added",
            {"partial_share": "50%", "year": "2023"},
            "sources.yml entry 'sj-value-added' (raw/songjiang_value_added.xlsx), layout: "
            "partial_share must be a number from 0 to 1 (0.5, not 50%), not '50%'; year must be "
            "a year such as 2023, not '2023'",
        ),
        (
            "sj-pledges",
            {"events": "pledges", "years": 2024},
            "sources.yml entry 'sj-pledges' (raw/pledge_platform.xlsx), layout: events must be "
            "transfer, licence or pledge, not 'pledges'; years must be [first, last], e.g. "
            "[2021, 2025], not 2024",
        ),
        (
            "sj-patents",
            {"definition": {"pledge_treshold": 5e6}},
            "songjiang_patents.csv: sources.yml entry 'sj-patents', layout definition: unknown "
            "parameter(s) pledge_treshold; known: maintenance_years, maintenance_from, "
            "pledge_threshold, awards, strategic_emerging_source, concordance, keyword_rule, "
            "population_basis",
        ),
        (
            "sj-madrid",
            {"region": "火星区"},
            "madrid_office_list_gbk.csv: sources.yml entry 'sj-madrid': --region / region=: "
            "unknown region '火星区'",
        ),
    ],
)
def test_a_layout_mistake_is_named_with_its_entry_and_how_to_fix_it(
    tmp_path, ident, changes, message
):
    data = office_data(tmp_path)
    manifest = yaml.safe_load((data / "sources.yml").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["sources"] if e["id"] == ident)
    entry["layout"].update(changes)
    (data / "sources.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True), "utf-8")
    with pytest.raises(InputError) as error:
        io.prepare_all(data)
    assert str(error.value).startswith(message)


def test_the_pledge_section_charts_the_basis_the_scorecard_read(briefing):
    from ipanalysis.briefing import sections

    items = sections.indicator_sections(briefing)
    heads = [i.data for i in items if hasattr(i, "data") and "知识产权质押融资登记金额" in i.data]
    assert heads and all("无本区数据" not in h for h in heads)


def test_a_per_10k_figure_on_another_years_population_says_so(briefing):
    from ipanalysis.briefing import sections

    table = sections.yearly_table(
        briefing, sections.HIGH_VALUE_STOCK, population="population.patents"
    )
    assert "2023年用2024年末常住人口；2025年用2024年末常住人口" in table.data
    assert "来源：松江区知识产权局（测试数据，虚构）：松江区发明专利导出" in table.data
