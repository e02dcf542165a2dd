"""The UCI "Facebook metrics" research dataset (Moro, Rita & Vala, 2016).

S. Moro, P. Rita, B. Vala, "Predicting social media performance metrics and
evaluation of the impact on brand building: A data mining approach", Journal
of Business Research 69(9), 2016, 3341-3351, doi:10.1016/j.jbusres.2016.02.010.
UCI Machine Learning Repository dataset 368, CC BY 4.0.

Format: ``;``-separated, 19 columns, one row per post of one cosmetics
brand's Facebook Page in 2014. Header set from the file itself
(``shared/data/real/uci_facebook_metrics/dataset_Facebook.csv``).

Mapping: ``reach`` = Lifetime Post Total Reach; ``impressions`` = Lifetime
Post Total Impressions; ``reactions`` = like; ``comments`` = comment;
``shares`` = share; ``clicks`` = Lifetime Post Consumptions (clicks anywhere
in the post); ``paid`` = Paid; ``format`` from Type (Photo -> image, Status ->
text, Link -> link, Video -> video); ``followers`` = Page total likes. Empty
cells (six in the real file) stay NA.

Dates: the dataset has no date or post id — only Post Month, Post Weekday
(1 = Sunday … 7 = Saturday) and Post Hour — and its rows run from newest to
oldest. We rebuild a publication time by walking back from 31 Dec 2014: each
row gets the latest day not after the previous row's that has its month and
weekday; the hour is the given hour in the page's time zone, which the paper
does not state (we use UTC). A row that cannot be placed that way (its month
and weekday come later than the previous row's) is quarantined. The
reconstruction is noted on the result: the days are consistent with the file
but not certain — use the month/weekday/hour, not the exact day, for analysis.
``post_id`` is ``uci-<row>``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from socialkit.loaders._mapping import finish, map_columns, norm
from socialkit.loaders._read import read_delimited
from socialkit.loaders._registry import register_loader
from socialkit.loaders._tabular import zone_note

__all__ = ["read_uci_facebook", "reconstruct_dates"]

ALIASES = {
    "followers": ("Page total likes",),
    "type": ("Type",),
    "category": ("Category",),
    "month": ("Post Month",),
    "weekday": ("Post Weekday",),
    "hour": ("Post Hour",),
    "paid": ("Paid",),
    "reach": ("Lifetime Post Total Reach",),
    "impressions": ("Lifetime Post Total Impressions",),
    "clicks": ("Lifetime Post Consumptions",),
    "comments": ("comment",),
    "reactions": ("like",),
    "shares": ("share",),
}
_TYPES = {"photo": "image", "status": "text", "link": "link", "video": "video"}
YEAR = 2014


def detect(path: Path, header) -> bool:
    names = {norm(h) for h in header}
    return {"page total likes", "post month", "post weekday", "lifetime post total reach"} <= names


def reconstruct_dates(month, weekday, hour, year: int = YEAR) -> list:
    """Publication times for rows ordered newest first (see the module docstring).

    Returns a list of naive datetimes, ``None`` where a row cannot be placed.
    """
    cursor = dt.datetime(year, 12, 31, 23, 59)
    out = []
    for m, w, h in zip(month, weekday, hour, strict=False):
        try:
            m, w, h = int(m), int(w), int(h)
        except (TypeError, ValueError):
            out.append(None)
            continue
        day = cursor.date()
        placed = None
        for _ in range(366):
            # Python: Monday=0 … Sunday=6; dataset: Sunday=1 … Saturday=7
            if day.month == m and (day.weekday() + 1) % 7 + 1 == w:
                stamp = dt.datetime.combine(day, dt.time(h % 24))
                if stamp <= cursor:
                    placed = stamp
                    break
            day -= dt.timedelta(days=1)
            if day.year < year:
                break
        out.append(placed)
        if placed is not None:
            cursor = placed
    return out


def read_uci_facebook(path, timezone: str | None = None) -> list:
    """Load ``dataset_Facebook.csv`` into the canonical ``posts`` table.

    The post hours are the page's wall clock (the dataset does not say which zone):
    they are read in the client's ``timezone`` when client.yaml sets one, else as UTC,
    and a note says which.
    """
    path = Path(path)
    raw = read_delimited(path, sep=";")
    frame, ignored = map_columns(raw.frame, ALIASES, path.name)
    times = reconstruct_dates(frame["month"], frame["weekday"], frame["hour"])
    stamps = pd.Series(
        [t.isoformat() if t else None for t in times], index=frame.index, dtype="string"
    )
    unplaced = stamps.isna()
    stamps[unplaced] = (
        "month " + frame["month"].fillna("?") + ", weekday " + frame["weekday"].fillna("?")
    )[unplaced]
    kind = frame["type"] if "type" in frame else pd.Series(pd.NA, index=frame.index)
    posts = frame.drop(
        columns=["type", "category", "month", "weekday", "hour"], errors="ignore"
    ).assign(
        platform="facebook",
        post_id="uci-" + frame["source_row"].astype("string"),
        published_at=stamps,
        format=kind.astype("string").str.strip().str.lower().map(_TYPES).fillna(kind),
    )
    notes = raw.notes + [
        f"{path.name}: the dataset has no dates; days were rebuilt from month, weekday and "
        f"row order within {YEAR} (hours as given). Trust month, weekday and hour; the "
        "exact day is a reconstruction.",
        zone_note(path.name, "Post Hour", timezone),
    ]
    return [
        finish(
            posts,
            "posts",
            path.name,
            "uci_facebook",
            ignored=ignored,
            rejected=raw.rejected,
            notes=notes,
            timezone=timezone or "UTC",
        )
    ]


register_loader(
    "uci_facebook",
    detect,
    read_uci_facebook,
    "UCI 'Facebook metrics' research dataset (Moro et al. 2016), ';'-separated",
    headers=tuple(s for spellings in ALIASES.values() for s in spellings),
    account_zone=True,
    rebuilt_days=True,
)
