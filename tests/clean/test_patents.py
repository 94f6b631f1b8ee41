"""Patent exports into the canonical patent table: the real 10-row export, CNIPR header sets, steps.

Expectations are worked by hand from the export's cells (see tests/fixtures/patents/SOURCE.md).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ipanalysis import high_value as engine
from ipanalysis.clean import patents
from ipanalysis.clean.patents import read_patent_export
from ipanalysis.io.load import read_patents
from ipanalysis.schemas import PATENT_COLUMNS, PatentTable

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "patents" / "cn_export_10rows.csv"
AS_OF = "2025-12-31"


def plain(value):
    """A cell as a plain Python value: missing → None, dates → 'YYYY-MM-DD'."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, np.generic):
        return value.item()
    return value


def record(frame: pd.DataFrame, position: int) -> dict:
    return {column: plain(value) for column, value in frame.iloc[position].items()}


def column(frame: pd.DataFrame, name: str) -> list:
    return [plain(v) for v in frame[name]]


@pytest.fixture(scope="module")
def export():
    return read_patent_export(FIXTURE, as_of=AS_OF)


# --- the real 61-column export --------------------------------------------------------------------

COUNTS_ZERO = {"transfer_count": 0, "licence_count": 0, "pledge_count": 0}


def test_real_export_reconciles_and_keeps_every_row(export):
    assert export.reconciliation() == {
        "file": "cn_export_10rows.csv",
        "rows_read": 10,
        "rows_kept": 10,
        "rows_quarantined": 0,
        "reconciles": True,
    }
    assert export.quarantine.empty
    assert export.notes == ["platform: cn_export_61"]
    assert list(export.data.columns) == list(patents.CANONICAL_COLUMNS)
    assert list(export.data.columns[: len(PATENT_COLUMNS)]) == list(PATENT_COLUMNS)


def test_real_export_first_row_exactly(export):
    # 序号 1: CN202223220665.2, 实用新型, 申请日 20221202, 授权公告日 20230328, 失效日期 0;
    # the address 郑州市郑东新区 names the city (郑东新区 is no county-level unit)
    assert record(export.data, 0) == {
        "application_number": "CN202223220665.2",
        "patent_type": "utility_model",
        "filing_date": "2022-12-02",
        "grant_date": "2023-03-28",
        "lapse_date": None,
        "region": "410100",
        "patentee": "中科大数据研究院",
        "ipc": "B64U20/80;B64U101/30",
        "strategic_emerging": None,
        "overseas_family": None,
        "pledge_amount": None,
        "award": None,
        "domestic": True,
        "application_key": "CN202223220665",
        "filing_year": 2022,
        "grant_known": True,
        "office": "CN",
        "applicant_count": 1,
        "province_code": "410000",
        "prefecture_code": "410100",
        "county_code": None,
        "address_code": "410100",
        "legal_status": "in_force",
        "legal_status_text": "有权-审定授权",
        "publication_number": "CN218751475U",
        "publication_date": "2023-03-28",
        "grant_number": "CN218751475U",
        "title": "一种无人机机载多功能盒",
        "applicants": "中科大数据研究院",
        "inventors": "刘迪;刘敏;王煜伟;付艳波;王元卓",
        "applicant_type": "科研机构",
        "address": "450000河南省郑州市郑东新区中道东路6号创意岛大厦8层",
        "province_text": "河南(41)",
        "country": "CN",
        "pct_national_phase": False,
        "family_members": None,
        "family_size": None,
        "overseas_members": None,
        **COUNTS_ZERO,
        "pledge_date": None,
        "invalidation_date": None,
        "strategic_emerging_class": None,
        "legal_events": None,
        "source_file": "cn_export_10rows.csv",
        "raw_row": 2,
    }


