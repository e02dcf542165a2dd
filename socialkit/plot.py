"""Plots: every function takes ``ax=None`` and returns the Axes.

Use :func:`theme` as a context manager for the house style (it never changes
global rcParams). Colours are the Okabe–Ito colour-blind-safe palette.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib
import matplotlib.dates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import PercentFormatter

from socialkit.benchmarks import engagement_benchmark
from socialkit.html import STATUS_COLOURS
from socialkit.metrics import MIN_FORMAT_POSTS, format_lift_ci, weekly_counts
from socialkit.metrics import format_lift as _format_lift
from socialkit.metrics.concentration import concentration as _concentration
from socialkit.metrics.conversation import reply_threads
from socialkit.metrics.engagement import (
    followers_at_post,
    interactions,
    platform_engagement,
    relative_to_group_median,
)
from socialkit.metrics.stats import theil_sen

__all__ = [
    "PALETTE",
    "PLATFORM_COLOURS",
    "FORMAT_COLOURS",
    "weekly_trend",
    "theme",
    "figure",
    "weekly_posts",
    "format_mix",
    "findings_summary",
    "response_times",
    "engagement_trend",
    "concentration",
    "hour_of_week",
    "peer_position",
    "drivers",
    "calendar",
    "format_lift",
    "platform_benchmark",
]

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PLATFORM_COLOURS = dict(
    zip(
        ["instagram", "facebook", "x", "linkedin", "tiktok", "youtube", "other"],
        PALETTE,
        strict=False,
    )
)

#: Formats get their own colour-blind-safe palette (Paul Tol's "muted"), apart from platforms'.
FORMAT_COLOURS = dict(
    zip(
        ["text", "image", "video", "link", "carousel", "story", "live", "other", "unknown"],
        ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
         "#BBBBBB"],
        strict=True,
    )
)  # fmt: skip

_STYLE = {
    "figure.figsize": (8.0, 3.6),
    "figure.dpi": 110,
    "savefig.dpi": 110,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
}


@contextmanager
def theme():
    """House style for the duration of a ``with`` block."""
    with plt.rc_context(_STYLE):
        yield


@contextmanager
def figure(figsize=(8.0, 3.2), show: bool = True):
    """A house-style figure with one Axes, shown (in a notebook) and closed on exit.

    Examples
    --------
    >>> with figure(show=False) as ax:
    ...     _ = ax.plot([0, 1], [1, 2])
    """
    with theme():
        fig, ax = plt.subplots(figsize=figsize)
        try:
            yield ax
            if show:
                from IPython.display import display

                display(fig)
        finally:
            plt.close(fig)


def _ax(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _plain(text) -> str:
    """Client text shown as written: a ``$`` would start matplotlib math (``$\\frac{$``
    in a competitor's name breaks the figure), so every ``$`` is escaped."""
    return str(text).replace("$", r"\$")


def _nothing(ax, message: str):
    """An Axes that says there is nothing to draw, and why."""
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    ax.sk_empty = message  # a report shows this line instead of an empty canvas
    return ax


def _log_x(ax, label):
    """Log x axis with readable ticks in the view: 1, 1.5, 2, 3, 5, 7 × powers of ten over
    a short span, fewer as the span grows."""
    ax.set_xscale("log")
    lo, hi = ax.get_xlim()
    decades = np.log10(hi / lo)
    steps = [1, 1.5, 2, 3, 5, 7] if decades <= 1 else [1, 2, 5] if decades <= 2.5 else [1]
    k = np.arange(np.floor(np.log10(lo)), np.ceil(np.log10(hi)) + 1)
    ticks = (np.array(steps)[None, :] * 10.0 ** k[:, None]).ravel()
    ticks = ticks[(ticks >= lo) & (ticks <= hi)]
    ax.set_xticks(ticks, [label(round(t, 12)) for t in ticks])
    ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    ax.set_xlim(lo, hi)


def weekly_posts(posts: pd.DataFrame, end, weeks: int, ax=None):
    """Stacked bars of posts per week and platform (the posting calendar)."""
    ax = _ax(ax)
    counts = weekly_counts(posts, end, weeks, by="platform")
    bottom = None
    for platform in counts.columns:
        ax.bar(
            counts.index,
            counts[platform],
            width=6,
            bottom=bottom,
            label=_pname(platform),
            color=PLATFORM_COLOURS.get(platform),
            align="edge",
        )
        bottom = counts[platform] if bottom is None else bottom + counts[platform]
    ax.set_xlabel("week starting")
    ax.set_ylabel("posts per week")
    ax.set_title("Posting calendar")
    if len(counts.columns):
        ax.legend(
            ncols=min(len(counts.columns), 6),
            loc="lower left",
            bbox_to_anchor=(0, 1.02),
            fontsize=8,
        )
        ax.set_title("Posting calendar", pad=22)
    _date_axis(ax)
    return ax


def _date_axis(ax) -> None:
    """Dates on the x axis as a reader writes them (Jun, Jul, … 2017), not 2017-06."""
    loc = matplotlib.dates.AutoDateLocator(maxticks=7)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(matplotlib.dates.ConciseDateFormatter(loc))


def format_mix(posts: pd.DataFrame, ax=None):
    """Horizontal stacked bars: share of each format per platform."""
    ax = _ax(ax)
    table = pd.crosstab(posts["platform"], posts["format"].fillna("unknown"), normalize="index")
    left = pd.Series(0.0, index=table.index)
    for i, fmt in enumerate(table.columns):
        colour = FORMAT_COLOURS.get(fmt, PALETTE[i % len(PALETTE)])
        ax.barh([_pname(p) for p in table.index], table[fmt], left=left, label=fmt, color=colour)
        left += table[fmt]
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(max(len(table), 3) - 0.5, -0.5)  # first platform on top; one is not a wall
    ax.set_xlabel("share of the platform's posts")
    ax.set_ylabel("platform")
    ax.legend(
        ncols=min(len(table.columns), 5), loc="lower left", bbox_to_anchor=(0, 1.02), fontsize=8
    )
    ax.set_title("Format mix", pad=28)
    return ax


def findings_summary(diagnosis, ax=None):
    """Count of findings per area, stacked by status."""
    ax = _ax(ax)
    frame = diagnosis.to_frame()
    table = pd.crosstab(frame["area"], frame["status"]).reindex(
        columns=["fail", "warn", "ok", "not_assessable"], fill_value=0
    )
    left = pd.Series(0, index=table.index)
    for status in table.columns:
        ax.barh(
            table.index,
            table[status],
            left=left,
            label=status.replace("_", " "),
            color=STATUS_COLOURS[status][0],
        )
        left += table[status]
    ax.set_xlabel("number of checks")
    ax.set_ylabel("area")
    ax.invert_yaxis()
    ax.legend(ncols=4, loc="lower left", bbox_to_anchor=(0, 1.02), fontsize=8)
    ax.set_title("Findings by area", pad=28)
    return ax


_DURATION_TICKS = [
    (1 / 60, "1 min"),
    (0.25, "15 min"),
    (1, "1 h"),
    (3, "3 h"),
    (8, "8 h"),
    (24, "1 day"),
    (72, "3 days"),
    (168, "1 week"),
    (720, "30 days"),
]


def response_times(comments: pd.DataFrame, warn: float = 24, fail: float = 72, ax=None):
    """Histogram of the brand's first response times (log hours), with the thresholds.

    Parameters
    ----------
    comments : DataFrame
        Canonical comments (threads are rebuilt with
        :func:`socialkit.metrics.conversation.reply_threads`).
    warn, fail : float
        Thresholds in hours, drawn as lines (``conversation.slow_response``).
    """
    ax = _ax(ax)
    th = reply_threads(comments)
    aud = th["audience"].to_numpy()
    hours = th["response_hours"].to_numpy()[aud]
    hours = hours[~np.isnan(hours)]
    unanswered = int((~th["answered"].to_numpy()[aud]).sum())
    lo = min(hours.min(initial=1.0), 1.0, warn) / 1.5
    hi = max(hours.max(initial=fail), fail) * 1.5
    lo = max(lo, 1 / 60)
    if hours.size:
        bins = np.logspace(np.log10(lo), np.log10(hi), 30)
        ax.hist(np.clip(hours, lo, hi), bins=bins, color=PALETTE[0])
        ax.axvline(np.median(hours), color=PALETTE[7], lw=1.5, label="median")
    for value, label, colour in ((warn, "warn", PALETTE[1]), (fail, "fail", PALETTE[5])):
        ax.axvline(value, color=colour, ls="--", lw=1.2, label=f"{label}: {value:g} h")
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    ticks = [t for t in _DURATION_TICKS if lo <= t[0] <= hi]
    ax.set_xticks([t for t, _ in ticks], [name for _, name in ticks])
    ax.minorticks_off()
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel("first response time (log scale)")
    ax.set_ylabel("audience comments")
    ax.legend(loc="best", fontsize=8)
    ax.set_title(
        f"Time to the brand's first reply ({hours.size:,} answered with a time, "
        f"{unanswered:,} unanswered)"
    )
    return ax


def engagement_trend(posts: pd.DataFrame, end, weeks: int = 26, ax=None):
    """Mean interactions per post, week by week, with the Theil–Sen trend and its 95 % band.

    Weeks are 7-day bins counted back from ``end`` (as in the posting calendar);
    weeks without posts are gaps, not zeros.
    """
    ax = _ax(ax)
    end = pd.Timestamp(end)
    end = end.tz_localize("UTC") if end.tzinfo is None else end
    inter = interactions(posts)
    age = (end - pd.DatetimeIndex(posts["published_at"])).total_seconds().to_numpy() / 86400
    week = np.ceil(age / 7).astype(int) - 1  # 0 = the last 7 days
    keep = (week >= 0) & (week < weeks) & ~np.isnan(inter)
    sums = np.bincount(weeks - 1 - week[keep], weights=inter[keep], minlength=weeks)
    counts = np.bincount(weeks - 1 - week[keep], minlength=weeks)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, sums / counts, np.nan)
    starts = end - pd.to_timedelta(7 * np.arange(weeks, 0, -1), unit="D")
    ax.plot(starts, mean, marker="o", ms=3, lw=1, color=PALETTE[0], label="mean per post")
    ts = theil_sen(mean[None, :])
    if not np.isnan(ts["slope"][0]):
        x = np.arange(weeks, dtype=float)
        ok = ~np.isnan(mean)
        centre_x, centre_y = np.median(x[ok]), np.median(mean[ok])
        for key, style in (("slope", "-"), ("low", ":"), ("high", ":")):
            line = centre_y + ts[key][0] * (x - centre_x)
            ax.plot(starts, line, style, color=PALETTE[5], lw=1.5 if key == "slope" else 1)
        ax.fill_between(
            starts,
            centre_y + ts["low"][0] * (x - centre_x),
            centre_y + ts["high"][0] * (x - centre_x),
            color=PALETTE[5],
            alpha=0.12,
            label=f"Theil–Sen trend {ts['slope'][0]:+.2g}/week (95 % band)",
        )
    ax.set_xlabel("week starting")
    ax.set_ylabel("interactions per post")
    ax.set_title("Engagement per post, week by week")
    ax.legend(loc="upper left", fontsize=8)
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def concentration(posts: pd.DataFrame, ax=None):
    """Lorenz curve of interactions over posts, with the top-5 % share and the Gini."""
    ax = _ax(ax)
    v = interactions(posts)
    v = np.sort(v[~np.isnan(v)])
    if v.size and v.sum() > 0:
        cum = np.r_[0, np.cumsum(v)] / v.sum()
        frac = np.arange(v.size + 1) / v.size
        c = _concentration(v, np.zeros(v.size, int))
        share, g = c["share"][0], c["gini"][0]
        ax.plot(frac, cum, color=PALETTE[0], lw=2, label=f"posts (Gini {g:.2f})")
        ax.axvline(0.95, color=PALETTE[5], ls="--", lw=1, label=f"top 5 % hold {share:.0%}")
    ax.plot([0, 1], [0, 1], color=PALETTE[7], lw=1, ls=":", label="every post equal")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("share of posts, least engaging first")
    ax.set_ylabel("share of all interactions")
    ax.set_title("How concentrated is engagement?")
    ax.legend(loc="upper left", fontsize=8)
    return ax


_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def hour_of_week(posts: pd.DataFrame, timezone: str = "UTC", ax=None):
    """Heatmap of relative engagement (interactions ÷ the platform's median) by day and hour.

    Parameters
    ----------
    posts : DataFrame
        Canonical posts.
    timezone : str, default "UTC"
        IANA zone whose clock the days and hours are read on (the client's:
        :func:`socialkit.zones.local_zone`).
    ax : matplotlib Axes, optional

    Empty cells had no posts.
    """
    ax = _ax(ax)
    rel = relative_to_group_median(interactions(posts), posts["platform"].to_numpy())
    t = pd.DatetimeIndex(posts["published_at"]).tz_convert(timezone)
    cell = t.day_of_week.to_numpy() * 24 + t.hour.to_numpy()
    ok = ~np.isnan(rel)
    sums = np.bincount(cell[ok], weights=rel[ok], minlength=168)
    counts = np.bincount(cell[ok], minlength=168)
    with np.errstate(invalid="ignore", divide="ignore"):
        grid = np.where(counts > 0, sums / counts, np.nan).reshape(7, 24)
    img = ax.imshow(grid, aspect="auto", cmap="cividis", interpolation="nearest")
    ax.set_yticks(range(7), _DAYS)
    ax.set_xticks(range(0, 24, 3), [f"{h:02d}:00" for h in range(0, 24, 3)])
    ax.set_xlabel(f"hour of day ({timezone})")
    ax.set_ylabel("day")
    ax.grid(False)
    ax.figure.colorbar(img, ax=ax, label="engagement ÷ platform median")
    ax.set_title("When posts engage (mean per posting slot)")
    return ax


def peer_position(client, weeks: int = 26, ax=None):
    """Posting rate against engagement rate: the client per platform and its competitors.

    Engagement rate = mean interactions ÷ followers per post over the last
    ``weeks`` weeks (the definition of the public competitor figures).
    """
    ax = _ax(ax)
    posts = client.posts
    recent = posts["published_at"] >= client.window_end - pd.Timedelta(weeks=weeks)
    fol = followers_at_post(posts, client.followers)
    with np.errstate(invalid="ignore", divide="ignore"):
        er = np.where(fol > 0, interactions(posts) / fol, np.nan)
    table = pd.DataFrame({"platform": posts["platform"].astype(str), "er": er})[recent.to_numpy()]
    span = max(
        1.0,
        min(weeks, (client.window_end - posts["published_at"].min()).days / 7) if len(posts) else 1,
    )
    for platform, g in table.groupby("platform"):
        if g["er"].notna().any():
            ax.scatter(len(g) / span, g["er"].mean(), s=80, marker="*",
                       color=PLATFORM_COLOURS.get(platform), label=_plain(f"you, {platform}"))  # fmt: skip
    for c in client.profile.competitors or []:
        if c.get("engagement_rate") is not None and c.get("posts_per_week") is not None:
            ax.scatter(c["posts_per_week"], c["engagement_rate"], s=40,
                       color=PLATFORM_COLOURS.get(c.get("platform")), alpha=0.6)  # fmt: skip
            ax.annotate(_plain(c.get("name", "")), (c["posts_per_week"], c["engagement_rate"]),
                        fontsize=7, xytext=(4, 2), textcoords="offset points")  # fmt: skip
    ax.set_xlabel("posts per week")
    ax.set_ylabel("engagement rate (interactions ÷ followers)")
    ax.set_title("You and your competitors (dots), by platform")
    ax.legend(loc="best", fontsize=8)
    return ax


def drivers(result, n: int = 8, ax=None):
    """Permutation importance of the drivers model with 95 % interval whiskers.

    Parameters
    ----------
    result : socialkit.models.DriversResult
    n : int
        Features shown, most important first.
    """
    ax = _ax(ax)
    imp = result.importance.head(n).iloc[::-1]
    if imp.empty:
        return _nothing(ax, "no model")
    y = np.arange(len(imp))
    err = np.vstack([imp["mean"] - imp["low"], imp["high"] - imp["mean"]])
    colour = np.where(imp["low"] > 0, PALETTE[0], "#bbbbbb")
    ax.barh(y, imp["mean"], color=colour)
    ax.errorbar(imp["mean"], y, xerr=np.nan_to_num(err), fmt="none", ecolor=PALETTE[7], capsize=3)
    ax.axvline(0, color=PALETTE[7], lw=0.8)
    ax.set_yticks(y, [_plain(f).replace("_", " ") for f in imp["feature"]])
    ax.set_xlabel("added mean absolute error of log engagement rate when shuffled")
    ax.set_title("What the model leans on (grey: interval includes 0)")
    return ax


def calendar(posts: pd.DataFrame, end, weeks: int = 26, ax=None):
    """Heatmap of posts per day: weekdays down, weeks across (UTC days).

    Shows the process behind the posting: bursts, silences and fixed days.
    Empty days are white; the last column ends on the day of ``end``.
    """
    ax = _ax(ax)
    end = pd.Timestamp(end)
    end = (end.tz_localize("UTC") if end.tzinfo is None else end.tz_convert("UTC")).normalize()
    first = end - pd.Timedelta(days=end.day_of_week + 7 * (weeks - 1))  # a Monday
    day = pd.DatetimeIndex(posts["published_at"]).tz_convert("UTC").normalize()
    offset = ((day - first).days).to_numpy()
    keep = (offset >= 0) & (offset < 7 * weeks) & (day <= end)
    grid = np.bincount(offset[keep], minlength=7 * weeks).reshape(weeks, 7).T.astype(float)
    future = np.arange(7 * weeks).reshape(weeks, 7).T > (end - first).days
    grid[future] = np.nan
    shown = np.ma.masked_where(np.isnan(grid) | (grid == 0), grid)
    cmap = matplotlib.colormaps["Blues"].with_extremes(bad="white")
    img = ax.imshow(shown, aspect="auto", cmap=cmap, interpolation="nearest",
                    vmin=0, vmax=max(1.0, np.nanmax(grid)))  # fmt: skip
    ax.set_yticks(range(7), _DAYS)
    step = max(1, weeks // 8)
    ticks = range(0, weeks, step)
    ax.set_xticks(ticks, [(first + pd.Timedelta(weeks=w)).strftime("%d %b") for w in ticks])
    ax.set_xlabel("week starting (Monday, UTC)")
    ax.set_ylabel("weekday")
    ax.grid(False)
    bar = ax.figure.colorbar(img, ax=ax, label="posts that day")
    bar.locator = matplotlib.ticker.MaxNLocator(integer=True)
    bar.update_ticks()
    ax.set_title(f"Posting calendar: {int(np.nansum(grid))} posts in {weeks} weeks")
    return ax


def format_lift(client, ax=None, min_others: int = MIN_FORMAT_POSTS, diagnosis=None):
    """Engagement lift of each format (× the client's other posts) with 95 % whiskers.

    The lift and its bootstrap interval are those of the
    ``content.underused_format`` check
    (:func:`socialkit.metrics.format_lift`); formats with fewer than
    :data:`~socialkit.metrics.MIN_FORMAT_POSTS` posts are not drawn, nor formats
    compared with fewer than ``min_others`` other posts (99 % images against two
    link posts is no evidence either way); those are named under the axis.
    With ``diagnosis`` the bar of ``content.underused_format`` is marked and the title
    gives its verdict. The lifts drawn are in ``ax.drawn`` (format → lift, low, high).
    """
    from socialkit.batch import Batch
    from socialkit.schema import FORMATS

    ax = _ax(ax)
    batch = Batch.from_clients([client])
    fl = _format_lift(batch)
    others = fl["n"][:, None] - fl["count"]
    cells = (fl["count"] >= MIN_FORMAT_POSTS) & (others >= max(min_others, 1))
    low, high = format_lift_ci(batch, cells)
    left_out = [f"{FORMATS[j]} ({int(fl['count'][0, j])} posts)"
                for j in np.flatnonzero((fl["count"][0] > 0) & ~cells[0])]  # fmt: skip
    shown = np.flatnonzero(cells[0] & ~np.isnan(fl["lift"][0]))
    if shown.size == 0:
        ax.drawn = {}
        return _nothing(
            ax,
            f"No format with {MIN_FORMAT_POSTS}+ posts beside {max(min_others, 1)}+ others: "
            "no lift to show" + (f"\n(not compared: {', '.join(left_out)})" if left_out else ""),
        )
    shown = shown[np.argsort(fl["lift"][0, shown])]
    lift, lo, hi = fl["lift"][0, shown], low[0, shown], high[0, shown]
    y = np.arange(shown.size)
    colour = np.where(lo > 1, PALETTE[2], np.where(hi < 1, PALETTE[5], "#999999"))
    ax.scatter(lift, y, color=colour, zorder=3, s=36)
    err = np.vstack([lift - lo, hi - lift])
    ax.errorbar(lift, y, xerr=np.nan_to_num(err), fmt="none", ecolor=PALETTE[7], capsize=3)
    ax.axvline(1, color=PALETTE[7], lw=0.8, ls="--")
    labels = [f"{FORMATS[j]} ({int(fl['count'][0, j])} posts, {fl['share'][0, j]:.0%})"
              for j in shown]  # fmt: skip
    ax.set_yticks(y, labels)
    ax.set_ylabel("format (posts, share of posts)")
    _log_x(ax, lambda v: f"{v:g}×")
    ax.set_xlabel(
        "engagement ÷ that of the other formats (log scale; 1× = same)"
        + (f"\nnot compared (too few posts on one side): {', '.join(left_out)}" if left_out else "")
    )
    ax.set_title("Format lift with 95 % interval (green: clearly better, red: clearly worse)")
    ax.drawn = {FORMATS[j]: (float(a), float(b), float(c))
                for j, a, b, c in zip(shown, lift, lo, hi, strict=True)}  # fmt: skip
    if diagnosis is not None:
        from socialkit.explore import thresholds

        f = diagnosis["content.underused_format"]
        t = thresholds(f)
        ax.axvline(t["lift"], color=PALETTE[1], lw=1.5,
                   label=f"the check's bar: {t['lift']:g}× on a format under {t['share']:.0%} of posts")  # fmt: skip
        ax.legend(loc="best", fontsize=8)
        word = {"not_assessable": "no verdict"}.get(f.status, f.status)
        ax.set_title(f"{word}: {f.message}", fontsize=9, wrap=True)
    return ax


def platform_benchmark(client, weeks: int = 26, ax=None):
    """Median engagement rate per platform (95 % whiskers) beside its industry benchmark.

    The rates are those of the ``platform.underperforming`` check
    (:func:`socialkit.metrics.engagement.platform_engagement`, interactions ÷
    followers, last ``weeks`` weeks); the benchmark is the bundled Rival IQ
    median for the client's industry (hollow diamond), absent where none is
    bundled.
    """
    from socialkit.batch import Batch

    ax = _ax(ax)
    per = platform_engagement(Batch.from_clients([client]), weeks)
    per = per[per["n"] > 0].sort_values("median").reset_index(drop=True)
    if per.empty:
        return _nothing(ax, "no posts with follower counts")
    y = np.arange(len(per))
    for r in per.itertuples():
        colour = PLATFORM_COLOURS.get(r.platform)
        ax.scatter(r.median, r.Index, color=colour, s=40, zorder=3)
        if not np.isnan(r.low):
            ax.plot([r.low, r.high], [r.Index, r.Index], color=colour, lw=2)
        b = engagement_benchmark(r.platform, client.profile.industry)
        if b is not None:
            ax.scatter(b["engagement_rate"], r.Index, marker="D", s=50, facecolor="none",
                       edgecolor=PALETTE[7], zorder=4)  # fmt: skip
    ax.scatter([], [], marker="D", facecolor="none", edgecolor=PALETTE[7], label="benchmark")
    ax.set_yticks(y, [f"{_pname(r.platform)} ({r.n} posts)" for r in per.itertuples()])
    ax.set_ylabel("platform (posts compared)")
    _log_x(ax, lambda v: f"{v * 100:g}%")
    ax.set_xlabel(f"median engagement rate (interactions ÷ followers, last {weeks} weeks, log)")
    ax.set_title("Your platforms against the industry benchmark")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), fontsize=8)
    ax.set_title("Your platforms against the industry benchmark", pad=20)
    return ax


