"""Benchmark: the monthly batch of client reports, against what a user would script.

``BENCH_CLIENTS`` demo clients (default 50) in one run:

(a) baseline: a shell loop of bare ``papermill`` CLI calls on the report template
    plus ``jupyter nbconvert --to html --no-input`` per client;
(b) ``socialkit report --jobs 1``;
(c) ``socialkit report --jobs 2``;
(d) the same command again with nothing changed (every client skipped);
(e) ``socialkit report --jobs 1 --isolate`` (a new kernel per client, as before warm kernels).

Goals: (b) ≤ 0.5× (a) per report (2× faster), (c) ≥ 1.7× faster than (b), (d) ≤ 5 % of (b).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from socialkit.demo import make_demo
from socialkit.report import TEMPLATE

CLIENTS = int(os.environ.get("BENCH_CLIENTS", 50))
BIN = Path(sys.executable).parent


def _timed(cmd: str) -> float:
    t = time.perf_counter()
    subprocess.run(
        cmd, shell=True, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - t


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        clients = make_demo(tmp / "clients", n_clients=CLIENTS, seed=3)
        base_out = tmp / "baseline"
        base_out.mkdir()
        loop = "; ".join(
            f"{BIN / 'papermill'} -k python3 --no-progress-bar {shlex.quote(str(TEMPLATE))} "
            f"{shlex.quote(str(base_out / (c.name + '.ipynb')))} "
            f"-p client_dir {shlex.quote(str(c))} -p output_dir {shlex.quote(str(base_out))} && "
            f"{BIN / 'jupyter'} nbconvert --to html --no-input "
            f"{shlex.quote(str(base_out / (c.name + '.ipynb')))}"
            for c in clients
        )
        a = _timed(f"set -e; {loop}")
        ours = f"{sys.executable} -m socialkit report --all {tmp / 'clients'}"
        b = _timed(f"{ours} --out {tmp / 'r1'} --jobs 1")
        c = _timed(f"{ours} --out {tmp / 'r2'} --jobs 2")
        d = _timed(f"{ours} --out {tmp / 'r2'} --jobs 2")
        e = _timed(f"{ours} --out {tmp / 'r3'} --jobs 1 --isolate")
    n = len(clients)
    print(f"report batch: {n} demo clients")
    print(f"  (a) papermill + nbconvert CLI loop : {a:7.1f} s  {a / n:5.2f} s/report")
    print(
        f"  (b) socialkit report --jobs 1      : {b:7.1f} s  {b / n:5.2f} s/report  "
        f"= {b / a:.2f}x (a), {a / b:.2f}x faster (goal >= 2x)"
    )
    print(
        f"  (c) socialkit report --jobs 2      : {c:7.1f} s  {c / n:5.2f} s/report  "
        f"speed-up over (b) {b / c:.2f}x (goal >= 1.7x)"
    )
    print(
        f"  (d) unchanged re-run               : {d:7.1f} s  = {100 * d / b:.1f} % of (b) "
        "(goal <= 5 %)"
    )
    print(
        f"  (e) --jobs 1 --isolate             : {e:7.1f} s  {e / n:5.2f} s/report  "
        f"warm kernels are {e / b:.2f}x faster"
    )


if __name__ == "__main__":
    main()
