"""A quote opened in a CSV cell and never closed stops the read, naming its line, instead of
reading the rest of the file into one cell (and reconciling a file that lost its rows)."""

import pytest

from ipanalysis.clean.records import read_pct_list
from ipanalysis.clean.tables import read_table
from ipanalysis.errors import InputError

PCT = (
    "国际申请号,国际申请日,受理局,申请人,申请人地址\n"
    "PCT/CN2024/100001,2024-03-05,CN,上海甲有限公司,上海市松江区\n"
    'PCT/CN2024/100002,2024-05-05,CN,"上海乙有限公司,上海市松江区\n'
    "PCT/CN2024/100003,2024-06-05,CN,上海丙有限公司,上海市松江区\n"
    "PCT/CN2024/100004,2024-07-05,CN,上海丁有限公司,上海市松江区\n"
)


def test_an_unclosed_quote_in_a_list_names_its_line(tmp_path):
    path = tmp_path / "pct.csv"
    path.write_text(PCT, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_pct_list(path, region="松江区")
    assert str(error.value) == (
        'pct.csv, row 3: not a readable CSV from line 3 on (unexpected end of data): a quote (") '
        "opened in a cell there is not closed, so the lines after it would be read as one cell; "
        "close the quote or remove it, then read the file again"
    )


def test_a_quoted_line_break_is_still_one_cell(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text('地区,"专利授权量\n（件）"\n松江区,100\n青浦区,80\n', encoding="utf-8")
    result = read_table(path, period="2024")
    assert result.data["value"].tolist() == [100.0, 80.0]
    with pytest.raises(InputError, match="row 3: not a readable CSV from line 3 on"):
        path.write_text('地区,专利授权量\n松江区,100\n"青浦区,80\n', encoding="utf-8")
        read_table(path, period="2024")
