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

def faults(megabytes, arrays, rounds):
    # minor page faults in the last of ``rounds`` in which ``arrays`` arrays of ``megabytes``
    # are made, filled and freed together (small pages: a huge page is one fault for 512)
    with memory.small_pages():
        for _ in range(rounds):
            start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            held = [np.ones(megabytes << 17) for _ in range(arrays)]
            del held
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start

def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() >> 20

one_before = faults(8, 1, 10)
outside = faults(16, 10, 2)
before = resident()
with memory.reuse_memory(), memory.reuse_memory():  # nested: one set of settings
    inside = faults(16, 10, 2)
print(json.dumps({"one_before": one_before, "outside": outside, "inside": inside,
                  "kept": resident() - before, "one_after": faults(8, 1, 10),
                  "depth": memory._DEPTH.get("reuse_memory", 0)}))
"""


@pytest.mark.skipif(memory._glibc() is None, reason="reuse_memory acts on glibc's malloc only")
def test_reuse_memory_keeps_freed_blocks_for_the_next_arrays_and_gives_them_back_after():
    # in a fresh process: glibc's settings are the whole process's
    run = subprocess.run([sys.executable, "-c", _FAULTS], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    pages = 160 << 8  # 4 kB pages in ten arrays of 16 MB
    assert seen["outside"] >= pages // 2  # freed, trimmed, faulted in again
    assert seen["inside"] <= pages // 10  # kept for the next arrays
    assert seen["kept"] < 64  # MB: at the end, what was free went back to the kernel
    # one 8 MB array made again and again is reused after the block as before it
    assert seen["one_after"] <= seen["one_before"] + 256
    assert seen["depth"] == 0


def test_reuse_memory_leaves_a_users_malloc_settings_alone(monkeypatch):
    monkeypatch.setitem(memory._STATE, "libc", None)
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "0")
    assert memory._glibc() is None
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_")
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=65536")
    assert memory._glibc() is None