def test_real_export_granted_invention_exactly(export):
    # 序号 10: 专利类型 '发明公开;发明授权', granted 20240405 (CN115883397B), main class H04L43/02
    assert record(export.data, 9) == {
        "application_number": "CN202211359874.7",
        "patent_type": "invention",
        "filing_date": "2022-11-02",
        "grant_date": "2024-04-05",
        "lapse_date": None,
        "region": "410100",
        "patentee": "中科大数据研究院",
        "ipc": "H04L43/02;H04L9/40;H04L67/025",
        "strategic_emerging": None,
        "overseas_family": None,
        "pledge_amount": None,
        "award": None,
        "domestic": True,
        "application_key": "CN202211359874",
        "filing_year": 2022,
        "grant_known": True,
        "office": "CN",
        "applicant_count": 1,
        "province_code": "410000",
        "prefecture_code": "410100",
        "county_code": None,
        "address_code": "410100",
        "legal_status": "in_force",
        "legal_status_text": "有权-审定授权",
        "publication_number": "CN115883397A",
        "publication_date": "2023-03-31",
        "grant_number": "CN115883397B",
        "title": "一种web端数据通用采集方法",
        "applicants": "中科大数据研究院",
        "inventors": "李玺;康锐文;冯凯;王元卓",
        "applicant_type": "科研机构",
        "address": "450000河南省郑州市郑东新区中道东路6号创意岛大厦8层",
        "province_text": "河南(41)",
        "country": "CN",
        "pct_national_phase": False,
        "family_members": None,
        "family_size": None,
        "overseas_members": None,
        **COUNTS_ZERO,
        "pledge_date": None,
        "invalidation_date": None,
        "strategic_emerging_class": None,
        "legal_events": None,
        "source_file": "cn_export_10rows.csv",
        "raw_row": 11,
    }


def test_real_export_pending_invention_exactly(export):
    # 序号 8: 发明公开, 审中-实质审查, no 授权公告日; the address has another postcode and street
    row = record(export.data, 7)
    assert {k: row[k] for k in ("application_number", "patent_type", "filing_date")} == {
        "application_number": "CN202211740332.4",
        "patent_type": "invention",
        "filing_date": "2022-12-30",
    }
    assert (row["grant_date"], row["lapse_date"], row["legal_status"]) == (None, None, "pending")
    assert row["legal_status_text"] == "审中-实质审查"
    assert row["publication_number"] == "CN116245100A"
    assert row["publication_date"] == "2023-06-09"
    assert row["ipc"] == "G06F40/289;G06F40/216;G06F16/901;G06F16/33;G06F16/31"
    assert row["address"] == "450046河南省郑州市郑东新区中州大道6号创意岛大厦8层"


def test_real_export_whole_columns(export):
    data = export.data
    assert column(data, "application_number") == [
        "CN202223220665.2",
        "CN202122975192.6",
        "CN202121635235.X",  # check digit X
        "CN202121635426.6",
        "CN202121741650.3",
        "CN202121762003.0",
        "CN202121751980.0",
        "CN202211740332.4",
        "CN202310605823.6",
        "CN202211359874.7",
    ]
    assert column(data, "application_key") == [n[:-2] for n in column(data, "application_number")]
    assert column(data, "patent_type") == ["utility_model"] * 7 + ["invention"] * 3
    assert column(data, "filing_date") == [
        "2022-12-02",
        "2021-11-30",
        "2021-07-15",
        "2021-07-15",
        "2021-07-28",
        "2021-07-30",
        "2021-07-30",
        "2022-12-30",
        "2023-05-23",
        "2022-11-02",
    ]
    assert column(data, "grant_date") == [
        "2023-03-28",
        "2022-06-17",
        "2022-10-04",
        "2023-04-07",
        "2022-04-01",
        "2022-01-21",
        "2021-12-31",
        None,
        None,
        "2024-04-05",
    ]
    assert column(data, "legal_status") == ["in_force"] * 7 + ["pending"] * 2 + ["in_force"]
    assert column(data, "ipc") == [
        "B64U20/80;B64U101/30",
        "H04N5/225;H04N5/232;H04N5/76;H02J7/00",
        "H04N7/18;G07C1/20;B64C39/02;B64D47/08;B64D1/08;B64D47/02",
        "G01N33/00;G01N15/06",
        "G01N33/00;G01N15/06",
        "B64C39/02;B64C25/12;B64D47/08;E01H1/00",
        "B64C39/02;B64D47/08;G01S19/14",
        "G06F40/289;G06F40/216;G06F16/901;G06F16/33;G06F16/31",
        "G06F18/2321",
        "H04L43/02;H04L9/40;H04L67/025",
    ]
    # 失效日期 is 0 in every row: in force or pending, no lapse date
    assert column(data, "lapse_date") == [None] * 10
    assert column(data, "region") == ["410100"] * 10  # 国省代码 河南(41); addresses in 郑州市
    assert column(data, "domestic") == [True] * 10
    assert column(data, "patentee") == ["中科大数据研究院"] * 10
    # no source column: unknown, never False
    assert column(data, "strategic_emerging") == [None] * 10
    # 同族专利 and 简单同族数量 blank: not given, so unknown
    assert column(data, "overseas_family") == [None] * 10
    assert column(data, "pledge_amount") == [None] * 10  # only 质押次数 (0) is exported
    for name in ("transfer_count", "licence_count", "pledge_count"):
        assert column(data, name) == [0] * 10
    assert column(data, "raw_row") == list(range(2, 12))
    assert column(data, "pct_national_phase") == [False] * 10
    assert data["title"].str.len().gt(0).all()


