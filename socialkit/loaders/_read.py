"""Reading the raw bytes of an export: text decoding and delimited rows.

Every loader of a text format reads through :func:`read_delimited`, which

* decodes UTF-8 (with or without a byte-order mark); a file that is not valid
  UTF-8 is recovered rather than refused — a few bad bytes are replaced and
  reported by position, a file that is mostly another encoding is read as
  Windows-1252 (a superset of Latin-1 for printable text) and that is noted;
* sniffs the delimiter (comma, semicolon, tab) from the header row;
* parses with Python's :mod:`csv` (quoted fields may hold delimiters, quotes
  and newlines; bare CR characters inside quoted text stay in the text);
* numbers rows as a spreadsheet does: the header is row 1, the first record
  row 2 — a record that spans several physical lines is one row;
* sends records whose field count does not match the header to a reject list
  (later quarantined), never dropping them silently. Trailing empty fields
  (some exports end every line with a delimiter) are not an error.

Clean UTF-8 files take a fast path through pyarrow's multithreaded parser,
which reads the file in blocks and builds only the columns the caller reads
(``keep``). A caller may name columns (``types``) that the fast path then
returns already typed — whole numbers, or timestamps with a zone offset — when
*every* value of the column converts and is valid; otherwise the file is read
as text and :func:`socialkit.schema.validate` explains each bad value as usual.
"""

from __future__ import annotations

import csv
import io
import itertools
import mmap
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from socialkit.limits import limit, over_limit
from socialkit.loaders._mapping import header_key, norm
from socialkit.loaders._registry import ExportError
from socialkit.schema import EARLIEST, FUTURE_MARGIN, LATEST

__all__ = [
    "ArrowRead",
    "RawTable",
    "arrow_frame",
    "blank_to_na",
    "decode",
    "head_rows",
    "read_arrow",
    "read_arrow_joined",
    "read_delimited",
    "sniff_delimiter",
    "unique_names",
]

csv.field_size_limit(2**31 - 1)

#: Above this share of undecodable bytes among non-ASCII bytes, the file is
#: taken to be in a single-byte encoding rather than UTF-8 with a few bad spots.
_SINGLE_BYTE_SHARE = 0.2


@dataclass
class RawTable:
    """Rows of a delimited file, all values text (empty cells are NA).

    Attributes
    ----------
    frame : DataFrame
        One column per header name (as written; only those the caller asked
        for, when it did) plus ``source_row``. Columns are text, except those
        the caller asked for typed (see :func:`read_delimited`) when every
        value converted.
    header : list of str
    rejected : list of dict
        Records that could not be split into the header's columns:
        ``source_row``, ``column``, ``value``, ``rule``, ``reason``.
    notes : list of str
    dropped : list of str
        Header names not read because the caller did not ask for them.
    sep : str
        The delimiter the file was read with (``;`` suggests a European locale,
        whose decimal mark is a comma: see :mod:`socialkit.loaders._numbers`).
    """

    frame: pd.DataFrame
    header: list[str]
    rejected: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    sep: str = ","


def _kept(name: str, keep) -> bool:
    """Whether header ``name`` (perhaps made unique as ``name.1``) is one of ``keep``."""
    return keep is None or header_key(name) in keep


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    col = offset - (raw.rfind(b"\n", 0, offset) + 1) + 1
    return line, col


def decode(raw: bytes, name: str) -> tuple[str, list[str]]:
    """Decode an export's bytes; return the text and notes on any recovery.

    Parameters
    ----------
    raw : bytes
    name : str
        File name for the notes.
    """
    notes = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), notes
    except UnicodeDecodeError:
        pass
    bad = []
    pos = 0
    while True:  # collect the offsets of invalid sequences (cheaply, by re-decoding)
        try:
            raw[pos:].decode("utf-8")
            break
        except UnicodeDecodeError as exc:
            bad.append(pos + exc.start)
            pos += exc.end
            if len(bad) > 10_000:
                break
    non_ascii = sum(1 for b in raw if b > 0x7F) if len(raw) < 50_000_000 else len(bad) * 2
    line, col = _line_col(raw, bad[0])
    if len(bad) > _SINGLE_BYTE_SHARE * max(non_ascii, 1) and len(bad) > 3:
        notes.append(
            f"{name}: not UTF-8 ({len(bad)} invalid byte sequences, the first at line {line}, "
            f"column {col}); read as Windows-1252/Latin-1. Save exports as UTF-8 to be sure."
        )
        return raw.decode("cp1252", errors="replace"), notes
    where = ", ".join("line {}, column {}".format(*_line_col(raw, b)) for b in bad[:5])
    notes.append(
        f"{name}: {len(bad)} invalid UTF-8 byte sequence(s) replaced by '\ufffd' "
        f"({where}{' …' if len(bad) > 5 else ''}); no row was lost."
    )
    return raw.decode("utf-8", errors="replace"), notes


