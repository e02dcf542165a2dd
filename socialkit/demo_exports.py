"""Write demo posts the way the platforms export them (Meta Business Suite, TikTok).

The demo clients must exercise the same path as real data: native export
files in ``exports/`` → loaders → canonical tables. A platform's posts are
written natively only when the native format can say everything the demo
holds for them (e.g. TikTok exports are video-only, Instagram has no link
posts); otherwise they stay in the canonical ``posts.csv`` — so each demo
client is a mix, as real client folders are. The layouts are those documented
in :mod:`socialkit.loaders.meta_business` and :mod:`socialkit.loaders.tiktok`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["WRITERS", "write_native"]

_META_TIME = "%m/%d/%Y %H:%M"


def _count(s: pd.Series) -> pd.Series:
    return s.astype("Int64").astype("string").fillna("")


def _meta_facebook(p: pd.DataFrame) -> pd.DataFrame:
    types = {"image": "Photos", "video": "Videos", "link": "Links", "text": "Text"}
    return pd.DataFrame(
        {
            "Post ID": p["post_id"],
            "Page ID": "100000000000001",
            "Page name": "Demo",
            "Title": "",
            "Description": p["text"],
            "Duration (sec)": "",
            "Publish time": p["published_at"].dt.strftime(_META_TIME),
            "Caption type": "",
            "Permalink": p["url"],
            "Is crosspost": "No",
            "Is share": "No",
            "Post type": p["format"].map(types),
            "Languages": "",
            "Custom labels": "",
            "Funded content status": p["paid"].map({True: "Boosted"}).fillna(""),
            "Data comment": "",
            "Date": "Lifetime",
            "Impressions": _count(p["impressions"]),
            "Reach": _count(p["reach"]),
            "Reactions, comments and shares": _count(p["reactions"] + p["comments"] + p["shares"]),
            "Reactions": _count(p["reactions"]),
            "Comments": _count(p["comments"]),
            "Shares": _count(p["shares"]),
            "Total clicks": _count(p["clicks"]),
            "Link clicks": "",
            "Other clicks": "",
            "3-second video views": _count(p["video_views"]),
        }
    )


def _meta_instagram(p: pd.DataFrame) -> pd.DataFrame:
    types = {
        "image": "IG image",
        "carousel": "IG carousel",
        "video": "IG reel",
        "story": "IG story",
    }
    return pd.DataFrame(
        {
            "Post ID": p["post_id"],
            "Account ID": "17800000000000001",
            "Account username": "demo",
            "Account name": "Demo",
            "Description": p["text"],
            "Duration (sec)": "",
            "Publish time": p["published_at"].dt.strftime(_META_TIME),
            "Permalink": p["url"],
            "Post type": p["format"].map(types),
            "Data comment": "",
            "Date": "Lifetime",
            "Impressions": _count(p["impressions"]),
            "Reach": _count(p["reach"]),
            "Likes": _count(p["reactions"]),
            "Shares": _count(p["shares"]),
            "Follows": "",
            "Comments": _count(p["comments"]),
            "Saves": _count(p["saves"]),
            "Plays": _count(p["video_views"]),
        }
    )


def _tiktok(p: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Video title": p["text"],
            "Video link": "https://www.tiktok.com/@demo/video/" + p["post_id"],
            "Post time": p["published_at"].dt.strftime("%Y-%m-%d %H:%M:%S"),
            "Total likes": _count(p["reactions"]),
            "Total comments": _count(p["comments"]),
            "Total shares": _count(p["shares"]),
            "Total views": _count(p["video_views"]),
            "Add to Favorites": _count(p["saves"]),
        }
    )


#: platform -> (formats the native export can express, writer, file name)
WRITERS = {
    "facebook": ({"image", "video", "link", "text"}, _meta_facebook, "meta_facebook_posts.csv"),
    "instagram": ({"image", "carousel", "video", "story"}, _meta_instagram, "meta_ig_posts.csv"),
    "tiktok": ({"video"}, _tiktok, "tiktok_content.csv"),
}


def write_native(posts: pd.DataFrame, exports: Path) -> pd.DataFrame:
    """Write the platforms that have a faithful native format; return the rest.

    Parameters
    ----------
    posts : DataFrame
        Canonical posts (``published_at`` as tz-aware UTC timestamps).
    exports : Path
        The client's ``exports/`` folder (created when something is written).

    Returns
    -------
    DataFrame
        The posts that stay canonical.
    """
    keep = pd.Series(True, index=posts.index)
    for platform, (formats, writer, name) in WRITERS.items():
        mine = posts["platform"] == platform
        if not mine.any() or not set(posts.loc[mine, "format"]) <= formats:
            continue
        exports.mkdir(parents=True, exist_ok=True)
        writer(posts[mine]).to_csv(exports / name, index=False, lineterminator="\n")
        keep &= ~mine
    return posts[keep]
