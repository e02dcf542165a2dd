"""Declarative loaders for exports that are one table of one row per item.

A :class:`TabularFormat` names the header spellings of each canonical column,
the time formats, the platform and how the export's post types map to
canonical formats. :func:`register_tabular` registers it: the file (CSV, .xlsx
or SpreadsheetML) is recognised when one of its first five rows holds all the
``signature`` headers — some exports (LinkedIn) put a title line above the
header — and loaded through :func:`socialkit.schema.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from socialkit.loaders import _read, _sheets
from socialkit.loaders._mapping import finish, map_columns, norm
from socialkit.loaders._numbers import lost_id_rows, normalise_columns, rounded_note
from socialkit.loaders._read import read_delimited
from socialkit.loaders._registry import register_loader
from socialkit.loaders._sheets import (
    is_spreadsheetml,
    is_xlsx,
    pick_sheet,
    read_workbook,
    sheet_frame,
)
from socialkit.schema import TABLES

__all__ = ["TabularFormat", "register_tabular", "peek_rows", "zone_note"]

#: Cell values that mean "not available" in these exports; read as NA, never 0.
NOT_AVAILABLE = {"", "-", "n/a", "na", "--"}

_COUNTS = {c.name for t in TABLES.values() for c in t if c.kind == "count"}


@dataclass(frozen=True)
class TabularFormat:
    """One export format.

    Attributes
    ----------
    name, description : str
    table : {'posts', 'followers'}
    platform : str
        Canonical platform, or ``None`` when a ``platform`` column is mapped.
    columns : dict
        ``{canonical column: (header spelling, …)}``.
    signature : tuple of str
        Headers that together identify the format.
    time_formats : tuple of str
        ``strptime`` formats of the time column, tried in order.
    timezone : str
        Zone of times without an offset (when ``account_zone`` is false, or the
        client has no ``timezone``).
    account_zone : bool
        The export writes times in the account's time zone without saying
        which: they are read in the client's ``timezone:`` when it is set, and
        a note says which zone was used.
    formats : dict
        Export post type (case-insensitive) -> canonical format; others -> other.
    sheet : str, optional
        Sheet name prefix for workbooks (default: the first sheet).
    note : str
        Added to every result (e.g. the assumed time zone).
    prepare : callable, optional
        ``prepare(frame) -> frame`` on the mapped text columns, before validation
        (derive an id from a link, set a constant format, …).
    counts : tuple of str
        Working columns of ``columns`` (not canonical ones) that hold counts, read
        like the canonical counts before ``prepare`` combines them.
    """

    name: str
    description: str
    table: str
    platform: str | None
    columns: dict
    signature: tuple
    time_formats: tuple = ()
    timezone: str = "UTC"
    account_zone: bool = False
    formats: dict = field(default_factory=dict)
    sheet: str | None = None
    note: str = ""
    prepare: object = None
    counts: tuple = ()


def peek_rows(path: Path, n: int = 5, sheet: str | None = None) -> list[list[str]]:
    """The first ``n`` rows of a CSV or of a workbook's sheet, as text."""
    try:
        if is_xlsx(path) or is_spreadsheetml(path):
            return _sheets.head_rows(path, n, sheet)
        return _read.head_rows(path, n)
    except OSError:  # detection must never raise: the file is simply not this format
        return []


def _header_index(rows, signature) -> int | None:
    want = {norm(s) for s in signature}
    for i, row in enumerate(rows):
        if want <= {norm(c) for c in row}:
            return i
    return None


def _spelling(frame, spellings) -> str | None:
    """The header of ``frame`` that one of ``spellings`` matched (as the file writes it)."""
    by_key = {norm(c): c for c in frame.columns}
    return next((by_key[norm(s)] for s in spellings if norm(s) in by_key), None)


def zone_note(name: str, column: str, timezone: str | None) -> str:
    """The note on the zone a format's account-zone times were read in."""
    if timezone:
        return (
            f"{name}: {column} is written in the account's time zone; read in {timezone} "
            "(timezone: in client.yaml)."
        )
    return (
        f"{name}: {column} is written in the account's time zone, which the file does not "
        "state; client.yaml has no timezone:, so UTC was assumed (posting hours may be off "
        "by the account's offset)."
    )


def _counts(cols, fmt: TabularFormat, frame, sep: str, name: str) -> list[str]:
    """Normalise the count columns in place (:mod:`._numbers`); notes on rounded values."""
    names = [c for c in cols.columns if c in _COUNTS or c in fmt.counts]
    rounded = normalise_columns(cols, names, sep)
    return rounded_note(
        name, {_spelling(frame, fmt.columns[c]) or c: n for c, n in rounded.items()}
    )


_SLASHED = r"^\s*(\d{1,2})[/.](\d{1,2})[/.]\d{4}\b"


