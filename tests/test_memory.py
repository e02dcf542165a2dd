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
