"""The C allocator's settings for batch computations (glibc's malloc only).

A check over a batch makes many short-lived arrays of one value per post (3 MiB
each on 400,000 posts). glibc's malloc starts by handing any block over 128 KiB
straight back to the system when it is freed, raising that limit only as big
blocks come and go, up to 32 MiB (and keeping up to twice the limit free at the
top of its heap). Until it has grown, every new array is fresh memory that the
system must map and zero, page by page: on 200 clients / 400,000 posts the
numeric catalogue took 59,000 page faults and 0.40 s, with the limits at their
grown values 19,000 and 0.34 s.
"""

from __future__ import annotations

import functools
import sys
import threading
from contextlib import contextmanager

__all__ = ["settle_malloc", "keep_freed_memory"]

#: glibc's mallopt parameters and the largest values its dynamic scheme sets them to
#: (DEFAULT_MMAP_THRESHOLD_MAX on 64-bit systems, and twice that for the trim threshold).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_MMAP_MAX = -1, -3, -4
#: glibc's default M_MMAP_MAX (DEFAULT_MMAP_MAX).
_MMAP_COUNT = 65536
_MMAP_MAX = 32 * 2**20
_TRIM_MAX = 2 * _MMAP_MAX

_settled: bool | None = None


def settle_malloc() -> bool:
    """Set glibc malloc's mmap and trim thresholds to the values its dynamic scheme grows
    them to (32 MiB and 64 MiB), once per process; True when they are set.

    Nothing is done elsewhere than on Linux with glibc, nor when the process set them
    itself through ``MALLOC_MMAP_THRESHOLD_`` or ``MALLOC_TRIM_THRESHOLD_`` (a user's
    settings win). Like glibc's own scheme once it has grown, this keeps up to 64 MiB of
    freed memory for the next arrays instead of returning it to the system at once.
    """
    global _settled
    if _settled is None:
        _settled = _settle()
    return _settled


_lock = threading.Lock()
_holders = 0


@contextmanager
def keep_freed_memory():
    """While the block runs, memory the process frees stays in it for the next arrays.

    Above 32 MiB (an array of 4 million values) glibc always maps a block afresh and
    unmaps it when it is freed, so each such array costs the system a page fault per
    page it touches: on 10 million posts the numeric catalogue spent more time in the
    kernel than in its own code (sys 11 s, user 6 s). In the block, blocks of any size
    come from malloc's heap and the heap is not trimmed, so a freed array's pages,
    already mapped, serve the next one. At the end (of the outermost block, when blocks
    are nested or run on several threads) glibc's settings are put back and the free
    memory returned to the system (``malloc_trim``). Only under glibc on Linux, and not
    when the user set ``MALLOC_MMAP_MAX_`` or ``MALLOC_TRIM_THRESHOLD_``.
    """
    global _holders
    with _lock:
        first = _holders == 0
        _holders += 1
        libc = _glibc() if first else None
        if libc is not None:
            libc.mallopt(_M_MMAP_MAX, 0)
            libc.mallopt(_M_TRIM_THRESHOLD, 2**31 - 1)  # mallopt takes a C int
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            libc = _glibc() if _holders == 0 else None
            if libc is not None:
                libc.mallopt(_M_MMAP_MAX, _MMAP_COUNT)
                libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_MAX)  # as settle_malloc() left it
                libc.malloc_trim(0)


@functools.cache
def _glibc():
    """The C library when it is glibc on Linux and the user left malloc's settings alone
    (glibc reads ``MALLOC_*`` once, at start-up: the answer holds for the process)."""
    import os

    if not sys.platform.startswith("linux") or any(
        k in os.environ
        for k in ("MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_")
    ):
        return None
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
            return None
        import ctypes

        return ctypes.CDLL(None)
    except (ValueError, OSError, AttributeError):  # not glibc after all
        return None


def _settle() -> bool:
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_MAX)) and bool(
        libc.mallopt(_M_TRIM_THRESHOLD, _TRIM_MAX)
    )
