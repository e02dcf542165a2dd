"""Load many client folders at once (``diagnose --all``).

Each folder is read as :func:`socialkit.client.load_client` reads it, with one
difference: the canonical tables of all folders are validated together
(:func:`socialkit.loaders.many.validate_many`), one validation per table
instead of one per file. Each client comes out equal to ``load_client`` of its
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
from socialkit.loaders.canonical import read_raw
from socialkit.loaders.many import validate_many
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
    heads, raws = {}, []  # folder index -> (profile, salt, [(table, file)]); raw files
    for i, path in enumerate(folders):
        try:
            profile, salt = open_folder(path, follow)
            files = []
            for table, name in canonical_files(path, follow):
                f = path / name
                check_size(f, f.stat().st_size)
                files.append(f)
                raws.append((i, f, read_raw(f, table)))
            heads[i] = (profile, salt, files)
        except LOAD_ERRORS as exc:
            out[i] = exc
    raws = [r for r in raws if out[r[0]] is None]
    by_folder: dict[int, list] = {}
    for (i, f, _), r in zip(
        raws, validate_many([(raw, f.name) for _, f, raw in raws]), strict=True
    ):
        if isinstance(r, SchemaError):  # the folder's first such error, as load_client says
            out[i] = out[i] or r
        by_folder.setdefault(i, []).append((f, r))
    for i, (profile, salt, _) in heads.items():
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
