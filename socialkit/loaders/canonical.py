"""Canonical ``posts`` / ``followers`` / ``comments`` tables as CSV or Parquet.

The column names are those of :data:`socialkit.schema.TABLES`. The table is
recognised from the header: a file with all of a table's required columns is
that table. Every cell is read as text and coerced by
:func:`socialkit.schema.validate`, so a bad value is quarantined with its row
and column rather than breaking the whole file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from socialkit.loaders._registry import register_loader
from socialkit.schema import TABLES, SchemaError, ValidationResult, validate

__all__ = ["detect_table", "read_canonical"]


def detect_table(header) -> str | None:
    """The canonical table whose required columns are all in ``header``."""
    cols = {str(h).strip().lower() for h in header}
    for table in ("comments", "posts", "followers"):  # most specific first
        required = {c.name for c in TABLES[table] if c.required}
        if required <= cols:
            return table
    return None


def read_canonical(path, table: str | None = None) -> ValidationResult:
    """Read one canonical CSV/Parquet file and validate it.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (comma-separated, UTF-8, header row) or ``.parquet``.
    table : {'posts', 'followers', 'comments'}, optional
        Which table; detected from the header when omitted.
    """
    path = Path(path)
    if path.suffix.lower() in {".parquet", ".pq"}:
        frame = pd.read_parquet(path)
    else:
        try:
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"
            )
        except UnicodeDecodeError as exc:
            raise SchemaError(
                f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                "save the file as UTF-8 CSV.",
                file=str(path),
            ) from exc
        except pd.errors.ParserError as exc:
            raise SchemaError(f"{path}: not a readable CSV file ({exc}).", file=str(path)) from exc
        except pd.errors.EmptyDataError:
            raise SchemaError(
                f"{path}: the file is empty; expected a header row.", file=str(path)
            ) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    table = table or detect_table(frame.columns)
    if table is None:
        raise SchemaError(
            f"{path}: the header matches no canonical table; posts needs platform, post_id, "
            f"published_at; followers needs platform, date; comments needs platform, "
            f"comment_id, post_id, created_at.",
            file=str(path),
        )
    return validate(frame, table, source_file=path.name)


def _detect(path: Path, header) -> bool:
    return path.suffix.lower() in {".csv", ".parquet", ".pq"} and detect_table(header) is not None


register_loader(
    "canonical",
    _detect,
    lambda p: [read_canonical(p)],
    "socialkit canonical posts/followers/comments table (CSV or Parquet)",
)
