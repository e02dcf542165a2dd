"""Performance in a reporting period: the figures on the report's KPI tiles.

Pure functions on the canonical tables. Post figures (impressions, reach,
views, interactions, clicks) are the totals the export gives each post,
counted in the period the post was *published* in; followers are the last
count known in the period; reply figures count the audience comments written
in the period. A figure the data cannot give is ``None`` — never 0 — and its
tile says which export would fill it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from socialkit.metrics.period import Period, data_span, in_period, month_of

__all__ = ["Tile", "KPI_SPECS", "kpi_tiles", "kpi_value", "STANDARD_TILES"]

_ENGAGEMENT_COLUMNS = ("reactions", "comments", "shares", "saves")


def _sum(posts: pd.DataFrame, col: str):
    if col not in posts or not len(posts):
        return None
    v = pd.to_numeric(posts[col], errors="coerce").dropna()
    return float(v.sum()) if len(v) else None


def _engagements(posts: pd.DataFrame) -> pd.Series:
    """Interactions per post (reactions + comments + shares + saves); NaN when none known."""
    cols = [c for c in _ENGAGEMENT_COLUMNS if c in posts]
    if not cols:
        return pd.Series(np.nan, index=posts.index)
    block = posts[cols].apply(pd.to_numeric, errors="coerce")
    return block.sum(axis=1, min_count=1)


def _ratio(num: pd.Series, den: pd.Series):
    both = num.notna() & den.notna() & (den > 0)
    if not both.any():
        return None
    return float(num[both].sum() / den[both].sum())


def _followers(posts, followers, period, previous):
    """Audience size at the end of the period: the last count per platform, summed."""
    last = {}
    if followers is not None and len(followers):
        f = followers[in_period(followers["date"], period, previous)].dropna(subset=["followers"])
        for plat, g in f.sort_values("date").groupby("platform", observed=True):
            last[plat] = float(g["followers"].iloc[-1])
    if "followers" in posts and len(posts):
        p = posts[in_period(posts["published_at"], period, previous)].dropna(subset=["followers"])
        for plat, g in p.sort_values("published_at").groupby("platform", observed=True):
            last.setdefault(plat, float(g["followers"].iloc[-1]))
    return sum(last.values()) if last else None


def _replies(comments, period, previous, what):
    if comments is None or not len(comments):
        return None
    if "_answered" in comments:  # threads already read (kpi_tiles: only when the brand replies)
        th = comments
    else:
        if "is_brand" not in comments or not comments["is_brand"].fillna(False).any():
            return None  # no brand reply anywhere in the data: can't tell, not "never answers"
        th = _with_threads(comments)
    mine = in_period(comments["created_at"], period, previous) & th["_audience"].to_numpy(bool)
    if not mine.any():
        return None
    if what == "rate":
        return float(th["_answered"].to_numpy(bool)[mine].mean())
    hours = th["_hours"].to_numpy(float)[mine]
    hours = hours[~np.isnan(hours)]
    return float(np.median(hours)) if hours.size else None


def _with_threads(comments):
    """Comments with their thread figures (computed once for every tile and platform)."""
    from socialkit.metrics.conversation import reply_threads

    th = reply_threads(comments)
    return comments.assign(
        _audience=th["audience"].to_numpy(bool),
        _answered=th["answered"].to_numpy(bool),
        _hours=th["response_hours"].to_numpy(float),
    )


@dataclass(frozen=True)
class _Spec:
    label: str
    kind: str  # count | share | hours
    fills: str  # which export would fill a missing tile
    definition: str


#: What each tile shows, its kind, and which export fills it when missing.
KPI_SPECS = {
    "followers": _Spec(
        "Followers",
        "count",
        "a followers export (Instagram or Facebook Insights, LinkedIn followers, YouTube "
        "subscribers by day)",
        "audience size at the end of the period (last count per platform, summed)",
    ),
    "follower_growth": _Spec(
        "Follower growth",
        "count",
        "a followers export with daily counts",
        "followers at the end of the period minus at the end of the one before",
    ),
    "impressions": _Spec(
        "Impressions",
        "count",
        "a post export with impressions (X analytics, Instagram or LinkedIn post insights)",
        "times the period's posts were shown",
    ),
    "reach": _Spec(
        "Reach",
        "count",
        "a post export with reach (Instagram or Facebook post insights)",
        "accounts reached by the period's posts (summed per post)",
    ),
    "views": _Spec(
        "Video views",
        "count",
        "a video export (YouTube Studio, TikTok or Instagram video insights)",
        "views of the period's videos",
    ),
    "engagements": _Spec(
        "Engagements",
        "count",
        "a post export with likes, comments and shares",
        "likes/reactions + comments + shares + saves on the period's posts",
    ),
    "likes": _Spec(
        "Likes",
        "count",
        "a post export with likes or reactions",
        "likes and reactions on the period's posts",
    ),
    "comments": _Spec(
        "Comments", "count", "a post export with comments", "comments on the period's posts"
    ),
    "shares": _Spec(
        "Shares", "count", "a post export with shares or reposts", "shares of the period's posts"
    ),
    "saves": _Spec("Saves", "count", "a post export with saves", "saves of the period's posts"),
    "clicks": _Spec(
        "Clicks", "count", "a post export with link clicks", "clicks on the period's posts"
    ),
    "engagement_rate": _Spec(
        "Engagement rate",
        "share",
        "a post export with impressions or follower counts beside the interactions",
        "engagements ÷ impressions on posts that have both (else ÷ followers when posted)",
    ),
    "click_through_rate": _Spec(
        "Click-through rate",
        "share",
        "a post export with clicks and impressions",
        "clicks ÷ impressions on posts that have both",
    ),
    "response_rate": _Spec(
        "Reply rate",
        "share",
        "a comments export that includes the brand's own replies",
        "share of the audience's comments written in the period that got a brand reply",
    ),
    "response_time": _Spec(
        "Median reply time",
        "hours",
        "a comments export that includes the brand's own replies, with times",
        "median time from an audience comment to the brand's first reply",
    ),
}

# KPI names of client.yaml that are the same tile
_ALIAS = {"reactions": "likes", "video_views": "views", "replies": "comments"}

#: The tiles every report shows after the client's declared KPIs.
STANDARD_TILES = (
    "followers",
    "impressions",
    "reach",
    "views",
    "engagements",
    "engagement_rate",
    "response_rate",
    "response_time",
)

_NOT_IN_EXPORTS = {
    "conversions": "conversions from your web analytics or CRM",
    "leads": "leads from your CRM or form tool",
    "sales": "sales from your shop or CRM",
    "revenue": "revenue from your shop or CRM",
    "mentions": "a social listening export (mentions of the brand)",
    "share_of_voice": "a social listening export with competitors' mentions",
    "sentiment": "comments with text (a comments export)",
    "repeat_commenters": "a comments export with authors",
    "advocates": "a comments or mentions export with authors",
}


def kpi_value(key: str, posts, followers, comments, period: Period, previous: bool = False):
    """One KPI's value in the period (or the previous one); ``None`` when the data lacks it."""
    if key == "followers":
        return _followers(posts, followers, period, previous)
    if key == "follower_growth":
        end = _followers(posts, followers, period, previous)
        if previous:
            return None
        before = _followers(posts, followers, period, True)
        return None if end is None or before is None else end - before
    if key in ("response_rate", "response_time"):
        return _replies(comments, period, previous, "rate" if key == "response_rate" else "time")
    p = posts[in_period(posts["published_at"], period, previous)] if len(posts) else posts
    column = {"views": "video_views", "likes": "reactions"}.get(key, key)
    if key == "engagements":
        e = _engagements(p).dropna()
        return float(e.sum()) if len(e) else None
    if key == "engagement_rate":
        eng = _engagements(p)
        rate = _ratio(eng, pd.to_numeric(p.get("impressions"), errors="coerce"))
        if rate is None and "followers" in p:
            rate = _ratio(eng, pd.to_numeric(p["followers"], errors="coerce"))
        return rate
    if key == "click_through_rate":
        if "clicks" not in p or "impressions" not in p:
            return None
        return _ratio(
            pd.to_numeric(p["clicks"], errors="coerce"),
            pd.to_numeric(p["impressions"], errors="coerce"),
        )
    return _sum(p, column)


