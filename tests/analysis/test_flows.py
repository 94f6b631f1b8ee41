"""PCT, Madrid and transaction flows by region and year."""

from __future__ import annotations

import pandas as pd
import pytest

from ipanalysis.analysis import madrid_by_year, pct_by_year, transactions_by_year
from ipanalysis.errors import InputError

SONGJIANG, HUANGPU = "310117", "310101"


def test_pct_counts_by_year_of_filing_with_zero_years_and_regions():
    pct = pd.DataFrame(
        {
            "application_number": ["PCT/CN2022/1", "PCT/CN2023/1", "PCT/CN2023/2", "PCT/CN2024/1"],
            "filing_date": ["2022-12-31", "2023-01-01", "2023-12-31", "2024-01-01"],
            "region": [SONGJIANG] * 4,
        }
    )
    result = pct_by_year(pct, start=2022, end=2023, regions=[SONGJIANG, HUANGPU])
    assert result.to_dict("list") == {
        "region": [HUANGPU, HUANGPU, SONGJIANG, SONGJIANG],
        "year": [2022, 2023, 2022, 2023],
        "applications": [0, 0, 1, 2],
    }
    assert result.attrs["basis"] == (
        "international filing date; applications (件) by applicant region"
    )


def test_madrid_counts_by_year():
    madrid = pd.DataFrame(
        {
            "application_number": ["M1", "M2", "M3"],
            "filing_date": pd.to_datetime(["2021-03-01", "2022-03-01", "2022-05-01"]),
            "region": [HUANGPU, HUANGPU, SONGJIANG],
        }
    )
    result = madrid_by_year(madrid)
    assert result.to_dict("list") == {
        "region": [HUANGPU, HUANGPU, SONGJIANG, SONGJIANG],
        "year": [2021, 2022, 2021, 2022],
        "applications": [1, 1, 0, 1],
    }


def test_transactions_count_registrations_and_sum_pledge_amounts_once_per_registration():
    transactions = pd.DataFrame(
        {
            "event_type": ["transfer", "transfer", "licence", "pledge", "pledge", "pledge"],
            "date": [
                "2023-01-05",
                "2023-02-05",
                "2023-03-05",
                "2023-04-05",
                "2023-04-05",
                "2024-01-02",
            ],
            "application_number": ["CN1", "CN1", "CN2", "CN3", "CN4", "CN5"],
            "region": [SONGJIANG] * 6,
            "amount": [None, None, None, 3e6, 3e6, 1e7],
            # CN3 and CN4 are one pledge contract, registered once
            "registration_id": ["t1", "t2", "l1", "p1", "p1", "p2"],
        }
    )
    result = transactions_by_year(transactions)
    assert result.to_dict("list") == {
        "region": [SONGJIANG, SONGJIANG],
        "year": [2023, 2024],
        "transfers": [2, 0],
        "licences": [1, 0],
        "transfers_and_licences": [3, 0],
        "pledges": [1, 1],
        "pledge_amount": [3e6, 1e7],
    }
    without_ids = transactions_by_year(transactions.drop(columns=["registration_id"]))
    assert without_ids["pledges"].tolist() == [2, 1]
    assert without_ids["pledge_amount"].tolist() == [6e6, 1e7]


def test_bad_transactions_are_located():
    transactions = pd.DataFrame(
        {
            "event_type": ["transfer", "sale"],
            "date": ["2023-01-05", "2023-02-05"],
            "application_number": ["CN1", "CN2"],
            "region": [SONGJIANG, SONGJIANG],
            "amount": [None, None],
        }
    )
    with pytest.raises(InputError) as error:
        transactions_by_year(transactions)
    assert str(error.value) == (
        "row 3, column 'event_type': transactions table: expected one of transfer, licence, "
        "pledge, found 'sale' (1 failure in all)"
    )
    with pytest.raises(InputError) as error:
        transactions_by_year(transactions.drop(columns=["amount", "region"]))
    assert str(error.value) == "transactions table lacks required column(s): region, amount"


def test_a_missing_filing_date_is_located():
    pct = pd.DataFrame(
        {
            "application_number": ["P1", "P2"],
            "filing_date": ["2023-01-01", None],
            "region": [SONGJIANG, SONGJIANG],
        }
    )
    with pytest.raises(InputError) as error:
        pct_by_year(pct)
    assert str(error.value) == (
        "row 3, column 'filing_date': PCT table: a value is required, found a missing one "
        "(1 failure in all)"
    )
