"""The region reference resolves the spellings people use, and says where an unknown name was."""

import pandas as pd
import pytest

from ipanalysis import regions
from ipanalysis.errors import InputError
from ipanalysis.io import published as sources
from ipanalysis.publish import runner as build

SHANGHAI_DISTRICTS = {
    "310101": "黄浦区",
    "310104": "徐汇区",
    "310105": "长宁区",
    "310106": "静安区",
    "310107": "普陀区",
    "310109": "虹口区",
    "310110": "杨浦区",
    "310112": "闵行区",
    "310113": "宝山区",
    "310114": "嘉定区",
    "310115": "浦东新区",
    "310116": "金山区",
    "310117": "松江区",
    "310118": "青浦区",
    "310120": "奉贤区",
    "310151": "崇明区",
}


def test_reference_holds_the_16_districts_in_force():
    ref = regions.load_regions()
    current = ref[(ref.parent_code == "310000") & (ref.valid_to == "")]
    assert dict(zip(current.code, current.name, strict=True)) == SHANGHAI_DISTRICTS


def test_reference_holds_31_provinces_and_hong_kong_macao_taiwan():
    ref = regions.load_regions()
    assert (ref.level == "province").sum() == 34
    assert ref.code.is_unique


@pytest.mark.parametrize(
    ("code", "valid_to", "successor"),
    [
        ("310119", "2009-05-06", "310115"),  # 南汇区 → 浦东新区
        ("310103", "2011-06-08", "310101"),  # 卢湾区 → 黄浦区
        ("310108", "2015-11-04", "310106"),  # 闸北区 → 静安区
        ("310230", "2016-07-22", "310151"),  # 崇明县 → 崇明区
    ],
)
def test_historical_units_carry_the_change_date_and_successor(code, valid_to, successor):
    row = regions.load_regions().set_index("code").loc[code]
    assert (row.valid_to, row.successor_code) == (valid_to, successor)


def test_load_regions_returns_a_copy():
    first = regions.load_regions()
    first.loc[0, "name"] = "changed"
    assert regions.load_regions().loc[0, "name"] == "全国"


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("310117", "310117"),
        ("松江区", "310117"),
        ("松江", "310117"),
        ("松 江 区", "310117"),
        ("　松江区 ", "310117"),
        ("\u200b松江区", "310117"),
        ("Songjiang", "310117"),
        ("songjiang district", "310117"),
        ("浦东", "310115"),
        ("浦东新区", "310115"),
        ("浦东区", "310115"),
        ("Pudong New Area", "310115"),
        ("Pudong", "310115"),
        ("Jing'an", "310106"),
        ("Jingan District", "310106"),
        ("上海", "310000"),
        ("上海市", "310000"),
        ("沪", "310000"),
        ("上海市松江区", "310117"),
        ("河南", "410000"),
        ("河南省", "410000"),
        ("广西", "450000"),
        ("内蒙古", "150000"),
        ("香港", "810000"),
        ("全国", "100000"),
        ("１１００００", "110000"),
        (310117, "310117"),
        (310117.0, "310117"),
        ("崇明", "310151"),
        ("南汇区", "310115"),
        ("南汇", "310115"),
        ("卢湾区", "310101"),
        ("闸北", "310106"),
        ("崇明县", "310151"),
    ],
)
def test_resolve_region_accepts_the_spellings_people_use(spelling, code):
    assert regions.resolve_region(spelling) == code


@pytest.mark.parametrize(
    ("spelling", "code"),
    [("南汇区", "310119"), ("卢湾", "310103"), ("闸北区", "310108"), ("崇明县", "310230")],
)
def test_historical_units_keep_their_own_code_when_asked(spelling, code):
    assert regions.resolve_region(spelling, follow_successor=False) == code


def test_resolve_regions_is_aligned_and_leaves_the_input_alone():
    names = pd.Series(["浦东", "松江区", "浦东", "闸北"], index=[10, 11, 12, 13], name="地区")
    before = names.copy()
    codes = regions.resolve_regions(names)
    pd.testing.assert_series_equal(
        codes,
        pd.Series(["310115", "310117", "310115", "310106"], index=[10, 11, 12, 13], name="地区"),
    )
    pd.testing.assert_series_equal(names, before)


def test_unknown_region_names_file_row_and_column():
    names = pd.Series(["松江区", "火星区"])
    with pytest.raises(InputError) as err:
        regions.resolve_regions(names, file="data/raw/pop.csv", column="地区")
    assert str(err.value) == (
        "pop.csv, row 3, column '地区': unknown region '火星区': "
        "give a name such as 松江区 or a code such as 310117"
    )


def test_unknown_region_uses_the_rows_given_and_lists_the_others():
    names = pd.Series(["火星区", "松江区", "月球区", "", "a", "b", "c"])
    with pytest.raises(InputError) as err:
        regions.resolve_regions(
            names, file="t.xlsx", sheet="表1", rows=[7, 8, 9, 10, 11, 12, 13], column="A"
        )
    assert str(err.value) == (
        "t.xlsx, sheet '表1', row 7, column 'A': unknown region '火星区': give a name such as "
        "松江区 or a code such as 310117; also unknown region '月球区' (row 9), an empty region "
        "name (row 10), unknown region 'a' (row 11), 2 more"
    )


