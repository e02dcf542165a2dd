"""Benchmark: load a 1,000,000-row X/Twitter tweet-activity export vs a bare pyarrow parse.

The file has the real export's shape (40 columns, every field quoted, counts
written as floats, promoted columns ``-``, some tweet texts with newlines);
``BENCH_ROWS`` sets the size.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _common import compare, report

from socialkit.loaders.x_analytics import ENGLISH_HEADER

ROWS = int(os.environ.get("BENCH_ROWS", 1_000_000))
# Tweet texts hold newlines, so the baseline needs newlines_in_values to parse the file at all.
BASELINE = (
    "import pyarrow.csv as pc",
    "table = pc.read_csv(sys.argv[1], parse_options=pc.ParseOptions(newlines_in_values=True))",
)
# Library imports are outside the timed region for both (socialkit imports pyarrow.csv and
# pyarrow.compute lazily, on its first CSV).
SOCIALKIT = (
    "import pyarrow.csv, pyarrow.compute\nfrom socialkit.loaders.x_analytics import read_x_analytics",
    "(r,) = read_x_analytics(sys.argv[1]); assert r.rows_in == r.rows_loaded + r.rows_quarantined",
)


def make_file(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    ids = 1_400_000_000_000_000_000 + np.arange(rows)
    t0 = pd.Timestamp("2022-01-01").value // 10**9
    times = pd.to_datetime(t0 + rng.integers(0, 3e7, rows), unit="s").strftime("%Y-%m-%d %H:%M")
    texts = np.array(["New post today", "Thread 1/2\nmore below", "Read: https://t.co/x", "Hi"])
    metrics = rng.integers(0, 500, (rows, 18)).astype(float)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(ENGLISH_HEADER)
        for i in range(rows):
            w.writerow(
                [
                    str(ids[i]),
                    f"https://twitter.com/acme/status/{ids[i]}",
                    texts[i % 4],
                    times[i] + " +0000",
                    *map(str, metrics[i]),
                    *["-"] * 18,
                ]
            )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "tweet_activity_metrics_acme_20220101_20221231_en.csv"
        make_file(path, ROWS)
        size = path.stat().st_size / 2**20
        base, ours = compare(BASELINE, SOCIALKIT, path, repeat=5)
        from socialkit.loaders.x_analytics import read_x_analytics

        frame_mb = read_x_analytics(path)[0].data.memory_usage(deep=True).sum() / 2**20
    report(
        f"X tweet-activity export: {ROWS:,} rows, {size:.0f} MiB",
        ROWS,
        base,
        ours,
        frame_mb,
        "read_x_analytics",
    )


if __name__ == "__main__":
    main()
