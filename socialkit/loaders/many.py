"""Read and validate many canonical files at once: one frame and one validation per
table, not per file.

Clean CSV files that share a header are parsed by pyarrow as one stream, the
others one by one, and joined as Arrow tables before any pandas frame is built
(:func:`read_many`); the pandas frame, the column mapping and the validation
are then paid once per table and column set. Files the fast path leaves alone
are read by :func:`~socialkit.loaders.canonical.read_raw` and validated
together (:func:`validate_many`).

Validating a table has a fixed cost (column by column coercion, enum and range
checks, quarantine bookkeeping) that dominates a 5,000-row file: 200 clients'
posts took 200 validations. Here the mapped columns of every file of the same
table (and the same column types) are concatenated, each row labelled with its
file, validated once (:func:`socialkit.schema.validate`, where a duplicate key
counts only within its file), and split back into one
:class:`~socialkit.schema.ValidationResult` per file, equal to what
:func:`~socialkit.loaders.canonical.read_canonical` gives for that file alone:
the same rows, quarantine records and messages, and per file
``rows_in == rows_loaded + rows_quarantined``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from socialkit._slices import mark
from socialkit.loaders._mapping import finish, map_columns
from socialkit.loaders._read import arrow_frame, read_arrow, read_arrow_joined
from socialkit.loaders.canonical import _NAMES, _TYPED, RawCanonical, _finish, read_raw
from socialkit.schema import (
    TABLES,
    SchemaError,
    ValidationResult,
    _arrow_text,
    _repeated,
    add_quarantine,
)
from socialkit.windows import data_windows

__all__ = ["read_many", "validate_many"]

#: Separates a file's label from its index in the batch (never in a file name).
_SEP = "\x1f"


def _signature(raw: RawCanonical) -> tuple:
    return raw.table, tuple((c, str(t)) for c, t in raw.cols.dtypes.items())


def validate_many(items) -> list:
    """Validate read canonical files (:func:`~socialkit.loaders.canonical.read_raw`).

    Parameters
    ----------
    items : sequence of (RawCanonical, str)
        Each file's raw columns and its name as messages show it.

    Returns
    -------
    list of ValidationResult or SchemaError
        One per item, in order; each as ``read_canonical`` would return it, or
        the error it would raise (a required column missing).
    """
    items = list(items)
    out: list = [None] * len(items)
    groups: dict[tuple, list[int]] = {}
    for i, (raw, _) in enumerate(items):
        required = {c.name for c in TABLES[raw.table] if c.required}
        if len(items) == 1 or not required <= set(raw.cols.columns):
            try:
                out[i] = _finish(raw, items[i][1])  # alone, with its own error
            except SchemaError as exc:
                out[i] = exc
        else:
            groups.setdefault(_signature(raw), []).append(i)
    for idx in groups.values():
        for i, result in zip(idx, _validate_group([items[i] for i in idx]), strict=True):
            out[i] = result
    return out


def read_many(items, errors=(SchemaError,)) -> list:
    """Read and validate canonical files, one validation per table.

    Clean CSV files (those :func:`~socialkit.loaders._read.read_arrow` reads
    whole, with every count column parsed as numbers) are joined as Arrow
    tables and become one pandas frame per table and column set: a 5,000-row
    file costs its parse, not a frame of its own. The others are read one by
    one (:func:`~socialkit.loaders.canonical.read_raw`) and validated with
    :func:`validate_many`.

    Parameters
    ----------
    items : sequence of (path, str)
        Each file and its table (``posts``, ``followers`` or ``comments``).
    errors : tuple of exception types
        What a file's read may raise that is returned as its result (default:
        :class:`~socialkit.schema.SchemaError`).

    Returns
    -------
    list of ValidationResult or Exception
        One per item, in order, each equal to what
        :func:`~socialkit.loaders.canonical.read_canonical` gives for the file
        alone (the same rows, quarantine and messages), or the error it raises.
    """
    items = [(Path(p), table) for p, table in items]
    out: list = [None] * len(items)
    joined: dict[tuple, list] = {}  # signature -> [(item index, ArrowRead)]
    alone = []  # (item index, RawCanonical)
    for k, ((path, table), fast) in enumerate(zip(items, _clean_all(items), strict=True)):
        try:
            if fast is not None:
                sig = (table, tuple((f.name, str(f.type)) for f in fast.table.schema))
                joined.setdefault(sig, []).append((k, fast))
            else:
                alone.append((k, read_raw(path, table)))
        except errors as exc:
            out[k] = exc
    for (table, _), group in joined.items():
        for (k, _), result in zip(group, _validate_arrow(items, table, group), strict=True):
            out[k] = result
    for (k, _), result in zip(
        alone, validate_many([(raw, items[k][0].name) for k, raw in alone]), strict=True
    ):
        out[k] = result
    return out


def _clean_all(items) -> list:
    """:func:`_clean_csv` of each item; None for a file alone in its batch, or whose read
    raised (the per-file reader raises it again, with its message).

    CSV files that share a header are parsed as one
    (:func:`~socialkit.loaders._read.read_arrow_joined`); the rest one by one on
    :data:`~socialkit.metrics._arrow.THREADS` threads (pyarrow parses without the GIL; a
    small file keeps one core busy only for a moment).
    """
    from concurrent.futures import ThreadPoolExecutor

    from socialkit.metrics._arrow import THREADS

    if len(items) < 2:
        return [None] * len(items)
    csvs = [k for k, (path, _) in enumerate(items) if path.suffix.lower() == ".csv"]
    out: list = [None] * len(items)
    done = set()
    try:
        joined = read_arrow_joined([items[k][0] for k in csvs], types=_TYPED, keep=_NAMES)
    except Exception:  # noqa: BLE001 - each file is then read alone, and explains itself
        joined = [None] * len(csvs)
    for k, fast in zip(csvs, joined, strict=True):
        if fast is not None:
            out[k] = _usable(fast, items[k][1])
            done.add(k)

    def clean(k):
        try:
            return _clean_csv(*items[k])
        except Exception:  # noqa: BLE001 - read_raw reads it again and says what is wrong
            return None

    rest = [k for k in csvs if k not in done]
    with ThreadPoolExecutor(THREADS) as pool:
        for k, fast in zip(rest, pool.map(clean, rest), strict=True):
            out[k] = fast
    return out


def _clean_csv(path: Path, table: str):
    """The file's :class:`~socialkit.loaders._read.ArrowRead` with its columns named as
    ``read_raw`` names them, when the fast path read it and nothing is left for the
    per-file steps; else None (``read_raw`` then reads it, and explains any error)."""
    fast = read_arrow(path, types=_TYPED, keep=_NAMES) if path.suffix.lower() == ".csv" else None
    return None if fast is None else _usable(fast, table)


def _usable(fast, table: str):
    """``fast`` with its columns named as ``read_raw`` names them, when nothing is left
    for the per-file steps (no repeated name, every required column, the counts as
    numbers); else None."""
    names = [str(c).strip().lower() for c in fast.table.column_names]
    spec = {c.name: c for c in TABLES[table]}
    numeric = all(
        str(t) in ("int64", "double")
        for n, t in zip(names, fast.table.schema.types, strict=True)
        if n in spec and spec[n].kind in ("count", "score")
    )
    required = {c for c, col in spec.items() if col.required}
    if len(set(names)) != len(names) or not required <= set(names) or not numeric:
        return None
    fast.table = fast.table.rename_columns(names)
    return fast


def _validate_arrow(items, table: str, group) -> list[ValidationResult]:
    """Clean CSV files of one table and column set: one frame, one validation."""
    import pyarrow as pa

    sizes = np.array([fast.table.num_rows for _, fast in group])
    whole = pa.concat_tables([fast.table for _, fast in group])
    for _, fast in group:
        fast.table = None
    frame = arrow_frame(whole)
    del whole
    # rows numbered per file from 2, as a spreadsheet does (the header is row 1)
    first = np.repeat(np.r_[0, np.cumsum(sizes)[:-1]], sizes)
    frame["source_row"] = pd.array(np.arange(sizes.sum()) - first + 2, dtype="Int64")
    cols, ignored = map_columns(frame, {c.name: (c.name,) for c in TABLES[table]}, "<batch>")
    del frame
    files = [
        (items[k][0].name, ignored + fast.dropped, [], []) for k, fast in group
    ]  # fmt: skip
    return _validate_joined(cols, sizes, table, files)


def _validate_group(items) -> list[ValidationResult]:
    """Files of one table with the same columns and types: one validation, split back."""
    sizes = np.array([len(raw.cols) for raw, _ in items])
    cols = pd.concat([raw.cols for raw, _ in items], ignore_index=True)
    files = [(name, raw.ignored, raw.rejected, raw.notes) for raw, name in items]
    return _validate_joined(cols, sizes, items[0][0].table, files)


def _validate_joined(cols, sizes, table: str, files) -> list[ValidationResult]:
    """Validate the joined columns of several files once and split the result back.

    ``files``: per file, its name, ignored columns, rejected records and notes;
    ``sizes``: its rows, in the order of ``cols``.
    """
    labels = [f"{k}{_SEP}{name}" for k, (name, *_) in enumerate(files)]
    cols["source_file"] = pd.Categorical.from_codes(
        np.repeat(np.arange(len(files)), sizes), categories=labels
    )
    whole = finish(cols, table, "<batch>", "canonical")
    part_of = {label: k for k, label in enumerate(labels)}
    q_part = whole.quarantine["source_file"].map(part_of).to_numpy(dtype=np.int64)
    # the rows kept stay in file order, so a file's rows are its size less its quarantine
    kept = sizes - np.bincount(q_part, minlength=len(files))
    d_bounds = np.r_[0, np.cumsum(kept)]
    windows = _windows_by_file(whole.data, table, labels)
    # each row's file name, in one column that every file's rows are a view of
    names = pa.array([name for name, *_ in files], pa.large_string())
    codes = whole.data["source_file"].cat.codes.to_numpy()
    whole.data["source_file"] = pd.Series(
        _arrow_text(names.take(pa.array(codes))), index=whole.data.index, copy=False
    )
    by_part = np.argsort(q_part, kind="stable")
    quarantine = whole.quarantine.iloc[by_part]
    q_bounds = np.searchsorted(q_part[by_part], np.arange(len(files) + 1))
    results = []
    for k, (name, ignored, rejected, notes) in enumerate(files):
        data = whole.data.iloc[d_bounds[k] : d_bounds[k + 1]].copy(deep=False)  # a view
        data.index = pd.RangeIndex(len(data))
        mark(data, whole.data, d_bounds[k], d_bounds[k + 1])  # a batch joins them back
        q = quarantine.iloc[q_bounds[k] : q_bounds[k + 1]].reset_index(drop=True)
        if len(q):
            q["source_file"] = _repeated(name, q.index)
            q["reason"] = name + q["reason"].str.slice(len(labels[k]))
        assert sizes[k] == len(data) + len(q), "quarantine accounting broken"
        result = ValidationResult(
            table, name, data, q, int(sizes[k]), list(whole.ignored_columns), "canonical",
            list(notes),
        )  # fmt: skip
        result.ignored_columns = list(ignored)
        result.windows = windows[k]
        results.append(add_quarantine(result, rejected))
    return results


def _windows_by_file(data: pd.DataFrame, table: str, labels: list[str]) -> list[list[dict]]:
    """Each file's data windows, counted in one pass over the joined rows (their
    ``source_file`` is the file's label)."""
    per_file: list[list[dict]] = [[] for _ in labels]
    at = {label: k for k, label in enumerate(labels)}
    for w in data_windows({table: data}):
        per_file[at[w["source"]]].append({k: w[k] for k in ("platform", "start", "end", "rows")})
    return per_file
