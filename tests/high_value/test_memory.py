"""small_pages: numpy's huge-page request is off inside the engine's calls and put back after."""

from __future__ import annotations

import threading

import numpy as np
from patent_rows import random_table

from ipanalysis.high_value import classify, stock
from ipanalysis.high_value.memory import small_pages

setting = np._core.multiarray._get_madvise_hugepage


def test_the_setting_is_restored_after_calls_nested_blocks_and_threads():
    before = setting()
    table = random_table(200, seed=1)
    classify(table, "2024-12-31")
    stock(table, "2024-12-31")
    assert setting() == before
    seen = []
    with small_pages():
        with small_pages():
            seen.append(setting())
        seen.append(setting())
        worker = threading.Thread(target=lambda: small_pages()(lambda: seen.append(setting()))())
        worker.start()
        worker.join()
        seen.append(setting())
    assert seen == [False] * 4
    assert setting() == before
