"""Content mix: format shares, diversity and the engagement lift of each format."""

from __future__ import annotations

import numpy as np

from socialkit.metrics.stats import bootstrap_reps, mix_keys, percentile_ci, segment_means
from socialkit.schema import FORMATS

__all__ = ["MIN_FORMAT_POSTS", "format_lift", "format_lift_ci", "normalized_entropy"]

#: A format needs this many posts before its lift is estimated.
MIN_FORMAT_POSTS = 5


def normalized_entropy(shares):
    """Shannon entropy of ``shares`` divided by log(number of categories used).

    1 means an even mix of the formats used, 0 a single format. With one
    format the value is 0. A 2-D array (e.g. counts per client × format)
    gives one value per row; rows need not sum to 1.

    Examples
    --------
    >>> normalized_entropy([0.5, 0.5])
    1.0
    >>> normalized_entropy([1.0])
    0.0
    >>> normalized_entropy([[3, 3, 0], [5, 0, 0]]).tolist()
    [1.0, 0.0]
    """
    a = np.asarray(shares, dtype=float)
    rows = np.atleast_2d(a)
    total = rows.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = rows / total
        h = -np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0).sum(axis=1)
        used = (rows > 0).sum(axis=1)
        out = np.where(used > 1, h / np.log(np.maximum(used, 2)), 0.0)
    return float(out[0]) if a.ndim < 2 else out


def _usable(batch) -> np.ndarray:
    """Posts with a known format and engagement: those a format lift is computed on."""
    return (batch.format >= 0) & ~np.isnan(batch.rel)


def format_lift(batch) -> dict:
    """Engagement lift of each format, per client.

    Lift of a format = mean relative engagement (interactions ÷ the median of
    the same client and platform, :attr:`Batch.rel`) of its posts ÷ that of
    the client's other posts. Posts without a format or engagement are left
    out.

    Parameters
    ----------
    batch : socialkit.batch.Batch

    Returns
    -------
    dict
        ``n`` (posts used per client), and client × format arrays (columns
        in :data:`socialkit.schema.FORMATS` order): ``count``, ``share`` of
        the client's posts and ``lift`` (NaN where a format has no posts or
        is the only one).
    """
    ok = _usable(batch)
    cnt, tot = batch.tables(batch.format, len(FORMATS), None, batch.rel, mask=ok)
    n = cnt.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_f = tot / cnt
        mean_rest = (tot.sum(axis=1, keepdims=True) - tot) / (n[:, None] - cnt)
        return {"n": n, "count": cnt, "share": cnt / n[:, None], "lift": mean_f / mean_rest}


def format_lift_ci(batch, cells, conf: float = 0.95):
    """Bootstrap intervals of :func:`format_lift` for the chosen (client, format) cells.

    Each group (the format's posts, the other posts) is resampled 400 times;
    resampling is keyed by the client and the format, so a cell gets the same
    interval alone or in any batch.

    Parameters
    ----------
    batch : socialkit.batch.Batch
    cells : ndarray of bool, shape (clients, formats)
        Where an interval is wanted; other cells stay NaN.
    conf : float
        Confidence level.

    Returns
    -------
    low, high : ndarray, shape (clients, formats)
    """
    lo = np.full(cells.shape, np.nan)
    hi = np.full(cells.shape, np.nan)
    ci_, cf_ = np.nonzero(cells)
    if ci_.size == 0:
        return lo, hi
    ok = _usable(batch)
    rel, pc, fmt = batch.rel[ok], batch.pc[ok], batch.format[ok]
    segs_in, segs_out = [], []
    for c, f in zip(ci_, cf_, strict=True):  # one pair of index arrays per cell
        a, b = np.searchsorted(pc, [c, c + 1])
        segs_in.append(a + np.flatnonzero(fmt[a:b] == f))
        segs_out.append(a + np.flatnonzero(fmt[a:b] != f))
    keys = mix_keys(batch.keys[ci_], cf_)
    reps = []
    for segs, seed in ((segs_in, 2), (segs_out, 3)):
        lengths = np.array([s.size for s in segs])
        starts = np.r_[0, np.cumsum(lengths)[:-1]]
        values = np.concatenate([rel[s] for s in segs])
        reps.append(bootstrap_reps(values, starts, lengths, segment_means, keys, seed=seed)[1])
    with np.errstate(invalid="ignore", divide="ignore"):
        low, high = percentile_ci(reps[0] / reps[1], conf)
    lo[ci_, cf_], hi[ci_, cf_] = low, high
    return lo, hi
