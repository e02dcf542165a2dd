"""How long a post's lifetime counts take to settle, measured in the export itself.

A post's interactions keep growing for days after it is published. A model
trained up to a date, and tested on the posts after it, must not learn from
posts whose counts were still growing when the test period began — in real
use it could not have seen their final counts. The drivers model therefore
leaves an *embargo gap* between each training period and its test period:
training posts end ``gap`` before the first test post.

The gap is read from the data. The youngest posts of the export (by age at
its last post) are compared with posts of the same platform that are old
enough to have settled (28 to 84 days old): a bin of young posts whose
interactions fall short of those — median log shortfall above ``ln 1.2``
and a one-sided Mann-Whitney p < 0.05 — has not settled. The gap is the
upper edge of the oldest such bin, at least :data:`MIN_GAP_DAYS`. When too
few young or settled posts exist to tell, :data:`DEFAULT_GAP_DAYS` is used,
and the evidence line says so.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["settle_days", "MIN_GAP_DAYS", "DEFAULT_GAP_DAYS"]

#: Age bins (upper edges, days) searched for posts still growing.
EDGES = (1, 2, 3, 5, 7, 10, 14, 21, 28)
#: Settled reference: posts this many days old (from, to).
SETTLED = (28, 84)
#: Shortest gap: posts of the same day share news and campaigns.
MIN_GAP_DAYS = 1
#: Gap used when the data cannot tell (a week).
DEFAULT_GAP_DAYS = 7
MIN_BIN = 5
MIN_SETTLED = 20
SHORTFALL = math.log(1.2)


def settle_days(times, interactions, platform=None) -> tuple[int, str]:
    """Days until lifetime interaction counts settle, and the evidence in words.

    Parameters
    ----------
    times : array-like of datetime64 or Timestamp
        Publication times.
    interactions : array-like of float
        Lifetime interactions per post (NaN allowed).
    platform : array-like, optional
        Platform per post (counts are compared within platform).

    Returns
    -------
    (days, evidence) : tuple of int and str

    Examples
    --------
    >>> t = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(np.arange(0, 90, 0.5), "D")
    >>> n = np.where(t > t.max() - pd.Timedelta(days=3), 10.0, 100.0)
    >>> settle_days(t, n)[0]
    3
    """
    t = pd.to_datetime(pd.Series(np.asarray(times)), utc=True)
    counts = np.log(np.asarray(interactions, dtype=float) + 0.5)
    plat = pd.Series(np.asarray(platform) if platform is not None else np.zeros(len(t)))
    age = ((t.max() - t).dt.total_seconds() / 86_400).to_numpy()
    ok = np.isfinite(counts)
    settled = ok & (age >= SETTLED[0]) & (age < SETTLED[1])
    if settled.sum() < MIN_SETTLED:
        return DEFAULT_GAP_DAYS, (
            f"a {DEFAULT_GAP_DAYS}-day gap assumed: only {int(settled.sum())} posts are "
            f"{SETTLED[0]}–{SETTLED[1]} days old, too few to measure how long counts grow"
        )
    ref = pd.Series(counts[settled]).groupby(plat[settled].to_numpy()).median()
    centre = plat.map(ref).to_numpy(dtype=float)
    resid = counts - centre
    known = ok & np.isfinite(centre)
    reference = resid[settled & known]
    gap, lo, judged, young = MIN_GAP_DAYS, 0, 0, int((known & (age < EDGES[-1])).sum())
    for hi in EDGES:  # bins of young posts, a bin grows until it holds MIN_BIN posts
        inside = known & (age >= lo) & (age < hi)
        if inside.sum() < MIN_BIN:
            continue
        judged += int(inside.sum())
        short = np.median(reference) - np.median(resid[inside])
        p = stats.mannwhitneyu(resid[inside], reference, alternative="less").pvalue
        if short > SHORTFALL and p < 0.05:
            gap = max(gap, hi)
        lo = hi
    if judged < MIN_BIN:
        return DEFAULT_GAP_DAYS, (
            f"a {DEFAULT_GAP_DAYS}-day gap assumed: only {young} posts are under "
            f"{EDGES[-1]} days old at the last post, too few to measure how long counts grow"
        )
    if gap == MIN_GAP_DAYS:
        return gap, (
            f"a {gap}-day gap: the {young} posts under {EDGES[-1]} days old at the last post "
            "show no shortfall in interactions against settled posts of the same platform"
        )
    return gap, (
        f"a {gap}-day gap: posts younger than {gap} days at the last post still have fewer "
        "interactions than settled posts of the same platform (more than 20 % fewer, "
        "Mann-Whitney p < 0.05)"
    )
