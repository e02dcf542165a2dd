"""Conversation metrics: threads, replies, response times, returning commenters.

Thread reconstruction (:func:`reply_threads`)
---------------------------------------------
Comments are linked to their parent by (``client``, ``platform``,
``parent_id`` → ``comment_id``); following parents to the top gives each
comment its thread root. A reply whose parent is not in the table is an
*orphan*: it starts its own thread and is counted. A parent chain that loops
(bad data) is cut: each comment of the loop becomes its own root, and replies
that lead into the loop join the thread of the loop comment they reach.

An audience comment (``is_brand`` not true) is *answered* when the brand
wrote either a direct reply to it, or any comment in the same thread at the
same time or later (on Facebook and Instagram replies hang under the top-level comment, so the
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

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from socialkit._graph import roots
from socialkit.metrics._arrow import arrow_strings, by_block, codes
from socialkit.metrics.questions import is_question
from socialkit.metrics.stats import median_ci, segment_starts, wilson_ci

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
_NAT = np.iinfo(np.int64).min  # NaT's int64 value
_BLOCK = 1 << 16  # rows per block of clients worked through at once


def _group_codes(comments: pd.DataFrame) -> np.ndarray:
    if "client" in comments:
        return comments["client"].to_numpy(dtype=np.int64)
    return np.zeros(len(comments), dtype=np.int64)


def _layout(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Row order that groups the clients (None: already grouped) and the bounds
    of blocks of about ``_BLOCK`` rows in that order that split no client.

    Threads and commenters never cross clients, so the metrics work through
    one block at a time, small enough to stay in the CPU cache, on parallel
    threads (Arrow's kernels and NumPy's loops release the GIL): several times
    faster than whole-table passes over millions of rows.
    """
    perm = None if np.all(g[1:] >= g[:-1]) else np.argsort(g, kind="stable")
    if len(g) == 0:
        return perm, np.zeros(2, dtype=np.int64)
    gs = g if perm is None else g[perm]
    cuts = np.searchsorted(gs, gs[_BLOCK::_BLOCK], side="left")
    return perm, np.unique(np.r_[0, cuts, len(g)])


def _ordered(perm, *columns) -> list:
    """``columns`` (NumPy or Arrow) in the order ``perm`` (as they are when None)."""
    if perm is None:
        return list(columns)
    return [c.take(perm) if hasattr(c, "slice") else c[perm] for c in columns]


def _parents(ids, pids, scope) -> tuple[np.ndarray, np.ndarray]:
    """Row of each comment's parent within a block (-1: none or not found), and
    whether the comment names a parent at all.

    Ids are unique within a client and platform (``scope``) only. A bare id
    found in another scope of the block is looked up again with its scope.
    """
    found = pc.index_in(pids, value_set=ids).fill_null(-1).to_numpy().astype(np.int64)
    other = (found >= 0) & (scope[np.maximum(found, 0)] != scope)
    if other.any():
        rows = np.flatnonzero(other)
        tag = pa.array(scope).cast(pa.string())
        keyed = pc.binary_join_element_wise(tag, ids, "\x1f")
        asked = pc.binary_join_element_wise(tag.take(rows), pids.take(rows), "\x1f")
        found[rows] = pc.index_in(asked, value_set=keyed).fill_null(-1).to_numpy()
    found[found == np.arange(len(found))] = -1  # a comment cannot answer itself
    named = pc.fill_null(pc.greater(pc.binary_length(pids), 0), False)
    return found, np.asarray(named.to_numpy(zero_copy_only=False), dtype=bool)


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
    th = _threads(comments)
    first = th["first_reply_at"]
    th["first_reply_at"] = pd.DatetimeIndex(first.view("M8[ns]")).tz_localize("UTC")
    return pd.DataFrame(th, index=comments.index)


def _threads(comments: pd.DataFrame, g=None, plat=None, layout=None) -> dict[str, np.ndarray]:
    """:func:`reply_threads` as arrays (``first_reply_at`` in int64 ns, NaT's value when
    none), worked through in blocks of whole clients (:func:`_layout`)."""
    n = len(comments)
    g = _group_codes(comments) if g is None else g
    plat = codes(comments["platform"]) if plat is None else plat
    perm, bounds = _layout(g) if layout is None else layout
    want = comments["parent_id"] if "parent_id" in comments else pa.nulls(n, pa.string())
    columns = _ordered(
        perm,
        arrow_strings(comments["comment_id"]),
        arrow_strings(want),
        g * (int(plat.max(initial=0)) + 2) + plat + 1,  # scope: client and platform
        comments["is_brand"].fillna(False).to_numpy(dtype=bool),
        pd.DatetimeIndex(comments["created_at"]).as_unit("ns").asi8,
    )
    parts = by_block(_thread_block, bounds, *columns)
    for lo, part in parts:
        part["parent"] = np.where(part["parent"] >= 0, part["parent"] + lo, -1)
        part["root"] += lo
    out = {key: np.concatenate([p[key] for _, p in parts]) for key in parts[0][1]}
    if perm is not None:  # back to the table's order
        for key in ("parent", "root"):
            out[key] = np.where(out[key] >= 0, perm[np.maximum(out[key], 0)], -1)
        for key, values in out.items():
            out[key] = np.empty_like(values)
            out[key][perm] = values
    return out


