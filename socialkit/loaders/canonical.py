"""Canonical ``posts`` / ``followers`` / ``comments`` tables as CSV or Parquet.

The column names are those of :data:`socialkit.schema.TABLES`. The table is
recognised from the header: a file with all of a table's required columns is
that table. Every cell is read as text and coerced by
:func:`socialkit.schema.validate`, so a bad value is quarantined with its row
and column rather than breaking the whole file. A file a spreadsheet re-saved
in a European locale (``;`` between fields, ``12,5`` for 12.5, ``1.234`` for
1234) is read as such (:mod:`socialkit.loaders._numbers`).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd

from socialkit.loaders._mapping import finish, map_columns
from socialkit.loaders._numbers import normalise_columns, rounded_note
from socialkit.loaders._read import read_delimited
from socialkit.loaders._registry import ExportError, register_loader
from socialkit.schema import TABLES, SchemaError, ValidationResult

__all__ = ["detect_table", "read_canonical", "read_raw", "RawCanonical"]


#: Every canonical column name: the CSV reader builds only these (others are listed as ignored).
_NAMES = {c.name for t in TABLES.values() for c in t}
#: Canonical columns the CSV reader may return typed: every count and timestamp.
_TYPED = {c.name: c.kind for t in TABLES.values() for c in t if c.kind in ("count", "timestamp")}


def detect_table(header) -> str | None:
    """The canonical table whose required columns are all in ``header``."""
    cols = {str(h).strip().lower() for h in header}
    for table in ("comments", "posts", "followers"):  # most specific first
        required = {c.name for c in TABLES[table] if c.required}
        if required <= cols:
            return table
    return None


class RawCanonical(NamedTuple):
    """A canonical file read but not yet validated (:func:`read_raw`)."""

    cols: pd.DataFrame
    table: str
    ignored: list
    rejected: list
    notes: list
    header: list


def read_raw(path, table: str | None = None) -> RawCanonical:
    """Read one canonical CSV/Parquet file into its mapped columns, unvalidated.

    Parameters and errors as :func:`read_canonical`, which is
    ``finish`` (validation) of this.
    """
    path = Path(path)
    rejected, notes, dropped, sep = [], [], [], ","
    try:
        if path.suffix.lower() in {".parquet", ".pq"}:
            try:
                frame = pd.read_parquet(path)
            except Exception as exc:  # pyarrow raises several types for broken files
                raise ExportError(f"{path}: not a readable Parquet file ({exc}).") from exc
            frame["source_row"] = pd.array(range(1, len(frame) + 1), dtype="Int64")
        else:
            raw = read_delimited(path, types=_TYPED, keep=_NAMES)
            frame, rejected, notes = raw.frame, raw.rejected, raw.notes
            dropped, sep = raw.dropped, raw.sep
        frame.columns = [str(c).strip().lower() for c in frame.columns]
        table = table or detect_table(frame.columns)
        found = [c for c in frame.columns if c != "source_row"] + dropped
        if table is None:
            raise SchemaError(
                f"{path}: the header matches no canonical table; posts needs platform, "
                f"post_id, published_at; followers needs platform, date; comments needs "
                f"platform, comment_id, post_id, created_at. Columns found: "
                f"{', '.join(repr(c) for c in found)[:300]}.",
                file=str(path),
            )
        aliases = {c.name: (c.name,) for c in TABLES[table]}
        cols, ignored = map_columns(frame, aliases, path.name)
        ignored += dropped
        numbers = [c.name for c in TABLES[table] if c.kind in ("count", "score")]
        notes = notes + rounded_note(path.name, normalise_columns(cols, numbers, sep))
    except ExportError as exc:
        raise SchemaError(str(exc), file=str(path)) from None
    return RawCanonical(cols, table, ignored, list(rejected), list(notes), list(found))


def read_canonical(path, table: str | None = None) -> ValidationResult:
    """Read one canonical CSV/Parquet file and validate it.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (comma-, semicolon- or tab-separated, UTF-8 preferred, header
        row) or ``.parquet``.
    table : {'posts', 'followers', 'comments'}, optional
        Which table; detected from the header when omitted.

    Raises
    ------
    SchemaError
        When the file cannot be read as a table at all (empty, no header, no
        canonical table's required columns, a column given twice with
        different values).
    """
    raw = read_raw(path, table)
    return _finish(raw, Path(path).name)


def _finish(raw: RawCanonical, name: str) -> ValidationResult:
    return finish(
        raw.cols,
        raw.table,
        name,
        "canonical",
        ignored=raw.ignored,
        rejected=raw.rejected,
        header=raw.header,
        notes=raw.notes,
    )


def _detect(path: Path, header) -> bool:
    return path.suffix.lower() in {".csv", ".parquet", ".pq"} and detect_table(header) is not None


register_loader(
    "canonical",
    _detect,
    lambda p: [read_canonical(p)],
    "socialkit canonical posts/followers/comments table (CSV or Parquet)",
    headers=tuple(sorted(_NAMES)),
)
