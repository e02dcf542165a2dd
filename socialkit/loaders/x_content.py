"""X (Twitter) Analytics *content* export, the one x.com/i/account_analytics writes now.

Source of the header set: no real file of this export is in ``shared/data/
real`` (only the older "Tweet activity" export, :mod:`.x_analytics`). Public
code that reads it (parsers and their tests, 2024–2026) shows the header
``Post id, Date, Post text, Post Link, Impressions, Likes, Engagements,
Bookmarks, Shares, New follows, Replies, Reposts, Profile visits, Detail
Expands, URL Clicks, Hashtag Clicks, Permalink Clicks`` — sometimes behind a
UTF-8 byte-order mark, sometimes with fewer metric columns — and dates written
``Mon, Sep 14, 2026`` (some files ``2026-09-14``): a calendar day, no time.

Mapping
-------
``post_id`` = Post id; ``url`` = Post Link; ``text`` = Post text;
``published_at`` = Date at 00:00 UTC (the export has no time of day nor zone;
noted); ``impressions`` = Impressions; ``reactions`` = Likes (X has no other
reaction); ``comments`` = Replies; ``shares`` = Reposts (as ``retweets`` in the
older export, so the two read alike); ``saves`` = Bookmarks; ``clicks`` = URL
Clicks (link clicks, as ``url clicks`` in the older export).

Not mapped, and why: ``Engagements`` (X's own sum of interactions; socialkit
computes its rates from the parts), ``Shares`` (sends of the post by message or
link copy — not reposts; no canonical column), ``New follows``, ``Profile
visits``, ``Detail Expands``, ``Hashtag Clicks``, ``Permalink Clicks``. The
export does not say whether a post had media, so ``format`` stays empty (NA)
rather than guessed; ``paid`` and ``reach`` are not in it either.

Counts may be quoted with grouping (``"1,234"``) or abbreviated (``1.2K``:
rounded, noted); ids a spreadsheet turned into ``1.22158E+17`` are set aside
with a note asking for a fresh export (see :mod:`._numbers`; the format is
a :class:`~socialkit.loaders._tabular.TabularFormat`).
"""

from socialkit.loaders._tabular import TabularFormat, register_tabular

__all__ = ["CONTENT", "HEADER"]

#: The full header as X writes it.
HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
    "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
    "Permalink Clicks"
).split(",")

CONTENT = register_tabular(
    TabularFormat(
        name="x_content",
        description="X Analytics content export (Post id, Date, Post text, …; CSV)",
        table="posts",
        platform="x",
        columns={
            "post_id": ("Post id",),
            "published_at": ("Date",),
            "text": ("Post text",),
            "url": ("Post Link",),
            "impressions": ("Impressions",),
            "reactions": ("Likes",),
            "comments": ("Replies",),
            "shares": ("Reposts",),
            "saves": ("Bookmarks",),
            "clicks": ("URL Clicks",),
        },
        signature=("Post id", "Date", "Post text"),
        time_formats=("%a, %b %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%a, %b %d, %Y %H:%M"),
        note="the X content export gives each post's date without time of day or zone; "
        "posts are placed at 00:00 UTC of that date. Whether a post had media is not in "
        "the export: format is left empty.",
    )
)
