"""What a report is made of, and whether a client's report must be built again.

A report is the template run on a client folder with the report options
(:data:`REPORT_OPTIONS`) by this version of the kit. :func:`input_hash` hashes
all of these; :func:`skip_result` finds a client whose last run was ok on the
same hash. Nothing here imports pandas, papermill or Jupyter: a batch where
nothing changed decides so in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from pathlib import Path

from socialkit.paths import folder_files, follow_symlinks_default, safe_child
from socialkit.privacy import project_salt

__all__ = ["TEMPLATE", "REPORT_OPTIONS", "check_options", "input_hash", "kit_digest", "skip_result"]

_ROOT = Path(__file__).resolve().parents[2]
#: The report template (in the source tree; pass ``template=`` to use another).
TEMPLATE = _ROOT / "notebooks" / "templates" / "client_report.ipynb"
#: Report options and their defaults (``socialkit report --period/--from/--to/--brand/--paper/--pdf``).
REPORT_OPTIONS = {
    "period": "",
    "date_from": "",
    "date_to": "",
    "brand": "",
    "paper": "",
    "pdf": False,
}


def check_options(options: dict | None) -> dict:
    """The report options with defaults filled in; a clear error for an unknown one."""
    options = dict(options or {})
    unknown = sorted(set(options) - set(REPORT_OPTIONS))
    if unknown:
        raise ValueError(
            f"unknown report option(s) {', '.join(unknown)}; allowed: {', '.join(REPORT_OPTIONS)}."
        )
    out = {**REPORT_OPTIONS, **{k: v for k, v in options.items() if v not in (None, "")}}
    out["pdf"] = bool(out["pdf"])
    return {k: (str(v) if k != "pdf" else v) for k, v in out.items()}


def _digest(paths) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(str(p.name).encode())
        with open(p, "rb") as fh:
            for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                h.update(block)
    return h.hexdigest()


def _tree_digest(root: Path) -> str:
    """Hash of every file under ``root`` but compiled (``__pycache__``) and hidden ones."""
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and not any(
            part == "__pycache__" or part.startswith(".") for part in p.relative_to(root).parts
        )
    )
    return _digest(files)


@functools.cache
def kit_digest() -> str:
    """Hash of the kit's installed files: its code, models and benchmark tables.

    Computed once per process (a process runs the code it imported at start).
    """
    return _tree_digest(Path(__file__).resolve().parents[1])


def _reading_settings() -> dict:
    """The settings that change what is read from a client folder, where not the defaults.

    ``--follow-symlinks`` and the :mod:`socialkit.limits` set in the environment.
    """
    from socialkit.limits import DEFAULTS

    settings = {f"SOCIALKIT_{n}": os.environ.get(f"SOCIALKIT_{n}") for n in DEFAULTS}
    settings = {k: v for k, v in settings.items() if v is not None}
    if follow_symlinks_default():
        settings["follow_symlinks"] = True
    return settings


def input_hash(client_dir: Path, template: Path, options: dict | None = None) -> str:
    """Hash of the client's files, the template, the kit and the report options.

    The kit is :func:`kit_digest` (code, models, benchmark tables); the
    settings that change how the folder is read (``--follow-symlinks``, limits
    set in the environment) count too. The client's pseudonymisation salt is
    created first if missing (loading would create it), so the hash of a first
    run still holds for the next.
    """
    with contextlib.suppress(OSError, ValueError):  # a bad salt fails the load, reported there
        project_salt(client_dir)
    # the client folder is listed without following links (socialkit.paths): a link is
    # hashed by its name, never read, so `exports -> /` costs nothing here
    client_files, refused = folder_files(client_dir, hidden=True, follow_symlinks=False)
    digest = _digest(client_files + [Path(template)]) + kit_digest()
    settings = _reading_settings()
    if refused or settings:
        digest += repr(refused) + json.dumps(settings, sort_keys=True)
    digest = hashlib.sha256(digest.encode()).hexdigest()
    options = {k: v for k, v in (options or {}).items() if v != REPORT_OPTIONS.get(k)}
    if not options:  # the defaults hash as before, so a plain re-run still skips
        return digest
    extra = json.dumps(options, sort_keys=True, default=str).encode()
    brand = options.get("brand")
    if brand and Path(brand).is_file():  # the agency file and its logo are inputs too
        extra += Path(brand).read_bytes()
    return hashlib.sha256(digest.encode() + extra).hexdigest()


def skip_result(
    client_dir, out, template=None, digest: str | None = None, options: dict | None = None
) -> dict | None:
    """The previous ``run.json`` (as ``skipped-unchanged``) if the client need not be rebuilt.

    A client is unchanged when its last run was ok, its ``report.html`` exists
    and :func:`input_hash` (its files, the template, the kit, the options) is
    the same (``digest``, when the caller has already computed it).
    """
    client_dir = Path(client_dir).resolve()
    template = Path(template or TEMPLATE)
    dest = safe_child(out, client_dir.name)
    run_path = dest / "run.json"
    if not run_path.is_file() or not (dest / "report.html").is_file():
        return None
    try:
        previous = json.loads(run_path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if previous.get("status") != "ok":
        return None
    if previous.get("input_hash") != (digest or input_hash(client_dir, template, options)):
        return None
    return {**previous, "status": "skipped-unchanged", "previous_seconds": previous.get("seconds")}
