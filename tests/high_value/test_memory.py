"""small_pages: numpy's huge-page request is off inside the engine's calls and put back after;
reuse_memory: what numpy frees inside the block is reused, not faulted in again."""

from __future__ import annotations

import json
import subprocess
import sys
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


_FAULTS = """
import json, resource
import numpy as np
from ipanalysis.high_value import memory

def faults(times):
    # minor page faults while a 64 MB array is made, filled and freed ``times`` (small pages:
    # a huge page is one fault for 512 small ones)
    with memory.small_pages():
        start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for _ in range(times):
            values = np.ones(64 << 17)
            del values
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start

outside = faults(4)
with memory.reuse_memory(), memory.reuse_memory():  # nested: one set of settings
    inside = faults(4)
print(json.dumps([outside, inside, faults(2), memory._STATE["reuse"]]))
"""


@pytest.mark.skipif(memory._glibc() is None, reason="reuse_memory acts on glibc's malloc only")
def test_reuse_memory_keeps_freed_blocks_for_the_next_arrays_and_gives_them_back_after():
    # in a fresh process: glibc's settings are the whole process's; 64 MB is above glibc's
    # largest mmap threshold, so outside the block every array is fresh pages
    run = subprocess.run([sys.executable, "-c", _FAULTS], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    outside, inside, after, depth = json.loads(run.stdout)
    pages = 64 << 8  # 4 kB pages in 64 MB
    assert outside >= 3 * pages  # every array faulted in again
    assert inside <= 1.5 * pages  # the first one only
    assert after >= 1.5 * pages  # and after the block, as before
    assert depth == 0
