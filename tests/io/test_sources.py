"""Every raw row is accounted for; raw files are pinned and never edited; prepare is atomic."""

import hashlib
import shutil

import pandas as pd
import pytest
import yaml

from ipanalysis import io as sources
from ipanalysis import paths
from ipanalysis.errors import InputError


def test_every_raw_file_is_in_the_manifest_with_provenance():
    manifest = sources.read_manifest()
    listed = {entry.file for entry in manifest}
    on_disk = {f"raw/{p.name}" for p in paths.raw_dir().iterdir() if p.is_file()}
    assert listed == on_disk
    for entry in manifest:
        for key in ("title", "publisher", "obtained", "upstream", "licence", "vintage"):
            assert str(entry.meta.get(key, "")).strip(), (entry.id, key)


def test_raw_files_match_their_pinned_hashes():
    for entry in sources.read_manifest():
        digest = hashlib.sha256(entry.path(paths.data_dir()).read_bytes()).hexdigest()
        assert digest == entry.sha256, entry.file


def test_every_raw_row_is_kept_or_quarantined(prepared):
    for row in prepared.reconciliation.itertuples():
        lines = (paths.raw_dir() / row.file).read_text(encoding="utf-8-sig").splitlines()
        assert row.rows_read == len(lines) - 1, row.file
        assert row.rows_read == row.rows_kept + row.rows_quarantined, row.file
    kept = prepared.observations.groupby("raw_file")["raw_row"].nunique()
    assert kept.to_dict() == prepared.reconciliation.set_index("file")["rows_kept"].to_dict()
    assert prepared.reconciliation["rows_read"].sum() == 250  # 242 + the 8 GDP rows of 2023


def test_quarantined_rows_carry_their_reason(prepared):
    q = prepared.quarantine
    memo = q[q.raw_file == "madrid_applications_by_origin_cnipa_2022yearbook.csv"]
    assert list(memo.raw_row) == list(range(36, 51))
    assert set(memo.reason) == {
        "memo row: a sub-provincial city already included in its province's figure (not added)"
    }
    assert len(q) == 15


def test_each_observation_keeps_its_source_and_status(observations):
    assert observations["source"].str.len().min() > 0
    assert set(observations["status"]) == {"published", "derived"}
    derived = observations[observations.status == "derived"]
    assert set(zip(derived.indicator, derived.year, strict=False)) == {
        ("high_value_invention_patents_per_10k", 2020),
        ("ip_pledge_financing_amount", 2020),
        ("ip_pledge_financing_amount", 2022),
        ("patent_transfer_licence_count", 2023),
        ("high_value_invention_patents", 2022),
        ("high_value_invention_patents_per_10k", 2022),
    }


def test_songjiang_population_and_city_total(observations):
    pop = observations[
        (observations.indicator == "resident_population")
        & (observations.source_id == "shanghai-district-population-2024")
    ]
    districts = pop[pop.region_code.str.startswith("3101")]
    assert len(districts) == 16
    assert round(districts["value"].sum(), 2) == 2480.26
    assert districts.set_index("region")["value"]["松江区"] == 195.89


def test_prepare_writes_processed_files_and_is_idempotent(data_copy):
    sources.prepare(data_copy)
    out = data_copy / "processed"
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(first) == {
        "observations.parquet",
        "quarantine.csv",
        "reconciliation.csv",
        "quality.csv",
        "observations.stamp.json",
    }
    raw_before = {p.name: p.read_bytes() for p in (data_copy / "raw").iterdir()}
    sources.prepare(data_copy)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    assert {p.name: p.read_bytes() for p in (data_copy / "raw").iterdir()} == raw_before
    table = pd.read_parquet(out / "observations.parquet")
    assert len(table) == 404


