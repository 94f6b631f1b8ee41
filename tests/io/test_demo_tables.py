"""The demo's record tables read from their cache: a region's rows alone, as the whole table
read and then filtered would give them."""

import pandas as pd
import pytest

from ipanalysis.io.demo import Tables


@pytest.fixture
def cache(tmp_path):
    frame = pd.DataFrame(
        {
            "application_number": ["CN1", "CN2", "CN3", "CN4"],
            "region": pd.Categorical(["310117", "310118", "310117", "310115"]),
            "pledge_amount": [1.0, None, 3.0, 4.0],
        }
    )
    frame.to_parquet(tmp_path / "pct.parquet", index=False)
    return tmp_path


def test_a_region_is_read_alone_with_the_rows_and_labels_of_the_whole_table(cache):
    unread = Tables(cache, seed=7)
    assert "pct" in unread and "nothing" not in unread
    alone = unread.of_region("pct", "310117")
    assert unread.loaded == {}  # neither asking nor the region's rows read the whole table
    tables = Tables(cache, seed=7)
    whole = tables["pct"]
    filtered = tables.of_region("pct", "310117")  # from the loaded table
    assert alone["application_number"].tolist() == ["CN1", "CN3"]
    pd.testing.assert_frame_equal(alone.reset_index(drop=True), filtered.reset_index(drop=True))
    assert alone.attrs == filtered.attrs == whole.attrs
    assert alone.attrs["synthetic"] is True and alone.attrs["seed"] == 7
    assert Tables(cache, seed=7).of_region("pct", "310000").empty
    with pytest.raises(KeyError):
        Tables(cache, seed=7).of_region("nothing", "310117")
