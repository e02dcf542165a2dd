"""Limits applied before parsing anything a client hands over.

A client folder is untrusted input: one crafted file must not take minutes,
gigabytes or the batch with it. Each limit is a named setting with a default;
an environment variable ``SOCIALKIT_<NAME>`` overrides it (a positive integer).
A file or value over a limit gets a clear error naming the file and the limit
(:class:`LimitError`, see :func:`over_limit`), never a MemoryError or a hang.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

__all__ = ["DEFAULTS", "LimitError", "limit", "over_limit", "check_size", "time_limit"]

#: name -> (default, what it bounds)
DEFAULTS: dict[str, tuple[int, str]] = {
    "MAX_EXPORT_BYTES": (2 * 1024**3, "bytes of one export or canonical table file"),
    "MAX_PROFILE_BYTES": (256 * 1024, "bytes of client.yaml"),
    "MAX_XLSX_UNCOMPRESSED_BYTES": (64 * 1024**2, "uncompressed bytes of one .xlsx"),
    "MAX_XLSX_SHEETS": (64, "sheets in one .xlsx"),
    "MAX_XML_BYTES": (256 * 1024**2, "bytes of one SpreadsheetML (XML) workbook"),
    "MAX_COLUMNS": (16_384, "columns in a header or a row (Excel's own limit)"),
    "MAX_ROWS": (1_048_576, "rows of a workbook's sheet, or an ss:Index (Excel's own limit)"),
    "MAX_TEXT_CHARS": (5_000, "characters of one text scored for sentiment or similarity"),
    "MAX_YAML_DEPTH": (64, "nesting depth of client.yaml"),
    "MAX_YAML_ALIASES": (100, "YAML aliases in client.yaml"),
    "MAX_YAML_NODES": (100_000, "values in client.yaml once its aliases are expanded"),
    "MAX_FILE_SECONDS": (900, "seconds to load one file of a client folder"),
}


class LimitError(ValueError):
    """A file or value is over one of the :data:`DEFAULTS` limits."""


def limit(name: str) -> int:
    """Return the limit ``name``: ``SOCIALKIT_<name>`` from the environment, else its default.

    Parameters
    ----------
    name : str
        One of the keys of :data:`DEFAULTS`.

    Returns
    -------
    int
        The limit in force.
    """
    if name not in DEFAULTS:
        raise ValueError(f"Unknown limit {name!r}; the limits are: {', '.join(DEFAULTS)}.")
    raw = os.environ.get(f"SOCIALKIT_{name}")
    if raw is None:
        return DEFAULTS[name][0]
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"SOCIALKIT_{name} must be a positive integer. Got {raw!r} instead.")
    return value


def over_limit(where, name: str, found) -> LimitError:
    """The error for ``found`` over the limit ``name`` in ``where`` (a file name).

    Examples
    --------
    >>> print(over_limit("exports/a.csv", "MAX_YAML_DEPTH", 70))  # doctest: +ELLIPSIS
    exports/a.csv: over the limit MAX_YAML_DEPTH (nesting depth of client.yaml: 70 > 64); set ...
    """
    return LimitError(
        f"{where}: over the limit {name} ({DEFAULTS[name][1]}: {found} > {limit(name)}); "
        f"set SOCIALKIT_{name} to raise it if the file is genuine."
    )


def check_size(where, size: int, name: str = "MAX_EXPORT_BYTES") -> None:
    """Raise :class:`LimitError` when ``size`` bytes are over the limit ``name``."""
    if size > limit(name):
        raise over_limit(where, name, size)


@contextlib.contextmanager
def time_limit(seconds: float | None, what):
    """Raise :class:`TimeoutError` in the block after ``seconds`` (main thread only).

    Uses ``SIGALRM``: Python code and most library calls are interrupted; in
    another thread, or where the platform has no alarm, the block runs
    unbounded. Nested use keeps the earlier deadline.
    """
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable or signal.getitimer(signal.ITIMER_REAL)[0]:
        yield
        return

    def expire(signum, frame):
        raise TimeoutError(
            f"{what}: stopped after {seconds:g} s (the limit MAX_FILE_SECONDS); the file may be "
            "crafted or far larger than an export"
        )

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
