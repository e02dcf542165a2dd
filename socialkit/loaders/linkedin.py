"""LinkedIn Page analytics exports: content (posts) and followers.

Source of the header sets: no real LinkedIn export was available to us. The
columns are those of the Page admin "Analytics → Posts/Followers → Export"
workbooks (an ``.xls`` name holding an .xlsx workbook) as described on
LinkedIn's Help pages for Page analytics exports; fixtures in
``tests/fixtures/linkedin_*`` were built from this description.

Content export, sheet ``All posts``: row 1 is a title/explanation line, the
header is row 2: ``Post title, Post link, Post type, Campaign name, Posted by,
Created date, Campaign start date, Campaign end date, Audience, Impressions,
Views (excluding off-site video views), Offsite Views, Clicks, Click through
rate (CTR), Likes, Comments, Reposts, Follows, Engagement rate, Content Type``.
``Created date`` is ``MM/DD/YYYY`` with no time of day.

Followers export, sheet ``New followers``: ``Date, Sponsored followers,
Organic followers, Auto-invited followers, Total followers`` — here "Total
followers" is the number *gained* that day, not the audience size, so it maps
to ``new_followers`` and ``followers`` stays NA.

Video views: ``video_views`` = ``Views (excluding off-site video views)`` +
``Offsite Views`` (also spelt ``Off-site views``): the two add up to every view
of the video, on LinkedIn and where it is embedded; NA only when both are.

Unknown / unverified: locale variants of the headers, whether ``Likes`` counts
all reactions (LinkedIn's UI calls them reactions; we map it to ``reactions``),
and the time zone of the dates (read as UTC calendar days: a date has no
time of day to shift, and LinkedIn does not document the zone).
"""

from socialkit.loaders._mapping import sum_counts
from socialkit.loaders._tabular import TabularFormat, register_tabular


def _views(frame):
    """On-LinkedIn plus off-site video views (either alone when the other is absent)."""
    parts = [frame[c] for c in ("video_views", "offsite_views") if c in frame]
    if parts:
        frame["video_views"] = sum_counts(*parts)
    return frame.drop(columns=["offsite_views"], errors="ignore")


CONTENT = register_tabular(
    TabularFormat(
        name="linkedin_content",
        description="LinkedIn Page content export (All posts sheet, .xls/.xlsx or CSV)",
        table="posts",
        platform="linkedin",
        columns={
            "post_id": ("Post link",),
            "url": ("Post link",),
            "text": ("Post title",),
            "published_at": ("Created date",),
            "format": ("Content Type",),
            "impressions": ("Impressions",),
            "clicks": ("Clicks",),
            "reactions": ("Likes", "Reactions"),
            "comments": ("Comments",),
            "shares": ("Reposts", "Shares"),
            "video_views": ("Views (excluding off-site video views)",),
            "offsite_views": ("Offsite Views", "Off-site views", "Off-site video views"),
        },
        signature=("Post title", "Post link", "Created date", "Impressions"),
        time_formats=("%m/%d/%Y", "%Y-%m-%d"),
        formats={
            "image": "image",
            "images": "image",
            "video": "video",
            "text": "text",
            "article": "link",
            "link": "link",
            "document": "carousel",
            "carousel": "carousel",
            "poll": "other",
        },
        sheet="All posts",
        prepare=_views,
        counts=("offsite_views",),
        note="LinkedIn gives a creation date without time of day; posts are placed at 00:00 UTC.",
    )
)

FOLLOWERS = register_tabular(
    TabularFormat(
        name="linkedin_followers",
        description="LinkedIn Page followers export (New followers sheet)",
        table="followers",
        platform="linkedin",
        columns={"date": ("Date",), "new_followers": ("Total followers",)},
        signature=("Date", "Sponsored followers", "Organic followers", "Total followers"),
        time_formats=("%m/%d/%Y", "%Y-%m-%d"),
        sheet="New followers",
    )
)
