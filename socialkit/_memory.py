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

import sys

__all__ = ["settle_malloc"]

#: glibc's mallopt parameters and the largest values its dynamic scheme sets them to
#: (DEFAULT_MMAP_THRESHOLD_MAX on 64-bit systems, and twice that for the trim threshold).
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
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


def _settle() -> bool:
    import os

    if not sys.platform.startswith("linux") or any(
        k in os.environ for k in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")
    ):
        return False
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
            return False
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (ValueError, OSError, AttributeError):  # not glibc after all
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_MAX)) and bool(
        mallopt(_M_TRIM_THRESHOLD, _TRIM_MAX)
    )
