"""Benchmark: start-up of ``socialkit --help`` and ``socialkit validate`` vs ``import pandas``.

Every command is a fresh interpreter, timed from outside (wall time of the whole
process, as a user waits for it). The baseline, ``python -c "import pandas"``,
runs in the same loop, alternating with the commands, so that a busy spell of
the machine hits all of them; each figure is the fastest of ``BENCH_REPEAT``
runs (default 5). ``validate`` reads a demo client written once into a temporary
folder (``socialkit demo``, one client). Goal: each command ≤ 1.5× the baseline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the socialkit measured: this checkout's
REPEAT = int(os.environ.get("BENCH_REPEAT", 5))
GOAL = 1.5


def _env() -> dict:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def wall(argv: list[str]) -> float:
    """Seconds one fresh process takes to run ``argv`` to its end (from a neutral folder,
    so that ``-m socialkit`` finds this checkout through PYTHONPATH, not the cwd)."""
    t = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=_env(), cwd=tempfile.gettempdir())
    return time.perf_counter() - t


def main() -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [py, "-m", "socialkit", "demo", "--out", tmp, "--clients", "1"],
            check=True,
            capture_output=True,
            env=_env(),
        )
        client = next(p for p in Path(tmp).iterdir() if (p / "client.yaml").is_file())
        commands = {
            'python -c "import pandas"': [py, "-c", "import pandas"],
            "socialkit --help": [py, "-m", "socialkit", "--help"],
            f"socialkit validate {client.name}": [py, "-m", "socialkit", "validate", str(client)],
        }
        wall(commands["socialkit --help"])  # warm the file cache: the first run reads .pyc
        best = {name: float("inf") for name in commands}
        for _ in range(REPEAT):
            for name, argv in commands.items():
                best[name] = min(best[name], wall(argv))
    base_name, *others = commands
    base = best[base_name]
    print(f"Start-up, fastest of {REPEAT} fresh processes each")
    print(f"  {base_name:40}: {base:5.2f} s (baseline)")
    for name in others:
        print(f"  {name:40}: {best[name]:5.2f} s  {best[name] / base:4.2f}x (goal <= {GOAL}x)")


if __name__ == "__main__":
    main()