def _thread_block(ids, pids, scope, brand, t) -> dict[str, np.ndarray]:
    """:func:`_threads` of one block of whole clients (positions within the block)."""
    n = len(t)
    parent, named = _parents(ids, pids, scope)
    root = roots(parent)
    t_ok = t != _NAT
    t = np.where(t_ok, t, _INF)
    audience = ~brand
    asks = audience & t_ok

    # direct replies: earliest brand child per parent
    direct = np.full(n, _INF, dtype=np.int64)
    kids = brand & (parent >= 0) & t_ok
    np.minimum.at(direct, parent[kids], t[kids])
    later = _next_brand_in_thread(root, t, brand & t_ok, asks)
    after = np.minimum(np.where(direct >= t, direct, _INF), later)
    after[~asks] = _INF
    replied = after < _INF
    early = asks & ~replied & (direct < t)
    return {
        "parent": parent,
        "root": root,
        "orphan": named & (parent < 0),
        "audience": audience,
        "answered": audience & (replied | early),
        "first_reply_at": np.where(replied, after, np.where(early, direct, _NAT)),
        "response_hours": np.where(replied, (after - t) / _NS_H, np.nan),
        "early_reply": early,
    }


def _next_brand_in_thread(root, t, brand, asks) -> np.ndarray:
    """For each ``asks`` row: time of the earliest ``brand`` row of its thread at or
    after its own time (``_INF`` when none; other rows: undefined).

    The thread's first and last brand times settle most rows; only rows that
    fall between two brand comments of their thread are searched, in a sort of
    those threads alone.
    """
    n = len(t)
    first = np.full(n, _INF, dtype=np.int64)
    last = np.full(n, _NAT, dtype=np.int64)
    np.minimum.at(first, root[brand], t[brand])
    np.maximum.at(last, root[brand], t[brand])
    lo, hi = first[root], last[root]
    out = np.where(t <= lo, lo, _INF)
    between = asks & (t > lo) & (t <= hi)
    if between.any():
        threads = np.zeros(n, dtype=bool)
        threads[root[between]] = True
        rows = np.flatnonzero(between | (brand & threads[root]))
        # by thread, then time; at equal times the brand row after the audience one
        rows = rows[np.lexsort((brand[rows], t[rows], root[rows]))]
        b = np.flatnonzero(brand[rows])
        q = np.flatnonzero(~brand[rows])
        nxt = b[np.minimum(np.searchsorted(b, q), len(b) - 1)]
        same = (nxt > q) & (root[rows[nxt]] == root[rows[q]])
        out[rows[q]] = np.where(same, t[rows[nxt]], _INF)
    return out


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
    aud = ~comments["is_brand"].fillna(False).to_numpy(dtype=bool)
    # Arrow's kernels and most NumPy loops release the GIL: the independent parts overlap
    with ThreadPoolExecutor(max_workers=1) as pool:
        asked = pool.submit(is_question, comments["text"]) if "text" in comments else None
        plat = codes(comments["platform"])
        layout = _layout(g)
        community = pool.submit(_community, comments, aud, g, k, plat, layout)
        if threads is None:
            th = _threads(comments, g, plat, layout)
        else:
            th = {c: threads[c].to_numpy() for c in threads}
        q = asked.result() if asked is not None else np.zeros(len(g), dtype=bool)
        community = community.result()
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
    young = aud & (t > end_ns[g] - int(censor_hours * _NS_H)) if len(g) else aud
    elig = aud & ~young
    table, b = _tally(
        g,
        k,
        aud=aud,
        reply=th["parent"] >= 0,
        young=young,
        ans=th["answered"],
        q=q,
        known=~np.isnan(s),
        neg=s <= negative,
        orphan=th["orphan"],
        early=th["early_reply"],
    )
    e = b["aud"] & ~b["young"]  # eligible: audience comments old enough to judge
    rest = e & b["known"] & ~b["neg"]
    counts = {
        "comments": np.ones_like(e),
        "audience": b["aud"],
        "brand": ~b["aud"],
        "brand_replies": ~b["aud"] & b["reply"],
        "eligible": e,
        "answered": e & b["ans"],
        "questions": e & b["q"],
        "answered_questions": e & b["q"] & b["ans"],
        "with_sentiment": e & b["known"],
        "negative": e & b["neg"],
        "answered_negative": e & b["neg"] & b["ans"],
        "rest": rest,
        "answered_rest": rest & b["ans"],
        "censored": b["young"],
        "orphans": b["orphan"],
        "early_replies": e & b["early"],
    }
    out = pd.DataFrame({name: table[:, cats].sum(axis=1) for name, cats in counts.items()})
    lo, hi = wilson_ci(out["answered"], out["eligible"])
    out["rate_low"], out["rate_high"] = lo, hi
    hours = np.where(elig, th["response_hours"], np.nan)
    med = median_ci(hours, g, quantiles=(0.9,))
    out["timed"] = 0
    for col in ("median_hours", "median_low", "median_high", "p90_hours"):
        out[col] = np.nan
    if len(med["group"]):
        out.loc[med["group"], "timed"] = med["n"]
        out.loc[med["group"], "median_hours"] = med["median"]
        out.loc[med["group"], "median_low"] = med["low"]
        out.loc[med["group"], "median_high"] = med["high"]
        out.loc[med["group"], "p90_hours"] = med["quantiles"][:, 0]
    out[["commenters", "returning", "top_commenter_share"]] = community
    return out