def test_real_export_dtypes(export):
    dtypes = export.data.dtypes.astype(str).to_dict()
    assert {c: dtypes[c] for c in PATENT_COLUMNS} == {
        "application_number": "str",
        "patent_type": "str",
        "filing_date": "datetime64[ns]",
        "grant_date": "datetime64[ns]",
        "lapse_date": "datetime64[ns]",
        "region": "str",
        "patentee": "str",
        "ipc": "str",
        "strategic_emerging": "boolean",
        "overseas_family": "boolean",
        "pledge_amount": "float64",
        "award": "str",
        "domestic": "boolean",
    }


def test_real_export_feeds_the_engine_unchanged(export, tmp_path):
    prepared = engine.prepare_patents(export.data)
    # every engine column but the abstract, which this export's reader does not keep
    assert list(prepared.columns) == [c for c in engine.ENGINE_COLUMNS if c != "abstract"]
    result = engine.classify(export.data, AS_OF)
    # only the granted invention (序号 10) is a valid invention patent; its IPC symbols are all of
    # the 2022 edition, so strategic_emerging is unknown (as is overseas_family) and with no other
    # criterion met, whether it is high-value is unknown
    assert result["valid"].tolist() == [False] * 9 + [True]
    assert result["high_value"].isna().tolist() == [False] * 9 + [True]
    assert result["maintained"].tolist() == [False] * 10
    # and through the files the engine commands read
    for name in ("patents.csv", "patents.parquet"):
        path = tmp_path / name
        if name.endswith(".csv"):
            export.data.to_csv(path, index=False, date_format="%Y-%m-%d")
        else:
            export.data.to_parquet(path, index=False)
        again = read_patents(path)
        assert again["grant_date"].equals(prepared["grant_date"])
        assert again["region"].astype(str).tolist() == ["410100"] * 10
        assert engine.classify(again, AS_OF)["valid"].sum() == 1


def test_real_export_validates_against_the_schema(export):
    frame = export.data.copy()
    frame.attrs["as_of"] = AS_OF
    PatentTable.validate(frame, lazy=True)


def test_canonical_output_reads_back_to_the_same_table(export, tmp_path):
    path = tmp_path / "canonical.csv"
    export.data.to_csv(path, index=False, date_format="%Y-%m-%d")
    again = read_patent_export(path, as_of=AS_OF)
    assert again.notes == ["platform: canonical"]
    assert again.rows_kept == 10
    same = [c for c in export.data.columns if c not in ("source_file", "raw_row")]
    pd.testing.assert_frame_equal(again.data[same], export.data[same])


def test_xlsx_with_a_title_line_gives_the_same_table(export, tmp_path):
    raw = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False)
    # numbers as Excel holds them: dates and counts as numbers, text as text
    for name in ("序号", "申请日", "公开日", "授权公告日", "失效日期", "许可次数", "质押次数"):
        raw[name] = pd.to_numeric(raw[name].replace("", None))
    path = tmp_path / "export.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame([["专利检索结果 导出时间 2025-07-21"]]).to_excel(
            writer, sheet_name="专利列表", header=False, index=False
        )
        raw.to_excel(writer, sheet_name="专利列表", startrow=1, index=False)
    result = read_patent_export(path, as_of=AS_OF)
    assert result.reconciliation()["reconciles"] and result.rows_kept == 10
    assert column(result.data, "raw_row") == list(range(3, 13))  # title row 1, header row 2
    assert result.data["source_file"].unique().tolist() == ["export.xlsx"]
    same = [c for c in export.data.columns if c not in ("source_file", "raw_row")]
    pd.testing.assert_frame_equal(result.data[same], export.data[same])


