"""Spreadsheet workbooks: ``.xlsx`` (openpyxl) and SpreadsheetML 2003 XML.

Facebook's legacy Insights export writes ``.xls`` files that are not Excel
binary files but SpreadsheetML 2003 XML (namespace
``urn:schemas-microsoft-com:office:spreadsheet``); ``pandas.read_excel`` and
xlrd refuse them, so they are parsed here with the standard library. Bytes that
are not valid UTF-8 are recovered (:func:`socialkit.loaders._read.decode`) and
reported; the XML is then parsed from the repaired text.

A sheet is returned as a list of ``(row_number, [cell text or None, …])`` with
spreadsheet row numbers (1-based, honouring ``ss:Index`` gaps).
"""

from __future__ import annotations

import codecs
import os
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from socialkit.limits import limit, over_limit
from socialkit.loaders._read import blank_to_na, decode, unique_names
from socialkit.loaders._registry import ExportError
from socialkit.loaders._xlsx import XlsxSheets, cell_text, check_xlsx, open_xlsx
from socialkit.paths import printable

__all__ = [
    "is_xlsx",
    "is_spreadsheetml",
    "check_xlsx",
    "read_workbook",
    "pick_sheet",
    "head_rows",
    "sheet_frame",
]

NS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def is_xlsx(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04" and zipfile.is_zipfile(path)


def is_spreadsheetml(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    return b"<?xml" in head[:100] and b"urn:schemas-microsoft-com:office:spreadsheet" in head


def _index(path, value: str, name: str) -> int:
    """An ``ss:Index`` value, checked against the limit ``name`` before anything is built."""
    try:
        number = int(value)
    except ValueError:
        raise ExportError(f"{path}: ss:Index={printable(value, 20)!r} is not a number.") from None
    if number < 1 or number > limit(name):
        raise ExportError(str(over_limit(path, name, f"ss:Index {number}")))
    return number


def _xml_rows(table, path) -> list:
    rows, number = [], 0
    max_columns = limit("MAX_COLUMNS")
    for row in table.findall(NS + "Row"):
        idx = row.get(NS + "Index")
        number = _index(path, idx, "MAX_ROWS") if idx else number + 1
        cells = []
        for cell in row.findall(NS + "Cell"):
            cidx = cell.get(NS + "Index")
            if cidx:
                cells.extend([None] * (_index(path, cidx, "MAX_COLUMNS") - 1 - len(cells)))
            if len(cells) >= max_columns:
                raise ExportError(str(over_limit(path, "MAX_COLUMNS", f"{len(cells) + 1} cells")))
            data = cell.find(NS + "Data")
            cells.append(data.text if data is not None else None)
        rows.append((number, cells))
    return rows


def read_workbook(path, sheets=None) -> tuple[Mapping, list[str]]:
    """Read a workbook's sheets as rows of text.

    Limits (:mod:`socialkit.limits`) are checked before parsing: an .xlsx's
    declared uncompressed size and sheet count, a SpreadsheetML file's bytes,
    and every ``ss:Index``. An .xlsx sheet is read only when it is looked up
    (:func:`pick_sheet` reads one).

    Parameters
    ----------
    path : str or Path
    sheets : collection of int, optional
        Indexes of the sheets wanted (default all).

    Returns
    -------
    (Mapping, list of str)
        ``{sheet name: [(row_number, cells), …]}`` in workbook order, and notes.
    """
    path = Path(path)
    if is_xlsx(path):
        check_xlsx(path)
        return XlsxSheets(path, sheets), []
    if not is_spreadsheetml(path):
        raise ExportError(f"{path}: neither an .xlsx workbook nor SpreadsheetML 2003 XML.")
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit("MAX_XML_BYTES"):
            raise ExportError(str(over_limit(path, "MAX_XML_BYTES", size)))
        raw = fh.read(limit("MAX_XML_BYTES") + 1)
    text, notes = decode(raw, path.name)
    del raw
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise ExportError(
            f"{path}: broken SpreadsheetML XML at line {line}, column {col} "
            f"({printable(exc, 120)}); the file may be cut off — download the export again."
        ) from None
    out = {}
    for i, ws in enumerate(root.findall(NS + "Worksheet")):
        if sheets is not None and i not in sheets:
            continue
        table = ws.find(NS + "Table")
        out[ws.get(NS + "Name")] = _xml_rows(table, path) if table is not None else []
    return out, notes


def pick_sheet(sheets: Mapping, prefix: str | None) -> list:
    """Rows of the first sheet whose name starts with ``prefix`` (default: the first sheet).

    Only the chosen sheet is read from a lazy workbook (:func:`read_workbook`).
    """
    if prefix:
        for name in sheets:
            if str(name).lower().startswith(prefix.lower()):
                return sheets[name]
    return next(iter(sheets.values()), [])


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


#: Bytes of a SpreadsheetML file read, at most, to find its first rows.
_HEAD_BYTES = 1 << 20


#: XML events read, at most, to find a sheet's first rows (a real export's header row
#: comes within a few hundred: styles, then the sheet).
_HEAD_EVENTS = 20_000


def _xml_head_rows(path: Path, n: int, sheet: str | None) -> list[list[str]]:
    st = path.stat()
    want = max(n, 5)
    key = (str(path), st.st_size, st.st_mtime_ns, sheet, want)
    if key not in _HEAD_CACHE:
        if len(_HEAD_CACHE) > 32:
            _HEAD_CACHE.clear()
        _HEAD_CACHE[key] = _xml_head_parse(path, sheet, want)
    return [list(r) for r in _HEAD_CACHE[key][:n]]


_HEAD_CACHE: dict[tuple, list] = {}


def _xml_head_parse(path: Path, sheet: str | None, n: int) -> list[list[str]]:
    """The first ``n`` rows of a SpreadsheetML sheet, from at most :data:`_HEAD_BYTES`.

    An incremental XML parse of the file's head, fed in blocks and stopped as
    soon as ``n`` rows are read: linear in the bytes read (the regular
    expression it replaces was quadratic on a flood of unclosed ``<Row>``),
    and at most :data:`_HEAD_EVENTS` elements. Every format's detection asks
    for the same head, so it is parsed once per file (cached by size and time).
    """
    parser = ET.XMLPullParser(events=("start", "end"))
    max_columns = limit("MAX_COLUMNS")
    rows: list[list[str]] = []
    in_sheet, cells = sheet is None, None
    seen_sheet, events = False, 0
    with path.open("rb") as fh:
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        for _ in range(_HEAD_BYTES // 65536):
            block = fh.read(65536)
            if not block:
                break
            try:
                parser.feed(decoder.decode(block))
                for event, el in parser.read_events():
                    events += 1
                    if events > _HEAD_EVENTS:
                        return rows
                    tag = _local(el.tag)
                    if tag == "Worksheet" and event == "start":
                        if seen_sheet and sheet is None:
                            return rows  # only the first sheet
                        seen_sheet = True
                        name = el.get(NS + "Name") or ""
                        in_sheet = sheet is None or name.lower().startswith(sheet.lower())
                    elif not in_sheet:
                        if event == "end":
                            el.clear()
                    elif tag == "Row" and event == "start":
                        cells = []
                    elif tag == "Cell" and event == "start" and cells is not None:
                        cidx = el.get(NS + "Index")
                        if cidx:
                            width = _index(path, cidx, "MAX_COLUMNS") - 1
                            cells.extend([""] * (width - len(cells)))
                    elif tag == "Cell" and event == "end" and cells is not None:
                        if len(cells) >= max_columns:
                            raise ExportError(
                                str(over_limit(path, "MAX_COLUMNS", f"{len(cells) + 1} cells"))
                            )
                        data = [c for c in el if _local(c.tag) == "Data"]
                        cells.append("".join(data[0].itertext()).strip() if data else "")
                        el.clear()
                    elif tag == "Row" and event == "end" and cells is not None:
                        rows.append(cells)
                        cells = None
                        el.clear()
                        if len(rows) >= n:
                            return rows
            except ET.ParseError:
                return rows  # detection: a broken file is simply not this format
    return rows


def head_rows(path: Path, n: int = 5, sheet: str | None = None) -> list[list[str]]:
    """The first ``n`` rows of a sheet, cheaply (for format detection); ``[]`` if unreadable.

    Parameters
    ----------
    path : Path
    n : int
    sheet : str, optional
        Sheet name prefix (default: the first sheet).

    Raises
    ------
    ExportError
        A workbook over a limit (checked before it is opened).
    """
    if is_xlsx(path):
        check_xlsx(path)
        try:
            wb = open_xlsx(path)
            names = [s for s in wb.sheetnames if sheet and s.lower().startswith(sheet.lower())]
            ws = wb[names[0]] if names else wb.worksheets[0]
            rows = [
                [cell_text(v) or "" for v in row]
                for row in ws.iter_rows(max_row=n, values_only=True)
            ]
        except Exception:  # detection must never raise: the file is simply not this format
            return []
        return rows
    if not is_spreadsheetml(path):
        return []
    return _xml_head_rows(path, n, sheet)


def sheet_frame(rows: list, names: list[str] | None = None) -> pd.DataFrame:
    """Sheet rows (header first) -> text frame with ``source_row``.

    Blank rows are left out (they are not data), short rows are padded, blank
    cells become NA and repeated header names are made unique.

    Parameters
    ----------
    rows : list of (row_number, cells)
    names : list of str, optional
        Column names to use instead of the header row's.
    """
    if not rows:
        return pd.DataFrame({"source_row": pd.Series(dtype="Int64")})
    if names is None:
        names = [str(h).strip() if h is not None else "" for h in rows[0][1]]
    names = unique_names([h or f"column {i}" for i, h in enumerate(names, start=1)])
    body = [(n, cells) for n, cells in rows[1:] if any(c not in (None, "") for c in cells)]
    width = len(names)
    data = [(list(cells) + [None] * width)[:width] for _, cells in body]
    frame = blank_to_na(pd.DataFrame(data, columns=names, dtype="string"))
    frame["source_row"] = pd.array([n for n, _ in body], dtype="Int64")
    return frame