def _pname(p) -> str:
    from socialkit.fmt import platform_name

    return platform_name(p)


_TREND_LABELS = {
    "followers": "followers (end of week)",
    "impressions": "impressions per week",
    "reach": "reach per week",
    "video_views": "video views per week",
    "engagement_rate": "engagement rate (%)",
}


def weekly_trend(posts, followers, metric: str, end, weeks: int = 26, period=None, ax=None):
    """One line per platform of a weekly figure over the last ``weeks``, the period shaded.

    Parameters
    ----------
    posts, followers : DataFrame
        Canonical tables.
    metric : {'followers', 'impressions', 'reach', 'video_views', 'engagement_rate'}
        Followers are the last count of each week; post figures are summed over
        the posts published that week; the engagement rate is interactions ÷
        impressions (else ÷ followers when posted) of that week's posts.
    end : Timestamp
        End of the data; the chart covers the ``weeks`` before it.
    period : Period, optional
        The reporting period, shaded.
    """
    ax = _ax(ax)
    if metric not in _TREND_LABELS:
        raise ValueError(f"metric must be one of {', '.join(_TREND_LABELS)}; got {metric!r}.")
    end = pd.Timestamp(end)
    end = end.tz_localize("UTC") if end.tzinfo is None else end
    start = end - pd.Timedelta(weeks=weeks)
    posts = posts.copy()
    for col in ("impressions", "followers", "reactions", "comments", "shares", "saves", metric):
        if col not in posts and col != "engagement_rate":
            posts[col] = np.nan  # a column the export does not have: unknown
    if metric == "followers":
        has = len(followers) and {"date", "followers", "platform"} <= set(followers.columns)
        f = followers.dropna(subset=["followers"]) if has else followers.iloc[0:0]
        frame = pd.DataFrame(
            {"t": pd.to_datetime(f["date"], utc=True), "platform": f["platform"].astype(str),
             "v": f["followers"]}
        ) if len(f) else pd.DataFrame(columns=["t", "platform", "v"])  # fmt: skip
        if frame.empty and posts["followers"].notna().any():
            p = posts.dropna(subset=["followers"])
            frame = pd.DataFrame(
                {"t": p["published_at"], "platform": p["platform"].astype(str), "v": p["followers"]}
            )
        how = "last"
    elif metric == "engagement_rate":
        cols = [c for c in ("reactions", "comments", "shares", "saves") if c in posts]
        eng = posts[cols].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=1)
        den = pd.to_numeric(posts["impressions"], errors="coerce")
        if not (den.notna() & eng.notna()).any():
            den = pd.to_numeric(posts["followers"], errors="coerce")
        ok = eng.notna() & den.notna() & (den > 0)
        frame = pd.DataFrame(
            {"t": posts["published_at"], "platform": posts["platform"].astype(str),
             "num": eng.where(ok), "den": den.where(ok)}
        )[ok.to_numpy()]  # fmt: skip
        how = "ratio"
    else:
        v = pd.to_numeric(posts[metric], errors="coerce")
        frame = pd.DataFrame(
            {"t": posts["published_at"], "platform": posts["platform"].astype(str), "v": v}
        ).dropna(subset=["v"])
        how = "sum"
    frame = frame[(frame["t"] > start) & (frame["t"] <= end)] if len(frame) else frame
    if frame.empty:
        return _nothing(ax, f"no {_TREND_LABELS[metric].split(' (')[0]} in the last {weeks} weeks")
    frame = frame.assign(
        week=frame["t"].dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period("W")
    )
    for plat, g in frame.groupby("platform", sort=True):
        g = g.sort_values("t")
        if how == "last":
            s = g.groupby("week")["v"].last()
        elif how == "sum":
            s = g.groupby("week")["v"].sum()
        else:
            agg = g.groupby("week")[["num", "den"]].sum()
            s = 100 * agg["num"] / agg["den"]
        x = s.index.to_timestamp()
        ax.plot(x, s.to_numpy(float), marker="o", ms=3, lw=1.5, label=_pname(plat),
                color=PLATFORM_COLOURS.get(plat))  # fmt: skip
    if period is not None:
        lo, hi = (b.tz_localize(None) for b in period.bounds())
        ax.axvspan(lo, hi, color="#999999", alpha=0.18, lw=0, label=period.label)
    ax.set_ylabel(_TREND_LABELS[metric])
    ax.yaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}")
    )
    ax.legend(ncols=4, loc="lower left", bbox_to_anchor=(0, 1.02), fontsize=8)
    ax.set_xlim(start.tz_convert("UTC").tz_localize(None), end.tz_convert("UTC").tz_localize(None))
    _date_axis(ax)
    return ax


# figures drawn from a check's own measure and thresholds (chapters 01, 02, 05)
from socialkit.plot_checks import platform_verdict, trend_verdict, virality  # noqa: E402

__all__ += ["platform_verdict", "trend_verdict", "virality"]