def test_a_failed_prepare_leaves_the_previous_processed_data_intact(data_copy):
    sources.prepare(data_copy)
    out = data_copy / "processed"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    raw = data_copy / "raw" / "national_population.csv"
    raw.write_text(
        raw.read_text(encoding="utf-8") + "2025,abc,万人,published,x,\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        sources.prepare(data_copy)
    assert str(err.value).startswith("national_population.csv: sha256 ")
    assert str(err.value).endswith(
        "raw files are immutable — record a new vintage in the manifest instead"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _edit_manifest(data_copy, source_id, **changes):
    path = data_copy / "sources.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for entry in doc["sources"]:
        if entry["id"] == source_id:
            entry.update(changes)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_bad_values_are_quarantined_with_file_row_and_reason(data_copy):
    raw = data_copy / "raw" / "national_population.csv"
    raw.write_text(
        raw.read_text(encoding="utf-8")
        + "2025,abc,万人,published,x,\n2026,1,人,published,x,\n"
        + "2027,2,万人,guessed,x,\n2028,,万人,published,x,\n",
        encoding="utf-8",
    )
    _edit_manifest(data_copy, "cn-national-population", sha256=sources.sha256(raw))
    entry = next(
        e
        for e in sources.read_manifest(data_copy / "sources.yml")
        if e.id == "cn-national-population"
    )
    result = sources.read_source(entry, data_copy)
    assert result.reconciliation() == {
        "file": "national_population.csv",
        "rows_read": 9,
        "rows_kept": 5,
        "rows_quarantined": 4,
        "reconciles": True,
    }
    got = (
        result.quarantine[["raw_row", "column", "reason"]]
        .astype(object)
        .where(result.quarantine[["raw_row", "column", "reason"]].notna(), None)
        .values.tolist()
    )
    assert got == [
        [7, "year_end_population_10k", "expected a number, found 'abc'"],
        [8, "unit", "unit '人' of resident_population differs from the registry unit '万人'"],
        [9, "status", "status 'guessed' is neither published nor derived"],
        [10, None, "no value in any value column (year_end_population_10k)"],
    ]


def test_unknown_region_is_quarantined_not_dropped(data_copy):
    raw = data_copy / "raw" / "shanghai_district_population_2024.csv"
    raw.write_text(
        raw.read_text(encoding="utf-8") + "999999,火星区,1.0,2024,万人,published,medium,x,\n",
        encoding="utf-8",
    )
    _edit_manifest(data_copy, "shanghai-district-population-2024", sha256=sources.sha256(raw))
    prepared = sources.prepare_all(data_copy)
    q = prepared.quarantine
    row = q[q.raw_file == "shanghai_district_population_2024.csv"]
    assert row[["raw_row", "column", "reason"]].values.tolist() == [
        [18, "adcode", "unknown region '999999' (not in the region reference)"]
    ]


def test_missing_column_and_missing_file_are_clear_errors(data_copy):
    shutil.copy(data_copy / "raw" / "wipo_pct_madrid_by_origin.csv", data_copy / "w.csv")
    raw = data_copy / "raw" / "wipo_pct_madrid_by_origin.csv"
    frame = pd.read_csv(raw, dtype=str).drop(columns=["system"])
    frame.to_csv(raw, index=False)
    _edit_manifest(data_copy, "wipo-pct-madrid-by-origin", sha256=sources.sha256(raw))
    with pytest.raises(InputError) as err:
        sources.prepare_all(data_copy)
    assert str(err.value) == (
        "wipo_pct_madrid_by_origin.csv: expected column(s) system (from sources.yml layout of "
        "'wipo-pct-madrid-by-origin'), found year, origin, value, yoy_growth_pct, basis, "
        "source_note, source_url, source_issuer, source_title, source_title_en, source_table, "
        "source_date, read_at, official_url, citation_confidence, citation_note"
    )
    raw.unlink()
    with pytest.raises(InputError) as err:
        sources.prepare_all(data_copy)
    assert str(err.value) == (
        "wipo_pct_madrid_by_origin.csv: listed in sources.yml as "
        "'wipo-pct-madrid-by-origin' but not found"
    )


def test_loading_never_writes_it_reads_raw_in_memory_until_prepare_saves_it(data_copy, capsys):
    table = sources.load_observations(data_copy)
    assert not (data_copy / "processed" / "observations.parquet").exists()
    assert "run `ipanalysis prepare` to save it" in capsys.readouterr().err
    sources.prepare(data_copy)
    again = sources.load_observations(data_copy)
    assert capsys.readouterr().err == ""
    pd.testing.assert_frame_equal(
        table.reset_index(drop=True), again.reset_index(drop=True), check_dtype=False
    )


def test_a_raw_file_missing_from_the_manifest_stops_prepare(data_copy):
    sources.prepare(data_copy)
    before = {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()}
    (data_copy / "raw" / "2025年专利统计.xlsx").write_bytes(b"PK")
    with pytest.raises(InputError) as err:
        sources.prepare(data_copy)
    assert str(err.value) == (
        "sources.yml: raw/2025年专利统计.xlsx: not described in sources.yml; add an entry for each "
        "file (provenance and layout) or move it out of raw/"
    )
    assert {p.name: p.read_bytes() for p in (data_copy / "processed").iterdir()} == before


def test_quality_summary_counts_rows_and_values_per_source(prepared):
    summary = sources.quality_summary(prepared).set_index("source_id")
    madrid = summary.loc["cnipa-madrid-by-origin-2022"]
    assert madrid[["rows_read", "rows_kept", "rows_quarantined", "values"]].tolist() == [
        49,
        34,
        15,
        68,
    ]
    national = summary.loc["cn-national-ip-indicators"]
    assert (national["published"], national["derived"], national["years"]) == (34, 4, "2015–2025")
    assert summary["values"].sum() == len(prepared.observations)
    assert (summary["rows_read"] == summary["rows_kept"] + summary["rows_quarantined"]).all()


def test_prepare_command_prints_the_quality_summary_and_reconciliation(data_copy):
    from typer.testing import CliRunner

    from ipanalysis.cli import app

    result = CliRunner().invoke(app, ["prepare"], env={"IPANALYSIS_HOME": str(data_copy.parent)})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == (
        "total: read 250 = kept 235 + quarantined 15; 404 observations; "
        "quarantine: data/processed/quarantine.csv"
    )
    madrid = next(line for line in lines if "madrid_applications_by_origin" in line)
    assert madrid.split("│")[2:6] == [
        "        49 ",
        "        34 ",
        "               15 ",
        "     68 ",
    ]
    assert (data_copy / "processed" / "quality.csv").exists()