@dataclass
class Tile:
    """One KPI tile: this period, the previous one, per platform, or what would fill it."""

    key: str
    label: str
    kind: str
    current: float | None
    previous: float | None
    definition: str
    declared: bool = False
    missing: str = ""
    per_platform: dict = field(default_factory=dict)
    #: For a missing figure that the data has in other months: where, e.g. "up to July 2017".
    elsewhere: str = ""

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "current": self.current,
            "previous": self.previous,
            "declared": self.declared,
            "missing": self.missing,
            "elsewhere": self.elsewhere,
            "per_platform": {k: list(v) for k, v in self.per_platform.items()},
        }


_POST_COLUMNS = (
    "platform", "published_at", "impressions", "reach", "reactions", "comments", "shares",
    "saves", "clicks", "video_views", "followers",
)  # fmt: skip


def _window(frame, col, lo, hi, columns):
    """The rows of ``frame`` with ``col`` in ``[lo, hi)``, only ``columns`` (those present)."""
    if frame is None or not len(frame):
        return frame
    keep = [c for c in columns if c in frame]
    t = pd.to_datetime(frame[col], utc=True)
    out = frame.loc[((t >= lo) & (t < hi)).to_numpy(), keep]
    counts = [c for c in keep if c not in ("platform", col) and not c.startswith("_")]
    return out.assign(
        **{c: pd.to_numeric(out[c], errors="coerce").astype("float64") for c in counts}
    )


