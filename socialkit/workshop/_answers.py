"""Reading an answer the way the person who typed it meant it.

A learner types ``"Image "``, ``"99.3%"``, ``"3/4"``, ``"8 h"``, ``"Twitter"`` or
``"followers, likes"`` as readily as ``("image", 0.993)``: each reader below
returns the value meant, or ``None`` when the answer cannot be read as that kind
of value (then the exercise's general hint applies). A bare number above 1
where a share is asked is *not* read as a percent: that is the slip the
percent hint names (``"75%"``, with its sign, is read as 0.75).
"""

from __future__ import annotations

import re

__all__ = ["count", "hours", "name", "names", "number", "pair", "share"]

_NUM = r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)"
_ALIASES = {
    "twitter": "x",
    "x (twitter)": "x",
    "x/twitter": "x",
    "ig": "instagram",
    "insta": "instagram",
    "fb": "facebook",
    "yt": "youtube",
}
_PER_HOUR = {"m": 1 / 60, "min": 1 / 60, "mins": 1 / 60, "minute": 1 / 60, "minutes": 1 / 60,
             "h": 1.0, "hr": 1.0, "hrs": 1.0, "hour": 1.0, "hours": 1.0,
             "d": 24.0, "day": 24.0, "days": 24.0}  # fmt: skip


def _float(text: str) -> float | None:
    text = text.strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:  # a decimal comma: 0,75
        text = text.replace(",", ".")
    text = text.replace(",", "")  # thousands: 1,234
    try:
        return float(text)
    except ValueError:
        return None


def number(x) -> float | None:
    """A plain number: ``3``, ``3.0``, ``" 3 "``, ``"1,234"``, a one-element Series."""
    if isinstance(x, bool) or x is None:
        return None
    if hasattr(x, "item") and getattr(x, "size", 0) == 1:  # numpy scalar or 1-row Series
        x = x.item() if not hasattr(x, "iloc") else x.iloc[0]
    if isinstance(x, str):
        m = re.fullmatch(rf"\s*({_NUM})\s*", x)
        return _float(m.group(1)) if m else None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if v == v else None  # NaN is no answer


def share(x) -> float | None:
    """A share between 0 and 1 as typed: ``0.75``, ``"0.75"``, ``"75%"``, ``"75 percent"``,
    ``"3/4"``, ``"202 of 272"``. A bare ``75`` stays 75 (the percent slip)."""
    if isinstance(x, str):
        s = x.strip().lower()
        m = re.fullmatch(rf"({_NUM})\s*(%|percent|per cent|pct)", s)
        if m:
            v = _float(m.group(1))
            return None if v is None else v / 100
        m = re.fullmatch(rf"({_NUM})\s*(?:/|of|out of|in)\s*({_NUM})", s)
        if m:
            a, b = _float(m.group(1)), _float(m.group(2))
            return a / b if a is not None and b else None
    return number(x)


def count(x) -> int | None:
    """A whole number: ``96``, ``96.0``, ``"96"``, ``"96 comments"``."""
    if isinstance(x, str):
        m = re.fullmatch(rf"\s*({_NUM})\s*[a-z ]*", x.lower())
        x = m.group(1) if m else x
    v = number(x)
    return int(v) if v is not None and float(v).is_integer() else None


def hours(x) -> float | None:
    """A duration in hours: ``8.1``, ``"8.1 h"``, ``"8 hours"``, ``"486 minutes"``,
    ``"0.34 days"``; a bare number is hours."""
    if isinstance(x, str):
        m = re.fullmatch(rf"\s*({_NUM})\s*([a-z]*)\s*", x.lower())
        if m and m.group(2) in _PER_HOUR:
            v = _float(m.group(1))
            return None if v is None else v * _PER_HOUR[m.group(2)]
        if m and not m.group(2):
            return _float(m.group(1))
        return None
    return number(x)


def name(x) -> str | None:
    """A name as typed, normalised: case, spaces, quotes, ``engagement rate`` →
    ``engagement_rate``; platform nicknames (Twitter → x)."""
    if not isinstance(x, str):
        return None
    s = re.sub(r"\s+", " ", x.strip().strip("'\"`").strip().lower())
    s = _ALIASES.get(s, s)
    return re.sub(r"[\s-]+", "_", s) if s else None


def names(x) -> set[str] | None:
    """A set of names from a list, tuple, set, Series or one string with commas or "and"."""
    if isinstance(x, str):
        parts = [p for p in re.split(r"\s*(?:,|;|\band\b|\n)\s*", x) if p.strip()]
    elif x is None or isinstance(x, (bool, int, float)):
        return None
    else:
        try:
            parts = list(x)
        except TypeError:
            return None
    out = {name(p) for p in parts}
    return None if None in out else out


def pair(x) -> tuple[str, float] | None:
    """A (name, share) pair: a tuple or list of two, a one-entry dict or Series
    (``value_counts`` output), or one string ``"image, 99.3%"`` / ``"image 0.993"``."""
    if isinstance(x, str):
        m = re.fullmatch(rf"\s*([a-z_ ]+?)\s*[,:;=]?\s*({_NUM}\s*(?:%|percent)?)\s*", x.lower())
        return (name(m.group(1)), share(m.group(2))) if m else None
    if hasattr(x, "index") and hasattr(x, "iloc") and len(x) >= 1:  # a Series, top row
        x = (x.index[0], x.iloc[0])
    elif isinstance(x, dict) and len(x) == 1:
        x = next(iter(x.items()))
    try:
        a, b = x
    except (TypeError, ValueError):
        return None
    for label, value in ((a, b), (b, a)):  # ("image", 0.99) or (0.99, "image")
        if isinstance(label, str) and name(label) and share(value) is not None:
            return (name(label), share(value))
    return None