def sniff_delimiter(first_line: str) -> str:
    """The most frequent of comma, semicolon and tab in the header line."""
    return max([",", ";", "\t"], key=first_line.count)


def head_rows(path, n: int = 5, max_bytes: int = 65536) -> list[list[str]]:
    """The first ``n`` records of a delimited text file, cheaply (for format detection).

    Reads at most ``max_bytes``, drops a UTF-8 byte-order mark, sniffs the
    delimiter from the first line; ``[]`` for a binary file.
    """
    with Path(path).open("rb") as f:
        head = f.read(max_bytes).decode("utf-8-sig", errors="replace")
    first = head.split("\n", 1)[0]
    if "\x00" in first:
        return []
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=sniff_delimiter(first))
    return list(itertools.islice(reader, n))


def blank_to_na(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that are empty or only whitespace become NA (``source_row`` untouched)."""
    text = [c for c in frame.columns if c != "source_row"]
    frame[text] = frame[text].apply(lambda s: s.mask(s.str.strip() == ""))
    return frame


#: Kinds a caller may ask the fast path for: count (``12``), decimal_count (a count some
#: exports write as ``12.0``) and timestamp (ISO 8601 with a zone offset).
TYPED_KINDS = ("count", "decimal_count", "timestamp")


def _arrow_type(kind: str):
    import pyarrow as pa

    return {
        "count": pa.int64(),
        "decimal_count": pa.float64(),
        "timestamp": pa.timestamp("ns", tz="UTC"),
    }[kind]


def _all_valid(column) -> bool:
    """Every value of a typed column is one validation accepts.

    Counts whole and not negative; times from 1970 up to the "future" limit
    (now + 1 day).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if column.null_count == len(column):
        return True
    low, high = pc.min_max(column).values()
    if pa.types.is_integer(column.type):
        return low.as_py() >= 0
    if pa.types.is_floating(column.type):
        whole = pc.all(pc.equal(pc.floor(column), column)).as_py()
        return low.as_py() >= 0 and high.as_py() < 2**53 and bool(whole)
    latest = min(LATEST, pd.Timestamp.now(tz="UTC") + FUTURE_MARGIN)
    return low.value >= EARLIEST.value and high.value <= latest.value


def _has_empty_rows(table) -> bool:
    """Whether some row is null in every column (cheap when a column has no nulls)."""
    import pyarrow.compute as pc

    if table.num_rows == 0 or any(c.null_count == 0 for c in table.columns):
        return False
    empty = table.column(0).is_null()
    for column in table.columns[1:]:
        empty = pc.and_(empty, column.is_null())
    return pc.any(empty).as_py()


@dataclass
class ArrowRead:
    """A clean file as pyarrow parsed it (:func:`read_arrow`), not yet a pandas frame.

    Attributes
    ----------
    table : pyarrow.Table
        The kept columns, named as the header writes them; text as
        ``large_string``, typed columns as asked (see :func:`read_delimited`).
    header, dropped, sep
        As in :class:`RawTable`.
    """

    table: object
    header: list[str]
    dropped: list[str]
    sep: str

    def raw_table(self) -> RawTable:
        """The :class:`RawTable` of the file (rows numbered from 2, as a spreadsheet does)."""
        frame = arrow_frame(self.table)
        self.table = None  # the frame holds the data now
        frame["source_row"] = pd.array(np.arange(2, len(frame) + 2), dtype="Int64")
        return RawTable(frame, self.header, dropped=self.dropped, sep=self.sep)


def arrow_frame(table) -> pd.DataFrame:
    """A pandas frame of a fast-path Arrow table: ``string``, ``Int64``, ``Float64`` and
    UTC timestamp columns (large strings are pandas' own storage: no copy)."""
    import pyarrow as pa

    mapping = {
        pa.large_string(): pd.StringDtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
    }
    return table.to_pandas(types_mapper=mapping.get)


def _fast_arrow(
    source, head: bytes, sep: str, types: dict | None = None, na=(), keep=None, quoted=True
) -> ArrowRead | None:
    """pyarrow's multithreaded CSV parser for clean UTF-8 files; ``None`` if unsure.

    ``source`` is a file path (pyarrow reads it in blocks: the file is never
    held whole) or a function returning a fresh ``pyarrow.BufferReader``;
    ``head`` is the file's first 64 KiB.

    Used only when its result is the same as the careful reader's: valid UTF-8
    without BOM, no blank lines (they shift row numbers; a line of empty
    fields goes to the careful reader too, as the two look alike here), a
    unique header, and every record with the header's width (or one trailing
    empty field). Any parse error sends the file to the careful reader, which
    explains each row.

    Columns named in ``types`` ({normalised header: one of :data:`TYPED_KINDS`})
    are parsed typed — whole numbers; ISO 8601 times *with* a zone offset —
    when every value converts and is valid (counts whole and not negative,
    times from 1970 and not in the future). One value that is not makes the
    whole file parse as text (one more pass), so validation explains it, with
    the text as written.

    ``quoted=False`` says the file has no double quote, so no value can span
    lines: pyarrow may then split the file at any line break and parse the
    blocks in parallel (``newlines_in_values=False``; about 1.5× faster).
    """
    import pyarrow as pa

    plan = _plan(head, sep, types, keep)
    if plan is None:
        return None
    for attempt in ([plan.typed] if plan.typed else []) + [{}]:
        try:
            table = _parse(source() if callable(source) else source, plan, attempt, na, quoted)
        except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
            if not attempt:
                return None
            continue
        if all(_all_valid(table.column(n)) for n in attempt):
            break
    return _arrow_read(table, plan)


@dataclass(frozen=True)
class _Plan:
    """How the fast path parses a file, from its first 64 KiB (:func:`_plan`)."""

    names: tuple  # every column as pyarrow names it: the header, and a trailing empty field
    include: tuple  # the columns built
    typed: dict  # {column: Arrow type} of the typed attempt
    header: list
    dropped: list
    sep: str


def _plan(head: bytes, sep: str, types: dict | None, keep) -> _Plan | None:
    """The fast path's plan for a file whose first 64 KiB are ``head``; None when the
    head already rules it out (a BOM, no record, a repeated or empty header name, records
    of several widths, or wider than the header by more than one trailing field)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return None
    text = head.decode("utf-8", errors="replace")
    records = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=sep), 50))
    if len(records) < 2:
        return None
    header = [h.strip() for h in records[0]]
    widths = {len(r) for r in records[1:-1] or records[1:]}
    if len(set(header)) != len(header) or "" in header or len(widths) != 1:
        return None
    extra = widths.pop() - len(header)
    if extra not in (0, 1):
        return None
    names = header + ["__trailing__"] * extra
    include = [n for n in names if _kept(n, keep) or n == "__trailing__"]
    typed = {n: _arrow_type(types[norm(n)]) for n in header if norm(n) in (types or {})}
    dropped = [h for h in header if not _kept(h, keep)]
    return _Plan(tuple(names), tuple(include), typed, header, dropped, sep)


def _parse(source, plan: _Plan, attempt: dict, na, quoted: bool, skip: int = 1):
    """One pyarrow parse of ``source`` (a path or a stream) after its first ``skip`` rows
    (the header), typed as ``attempt`` asks and every other column kept as
    ``large_string``."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(column_names=list(plan.names), skip_rows=skip),
        parse_options=pacsv.ParseOptions(
            delimiter=plan.sep, newlines_in_values=quoted, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            # large_string is pandas' own storage: no copy on the way to pandas
            column_types={n: attempt.get(n, pa.large_string()) for n in plan.include},
            include_columns=list(plan.include),
            null_values=["", *na],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def _arrow_read(table, plan: _Plan) -> ArrowRead | None:
    """The :class:`ArrowRead` of a parsed file, or None when its trailing field holds a
    value or a row is empty in every column (row numbers would differ)."""
    if "__trailing__" in plan.names:
        if table.column("__trailing__").null_count != table.num_rows:
            return None
        table = table.drop_columns(["__trailing__"])
    if _has_empty_rows(table):  # a blank line, or a line of empty fields: numbering differs
        return None
    return ArrowRead(table, plan.header, plan.dropped, plan.sep)


def read_arrow_joined(paths, *, types: dict | None = None, na=(), keep=None) -> list:
    """:func:`read_arrow` of many files, those with the same header parsed as one.

    pyarrow's parse has a fixed cost per file that dominates a small one (200
    files of 5,000 posts: 1.5 s one by one on two threads, 0.5 s as one stream). Files
    whose first 64 KiB give the same plan (header, delimiter, widths) have
    their records read, after the header row, into one buffer and parsed once;
    each file's table is then its slice of the result, which is what the
    file's own parse gives: every column's type is set by the plan, not
    inferred, and records are split between files by counting line breaks,
    which is used only when the parse found as many records as the buffer has
    line breaks (no value of any file spans lines, so every file starts on a
    record of its own).

    Returns
    -------
    list of ArrowRead or None
        In the order of ``paths``. None for a file left to :func:`read_arrow`:
        one that shares its plan with no other file, one that any doubt of the
        fast path touches, and every file of a group whose joined parse failed
        (its typed attempt, or any file's records) — reading those alone gives
        each its own answer.
    """
    out: list = [None] * len(paths)
    groups: dict[tuple, list] = {}
    for i, path in enumerate(map(Path, paths)):
        try:
            head = _head(path, None, 1)
            if b"\n" not in head or b'"' in head[: head.index(b"\n")]:
                continue  # the header row is where a plain line break ends it
            bare_cr, quoted = _scan(path)
            plan = None if bare_cr else _plan(head, _sniff_head(head), types, keep)
            size = path.stat().st_size
        except (OSError, ExportError):
            continue  # read_arrow raises it again, for this file alone
        if plan is not None:
            groups.setdefault((plan.names, plan.sep), []).append(
                (i, path, head.index(b"\n") + 1, quoted, plan, size)
            )
    for group in groups.values():
        # at most JOIN_BYTES of records at once: the buffer is held while they are parsed
        parts, total = [[]], 0
        for g in group:
            if parts[-1] and total + g[5] > JOIN_BYTES:
                parts.append([])
                total = 0
            parts[-1].append(g)
            total += g[5]
        for part in parts:
            if len(part) > 1:
                for i, read in _read_joined(part, na):
                    out[i] = read
    return out


#: Bytes of records parsed as one by :func:`read_arrow_joined`, at most (beyond a file
#: that is larger on its own): 200 files of 5,000 posts (148 MB) parse in three pieces.
JOIN_BYTES = 64 << 20


def _read_joined(group, na) -> list[tuple[int, ArrowRead | None]]:
    """(index, read) of each file of one plan parsed as one (see
    :func:`read_arrow_joined`); no pair at all when the joined parse fails."""
    import pyarrow as pa

    joined = _joined_records(group)
    if joined is None:
        return []
    buf, rows = joined
    plan, quoted = group[0][4], any(g[3] for g in group)
    try:
        table = _parse(pa.BufferReader(buf), plan, plan.typed, na, quoted, skip=0)
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return []
    if table.num_rows != rows.sum():  # a value spans lines: files and records may not align
        return []
    valid = all(_all_valid(table.column(n)) for n in plan.typed)
    out = []
    for (i, *_), start, n in zip(group, np.r_[0, np.cumsum(rows)[:-1]], rows, strict=True):
        part = table.slice(start, n)
        ok = valid or all(_all_valid(part.column(c)) for c in plan.typed)
        out.append((i, _arrow_read(part, plan) if ok else None))
    return out


def _joined_records(group) -> tuple | None:
    """The records of a group's files (each after its header row, each ending in a line
    break) in one ``pyarrow.Buffer``, and each file's count of line breaks; None when a
    file is not as long as it was a moment ago, or cannot be read again."""
    import pyarrow as pa

    try:
        sizes = [path.stat().st_size - skip for _, path, skip, *_ in group]
        buf = np.empty(sum(sizes) + len(sizes), dtype=np.uint8)  # filled by the reads
        at, rows = 0, []
        for (_, path, skip, *_), size in zip(group, sizes, strict=True):
            with path.open("rb") as fh:
                if os.fstat(fh.fileno()).st_size != size + skip:
                    return None
                fh.seek(skip)
                if fh.readinto(memoryview(buf[at : at + size])) != size:
                    return None
            if size and buf[at + size - 1] != 0x0A:
                buf[at + size] = 0x0A
                size += 1
            rows.append(np.count_nonzero(buf[at : at + size] == 0x0A))
            at += size
    except OSError:
        return None
    return pa.py_buffer(buf[:at]), np.array(rows, dtype=np.int64)


def read_arrow(path, *, types: dict | None = None, na=(), keep=None) -> ArrowRead | None:
    """The fast path of :func:`read_delimited` alone: a clean file as an Arrow table.

    For a caller that joins many files' tables before building one pandas frame
    (:mod:`socialkit.loaders.many`). Parameters as :func:`read_delimited` (the
    header on row 1, the delimiter sniffed).

    Returns
    -------
    ArrowRead or None
        None when the file needs :func:`read_delimited`'s careful reader (any
        doubt: a byte-order mark, blank lines, ragged rows, a value that does not
        parse, a carriage return inside a value, an empty file).

    Raises
    ------
    ExportError
        Over ``MAX_EXPORT_BYTES`` or ``MAX_COLUMNS``, or the file cannot be opened.
    """
    path = Path(path)
    try:
        head = _head(path, None, 1)
        if not head.strip():
            return None
        bare_cr, quoted = _scan(path)
    except OSError as exc:
        raise ExportError(f"{path}: cannot open the file ({exc.strerror}).") from exc
    if bare_cr:
        return None
    return _fast_arrow(str(path), head, _sniff_head(head), types, tuple(na), keep, quoted)


def _head(path: Path, sep: str | None, header_row: int) -> bytes:
    """The first 64 KiB of ``path``, after its size (and header width) are checked."""
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit("MAX_EXPORT_BYTES"):
            raise ExportError(str(over_limit(path, "MAX_EXPORT_BYTES", size)))
        head = fh.read(1 << 16)
        if header_row == 1:
            _check_width(path, fh, head, sep)
    return head


def _sniff_head(head: bytes) -> str:
    """The delimiter sniffed from the first line of a file's first 64 KiB."""
    return sniff_delimiter(head[:65536].decode("utf-8", "replace").split("\n", 1)[0])


def read_delimited(
    path,
    *,
    sep: str | None = None,
    header_row: int = 1,
    types: dict | None = None,
    na=(),
    keep=None,
) -> RawTable:
    """Read a delimited text export into text columns with row numbers.

    Parameters
    ----------
    path : str or Path
    sep : str, optional
        Delimiter; sniffed from the header row when omitted.
    header_row : int, default 1
        Row number of the header (rows above it are skipped, e.g. a title line).
    types : dict, optional
        ``{header name (case and spacing ignored): kind}`` with a kind of
        :data:`TYPED_KINDS`: columns the fast path may return as ``Int64``,
        ``Float64`` or UTC timestamps, when every one of their values converts
        and is valid (see :func:`_fast_arrow`). Without it, or on the careful
        path, every column is text.
    na : sequence of str
        Cell values, besides the empty cell, that mean "not available" in this
        export (e.g. ``"-"``); they become NA in every column.
    keep : set of str, optional
        Normalised header names (:func:`norm`) to read; the others are listed
        in ``dropped`` and never built into columns (less time and memory).
        Default: every column.

    Raises
    ------
    ExportError
        Empty file, or no header row.
    """
    path = Path(path)
    try:
        head = _head(path, sep, header_row)
        streamed = False  # pyarrow reads the file itself (no bare CR to protect first)
        if header_row == 1 and head.strip():
            bare_cr, quoted = _scan(path)
            streamed = not bare_cr
            if streamed:
                sep = sep or _sniff_head(head)
                fast = _fast_arrow(str(path), head, sep, types, tuple(na), keep, quoted)
                if fast is not None:
                    return fast.raw_table()
        raw = path.read_bytes()
    except OSError as exc:
        raise ExportError(f"{path}: cannot open the file ({exc.strerror}).") from exc
    if not raw or raw.isspace():
        raise ExportError(f"{path}: the file is empty; expected a header row and data rows.")
    # In a file whose lines end in \n, a lone \r is part of a value (pandas and
    # Python's csv write it unquoted): keep it from splitting the row.
    bare_cr = (
        len(_BARE_CR.findall(raw))
        if b"\n" in raw and _CR_MARK not in raw and _BARE_CR.search(raw)
        else 0
    )
    if bare_cr:
        raw = _BARE_CR.sub(_CR_MARK, raw)
    table = _parse_delimited(raw, path, sep, header_row, types, tuple(na), keep, not streamed)
    if bare_cr:
        text = [c for c in table.frame.columns if c != "source_row"]
        mark = _CR_MARK.decode()
        table.frame[text] = table.frame[text].apply(
            lambda s: s.str.replace(mark, "\r", regex=False)
        )
        for r in table.rejected:
            r["value"] = r["value"].replace(mark, "\r")
        table.notes.append(
            f"{path.name}: {bare_cr} carriage return(s) inside values were kept as text, "
            "not read as line breaks (the file's lines end in \\n)."
        )
    return table


def _check_width(path: Path, fh, head: bytes, sep: str | None) -> None:
    """Refuse a header row wider than ``MAX_COLUMNS`` before anything is parsed.

    The delimiters of the first line are counted (over 64 KiB blocks, when the
    line is longer than the head): a crafted header of a million columns would
    otherwise make every parser build a million columns.
    """
    sep = sep or _sniff_head(head)
    mark, most = sep.encode(), limit("MAX_COLUMNS")
    block, count = head, 0
    while True:
        line = block.split(b"\n", 1)[0]
        count += line.count(mark)
        if count + 1 > most:
            raise ExportError(str(over_limit(path, "MAX_COLUMNS", f"{count + 1}+ columns")))
        if len(line) < len(block) or not block:
            return
        block = fh.read(1 << 16)


def _scan(path: Path) -> tuple[bool, bool]:
    """Whether the file has a carriage return not followed by a line feed, and whether it
    has a double quote at all (without one, no value can hold a line break).

    The file is memory-mapped (no copy) and searched at memchr speed; the regular
    expression runs only when the file holds a carriage return.
    """
    if path.stat().st_size == 0:
        return False, False
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        bare = mm.find(b"\r") >= 0 and _BARE_CR.search(mm) is not None
        return bare, mm.find(b'"') >= 0


_BARE_CR = re.compile(rb"\r(?!\n)")
_CR_MARK = "\ue000".encode()  # a private-use character stands in for a lone \r while parsing


def _parse_delimited(
    raw: bytes,
    path: Path,
    sep: str | None,
    header_row: int,
    types: dict | None,
    na: tuple,
    keep,
    try_fast: bool,
) -> RawTable:
    if header_row == 1 and try_fast:  # only then can the delimiter be sniffed before decoding
        import pyarrow as pa

        sep = sep or _sniff_head(raw)
        fast = _fast_arrow(
            lambda: pa.BufferReader(raw), raw[: 1 << 16], sep, types, na, keep, b'"' in raw
        )
        if fast is not None:
            return fast.raw_table()
    text, notes = decode(raw, path.name)
    sep = sep or sniff_delimiter(text.split("\n", header_row)[header_row - 1])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    header = None
    rows, numbers, rejected = [], [], []
    for number, record in enumerate(reader, start=1):
        if number < header_row:
            continue
        if header is None:
            if len(record) > limit("MAX_COLUMNS"):
                raise ExportError(str(over_limit(path, "MAX_COLUMNS", f"{len(record)} columns")))
            header = [h.strip() for h in record]
            while header and header[-1] == "":
                header.pop()
            width = len(header)
            continue
        if not record or (len(record) == 1 and not record[0].strip()):
            continue  # a blank line is not a row
        if len(record) > width and not any(v.strip() for v in record[width:]):
            record = record[:width]
        if len(record) != width:
            shown = sep.join(record)[:60]
            rejected.append(
                {
                    "source_row": number,
                    "column": "*",
                    "value": shown,
                    "rule": "fields",
                    "reason": (
                        f"{len(record)} field(s) but the header has {width}; expected one value "
                        f"per column separated by {sep!r}"
                        + (" (the last row looks cut off)" if len(record) < width else "")
                    ),
                }
            )
            continue
        rows.append(record)
        numbers.append(number)
    if not header:
        raise ExportError(f"{path}: no header row found (the file has only blank lines).")
    frame = blank_to_na(pd.DataFrame(rows, columns=unique_names(header), dtype="string"))
    if na:
        frame = frame.mask(frame.isin(na))
    frame["source_row"] = pd.array(numbers, dtype="Int64")
    frame = frame[[c for c in frame.columns if c == "source_row" or _kept(c, keep)]]
    dropped = [h for h in header if not _kept(h, keep)]
    return RawTable(frame, header, rejected, notes, dropped, sep)


def unique_names(names: list[str]) -> list[str]:
    """Make repeated header names unique (``x``, ``x.1``) as pandas does."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n}.{seen[n]}")
        else:
            seen[n] = 0
            out.append(n)
    return out
