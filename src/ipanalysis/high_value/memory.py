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
_STATE: dict = {"before": True}
#: How many blocks of each :func:`shared_setting` run now.
_DEPTH: dict[str, int] = {}


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
    with shared_setting(
        "small_pages",
        lambda: _STATE.update(before=switch(False)),
        lambda: switch(_STATE["before"]),
    ):
        yield


@contextlib.contextmanager
def shared_setting(name: str, start, end) -> Iterator[None]:
    """A process-wide setting held while any of nested or concurrent blocks named ``name`` runs:
    ``start()`` when the first one begins, ``end()`` when the last one ends.

    >>> with shared_setting("demo", lambda: print("on"), lambda: print("off")):
    ...     with shared_setting("demo", lambda: print("on"), lambda: print("off")):
    ...         print("inside")
    on
    inside
    off
    """
    with _LOCK:
        if _DEPTH.get(name, 0) == 0:
            start()
        _DEPTH[name] = _DEPTH.get(name, 0) + 1
    try:
        yield
    finally:
        with _LOCK:
            _DEPTH[name] -= 1
            if _DEPTH[name] == 0:
                end()


#: glibc's ``mallopt`` parameters (``malloc.h``).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
#: Blocks from this size on get their own ``mmap``: the largest glibc's own adjustment reaches
#: (``DEFAULT_MMAP_THRESHOLD_MAX`` on 64-bit systems), set once for good by :func:`reuse_memory`.
_MMAP_THRESHOLD = 32 << 20
#: Free memory at the heap's top given back to the kernel: while :func:`reuse_memory` runs, none;
#: after it, beyond twice the mmap threshold, as glibc's own adjustment sets it.
_TRIM_INSIDE, _TRIM_AFTER = 1 << 30, 2 * _MMAP_THRESHOLD
#: What a user sets for glibc's malloc; :func:`reuse_memory` then changes nothing.
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")


def _glibc():
    """glibc through ctypes, or None (another C library, or the user's own malloc settings)."""
    import ctypes
    import os

    tunables = os.environ.get("GLIBC_TUNABLES", "")
    if any(os.environ.get(name) for name in _USER_SETTINGS) or "glibc.malloc." in tunables:
        return None
    if _STATE.get("libc") is None:
        try:
            libc = ctypes.CDLL(None)  # the C library this process runs on
            libc.mallopt, libc.malloc_trim, libc.gnu_get_libc_version  # noqa: B018 (glibc)
        except (OSError, AttributeError, TypeError):
            libc = False
        _STATE["libc"] = libc
    return _STATE["libc"] or None


@contextlib.contextmanager
def reuse_memory() -> Iterator[None]:
    """Inside the block, memory numpy and Arrow free is kept for their next arrays.

    glibc gives every large block (128 kB and more at first) its own ``mmap`` and hands it back
    to the kernel when freed; it raises that threshold as such blocks are freed (up to 32 MB)
    and trims the heap beyond twice it. A computation that makes and frees the same arrays for
    each row group of a file still faulted fresh pages in again and again, and with threads every
    ``munmap`` stops the other cores too (a TLB shootdown): on a 2-core VM 0.05 s of
    :func:`ipanalysis.io.scan_patents`' 0.4. Inside the block blocks under 32 MB come from the
    heap and the heap is not trimmed; at its end ``malloc_trim`` returns what is free.

    glibc cannot be put back to adjusting its thresholds itself once they are set: they stay
    where its adjustment ends up after large arrays are freed (mmap from 32 MB, trim beyond
    64 MB). Nothing changes where the C library is not glibc or where the user set glibc's
    malloc (``MALLOC_MMAP_THRESHOLD_``, ``MALLOC_TRIM_THRESHOLD_``, ``MALLOC_TOP_PAD_``,
    ``GLIBC_TUNABLES``). Concurrent and nested blocks trim when the last one ends.
    """
    libc = _glibc()
    if libc is None:
        yield
        return

    def start():
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
        libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_INSIDE)

    def end():
        libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_AFTER)
        libc.malloc_trim(0)

    with shared_setting("reuse_memory", start, end):
        yield
