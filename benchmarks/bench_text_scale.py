"""Benchmark: the three text checks on a million posts, repeating and all-distinct texts.

``content.hard_sell``, ``content.self_focus`` and ``platform.cross_post_copies``
run through :func:`socialkit.checks.run_batch` on ``BENCH_POSTS`` posts (default
1,000,000) of ``BENCH_CLIENTS`` clients (default 200), 4 platforms over 26
weeks, texts of 5-29 words from a long-tailed vocabulary
(``_common.zipf_texts``), in two cases:

* **repeating**: ``BENCH_POSTS / 50`` distinct texts (20,000 for a million
  posts), each client posting ``1/50`` of its posts' number of them, so every
  text recurs about 50 times in its client, across platforms;
* **all-distinct**: every post has its own text.

Each case runs in a fresh interpreter; the figure is posts per second for all
three checks together (goal >= 100,000), with each check's own time.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _common import parquet_script, run_json, zipf_texts

from socialkit.schema import PLATFORMS

CLIENTS = int(os.environ.get("BENCH_CLIENTS", 200))
POSTS = int(os.environ.get("BENCH_POSTS", 1_000_000))
END = pd.Timestamp("2026-06-29", tz="UTC")
CHECKS = ["content.hard_sell", "content.self_focus", "platform.cross_post_copies"]


def make_posts(path: Path, repeating: bool) -> None:
    rng = np.random.default_rng(0)
    client = np.sort(rng.integers(0, CLIENTS, POSTS)).astype(np.int32)
    t = END.value - rng.integers(3600, 182 * 86400, POSTS) * 10**9
    t = t[np.lexsort((t, client))]
    if repeating:
        pool = zipf_texts(max(POSTS // 50, 1))
        per = max(POSTS // CLIENTS // 50, 1)  # texts of one client
        pick = (client.astype(np.int64) * per + rng.integers(0, per, POSTS)) % len(pool)
        text = pool.take(pick)
    else:
        text = zipf_texts(POSTS)
    pd.DataFrame(
        {
            "platform": pd.Categorical(
                rng.choice(["instagram", "facebook", "x", "linkedin"], POSTS), categories=PLATFORMS
            ),
            "post_id": np.char.add("p", np.arange(POSTS).astype(str)).astype(object),
            "published_at": pd.to_datetime(t, utc=True),
            "text": pd.Series(text.to_pandas(types_mapper=pd.ArrowDtype), dtype="string"),
            "reactions": rng.integers(0, 200, POSTS).astype(float),
            "client": client,
        }
    ).to_parquet(path, index=False)


_RUN = parquet_script(
    """
from socialkit.batch import Batch, ClientMeta
from socialkit.checks import run_batch
from socialkit.profile import parse_profile
from socialkit.schema import empty_table
end = pd.Timestamp("{end}")
profile = parse_profile({{"name": "c", "industry": "food_beverage", "objective": "engagement",
    "platforms": ["instagram", "facebook", "x", "linkedin"]}})
meta = [ClientMeta(f"client {{i}}", profile, end.date(), end, {{}}, f"c-{{i}}")
        for i in range({clients})]
def empty(name):
    return empty_table(name).assign(client=pd.Series([], dtype="int32"))
batch = Batch(meta, frame, empty("followers"), empty("comments"))
each = {{}}
t0 = time.perf_counter()
for cid in {checks}:
    t = time.perf_counter()
    found = run_batch(batch, [cid])
    each[cid] = time.perf_counter() - t
secs = time.perf_counter() - t0
errors = sum("internal error" in f.message for fs in found for f in fs)
print(json.dumps({{"seconds": secs, "each": each, "errors": errors}}))
"""
)


def main() -> None:
    print(f"text checks: {POSTS:,} posts, {CLIENTS} clients (goal >= 100,000 posts/s each case)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, repeating in (("repeating", True), ("all-distinct", False)):
            path = Path(tmp) / f"{name}.parquet"
            make_posts(path, repeating)
            r = run_json(_RUN.format(end=END.isoformat(), clients=CLIENTS, checks=CHECKS), path)
            parts = ", ".join(f"{c.split('.')[1]} {s:.2f} s" for c, s in r["each"].items())
            print(
                f"  {name:12}: {r['seconds']:6.2f} s = {POSTS / r['seconds']:10,.0f} posts/s "
                f"({parts}){'  ! errors' if r['errors'] else ''}"
            )


if __name__ == "__main__":
    main()