def test_gbk_and_bom_csv_give_the_same_table(export, tmp_path):
    text = FIXTURE.read_text(encoding="utf-8")
    for encoding, note in (("gbk", ["encoding: gb18030"]), ("utf-8-sig", [])):
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(text.encode(encoding))
        result = read_patent_export(path, as_of=AS_OF)
        assert result.notes == ["platform: cn_export_61", *note]
        same = [c for c in export.data.columns if c != "source_file"]
        pd.testing.assert_frame_equal(result.data[same], export.data[same])


# --- CNIPR header sets (real header names, MADE-UP rows) ------------------------------------------

CNIPR_BIBLIOGRAPHIC = (
    "申请号,申请日,公开（公告）号,公开（公告）日,申请（专利权）人,发明（设计）人,分类号,优先权,"
    "专利代理机构,代理人,国际申请,国际公布,进入国家日期,摘要,地址,名称,专利同族,专利引证,"
    "最新法律状态,法律状态,专利权状态"
).split(",")
CNIPR_ABSTRACT = (
    "申请（专利）号,名称,主分类号,分类号,申请（专利权）人,发明（设计）人,公开（公告）日,"
    "公开（公告）号,专利代理机构,代理人,申请日,地址,摘要,国省代码"
).split(",")


def made_up(header: list[str], rows: list[dict]) -> pd.DataFrame:
    """MADE-UP rows (not real patents) under a real header set; unnamed cells blank."""
    return pd.DataFrame([{h: row.get(h, "") for h in header} for row in rows], columns=header)


@pytest.fixture(scope="module")
def cnipr_bibliographic(tmp_path_factory):
    # MADE-UP ROWS: numbers, names and addresses are invented; check digits are valid
    rows = [
        {  # granted invention in Songjiang; a US application in the family only
            "申请号": "CN201910000001.9",
            "申请日": "2019.01.02",
            "公开（公告）号": "CN110000001B",
            "公开（公告）日": "2021.05.04",
            "申请（专利权）人": "上海甲科技有限公司;乙大学",
            "分类号": "G06F16/00;G06F17/30",
            "地址": "201600 上海市松江区九亭镇某路1号",
            "名称": "一种示例方法",
            "专利同族": "CN110000001A;CN110000001B;US2020000001A1",
            "最新法律状态": "授权",
            "法律状态": "公开;实质审查的生效;授权",
            "专利权状态": "有权",
        },
        {  # utility model whose right ended: no lapse date in this header set
            "申请号": "CN202020000002.1",
            "申请日": "2020.03.04",
            "公开（公告）号": "CN212000002U",
            "公开（公告）日": "2020.11.20",
            "申请（专利权）人": "上海丙机械厂",
            "分类号": "B23K37/04",
            "地址": "上海市松江区车墩镇",
            "最新法律状态": "专利权的终止",
            "专利权状态": "无权",
        },
        {  # pending invention with a granted US family member
            "申请号": "202110000003.5",
            "申请日": "2021-06-01",
            "公开（公告）号": "CN113000003A",
            "公开（公告）日": "2021-09-10",
            "申请（专利权）人": "上海丁生物医药有限公司",
            "分类号": "A61K 31/00, A61P 35/00",
            "地址": "上海市浦东新区张江路1号",
            "专利同族": "CN113000003A;US11000003B2;EP3900003A1",
            "最新法律状态": "实质审查的生效",
            "专利权状态": "审中",
        },
        {  # PCT national phase (type digit 8), foreign applicant, granted EP member
            "申请号": "CN201980000004.0",
            "申请日": "2019-02-01",
            "公开（公告）号": "CN111000004B",
            "公开（公告）日": "2022-08-09",
            "申请（专利权）人": "Example Corp.",
            "国际申请": "PCT/US2019/000004",
            "地址": "美国加利福尼亚州圣克拉拉市",
            "专利同族": "US2019000004A1;WO2019000004A1;CN111000004B;EP3700004B1",
            "最新法律状态": "授权",
        },
        {  # design patent, no family given
            "申请号": "CN202030000005.0",
            "申请日": "2020.01.15",
            "公开（公告）号": "CN306000005S",
            "公开（公告）日": "2020.09.01",
            "申请（专利权）人": "上海戊设计有限公司",
            "地址": "上海市浦东新区世纪大道100号",
            "最新法律状态": "授权",
        },
    ]
    path = tmp_path_factory.mktemp("cnipr") / "cnipr_bibliographic.csv"
    made_up(CNIPR_BIBLIOGRAPHIC, rows).to_csv(path, index=False, encoding="gb18030")
    return read_patent_export(path, as_of=AS_OF)