def _tally(g: np.ndarray, k: int, **flags: np.ndarray) -> tuple[np.ndarray, dict]:
    """Rows per group and combination of boolean ``flags``, counted in one pass.

    Returns the table (groups × combinations) and, per flag, which combinations
    have it set: a count of rows with flags A and not B is
    ``table[:, bits["A"] & ~bits["B"]].sum(axis=1)``.
    """
    width = 1 << len(flags)
    combo = np.zeros(len(g), dtype=np.int64 if width > 2**15 else np.int16)
    for i, flag in enumerate(flags.values()):
        combo += flag * combo.dtype.type(1 << i)
    table = np.bincount(g * width + combo, minlength=k * width).reshape(k, width)
    every = np.arange(width)
    return table, {name: (every >> i) & 1 == 1 for i, name in enumerate(flags)}


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


def _community(comments, aud, g, k, plat, layout=None) -> np.ndarray:
    """Per group: distinct commenters, those on ≥ 2 posts, top-1 % share of comments
    (NaN without commenters), worked through in blocks of whole clients."""
    res = np.zeros((k, 3))
    res[:, 2] = np.nan
    if "author" not in comments:
        return res
    perm, bounds = _layout(g) if layout is None else layout
    columns = _ordered(
        perm, arrow_strings(comments["author"]), arrow_strings(comments["post_id"]), plat, aud, g
    )
    for _, (groups, rows) in by_block(_community_block, bounds, *columns):
        res[groups] = rows
    return res


def _community_block(author, post, plat, aud, g) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_community` of one block: its groups and their rows."""
    if len(g) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 3))
    base = int(g[0])
    g = g - base  # the block's groups, from 0
    res = np.zeros((int(g[-1]) + 1, 3))
    res[:, 2] = np.nan
    who = codes(author)
    keep = aud & (who >= 0)
    if keep.any():
        # one code per (group, author), and per (platform, post)
        who = pd.factorize(g[keep] * (int(who.max()) + 1) + who[keep])[0]
        on = codes(post).astype(np.int64)
        on = np.where((on >= 0) & (plat >= 0), on * (int(plat.max()) + 1) + plat, -1)[keep]
        n = np.bincount(who)
        # on ≥ 2 posts ⇔ the commenter's lowest and highest post codes differ
        low = np.full(len(n), _INF, dtype=np.int64)
        high = np.full(len(n), -1, dtype=np.int64)
        known = on >= 0
        np.minimum.at(low, who[known], on[known])
        np.maximum.at(high, who[known], on[known])
        grp = np.empty(len(n), dtype=np.int64)
        grp[who] = g[keep]
        res[:, 0] = np.bincount(grp, minlength=len(res))
        res[:, 1] = np.bincount(grp, weights=high > low, minlength=len(res))
        # share of comments written by the most active 1 % (at least one commenter)
        order = np.lexsort((-n, grp))
        rg, rn = grp[order], n[order]
        starts, sizes = segment_starts(rg)
        rank = np.arange(len(rg)) - np.repeat(starts, sizes)
        top = rank < np.maximum(1, np.ceil(0.01 * res[rg, 0]))
        tops = np.bincount(rg[top], weights=rn[top], minlength=len(res))
        tot = np.bincount(rg, weights=rn, minlength=len(res))
        with np.errstate(invalid="ignore", divide="ignore"):
            res[:, 2] = np.where(tot > 0, tops / tot, np.nan)
    return np.arange(len(res)) + base, res


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
