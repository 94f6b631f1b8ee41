"""small_pages: numpy's huge-page request is off inside the engine's calls and put back after;
reuse_memory: what numpy frees inside the block is reused, not faulted in again."""

from __future__ import annotations

import resource
import threading

import numpy as np
import pytest
from patent_rows import random_table

from ipanalysis.high_value import classify, memory, stock
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


def _faults_freeing(megabytes: int, times: int) -> int:
    """Minor page faults while an array of ``megabytes`` is made, filled and freed ``times``
    (in small pages: a huge page is one fault for 512 small ones)."""
    with small_pages():
        start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(times):
            values = np.ones(megabytes << 17)  # 8-byte floats
            del values
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start


@pytest.mark.skipif(memory._glibc() is None, reason="reuse_memory acts on glibc's malloc only")
def test_reuse_memory_keeps_freed_blocks_for_the_next_arrays_and_gives_them_back_after():
    # 64 MB: above glibc's largest mmap threshold, so each array outside the block is fresh pages
    outside = _faults_freeing(64, 4)
    with memory.reuse_memory(), memory.reuse_memory():  # nested: one set of settings
        inside = _faults_freeing(64, 4)
    assert memory._STATE["reuse"] == 0
    pages = 64 << 8  # 4 kB pages in 64 MB
    assert outside >= 3 * pages  # every array faulted in again
    assert inside <= 1.5 * pages  # the first one only
    assert _faults_freeing(64, 2) >= 1.5 * pages  # and after the block, as before