def test_cnipr_bibliographic_set(cnipr_bibliographic):
    result = cnipr_bibliographic
    assert result.notes == ["platform: cnipr", "encoding: gb18030"]
    assert result.reconciliation()["reconciles"]
    assert (result.rows_read, result.rows_kept, result.rows_quarantined) == (5, 4, 1)
    data = result.data
    assert column(data, "application_number") == [
        "CN201910000001.9",
        "CN202110000003.5",
        "CN201980000004.0",
        "CN202030000005.0",
    ]
    assert column(data, "patent_type") == ["invention", "invention", "invention", "design"]
    # grant dates from grant publications (B, S); an A publication is no grant
    assert column(data, "grant_date") == ["2021-05-04", None, "2022-08-09", "2020-09-01"]
    assert column(data, "filing_date") == ["2019-01-02", "2021-06-01", "2019-02-01", "2020-01-15"]
    assert column(data, "legal_status") == ["in_force", "pending", "in_force", "in_force"]
    assert column(data, "region") == ["310117", "310115", "US", "310115"]
    assert column(data, "country") == ["CN", "CN", "US", "CN"]
    assert column(data, "domestic") == [True, True, False, True]
    assert column(data, "patentee") == [
        "上海甲科技有限公司",
        "上海丁生物医药有限公司",
        "Example Corp.",
        "上海戊设计有限公司",
    ]
    assert column(data, "ipc") == ["G06F16/00;G06F17/30", "A61K31/00;A61P35/00", None, None]
    # a US application only: unknown; a US B2 or EP B1 member: a right abroad; not given: unknown
    assert column(data, "overseas_family") == [None, True, True, None]
    assert column(data, "overseas_members") == [1, 2, 2, None]
    assert column(data, "pct_national_phase") == [False, False, True, False]
    assert column(data, "legal_events") == ["公开;实质审查的生效;授权", None, None, None]
    assert column(data, "raw_row") == [2, 4, 5, 6]


def test_cnipr_right_ended_without_a_date_is_quarantined(cnipr_bibliographic):
    entry = cnipr_bibliographic.quarantine.drop(columns="record").to_dict("records")
    assert entry == [
        {
            "raw_file": "cnipr_bibliographic.csv",
            "sheet": None,
            "raw_row": 3,
            "column": "最新法律状态",
            "reason": "the legal status '专利权的终止' says the right has ended, "
            "but the export gives no lapse date (失效日期)",
        }
    ]
    assert (
        cnipr_bibliographic.quarantine["record"]
        .iloc[0]
        .startswith('{"申请号": "CN202020000002.1", "申请日": "2020.03.04"')
    )


