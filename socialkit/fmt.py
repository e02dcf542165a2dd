"""Numbers and names as a person reads them: the one place for human formatting.

Used by the checks' messages, the report, the CLI table and the notebooks, so
that a percentage, a count, a duration or a platform name looks the same
everywhere:

>>> pct(0.4567), count(101546), duration(100.87), plural(1, "week")
('46%', '101,546', 'about 4 days', '1 week')
>>> platform_name("tiktok"), ratio(1.39, "the benchmark"), platforms(["x", "youtube"])
('TikTok', '1.4× the benchmark', 'X and YouTube')
"""

from __future__ import annotations

import math

__all__ = [
    "PLATFORM_NAMES",
    "pct",
    "count",
    "number",
    "duration",
    "plural",
    "platform_name",
    "platforms",
    "ratio",
    "change",
    "join",
    "evidence_value",
]

#: How each platform writes its own name.
PLATFORM_NAMES = {
    "instagram": "Instagram",
    "facebook": "Facebook",
    "x": "X",
    "twitter": "X",
    "linkedin": "LinkedIn",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "other": "other platforms",
}

# plurals that do not just add an "s"
_PLURALS = {"reply": "replies", "person": "people", "story": "stories", "is": "are", "has": "have"}


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x != x


def pct(x, digits: int = 0) -> str:
    """A fraction as a percentage: ``0.4567`` → ``'46%'``; tiny non-zero values keep a digit.

    Parameters
    ----------
    x : float
        A fraction (0.46 for 46 %); ``None``/NaN give ``'—'``.
    digits : int
        Decimals; a non-zero value that would round to 0 gets up to two more.
    """
    if _missing(x):
        return "—"
    v = 100 * float(x)
    if 0 < abs(v) < 1:
        digits = max(digits, 1)
    while digits < 2 and v != 0 and round(abs(v), digits) == 0:
        digits += 1
    return f"{v:.{digits}f}%"


def count(x) -> str:
    """A whole number with thousands separators: ``101546`` → ``'101,546'``."""
    if _missing(x):
        return "—"
    return f"{round(float(x)):,}"


def number(x, digits: int = 2) -> str:
    """A measurement with sensible precision: thousands separated, at most ``digits`` decimals
    below 10, one decimal below 100, none above (``1676.4`` → ``'1,676'``, ``0.478`` → ``'0.48'``).
    """
    if _missing(x):
        return "—"
    v = float(x)
    if v == int(v) and abs(v) >= 1:
        return f"{int(v):,}"
    a = abs(v)
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 10:
        return f"{v:.1f}"
    s = f"{v:.{digits}f}".rstrip("0").rstrip(".")
    return s if s not in ("0", "-0") or v == 0 else f"{v:.2g}"


def plural(n, word: str, many: str | None = None) -> str:
    """``n`` and the word in the right number: ``'1 week'``, ``'3 weeks'``, ``'2 replies'``.

    The number is written with :func:`number`; ``many`` overrides the plural.
    """
    one = n is not None and not _missing(n) and float(n) == 1
    if one:
        return f"1 {word}"
    if many is None:
        many = _PLURALS.get(word)
    if many is None:
        many = word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")
    return f"{number(n)} {many}"


def duration(hours) -> str:
    """A length of time in the unit a person would use: ``100.87`` → ``'about 4 days'``.

    Under an hour in minutes, under two days in hours, under two weeks in
    days, then in weeks; rounded, with "about" when rounding changed it.
    """
    if _missing(hours):
        return "—"
    h = float(hours)
    if h < 1:
        value, unit = h * 60, "minute"
    elif h < 48:
        value, unit = h, "hour"
    elif h < 24 * 14:
        value, unit = h / 24, "day"
    else:
        value, unit = h / (24 * 7), "week"
    whole = max(1, round(value))
    about = "about " if abs(value - whole) > 0.05 * whole else ""
    return about + plural(whole, unit)


def platform_name(p) -> str:
    """The platform as it writes its name: ``'tiktok'`` → ``'TikTok'``, ``'x'`` → ``'X'``."""
    key = str(p).strip().lower()
    return PLATFORM_NAMES.get(key, str(p).strip().capitalize())


def join(items, last: str = "and") -> str:
    """``['a', 'b', 'c']`` → ``'a, b and c'``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def platforms(names) -> str:
    """Platform names as a sentence: ``['x', 'youtube']`` → ``'X and YouTube'``."""
    return join(platform_name(p) for p in names)


def ratio(x, of: str = "") -> str:
    """A multiple: ``1.39`` → ``'1.4×'``, with ``of``: ``'1.4× the benchmark'``."""
    if _missing(x):
        return "—"
    v = float(x)
    s = f"{v:.2f}×" if v < 0.095 else f"{v:.1f}×" if v < 10 else f"{v:,.0f}×"
    return f"{s} {of}".strip()


def change(current, previous) -> tuple[str, str]:
    """Arrow and relative change from ``previous`` to ``current``: ``('▲', '+12%')``.

    Returns ``('', '')`` when either is missing and ``('▲', 'new')`` from zero.
    """
    if _missing(current) or _missing(previous):
        return "", ""
    c, p = float(current), float(previous)
    if p == 0:
        return ("", "no change") if c == 0 else ("▲" if c > 0 else "▼", "new")
    r = (c - p) / abs(p)
    arrow = "▲" if r > 0.005 else "▼" if r < -0.005 else "→"
    return arrow, f"{'+' if r > 0 else ''}{pct(r)}".replace("+-", "-")


def _is_share(unit: str) -> bool:
    u = unit.lower()
    return (
        u.startswith(("share", "reply rate", "relative growth", "weekly relative growth"))
        or "÷ followers" in u
        or u in ("0–1",)
    )


def evidence_value(value, unit: str = "") -> str:
    """One evidence value with its unit, the way the methods appendix prints it.

    Shares become percentages (``0.478, 'share of posts'`` → ``'48% (share of posts)'``),
    hours a duration, counts get thousands separators, ``×`` units a multiple. A
    text value's one-word unit is a label of its type (``'names'``, ``'text'``),
    not a unit, and is left out.
    """
    unit = unit or ""
    if isinstance(value, str) or value is None:
        text = "—" if value is None else value
        return f"{text} {unit}".strip() if " " in unit.strip() else text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _missing(value):
        return "—"
    if _is_share(unit):
        digits = 2 if abs(value) < 0.01 else 1 if abs(value) < 0.1 else 0
        return f"{pct(value, digits)} ({unit})"
    if unit == "hours":
        return (
            f"{duration(value)} ({number(value, 1)} hours)"
            if value >= 48
            else plural(value, "hour")
        )
    if unit.startswith("×"):
        return ratio(value, unit[1:].strip())
    if isinstance(value, int) or float(value) == int(value):
        return f"{count(value)} {unit}".strip()
    return f"{number(value)} {unit}".strip()
