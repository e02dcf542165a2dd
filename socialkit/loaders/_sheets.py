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

import datetime as dt
import itertools
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd

from socialkit.loaders._read import blank_to_na, decode, unique_names
from socialkit.loaders._registry import ExportError

__all__ = ["is_xlsx", "is_spreadsheetml", "read_workbook", "pick_sheet", "head_rows", "sheet_frame"]

NS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def is_xlsx(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04" and zipfile.is_zipfile(path)


def is_spreadsheetml(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    return b"<?xml" in head[:100] and b"urn:schemas-microsoft-com:office:spreadsheet" in head


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xml_rows(table) -> list:
    rows, number = [], 0
    for row in table.findall(NS + "Row"):
        idx = row.get(NS + "Index")
        number = int(idx) if idx else number + 1
        cells = []
        for cell in row.findall(NS + "Cell"):
            cidx = cell.get(NS + "Index")
            if cidx:
                cells.extend([None] * (int(cidx) - 1 - len(cells)))
            data = cell.find(NS + "Data")
            cells.append(data.text if data is not None else None)
        rows.append((number, cells))
    return rows


def read_workbook(path, sheets=None) -> tuple[dict, list[str]]:
    """Read a workbook's sheets as rows of text.

    Parameters
    ----------
    path : str or Path
    sheets : collection of int, optional
        Indexes of the sheets wanted (default all).

    Returns
    -------
    (dict, list of str)
        ``{sheet name: [(row_number, cells), …]}`` in workbook order, and notes.
    """
    path = Path(path)
    if is_xlsx(path):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for broken files
            raise ExportError(f"{path}: not a readable .xlsx workbook ({exc}).") from exc
        out = {}
        for i, name in enumerate(wb.sheetnames):
            if sheets is not None and i not in sheets:
                continue
            ws = wb[name]
            out[name] = [
                (n, [_text(v) for v in row])
                for n, row in enumerate(ws.iter_rows(values_only=True), start=1)
            ]
        wb.close()
        return out, []
    if not is_spreadsheetml(path):
        raise ExportError(f"{path}: neither an .xlsx workbook nor SpreadsheetML 2003 XML.")
    text, notes = decode(path.read_bytes(), path.name)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise ExportError(
            f"{path}: broken SpreadsheetML XML at line {line}, column {col} ({exc}); the "
            "file may be cut off — download the export again."
        ) from None
    out = {}
    for i, ws in enumerate(root.findall(NS + "Worksheet")):
        if sheets is not None and i not in sheets:
            continue
        table = ws.find(NS + "Table")
        out[ws.get(NS + "Name")] = _xml_rows(table) if table is not None else []
    return out, notes


_ROW = re.compile(r"<(?:ss:)?Row\b.*?</(?:ss:)?Row>", re.S)
_DATA = re.compile(r"<(?:ss:)?Cell\b[^>]*?(/>|>(.*?)</(?:ss:)?Cell>)", re.S)


def pick_sheet(sheets: dict, prefix: str | None) -> list:
    """Rows of the first sheet whose name starts with ``prefix`` (default: the first sheet)."""
    if prefix:
        for name, rows in sheets.items():
            if name.lower().startswith(prefix.lower()):
                return rows
    return next(iter(sheets.values()), [])


def head_rows(path: Path, n: int = 5, sheet: str | None = None) -> list[list[str]]:
    """The first ``n`` rows of a sheet, cheaply (for format detection); ``[]`` if unreadable.

    Parameters
    ----------
    path : Path
    n : int
    sheet : str, optional
        Sheet name prefix (default: the first sheet).
    """
    if is_xlsx(path):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True)
            names = [s for s in wb.sheetnames if sheet and s.lower().startswith(sheet.lower())]
            ws = wb[names[0]] if names else wb.worksheets[0]
            rows = [
                [_text(v) or "" for v in row] for row in ws.iter_rows(max_row=n, values_only=True)
            ]
            wb.close()
        except Exception:  # detection must never raise: the file is simply not this format
            return []
        return rows
    if not is_spreadsheetml(path):
        return []
    head = path.open("rb").read(1 << 20).decode("utf-8", errors="replace")
    start = 0
    if sheet:
        m = re.search(r'<(?:ss:)?Worksheet\b[^>]*?Name="' + re.escape(sheet), head, re.I)
        if not m:
            return []
        start = m.end()
    rows = []
    for row in itertools.islice(_ROW.finditer(head, start), n):
        cells = []
        for _full, inner in _DATA.findall(row.group(0)):
            value = re.sub(r"<[^>]+>", "", inner or "")
            cells.append(
                value.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").strip()
            )
        rows.append(cells)
    return rows


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
