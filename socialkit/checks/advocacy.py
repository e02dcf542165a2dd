"""Advocacy checks: do people pass the brand's content on?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkit.benchmarks import shares_table
from socialkit.checks._registry import not_assessable, register_check, verdict
from socialkit.findings import Evidence
from socialkit.schema import PLATFORMS

__all__ = ["low_amplification"]


@register_check("advocacy.low_amplification")
def low_amplification(batch, t):
    """Hardly anyone shares the posts.

    Notes
    -----
    Amplification rate per platform = shares per post per 1,000 followers
    (Kaushik's amplification rate), over posts with shares and followers
    known. warn when it is below ``warn`` (0.25) × the platform's benchmark
    in ``socialkit/benchmarks/shares.csv``. That table has no rows: we found
    no published shares-per-follower benchmark we could cite, so the check
    reports the client's rates and says ``not_assessable`` until a sourced
    row is added.
    """
    shares = pd.to_numeric(batch.posts.get("shares"), errors="coerce")
    s = shares.to_numpy(dtype=float, na_value=np.nan) if shares is not None else np.zeros(0)
    both = ~np.isnan(s) & (batch.fol > 0) if len(s) else np.zeros(0, dtype=bool)
    P = len(PLATFORMS)
    sum_s = batch.table(batch.platform, P, s, both)
    sum_f = batch.table(batch.platform, P, batch.fol, both)
    cnt = batch.table(batch.platform, P, mask=both)
    bench = shares_table()
    out = []
    for i in range(batch.n):
        ev = [
            Evidence(
                f"amplification rate on {PLATFORMS[j]}",
                round(float(1000 * sum_s[i, j] / sum_f[i, j]), 4),
                "shares per post per 1,000 followers",
                n=int(cnt[i, j]),
            )
            for j in np.flatnonzero(cnt[i])
        ]
        rows = bench[bench["platform"].isin([PLATFORMS[j] for j in np.flatnonzero(cnt[i])])]
        if not ev:
            out.append(
                not_assessable(
                    "No posts with both share counts and follower counts.",
                    "posts with shares and followers (or a followers export)",
                )
            )
        elif rows.empty:
            out.append(
                not_assessable(
                    "Your amplification rates are measured (see evidence), but no published "
                    "shares-per-follower benchmark is bundled to judge them against.",
                    "a sourced row in socialkit/benchmarks/shares.csv for these platforms",
                    ev,
                )
            )
        else:  # pragma: no cover - reached once a sourced benchmark row exists
            out.append(verdict("ok", "Amplification compared with the benchmark.", "", ev))
    return out