def test_cnipr_abstract_set(tmp_path):
    # MADE-UP ROWS under the real CNIPR abstract-export header; half-width brackets and spaces in
    # two headers still map
    header = [h.replace("申请（专利）号", "申请 (专利) 号") for h in CNIPR_ABSTRACT]
    rows = [
        {
            "申请 (专利) 号": "202110000006.9",
            "名称": "一种电池",
            "主分类号": "H01M10/0525",
            "分类号": "H01M4/36;H01M10/0525",
            "申请（专利权）人": "上海己能源有限公司",
            "公开（公告）日": "20230103",
            "公开（公告）号": "CN113000006B",
            "申请日": "20210105",
            "地址": "上海市松江区泗泾镇",
            "国省代码": "上海;31",
        },
        {
            "申请 (专利) 号": "CN202120000007.9",
            "名称": "一种夹具",
            "主分类号": "B25B11/00",
            "分类号": "B25B11/00",
            "申请（专利权）人": "苏州庚制造有限公司",
            "公开（公告）日": "2021-10-08",
            "公开（公告）号": "CN214000007U",
            "申请日": "2021-01-06",
            "地址": "江苏省苏州市工业园区",
            "国省代码": "江苏(32)",
        },
    ]
    path = tmp_path / "cnipr_abstract.xlsx"
    made_up(header, rows).to_excel(path, index=False)
    result = read_patent_export(path, as_of=AS_OF)
    assert result.notes == ["platform: cnipr"]
    assert result.quarantine.empty
    expected = {
        "application_number": "CN202110000006.9",
        "patent_type": "invention",
        "filing_date": "2021-01-05",
        "grant_date": "2023-01-03",
        "region": "310117",
        "ipc": "H01M10/0525;H01M4/36",  # 主分类号 first
        "legal_status": None,  # this header set has no legal status
        "domestic": True,
        "raw_row": 2,
    }
    row = record(result.data, 0)
    assert {k: row[k] for k in expected} == expected
    assert column(result.data, "region") == ["310117", "320500"]  # 苏州市工业园区: the city
    assert column(result.data, "patent_type") == ["invention", "utility_model"]
    assert column(result.data, "grant_date") == ["2023-01-03", "2021-10-08"]


# --- header mapping and platforms -----------------------------------------------------------------


def test_alias_table_maps_only_to_known_columns_once_per_platform():
    aliases = patents.load_aliases()
    targets = set(aliases["canonical"]) - {""}
    assert targets <= patents.SOURCE_COLUMNS
    keys = aliases["header"].map(patents.headers._header_key)
    assert not pd.DataFrame({"p": aliases["platform"], "k": keys}).duplicated().any()
    assert set(patents.REQUIRED_COLUMNS) <= targets


def test_alias_table_holds_every_real_header():
    aliases = patents.load_aliases()
    real_61 = pd.read_csv(FIXTURE, nrows=0).columns.tolist()
    assert len(real_61) == 61
    listed = set(aliases.loc[aliases["platform"] == "cn_export_61", "header"])
    assert set(real_61) == listed
    cnipr = set(aliases.loc[aliases["platform"] == "cnipr", "header"])
    assert set(CNIPR_BIBLIOGRAPHIC) | set(CNIPR_ABSTRACT) == cnipr


def test_legal_status_table_uses_the_vocabulary():
    table = pd.read_csv(
        ROOT / "src" / "ipanalysis" / "reference" / "legal_status.csv", keep_default_na=False
    )
    assert set(table["status"]) == set(patents.LEGAL_STATUSES)
    assert not table["text"].duplicated().any()


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("有权", "in_force"),
        ("有权-审定授权", "in_force"),
        ("审中", "pending"),
        ("审中-实质审查", "pending"),
        ("审中-公开", "pending"),
        ("无权", "not_in_force"),
        ("无权-未缴年费终止", "lapsed"),
        ("无权-视为撤回", "withdrawn"),
        ("无权-驳回", "rejected"),
        ("无权-期限届满", "expired"),
        ("无权-放弃", "abandoned"),
        ("全部无效", "invalidated"),
        ("PCT-有效期内", "pending"),
        (" 无权 — 期限届满 ", "expired"),
        ("无权-某新情形", "not_in_force"),  # prefix fallback
        ("PCT-某新情形", "unknown"),  # no 'PCT' entry: not guessed
        ("待定", "unknown"),
    ],
)
def test_legal_status_vocabulary(text, status):
    frame = pd.DataFrame({"legal_status_text": [text]})
    assert patents.map_legal_status(frame)["legal_status"].tolist() == [status]


