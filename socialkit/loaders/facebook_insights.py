"""Facebook legacy Page Insights export ("Export Data", before Meta Business Suite).

Files: ``Facebook Insights Data Export (Post Level) - <Page> - <date>.xls/.xlsx``
(one row per post -> ``posts``) and ``Facebook Insights Data Export - <Page> -
<date>.xls`` (one row per day -> ``followers``). The ``.xls`` files are
SpreadsheetML 2003 XML, not Excel binaries (see :mod:`._sheets`). Header set:
the real LOK exports in ``shared/data/real/facebook_insights_export_lok_2017``
(six files, both header styles) and the metric definitions of the Graph API
Page Insights reference (developers.facebook.com/docs/graph-api/reference/
insights).

Layout
------
* Sheet 1 ``Key Metrics``: row 1 headers, **row 2 metric descriptions** (not
  data, skipped and noted), data from row 3. Headers are display names
  (``Lifetime Post Total Reach``) or API names (``post_impressions_unique:
  lifetime``); both are mapped. Four display names occur twice (e.g.
  ``Lifetime Organic Video Views``): by the export's column order the first is
  the unique-users metric, the second the total count.
* Sheet ``Lifetime Post Stories by act...`` (sheet names are cut at 31
  characters): stories by action type — ``like``, ``comment``, ``share`` per
  post (total count). An empty cell there is 0: Graph API breakdowns "only
  return non-zero values". When the sheet is missing, those counts stay NA.

Mapping (posts)
---------------
``reach`` = post_impressions_unique (Lifetime Post Total Reach);
``impressions`` = post_impressions; ``clicks`` = post_consumptions (clicks
anywhere in the post); ``video_views`` = organic + paid video views (total
counts); ``reactions`` = like stories (2017 exports have no other reaction
types); ``comments`` / ``shares`` = comment / share stories; ``paid`` = paid
impressions > 0; ``format`` from Type (Photo -> image, Video -> video, Link ->
link, Status -> text, others -> other); ``post_id`` = Post ID
(``<page id>_<post id>``).

Time zone
---------
``Posted`` has no offset. We read it as Pacific Time (America/Los_Angeles),
where Facebook keeps Insights data: in the LOK sample, a Vietnamese page's
"Hello October" post and new cover photo are stamped 2017-09-30 10:00, which
is exactly midnight of 1 October in Vietnam only under Pacific (daylight) time.
Page-level ``Date`` values are Pacific calendar days, kept as dates. This is
Facebook's storage zone, not the Page's: the client's ``timezone:`` is not
applied here (unlike Meta Business Suite exports, :mod:`.meta_business`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from socialkit.loaders._mapping import finish, map_columns, norm, sum_counts
from socialkit.loaders._registry import register_loader
from socialkit.loaders._sheets import read_workbook, sheet_frame

__all__ = ["read_facebook_insights", "TIMEZONE"]

TIMEZONE = "America/Los_Angeles"

POST_COLUMNS = {
    "post_id": ("Post ID",),
    "url": ("Permalink",),
    "text": ("Post Message",),
    "type": ("Type",),
    "published_at": ("Posted",),
    "reach": ("post_impressions_unique:lifetime", "Lifetime Post Total Reach"),
    "impressions": ("post_impressions:lifetime", "Lifetime Post Total Impressions"),
    "paid_impressions": ("post_impressions_paid:lifetime", "Lifetime Post Paid Impressions"),
    "clicks": ("post_consumptions:lifetime", "Lifetime Post Consumptions"),
    "video_organic": ("post_video_views_organic:lifetime",),
    "video_paid": ("post_video_views_paid:lifetime",),
}
#: Display names written twice; by column order: (unique users, total count).
_TWICE = {
    "lifetime organic views to 95%": "post_video_complete_views_organic",
    "lifetime paid views to 95%": "post_video_complete_views_paid",
    "lifetime organic video views": "post_video_views_organic",
    "lifetime paid video views": "post_video_views_paid",
}
PAGE_COLUMNS = {
    "date": ("Date",),
    "followers": ("page_fans:lifetime", "Lifetime Total Likes"),
    "new_followers": ("page_fan_adds_unique:day", "Daily New Likes"),
    "lost_followers": ("page_fan_removes_unique:day", "Daily Unlikes"),
}
_FORMATS = {
    "photo": "image",
    "video": "video",
    "sharedvideo": "video",
    "link": "link",
    "status": "text",
}


def detect(path: Path, header) -> bool:
    names = {norm(h) for h in header}
    posts = {"post id", "permalink", "posted"} <= names
    page = (
        bool(header)
        and norm(header[0]) == "date"
        and bool(names & {"page_fans:lifetime", "lifetime total likes"})
    )
    return path.suffix.lower() in {".xls", ".xlsx", ".xml"} and (posts or page)


def _names(header: list) -> list[str]:
    """Column names, with the display names written twice told apart by position."""
    seen: dict[str, int] = {}
    names = []
    for h in header:
        h = h.strip() if isinstance(h, str) else ""
        key = norm(h)
        if key in _TWICE:
            seen[key] = seen.get(key, 0) + 1
            names.append(_TWICE[key] + ("_unique" if seen[key] == 1 else "") + ":lifetime")
        else:
            names.append(h)
    return names


def _stories(sheets: dict) -> pd.DataFrame | None:
    """like/comment/share per Post ID from the stories-by-action-type sheet."""
    for name, rows in sheets.items():
        if not name.lower().startswith("lifetime post stories by act") or not rows:
            continue
        frame = sheet_frame(rows)
        if "Post ID" not in frame:
            return None
        cols = {c: frame[c] if c in frame else None for c in ("like", "comment", "share")}
        out = pd.DataFrame({"post_id": frame["Post ID"]})
        for c, s in cols.items():
            out[c] = s.fillna("0") if s is not None else pd.NA  # breakdowns omit zeros
        return out.dropna(subset=["post_id"]).drop_duplicates("post_id").set_index("post_id")
    return None


def read_facebook_insights(path) -> list:
    """Load a legacy Page Insights export (post level -> posts, page level -> followers)."""
    path = Path(path)
    sheets, notes = read_workbook(path)
    if not sheets:
        return []
    rows = next(iter(sheets.values()))
    frame = sheet_frame(rows, _names(rows[0][1])) if rows else sheet_frame(rows)
    if len(frame) and pd.isna(frame.iloc[0, 0]):  # row 2: metric descriptions, not data
        notes.append(
            f"{path.name}: row {frame['source_row'].iloc[0]} holds the metric descriptions, "
            "not data; skipped."
        )
        frame = frame.iloc[1:].reset_index(drop=True)
    if "Post ID" in frame.columns:
        return [_posts(frame, sheets, path, notes)]
    return [_followers(frame, path, notes)]


def _posts(frame, sheets, path, notes):
    cols, ignored = map_columns(frame, POST_COLUMNS, path.name)
    stories = _stories(sheets)
    posts = pd.DataFrame(
        {
            "platform": "facebook",
            "post_id": cols["post_id"],
            "published_at": cols["published_at"],
            "text": cols.get("text"),
            "url": cols.get("url"),
            "format": cols["type"].str.strip().str.lower().map(_FORMATS).fillna("other")
            if "type" in cols
            else None,
            "reach": cols.get("reach"),
            "impressions": cols.get("impressions"),
            "clicks": cols.get("clicks"),
            "source_row": cols["source_row"],
        }
    )
    if "paid_impressions" in cols:
        paid = pd.to_numeric(cols["paid_impressions"], errors="coerce")
        posts["paid"] = (paid > 0).map({True: "true", False: "false"}).where(paid.notna())
    if "video_organic" in cols or "video_paid" in cols:
        parts = [cols[c] for c in ("video_organic", "video_paid") if c in cols]
        posts["video_views"] = sum_counts(*parts).where(posts["format"] == "video")
    if stories is not None:
        joined = stories.reindex(posts["post_id"].astype(object))
        for src, dst in (("like", "reactions"), ("comment", "comments"), ("share", "shares")):
            posts[dst] = pd.Series(joined[src].to_numpy(), index=posts.index, dtype="string")
    else:
        notes.append(
            f"{path.name}: no 'Lifetime Post Stories by action type' sheet; likes, comments "
            "and shares are unknown (NA)."
        )
    return finish(
        posts,
        "posts",
        path.name,
        "facebook_insights",
        ignored=ignored,
        timezone=TIMEZONE,
        notes=notes,
    )


def _followers(frame, path, notes):
    cols, ignored = map_columns(frame, PAGE_COLUMNS, path.name)
    cols["platform"] = "facebook"
    return finish(cols, "followers", path.name, "facebook_insights", ignored=ignored, notes=notes)


register_loader(
    "facebook_insights",
    detect,
    read_facebook_insights,
    "Facebook legacy Page Insights export, post or page level (SpreadsheetML .xls or .xlsx)",
    headers=tuple(s for cols in (POST_COLUMNS, PAGE_COLUMNS) for v in cols.values() for s in v),
)
