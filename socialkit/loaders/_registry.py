"""The loader registry: ``register_loader`` and ``load_export``."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from socialkit.schema import SchemaError, ValidationResult

__all__ = [
    "ExportError",
    "LoaderSpec",
    "register_loader",
    "loaders",
    "load_export",
    "read_header",
    "EXPORT_SUFFIXES",
    "export_files",
    "show_columns",
    "suggest_mapping",
]

#: File types considered when a whole folder is loaded (a named file is always tried).
EXPORT_SUFFIXES = (".csv", ".tsv", ".xls", ".xlsx", ".xml", ".parquet", ".pq", ".json", ".jsonl")


def export_files(folder) -> list[Path]:
    """Files under ``folder`` that may be exports (by suffix; hidden files skipped)."""
    return sorted(
        p
        for p in Path(folder).rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in EXPORT_SUFFIXES
    )


class ExportError(ValueError):
    """A file could not be read as any registered export format."""


@dataclass(frozen=True)
class LoaderSpec:
    """A registered export format.

    Attributes
    ----------
    name : str
        Format name shown to users (``validate`` prints it).
    detect : callable
        ``detect(path, header) -> bool``; ``header`` is the list of column
        names of the file's first row (``[]`` for non-tabular files).
    load : callable
        ``load(path) -> list[ValidationResult]``; with ``account_zone``,
        ``load(path, timezone=zone)``.
    description : str
        One line: what the format is and where it comes from.
    headers : tuple of str
        The header names the format expects (its documented spellings); used to
        suggest a mapping when a file's columns are close to them.
    account_zone : bool
        The export writes times in the account's time zone without saying which:
        :func:`load_export` passes the client's ``timezone`` to ``load``.
    rebuilt_days : bool
        The export gives no publication dates: the loader rebuilds each post's
        day (from month, weekday and row order, say), so weekly counts and the
        silences between posts are the reconstruction's, not the data's.
    """

    name: str
    detect: Callable[[Path, list[str]], bool]
    load: Callable[..., list[ValidationResult]]
    description: str = ""
    headers: tuple[str, ...] = ()
    account_zone: bool = False
    rebuilt_days: bool = False


_LOADERS: dict[str, LoaderSpec] = {}


def register_loader(
    name: str,
    detect,
    load,
    description: str = "",
    *,
    headers=(),
    account_zone: bool = False,
    rebuilt_days: bool = False,
) -> LoaderSpec:
    """Register an export format under ``name`` (a later registration replaces it).

    See :class:`LoaderSpec` for the arguments.
    """
    spec = LoaderSpec(name, detect, load, description, tuple(headers), account_zone, rebuilt_days)
    _LOADERS[name] = spec
    return spec


def loaders() -> list[LoaderSpec]:
    """Registered formats, in detection order."""
    return list(_LOADERS.values())


def read_header(path: Path, max_bytes: int = 65536) -> list[str]:
    """Column names of a delimited text file's first row (``[]`` if not text).

    The delimiter (comma, semicolon or tab) is sniffed; a UTF-8 byte-order mark
    is removed. For ``.xlsx`` workbooks and SpreadsheetML XML it is the first
    row of the first sheet; for Parquet, the schema's column names.
    """
    path = Path(path)
    if path.suffix.lower() in {".parquet", ".pq"}:
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, …
            raise ExportError(f"{path}: not a readable Parquet file ({exc}).") from exc
    from socialkit.loaders import _read, _sheets

    try:
        if _sheets.is_xlsx(path) or _sheets.is_spreadsheetml(path):
            rows = _sheets.head_rows(path, 1)
        else:
            rows = _read.head_rows(path, 1, max_bytes)
    except OSError as exc:
        raise ExportError(f"{path}: cannot open the file ({exc.strerror}).") from exc
    return [h.strip() for h in rows[0]] if rows else []


def show_columns(header, limit: int = 5) -> str:
    """A file's columns for a message: the first ``limit`` and how many more."""
    cols = [str(h) for h in header if str(h).strip()]
    shown = ", ".join(repr(c) for c in cols[:limit])
    return (shown + (f" … and {len(cols) - limit} more" if len(cols) > limit else "")) or "none"


def suggest_mapping(header, limit: int = 5) -> str:
    """A sentence naming the registered format whose headers the file's are closest to,
    and the renames that would make them match (``''`` when no format is close).

    Each column of the file is compared (case and spacing ignored) with each
    format's expected headers (:attr:`LoaderSpec.headers`) by :mod:`difflib`: a
    format is suggested when at least two of the file's columns are its headers
    or close to them and at least one needs a rename.
    """
    from socialkit.loaders._mapping import norm as _key

    cols = [str(h) for h in header if str(h).strip()]
    best = None
    for spec in _LOADERS.values():
        expected = {_key(h): h for h in spec.headers}
        if not expected:
            continue
        exact, renames = 0, []
        for col in cols:
            if _key(col) in expected:
                exact += 1
                continue
            close = difflib.get_close_matches(_key(col), list(expected), n=1, cutoff=0.8)
            if close:
                renames.append((col, expected[close[0]]))
        score = exact + len(renames)
        if renames and score >= 2 and (best is None or score > best[0]):
            best = (score, spec, renames)
    if best is None:
        return ""
    _, spec, renames = best
    shown = ", ".join(f"{a!r} → {b!r}" for a, b in renames[:limit])
    more = f" (and {len(renames) - limit} more)" if len(renames) > limit else ""
    return (
        f"The columns are close to the {spec.name} export ({spec.description}): "
        f"rename {shown}{more} and load again."
    )


def load_export(path, *, timezone: str | None = None) -> list[ValidationResult]:
    """Load one export file with the first registered format that recognises it.

    Parameters
    ----------
    path : str or Path
        The file.
    timezone : str, optional
        The client's IANA time zone (``timezone:`` in client.yaml). Formats that
        write times in the account's zone without saying which
        (:attr:`LoaderSpec.account_zone`) read them in it; without one they
        assume UTC and say so in a note.

    Returns
    -------
    list of ValidationResult
        One per canonical table found in the file.

    Raises
    ------
    ExportError
        When no registered format recognises the file; the message lists the
        registered formats and the columns seen.
    """
    path = Path(path)
    if not path.is_file():
        raise ExportError(f"{path}: no such file.")
    if path.stat().st_size == 0:
        raise ExportError(f"{path}: the file is empty (0 bytes); expected an export.")
    header = read_header(path)
    for spec in _LOADERS.values():
        if spec.detect(path, header):
            try:
                if spec.account_zone:
                    return spec.load(path, timezone=timezone)
                return spec.load(path)
            except (ExportError, SchemaError, MemoryError, RecursionError, TimeoutError):
                raise  # the caller makes the last three that file's error (client.load_client)
            except Exception as exc:  # a loader bug must not kill a batch: say so, plainly
                raise ExportError(
                    f"{path}: the {spec.name} loader failed ({type(exc).__name__}: "
                    f"{str(exc).splitlines()[0] if str(exc) else ''}); this is a bug in "
                    "socialkit, please report it with the file's header row."
                ) from exc
    hint = suggest_mapping(header)
    raise ExportError(
        f"{path}: not a recognised export. Registered formats: "
        f"{', '.join(_LOADERS)}. Columns seen in the first row: {show_columns(header, 8)}."
        + (f" {hint}" if hint else "")
    )
