"""Meta Business Suite / Meta Insights post exports (CSV) for Facebook and Instagram.

Source of the header sets: no real Business Suite export was available to us
(none is in ``shared/data/real``). The columns below are those Meta Business
Suite → Insights → Content → Export data writes for posts, as listed in
Meta's Business Help Center pages on exporting content insights and as seen
in public analysis repositories; the fixtures in ``tests/fixtures/meta_*``
were written from this list. Still unknown / unverified, and therefore not
relied upon: whether every column is present in every locale (only English
headers are mapped), and post-type labels beyond those listed.

Time zone: Meta documents Business Suite insights times as the Page's /
account's time zone, and the file does not state which. ``Publish time`` is
read in the client's ``timezone:`` (client.yaml) when it is set, else as UTC;
a note says which (:attr:`TabularFormat.account_zone`).

Variants met in public code that reads these exports: Instagram files with a
``Data comment, Date`` pair where ``Date`` is ``Lifetime`` (the metric period,
not a date: ignored) and counts quoted with grouping (``"12,400"``); a
Facebook *Reels* export with only ``Post ID, Page ID, Page name, Title,
Duration (sec), Publish time, Permalink, Post type, Views, Average Seconds
viewed`` behind a UTF-8 byte-order mark, whose Post type is ``Reel``
(singular) — a video. There ``Views`` (Meta's 2025 replacement for
impressions: times the content was played or shown) maps to ``impressions``
and, for video formats, to ``video_views`` as well when the file has no
``3-second video views``; ``Average Seconds viewed`` has no canonical column.

Facebook: ``Post ID, Page ID, Page name, Title, Description, Duration (sec),
Publish time, Caption type, Permalink, Is crosspost, Is share, Post type,
Languages, Custom labels, Funded content status, Data comment, Date,
Impressions, Reach, Reactions, comments and shares, Reactions, Comments,
Shares, Total clicks, Link clicks, Other clicks, 3-second video views``.

Instagram: ``Post ID, Account ID, Account username, Account name,
Description, Duration (sec), Publish time, Permalink, Post type, Data
comment, Date, Impressions, Reach, Likes, Shares, Follows, Comments, Saves,
Plays`` (2025 exports write ``Views`` where older ones wrote ``Impressions``;
both map to ``impressions``).

Mapping: ``reactions`` = Reactions (Facebook: all reaction types) or Likes
(Instagram); ``shares`` = Shares; ``saves`` = Saves; ``clicks`` = Total
clicks; ``video_views`` = 3-second video views (Facebook) or Plays
(Instagram); ``paid`` from ``Funded content status`` (a label such as "Boosted" means
paid; empty means organic). ``Publish time`` is ``MM/DD/YYYY HH:MM``.
"""

from socialkit.loaders._tabular import TabularFormat, register_tabular

_VIDEO_TYPES = {"videos", "video", "reels", "reel", "ig reel", "ig video"}


def _prepare(frame):
    if "paid" in frame:  # Funded content status: a label such as "Boosted" when paid
        frame["paid"] = frame["paid"].notna().map({True: "true", False: "false"})
    if "video_views" not in frame and "views" in frame and "format" in frame:
        video = frame["format"].astype("string").str.strip().str.lower().isin(_VIDEO_TYPES)
        frame["video_views"] = frame["views"].where(video)
    return frame.drop(columns=["views"], errors="ignore")


_TIMES = ("%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z")

FACEBOOK = register_tabular(
    TabularFormat(
        name="meta_facebook",
        description="Meta Business Suite Facebook post export (CSV)",
        table="posts",
        platform="facebook",
        columns={
            "post_id": ("Post ID",),
            "published_at": ("Publish time",),
            "text": ("Description", "Title"),
            "url": ("Permalink",),
            "format": ("Post type",),
            "paid": ("Funded content status",),
            "impressions": ("Impressions", "Views"),
            "views": ("Views",),
            "reach": ("Reach",),
            "reactions": ("Reactions",),
            "comments": ("Comments",),
            "shares": ("Shares",),
            "clicks": ("Total clicks",),
            "video_views": ("3-second video views",),
        },
        signature=("Post ID", "Page ID", "Publish time", "Post type"),
        time_formats=_TIMES,
        formats={
            "photos": "image",
            "photo": "image",
            "videos": "video",
            "video": "video",
            "reels": "video",
            "reel": "video",
            "links": "link",
            "link": "link",
            "text": "text",
            "status": "text",
            "live": "live",
            "albums": "carousel",
        },
        account_zone=True,
        prepare=_prepare,
        counts=("views",),
    )
)

INSTAGRAM = register_tabular(
    TabularFormat(
        name="meta_instagram",
        description="Meta Business Suite Instagram post export (CSV)",
        table="posts",
        platform="instagram",
        columns={
            "post_id": ("Post ID",),
            "published_at": ("Publish time",),
            "text": ("Description",),
            "url": ("Permalink",),
            "format": ("Post type",),
            "impressions": ("Impressions", "Views"),
            "views": ("Views",),
            "reach": ("Reach",),
            "reactions": ("Likes",),
            "comments": ("Comments",),
            "shares": ("Shares",),
            "saves": ("Saves",),
            "video_views": ("Plays",),
        },
        signature=("Post ID", "Account ID", "Publish time", "Post type"),
        time_formats=_TIMES,
        formats={
            "ig image": "image",
            "ig carousel": "carousel",
            "ig reel": "video",
            "ig video": "video",
            "ig story": "story",
        },
        account_zone=True,
        prepare=_prepare,
        counts=("views",),
    )
)
