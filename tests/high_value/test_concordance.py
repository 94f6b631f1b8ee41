"""CNIPA's SEI–IPC concordance (2021, trial) as shipped, and the strategic-emerging decision.

Each expected result below was checked by hand against ``reference/sei_ipc_rules.csv``: the
rule part that covers the symbol, its exclusions and its keyword cell are named beside the case.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ipanalysis import paths
from ipanalysis.clean.patents import read_patent_export
from ipanalysis.high_value import DEFAULT_DEFINITION, HighValueDefinition, classify
from ipanalysis.high_value.concordance import VERSION, load_concordance, match, normalise_symbol

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "tests" / "fixtures" / "patents" / "cn_export_10rows.csv"

# (IPC symbols, title, strategic_emerging, SEI codes) — the rule that decides, by hand
CASES = [
    # in: an IPC-only rule covers the symbol
    ("G01S19/14", None, True, "2.3"),  # 2.3-01 G01S19*, no keyword
    ("B64G1/10", None, True, "2.3"),  # 2.3-01 names B64G1/10 exactly; 2.3-02 excludes it
    ("G21C5/00", None, True, "6.1"),  # 6.1-01a G21C5*
    ("C21D9/36", None, True, "3.1"),  # 3.1-01 exactly; 3.1-05 (C21D9*) and 3.1-07 exclude it
    ("G06F40/30", None, True, "1.5"),  # 1.5-01 G06F40*
    ("G16B40/00", None, True, "4.2"),  # 4.2-01a G16B*; 1.3-02 (G16*) excludes G16B*
    ("A47J27/00;G06F40/30", None, True, "1.5"),  # every symbol counts, not only the main one
    ("G06F0040300000", None, True, "1.5"),  # the DOCDB spelling of G06F40/30
    ("g06f 40/30", None, True, "1.5"),  # case and spaces
    # out: no rule, or every covering rule excludes the symbol
    ("A47J27/00", None, False, ""),  # cooking vessels: no rule
    ("E01H1/00", None, False, ""),  # street cleaning: no rule
    ("C07C1/20", None, False, ""),  # 4.1-04 C07C* excludes C07C1*
    ("G06F12/00", "一种存储器", False, ""),  # 1.4-01 and 1.1-02 exclude it; 1.1-04's keyword fails
    # keyword-conditioned (the default reading: a condition on title or abstract)
    ("B64G1/14", "一种运载火箭级间分离装置", True, "2.3"),  # 2.3-02 B64G1*: 运载火箭
    ("B64G1/14", "一种折叠机构", False, ""),  # 2.3-02's terms absent from the title
    ("B64G1/14", None, None, ""),  # no title: the condition cannot be checked
    ("B60L1/00", "一种电动汽车辅助供电系统", True, "5.2"),  # 5.2-02: 不包含非机动车 holds
    ("B60L1/00", "一种非机动车照明供电装置", False, ""),  # 5.2-02: a 非机动车 is left out
    ("H01M4/13", "一种锂电池正极", None, ""),  # 5.2-05: 汽车相关关键词 is a placeholder
    ("H04L9/32", None, None, ""),  # 1.1-02 … keyword rules only, no text
    # later IPC editions: reported, never matched
    ("G06V10/82", None, None, ""),  # G06V: 2022.01, out of G06K9
    ("H04L9/40", None, None, ""),  # 2022.01, out of H04L29/06 (not under 1.1's H04L9* rule)
    ("B64U20/80;A47J27/00", None, None, ""),  # B64U: 2023.01; A47J27 decides nothing
    ("B64U20/80;G01S19/14", None, True, "2.3"),  # another symbol decides
    (None, None, None, ""),  # no IPC at all
]


def test_the_shipped_rules_are_the_checked_transcription():
    concordance = load_concordance()
    rules = pd.read_csv(paths.REFERENCE_DIR / "sei_ipc_rules.csv", dtype=str)
    categories = pd.read_csv(paths.REFERENCE_DIR / "sei_categories.csv", dtype=str)
    assert len(rules) == len(concordance.rules) == 1689  # one row per IPC pattern
    assert rules["rule_id"].nunique() == 303 + 10  # 303 source rules, 10 split in two
    assert concordance.rules["rule_part"].nunique() == 313
    assert rules["sei_code"].nunique() == 40
    assert (categories["level"] == "1").sum() == 9 and (categories["level"] == "2").sum() == 40
    assert concordance.version == VERSION == "CNIPA SEI–IPC 2021 (trial)"
    assert not rules["ipc_pattern"].duplicated().any()


@pytest.mark.parametrize(("ipc", "title", "expected", "codes"), CASES)
def test_hand_checked_cases(ipc, title, expected, codes):
    result = match(pd.Series([ipc], dtype="object"), text=pd.Series([title], dtype="object"))
    flag = result["strategic_emerging"].iloc[0]
    assert (None if pd.isna(flag) else bool(flag)) == expected
    assert result["sei_codes"].iloc[0] == codes


def test_enough_cases_of_each_kind():
    kinds = {"in": 0, "out": 0, "unknown": 0}
    for _, _, expected, _ in CASES:
        kinds["unknown" if expected is None else "in" if expected else "out"] += 1
    assert len(CASES) >= 20 and min(kinds.values()) >= 5


def test_unknown_says_why():
    result = match(pd.Series(["G06V10/82;H04L67/025", "H01M4/13", None]))
    assert result["reason"].tolist() == [
        "IPC of a later edition than the concordance: G06V10/82 (2022.01), H04L67/025 (2022.01)",
        "a keyword condition that cannot be checked",
        "no IPC",
    ]


def test_keyword_cells_read_as_descriptions():
    ipc = pd.Series(["H01M4/13", "G06F12/00", "B60L1/00", "A47J27/00"])
    text = pd.Series([None, "一种存储器", "一种非机动车照明供电装置", None])
    result = match(ipc, text=text, keyword_rule="description")
    assert result["strategic_emerging"].tolist() == [True, True, True, False]
    assert result["sei_codes"].tolist() == ["5.2", "1.1", "5.2", ""]


def test_symbols_are_normalised():
    assert normalise_symbol("H04L 9/40") == "H04L9/40"
    assert normalise_symbol("G06F0017300000") == "G06F17/30"
    assert normalise_symbol("A61K0031000000") == "A61K31/00"


def test_the_real_export_without_an_sei_flag_is_classified_from_its_ipc():
    patents = read_patent_export(EXPORT, as_of="2025-12-31").data
    assert patents["strategic_emerging"].isna().all()  # the export has no SEI flag
    result = classify(patents, "2025-12-31")
    flags = [None if pd.isna(f) else bool(f) for f in result["strategic_emerging"]]
    by_row = dict(zip(patents["raw_row"], flags, strict=True))
    # row 8 (G01S19/14 …): 2.3-01; row 9 (G06F40/289 …): 1.5-01; row 5 (G01N33/00;G01N15/06): none
    assert by_row[8] is True and by_row[9] is True and by_row[5] is False
    # row 2 (B64U …, 2023.01) and row 11 (H04L43/02;H04L9/40;H04L67/025, 2022.01): unknown
    assert by_row[2] is None and by_row[11] is None
    # reported, not dropped: the one valid patent's unknown criterion says why
    assert result.attrs["strategic_emerging_unknown"] == {
        "IPC of a later edition than the concordance": 1
    }
    flag_only = HighValueDefinition(strategic_emerging_source="flag", version="flag")
    assert classify(patents, "2025-12-31", flag_only)["strategic_emerging"].isna().all()


def test_a_source_flag_wins_over_the_concordance_unless_asked():
    patents = read_patent_export(EXPORT, as_of="2025-12-31").data.copy()
    patents["strategic_emerging"] = pd.array([False] * len(patents), dtype="boolean")
    assert not classify(patents, "2025-12-31")["strategic_emerging"].any()
    every = HighValueDefinition(strategic_emerging_source="concordance", version="c")
    assert classify(patents, "2025-12-31", every)["strategic_emerging"].sum() == 2
    assert DEFAULT_DEFINITION.strategic_emerging_source == "auto"
