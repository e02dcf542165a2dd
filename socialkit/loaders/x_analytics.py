"""X/Twitter Analytics "Tweet activity" export (``tweet_activity_metrics_*.csv``).

Source of the header set
------------------------
* English: the monthly exports committed unmodified by rOpenSci
  (github.com/ropensci-org/ropensci-tweets, ``tweet_activity_metrics_rOpenSci_
  20211101_20211201_en.csv``): ``Tweet id, Tweet permalink, Tweet text, time,
  impressions, engagements, engagement rate, retweets, replies, likes, user
  profile clicks, url clicks, hashtag clicks, detail expands, permalink clicks,
  app opens, app installs, follows, email tweet, dial phone, media views, media
  engagements`` and the same 18 metrics prefixed ``promoted``.
* Portuguese: the real export in ``shared/data/real/twitter_analytics_export_
  vayno_pt`` (``id do Tweet``, ``horário``, ``impressões``, ``favoritos`` …,
  promoted columns suffixed ``promovido(a)(s)``).
* Other interface languages (Spanish, French, German, …): we found no published
  sample of their header text, so we do not guess translations. Both real
  samples have the same 40 columns in the same order, so a file whose header
  we do not know is recognised by its *shape* instead: 40 (or 22) columns whose
  first value is a numeric tweet id, second a ``/status/`` permalink and fourth
  a ``YYYY-MM-DD HH:MM +0000`` time; columns are then mapped by position and the
  result carries a note saying so.

Mapping
-------
``reactions`` = likes (X has no other reactions); ``shares`` = retweets;
``comments`` = replies; ``clicks`` = url clicks; ``video_views`` = media views
(X counts views of any media, images included — the closest the export has);
``format`` is ``other`` for a tweet with a URL in its text or media views (an
image, video, link card or quoted tweet: the export does not say which), else
``text``;
``reach`` stays NA (the export has no unique reach). Organic and promoted
counts are reported separately; a tweet with promoted impressions > 0 is
``paid`` and its promoted counts are added. ``-`` means "not promoted" and is
read as NA, never 0. Tweet ids a spreadsheet re-save wrote as ``1.46E+18`` are
set aside, never merged (:mod:`._numbers`). Counts are written as floats (``91.0``) and are accepted
when whole. Times carry an explicit ``+0000`` offset (UTC), so the client's
``timezone:`` is not needed to read them. X's current content export (``Post
id, Date, …``) is another format: :mod:`.x_content`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from socialkit.loaders._mapping import finish, map_columns, norm, sum_counts
from socialkit.loaders._numbers import lost_id_rows
from socialkit.loaders._read import head_rows, read_delimited
from socialkit.loaders._registry import register_loader

__all__ = ["read_x_analytics", "HEADERS", "ENGLISH_HEADER"]

#: Working column -> header spelling per language, in the export's column order.
HEADERS = {
    "post_id": ("Tweet id", "id do Tweet"),
    "url": ("Tweet permalink", "link permanente do Tweet"),
    "text": ("Tweet text", "texto do Tweet"),
    "published_at": ("time", "horário"),
    "impressions": ("impressions", "impressões"),
    "engagements": ("engagements", "engajamentos"),
    "engagement_rate": ("engagement rate", "taxa de engajamento"),
    "retweets": ("retweets", "retweets"),
    "replies": ("replies", "respostas"),
    "likes": ("likes", "favoritos"),
    "profile_clicks": ("user profile clicks", "cliques no perfil do usuário"),
    "url_clicks": ("url clicks", "cliques no URL"),
    "hashtag_clicks": ("hashtag clicks", "cliques em hashtags"),
    "detail_expands": ("detail expands", "expansões de detalhes"),
    "permalink_clicks": ("permalink clicks", "cliques no link permanente"),
    "app_opens": ("app opens", "aberturas de aplicativos"),
    "app_installs": ("app installs", "instalações de aplicativo"),
    "follows": ("follows", "seguiram"),
    "email_tweet": ("email tweet", "Tweet enviado por e-mail"),
    "dial_phone": ("dial phone", "número de telefone discado"),
    "media_views": ("media views", "visualizações da mídia"),
    "media_engagements": ("media engagements", "engajamentos com mídia"),
}
_ORGANIC = list(HEADERS)
_PROMOTED = ["promoted_" + k for k in _ORGANIC[4:]]
_PROMOTED_SPELLINGS = {
    "promoted_" + k: ("promoted " + en, pt + " promovido(a)(s)")
    for k, (en, pt) in list(HEADERS.items())[4:]
}
#: The English export's 40 header names, in order (organic, then promoted).
ENGLISH_HEADER = [en for en, _ in HEADERS.values()] + [en for en, _ in _PROMOTED_SPELLINGS.values()]
_TIME_FORMATS = ("%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %z")
#: The metrics this loader uses.
_USED = ("impressions", "likes", "replies", "retweets", "url_clicks", "media_views")
#: Their headers (organic and promoted, each language): counts written as ``91.0``, which
#: the reader returns as numbers when all of a column's values are whole numbers.
_DECIMAL_COUNTS = {
    norm(s): "decimal_count"
    for name in _USED
    for s in HEADERS[name] + _PROMOTED_SPELLINGS["promoted_" + name]
}
_KNOWN = {norm(s) for spellings in HEADERS.values() for s in spellings}
#: Headers the loader reads (the others are listed as ignored, never built into columns).
_READ = set(_DECIMAL_COUNTS) | {
    norm(s) for name in ("post_id", "url", "text", "published_at") for s in HEADERS[name]
}


def _by_position(header) -> bool:
    return len(header) in (len(_ORGANIC), len(_ORGANIC) + len(_PROMOTED))


def _shape_matches(path: Path, header) -> bool:
    if not _by_position(header):
        return False
    rows = head_rows(path, 2)
    row = rows[1] if len(rows) > 1 else []
    return (
        len(row) >= 4
        and row[0].strip().isdigit()
        and "/status/" in row[1]
        and re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d{4}$", row[3].strip()) is not None
    )


def detect(path: Path, header) -> bool:
    names = {norm(h) for h in header}
    if {norm("Tweet id"), norm("time")} <= names or {norm("id do Tweet"), norm("horário")} <= names:
        return True
    return path.suffix.lower() == ".csv" and _shape_matches(path, header)


def read_x_analytics(path) -> list:
    """Load one Tweet-activity export into the canonical ``posts`` table."""
    path = Path(path)
    header = (head_rows(path, 1) or [[]])[0]
    known = sum(norm(h) in _KNOWN for h in header)
    keep = _READ if known >= 4 else None  # by position (below), every column is needed
    raw = read_delimited(path, sep=",", types=_DECIMAL_COUNTS, na=("-",), keep=keep)
    notes = list(raw.notes)
    if known >= 4:
        frame, ignored = map_columns(raw.frame, {**HEADERS, **_PROMOTED_SPELLINGS}, path.name)
    else:  # an interface language we have no header text for: map by position
        names = (_ORGANIC + _PROMOTED)[: len(raw.header)]
        frame = raw.frame.iloc[:, : len(names)].set_axis(names, axis=1)
        frame["source_row"] = raw.frame["source_row"]
        ignored = []
        notes.append(
            f"{path.name}: header language not recognised ({raw.header[0]!r}, "
            f"{raw.header[3]!r}, …); columns were mapped by their position in the standard "
            "40-column Tweet activity export."
        )
    for name in ("post_id", "published_at"):  # required: validation names them if absent
        if name not in frame:
            frame[name] = pd.NA
    paid = None
    if "promoted_impressions" in frame:
        paid = pd.to_numeric(frame["promoted_impressions"], errors="coerce").fillna(0) > 0

    posts = pd.DataFrame(
        {
            "platform": "x",
            "post_id": frame["post_id"],
            "published_at": frame["published_at"],
            "text": frame.get("text"),
            "url": frame.get("url"),
            "format": _format(frame),
            "paid": paid.map({True: "true", False: "false"}) if paid is not None else None,
            "impressions": _total(frame, "impressions"),
            "reactions": _total(frame, "likes"),
            "comments": _total(frame, "replies"),
            "shares": _total(frame, "retweets"),
            "clicks": _total(frame, "url_clicks"),
            "video_views": _total(frame, "media_views"),
            "source_row": frame["source_row"],
        },
        copy=False,  # the text columns are the export's, not copies
    )
    ignored = [c for c in ignored + raw.dropped if not norm(c).startswith("promoted")]
    lost, lost_rejected, lost_notes = lost_id_rows(
        posts["post_id"], posts["source_row"], raw.header[0] if raw.header else "id", path.name
    )
    if lost.any():  # a spreadsheet re-saved the file: those ids no longer tell posts apart
        posts = posts[~lost]
    rejected, notes = raw.rejected + lost_rejected, notes + lost_notes
    del raw, frame, paid  # the export's count columns are summed: free them before validating
    return [
        finish(
            posts,
            "posts",
            path.name,
            "x_analytics",
            ignored=ignored,
            rejected=rejected,
            time_formats=_TIME_FORMATS,
            notes=notes,
        )
    ]


def _total(frame: pd.DataFrame, name: str) -> pd.Series | None:
    """Organic plus promoted count (:func:`sum_counts`); None when the export has neither."""
    parts = [frame[c] for c in (name, "promoted_" + name) if c in frame]
    return sum_counts(*parts) if parts else None


def _format(frame: pd.DataFrame) -> pd.Series:
    """``other`` for a tweet with media views or a URL in its text, else ``text``.

    Such a tweet is not text alone, but the export does not say what it carries: its
    image or video, a link card and a quoted tweet all show as a ``t.co`` URL, and
    media views are counted only when someone opened the media. Read as ``link``, the
    Portuguese real export's 87 tweets with a URL and no media views (texts like "me
    and my homies https://t.co/…", 0 URL clicks in all) made a quarter of its posts
    links.
    """
    views = frame["media_views"] if "media_views" in frame else pd.Series(pd.NA, index=frame.index)
    media = pd.to_numeric(views, errors="coerce").fillna(0) > 0
    text = frame["text"].fillna("") if "text" in frame else pd.Series("", index=frame.index)
    carries = text.str.contains(r"https?://", regex=True) | media
    out = pd.Series("text", index=frame.index, dtype="string")
    out[carries] = "other"
    return out


register_loader(
    "x_analytics",
    detect,
    read_x_analytics,
    "X/Twitter Analytics tweet activity export (tweet_activity_metrics_*.csv), any UI language",
    headers=tuple(ENGLISH_HEADER),
)
