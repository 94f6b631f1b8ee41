"""The canonical patent table, the quarantine and the notes stay exactly what they were.

A digest per column of every result (the real exports, and a large messy export generated from
the real 10-row one, read in one block and in many) is compared with the digests recorded in
``patent_output_digests.json`` before the reader was made fast. A failure names the file and the
columns that changed. When an output change is intended, print the new digests with
``python tests/clean/test_patent_output.py`` and say why in the commit.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from ipanalysis.clean.patents import files, read_patent_export

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "patents" / "cn_export_10rows.csv"
CORPUS = ROOT / "tests" / "fixtures" / "corpus" / "patents"
DIGESTS = Path(__file__).with_name("patent_output_digests.json")
AS_OF = "2025-12-31"
REAL = [FIXTURE, *sorted(p for p in CORPUS.iterdir() if p.suffix in (".csv", ".xls", ".xlsx"))]
WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def check_digit(digits: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


#: Cells changed on every n-th generated row: (n, column, value) — what offices' exports hold.
CHANGES = [
    (101, "申请日", "2022.12.02"),
    (103, "公开日", "2023年3月28日"),
    (107, "授权公告日", "44927"),
    (109, "失效日期", "2023-02-30"),
    (113, "质押日期", "20230101;20240202"),
    (127, "申请日", "soon"),
    (131, "法律状态", "有权-新情形"),
    (137, "法律状态", "待定"),
    (139, "法律状态", ""),
    (149, "分类号", "G06F0017300000;H04L 9/40 (2022.01)"),
    (151, "分类号", "none yet"),
    (157, "申请人", "甲公司；乙大学 | 丙"),
    (163, "申请人地址", "美国加利福尼亚州"),
    (167, "国省代码", "美国(US)"),
    (173, "申请人地址", "上海市闸北区共和新路"),
    (179, "国省代码", "火星(99)"),
    (181, "许可次数", "two"),
    (191, "质押次数", "-1"),
    (193, "同族专利", "CN116245100A;US11720000B2"),
    (197, "简单同族数量", "3"),
    (199, "专利类型", "外观设计"),
    (211, "专利类型", "专利"),
    (223, "申请日", "20270101"),
]


def messy_export(path: Path, rows: int = 3000) -> Path:
    """The real 10-row export repeated with distinct valid application numbers, every kind of
    bad or odd cell above on some rows, duplicates far apart, blank lines, a header repeated
    mid-file and a last row cut short."""
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        template = list(reader)
    where = {name: i for i, name in enumerate(header)}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for i in range(rows):
            row = list(template[i % len(template)])
            digits = f"2021{row[where['申请号']][6]}{i:07d}"
            number = f"CN{digits}.{check_digit(digits)}"
            if i % 89 == 5:
                number = number[:-1] + ("0" if number[-1] != "0" else "1")  # wrong check digit
            if i % 83 == 7:
                number = "ＣＮ" + number[2:].translate(
                    {ord(c): ord(c) + 0xFEE0 for c in "0123456789."}
                )
            if i % 97 == 11 and i > 1000:
                digits = f"2021{row[where['申请号']][6]}{i - 1000:07d}"
                number = f"CN{digits}.{check_digit(digits)}"  # a duplicate of a far earlier row
            row[where["申请号"]] = number
            for every, column, value in CHANGES:
                if i % every == 3:
                    row[where[column]] = value
            if i % 73 == 9:
                out.write("\n")
            if i == rows // 2:
                writer.writerow(header)
            writer.writerow(row)
        out.write(",".join(template[0][:20]) + "\n")
    return path


def digests(result) -> dict[str, str]:
    """sha256 (first 16 hex digits) of each column of data and quarantine, the notes, the count."""

    def digest(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    out = {"rows_read": str(result.rows_read), "notes": digest("\n".join(result.notes))}
    for name, frame in (("data", result.data), ("quarantine", result.quarantine)):
        out[f"{name}.columns"] = digest("\n".join(map(str, frame.columns)))
        for column in frame.columns:
            values = frame[column]
            text = values.to_csv(header=False, na_rep="<missing>", date_format="%Y-%m-%d")
            out[f"{name}.{column}"] = digest(f"{values.dtype}\n{text}")
    return out


def results(folder: Path) -> dict[str, dict[str, str]]:
    found = {p.name: digests(read_patent_export(p, as_of=AS_OF)) for p in REAL}
    found["messy.csv"] = digests(
        read_patent_export(messy_export(folder / "messy.csv"), as_of=AS_OF)
    )
    return found


@pytest.fixture(scope="module")
def expected():
    return json.loads(DIGESTS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_exports_read_to_the_same_table_quarantine_and_notes(expected, path):
    found = digests(read_patent_export(path, as_of=AS_OF))
    changed = sorted(k for k in expected[path.name] if found.get(k) != expected[path.name][k])
    assert changed == []
    assert sorted(found) == sorted(expected[path.name])


@pytest.mark.parametrize("block", [files.BLOCK_BYTES, 1 << 16])
def test_a_large_messy_export_reads_the_same_in_one_block_or_many(
    expected, tmp_path, monkeypatch, block
):
    monkeypatch.setattr(files, "BLOCK_BYTES", block)
    result = read_patent_export(messy_export(tmp_path / "messy.csv"), as_of=AS_OF)
    found = digests(result)
    changed = sorted(k for k in expected["messy.csv"] if found.get(k) != expected["messy.csv"][k])
    assert changed == []
    assert sorted(found) == sorted(expected["messy.csv"])
    assert result.rows_read == result.rows_kept + result.rows_quarantined


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(results(Path(folder)), ensure_ascii=False, indent=1, sort_keys=True))
