"""TikTok Analytics content export (TikTok Studio / Business Center, CSV).

Source of the header set: no real TikTok export was available to us. The
columns are those of the per-video content table in TikTok Studio's
"Analytics → Content → Download data" as described in TikTok's Help Center
page on content analytics; the fixture ``tests/fixtures/tiktok_content.csv``
was written from it: ``Video title, Video link, Post time, Total likes, Total
comments, Total shares, Total views, Add to Favorites``. ``Post time`` is
``YYYY-MM-DD HH:MM:SS``; its time zone is the account's setting, not stated
in the file (read as UTC and noted).

Mapping: ``post_id`` = the id after ``/video/`` in ``Video link`` (the link
itself when it has none); ``reactions`` = Total likes; ``comments`` = Total
comments; ``shares`` = Total shares; ``video_views`` = Total views; ``saves``
= Add to Favorites; ``format`` = video. TikTok's content table has no
impressions or reach: they stay NA.

Unknown / unverified: localized header sets, thousands separators in some
locales (grouped values like ``1,234`` are accepted), and older exports that
name the time column ``Date``.
"""

from socialkit.loaders._tabular import TabularFormat, register_tabular


def _prepare(frame):
    link = frame["post_id"]
    frame["post_id"] = link.str.extract(r"/video/([^/?#]+)", expand=False).fillna(link)
    frame["format"] = "video"
    return frame


CONTENT = register_tabular(
    TabularFormat(
        name="tiktok_content",
        description="TikTok Analytics content export (one row per video, CSV)",
        table="posts",
        platform="tiktok",
        columns={
            "post_id": ("Video link",),
            "url": ("Video link",),
            "text": ("Video title",),
            "published_at": ("Post time", "Date"),
            "reactions": ("Total likes",),
            "comments": ("Total comments",),
            "shares": ("Total shares",),
            "video_views": ("Total views",),
            "saves": ("Add to Favorites",),
        },
        signature=("Video title", "Video link", "Total views"),
        time_formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M"),
        prepare=_prepare,
        note="TikTok writes Post time in the account's time zone without saying which; "
        "read as UTC.",
    )
)