def test_platform_can_be_named_and_an_unknown_one_is_refused():
    headers = ["申请号", "申请日", "法律状态", "专利权状态"]
    assert patents.header_map(headers, platform="cnipr") == {
        "申请号": "application_number",
        "申请日": "filing_date",
        "法律状态": "legal_events",
        "专利权状态": "right_status_text",
    }
    assert patents.header_map(headers, platform="cn_export_61")["法律状态"] == "legal_status_text"
    with pytest.raises(patents.InputError) as error:
        patents.header_map(headers, platform="innojoy")
    assert str(error.value) == (
        "unknown platform 'innojoy': expected one of cnipa_pss, cn_export_61, cnipr, incopat, "
        "patsnap, cnki, generic, canonical (see reference/patent_columns.csv)"
    )


def test_two_headers_for_one_column_keep_the_first_listed():
    assert patents.header_map(["申请（专利）号", "申请号"], platform="cnipr") == {
        "申请号": "application_number"
    }


# --- single steps ---------------------------------------------------------------------------------


CHECK = {
    "CN202223220665": "2",
    "CN202121635235": "X",
    "CN202211740332": "4",
    "CN201980000004": "0",
    "CN202020000002": "1",
    "CN202030000005": "0",
    "CN97101765": "4",
    "CN02200001": "1",
}


@pytest.mark.parametrize(
    ("raw", "number", "kind", "pct"),
    [
        ("CN202223220665.2", "CN202223220665", "utility_model", False),
        ("202223220665.2", "CN202223220665", "utility_model", False),
        ("202223220665", "CN202223220665", "utility_model", False),
        ("2022232206652", "CN202223220665", "utility_model", False),
        ("cn 2022 2 3220665 . 2", "CN202223220665", "utility_model", False),
        ("ZL202121635235.X", "CN202121635235", "utility_model", False),
        ("CN202121635235x", "CN202121635235", "utility_model", False),
        ("ＣＮ２０２２１１７４０３３２．４", "CN202211740332", "invention", False),
        ("201980000004.0", "CN201980000004", "invention", True),
        ("202020000002·1", "CN202020000002", "utility_model", False),
        ("202030000005", "CN202030000005", "design", False),
        ("97101765.4", "CN97101765", "invention", False),
        ("971017654", "CN97101765", "invention", False),
        ("CN02200001", "CN02200001", "utility_model", False),
    ],
)
def test_application_number_forms(raw, number, kind, pct):
    out = patents.normalise_application_numbers(pd.DataFrame({"application_number": [raw]}))
    assert out[["application_key", "type_from_number", "pct_national_phase"]].iloc[0].tolist() == [
        number,
        kind,
        pct,
    ]
    # the check digit is kept (computed where the number was written without it)
    assert out["application_number"].iloc[0] == number + "." + CHECK[number]
    assert out["issues"].isna().all()


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("CN202223220665.3", "check digit '3' does not match 202223220665 (expected '2')"),
        (
            "CN199810000001",
            "not an application number: 'CN199810000001' (expected e.g. CN202223220665.2)",
        ),
        ("CN84100001", "not an application number: 'CN84100001' (expected e.g. CN202223220665.2)"),
        (
            "CN2022232206",
            "not an application number: 'CN2022232206' (expected e.g. CN202223220665.2)",
        ),
        ("—", "no application number and no publication number to key the record on"),
    ],
)
def test_application_number_problems(raw, reason):
    out = patents.normalise_application_numbers(pd.DataFrame({"application_number": [raw]}))
    assert out["application_number"].isna().all()
    assert out["issues"].tolist() == [f"application_number: {reason}"]


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        (20230523, "2023-05-23"),
        ("20230523", "2023-05-23"),
        (20230523.0, "2023-05-23"),
        ("2023-05-23", "2023-05-23"),
        ("2023.5.23", "2023-05-23"),
        ("2023/5/23", "2023-05-23"),
        ("2023年5月23日", "2023-05-23"),
        ("２０２３年５月２３日", "2023-05-23"),
        ("2023-05-23 00:00:00", "2023-05-23"),
        ("2023-05-23T14:30", "2023-05-23"),
        (" 2023 . 05 . 23 ", "2023-05-23"),
        (45069, "2023-05-23"),  # Excel serial
        ("45069.75", "2023-05-23"),
        (0, None),
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_date_forms(raw, date):
    out = patents.parse_dates(pd.DataFrame({"filing_date": [raw]}, dtype=object))
    assert [plain(v) for v in out["filing_date"]] == [date]
    assert out["issues"].isna().all()


