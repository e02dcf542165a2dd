"""YouTube Studio "Advanced mode" export: ``Table data.csv`` (per video).

Source of the header set: the real export in ``shared/data/real/
youtube_studio_export_suuz`` (``Content, Video title, Video publish time,
Duration, Views, Watch time (hours), Subscribers, Impressions, Impressions
click-through rate (%)``). Studio lets the user add or remove metric columns,
so only ``Content`` and ``Video publish time`` are required; ``Likes``,
``Comments added`` and ``Shares`` are mapped when present (their names as
Studio shows them in the metric picker).

Mapping: ``post_id`` = Content (the video id); ``published_at`` = the publish
date (``Apr 29, 2020``; the export has no time of day, so posts are placed at
00:00 in the channel's time zone, which the export does not state — we use
UTC and say so in a note); ``video_views`` = Views; ``impressions`` =
Impressions (thumbnail impressions on YouTube); ``format`` = video.
Subscribers gained per video is not a canonical column and is left out.

Why the client's ``timezone:`` is not applied here: the publish value is a
calendar date with no time of day, and Google documents YouTube Analytics
figures as reported in Pacific Time rather than the channel's zone — which of
the two the date follows is not documented, so the date is kept as written
(00:00 UTC) and said so.

The first data row is the ``Total`` row. It is not a post: it is removed and
used as a cross-check — the sum of the videos' views is compared with it and
the result is noted (exports of a filtered view can legitimately differ).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from socialkit.loaders._mapping import finish, map_columns, norm, strip_thousands
from socialkit.loaders._read import read_delimited
from socialkit.loaders._registry import register_loader

__all__ = ["read_youtube_table"]

ALIASES = {
    "post_id": ("Content",),
    "text": ("Video title",),
    "published_at": ("Video publish time",),
    "video_views": ("Views",),
    "impressions": ("Impressions",),
    "reactions": ("Likes",),
    "comments": ("Comments added",),
    "shares": ("Shares",),
}
_TIME_FORMATS = ("%b %d, %Y", "%Y-%m-%d", "%d %b %Y")


def detect(path: Path, header) -> bool:
    names = {norm(h) for h in header}
    return {"content", "video publish time"} <= names


def read_youtube_table(path) -> list:
    """Load ``Table data.csv`` into the canonical ``posts`` table."""
    path = Path(path)
    raw = read_delimited(path)
    frame, ignored = map_columns(raw.frame, ALIASES, path.name)
    notes = list(raw.notes)
    is_total = frame["post_id"].str.strip().str.casefold().eq("total").fillna(False)
    totals = frame[is_total]
    frame = frame[~is_total]
    if len(totals) and "video_views" in frame:
        views = pd.to_numeric(strip_thousands(frame["video_views"]), errors="coerce").sum()
        total = pd.to_numeric(strip_thousands(totals["video_views"]), errors="coerce").iloc[0]
        agree = "agrees with" if views == total else "differs from"
        notes.append(
            f"{path.name}: the 'Total' row (row {int(totals['source_row'].iloc[0])}) is not a "
            f"post and was set aside; the videos' views sum to {views:,.0f}, which {agree} "
            f"its {total:,.0f} (a total can include deleted or private videos)."
        )
    notes.append(
        f"{path.name}: publish dates have no time of day; posts are placed at 00:00 UTC "
        "(the hour of posting is unknown for these videos)."
    )
    posts = frame.copy()
    for c in ("video_views", "impressions", "reactions", "comments", "shares"):
        if c in posts:
            posts[c] = strip_thousands(posts[c])
    posts = posts.assign(platform="youtube", format="video")
    posts["url"] = "https://www.youtube.com/watch?v=" + frame["post_id"].str.strip()
    set_aside = [
        {
            "source_row": int(r),
            "column": "Content",
            "value": "Total",
            "rule": "total_row",
            "reason": "the export's Total row is a sum, not a post (kept as a cross-check)",
        }
        for r in totals["source_row"]
    ]
    return [
        finish(
            posts,
            "posts",
            path.name,
            "youtube_studio",
            ignored=ignored,
            rejected=set_aside + raw.rejected,
            time_formats=_TIME_FORMATS,
            notes=notes,
        )
    ]


register_loader(
    "youtube_studio",
    detect,
    read_youtube_table,
    "YouTube Studio advanced-mode export, Table data.csv (one row per video)",
    headers=tuple(s for spellings in ALIASES.values() for s in spellings),
)
