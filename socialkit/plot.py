"""Plots: every function takes ``ax=None`` and returns the Axes.

Use :func:`theme` as a context manager for the house style (it never changes
global rcParams). Colours are the Okabe–Ito colour-blind-safe palette.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from socialkit.html import STATUS_COLOURS
from socialkit.metrics import weekly_counts
from socialkit.metrics.conversation import reply_threads

__all__ = [
    "PALETTE",
    "PLATFORM_COLOURS",
    "theme",
    "weekly_posts",
    "format_mix",
    "findings_summary",
    "response_times",
]

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
PLATFORM_COLOURS = dict(
    zip(
        ["instagram", "facebook", "x", "linkedin", "tiktok", "youtube", "other"],
        PALETTE,
        strict=False,
    )
)

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


def _ax(ax):
    if ax is None:
        _, ax = plt.subplots()
    return ax


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
            label=platform,
            color=PLATFORM_COLOURS.get(platform),
            align="edge",
        )
        bottom = counts[platform] if bottom is None else bottom + counts[platform]
    ax.set_xlabel("week starting")
    ax.set_ylabel("posts per week")
    ax.set_title("Posting calendar")
    if len(counts.columns):
        ax.legend(ncols=min(len(counts.columns), 6), loc="upper left", fontsize=8)
    ax.figure.autofmt_xdate()
    return ax


def format_mix(posts: pd.DataFrame, ax=None):
    """Horizontal stacked bars: share of each format per platform."""
    ax = _ax(ax)
    table = pd.crosstab(posts["platform"], posts["format"].fillna("unknown"), normalize="index")
    left = pd.Series(0.0, index=table.index)
    for i, fmt in enumerate(table.columns):
        ax.barh(table.index, table[fmt], left=left, label=fmt, color=PALETTE[i % len(PALETTE)])
        left += table[fmt]
    ax.set_xlim(0, 1)
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
