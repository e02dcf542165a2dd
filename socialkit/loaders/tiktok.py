"""TikTok Analytics content export (TikTok Studio / Business Center, CSV).

Source of the header set: no real TikTok export was available to us. The
columns are those of the per-video content table in TikTok Studio's
"Analytics → Content → Download data" as described in TikTok's Help Center
page on content analytics; the fixture ``tests/fixtures/tiktok_content.csv``
was written from it: ``Video title, Video link, Post time, Total likes, Total
comments, Total shares, Total views, Add to Favorites``.

Variants met in public code that reads these files (the same table, other
spellings): TikTok Studio writes ``Video publish time`` for the time column;
some exports put ``Post time`` before ``Video link`` and add ``Average watch
time`` and ``Reach``. Counts may be written as the app shows them — ``1.2K``
(read as 1,200 and noted as rounded) or quoted with grouping (``"18,400"``) —
and ``undefined`` where TikTok has no figure (read as NA, never 0).

Mapping: ``post_id`` = the id after ``/video/`` in ``Video link`` (the link
itself when it has none); ``reactions`` = Total likes; ``comments`` = Total
comments; ``shares`` = Total shares; ``video_views`` = Total views; ``saves``
= Add to Favorites; ``reach`` = Reach (unique viewers, when the export has
it); ``format`` = video. ``Average watch time`` has no canonical column.
TikTok's content table has no impressions: they stay NA.

Time zone: ``Post time`` is ``YYYY-MM-DD HH:MM:SS`` in the account's time zone
(TikTok Studio shows analytics in the account's zone), not stated in the file:
read in the client's ``timezone:`` when it is set, else UTC, and noted.

Unknown / unverified: localized header sets, and older exports that name the
time column ``Date``.
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
            "published_at": ("Post time", "Video publish time", "Date"),
            "reactions": ("Total likes",),
            "comments": ("Total comments",),
            "shares": ("Total shares",),
            "video_views": ("Total views",),
            "saves": ("Add to Favorites",),
            "reach": ("Reach",),
        },
        signature=("Video title", "Video link", "Total views"),
        time_formats=("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M"),
        prepare=_prepare,
        account_zone=True,
    )
)
