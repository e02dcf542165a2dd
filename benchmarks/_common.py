"""Shared timing harness: each measurement runs in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Peak RSS is the process's own high-water mark (VmHWM), not getrusage's ru_maxrss:
# on Linux a child inherits ru_maxrss from the parent it was forked from, so a
# benchmark that built a big file first would see the parent's peak as its own.
_PEAK = """
def peak_mib():
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024


def reset_peak():
    # Linux >= 4.0: the high-water mark starts again from the current RSS
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
"""

_RUN = (
    _PEAK
    + """
import sys, time
{setup}
imports = peak_mib()
t = time.perf_counter()
{body}
print(time.perf_counter() - t, peak_mib(), imports)
"""
)


def measure(code: tuple[str, str], path: Path) -> tuple[float, float, float]:
    """Seconds, peak RSS and RSS after the imports (MiB) of one fresh interpreter
    running ``code`` = (setup, timed body) on ``path``."""
    setup, body = code
    out = subprocess.run(
        [sys.executable, "-c", _RUN.format(setup=setup, body=body), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def compare(base: tuple[str, str], ours: tuple[str, str], path: Path, repeat: int = 3):
    """:func:`measure` of the baseline and of ours, ``repeat`` runs each, alternating (so
    that a slow spell of the machine hits both): ``(baseline, ours)``, each the fastest
    time (as ``timeit`` advises: slower runs measure the machine's other work) and the
    largest RSS figures."""
    runs = [(measure(base, path), measure(ours, path)) for _ in range(repeat)]

    def best(figures):
        return min(f[0] for f in figures), max(f[1] for f in figures), max(f[2] for f in figures)

    return best([b for b, _ in runs]), best([o for _, o in runs])


def report(title, rows, base, ours, frame_mb, name) -> None:
    """Print our figure next to the pyarrow baseline measured in the same run.

    ``frame_mb`` is the loaded frame (``memory_usage(deep=True)`` of the result).
    Memory is shown two ways: whole-process peak RSS over the frame, and the
    growth of RSS during the load (peak minus RSS after the imports) over the frame.
    """
    (base_t, base_mb, base_imp), (sk_t, sk_mb, sk_imp) = base, ours
    print(title)
    print(
        f"  baseline pyarrow.csv.read_csv : {base_t:6.2f} s  {rows / base_t:12,.0f} rows/s  "
        f"peak RSS {base_mb:6.0f} MiB ({base_mb - base_imp:4.0f} MiB above its imports)"
    )
    print(
        f"  socialkit {name:20}: {sk_t:6.2f} s  {rows / sk_t:12,.0f} rows/s  "
        f"peak RSS {sk_mb:6.0f} MiB ({sk_mb - sk_imp:4.0f} MiB above its imports)"
    )
    print(
        f"  speed ratio socialkit/baseline: {base_t / sk_t:.2f}x (goal >= 0.5x)\n"
        f"  memory / loaded frame ({frame_mb:.0f} MiB): peak RSS {sk_mb / frame_mb:.1f}x, "
        f"growth during the load {(sk_mb - sk_imp) / frame_mb:.1f}x (goal <= 3x)"
    )


def run_json(code: str, path: Path, repeat: int = 1) -> dict:
    """Run ``code`` (a script that reads ``sys.argv[1]`` and prints one JSON line last)
    in a fresh interpreter; return that JSON. With ``repeat`` > 1, the run with the
    fewest ``seconds`` of ``repeat`` fresh runs (slower runs measure the machine's other
    work), with the largest ``rss_mib`` of them."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r.get("seconds", 0))
    if "rss_mib" in best:
        best["rss_mib"] = max(r["rss_mib"] for r in runs)
    return best


# Reading the Parquet file is the harness, not the code measured: pyarrow's reader peaks
# at about 3x the frame (10M posts: 4.4 GiB for a 1.3 GiB frame) and its allocator keeps
# ~1 GiB of that. So the unused memory is handed back and the peak restarts from there;
# ``rss_mib()`` is the peak since (frame and imports included), ``read_peak_mib`` the
# reader's own.
_PARQUET = (
    _PEAK
    + """
import json, sys, time
import numpy as np, pandas as pd, pyarrow as pa
frame = pd.read_parquet(sys.argv[1])
frame_mib = frame.memory_usage(deep=True).sum() / 2**20
pa.default_memory_pool().release_unused()
read_peak_mib = peak_mib()
reset_peak()
rss_mib = peak_mib
"""
)


def parquet_script(body: str) -> str:
    """A script for :func:`run_json`: ``frame`` (and ``frame_mib``, ``rss_mib()``,
    ``read_peak_mib``) is the Parquet file ``sys.argv[1]``, then ``body`` runs and
    prints its JSON line."""
    return _PARQUET + body


def groupby_baseline(column: str) -> str:
    """The shared baseline: one bare ``groupby("client")[column].sum()`` over ``frame``."""
    return parquet_script(
        f"""
t = time.perf_counter()
s = frame.groupby("client")[{column!r}].sum()
print(json.dumps({{"seconds": time.perf_counter() - t, "frame_mib": frame_mib,
                  "rss_mib": rss_mib(), "read_peak_mib": read_peak_mib}}))
"""
    )


def zipf_texts(n: int, seed: int = 2, vocabulary: int = 30_000):
    """``n`` texts of 5-29 words drawn from a Zipf(1.3) vocabulary of made-up words (plus
    common English ones), as an Arrow string array: long-tailed like real post copy."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    common = "the and you your we our us for with new today is this shop now".split()
    words = common + ["".join(rng.choice(letters, k)) for k in rng.integers(2, 10, vocabulary)]
    lens = rng.integers(5, 30, n)
    ids = np.minimum(rng.zipf(1.3, int(lens.sum())) - 1, len(words) - 1)
    offsets = pa.array(np.r_[0, np.cumsum(lens)].astype(np.int32))
    return pc.binary_join(pa.ListArray.from_arrays(offsets, pa.array(words).take(ids)), " ")
