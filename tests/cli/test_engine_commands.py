"""`ipanalysis high-value` and `ipanalysis stock` on small hand-built files."""

from __future__ import annotations

import pandas as pd
import pytest
from patent_rows import build
from typer.testing import CliRunner

from ipanalysis.cli import app

runner = CliRunner()


@pytest.fixture
def patents_csv(tmp_path):
    frame = build(
        {"application_number": "CN1", "strategic_emerging": True},
        {"application_number": "CN2", "strategic_emerging": None},
        {"application_number": "CN3", "region": "310101", "lapse_date": "2023-12-31"},
        {"application_number": "CN4", "patent_type": "design", "overseas_family": True},
    )
    frame["extra_column"] = "ignored"
    path = tmp_path / "patents.csv"
    frame.to_csv(path, index=False)
    return path


def test_high_value_writes_one_row_per_patent(patents_csv, tmp_path):
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app, ["high-value", str(patents_csv), "--as-of", "2023-12-31", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert written.to_dict("list") == {
        "application_number": ["CN1", "CN2", "CN3", "CN4"],
        "strategic_emerging": ["True", "", "False", "False"],
        "overseas_family": ["False", "False", "False", "True"],
        "maintained": ["False", "False", "False", "False"],
        "high_pledge": ["False", "False", "False", "False"],
        "award": ["False", "False", "False", "False"],
        "valid": ["True", "True", "False", "False"],
        "high_value": ["True", "", "False", "False"],
    }
    lines = result.output.splitlines()
    assert lines[-4:] == [
        "region name  valid  high_value  high_value_unknown",
        "310101  黄浦区      0           0                   0",
        "310117  松江区      2           1                   1",
        " total           2           1                   1",
    ]


def test_stock_prints_per_10k_with_population(patents_csv, tmp_path):
    population = tmp_path / "population.csv"
    pd.DataFrame({"adcode": ["310101", "310117"], "resident_population_10k": [50.0, 200.0]}).to_csv(
        population, index=False
    )
    result = runner.invoke(
        app, ["stock", str(patents_csv), "--as-of", "2023-12-31", "--population", str(population)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-3:] == [
        "region name  valid  high_value  high_value_unknown population_10k valid_per_10k "
        "high_value_per_10k",
        "310101  黄浦区      0           0                   0           50.0          0.00    "
        "           0.00",
        # one undecidable patent: the count is a lower bound, the ratio unknown (never 0)
        "310117  松江区      2           1                   1          200.0          0.01    "
        "        unknown",
    ]


def test_stock_says_which_populations_it_lacks_never_nan(patents_csv, tmp_path):
    population = tmp_path / "elsewhere.csv"  # another city's districts only
    pd.DataFrame({"adcode": ["330102"], "resident_population_10k": [60.0]}).to_csv(
        population, index=False
    )
    result = runner.invoke(
        app, ["stock", str(patents_csv), "--as-of", "2023-12-31", "--population", str(population)]
    )
    assert result.exit_code == 0, result.output
    assert "elsewhere.csv gives no population of these regions" in result.output
    assert "nan" not in result.output.lower()
    assert result.output.splitlines()[-1].split()[-3:] == ["unknown", "unknown", "unknown"]


def test_stock_of_a_parquet_file_read_a_row_group_at_a_time_is_the_csv_ones(tmp_path):
    frame = build(
        *[
            {"strategic_emerging": n % 3 == 0, "region": ["310117", "310101"][n % 2]}
            for n in range(9)
        ]
    )
    frame.to_csv(tmp_path / "patents.csv", index=False)
    frame.astype({"region": "category"}).to_parquet(tmp_path / "patents.parquet", row_group_size=4)
    printed = {
        name: runner.invoke(app, ["stock", str(tmp_path / name), "--as-of", "2023-12-31"])
        for name in ("patents.csv", "patents.parquet")
    }
    assert printed["patents.parquet"].exit_code == 0, printed["patents.parquet"].output
    assert printed["patents.parquet"].output == printed["patents.csv"].output
    assert printed["patents.csv"].output.splitlines()[-2:] == [
        "310101  黄浦区      4           1                   0",
        "310117  松江区      5           2                   0",
    ]


def test_synthetic_input_is_labelled(tmp_path):
    from ipanalysis.io.demo import generate, write_parquet

    path = write_parquet(generate(seed=3, scale=0.005)["patents"], tmp_path / "p.parquet")
    result = runner.invoke(app, ["stock", str(path), "--as-of", "2023-12-31"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "*** SYNTHETIC DATA: generated records, not observations ***"
    )


def test_bad_input_ends_with_one_line(patents_csv, tmp_path):
    missing = runner.invoke(app, ["stock", str(tmp_path / "nope.csv"), "--as-of", "2023-12-31"])
    assert (missing.exit_code, missing.output) == (1, "error: nope.csv: no such file\n")
    no_population = runner.invoke(
        app,
        ["stock", str(patents_csv), "--as-of", "2023-12-31", "--population", "nope_pop.csv"],
    )
    assert (no_population.exit_code, no_population.output) == (
        1,
        "error: nope_pop.csv: no such file\n",
    )
    bad_date = runner.invoke(app, ["stock", str(patents_csv), "--as-of", "2023-13-01"])
    assert (bad_date.exit_code, bad_date.output) == (
        1,
        "error: --as-of must be a date like 2023-12-31, not '2023-13-01'\n",
    )
    bad_out = runner.invoke(
        app, ["high-value", str(patents_csv), "--as-of", "2023-12-31", "--out", "x.xlsx"]
    )
    assert (bad_out.exit_code, bad_out.output) == (
        1,
        "error: --out must end in .csv or .parquet, not 'x.xlsx'\n",
    )
    broken = tmp_path / "broken.csv"
    build({"patent_type": "trademark"}).to_csv(broken, index=False)
    result = runner.invoke(app, ["stock", str(broken), "--as-of", "2023-12-31"])
    assert (result.exit_code, result.output) == (
        1,
        "error: broken.csv, row 2, column 'patent_type': patent_type must be invention, "
        "utility_model or design, found 'trademark'\n",
    )
