"""Post features known before publication, and the log engagement-rate target.

Every feature can be computed from a canonical ``posts`` table at the moment
of posting — nothing that depends on the post's own results — so a model on
them answers "what kind of post tends to do well", not "which post did well".

========================  =====  ===============================================
feature                   kind   definition
========================  =====  ===============================================
``format``                cat    canonical format (image, video, link, …)
``platform``              cat    network (only informative for multi-platform
                                 clients)
``weekday``               cat    day of the week, Monday = 0, in ``timezone``
``hour``                  num    hour of the day 0–23, in ``timezone``
``hour_of_week``          num    weekday × 24 + hour (lets trees find a slot
                                 such as "Friday evening")
``paid``                  num    1 promoted, 0 organic, missing when unknown
``text_length``           num    characters of post copy (0 when empty)
``has_question``          num    1 when the copy asks something
                                 (:func:`socialkit.metrics.questions.is_question`)
``promotional``           num    1 when the copy has a hard-sell phrase
                                 (:func:`socialkit.metrics.text.is_promotional`)
``has_link``              num    1 when the copy contains a URL
``hashtags``              num    number of ``#tags``
``mentions``              num    number of ``@mentions``
========================  =====  ===============================================

A column the export does not have gives a missing feature (NaN, or the
category ``"unknown"``), never a made-up 0: the model's gradient boosting
handles missing values natively, and a feature that is missing for every
post carries no information and scores zero importance.

Target
------
``log_rate`` = ln((interactions + 0.5) ÷ basis), where interactions is
reactions + comments + shares and basis is the engagement-rate denominator
chosen per platform by :func:`socialkit.metrics.engagement.choose_basis`
(reach, else impressions, else followers when posted). The 0.5 is the usual
continuity correction so a post with no interactions has a finite value.
Because the basis can differ between platforms, ``platform`` is always a
feature.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from socialkit.metrics._arrow import arrow_strings
from socialkit.metrics.engagement import _f, choose_basis, interactions
from socialkit.metrics.questions import is_question
from socialkit.metrics.text import is_promotional

__all__ = ["CATEGORICAL", "NUMERIC", "FEATURES", "post_features", "log_rate"]

CATEGORICAL = ["format", "platform", "weekday"]
#: Features read from the post copy.
TEXT = ["text_length", "has_question", "promotional", "has_link", "hashtags", "mentions"]
NUMERIC = ["hour", "hour_of_week", "paid", *TEXT]
FEATURES = CATEGORICAL + NUMERIC
#: Continuity correction added to interactions before taking logs.
CONTINUITY = 0.5
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _count(arr, pattern: str) -> np.ndarray:
    return pc.count_substring_regex(arr, pattern).fill_null(0).to_numpy(zero_copy_only=False)


def post_features(posts: pd.DataFrame, timezone: str = "UTC") -> pd.DataFrame:
    """The model's input table, one row per post (same index as ``posts``).

    Parameters
    ----------
    posts : DataFrame
        Canonical posts; any column other than ``published_at`` may be absent.
    timezone : str
        IANA zone for weekday and hour (the audience's local time).

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"published_at": pd.to_datetime(["2026-03-02 18:30"], utc=True),
    ...                   "text": ["Which #cake wins? @ana https://x.co"]})
    >>> f = post_features(p, timezone="Europe/Lisbon")
    >>> f.loc[0, "format"], f.loc[0, "weekday"], int(f.loc[0, "hour"])
    ('unknown', 'Mon', 18)
    >>> f.loc[0, ["has_question", "hashtags", "mentions", "has_link"]].astype(int).tolist()
    [1, 1, 1, 1]
    """
    if "published_at" not in posts:
        raise ValueError("post_features needs a 'published_at' column (canonical posts).")
    local = pd.to_datetime(posts["published_at"], utc=True).dt.tz_convert(timezone)
    out = pd.DataFrame(index=posts.index)
    for col in ("format", "platform"):
        values = (
            posts[col].astype("string") if col in posts else pd.Series(pd.NA, index=posts.index)
        )
        out[col] = values.fillna("unknown").astype(str)
    out["weekday"] = np.asarray(WEEKDAYS, dtype=object)[local.dt.day_of_week.to_numpy()]
    out["hour"] = local.dt.hour.to_numpy()
    out["hour_of_week"] = local.dt.day_of_week.to_numpy() * 24 + out["hour"]
    if "paid" in posts:
        out["paid"] = pd.to_numeric(posts["paid"].astype("boolean"), errors="coerce").astype(float)
    else:
        out["paid"] = np.nan
    if "text" in posts and posts["text"].notna().any():
        arr = arrow_strings(posts["text"])
        known = posts["text"].notna().to_numpy()
        text_cols = {
            "text_length": pc.utf8_length(arr).fill_null(0).to_numpy(zero_copy_only=False),
            "has_question": is_question(posts["text"]),
            "promotional": is_promotional(posts["text"]),
            "has_link": _count(arr, r"(?i)https?://|www\.") > 0,
            "hashtags": _count(arr, r"(?:^|\s)#\w"),
            "mentions": _count(arr, r"(?:^|\s)@\w"),
        }
        for name, values in text_cols.items():
            out[name] = np.where(known, np.asarray(values, dtype=float), np.nan)
    else:
        for name in TEXT:
            out[name] = np.nan
    return out[FEATURES]


def log_rate(posts: pd.DataFrame, followers=None) -> tuple[np.ndarray, pd.Series]:
    """ln((interactions + 0.5) ÷ basis) per post, and the basis used per platform.

    Posts whose platform has no usable basis, or whose interactions or basis
    are unknown, get NaN.

    Parameters
    ----------
    posts : DataFrame
        Canonical posts.
    followers : array-like, optional
        Followers when posted, per post (default: the ``followers`` column).

    Returns
    -------
    target : ndarray of float
    basis : Series
        Basis name per platform (NA where none).
    """
    counts = ["reach", "impressions", "followers", "reactions", "comments", "shares"]
    missing = {
        c: pd.Series(pd.NA, index=posts.index, dtype="Int64") for c in counts if c not in posts
    }
    platform = (
        posts["platform"].astype("string").fillna("unknown")
        if "platform" in posts
        else pd.Series("unknown", index=posts.index, dtype="string")
    )
    posts = posts.assign(platform=platform, **missing)
    basis = choose_basis(posts, ["platform"], followers)
    inter = interactions(posts)
    denom = np.full(len(posts), np.nan)
    for name, b in basis.dropna().items():
        rows = (platform == name).to_numpy()
        if b == "followers" and followers is not None:
            d = np.asarray(followers, dtype=float)[rows]
        else:
            d = _f(posts.loc[rows, b])
        denom[rows] = np.where(d > 0, d, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log((inter + CONTINUITY) / denom), basis
