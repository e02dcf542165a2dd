"""Header names -> canonical columns, shared by the loaders."""

from __future__ import annotations

import functools
import re

import pandas as pd

from socialkit.loaders._registry import ExportError, show_columns, suggest_mapping
from socialkit.schema import TABLES, SchemaError, ValidationResult, add_quarantine, validate

__all__ = ["norm", "header_key", "map_columns", "finish", "strip_thousands", "sum_counts"]


@functools.lru_cache(maxsize=4096)  # the same few headers in every file of a batch
def norm(name) -> str:
    """Compare header names loosely: case, spacing, a trailing colon and BOM ignored."""
    text = str(name).replace("\ufeff", "").strip().rstrip(":").strip().casefold()
    return _SPACES.sub(" ", text)


@functools.lru_cache(maxsize=4096)
def header_key(name) -> str:
    """A header name as compared: :func:`norm` of it without the ``.1`` suffix that
    :func:`socialkit.loaders._read.unique_names` gives a repeated name."""
    return norm(_COPY_SUFFIX.sub("", str(name)))


_SPACES = re.compile(r"\s+")
_COPY_SUFFIX = re.compile(r"\.\d+$")


def map_columns(frame: pd.DataFrame, aliases: dict, source: str) -> tuple[pd.DataFrame, list]:
    """Pick and rename the columns named in ``aliases``.

    Parameters
    ----------
    frame : DataFrame
        Raw text columns (and ``source_row``).
    aliases : dict
        ``{canonical or working name: (header spelling, ...)}``; the first
        spelling present wins.
    source : str
        File name for errors.

    Returns
    -------
    (DataFrame, list of str)
        The renamed columns plus ``source_row``, and the input columns not used.

    Raises
    ------
    ExportError
        When one of the spellings used appears twice in the header with
        different contents (we cannot tell which is meant).
    """
    by_norm: dict[str, list[str]] = {}
    for col in frame.columns:
        if col == "source_row":
            continue
        by_norm.setdefault(header_key(col), []).append(col)
    out, used = {}, set()
    for target, spellings in aliases.items():
        for spelling in spellings:
            cols = by_norm.get(norm(spelling))
            if not cols:
                continue
            if len(cols) > 1 and not all(frame[c].equals(frame[cols[0]]) for c in cols[1:]):
                positions = ", ".join(str(list(frame.columns).index(c) + 1) for c in cols)
                raise ExportError(
                    f"{source}: column {spelling!r} appears {len(cols)} times (columns "
                    f"{positions}) with different values; keep one and load again."
                )
            out[target] = frame[cols[0]]
            used.update(cols)
            break
    result = pd.DataFrame(out, index=frame.index, copy=False)
    result["source_row"] = frame["source_row"]
    ignored = [c for c in frame.columns if c not in used and c != "source_row"]
    return result, ignored


def _require(cols: pd.DataFrame, table: str, source: str, fmt: str, header) -> None:
    """Raise a :class:`SchemaError` naming the file's own columns when a required
    canonical column could not be mapped (never the loader's working columns)."""
    missing = [c.name for c in TABLES[table] if c.required and c.name not in cols.columns]
    if not missing:
        return
    if header is None:
        header = [c for c in cols.columns if c not in ("source_row", "source_file")]
    hint = suggest_mapping(header)
    raise SchemaError(
        f"{source}: read as {fmt}, but no column gives {', '.join(map(repr, missing))} for "
        f"the {table} table. The file's columns: {show_columns(header)}."
        + (f" {hint}" if hint else ""),
        file=source,
        column=missing[0],
        found=[str(h) for h in header],
    )


def finish(
    cols: pd.DataFrame,
    table: str,
    source: str,
    fmt: str,
    *,
    ignored=(),
    rejected=(),
    header=None,
    **kwargs,
) -> ValidationResult:
    """Validate a loader's mapped columns and complete the result.

    Parameters
    ----------
    cols : DataFrame
        Canonical-named text columns plus ``source_row``.
    table, source, fmt : str
        Canonical table, file name, loader name.
    ignored : sequence of str
        Input columns the loader did not use (listed by ``validate``).
    rejected : sequence of dict
        Rows the reader could not split into columns (:func:`add_quarantine`).
    header : sequence of str, optional
        The file's own column names, shown when a required column is missing
        (with a suggested mapping when a known export's columns are close).
    **kwargs
        Passed to :func:`socialkit.schema.validate` (``time_formats``, ``timezone``, ``notes``).
    """
    _require(cols, table, source, fmt, header)
    result = validate(cols, table, source_file=source, format=fmt, **kwargs)
    result.ignored_columns = list(ignored)
    return add_quarantine(result, list(rejected))


_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def strip_thousands(s: pd.Series) -> pd.Series:
    """``1,234`` -> ``1234`` (only for values shaped like grouped thousands)."""
    s = s.astype("string").str.strip()
    grouped = s.str.match(_THOUSANDS.pattern, na=False)
    return s.where(~grouped, s.str.replace(",", "", regex=False))


def sum_counts(*parts: pd.Series) -> pd.Series:
    """Sum of count columns; NA when every part is NA, else NA parts count 0.

    Parts the reader already typed as numbers give a ``Float64`` sum. Otherwise
    the sum is text, and a part that is not a number makes it the offending
    text, so that validation quarantines the row with that value.
    """
    if all(pd.api.types.is_numeric_dtype(p) for p in parts):
        total = parts[0].astype("Float64")
        for p in parts[1:]:
            total = total.add(p, fill_value=0)  # NA only where both are NA
        return total
    nums = [pd.to_numeric(p, errors="coerce") for p in parts]
    bad = pd.Series(pd.NA, index=parts[0].index, dtype="string")
    for p, n in zip(parts, nums, strict=False):
        wrong = p.notna() & n.isna()
        bad = bad.mask(wrong & bad.isna(), p.astype("string"))
    frame = pd.concat(nums, axis=1)
    total = frame.sum(axis=1, min_count=1)
    text = total.astype("Float64").astype("string")
    return bad.fillna(text)