def test_pledge_dates_keep_the_latest():
    out = patents.parse_dates(pd.DataFrame({"pledge_date": ["20200101;20221231;20210505", "x;1"]}))
    assert column(out, "pledge_date") == ["2022-12-31", None]
    assert out["issues"].tolist() == [
        np.nan,
        "pledge_date: not a date: 'x' (expected e.g. 20230523, 2023-05-23, 2023.5.23, 2023年5月23日 "
        "or an Excel serial number)",
    ]


def test_frames_are_not_changed():
    raw = pd.DataFrame(
        {
            "申请号": ["CN202223220665.2"],
            "申请日": ["20221202"],
            "授权公告日": ["20230328"],
            "国省代码": ["河南(41)"],
        }
    )
    before = raw.copy()
    patents.clean_patents(raw, as_of=AS_OF)
    pd.testing.assert_frame_equal(raw, before)


def test_canonical_flags_given_by_the_source_are_kept():
    raw = pd.DataFrame(
        {
            "application_number": ["CN202110000003"],
            "patent_type": ["invention"],
            "filing_date": ["2021-06-01"],
            "grant_date": ["2023-06-01"],
            "region": ["松江区"],
            "strategic_emerging": ["是"],
            "overseas_family": ["false"],
            "pledge_amount": ["2,000万元"],
            "award": ["中国专利奖优秀奖"],
        }
    )
    out = patents.clean_patents(raw, as_of=AS_OF)
    expected = {
        "region": "310117",
        "domestic": True,
        "strategic_emerging": True,
        "overseas_family": False,
        "pledge_amount": 20_000_000.0,
        "award": "中国专利奖优秀奖",
        "issues": None,
    }
    row = record(out, 0)
    assert {k: row[k] for k in expected} == expected


def test_every_canonical_column_reads_back_under_its_own_name():
    aliases = patents.load_aliases()
    own = aliases[aliases["platform"] == "canonical"].set_index("header")["canonical"]
    assert set(own.index) == set(patents.CANONICAL_COLUMNS)


# --- the schema -----------------------------------------------------------------------------------


def test_patent_table_schema_reports_every_failure(export):
    import pandera.errors

    frame = export.data.copy()
    frame.loc[1, "grant_date"] = pd.Timestamp("2020-01-01")  # before filing (2021-11-30)
    frame.loc[2, "patent_type"] = "plant"
    frame.loc[3, "licence_count"] = -3
    frame.loc[4, "application_key"] = "CN202223220665"  # repeats row 0
    frame.loc[5, "lapse_date"] = pd.Timestamp("2021-01-01")  # before the grant
    frame.loc[6, "pledge_date"] = pd.Timestamp("2026-01-01")  # after the reference date
    frame.attrs["as_of"] = AS_OF
    with pytest.raises(pandera.errors.SchemaErrors) as error:
        PatentTable.validate(frame, lazy=True)
    cases = error.value.failure_cases
    rows_of = cases.groupby("check")["index"].agg(lambda rows: {int(i) for i in rows}).to_dict()
    assert rows_of == {
        "grant_not_before_filing": {1},
        "isin(('invention', 'utility_model', 'design'))": {2},
        "greater_than_or_equal_to(0)": {3},
        "field_uniqueness": {0, 4},
        "lapse_not_before_grant": {5},
        "dates_not_after_reference": {6},
    }


def test_rows_the_steps_miss_are_still_quarantined_by_the_schema(tmp_path, monkeypatch):
    # defence in depth: without check_patents a grant before the filing date reaches the schema
    monkeypatch.setattr(patents.reader, "check_patents", lambda frame, as_of=None, **_: frame)
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",20220617,20220617,", ",20220617,20200101,", 1)
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_patent_export(path, as_of=AS_OF)
    assert result.reconciliation()["reconciles"]
    assert result.rows_quarantined == 1
    assert result.quarantine.to_dict("records") == [
        {
            "raw_file": "export.csv",
            "sheet": None,
            "raw_row": 3,
            "column": "授权公告日",
            "reason": "fails the schema check grant_not_before_filing",
            "record": None,
        }
    ]
