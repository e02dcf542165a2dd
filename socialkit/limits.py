"""Limits applied before parsing anything a client hands over.

A client folder is untrusted input: one crafted file must not take minutes,
gigabytes or the batch with it. Each limit is a named setting with a default;
an environment variable ``SOCIALKIT_<NAME>`` overrides it (a positive integer).
A file or value over a limit gets a clear error naming the file and the limit
(see :func:`limit`), never a MemoryError or a hang.
"""

from __future__ import annotations

import os

__all__ = ["DEFAULTS", "limit"]

#: name -> (default, what it bounds)
DEFAULTS: dict[str, tuple[int, str]] = {
    "MAX_EXPORT_BYTES": (2 * 1024**3, "bytes of one export or canonical table file"),
    "MAX_PROFILE_BYTES": (256 * 1024, "bytes of client.yaml"),
    "MAX_XLSX_UNCOMPRESSED_BYTES": (512 * 1024**2, "uncompressed bytes of one .xlsx"),
    "MAX_XLSX_SHEETS": (64, "sheets in one .xlsx"),
    "MAX_COLUMNS": (16_384, "columns in a header (Excel's own limit)"),
    "MAX_TEXT_CHARS": (5_000, "characters of one text scored for sentiment or similarity"),
    "MAX_YAML_DEPTH": (64, "nesting depth of client.yaml"),
    "MAX_YAML_ALIASES": (100, "YAML aliases in client.yaml"),
}


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