def _by_platform(frame, plat):
    if frame is None or not len(frame):
        return frame
    return frame[frame["platform"] == plat]


#: Months searched for a figure the two periods lack (:func:`_elsewhere`).
_MONTHS_SEARCHED = 120


def _elsewhere(key: str, posts, followers, comments, period: Period) -> str:
    """Where the data has figure ``key`` when neither period does: "up to July 2017" (the
    last month before the periods with a figure) or "from May 2018" (the first after);
    "" when no month of the data has it (or none in the :data:`_MONTHS_SEARCHED` nearest)."""
    first, last = data_span(posts, comments, followers)
    if last is None:
        return ""
    first, last = first.date(), last.date()

    def has(s, e) -> bool:
        days = Period(s, e, "", s, e, "")
        return s <= e and kpi_value(key, posts, followers, comments, days) is not None

    before = period.previous_start - dt.timedelta(days=1)
    after = period.end + dt.timedelta(days=1)
    # the months before the periods, nearest first; then the months after them
    for lo, hi, back, word in ((first, before, True, "up to"), (after, last, False, "from")):
        if not has(lo, hi):
            continue
        day = hi if back else lo
        for _ in range(_MONTHS_SEARCHED):
            s, e = month_of(day)
            if has(max(s, lo), min(e, hi)):
                return f"{word} {s:%B %Y}"
            day = s - dt.timedelta(days=1) if back else e + dt.timedelta(days=1)
    return ""


def kpi_tiles(posts, followers, comments, period: Period, declared=()) -> list[Tile]:
    """The report's KPI tiles: the client's declared KPIs first, then the standard ones.

    Parameters
    ----------
    posts, followers, comments : DataFrame
        Canonical tables (the whole history; each figure picks its period).
    period : Period
    declared : sequence of str
        KPI names from ``client.yaml`` (unknown ones and ones no export can
        carry become tiles that say where the figure would come from).

    Returns
    -------
    list of Tile
    """
    if len(comments) and "is_brand" in comments and comments["is_brand"].fillna(False).any():
        comments = _with_threads(comments)
    else:  # can't tell: no reply figures at all
        comments = comments.iloc[0:0]
    history = (posts, followers, comments)
    # only the rows of the two periods and the columns the tiles read: each tile and
    # platform below filters these small frames, not the whole history
    lo, hi = period.bounds(previous=True)[0], period.bounds()[1]
    posts = _window(posts, "published_at", lo, hi, _POST_COLUMNS)
    followers = _window(followers, "date", lo, hi, ("platform", "date", "followers"))
    comments = _window(
        comments,
        "created_at",
        lo,
        hi,
        ("platform", "created_at", "_audience", "_answered", "_hours"),
    )
    keys, seen = [], set()
    for name in [*declared, *STANDARD_TILES]:
        key = _ALIAS.get(name, name)
        if key not in seen:
            seen.add(key)
            keys.append((key, name in declared or key in declared))
    plats = sorted(
        {str(p) for f in (posts, followers, comments) if len(f) for p in f["platform"].dropna()}
    )
    split = {p: [_by_platform(f, p) for f in (posts, followers, comments)] for p in plats}
    tiles = []
    for key, is_declared in keys:
        spec = KPI_SPECS.get(key)
        if spec is None:
            label = key.replace("_", " ").capitalize()
            fills = _NOT_IN_EXPORTS.get(key, "data the social exports do not carry")
            tiles.append(Tile(key, label, "count", None, None, "", is_declared, fills))
            continue
        cur = kpi_value(key, posts, followers, comments, period)
        prev = kpi_value(key, posts, followers, comments, period, previous=True)
        per = {}
        if len(plats) > 1:
            for plat in plats:
                frames = split[plat]
                c = kpi_value(key, *frames, period)
                pv = kpi_value(key, *frames, period, previous=True)
                if c is not None or pv is not None:
                    per[plat] = (c, pv)
        missing = spec.fills if cur is None and prev is None else ""
        if key in ("response_rate", "response_time") and missing and len(comments):
            missing = (
                "no reply of the brand is marked in the comments, so replies can't be "
                "counted; " + spec.fills
            )
        tiles.append(
            Tile(key, spec.label, spec.kind, cur, prev, spec.definition, is_declared, missing, per)
        )
        if missing:
            tiles[-1].elsewhere = _elsewhere(key, *history, period)
    reach_like = {"impressions", "reach", "views"}
    if any(t.key in reach_like and not t.missing for t in tiles):  # one of them is enough
        tiles = [t for t in tiles if not (t.key in reach_like and t.missing and not t.declared)]
    else:  # none: one tile says what would fill it
        first = next((t for t in tiles if t.key in reach_like), None)
        tiles = [t for t in tiles if t.key not in reach_like or t is first]
        if first is not None and not first.declared:
            first.label = "Reach or impressions"
    return tiles