def _time_formats(fmt: TabularFormat, times, sep: str, name: str) -> tuple[tuple, list[str]]:
    """The format's time formats, made day-first when the file writes dates day first.

    Month-first formats (``%m/%d/%Y``, as Meta writes) meet files a spreadsheet
    re-saved in a European locale (``;`` between fields, ``14/09/2026 10:00`` or
    ``14.09.2026``). Only such a ``;``-delimited file is read day first, and only
    when no date in it has a second number above 12 (which would mean month
    first); the note says whether a day above 12 confirmed it. A comma-delimited
    file stays month first: one stray ``13/10/2026`` there is quarantined, it does
    not turn every other date around.
    """
    formats = fmt.time_formats
    if times is None or not any("%m/%d/%Y" in f for f in formats):
        return formats, []
    parts = times.astype("string").str.extract(_SLASHED).dropna().astype(int)
    if parts.empty:
        return formats, []
    day_first, month_first = bool((parts[0] > 12).any()), bool((parts[1] > 12).any())
    if sep != ";" or month_first:
        return formats, []  # month first as documented (a stray 13/10 is quarantined)
    swapped = []
    for f in formats:
        if "%m/%d/%Y" in f:
            swapped += [f.replace("%m/%d/%Y", "%d/%m/%Y"), f.replace("%m/%d/%Y", "%d.%m.%Y")]
            swapped += [s + ":%S" for s in swapped[-2:] if s.endswith("%M")]
        else:
            swapped.append(f)
    how = "some days above 12 show it" if day_first else "assumed from the ';' delimiter"
    return tuple(swapped), [
        f"{name}: dates are written day first (e.g. 14/09/2026), as a spreadsheet in a "
        f"European locale saves them ({how}); read as day/month/year."
    ]


def _load(path: Path, fmt: TabularFormat, timezone: str | None = None) -> list:
    notes = [f"{path.name}: {fmt.note}"] if fmt.note else []
    rejected, sep = [], ","
    if is_xlsx(path) or is_spreadsheetml(path):
        sheets, more = read_workbook(path)
        notes += more
        rows = pick_sheet(sheets, fmt.sheet)
        at = _header_index([cells for _, cells in rows[:5]], fmt.signature) or 0
        frame = sheet_frame(rows[at:])
    else:
        at = _header_index(peek_rows(path), fmt.signature) or 0
        raw = read_delimited(path, header_row=at + 1)
        frame, rejected, notes, sep = raw.frame, raw.rejected, notes + raw.notes, raw.sep
    header = [c for c in frame.columns if c != "source_row"]
    cols, ignored = map_columns(frame, fmt.columns, path.name)
    mapped = [c for c in cols.columns if c != "source_row"]  # the columns not read stay as-is
    cols[mapped] = cols[mapped].apply(
        lambda s: s.mask(s.str.strip().str.lower().isin(NOT_AVAILABLE))
    )
    notes += _counts(cols, fmt, frame, sep, path.name)
    if "post_id" in cols:
        column = _spelling(frame, fmt.columns["post_id"]) or "post_id"
        lost, more_rejected, more_notes = lost_id_rows(
            cols["post_id"], cols["source_row"], column, path.name
        )
        cols, rejected, notes = cols[~lost], list(rejected) + more_rejected, notes + more_notes
    times = cols["published_at"] if "published_at" in cols else cols.get("date")
    time_formats, more_notes = _time_formats(fmt, times, sep, path.name)
    notes += more_notes
    zone = fmt.timezone
    if fmt.account_zone:
        zone = timezone or "UTC"
        column = _spelling(frame, fmt.columns.get("published_at", ())) or "the time"
        notes.append(zone_note(path.name, column, timezone))
    if fmt.platform:
        cols["platform"] = fmt.platform
    if fmt.prepare is not None:
        cols = fmt.prepare(cols)
    if "format" in cols and fmt.formats:
        low = cols["format"].astype("string").str.strip().str.lower()
        cols["format"] = low.map(fmt.formats).astype("string").fillna("other").where(low.notna())
    return [
        finish(
            cols,
            fmt.table,
            path.name,
            fmt.name,
            ignored=ignored,
            rejected=rejected,
            header=header,
            time_formats=time_formats or None,
            timezone=zone,
            notes=notes,
        )
    ]


def register_tabular(fmt: TabularFormat) -> TabularFormat:
    """Register ``fmt`` with the loader registry (detection by its signature)."""

    def detect(path: Path, header) -> bool:
        if path.suffix.lower() not in {".csv", ".xls", ".xlsx"}:
            return False
        want = {norm(s) for s in fmt.signature}
        if want <= {norm(h) for h in header}:
            return True
        return _header_index(peek_rows(path, sheet=fmt.sheet), fmt.signature) is not None

    def load(path, timezone=None):
        return _load(Path(path), fmt, timezone)

    headers = dict.fromkeys(s for spellings in fmt.columns.values() for s in spellings)
    register_loader(
        fmt.name,
        detect,
        load,
        fmt.description,
        headers=tuple(headers) + tuple(fmt.signature),
        account_zone=fmt.account_zone,
    )
    return fmt
