"""Data windows: the dates each export covers, per platform, and where exports overlap.

A client's exports seldom cover the same dates: an X export of three weeks in
2022 next to a YouTube export of 2020–21 is one client with two windows, not
one window of two years with a long silence in it. Here a *window* is the
first and last timestamp of the rows one source file gave one platform in one
table (posts, followers, comments). A platform is *observed* over the union of
the spans of the files that hold it (a file's span: its first to its last row,
whatever the table or platform, so a platform that stops posting inside a file
that goes on is a real silence; spans under four weeks apart are joined).
Checks that count weeks or compare platforms read each platform inside what
was observed of it, or the common window of all of them
(:func:`common_window`), and say which.

The ``data`` object of a diagnosis (``diagnose --format json``,
``findings.json``) carries the windows, the last timestamp of the data
(``data_until``, never today), the loaders' notes and the quarantine
(:func:`data_summary`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkit.fmt import platform_name

__all__ = [
    "MIN_OVERLAP_DAYS",
    "TIME_COLUMN",
    "data_windows",
    "data_until",
    "window_end",
    "observed",
    "common_window",
    "overlap_notes",
    "data_summary",
    "window_text",
]

#: Exports of two platforms that share fewer days than this are warned about by name.
MIN_OVERLAP_DAYS = 28
#: Spans of one platform's files closer than this are one observed stretch: a hole of
#: under four weeks between two files is read as part of the history (the account's
#: own quiet weeks), a longer one as not observed.
_JOIN = pd.Timedelta(days=MIN_OVERLAP_DAYS)
_NAT = np.iinfo(np.int64).min
#: The time column of each canonical table.
TIME_COLUMN = {"posts": "published_at", "followers": "date", "comments": "created_at"}


def _ns(s: pd.Series) -> np.ndarray:
    """Nanoseconds since the epoch, UTC, of a time column (a naive time read as UTC);
    missing times are ``NaT``'s integer, the smallest int64."""
    if not (isinstance(s.dtype, pd.DatetimeTZDtype) or s.dtype.kind == "M"):
        s = pd.to_datetime(s)
    # a zone-aware column stores UTC instants; a naive one stores the wall time, read as UTC
    return s.array.as_unit("ns").asi8


def _factorize(values: pd.Series, missing: str) -> tuple[np.ndarray, list[str]]:
    if isinstance(values.dtype, pd.StringDtype) and "pyarrow" in values.dtype.storage:
        from socialkit.metrics._arrow import encode  # Arrow's dictionary: 3x pandas' here

        codes, names = encode(values)
    elif isinstance(values.dtype, pd.CategoricalDtype):  # its codes: 1 M rows 1 ms, not 12
        codes, names = values.cat.codes.to_numpy(), list(values.cat.categories)
    else:
        codes, names = pd.factorize(values)
    names = [str(n) for n in names]
    if (codes < 0).any():
        codes = np.where(codes < 0, len(names), codes)
        names.append(missing)
    return codes.astype(np.int64), names


def _spans(key: np.ndarray, ns: np.ndarray, domain: int) -> tuple[np.ndarray, ...]:
    """The keys present (sorted), and the first and last time and the rows of each.

    ``key`` lies in ``[0, domain)``: counted in arrays of ``domain`` when that is not
    much more than the rows (no sort: 1 M rows in 10 ms instead of 90 ms), else by
    :func:`numpy.unique`.
    """
    if domain <= max(4 * key.size, 1 << 16):
        size = np.bincount(key, minlength=domain)
        groups = np.flatnonzero(size)
        inverse = key
    else:
        groups, inverse, size = np.unique(key, return_inverse=True, return_counts=True)
    lo = np.full(len(size), np.iinfo(np.int64).max)
    hi = np.full(len(size), np.iinfo(np.int64).min)
    np.minimum.at(lo, inverse, ns)
    np.maximum.at(hi, inverse, ns)
    if len(size) != len(groups):
        lo, hi, size = lo[groups], hi[groups], size[groups]
    return groups, lo, hi, size


