"""Posting cadence: weekly counts, regularity, gaps, posts per week."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["weekly_counts", "coefficient_of_variation", "gaps_days", "posts_per_week"]


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


def coefficient_of_variation(counts) -> float:
    """Standard deviation (ddof=0) over mean; NaN when the mean is 0."""
    arr = np.asarray(counts, dtype=float)
    mean = arr.mean() if arr.size else 0.0
    return float(arr.std() / mean) if mean > 0 else float("nan")


def gaps_days(times: pd.Series, end=None) -> pd.Series:
    """Days between consecutive timestamps (sorted), plus the gap to ``end`` if given."""
    t = times.dropna().sort_values()
    if end is not None:
        t = pd.concat([t, pd.Series([_end(end)])], ignore_index=True)
    return t.diff().dropna().dt.total_seconds().reset_index(drop=True) / 86400


def posts_per_week(posts: pd.DataFrame, end, weeks: float, by: str = "platform") -> pd.Series:
    """Posts per week in the ``weeks`` before ``end``, per value of ``by``."""
    end = _end(end)
    start = end - pd.Timedelta(days=7 * weeks)
    inside = posts[(posts["published_at"] >= start) & (posts["published_at"] < end)]
    return (inside.groupby(by, observed=True).size() / weeks).rename("posts_per_week")
