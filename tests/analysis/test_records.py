"""Plan indicators counted from an office's records (ipanalysis.analysis.records), by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from ipanalysis.analysis import records as rec
from ipanalysis.cli import app
from ipanalysis.errors import InputError
from ipanalysis.io.definition import definition_from, parse_definition

SJ, QP = "310117", "310118"


def dates(*values):
    return pd.to_datetime(pd.Series(values))


def test_coverage_gives_zero_inside_and_nothing_outside():
    pct = pd.DataFrame(
        {
            "region": [SJ, SJ, QP, None],
            "filing_date": dates("2022-03-01", "2024-05-01", "2023-01-01", "2023-02-02"),
            "receiving_office": ["CN", "CN", "CN", "IB"],
        }
    )
    out = rec.pct_observations(pct, covers=[SJ])
    assert out[["region_code", "year", "value"]].values.tolist() == [
        [SJ, 2022, 1.0],
        [SJ, 2023, 0.0],  # covered and none filed: a true zero
        [SJ, 2024, 1.0],
    ]
    assert set(out["status"]) == {"derived"}
    assert out["basis_note"].iloc[0].endswith("received by CN 2")  # Songjiang's, by CNIPA
    assert rec.pct_observations(pct, covers=[SJ], years=[2024, 2025])["year"].tolist() == [
        2024,
        2025,
    ]
    # a list naming regions but given no coverage: only the Chinese regions it names
    assert sorted(set(rec.pct_observations(pct)["region_code"])) == [SJ, QP]


def test_pct_counts_what_cnipa_received_unless_told_otherwise():
    pct = pd.DataFrame(
        {
            "region": [SJ, SJ, SJ],
            "filing_date": dates("2024-03-01", "2024-05-01", "2024-06-01"),
            "receiving_office": ["CN", "IB", "cn"],
        }
    )
    default = rec.pct_observations(pct, covers=[SJ])
    assert default["value"].tolist() == [2.0]
    assert default.attrs["left_out"] == {"IB": 1}
    assert default["basis_note"].iloc[0].endswith("received by CN 2; not counted: IB 1")
    assert rec.pct_observations(pct, [SJ], receiving_offices="all")["value"].tolist() == [3.0]
    assert rec.pct_observations(pct, [SJ], receiving_offices=["ib"])["value"].tolist() == [1.0]


def transactions(**columns):
    base = {
        "event_type": ["transfer", "licence", "pledge", "pledge", "pledge"],
        "date": dates("2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2023-04-01"),
        "region": [SJ] * 5,
        "amount": [None, None, 5e6, 3e6, 1e6],
    }
    return pd.DataFrame({**base, **columns})


def values(out, indicator):
    rows = out[out["indicator"] == indicator]
    return rows[["year", "value"]].values.tolist()


def test_transactions_count_registrations_for_the_kinds_and_years_supplied():
    out = rec.transaction_observations(
        transactions(),
        {"transfer": ([SJ], [2024]), "licence": ([SJ], [2024]), "pledge": ([SJ], [2023, 2024])},
    )
    assert values(out, "patent_transfer_licence_count") == [[2024, 2.0]]
    assert values(out, "patent_pledge_count") == [[2023, 1.0], [2024, 2.0]]
    assert values(out, "patent_pledge_amount") == [[2023, 0.01], [2024, 0.08]]
    assert values(out, "ip_pledge_financing_amount") == [[2023, 0.01], [2024, 0.08]]
    assert set(out.loc[out["indicator"] == "ip_pledge_financing_amount", "basis"]) == {"patent"}
    # no licence list: no licence count and no transfers-and-licences sum
    pledges_only = rec.transaction_observations(
        transactions(), {"transfer": ([SJ], [2024]), "pledge": ([SJ], [2023, 2024])}
    )
    assert values(pledges_only, "patent_transfer_licence_count") == []
    assert values(pledges_only, "patent_licence_count") == []
    # a list covering Qingpu too: its counts, but no transfer count for a region no list covers
    wider = rec.transaction_observations(
        transactions(), {"transfer": ([SJ], [2024]), "pledge": ([SJ, QP], [2024])}
    )
    assert set(wider.loc[wider["indicator"] == "patent_transfer_count", "region_code"]) == {SJ}
    assert values(wider[wider["region_code"] == QP], "patent_pledge_count") == [[2024, 0.0]]


def test_a_pledge_without_its_amount_leaves_the_year_unknown():
    out = rec.transaction_observations(
        transactions(amount=[None, None, 5e6, None, 1e6]), {"pledge": ([SJ], [2023, 2024])}
    )
    assert values(out, "patent_pledge_amount") == [[2023, 0.01]]  # 2024 is not 0.05
    assert values(out, "patent_pledge_count") == [[2023, 1.0], [2024, 2.0]]


def test_per_patent_counts_of_two_year_end_exports_give_the_year_between():
    before = pd.DataFrame(
        {
            "region": [SJ, SJ],
            "transfer_count": [1, 0],
            "licence_count": [0, 1],
            "pledge_count": [0, 0],
        }
    )
    after = before.assign(transfer_count=[2, 1], pledge_count=[1, 0])
    out = rec.per_patent_observations(
        [(pd.Timestamp("2024-12-31"), after), (pd.Timestamp("2023-12-31"), before)]
    )
    assert values(out, "patent_transfer_licence_count") == [[2024, 2.0]]
    assert values(out, "patent_pledge_count") == [[2024, 1.0]]
    assert "two patent exports a year apart" in out["basis_note"].iloc[0]
    alone = rec.per_patent_observations([(pd.Timestamp("2024-12-31"), after)])
    assert alone.empty  # one export alone gives no yearly count


def test_patent_intensive_share_with_partial_classes_as_a_parameter():
    value_added = pd.DataFrame(
        {
            "industry_code": ["3911", "3921", "1310"],
            "year": [2023] * 3,
            "value_added": [150.0, 80.0, 9.0],
            "region": [SJ] * 3,
        }
    )
    mapping = pd.DataFrame({"industry_code": ["3911", "3921"], "partial": [True, False]})
    gdp = pd.DataFrame({"region_code": [SJ], "year": [2023], "value": [2000.0]})
    out, notes = rec.pii_observations(value_added, mapping, gdp)
    assert values(out, "pii_value_added") == [[2023, 80.0]]
    assert values(out, "pii_share_gdp") == [[2023, 4.0]]
    half, _ = rec.pii_observations(value_added, mapping, gdp, partial_share=0.5)
    assert values(half, "pii_value_added") == [[2023, 155.0]]
    assert notes == ["2 of 3 class values are of patent-intensive classes (partial classes "
                     "counted at 0 of their value added)"]  # fmt: skip
    missing = value_added.assign(value_added=[150.0, None, 9.0])
    unknown, _ = rec.pii_observations(missing, mapping, gdp)
    assert unknown.empty  # a mapped class without its value: no figure, not an understated one
    no_gdp, notes = rec.pii_observations(value_added, mapping, gdp.iloc[0:0])
    assert values(no_gdp, "pii_share_gdp") == []
    assert notes[-1] == "1 region-year(s) without GDP: no share of GDP given"
    with pytest.raises(ValueError, match="partial_share must be between 0 and 1"):
        rec.pii_observations(value_added, mapping, gdp, partial_share=2)


def test_definition_parameters_as_an_office_writes_them():
    assert parse_definition("maintenance_years=12；awards=中国专利奖") == {
        "maintenance_years": 12,
        "awards": ("中国专利奖",),
    }
    rule = definition_from({"pledge_threshold": "5e6", "keyword_rule": "description"})
    assert (rule.pledge_threshold, rule.keyword_rule) == (5e6, "description")
    assert rule.version == "cnipa-2021/2+keyword_rule=description,pledge_threshold=5000000.0"
    with pytest.raises(InputError, match="pledge_threshold must be a number, not 'lots'"):
        definition_from("pledge_threshold=lots")
    with pytest.raises(InputError, match="maintenance_from must be 'filing_date' or"):
        definition_from("maintenance_from=priority_date")
    with pytest.raises(InputError, match="expected name=value, got 'pledge_threshold'"):
        definition_from("pledge_threshold")


def test_high_value_command_takes_the_definition(tmp_path):
    frame = pd.DataFrame(
        {
            "application_number": ["CN201410000001.9"],
            "patent_type": ["invention"],
            "filing_date": ["2014-01-01"],
            "grant_date": ["2016-01-01"],
            "lapse_date": [None],
            "region": [SJ],
            "strategic_emerging": [False],
            "overseas_family": [False],
            "pledge_amount": [6e6],
            "award": [None],
            "domestic": [True],
        }
    )
    path = tmp_path / "p.csv"
    frame.to_csv(path, index=False)
    runner = CliRunner()
    plain = runner.invoke(app, ["high-value", str(path), "--as-of", "2023-12-31", "--out",
                                str(tmp_path / "a.csv")])  # fmt: skip
    lower = runner.invoke(app, ["high-value", str(path), "--as-of", "2023-12-31", "--out",
                                str(tmp_path / "b.csv"), "-d", "pledge_threshold=5e6"])  # fmt: skip
    assert plain.exit_code == 0 and lower.exit_code == 0, lower.output
    assert pd.read_csv(tmp_path / "a.csv")["high_value"].tolist() == [False]
    assert pd.read_csv(tmp_path / "b.csv")["high_value"].tolist() == [True]
    assert "cnipa-2021/2+pledge_threshold=5000000.0" in lower.output
    bad = runner.invoke(app, ["high-value", str(path), "--as-of", "2023-12-31", "--out",
                              str(tmp_path / "c.csv"), "-d", "threshold=1"])  # fmt: skip
    assert bad.exit_code == 1
    assert "definition: unknown parameter(s) threshold" in bad.output


def test_a_pledged_patent_without_its_amount_is_undecided_until_the_pledge_list_gives_it():
    from types import SimpleNamespace

    from ipanalysis.high_value import classify
    from ipanalysis.io.office import with_pledge_amounts

    patents = pd.DataFrame(
        {
            "application_number": ["CN201910000001.5", "CN201910000002.X"],
            "patent_type": ["invention"] * 2,
            "filing_date": ["2019-01-01"] * 2,
            "grant_date": ["2021-01-01"] * 2,
            "lapse_date": [None] * 2,
            "strategic_emerging": [False] * 2,
            "overseas_family": [False] * 2,
            "pledge_amount": [None, None],
            "pledge_count": [1, 0],
            "award": [None] * 2,
            "domestic": [True] * 2,
        }
    )
    before = classify(patents, "2024-12-31")
    assert before["high_pledge"].isna().tolist() == [True, False]  # pledged, amount unknown
    assert before["high_value"].isna().tolist() == [True, False]
    pledges = pd.DataFrame(
        {
            "event_type": ["pledge"],
            "patents": ["CN201910000001.5;CN201810000009.1"],
            "amount": [2e7],
        }
    )
    read = [(SimpleNamespace(layout={"kind": "transactions"}), SimpleNamespace(data=pledges))]
    filled, notes = with_pledge_amounts(patents, read)
    assert filled["pledge_amount"].tolist()[0] == 2e7
    assert notes == ["1 patent(s) given their pledge amount from the pledge lists"]
    assert classify(filled, "2024-12-31")["high_value"].tolist() == [True, False]
