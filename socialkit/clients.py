"""Load many client folders at once (``diagnose --all``).

Each folder is read as :func:`socialkit.client.load_client` reads it, with one
difference: the canonical tables of all folders are read and validated together
(:func:`socialkit.loaders.many.read_many`), one frame and one validation per
table instead of one per file. Each client comes out equal to ``load_client`` of its
folder alone, with the same per-file row accounting. A folder that cannot be
loaded is returned as its error and does not stop the others.
"""

from __future__ import annotations

from pathlib import Path

from socialkit.client import (
    _assemble,
    brand_table,
    canonical_files,
    load_exports,
    open_folder,
)
from socialkit.limits import check_size
from socialkit.loaders.many import read_many
from socialkit.paths import follow_symlinks_default
from socialkit.profile import ProfileError
from socialkit.schema import SchemaError

__all__ = ["load_clients", "LOAD_ERRORS"]

#: What a folder's load may raise that makes it an error of that folder only.
LOAD_ERRORS = (ProfileError, SchemaError, OSError, ValueError, MemoryError, RecursionError)


def load_clients(folders) -> list:
    """Load client folders; per folder a :class:`~socialkit.client.Client` or the
    exception that :func:`~socialkit.client.load_client` would raise for it.

    Parameters
    ----------
    folders : sequence of str or Path

    Returns
    -------
    list
        In the order of ``folders``.
    """
    folders = [Path(f) for f in folders]
    follow = follow_symlinks_default()
    out: list = [None] * len(folders)
    heads, files = {}, []  # folder index -> (profile, salt); (folder index, file, table)
    for i, path in enumerate(folders):
        try:
            profile, salt = open_folder(path, follow)
            mine = []
            for table, name in canonical_files(path, follow):
                f = path / name
                check_size(f, f.stat().st_size)
                mine.append((i, f, table))
            heads[i] = (profile, salt)
            files += mine
        except LOAD_ERRORS as exc:
            out[i] = exc
    by_folder: dict[int, list] = {}
    read = read_many([(f, table) for _, f, table in files], errors=LOAD_ERRORS)
    for (i, f, _), r in zip(files, read, strict=True):
        if isinstance(r, Exception):  # the folder's first error, as load_client raises it
            out[i] = out[i] or r
        by_folder.setdefault(i, []).append((f, r))
    for i, (profile, salt) in heads.items():
        if out[i] is not None:
            continue
        path = folders[i]
        loaded = by_folder.get(i, [])
        results, reports = [], []
        for f, r in loaded:  # the brand's comments, as load_client selects them
            r, report = brand_table(r, profile, f.name)
            results += [r] if r is not None else []
            reports.append(report)
        try:
            more, more_reports = load_exports(path, profile, follow_symlinks=follow)
            out[i] = _assemble(profile, results + more, reports + more_reports, path, salt)
        except LOAD_ERRORS as exc:
            out[i] = exc
    return out
