"""Engagement per post: interactions, rates on a named basis, the Kaushik rates.

Definitions (every report names the one it used):

* **interactions** = reactions + comments + shares of a post (saves and
  clicks are not counted: few exports have them, and benchmark reports such
  as Rival IQ's count only likes/reactions, comments and shares). Missing
  counts are left out of the sum; a post with none of the three is NA.
* **engagement rate by reach** = interactions ÷ reach (people who saw it).
* **engagement rate by impressions** = interactions ÷ impressions.
* **engagement rate by followers** = interactions ÷ followers when posted —
  the definition of the published industry benchmarks (Rival IQ) and of the
  competitor figures in client.yaml.
* **amplification**, **applause**, **conversation** rate = shares,
  reactions, comments per post ÷ followers (Kaushik, 2011, "Best Social Media
  Metrics").
* **relative engagement** = a post's interactions ÷ the median interactions
  of the same client's posts on the same platform. It compares posts across
  platforms of very different scale (a TikTok and a LinkedIn post), so format,
  timing and trend metrics are not driven by the platform mix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkit.metrics.stats import median_ci
from socialkit.schema import PLATFORMS

__all__ = [
    "BASES",
    "interactions",
    "engagement_rate",
    "choose_basis",
    "kaushik_rates",
    "followers_at_post",
    "relative_to_group_median",
    "platform_engagement",
]

#: Engagement-rate bases, in order of preference.
BASES = ("reach", "impressions", "followers")
#: A basis is used for a platform when at least this share of its posts has it.
BASIS_COVERAGE = 0.8


def _f(series) -> np.ndarray:
    """Nullable counts → float array with NaN."""
    if not pd.api.types.is_numeric_dtype(series.dtype):
        series = pd.to_numeric(series, errors="coerce")
    return series.to_numpy(dtype=float, na_value=np.nan)


def interactions(posts: pd.DataFrame) -> np.ndarray:
    """reactions + comments + shares per post (known parts only; NaN when none known).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"reactions": pd.array([10, None, None], dtype="Int64"),
    ...                   "comments": pd.array([2, 3, None], dtype="Int64"),
    ...                   "shares": pd.array([1, None, None], dtype="Int64")})
    >>> interactions(p).tolist()
    [13.0, 3.0, nan]
    """
    total, known = None, None
    for c in ("reactions", "comments", "shares"):
        part = _f(posts[c])
        has = ~np.isnan(part)
        if total is None:
            total, known = np.where(has, part, 0.0), has
        else:
            total += np.where(has, part, 0.0)
            known |= has
    total[~known] = np.nan
    return total


def engagement_rate(posts: pd.DataFrame, basis: str, followers=None) -> np.ndarray:
    """Interactions ÷ ``basis`` per post; NaN where the basis is missing or 0.

    Parameters
    ----------
    posts : DataFrame
        Canonical posts.
    basis : {'reach', 'impressions', 'followers'}
    followers : array-like, optional
        Followers at post time (default: the ``followers`` column).
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}; got {basis!r}.")
    denom = (
        _f(posts[basis])
        if basis != "followers" or followers is None
        else np.asarray(followers, dtype=float)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, interactions(posts) / denom, np.nan)


def choose_basis(posts: pd.DataFrame, keys: list[str], followers=None) -> pd.Series:
    """Per group of ``keys`` (e.g. client and platform): the first basis of
    :data:`BASES` that at least 80 % of its posts have (positive); NA if none."""
    cover = {}
    for b in BASES:
        d = (
            _f(posts[b])
            if b != "followers" or followers is None
            else np.asarray(followers, dtype=float)
        )
        cover[b] = pd.Series(d > 0, index=posts.index)
    frame = pd.DataFrame(cover)
    for k in keys:
        frame[k] = posts[k].to_numpy()
    share = frame.groupby(keys, observed=True, sort=True)[list(BASES)].mean()
    pick = pd.Series(pd.NA, index=share.index, dtype="string")
    for b in reversed(BASES):
        pick = pick.mask(share[b] >= BASIS_COVERAGE, b)
    return pick


