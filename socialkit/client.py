"""A client = its profile (client.yaml) + its canonical tables.

A client folder holds ``client.yaml``, optional canonical ``posts.csv`` /
``followers.csv`` / ``comments.csv`` (or ``.parquet``) and an ``exports/``
folder of native platform exports, auto-detected by the loader registry.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from socialkit.brands import BrandError, select_brand
from socialkit.limits import LimitError, check_size, limit, time_limit
from socialkit.loaders import EXPORT_SUFFIXES, ExportError, load_export
from socialkit.loaders.canonical import read_canonical
from socialkit.paths import (
    UnsafeFileError,
    folder_files,
    follow_symlinks_default,
    inside_file,
    printable,
    slugify,
)
from socialkit.privacy import project_salt, pseudonymise
from socialkit.profile import Profile, ProfileError, parse_profile, read_profile
from socialkit.schema import (
    KEYS,
    SchemaError,
    ValidationResult,
    empty_table,
    quarantine_frame,
    validate,
)
from socialkit.windows import TIME_COLUMN, data_summary, data_until, data_windows, window_end

__all__ = ["Client", "load_client", "load_file", "file_report"]

TABLE_NAMES = ("posts", "followers", "comments")


def file_report(result: ValidationResult | None, file: str, error: str | None = None) -> dict:
    """One file's load summary (the ``socialkit validate --format json`` object)."""
    if result is None:
        return {
            "file": file,
            "format": None,
            "table": None,
            "rows_in": 0,
            "rows_loaded": 0,
            "rows_quarantined": 0,
            "quarantine_reasons": {},
            "date_min": None,
            "date_max": None,
            "platforms": [],
            "notes": [],
            "ignored_columns": [],
            "windows": [],
            "error": None if error is None else printable(error, 600),
        }
    windows = result.windows
    if windows is None:
        windows = [
            {k: w[k] for k in ("platform", "start", "end", "rows")}
            for w in data_windows({result.table: result.data})
        ]  # every row with a time is in a window: its first and last day are the file's
    if result.windows is not None and sum(w["rows"] for w in windows) == len(result.data):
        platforms = {w["platform"] for w in windows}  # every row is in a window
    else:
        platforms = {str(p) for p in result.data["platform"].unique() if not pd.isna(p)}
    return {
        "file": file,
        "format": result.format,
        "table": result.table,
        "rows_in": result.rows_in,
        "rows_loaded": result.rows_loaded,
        "rows_quarantined": result.rows_quarantined,
        "quarantine_reasons": result.quarantine_reasons(),
        "date_min": min(w["start"] for w in windows)[:10] if windows else None,
        "date_max": max(w["end"] for w in windows)[:10] if windows else None,
        "platforms": sorted(platforms),
        "notes": list(result.notes),
        "ignored_columns": list(result.ignored_columns),
        "windows": windows,
        "error": error,
    }


@dataclass
class Client:
    """A client's profile and canonical tables.

    Attributes
    ----------
    profile : Profile
    posts, followers, comments : DataFrame
        Canonical tables (see :mod:`socialkit.schema`).
    quarantine : DataFrame
        Rejected rows of every source, with a ``table`` column.
    files : list of dict
        Per-file load summaries (:func:`file_report`), including unreadable files.
    path : Path or None
        The client folder, if loaded from disk.
    """

    profile: Profile
    posts: pd.DataFrame = field(default_factory=lambda: empty_table("posts"))
    followers: pd.DataFrame = field(default_factory=lambda: empty_table("followers"))
    comments: pd.DataFrame = field(default_factory=lambda: empty_table("comments"))
    quarantine: pd.DataFrame = field(default_factory=quarantine_frame)
    files: list[dict] = field(default_factory=list)
    path: Path | None = None

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def slug(self) -> str:
        """Safe folder name for outputs (from the folder name, else the display name)."""
        return slugify(self.path.name if self.path is not None else self.profile.name)

    @property
    def data_until(self) -> pd.Timestamp | None:
        """The last timestamp in the client's data (UTC); None when no table has a row."""
        return data_until(
            {"posts": self.posts, "followers": self.followers, "comments": self.comments}
        )

    @property
    def as_of(self) -> dt.date | None:
        """The date of the last timestamp in the data; None when there is no data (never today)."""
        until = self.data_until
        return None if until is None else until.date()

    @property
    def window_end(self) -> pd.Timestamp:
        """Exclusive end of the analysis window: midnight UTC after :attr:`as_of`.

        Without data there is no window; the epoch is returned so that arithmetic
        on an empty batch stays defined (no check judges a client without rows).
        """
        return window_end(self.as_of)

    @property
    def usable(self) -> bool:
        """Whether any table has a usable row (else the client is "no data")."""
        return self.rows_loaded > 0

    def data_summary(self) -> dict:
        """Windows per platform and file, data_until, notes, quarantine, usable
        (:func:`socialkit.windows.data_summary`; the diagnosis JSON's ``data`` keys)."""
        return data_summary(self)

    @property
    def rows_loaded(self) -> int:
        return len(self.posts) + len(self.followers) + len(self.comments)

    @property
    def warnings(self) -> list[str]:
        return list(self.profile.warnings) + [
            f"{f['file']}: {f['error']}" for f in self.files if f.get("error")
        ]

    @classmethod
    def from_frames(
        cls,
        profile: dict | Profile,
        posts=None,
        followers=None,
        comments=None,
        *,
        salt: bytes | None = None,
    ) -> Client:
        """Build a client in memory (tests, notebooks); frames are validated.

        Rows that fail validation go to ``quarantine`` exactly as when loading
        from files. Comment authors are pseudonymised with ``salt``
        (:mod:`socialkit.privacy`); without one, a random salt is drawn, so
        pseudonyms are stable within this client only.
        """
        prof = profile if isinstance(profile, Profile) else parse_profile(profile, "<profile>")
        results = [
            validate(frame, table, f"<{table}>")
            for table, frame in (("posts", posts), ("followers", followers), ("comments", comments))
            if frame is not None
        ]
        accounts = getattr(prof, "brand_accounts", {}) or {}
        results = [select_brand(r, accounts, r.source_file) for r in results]
        return _assemble(prof, results, [], None, salt or secrets.token_bytes(32))


