"""The benchmarks (``make bench``) stay runnable: each script imports cleanly.

``make bench`` runs every ``benchmarks/bench_*.py`` and stops at the first that
fails; a script whose import broke (one benchmark importing a helper another
dropped) silently took the ones after it out of every later run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parents[1] / "benchmarks"


def test_every_benchmark_script_imports():
    names = sorted(p.stem for p in BENCH.glob("bench_*.py"))
    assert len(names) >= 10
    code = (
        "import importlib, sys\n"
        "sys.path.insert(0, '.')\n"
        "bad = []\n"
        f"for name in {names!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        bad.append(f'{name}: {type(exc).__name__}: {exc}')\n"
        "print('\\n'.join(bad))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BENCH, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
