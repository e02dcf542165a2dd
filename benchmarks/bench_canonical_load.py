"""Benchmark: load + validate a canonical posts CSV vs a bare pyarrow CSV parse.

Prints rows/s for ``socialkit.loaders.canonical.read_canonical`` (parse, coerce
every column to its canonical type, check enums, ranges, required values and
duplicate keys, quarantine) next to the baseline ``pyarrow.csv.read_csv`` on the
same file in the same run; best of 3 fresh interpreters each. Memory: peak RSS,
and its growth during the load, over the loaded frame. ``BENCH_ROWS`` sets the
size (default 1,000,000).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _common import compare, report

ROWS = int(os.environ.get("BENCH_ROWS", 1_000_000))

# (imports, timed statement): library imports are outside the timed region for both
# (socialkit imports pyarrow.csv and pyarrow.compute lazily, on its first CSV).
BASELINE = ("import pyarrow.csv as pc", "table = pc.read_csv(sys.argv[1])")
SOCIALKIT = (
    "import pyarrow.csv, pyarrow.compute\nfrom socialkit.loaders.canonical import read_canonical",
    "r = read_canonical(sys.argv[1]); assert r.rows_in == r.rows_loaded + r.rows_quarantined",
)


def make_file(path: Path, rows: int) -> None:
    rng = np.random.default_rng(0)
    t0 = pd.Timestamp("2025-01-01", tz="UTC").value // 10**9
    frame = pd.DataFrame(
        {
            "platform": rng.choice(["instagram", "facebook", "x", "linkedin"], rows),
            "post_id": np.arange(rows).astype(str),
            "published_at": pd.to_datetime(
                t0 + rng.integers(0, 3e7, rows), unit="s", utc=True
            ).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "format": rng.choice(["image", "video", "text", "link"], rows),
            "text": rng.choice(
                [
                    "New in store today",
                    "What do you think?",
                    "Shop now: 20% off",
                    "Behind the scenes with our team",
                ],
                rows,
            ),
            "impressions": rng.integers(0, 50_000, rows),
            "reach": rng.integers(0, 40_000, rows),
            "reactions": rng.integers(0, 2_000, rows),
            "comments": rng.integers(0, 100, rows),
            "shares": rng.integers(0, 100, rows),
        }
    )
    frame.to_csv(path, index=False)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.csv"
        make_file(path, ROWS)
        size = path.stat().st_size / 2**20
        base, ours = compare(BASELINE, SOCIALKIT, path, repeat=5)
        from socialkit.loaders.canonical import read_canonical

        frame_mb = read_canonical(path).data.memory_usage(deep=True).sum() / 2**20
    report(
        f"canonical posts CSV: {ROWS:,} rows, {size:.0f} MiB",
        ROWS,
        base,
        ours,
        frame_mb,
        "read_canonical",
    )


if __name__ == "__main__":
    main()
