"""The allocator settings the batch computations make (socialkit._memory)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from socialkit import _memory

_PROBE = "from socialkit._memory import settle_malloc; print(settle_malloc(), settle_malloc())"


def _probe(env: dict) -> str:
    return subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_settle_malloc_is_idempotent():
    assert _memory.settle_malloc() is _memory.settle_malloc()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_users_malloc_settings_win():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    glibc = os.confstr("CS_GNU_LIBC_VERSION") or ""
    assert _probe(env) == ("True True" if glibc.startswith("glibc") else "False False")
    assert _probe({**env, "MALLOC_TRIM_THRESHOLD_": "131072"}) == "False False"


_WHERE = """
import numpy as np
from socialkit import _memory

def in_heap(a):
    at = a.__array_interface__["data"][0]
    for line in open("/proc/self/maps"):
        if line.rstrip().endswith("[heap]"):
            lo, hi = (int(x, 16) for x in line.split()[0].split("-"))
            if lo <= at < hi:
                return True
    return False

big = 8 * 2**20  # 64 MiB of float64: over glibc's largest mmap threshold
where = [in_heap(np.ones(big))]
with _memory.keep_freed_memory():
    where.append(in_heap(np.ones(big)))
    with _memory.keep_freed_memory():  # nested: the outer block restores the settings
        pass
    where.append(in_heap(np.ones(big)))
where.append(in_heap(np.ones(big)))
print(where, _memory._holders)
"""


@pytest.mark.skipif(
    not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    if sys.platform.startswith("linux")
    else True,
    reason="glibc's mallopt",
)
def test_big_arrays_reuse_the_heap_only_inside_keep_freed_memory():
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    out = subprocess.run(
        [sys.executable, "-c", _WHERE], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[False, True, True, False] 0"
    # a user's malloc settings are left alone
    out = subprocess.run(
        [sys.executable, "-c", _WHERE],
        env={**env, "MALLOC_MMAP_MAX_": "65536"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out == "[False, False, False, False] 0"