def test_a_missing_name_is_an_error_not_a_drop():
    with pytest.raises(InputError) as err:
        regions.resolve_regions(pd.Series(["松江区", None]), file="a.csv")
    assert str(err.value) == (
        "a.csv, row 3: an empty region name: give a name such as 松江区 or a code such as 310117"
    )


def test_try_resolve_regions_marks_unknown_names_missing():
    got = regions.try_resolve_regions(pd.Series(["青浦", "合计", "卢湾区"]))
    assert got.tolist() == ["310118", pd.NA, "310101"]


def test_a_figure_with_decimals_is_not_a_region_code():
    # 2305.06 and 1500.00 (figures of a real NBS table) once lost their dot and read as the
    # codes 230506 and 150000 (内蒙古自治区); an English name still loses its apostrophe
    got = regions.try_resolve_regions(pd.Series(["2305.06", "1500.00", "310117.0", "Jing'an"]))
    assert got.tolist() == [pd.NA, pd.NA, "310117", "310106"]


def test_region_changes_gives_the_unit_written_its_successor_and_the_date():
    changes = regions.region_changes(pd.Series(["南汇", "卢湾区", "闸北", "崇明县", "松江区"]))
    expected = pd.DataFrame(
        {
            "code": ["310119", "310103", "310108", "310230", "310117"],
            "name": ["南汇区", "卢湾区", "闸北区", "崇明县", "松江区"],
            "successor_code": ["310115", "310101", "310106", "310151", "310117"],
            "successor_name": ["浦东新区", "黄浦区", "静安区", "崇明区", "松江区"],
            "changed_on": pd.to_datetime(
                ["2009-05-06", "2011-06-08", "2015-11-04", "2016-07-22", None]
            ),
            "changed_in": pd.array([2009, 2011, 2015, 2016, None], dtype="Int64"),
        }
    )
    pd.testing.assert_frame_equal(changes, expected, check_dtype=False)


def test_district_from_address():
    addresses = pd.Series(
        [
            "上海市松江区九亭镇涞寅路1号",
            "上海松江区新桥镇",
            "上海 松江 九亭",
            "201203 上海市浦东新区张江路",
            "上海浦东张江高科技园区",
            "中国上海市闸北区共和新路",
            "上海市卢湾区",
            "上海市南汇区",
            "上海市崇明县城桥镇",
            "河南省郑州市金水区",
            "浙江省舟山市普陀区",
            "北京市海淀区",
            "上海市",
            "美国加利福尼亚州",
            "东京都",
            "",
            None,
        ],
        name="address",
    )
    got = regions.district_from_address(addresses)
    assert got.name == "address"
    assert got.tolist() == [
        "310117",
        "310117",
        "310117",
        "310115",
        "310115",
        "310106",
        "310101",
        "310115",
        "310151",
        "410105",  # 金水区: county-level units anywhere in China
        "330903",  # 舟山市普陀区, not Shanghai's 普陀区
        "110108",  # 海淀区
        "310000",
        "US",
        pd.NA,
        pd.NA,
        pd.NA,
    ]


def test_build_resolves_through_the_reference_and_rejects_paths():
    assert build.resolve_region("浦东") == ("310115", "浦东新区")
    assert build.resolve_region(" 闸北区 ") == ("310106", "静安区")
    with pytest.raises(InputError) as err:
        build.resolve_region("../../etc")
    assert str(err.value) == (
        "unknown region '../../etc': give a name such as 松江区 or a code such as 310117"
    )


def test_sources_reads_the_same_reference():
    assert sources.region_names is regions.region_names


# --- all of China: provinces, prefecture-level cities, county-level units, history ---------------


def current(level: str) -> pd.DataFrame:
    ref = regions.load_regions()
    return ref[(ref.level == level) & (ref.valid_to == "")]


def test_reference_holds_every_unit_in_force_of_gb_t_2260():
    # the Ministry of Civil Affairs' 2024 table: 333 prefecture-level and 2,846 county-level units
    assert len(current("prefecture")) == 333
    assert len(current("district")) == 2846
    ref = regions.load_regions().set_index("code")
    assert ref.loc["320583", ["name", "parent_code"]].tolist() == ["昆山市", "320500"]
    assert ref.loc["320500", ["name", "level", "parent_code"]].tolist() == [
        "苏州市",
        "prefecture",
        "320000",
    ]
    # a unit directly under its province (省直辖县级市)
    assert ref.loc["429004", ["name", "parent_code"]].tolist() == ["仙桃市", "420000"]


