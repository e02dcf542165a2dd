"""Benchmark: every conversation metric over many clients' comments in one pass.

Generates ``BENCH_COMMENTS`` comments (default 5,000,000) across
``BENCH_CLIENTS`` clients (default 1,000): audience comments on posts, about
half of them answered by the brand after a log-normal delay, some replies to
replies, a sentiment score on each. In fresh interpreters it measures

* the baseline: one bare pandas ``groupby("client")["sentiment"].sum()`` over
  the same frame;
* :func:`socialkit.metrics.conversation.conversation_summary` (thread
  reconstruction, response rates, questions, negative comments, response-time
  medians with intervals and p90, returning commenters) for all clients;

and prints wall time (best of 3 fresh runs each) and peak RSS (since the frame
was read; see ``benchmarks/_common.py``) of each, and their ratio (goal ≤ 10×).
As a floor it also times the one step thread reconstruction cannot skip: looking
up each reply's parent id among the comment ids, done as the metrics do it (an
Arrow hash lookup within blocks of whole clients, on threads).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from _common import groupby_baseline, parquet_script, run_json

COMMENTS = int(os.environ.get("BENCH_COMMENTS", 5_000_000))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 1_000))
END = pd.Timestamp("2026-06-29", tz="UTC")
TEXTS = np.array(
    ["Love it!", "Where can I buy this?", "Terrible service", "ok", "When will it ship?", "Nice"],
    dtype=object,
)


def make_comments(path: Path, n: int, clients: int) -> None:
    rng = np.random.default_rng(0)
    n_aud = int(n / 1.45)  # audience comments; the rest are brand replies
    client = np.sort(rng.integers(0, clients, n_aud)).astype(np.int32)
    t = END.value - rng.integers(3600, 180 * 86400, n_aud).astype(np.int64) * 10**9
    aud = pd.DataFrame(
        {
            "client": client,
            "platform": rng.choice(["instagram", "facebook", "x"], n_aud),
            "comment_id": np.char.add("c", np.arange(n_aud).astype(str)).astype(object),
            "post_id": np.char.add("p", (client * 500 + rng.integers(0, 500, n_aud)).astype(str)),
            "parent_id": None,
            "author": np.char.add("fan", rng.zipf(1.6, n_aud).astype(str)).astype(object),
            "is_brand": False,
            "created_at": t,
            "text": TEXTS[rng.integers(0, len(TEXTS), n_aud)],
            "sentiment": rng.uniform(-1, 1, n_aud).round(3),
        }
    )
    answered = rng.random(n_aud) < 0.45
    rep = aud[answered].copy()
    rep["parent_id"] = rep["comment_id"]
    rep["comment_id"] = rep["comment_id"] + "r"
    rep["author"] = "brand"
    rep["is_brand"] = True
    rep["created_at"] = rep["created_at"] + (
        rng.lognormal(np.log(6 * 3600), 1.0, len(rep)) * 1e9
    ).astype(np.int64)
    rep["text"] = "Thanks for your message!"
    rep["sentiment"] = 0.5
    out = pd.concat([aud, rep], ignore_index=True)
    out["created_at"] = pd.to_datetime(out["created_at"], utc=True)
    out = out.sort_values(["client", "created_at"], kind="stable").reset_index(drop=True)
    out.to_parquet(path, index=False)


_OURS = parquet_script(
    """
from socialkit.metrics.conversation import conversation_summary
k = int(frame["client"].max()) + 1
t = time.perf_counter()
s = conversation_summary(frame, end=np.full(k, np.datetime64("{end}")), n_groups=k)
secs = time.perf_counter() - t
assert len(s) == k and s["eligible"].sum() > 0
print(json.dumps({{"seconds": secs, "frame_mib": frame_mib, "rss_mib": rss_mib()}}))
"""
)


_FLOOR = parquet_script(
    """
from socialkit.metrics._arrow import arrow_strings, by_block
from socialkit.metrics.conversation import _layout
import pyarrow.compute as pc
ids, pids = arrow_strings(frame["comment_id"]), arrow_strings(frame["parent_id"])
_, bounds = _layout(frame["client"].to_numpy())
t = time.perf_counter()
by_block(lambda i, p: pc.index_in(p, value_set=i), bounds, ids, pids)
print(json.dumps({"seconds": time.perf_counter() - t}))
"""
)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "comments.parquet"
        make_comments(path, COMMENTS, CLIENTS)
        rows = len(pd.read_parquet(path, columns=["client"]))
        base = run_json(groupby_baseline("sentiment"), path, repeat=3)
        ours = run_json(_OURS.format(end=END.tz_localize(None).isoformat()), path, repeat=3)
        floor = run_json(_FLOOR, path, repeat=3)
    print(
        f"conversation metrics: {rows:,} comments, {CLIENTS:,} clients "
        f"({base['frame_mib']:.0f} MiB frame)"
    )
    print(
        f"  baseline pandas groupby-sum : {base['seconds']:7.3f} s  peak RSS "
        f"{base['rss_mib']:6.0f} MiB"
    )
    print(
        f"  conversation_summary        : {ours['seconds']:7.2f} s  peak RSS "
        f"{ours['rss_mib']:6.0f} MiB  ({rows / ours['seconds']:,.0f} comments/s)"
    )
    print(
        f"  floor: parent-id lookup alone : {floor['seconds']:7.3f} s  "
        f"= {floor['seconds'] / base['seconds']:.0f}x the groupby (a step threads cannot skip)"
    )
    print(
        f"  time ratio: {ours['seconds'] / base['seconds']:.0f}x the groupby (goal <= 10x); "
        f"peak RSS ratio {ours['rss_mib'] / base['rss_mib']:.1f}x"
    )


if __name__ == "__main__":
    main()