def _reach(result) -> int:
    """The latest time in a loaded file's rows, ns (the earliest possible when it has none)."""
    times = result.data[TIME_COLUMN[result.table]]
    last = times.max() if len(times) else pd.NaT
    return pd.Timestamp(last).value if pd.notna(last) else -(2**63)


@functools.cache
def _no_quarantine() -> pd.DataFrame:
    """A client's empty quarantine table (its columns and ``table``); callers copy it.

    Built once: adding a typed column to an empty frame costs 1.3 ms, a copy 0.1 ms
    (paid per client when many are loaded)."""
    return quarantine_frame().assign(table=pd.Series(dtype="string"))


def _assemble(profile, results, files, path, salt: bytes) -> Client:
    tables, quarantines = {}, []
    for table in TABLE_NAMES:
        # the export whose data reaches furthest comes last, so that it wins a key
        # that overlapping exports share (a tie keeps the files' name order)
        parts = [r for r in results if r.table == table]
        if len(parts) > 1:
            parts.sort(key=_reach)
        quarantines += [r.quarantine.assign(table=table) for r in parts if len(r.quarantine)]
        if not parts:
            tables[table] = empty_table(table)
            continue
        frame = (
            pd.concat([r.data for r in parts], ignore_index=True)
            if len(parts) > 1
            else parts[0].data
        )
        key = list(KEYS[table])
        # a key is unique within a file (validation quarantines repeats): only several
        # files can share one
        dup = frame.duplicated(subset=key, keep="last") if len(parts) > 1 else None
        if dup is not None and dup.any():  # the same row in overlapping files: the later wins
            d = frame[dup]
            quarantines.append(
                quarantine_frame(
                    {
                        "source_file": d["source_file"],
                        "source_row": d["source_row"],
                        "column": key[-1],
                        "value": d[key[-1]].astype("string"),
                        "rule": "superseded",
                        "reason": d["source_file"]
                        + ", row "
                        + d["source_row"].astype("string")
                        + ": the same "
                        + "/".join(key)
                        + " appears in an export whose data reaches later, which was kept",
                    }
                ).assign(table=table)
            )
            frame = frame[~dup].reset_index(drop=True)
        if table == "comments":
            frame = pseudonymise(frame, salt)
        tables[table] = frame
    quarantine = (
        pd.concat(quarantines, ignore_index=True) if quarantines else _no_quarantine().copy()
    )
    return Client(
        profile, tables["posts"], tables["followers"], tables["comments"], quarantine, files, path
    )


def load_file(path, rel: str, load=None) -> tuple[list, dict | None]:
    """Results of ``load(path)``, or ``([], error report)`` when the file cannot be loaded.

    ``load`` defaults to loading an export (:func:`socialkit.loaders.load_export`)
    within ``MAX_EXPORT_BYTES``; ``rel`` is the file's name in the report.
    Whatever one file does — an unreadable or crafted layout, a limit, memory
    or recursion exhausted, more than ``MAX_FILE_SECONDS`` — is that file's
    error, never the client's or the batch's.
    """
    load = load or _read_export
    try:
        with time_limit(limit("MAX_FILE_SECONDS"), rel):
            return load(Path(path)), None
    except (ExportError, SchemaError, LimitError, UnsafeFileError, TimeoutError, BrandError) as exc:
        return [], file_report(None, rel, str(exc))
    except OSError as exc:
        return [], file_report(None, rel, f"{path}: cannot be read ({exc.strerror}).")
    except MemoryError:
        return [], file_report(None, rel, f"{path}: ran out of memory while loading; refused.")
    except RecursionError:
        return [], file_report(None, rel, f"{path}: nested too deeply to load; refused.")


