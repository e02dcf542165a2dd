"""Concentration of engagement in a few posts: top-share and Gini, per group."""

from __future__ import annotations

import numpy as np

from socialkit.metrics.stats import sort_within

__all__ = ["concentration", "top_share", "gini", "top_share_statistic"]


def _k(n, frac):
    return np.maximum(np.ceil(frac * n).astype(np.int64), 1)


def concentration(values, groups, frac: float = 0.05):
    """Top-``frac`` share and Gini coefficient of each group, from one sort.

    Returns
    -------
    dict of ndarray
        ``group``, ``n``, ``k``, ``share`` (see :func:`top_share`) and
        ``gini`` (see :func:`gini`).
    """
    v, g, starts, n = sort_within(values, groups, descending=True)
    k = _k(n, frac)
    r = np.arange(v.size) - np.repeat(starts, n)  # rank from the top within the group
    tot = np.add.reduceat(v, starts) if v.size else np.zeros(0)
    topsum = np.add.reduceat(np.where(r < np.repeat(k, n), v, 0), starts) if v.size else tot
    # ascending rank i (1-based) of the r-th largest is n - r
    num = np.add.reduceat((np.repeat(n, n) - r) * v, starts) if v.size else tot
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(tot > 0, topsum / tot, np.nan)
        gi = np.where(tot > 0, 2 * num / (n * tot) - (n + 1) / n, np.nan)
    return {"group": g[starts], "n": n, "k": k, "share": share, "gini": gi}


def top_share(values, groups, frac: float = 0.05):
    """Share of each group's total held by its top ``frac`` of items.

    The top set is the ceil(frac × n) largest values (at least one).

    Returns
    -------
    dict of ndarray
        ``group``, ``n``, ``k`` (items in the top set), ``share`` (NaN where
        the total is 0).

    Examples
    --------
    >>> r = top_share([10, 1, 1, 1, 1, 1, 1, 1, 1, 2], [0] * 10, 0.1)
    >>> r["k"].tolist(), round(float(r["share"][0]), 3)
    ([1], 0.5)
    """
    out = concentration(values, groups, frac)
    del out["gini"]
    return out


def gini(values, groups):
    """Gini coefficient of each group's values (0 = all equal, → 1 = one item has all).

    Examples
    --------
    >>> round(float(gini([1, 1, 1, 1], [0, 0, 0, 0])["gini"][0]), 3)
    0.0
    >>> round(float(gini([0, 0, 0, 4], [0, 0, 0, 0])["gini"][0]), 3)
    0.75
    """
    c = concentration(values, groups)
    return {"group": c["group"], "n": c["n"], "gini": c["gini"]}


def top_share_statistic(frac: float = 0.05):
    """A :func:`~socialkit.metrics.stats.bootstrap_reps` statistic: top-``frac`` share
    of each segment of each row (values must be non-negative)."""

    def stat(sample, seg_starts, seg_lengths):
        rows, total = sample.shape
        # each segment sorted on its own, values descending: one sort of segment × a bound
        # over all the segments − value rounded a segment's values by the others' largest
        vals = -sample
        for lo, size in zip(seg_starts.tolist(), seg_lengths.tolist(), strict=True):
            vals[:, lo : lo + size].sort(axis=1)
        np.negative(vals, out=vals)
        rank = np.arange(total) - np.repeat(seg_starts, seg_lengths)
        top = rank < np.repeat(_k(seg_lengths, frac), seg_lengths)
        tot = np.add.reduceat(vals, seg_starts, axis=1)
        topsum = np.add.reduceat(np.where(top[None, :], vals, 0), seg_starts, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(tot > 0, topsum / tot, np.nan)

    return stat
