"""Posting cadence: weekly counts, regularity, gaps, posts per week."""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkit.schema import PLATFORMS

__all__ = [
    "weekly_counts",
    "weekly_post_counts",
    "coefficient_of_variation",
    "longest_gap_days",
    "posts_per_week",
]


def _end(end) -> pd.Timestamp:
    end = pd.Timestamp(end)
    return end.tz_localize("UTC") if end.tzinfo is None else end.tz_convert("UTC")


def weekly_counts(posts: pd.DataFrame, end, weeks: int, by: str | None = None) -> pd.DataFrame:
    """Posts per 7-day bin, counted backwards from ``end``, zeros included.

    Parameters
    ----------
    posts : DataFrame
        Canonical posts (uses ``published_at`` and ``by``).
    end : timestamp-like
        Exclusive end of the last bin (e.g. the day after the last data day).
        Naive values are UTC.
    weeks : int
        Number of whole 7-day bins; posts before the first bin are ignored.
    by : str, optional
        Column to split counts by (e.g. ``'platform'``): one column per value.

    Returns
    -------
    DataFrame
        Index: bin start (UTC), ``weeks`` rows. Columns: ``posts`` or one per
        value of ``by``.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be a positive integer; got {weeks!r}.")
    end = _end(end)
    starts = pd.date_range(end=end - pd.Timedelta(days=7), periods=weeks, freq="7D")
    age = (end - posts["published_at"]).dt.total_seconds().to_numpy() / (7 * 86400)
    idx = weeks - np.ceil(age)  # bin k covers [start_k, start_k + 7 days)
    inside = (idx >= 0) & (idx < weeks) & ~np.isnan(idx)
    bins = idx[inside].astype(int)
    if by is None:
        counts = np.bincount(bins, minlength=weeks)
        return pd.DataFrame({"posts": counts}, index=starts)
    keys = posts.loc[inside, by].astype("string").fillna("unknown").to_numpy()
    table = pd.crosstab(bins, keys).reindex(range(weeks), fill_value=0)
    table.index = starts
    table.columns.name = None
    return table


def weekly_post_counts(batch, weeks) -> np.ndarray:
    """Posts per client and 7-day bin counted back from each client's window end.

    Parameters
    ----------
    batch : Batch
    weeks : array of int
        Bins to count per client; later columns of a row are 0.

    Returns
    -------
    ndarray, shape (clients, max(weeks))
        Column 0 is the last 7 days before the window end, column 1 the week
        before, and so on (same bins as :func:`weekly_counts`).
    """
    weeks = np.asarray(weeks, dtype=np.int64)
    width = int(max(weeks.max(initial=0), 1))
    inside = batch.week < weeks[batch.pc]
    return batch.table(batch.week, width, mask=inside)


def coefficient_of_variation(counts, weeks=None) -> np.ndarray | float:
    """Standard deviation (ddof=0) over mean; NaN when the mean is 0.

    With 2-D ``counts`` and ``weeks``: per row, over its first ``weeks[i]`` columns.
    """
    arr = np.asarray(counts, dtype=float)
    if weeks is None:
        mean = arr.mean() if arr.size else 0.0
        return float(arr.std() / mean) if mean > 0 else float("nan")
    weeks = np.asarray(weeks, dtype=float)
    valid = np.arange(arr.shape[1])[None, :] < weeks[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(valid, arr, 0).sum(axis=1) / weeks
        var = np.where(valid, (arr - mean[:, None]) ** 2, 0).sum(axis=1) / weeks
        return np.where(mean > 0, np.sqrt(var) / mean, np.nan)


def longest_gap_days(batch) -> np.ndarray:
    """Per client: the longest gap in days between consecutive posts or from the
    last post to the window end (NaN without posts)."""
    out = np.full(batch.n, np.nan)
    if batch.posts.empty:
        return out
    has = batch.n_posts > 0
    last = batch.p_starts[1:][has] - 1
    out[has] = (batch.end_ns[has] - batch.t_ns[last]) / 86400e9
    same = batch.pc[1:] == batch.pc[:-1]
    gaps = np.diff(batch.t_ns)[same] / 86400e9
    np.fmax.at(out, batch.pc[1:][same], gaps)
    return out


def posts_per_week(batch, weeks) -> np.ndarray:
    """Posts per week per client and platform in the last ``weeks[i]`` weeks.

    Returns
    -------
    ndarray, shape (clients, len(PLATFORMS))
    """
    weeks = np.asarray(weeks, dtype=float)
    inside = batch.age_days <= 7 * weeks[batch.pc]
    counts = batch.table(batch.platform, len(PLATFORMS), mask=inside)
    with np.errstate(invalid="ignore", divide="ignore"):
        return counts / weeks[:, None]
