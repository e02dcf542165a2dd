"""What one report shows for its period: the period, the KPI tiles, the trend charts to draw."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from socialkit.metrics.kpis import Tile, kpi_tiles
from socialkit.metrics.period import Period, data_until, resolve_period

__all__ = ["PeriodView", "period_view"]


@dataclass
class PeriodView:
    """The reporting period of one client and what the report shows for it.

    Attributes
    ----------
    period : Period
    tiles : list of Tile
    silent : list of (platform, datetime.date)
        Platforms with no row in the period, and the day their data ends.
    end : Timestamp
        The end of the charts' time axis (the end of the period, or of the data).
    trend_metrics : list of str
        The weekly figures the data has (followers, impressions or reach or views,
        engagement rate).
    timezone : str
        The client's clock for posting times.
    """

    period: Period
    tiles: list[Tile]
    silent: list
    end: pd.Timestamp
    trend_metrics: list[str]
    timezone: str


def _last_by_platform(client) -> dict:
    last = {}
    for frame, col in (
        (client.posts, "published_at"),
        (client.comments, "created_at"),
        (client.followers, "date"),
    ):
        if len(frame):
            t = pd.to_datetime(frame[col], utc=True)
            for plat, v in t.groupby(frame["platform"].astype(str)).max().items():
                if v == v:
                    last[plat] = max(last.get(plat, v), v)
    return last


def _has(frame, col) -> bool:
    return (
        len(frame) > 0 and col in frame and pd.to_numeric(frame[col], errors="coerce").notna().any()
    )


def period_view(client, *, period: str = "", date_from: str = "", date_to: str = "") -> PeriodView:
    """The period (``--period``/``--from``/``--to`` or the last full month) and its tiles."""
    from socialkit.zones import local_zone

    until = data_until(client.posts, client.comments, client.followers)
    p = resolve_period(period or None, start=date_from or None, end=date_to or None, until=until)
    tiles = kpi_tiles(
        client.posts, client.followers, client.comments, p, tuple(client.profile.kpis or ())
    )
    lo, _ = p.bounds()
    silent = sorted((k, v.date()) for k, v in _last_by_platform(client).items() if v < lo)
    end = p.bounds()[1]
    if until is not None:
        end = min(end, until) if until >= lo else end
    metrics = []
    if _has(client.followers, "followers") or _has(client.posts, "followers"):
        metrics.append("followers")
    for m in ("impressions", "reach", "video_views"):
        if _has(client.posts, m):
            metrics.append(m)
            break
    if _has(client.posts, "reactions") or _has(client.posts, "comments"):
        metrics.append("engagement_rate")
    zone = local_zone(client.profile)[0]
    return PeriodView(p, tiles, silent, end, metrics, zone)
