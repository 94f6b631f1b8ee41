"""Memory for the engine's large arrays: small pages while it runs, and freed memory reused.

numpy asks Linux for transparent huge pages (``madvise``) on every array of 4 MB or more. Where
the kernel answers by compacting memory on the spot (``transparent_hugepage/defrag`` set to
``madvise``, a common default), touching a new array stalls: at 5 million patents the year-end
stocks spent 0.3 s of 0.4 in the kernel, and reading the table about as much. numpy's own switch
(``NUMPY_MADVISE_HUGEPAGE=0``) is read once, at import, for the whole process; :func:`small_pages`
turns the request off for the engine's calls only and restores it after. :func:`reuse_memory`
keeps what numpy frees for its next arrays while a chunked computation runs.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np

_LOCK = threading.Lock()
_STATE = {"depth": 0, "before": True, "reuse": 0}


def _switch():
    """numpy's setter (it returns the previous setting), or None where numpy has none."""
    return getattr(np._core.multiarray, "_set_madvise_hugepage", None)


@contextlib.contextmanager
def small_pages() -> Iterator[None]:
    """Allocate numpy arrays without asking for huge pages inside the block (also a decorator);
    nested and concurrent blocks restore numpy's setting when the last one ends.

    >>> import numpy as np
    >>> before = np._core.multiarray._get_madvise_hugepage()
    >>> with small_pages():
    ...     np._core.multiarray._get_madvise_hugepage()
    False
    >>> np._core.multiarray._get_madvise_hugepage() == before
    True
    """
    switch = _switch()
    if switch is None:
        yield
        return
    with _LOCK:
        if _STATE["depth"] == 0:
            _STATE["before"] = switch(False)
        _STATE["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["depth"] -= 1
            if _STATE["depth"] == 0:
                switch(_STATE["before"])


#: glibc's ``mallopt`` parameters (``malloc.h``).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: glibc's defaults for them, restored after :func:`reuse_memory`.
_GLIBC_DEFAULT = 128 * 1024


def _glibc():
    """glibc through ctypes, or None (another C library, or none found)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        libc.mallopt, libc.malloc_trim  # noqa: B018 (both must exist: glibc)
    except (OSError, AttributeError, TypeError):
        return None
    return libc


@contextlib.contextmanager
def reuse_memory() -> Iterator[None]:
    """Inside the block, memory numpy frees is kept for its next arrays; after it, given back.

    glibc gives every large block (128 kB and more, rising with what was freed, up to 32 MB) its
    own ``mmap`` and hands it back to the kernel when freed. A computation that makes and frees
    the same arrays for each chunk of a file then faults fresh pages in each time, and with
    threads every ``munmap`` stops the other cores too (a TLB shootdown); on a 2-core VM that was
    a third of :func:`ipanalysis.io.scan_patents`' time. Here large blocks come from the heap and
    the heap is not trimmed while the block runs; at its end glibc's default thresholds are set
    again and ``malloc_trim`` returns what is free. Elsewhere than glibc: nothing changes.
    Concurrent and nested blocks restore the settings when the last one ends.
    """
    libc = _glibc()
    if libc is None:
        yield
        return
    with _LOCK:
        if _STATE["reuse"] == 0:
            libc.mallopt(_M_MMAP_THRESHOLD, 1 << 30)
            libc.mallopt(_M_TRIM_THRESHOLD, 1 << 30)
        _STATE["reuse"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _STATE["reuse"] -= 1
            if _STATE["reuse"] == 0:
                libc.mallopt(_M_MMAP_THRESHOLD, _GLIBC_DEFAULT)
                libc.mallopt(_M_TRIM_THRESHOLD, _GLIBC_DEFAULT)
                libc.malloc_trim(0)