def kaushik_rates(posts: pd.DataFrame, followers=None) -> pd.DataFrame:
    """Amplification, applause and conversation rate per post (per follower)."""
    f = _f(posts["followers"]) if followers is None else np.asarray(followers, dtype=float)
    f = np.where(f > 0, f, np.nan)
    return pd.DataFrame(
        {
            "amplification": _f(posts["shares"]) / f,
            "applause": _f(posts["reactions"]) / f,
            "conversation": _f(posts["comments"]) / f,
        },
        index=posts.index,
    )


def followers_at_post(posts: pd.DataFrame, followers: pd.DataFrame, by=("platform",)) -> np.ndarray:
    """Audience size when each post was published.

    The post's own ``followers`` value when present; otherwise the latest
    ``followers`` table value of the same ``by`` group on or before the post's
    day (or the first later one, within 7 days). NaN when neither is known.
    """
    own = _f(posts["followers"])
    need = np.isnan(own)
    if not need.any() or followers.empty or followers["followers"].isna().all():
        return own
    by = list(by)
    left = posts.loc[need, by].copy()
    left["_t"] = posts.loc[need, "published_at"].dt.tz_convert("UTC").dt.tz_localize(None)
    left["_t"] = left["_t"].astype("datetime64[ns]")
    left["_i"] = np.flatnonzero(need)
    right = followers.loc[followers["followers"].notna(), by + ["date", "followers"]].copy()
    right["_t"] = pd.to_datetime(right["date"]).astype("datetime64[ns]") + pd.Timedelta(days=1)
    right["_f"] = _f(right["followers"])
    right = right.drop(columns=["date", "followers"])
    for k in by:  # merge_asof needs identical key dtypes
        left[k] = left[k].astype("string")
        right[k] = right[k].astype("string")
    left = left.sort_values("_t")
    right = right.sort_values("_t")
    back = pd.merge_asof(left, right, on="_t", by=by, direction="backward")
    fwd = pd.merge_asof(
        left, right, on="_t", by=by, direction="forward", tolerance=pd.Timedelta(days=7)
    )
    value = back["_f"].to_numpy()
    value = np.where(np.isnan(value), fwd["_f"].to_numpy(), value)
    out = own.copy()
    out[back["_i"].to_numpy()] = value
    return out


def relative_to_group_median(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """``values`` ÷ the median of their group (NaN where the median is 0 or NaN).

    Examples
    --------
    >>> relative_to_group_median([1.0, 3.0, 4.0], ["a", "a", "b"]).tolist()
    [0.5, 1.5, 1.0]
    >>> relative_to_group_median([1.0, 3.0, 0.0], [0, 0, 5]).tolist()
    [0.5, 1.5, nan]
    """
    values = np.asarray(values, dtype=float)
    groups = np.asarray(groups)
    dense = (
        groups.dtype.kind in "iu" and groups.size and groups.min() >= 0
        and groups.max() < 2 * groups.size
    )  # fmt: skip
    if dense:  # small integer codes serve as categories: no hashing
        key = pd.Categorical.from_codes(groups, categories=pd.RangeIndex(int(groups.max()) + 1))
        med = pd.Series(values).groupby(key, observed=False).median().to_numpy()[groups]
    else:
        med = pd.Series(values).groupby(groups).transform("median").to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(med > 0, values / med, np.nan)


def platform_engagement(batch, weeks: int) -> pd.DataFrame:
    """Median engagement rate by followers per client and platform, recent posts only.

    Parameters
    ----------
    batch : socialkit.batch.Batch
    weeks : int
        Only posts from the last ``weeks`` weeks before each client's window
        end count.

    Returns
    -------
    DataFrame
        One row per (client, platform) with at least one rate: ``client``
        (code), ``platform``, ``n`` (posts), ``median``, ``low``, ``high``
        (distribution-free 95 % interval, :func:`~socialkit.metrics.stats.median_ci`).
    """
    recent = batch.age_days <= 7 * weeks
    med = median_ci(np.where(recent, batch.er_followers, np.nan), batch.cp)
    g = med.pop("group").astype(np.int64)
    return pd.DataFrame(
        {
            "client": g // len(PLATFORMS),
            "platform": np.asarray(PLATFORMS, dtype=object)[g % len(PLATFORMS)],
            **med,
        }
    )
