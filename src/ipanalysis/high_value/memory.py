"""Memory for the engine's large arrays: small pages while it runs.

numpy asks Linux for transparent huge pages (``madvise``) on every array of 4 MB or more. Where
the kernel answers by compacting memory on the spot (``transparent_hugepage/defrag`` set to
``madvise``, a common default), touching a new array stalls: at 5 million patents the year-end
stocks spent 0.3 s of 0.4 in the kernel, and reading the table about as much. numpy's own switch
(``NUMPY_MADVISE_HUGEPAGE=0``) is read once, at import, for the whole process; :func:`small_pages`
turns the request off for the engine's calls only and restores it after.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import numpy as np

_LOCK = threading.Lock()
_STATE = {"depth": 0, "before": True}


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
