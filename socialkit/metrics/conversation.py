"""Conversation metrics: threads, replies, response times, returning commenters.

Thread reconstruction (:func:`reply_threads`)
---------------------------------------------
Comments are linked to their parent by (``client``, ``platform``,
``parent_id`` → ``comment_id``); following parents to the top gives each
comment its thread root. A reply whose parent is not in the table is an
*orphan*: it starts its own thread and is counted. A parent chain that loops
(bad data) is cut: each comment of the loop becomes its own root.

An audience comment (``is_brand`` not true) is *answered* when the brand
wrote either a direct reply to it, or any comment later in the same thread
(on Facebook and Instagram replies hang under the top-level comment, so the
brand's reply to a follow-up in a thread is seen by everyone in it; in a
customer-care chain the next brand tweet answers the customer's last one).
Its *first response time* is the time from the comment to the earliest such
brand comment. A direct reply stamped *before* the comment it answers
(clock or export error) still makes the comment answered, but gives no
response time; such replies are counted (``early_replies``).

Censoring: a comment written shortly before the data ends may still get its
reply. Comments younger than ``censor_hours`` (default 72 h, the
``conversation.slow_response.fail`` threshold) at the end of the data are
left out of response rates and times, and counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from socialkit._graph import roots
from socialkit.metrics._arrow import arrow_strings
from socialkit.metrics.questions import is_question
from socialkit.metrics.stats import median_ci, wilson_ci

__all__ = [
    "CENSOR_HOURS",
    "reply_threads",
    "conversation_summary",
    "commenters",
    "business_hours_between",
]

#: Comments this young at the end of the data are not yet judged (hours).
CENSOR_HOURS = 72.0
_NS_H = 3600 * 10**9
_INF = np.iinfo(np.int64).max


def _group_codes(comments: pd.DataFrame) -> np.ndarray:
    if "client" in comments:
        return comments["client"].to_numpy(dtype=np.int64)
    return np.zeros(len(comments), dtype=np.int64)


def _lookup_parents(comments: pd.DataFrame) -> np.ndarray:
    """Row position of each comment's parent (-1: top level or not found).

    Ids are unique within a client and platform only, so the lookup key is
    "client-platform scope + id", hashed by Arrow.
    """
    n = len(comments)
    if "parent_id" not in comments or n == 0:
        return np.full(n, -1, dtype=np.int64)
    plat = pd.factorize(comments["platform"].astype("string").fillna(""))[0].astype(np.int64)
    scope = pa.array(_group_codes(comments) * (int(plat.max(initial=0)) + 1) + plat).cast(
        pa.string()
    )
    own = pc.binary_join_element_wise(scope, arrow_strings(comments["comment_id"]), "\x1f")
    want = pc.binary_join_element_wise(scope, arrow_strings(comments["parent_id"]), "\x1f")
    parent = pc.index_in(want, value_set=own).fill_null(-1).to_numpy().astype(np.int64)
    parent[parent == np.arange(n)] = -1  # a comment cannot answer itself
    return parent


def reply_threads(comments: pd.DataFrame) -> pd.DataFrame:
    """Thread root and brand first reply of every comment.

    Parameters
    ----------
    comments : DataFrame
        Canonical comments; an optional int ``client`` column keeps clients
        apart (a batch).

    Returns
    -------
    DataFrame
        Aligned with ``comments`` (same index): ``parent`` and ``root`` (row
        positions), ``orphan`` (names a parent that is not in the table),
        ``audience`` (not written by the brand), ``answered``,
        ``first_reply_at`` (UTC, NaT when none), ``response_hours`` (NaN
        when unanswered or the reply is stamped earlier), ``early_reply``.
    """
    n = len(comments)
    parent = _lookup_parents(comments)
    has_pid = (
        comments["parent_id"].astype("string").fillna("").ne("").to_numpy()
        if "parent_id" in comments
        else np.zeros(n, dtype=bool)
    )
    orphan = has_pid & (parent < 0)
    root = roots(parent)

    brand = comments["is_brand"].fillna(False).to_numpy(dtype=bool)
    t = pd.DatetimeIndex(comments["created_at"]).as_unit("ns").asi8.copy()
    t_ok = ~pd.isna(comments["created_at"]).to_numpy()
    t[~t_ok] = _INF

    # direct replies: earliest brand child per parent
    direct = np.full(n, _INF, dtype=np.int64)
    kids = brand & (parent >= 0) & t_ok
    np.minimum.at(direct, parent[kids], t[kids])
    # later brand comments in the same thread: reverse running minimum per root
    order = np.lexsort((t, root))
    bt = np.where(brand & t_ok, t, _INF)[order]
    r_sorted = root[order]
    nxt_brand = pd.Series(bt[::-1]).groupby(r_sorted[::-1]).cummin().to_numpy()[::-1] if n else bt
    later = np.empty(n, dtype=np.int64)
    later[order] = nxt_brand
    audience = ~brand
    after = np.minimum(np.where(direct >= t, direct, _INF), later)
    after[~(audience & t_ok)] = _INF
    early = audience & t_ok & (after == _INF) & (direct < t)
    answered = audience & ((after < _INF) | early)
    hours = np.where(after < _INF, (after - t) / _NS_H, np.nan)
    first = np.where(after < _INF, after, np.where(early, direct, np.iinfo(np.int64).min))
    return pd.DataFrame(
        {
            "parent": parent,
            "root": root,
            "orphan": orphan,
            "audience": audience,
            "answered": answered,
            "first_reply_at": pd.DatetimeIndex(first.view("M8[ns]")).tz_localize("UTC"),
            "response_hours": hours,
            "early_reply": early,
        },
        index=comments.index,
    )


def conversation_summary(
    comments: pd.DataFrame,
    sentiment=None,
    *,
    negative: float = -0.3,
    end=None,
    n_groups: int | None = None,
    censor_hours: float = CENSOR_HOURS,
    threads: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per client (``client`` column, else one group): the conversation in numbers.

    Parameters
    ----------
    comments : DataFrame
        Canonical comments, optionally with an int ``client`` column.
    sentiment : array-like of float, optional
        Score per comment (default: the ``sentiment`` column); NaN = unknown.
    negative : float, default -0.3
        A comment is negative when its sentiment is ≤ this.
    end : array-like of datetime64 or Timestamp, optional
        End of each group's data (default: its latest comment); comments
        younger than ``censor_hours`` at that end are not judged.
    n_groups : int, optional
        Number of groups (rows of the result; default: max code + 1).
    threads : DataFrame, optional
        :func:`reply_threads` of ``comments`` when already computed.

    Returns
    -------
    DataFrame
        One row per group: ``comments``, ``audience``, ``brand``,
        ``brand_replies``; judged audience comments ``eligible``,
        ``answered`` and their Wilson 95 % interval ``rate_low/high``;
        ``questions``/``answered_questions``; ``with_sentiment``,
        ``negative``/``answered_negative``, ``rest``/``answered_rest``;
        response times ``timed``, ``median_hours`` with its order-statistic
        95 % interval, ``p90_hours``; ``censored``, ``orphans``,
        ``early_replies``; ``commenters``, ``returning`` (commenters on ≥ 2
        posts), ``top_commenter_share`` (share of audience comments by the
        most active 1 % of commenters, at least one).
    """
    g = _group_codes(comments)
    k = int(n_groups if n_groups is not None else (g.max(initial=-1) + 1))
    th = reply_threads(comments) if threads is None else threads
    if sentiment is not None:
        s = np.asarray(sentiment, dtype=float)
    elif "sentiment" in comments:
        s = pd.to_numeric(comments["sentiment"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )
    else:
        s = np.full(len(comments), np.nan)
    t = pd.DatetimeIndex(comments["created_at"]).as_unit("ns").asi8
    if end is None:
        last = np.full(k, np.iinfo(np.int64).min)
        np.maximum.at(last, g, t)
        end_ns = last
    else:
        end_ns = pd.DatetimeIndex(pd.to_datetime(np.asarray(end), utc=True)).as_unit("ns").asi8
    aud = th["audience"].to_numpy()
    ans = th["answered"].to_numpy()
    young = aud & (t > end_ns[g] - int(censor_hours * _NS_H)) if len(g) else aud
    elig = aud & ~young
    q = is_question(comments["text"]) if "text" in comments else np.zeros(len(g), dtype=bool)
    neg = s <= negative
    known = ~np.isnan(s)
    brand = ~aud

    def count(mask):
        return np.bincount(g[mask], minlength=k)

    out = pd.DataFrame(
        {
            "comments": count(np.ones(len(g), dtype=bool)),
            "audience": count(aud),
            "brand": count(brand),
            "brand_replies": count(brand & (th["parent"].to_numpy() >= 0)),
            "eligible": count(elig),
            "answered": count(elig & ans),
            "questions": count(elig & q),
            "answered_questions": count(elig & q & ans),
            "with_sentiment": count(elig & known),
            "negative": count(elig & neg),
            "answered_negative": count(elig & neg & ans),
            "rest": count(elig & known & ~neg),
            "answered_rest": count(elig & known & ~neg & ans),
            "censored": count(young),
            "orphans": count(th["orphan"].to_numpy()),
            "early_replies": count(elig & th["early_reply"].to_numpy()),
        }
    )
    lo, hi = wilson_ci(out["answered"], out["eligible"])
    out["rate_low"], out["rate_high"] = lo, hi
    hours = np.where(elig, th["response_hours"].to_numpy(), np.nan)
    med = median_ci(hours, g)
    out["timed"] = 0
    for col in ("median_hours", "median_low", "median_high", "p90_hours"):
        out[col] = np.nan
    if len(med["group"]):
        out.loc[med["group"], "timed"] = med["n"]
        out.loc[med["group"], "median_hours"] = med["median"]
        out.loc[med["group"], "median_low"] = med["low"]
        out.loc[med["group"], "median_high"] = med["high"]
        p90 = pd.Series(hours).groupby(g).quantile(0.9).dropna()
        out.loc[p90.index.to_numpy(), "p90_hours"] = p90.to_numpy()
    out[["commenters", "returning", "top_commenter_share"]] = _community(comments, aud, g, k)
    return out


def commenters(comments: pd.DataFrame) -> pd.DataFrame:
    """The community view: who comments, on how many posts, how often, since when.

    Parameters
    ----------
    comments : DataFrame
        Canonical comments (authors already pseudonymised by the loader).

    Returns
    -------
    DataFrame
        One row per audience commenter (platform, author), most active
        first: ``comments``, ``posts`` (distinct posts commented on),
        ``first_seen``, ``last_seen``, ``returning`` (on ≥ 2 posts) and
        ``answered_share`` (share of their comments the brand answered).

    Examples
    --------
    >>> c = pd.DataFrame({"platform": ["x"] * 3, "comment_id": ["1", "2", "3"],
    ...     "post_id": ["a", "b", "b"], "parent_id": [None, None, "2"],
    ...     "author": ["u1", "u1", "brand"], "is_brand": [False, False, True],
    ...     "created_at": pd.to_datetime(["2026-01-01", "2026-01-08", "2026-01-09"], utc=True)})
    >>> commenters(c)[["author", "comments", "posts", "returning", "answered_share"]]
      author  comments  posts  returning  answered_share
    0     u1         2      2       True             0.5
    """
    th = reply_threads(comments)
    aud = th["audience"].to_numpy() & comments["author"].notna().to_numpy()
    frame = comments.loc[aud, ["platform", "author", "post_id", "created_at"]].assign(
        answered=th["answered"].to_numpy()[aud]
    )
    out = (
        frame.groupby(["platform", "author"], observed=True)
        .agg(
            comments=("post_id", "size"),
            posts=("post_id", "nunique"),
            first_seen=("created_at", "min"),
            last_seen=("created_at", "max"),
            answered_share=("answered", "mean"),
        )
        .reset_index()
    )
    out.insert(4, "returning", out["posts"] >= 2)
    return out.sort_values(["comments", "last_seen"], ascending=False, ignore_index=True)


def _community(comments, aud, g, k) -> np.ndarray:
    """Per group: distinct commenters, those on ≥ 2 posts, top-1 % share of comments."""
    res = np.zeros((k, 3))
    if "author" not in comments or not aud.any():
        return res
    a = comments["author"].astype("string")
    keep = aud & a.notna().to_numpy()
    frame = pd.DataFrame(
        {
            "g": g[keep],
            "a": pd.factorize(a[keep])[0],
            "p": pd.factorize(
                comments["platform"].astype("string")[keep]
                + "\x00"
                + comments["post_id"].astype("string")[keep]
            )[0],
        }
    )
    per = frame.groupby(["g", "a"], sort=False).agg(n=("p", "size"), posts=("p", "nunique"))
    gi = per.index.get_level_values("g").to_numpy()
    res[:, 0] = np.bincount(gi, minlength=k)
    res[:, 1] = np.bincount(gi, weights=(per["posts"].to_numpy() >= 2), minlength=k)
    # share of comments written by the most active 1 % (at least one commenter)
    ranked = per.sort_values("n", ascending=False)
    rank = ranked.groupby(level="g").cumcount().to_numpy()
    rg = ranked.index.get_level_values("g").to_numpy()
    top = rank < np.maximum(1, np.ceil(0.01 * res[rg, 0]))
    tops = np.bincount(rg[top], weights=ranked["n"].to_numpy()[top], minlength=k)
    tot = np.bincount(rg, weights=ranked["n"].to_numpy(), minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        res[:, 2] = np.where(tot > 0, tops / tot, np.nan)
    return res


def business_hours_between(
    start, end, tz: str = "UTC", open_hour: int = 9, close_hour: int = 17
) -> np.ndarray:
    """Business hours (Mon–Fri, ``open_hour``–``close_hour`` local wall time) between times.

    Parameters
    ----------
    start, end : array-like of tz-aware timestamps
    tz : str
        IANA time zone of the business hours (wall clock, so a DST change
        moves them with the clock).

    Returns
    -------
    ndarray of float
        Hours; NaN where either end is missing; negative when ``end`` is
        before ``start``.

    Examples
    --------
    >>> s = pd.to_datetime(["2026-03-06 16:00Z"])  # a Friday
    >>> e = pd.to_datetime(["2026-03-09 10:30Z"])  # the Monday after
    >>> business_hours_between(s, e).tolist()
    [2.5]
    """
    if not 0 <= open_hour < close_hour <= 24:
        raise ValueError(
            f"open_hour and close_hour must satisfy 0 <= open_hour < close_hour <= 24; got "
            f"{open_hour} and {close_hour}."
        )

    def clock(x):
        idx = pd.DatetimeIndex(pd.to_datetime(x, utc=True)).tz_convert(tz).tz_localize(None)
        return idx.as_unit("ns").asi8.astype(float), idx.isna()

    def business_seconds(local_ns):
        day_ns = 86400 * 1e9
        days = np.floor(local_ns / day_ns)
        sec = (local_ns - days * day_ns) / 1e9
        d = days.astype("int64").astype("datetime64[D]")
        before = np.busday_count(np.datetime64("1970-01-05"), d)  # a Monday
        weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday (0 = Monday)
        within = np.where(
            weekday < 5, np.clip(sec, open_hour * 3600, close_hour * 3600) - open_hour * 3600, 0
        )
        return before * (close_hour - open_hour) * 3600.0 + within

    s, s_na = clock(start)
    e, e_na = clock(end)
    bad = s_na | e_na
    s[bad] = e[bad] = 0.0
    out = (business_seconds(e) - business_seconds(s)) / 3600
    out[bad] = np.nan
    return out