def load_client(path, *, follow_symlinks: bool | None = None) -> Client:
    """Load a client folder.

    The folder is a boundary (:mod:`socialkit.paths`): every file read from it
    must be a regular file inside it; links and special files are refused with
    a reason in ``client.files`` (``follow_symlinks`` allows links whose target
    stays inside the folder).

    Parameters
    ----------
    path : str or Path
        Folder with ``client.yaml``, optional canonical tables at its top level
        and an optional ``exports/`` folder.
    follow_symlinks : bool, optional
        Default: ``SOCIALKIT_FOLLOW_SYMLINKS`` (the CLI's ``--follow-symlinks``).

    Returns
    -------
    Client
        Unreadable, refused or over-limit files do not stop the load: each is
        listed in ``client.files`` with its error and in ``client.warnings``.

    Raises
    ------
    ProfileError
        When client.yaml is missing, refused or invalid.
    """
    path = Path(path)
    follow = follow_symlinks_default() if follow_symlinks is None else follow_symlinks
    profile, salt = open_folder(path, follow)
    results, files = [], []
    for table, name in canonical_files(path, follow):
        loaded, error = load_file(path / name, name, lambda f, t=table: [_read_table(f, t)])
        if error is not None:  # a canonical table that cannot be read fails the client
            raise SchemaError(error["error"], file=name)
        for r in loaded:
            r, report = brand_table(r, profile, name)
            results += [r] if r is not None else []
            files.append(report)
    more, reports = load_exports(path, profile, follow_symlinks=follow)
    return _assemble(profile, results + more, files + reports, path, salt)


def open_folder(path: Path, follow: bool) -> tuple[Profile, bytes]:
    """The profile and salt of the client folder ``path`` (client.yaml must be a
    regular file inside it); raises FileNotFoundError or ProfileError."""
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: not a folder; a client is a folder with client.yaml.")
    try:
        inside_file(path, "client.yaml", follow_symlinks=follow)
    except UnsafeFileError as exc:
        raise ProfileError(f"{path}: {exc}") from None
    except FileNotFoundError:
        pass  # read_profile says what a client folder needs
    return read_profile(path / "client.yaml"), project_salt(path)


def canonical_files(path: Path, follow: bool) -> list[tuple[str, str]]:
    """``(table, file name)`` of the canonical tables at the top of ``path``; a
    link or special file in their place raises SchemaError."""
    out = []
    present = {n.lower() for n in os.listdir(path)}  # the names to try (case-blind systems)
    for table in TABLE_NAMES:
        for suffix in (".csv", ".parquet"):
            name = f"{table}{suffix}"
            if name not in present:
                continue
            try:
                inside_file(path, name, follow_symlinks=follow)
            except FileNotFoundError:
                continue
            except UnsafeFileError as exc:
                raise SchemaError(f"{path}: {exc}", file=name) from None
            out.append((table, name))
    return out


def load_exports(path: Path, profile: Profile, *, follow_symlinks: bool | None = None):
    """The results and file reports of the export files in ``path``/exports.

    An unreadable, refused or over-limit file is a report with its error; times
    without a zone are read in the profile's time zone.
    """
    follow = follow_symlinks_default() if follow_symlinks is None else follow_symlinks
    exports, refused = folder_files(path, "exports", EXPORT_SUFFIXES, follow_symlinks=follow)
    results, files = [], [file_report(None, rel, reason) for rel, reason in refused]
    for f in exports:
        rel = str(f.relative_to(path))
        loaded, error = load_file(f, rel, lambda p, rel=rel: _read_brand(p, profile, rel))
        results += loaded
        files += [file_report(r, rel) for r in loaded] or ([error] if error else [])
    return results, files


def brand_table(result, profile: Profile, name: str):
    """A canonical table with the brand's comments selected (:mod:`socialkit.brands`) and
    its file report; ``(None, report with the error)`` for several brands left unnamed."""
    try:
        result = select_brand(result, getattr(profile, "brand_accounts", {}) or {}, name)
    except BrandError as exc:
        return None, file_report(None, name, str(exc))
    return result, file_report(result, name)


def _read_brand(path: Path, profile: Profile | None, rel: str) -> list:
    """An export's results with the brand's comments selected (:mod:`socialkit.brands`);
    without a profile, a file with several brand accounts is an error."""
    accounts = getattr(profile, "brand_accounts", {}) or {}
    zone = getattr(profile, "timezone", None)
    return [select_brand(r, accounts, rel) for r in _read_export(path, zone)]


def _read_table(path: Path, table: str):
    check_size(path, path.stat().st_size)
    return read_canonical(path, table)


def _read_export(path: Path, timezone: str | None = None) -> list:
    if path.is_file():  # load_export explains a missing file
        check_size(path, path.stat().st_size)
    return load_export(path, timezone=timezone)  # account-zone exports read in the client's zone
