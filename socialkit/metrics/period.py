"""Reporting periods: which days a monthly report covers, and the period it is compared with.

A period is a run of whole calendar days in UTC, ``start`` to ``end``
inclusive. ``resolve_period("2026-10", …)`` is October 2026 and is compared
with September 2026; ``--from/--to`` give any run of days, compared with the
same number of days just before. Without either, the period is the last full
calendar month in the data (never a month after the data's last row).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["Period", "resolve_period", "data_span", "data_until", "in_period", "month_of"]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """Whole UTC days ``start`` … ``end`` (inclusive) and the period compared with it."""

    start: dt.date
    end: dt.date
    label: str
    previous_start: dt.date
    previous_end: dt.date
    previous_label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self, previous: bool = False) -> tuple[pd.Timestamp, pd.Timestamp]:
        """UTC timestamps ``[start, end + 1 day)`` of this period (or of the previous one)."""
        s, e = (self.previous_start, self.previous_end) if previous else (self.start, self.end)
        return (
            pd.Timestamp(s, tz="UTC"),
            pd.Timestamp(e, tz="UTC") + pd.Timedelta(days=1),
        )

    def to_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
            "previous_start": self.previous_start.isoformat(),
            "previous_end": self.previous_end.isoformat(),
            "previous_label": self.previous_label,
        }


def _month(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


def _month_label(d: dt.date) -> str:
    return d.strftime("%B %Y")


def _span_label(s: dt.date, e: dt.date) -> str:
    return f"{s.day} {s:%B %Y} – {e.day} {e:%B %Y}"


def _date(value, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{what} must be a date like 2026-10-31; got {value!r}.") from None


def data_span(posts, comments=None, followers=None):
    """The times of the first and last rows in the data (UTC ``Timestamp``), or
    ``(None, None)`` when it is empty."""
    firsts, lasts = [], []
    for frame, col in ((posts, "published_at"), (comments, "created_at"), (followers, "date")):
        if frame is not None and len(frame) and col in frame:
            t = pd.to_datetime(frame[col], utc=True)
            if t.notna().any():
                firsts.append(t.min())
                lasts.append(t.max())
    return (min(firsts), max(lasts)) if lasts else (None, None)


def data_until(posts, comments=None, followers=None):
    """The time of the last row in the data (a UTC ``Timestamp``), or ``None`` when empty."""
    return data_span(posts, comments, followers)[1]


def month_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last days of ``day``'s calendar month."""
    return _month(day.year, day.month)


def resolve_period(period=None, *, start=None, end=None, until=None) -> Period:
    """The reporting period from ``--period``/``--from``/``--to``, or the default.

    Parameters
    ----------
    period : str, optional
        A calendar month ``YYYY-MM``; compared with the month before.
    start, end : str or date, optional
        First and last day (inclusive); compared with as many days just before.
        Either alone is completed with the other: ``start`` to the data's end,
        or the 30 days up to ``end``.
    until : Timestamp, optional
        The time of the data's last row (:func:`data_until`); the default
        period is the last calendar month that ends on or before its day.

    Raises
    ------
    ValueError
        For a malformed month or date, an end before the start, or no data
        and no period given.
    """
    if period and (start or end):
        raise ValueError("give either a period (YYYY-MM) or --from/--to, not both.")
    if period:
        m = _MONTH.match(str(period).strip())
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"the period must be a month like 2026-10 (YYYY-MM); got {period!r}.")
        y, mo = int(m.group(1)), int(m.group(2))
        s, e = _month(y, mo)
        ps, pe = _month(y - (mo == 1), 12 if mo == 1 else mo - 1)
        return Period(s, e, _month_label(s), ps, pe, _month_label(ps))
    if start or end:
        last = pd.Timestamp(until).date() if until is not None else None
        e = _date(end, "--to") if end else last
        if e is None:
            raise ValueError("--from needs --to when the data has no dates.")
        s = _date(start, "--from") if start else e - dt.timedelta(days=29)
        if e < s:
            raise ValueError(f"--to ({e}) is before --from ({s}).")
        days = (e - s).days + 1
        pe = s - dt.timedelta(days=1)
        ps = pe - dt.timedelta(days=days - 1)
        return Period(s, e, _span_label(s, e), ps, pe, _span_label(ps, pe))
    if until is None:
        raise ValueError("the data has no dates; give a period with --period YYYY-MM.")
    last = pd.Timestamp(until).date()
    s, e = _month(last.year, last.month)
    if e > last:  # the month of the last row is not over: take the one before
        s, e = _month(last.year - (last.month == 1), 12 if last.month == 1 else last.month - 1)
    return resolve_period(f"{s:%Y-%m}")


def in_period(times, period: Period, previous: bool = False):
    """Boolean mask: which ``times`` (UTC timestamps or dates) fall in the period."""
    lo, hi = period.bounds(previous)
    t = pd.to_datetime(times, utc=True)
    return ((t >= lo) & (t < hi)).to_numpy() if hasattr(t, "to_numpy") else (t >= lo) & (t < hi)