def data_windows(tables: dict, names: dict | None = None) -> list[dict]:
    """One window per table, platform and source file.

    Parameters
    ----------
    tables : dict
        ``{"posts": DataFrame, "followers": …, "comments": …}`` (canonical, with
        ``source_file``).
    names : dict, optional
        ``source_file`` → the name to show (relative to the client folder).

    Returns
    -------
    list of dict
        ``platform``, ``table``, ``source``, ``start``, ``end`` (ISO 8601, UTC)
        and ``rows``, sorted by platform, then start.
    """
    names = names or {}
    out = []
    for table, frame in tables.items():
        if frame is None or frame.empty:
            continue
        ns = _ns(frame[TIME_COLUMN[table]])
        ok = ns != _NAT
        if not ok.any():
            continue
        ns = ns[ok]
        # one group per (platform, source): codes, then min, max and size per code
        p_code, p_names = _factorize(frame["platform"], "unknown")
        if "source_file" in frame:
            s_code, s_names = _factorize(frame["source_file"], "<memory>")
        else:
            s_code, s_names = np.zeros(len(frame), np.int64), ["<memory>"]
        key = (p_code * len(s_names) + s_code)[ok]
        groups, lo, hi, size = _spans(key, ns, len(p_names) * len(s_names))
        for g, first, last, rows in zip(groups, lo, hi, size, strict=True):
            source = str(s_names[g % len(s_names)])
            out.append(
                {
                    "platform": str(p_names[g // len(s_names)]),
                    "table": table,
                    "source": names.get(source, source),
                    "start": pd.Timestamp(int(first), tz="UTC").isoformat(),
                    "end": pd.Timestamp(int(last), tz="UTC").isoformat(),
                    "rows": int(rows),
                }
            )
    return sorted(out, key=lambda w: (w["platform"], w["start"], w["table"], w["source"]))


def data_until(tables: dict) -> pd.Timestamp | None:
    """The last timestamp in the data (UTC), or None when no table has a dated row."""
    ends = [
        _ns(frame[TIME_COLUMN[table]]).max()
        for table, frame in tables.items()
        if frame is not None and len(frame)
    ]
    last = max(ends, default=_NAT)
    return None if last == _NAT else pd.Timestamp(int(last), tz="UTC")


def window_end(as_of) -> pd.Timestamp:
    """Exclusive end of the analysis window: midnight UTC after the date ``as_of``
    (the epoch when there is no data, so arithmetic on an empty batch stays defined)."""
    if as_of is None:
        return pd.Timestamp(0, tz="UTC")
    return pd.Timestamp(as_of, tz="UTC") + pd.Timedelta(days=1)


def observed(windows: list[dict]) -> dict[str, list[tuple[pd.Timestamp, pd.Timestamp]]]:
    """Per platform, the stretches of time its files cover (merged, sorted).

    A file's span runs from its first to its last row in any table; a
    platform is observed over the spans of the files that hold it. Spans less
    than :data:`MIN_OVERLAP_DAYS` apart are joined.
    """
    span: dict[str, tuple] = {}
    files: dict[str, set] = {}
    for w in windows:
        s, e = pd.Timestamp(w["start"]), pd.Timestamp(w["end"])
        lo, hi = span.get(w["source"], (s, e))
        span[w["source"]] = (min(lo, s), max(hi, e))
        files.setdefault(w["platform"], set()).add(w["source"])
    out = {}
    for plat, srcs in files.items():
        merged: list[list] = []
        for s, e in sorted(span[f] for f in srcs):
            if merged and s <= merged[-1][1] + _JOIN:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        out[plat] = [(s, e) for s, e in merged]
    return out


def common_window(obs: dict, platforms=None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The span every platform (or those named) is observed over, or None if they share none.

    Only the outer bounds are intersected: a platform's own inner gaps stay its own.
    """
    plats = [p for p in (platforms if platforms is not None else obs) if p in obs]
    if not plats:
        return None
    start = max(obs[p][0][0] for p in plats)
    end = min(obs[p][-1][1] for p in plats)
    return (start, end) if end > start else None


def _overlap_days(a, b) -> float:
    total = pd.Timedelta(0)
    for s1, e1 in a:
        for s2, e2 in b:
            lo, hi = max(s1, s2), min(e1, e2)
            if hi > lo:
                total += hi - lo
    return total / pd.Timedelta(days=1)


def _describe(plat, windows) -> str:
    srcs = sorted({w["source"] for w in windows if w["platform"] == plat})
    start = min(w["start"] for w in windows if w["platform"] == plat)[:10]
    end = max(w["end"] for w in windows if w["platform"] == plat)[:10]
    return f"{plat} ({', '.join(srcs)}: {start} – {end})"


def overlap_notes(windows: list[dict], min_days: float = MIN_OVERLAP_DAYS) -> list[dict]:
    """Notes for pairs of platforms whose exports share fewer than ``min_days`` days."""
    obs = observed(windows)
    plats = sorted(obs)
    notes = []
    for i, a in enumerate(plats):
        for b in plats[i + 1 :]:
            days = _overlap_days(obs[a], obs[b])
            if days >= min_days:
                continue
            how = "do not overlap" if days <= 0 else f"overlap for only {days:.1f} days"
            notes.append(
                {
                    "source": ", ".join(
                        sorted({w["source"] for w in windows if w["platform"] in (a, b)})
                    ),
                    "message": f"The exports of {_describe(a, windows)} and "
                    f"{_describe(b, windows)} {how} (fewer than {min_days:g} days): each "
                    "platform is read in its own window, and posting is not compared "
                    "across them.",
                }
            )
    return notes


def data_summary(client, until=False) -> dict:
    """The contract-2 ``data`` keys of a client: windows, data_until, notes, quarantine, usable.

    Parameters
    ----------
    client : Client
    until : pandas.Timestamp or None, optional
        The client's :attr:`~socialkit.client.Client.data_until`, when the caller has it
        (default: computed here).

    Returns
    -------
    dict
        ``windows`` (:func:`data_windows`), ``data_until`` (ISO or None),
        ``notes`` (``{"source", "message"}``: the loaders' notes, files not
        read, exports that do not overlap), ``quarantine`` (``{"rows",
        "reasons"}``), ``usable`` (False when no table has a usable row) and,
        when not usable, ``no_data_reason``.
    """
    tables = {"posts": client.posts, "followers": client.followers, "comments": client.comments}
    windows = _files_windows(client.files, tables)
    if windows is None:
        windows = data_windows(tables, {_basename(f["file"]): f["file"] for f in client.files})
    if until is False:
        until = data_until(tables)
    notes = []
    for f in client.files:
        for n in f.get("notes") or []:
            notes.append({"source": f["file"], "message": str(n)})
        if f.get("error"):
            notes.append({"source": f["file"], "message": f"not loaded: {f['error']}"})
    notes += overlap_notes(windows)
    if client.path is not None:  # file names relative to the client folder, never absolute
        prefix = str(client.path).rstrip("/") + "/"
        notes = [{**n, "message": n["message"].replace(prefix, "")} for n in notes]
    q = client.quarantine
    reasons = {}
    if len(q):
        keys = q["column"].astype(str) + ": " + q["rule"].astype(str)
        reasons = {k: int(v) for k, v in keys.value_counts().sort_index().items()}
    usable = client.rows_loaded > 0
    out = {
        "windows": windows,
        "data_until": None if until is None else until.isoformat(),
        "notes": notes,
        "quarantine": {"rows": int(len(q)), "reasons": reasons},
        "usable": usable,
    }
    if not usable:
        reason = no_data_reason(client)
        if client.path is not None:
            reason = reason.replace(str(client.path).rstrip("/") + "/", "")
        out["no_data_reason"] = reason
    return out


def _files_windows(files: list[dict], tables: dict) -> list[dict] | None:
    """A client's :func:`data_windows` put together from its canonical files' reports
    (``files``, each with the windows of the rows it gave), when that is the same thing:
    every file canonical, with its own name, and every dated row of each table in
    exactly one file's windows (no row was superseded by another file's). Else None."""
    loaded = [f for f in files if f.get("table")]
    if any(f.get("format") != "canonical" for f in loaded):
        return None  # an export may name its rows' source otherwise
    if len({_basename(f["file"]) for f in loaded}) != len(loaded):
        return None
    out, rows = [], dict.fromkeys(tables, 0)
    for f in loaded:
        if f["table"] not in rows:
            return None
        rows[f["table"]] += sum(w["rows"] for w in f["windows"])
        out += [
            {"platform": w["platform"], "table": f["table"], "source": f["file"],
             "start": w["start"], "end": w["end"], "rows": w["rows"]}
            for w in f["windows"]
        ]  # fmt: skip
    for table, frame in tables.items():
        dated = 0 if frame is None or frame.empty else (_ns(frame[TIME_COLUMN[table]]) != _NAT)
        if int(np.sum(dated)) != rows[table]:
            return None
    return sorted(out, key=lambda w: (w["platform"], w["start"], w["table"], w["source"]))


def window_text(data: dict) -> str | None:
    """The data window in words: ``'2026-05-03 – 2026-10-31'``, or per platform
    (``'X 2022-03-12 – 2022-04-05; YouTube 2020-04-11 – 2021-06-18'``) when two
    platforms' exports share fewer than :data:`MIN_OVERLAP_DAYS`; None without data."""
    wins = data.get("windows") or []
    if not wins:
        return None
    posts = [w for w in wins if w["table"] == "posts"] or wins
    if not overlap_notes(wins):
        return f"{min(w['start'] for w in posts)[:10]} – {max(w['end'] for w in wins)[:10]}"
    parts = []
    for plat in sorted({w["platform"] for w in wins}):
        mine = [w for w in wins if w["platform"] == plat]
        parts.append(
            f"{platform_name(plat)} {min(w['start'] for w in mine)[:10]} – "
            f"{max(w['end'] for w in mine)[:10]}"
        )
    return "; ".join(parts)


def _basename(file: str) -> str:
    return str(file).replace("\\", "/").rsplit("/", 1)[-1]


def no_data_reason(client) -> str:
    """Why a client has no usable row, in one sentence."""
    files = client.files
    if not files:
        return "no export file and no canonical table in the client folder"
    failed = [f for f in files if f.get("error")]
    if len(failed) == len(files):
        shown = "; ".join(f"{f['file']}: {str(f['error']).splitlines()[0]}" for f in failed[:3])
        return f"no file could be read ({shown})"
    quarantined = sum(int(f.get("rows_quarantined") or 0) for f in files)
    return (
        f"the files loaded no usable row ({quarantined} row(s) quarantined; see "
        "`socialkit validate` for the reasons)"
    )
