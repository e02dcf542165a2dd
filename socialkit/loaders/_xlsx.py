""".xlsx workbooks within limits: the zip directory is checked before openpyxl opens it.

Sizes declared in a zip's central directory bound what can be decompressed
(Python's zipfile stops at the declared size, then checks the CRC), so the
total uncompressed size and the number of worksheets are checked first.
openpyxl's read-only mode is then used without its scan of every sheet for
``<dimension>`` (see :func:`_no_dimension_scan`), and a sheet is read only when
a loader asks for it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import zipfile
from collections.abc import Mapping
from pathlib import Path

from socialkit.limits import limit, over_limit
from socialkit.loaders._registry import ExportError
from socialkit.paths import printable

__all__ = ["cell_text", "check_xlsx", "open_xlsx", "XlsxSheets"]


def cell_text(value) -> str | None:
    """A cell value as text (whole floats without ``.0``, times in ISO 8601)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_xlsx(path) -> list[str]:
    """Check an .xlsx's zip directory against the limits before anything is decompressed.

    The sizes declared in the zip's central directory bound what can be
    decompressed (Python's zipfile stops at the declared size and then checks
    the CRC), so they are checked first: ``MAX_XLSX_UNCOMPRESSED_BYTES`` over
    all members and ``MAX_XLSX_SHEETS`` worksheets.

    Returns
    -------
    list of str
        The member names.

    Raises
    ------
    ExportError
        Not a zip file, or over a limit (the message names the file and the limit).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ExportError(
            f"{path}: not a readable .xlsx workbook ({printable(exc, 120)})."
        ) from None
    total = sum(i.file_size for i in infos)
    if total > limit("MAX_XLSX_UNCOMPRESSED_BYTES"):
        raise ExportError(str(over_limit(path, "MAX_XLSX_UNCOMPRESSED_BYTES", total)))
    sheets = sum(
        1 for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")
    )
    if sheets > limit("MAX_XLSX_SHEETS"):
        raise ExportError(str(over_limit(path, "MAX_XLSX_SHEETS", sheets)))
    return [i.filename for i in infos]


_OPEN: dict[tuple, object] = {}


def open_xlsx(path: Path):
    """The read-only openpyxl workbook of ``path``, opened once per file version.

    openpyxl parses every sheet's XML to its ``<dimension>`` when it opens a
    workbook (all of it when a crafted sheet has none), so the detectors and
    the loader share one open workbook (the last one) rather than open it six times.
    """
    import openpyxl

    st = path.stat()
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _OPEN:
        for wb in _OPEN.values():
            with contextlib.suppress(Exception):
                wb.close()
        _OPEN.clear()
        try:
            with _THREAD_LOCK, _no_dimension_scan():
                _OPEN[key] = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for broken files
            raise ExportError(
                f"{path}: not a readable .xlsx workbook ({printable(exc, 120)})."
            ) from exc
    return _OPEN[key]


_THREAD_LOCK = threading.Lock()


@contextlib.contextmanager
def _no_dimension_scan():
    """Open read-only workbooks without openpyxl's scan for each sheet's ``<dimension>``.

    openpyxl (3.1) reads every sheet's XML up to ``<dimension>`` when it opens a
    workbook — all of it when a crafted sheet has none (a 60 MB sheet: 90 s,
    before any row is asked for) — and then pads every row and the sheet to
    the declared dimension (``A1:XFD1048576`` in a 1 KB file: 1,048,576 rows of
    16,384 cells). Without the scan, rows are read as they are in the file.
    """
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    original = ReadOnlyWorksheet.__dict__.get("_get_size")
    if original is None:  # another openpyxl version: nothing to switch off
        yield
        return
    ReadOnlyWorksheet._get_size = lambda self: None
    try:
        yield
    finally:
        ReadOnlyWorksheet._get_size = original


def _sheet_rows(ws, path) -> list:
    """A read-only sheet's rows as text, refusing more than ``MAX_ROWS`` (gaps included)."""
    rows, most = [], limit("MAX_ROWS")
    for n, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if n > most:
            raise ExportError(str(over_limit(path, "MAX_ROWS", f"{n}+ rows")))
        rows.append((n, [cell_text(v) for v in row]))
    return rows


class XlsxSheets(Mapping):
    """An .xlsx's sheets by name, each read only when it is asked for (then kept)."""

    def __init__(self, path: Path, wanted=None):
        self._wb, self._path = open_xlsx(path), path
        names = self._wb.sheetnames
        self._names = [n for i, n in enumerate(names) if wanted is None or i in wanted]
        self._rows: dict[str, list] = {}

    def __getitem__(self, name):
        if name not in self._names:
            raise KeyError(name)
        if name not in self._rows:
            self._rows[name] = _sheet_rows(self._wb[name], self._path)
        return self._rows[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)
