"""An address naming a district the reference does not know is never given the list's region."""

from ipanalysis.clean.records import read_pct_list, read_transactions

HEADER = "国际申请号,国际申请日,受理局,申请人,申请人地址\n"


def test_a_misspelt_or_unknown_district_stays_at_its_city(tmp_path):
    path = tmp_path / "pct.csv"
    path.write_text(
        HEADER + "PCT/CN2024/100001,2024-03-05,CN,上海甲有限公司,上海市火星区一路1号\n"
        "PCT/CN2024/100002,2024-03-06,CN,上海乙有限公司,上海市青埔区赵巷镇\n"
        "PCT/CN2024/100003,2024-03-07,CN,上海丙有限公司,上海市\n"
        "PCT/CN2024/100004,2024-03-08,CN,上海丁有限公司,上海市松江区九亭镇\n",
        encoding="utf-8",
    )
    result = read_pct_list(path, region="松江区")
    assert result.data["region"].tolist() == ["310000", "310000", "310117", "310117"]
    assert result.notes[-2] == (
        "2 row(s) whose address names a district the reference does not know were left at the "
        "city the address names (not given the region option): check their addresses"
    )


def test_the_same_for_a_registration_list(tmp_path):
    path = tmp_path / "pledges.csv"
    path.write_text(
        "质押登记号,生效日期,出质人,质权人,涉及专利,出质人地址\n"
        "Y2024310000101,2024-03-15,上海甲有限公司,某银行,ZL202310000001.5,上海市火星区\n"
        "Y2024310000102,2024-03-16,上海乙有限公司,某银行,ZL202310000002.X,上海市\n",
        encoding="utf-8",
    )
    result = read_transactions(path, "pledge", region="松江区")
    assert result.data["region"].tolist() == ["310000", "310117"]
    assert any(n.startswith("1 row(s) whose address names a district") for n in result.notes)