def test_every_province_and_prefecture_resolves_by_its_full_and_short_name():
    for level in ("province", "prefecture"):
        units = current(level)
        assert regions.resolve_regions(units["name"]).tolist() == units["code"].tolist()
    provinces = current("province")
    assert regions.resolve_regions(provinces["short_name"]).tolist() == provinces["code"].tolist()


def test_every_county_level_unit_resolves_by_its_full_name_with_its_city():
    units = current("district")
    names = regions.region_names()
    parents = units["parent_code"].map(names)
    written = parents + units["name"]
    assert regions.resolve_regions(written).tolist() == units["code"].tolist()


@pytest.mark.parametrize(
    ("spelling", "within", "code"),
    [
        ("朝阳区", ["110000"], "110105"),
        ("朝阳区", ["220100"], "220104"),
        ("普陀区", ["330900"], "330903"),
        ("普陀区", [], "310107"),  # the project's home region when nothing else tells
        ("鼓楼区", ["320100"], "320106"),
    ],
)
def test_a_name_several_units_share_is_told_apart_by_where_it_lies(spelling, within, code):
    assert regions.resolve_regions(pd.Series([spelling]), within=within).tolist() == [code]


def test_an_ambiguous_name_says_which_units_it_may_mean():
    with pytest.raises(InputError) as err:
        regions.resolve_regions(pd.Series(["朝阳区"]), file="a.csv", column="地区")
    assert str(err.value) == (
        "a.csv, row 2, column '地区': ambiguous region '朝阳区': it names 110105 (北京市), "
        "220104 (吉林省长春市); write it with its city, e.g. 北京市朝阳区: give a name such as "
        "松江区 or a code such as 310117"
    )


@pytest.mark.parametrize(
    ("name", "code", "successor", "year"),
    [
        ("崇文区", "110103", "110101", 2010),  # merged into 东城区
        ("宣武区", "110104", "110102", 2010),
        ("巢湖市", "341400", "340000", 2011),  # split among several: its province today
        ("江苏省苏州市吴县", "320524", "320500", 1995),  # split: 苏州市
    ],
)
def test_historical_units_anywhere_in_china(name, code, successor, year):
    changes = regions.region_changes(pd.Series([name]))
    row = changes.iloc[0]
    assert (row.code, row.successor_code, row.changed_in) == (code, successor, year)


def test_parse_addresses_anywhere_in_china_and_abroad():
    # real applicant addresses as CNIPA exports print them (postcode first, or none)
    addresses = pd.Series(
        [
            "450000河南省郑州市郑东新区中道东路6号创意岛大厦8层",
            "518057 广东省深圳市南山区高新南一道",
            "江苏省苏州市昆山市开发区",
            "深圳市南山区粤海街道",
            "内蒙古自治区呼和浩特市赛罕区",
            "新疆维吾尔自治区乌鲁木齐市天山区",
            "北京市朝阳区酒仙桥路",
            "湖北省仙桃市",
            "香港九龙尖沙咀",
            "台湾省新竹市",
            "澳大利亚新南威尔士州",
            "日本国东京都港区",
            "大韩民国京畿道",
            "美国加利福尼亚州圣克拉拉市",
            "德国慕尼黑",
            "某某街道1号",
        ]
    )
    got = regions.parse_addresses(addresses)
    assert got[["code", "province", "prefecture", "county", "country"]].values.tolist() == [
        ["410100", "410000", "410100", pd.NA, "CN"],
        ["440305", "440000", "440300", "440305", "CN"],
        ["320583", "320000", "320500", "320583", "CN"],
        ["440305", "440000", "440300", "440305", "CN"],
        ["150105", "150000", "150100", "150105", "CN"],
        ["650102", "650000", "650100", "650102", "CN"],
        ["110105", "110000", pd.NA, "110105", "CN"],
        ["429004", "420000", pd.NA, "429004", "CN"],
        ["810000", "810000", pd.NA, pd.NA, "HK"],
        ["710000", "710000", pd.NA, pd.NA, "TW"],
        ["AU", pd.NA, pd.NA, pd.NA, "AU"],
        ["JP", pd.NA, pd.NA, pd.NA, "JP"],
        ["KR", pd.NA, pd.NA, pd.NA, "KR"],
        ["US", pd.NA, pd.NA, pd.NA, "US"],
        ["DE", pd.NA, pd.NA, pd.NA, "DE"],
        [pd.NA, pd.NA, pd.NA, pd.NA, pd.NA],
    ]


def test_parse_addresses_uses_the_province_given_beside_it():
    # 国省代码 浙江(33) beside an address that names only a county shared with Shanghai
    got = regions.parse_addresses(pd.Series(["普陀区东港街道"]), within=pd.Series(["330000"]))
    assert got["code"].tolist() == ["330903"]
    got = regions.parse_addresses(pd.Series(["普陀区东港街道"]))
    assert got["code"].tolist() == ["310107"]


def test_a_street_named_after_a_county_is_not_the_county():
    got = regions.parse_addresses(pd.Series(["河南郑州金水路1号", "上海松江九亭镇"]))
    assert got["code"].tolist() == ["410100", "310117"]
