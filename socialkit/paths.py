"""Safe names and paths: a client's name never becomes a path outside its folder, and a
client folder is a boundary — every file read from it is a regular file inside it.

A client folder comes from the client and may be crafted: a symbolic link planted
as ``client.yaml``, ``exports/x.csv`` or ``exports`` itself would make the kit read
(and print) a file of the analyst's machine or another client's data; a FIFO would
block a read for ever. :func:`inside_file` and :func:`folder_files` refuse links and
special files with a one-line reason. With ``follow_symlinks`` (the CLI's
``--follow-symlinks``, or ``SOCIALKIT_FOLLOW_SYMLINKS=1``) a link is allowed when
its target lies inside the same client folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from pathlib import Path

__all__ = [
    "UnsafeFileError",
    "slugify",
    "safe_child",
    "printable",
    "follow_symlinks_default",
    "inside_file",
    "folder_files",
    "client_folders",
]


class UnsafeFileError(ValueError):
    """A file of a client folder is a link, a special file or lies outside the folder."""


def slugify(name: str, max_length: int = 60) -> str:
    """A lowercase ASCII slug (``a-z``, ``0-9``, ``-``) for ``name``.

    Separators, dots and quotes all become ``-``, so ``"../etc"`` gives
    ``"etc"``; a name with no usable character gives ``client-<hash>``.

    Examples
    --------
    >>> slugify("Harbour Bakery")
    'harbour-bakery'
    >>> slugify('../../"Café" Ltd.')
    'cafe-ltd'
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_length].strip("-")
    if not slug:
        slug = "client-" + hashlib.sha1(str(name).encode("utf-8")).hexdigest()[:8]
    return slug


def safe_child(root, name: str) -> Path:
    """``root / slugify(name)``, guaranteed to lie inside ``root``."""
    root = Path(root).resolve()
    child = (root / slugify(name)).resolve()
    if child.parent != root:
        raise ValueError(f"Refusing to write outside {root}: {name!r} -> {child}.")
    return child


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text, max_chars: int = 200) -> str:
    """``text`` safe to print on one line: control characters escaped, cut to ``max_chars``.

    Carriage returns, escape sequences, NULs and bidirectional overrides in a
    file name or an excerpt of a file would otherwise reach the terminal raw.

    Examples
    --------
    >>> printable("a\\x1b[31mb\\nc")
    'a\\\\x1b[31mb\\\\nc'
    >>> printable("x" * 10, 4)
    'xxxx…'
    """
    text = str(text)
    cut = len(text) > max_chars
    text = text[:max_chars]
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    return text + ("…" if cut else "")


def follow_symlinks_default() -> bool:
    """Whether links inside a client folder are followed (``SOCIALKIT_FOLLOW_SYMLINKS=1``)."""
    return os.environ.get("SOCIALKIT_FOLLOW_SYMLINKS", "").strip().lower() in ("1", "true", "yes")


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _inside(target: Path | None, root: Path) -> bool:
    return target is not None and (target == root or root in target.parents)


def _target(link: Path) -> Path | None:
    """Where a link leads (``None`` for a link that loops)."""
    try:
        return link.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a loop
        return None


def _link_reason(rel: str, target: Path | None, root: Path) -> str:
    if _inside(target, root):
        where = "that stays inside the client folder; refused (--follow-symlinks allows it)"
    elif target is None:
        where = "that loops; refused"
    else:
        where = "that leads outside the client folder; refused"
    return f"{printable(rel)}: a symbolic link {where}. Copy the file into the folder instead."


def inside_file(folder, path, *, follow_symlinks: bool | None = None) -> Path:
    """Check that ``path`` is a regular file inside the client folder ``folder``.

    Every component from the folder down to the file is looked at without
    following links: a link (to anywhere, unless ``follow_symlinks`` and its
    target is inside the folder), a FIFO, socket or device is refused.

    Parameters
    ----------
    folder : str or Path
        The client folder (itself may be reached through a link).
    path : str or Path
        A path inside it (absolute, or relative to ``folder``).
    follow_symlinks : bool, optional
        Allow links whose target lies inside ``folder`` (default:
        :func:`follow_symlinks_default`).

    Returns
    -------
    Path
        The file's real path.

    Raises
    ------
    UnsafeFileError
        The file is a link, a special file, or not under ``folder``; the
        message is one line naming the file relative to the folder.
    FileNotFoundError
        The file does not exist.
    """
    follow = follow_symlinks_default() if follow_symlinks is None else follow_symlinks
    root = Path(folder).resolve()
    path = Path(path)
    if path.is_absolute():
        try:
            rel = path.relative_to(Path(folder).absolute())
        except ValueError:
            try:
                rel = path.relative_to(root)
            except ValueError:
                raise UnsafeFileError(
                    f"{printable(path)}: not inside the client folder; refused."
                ) from None
    else:
        rel = path
    if not rel.parts or any(part in ("..", ".") for part in rel.parts):
        raise UnsafeFileError(f"{printable(rel)}: not a file name inside the client folder.")
    cur = root
    for part in rel.parts:
        cur = cur / part
        st = os.lstat(cur)
        if stat.S_ISLNK(st.st_mode):
            target = _target(cur)
            if not (follow and _inside(target, root)):
                raise UnsafeFileError(_link_reason(str(rel), target, root))
            cur = target
            st = os.stat(cur)
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFileError(f"{printable(rel)}: {_kind(st.st_mode)}; refused (expected a file).")
    return cur


def folder_files(
    folder,
    under: str = "",
    suffixes=None,
    *,
    follow_symlinks: bool | None = None,
    hidden: bool = False,
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Regular files under ``folder/under``, listed without following links out of ``folder``.

    Hidden names (starting with a dot) are skipped. A link or special file
    whose name has one of ``suffixes`` (or any link to a folder, and ``under``
    itself when it is a link) is *refused*: returned with its reason, never
    read. A folder that cannot be listed is refused the same way.

    Parameters
    ----------
    folder : str or Path
        The client folder (the boundary).
    under : str
        Sub-folder to list (``"exports"``); ``""`` lists the whole folder.
    suffixes : collection of str, optional
        Lower-case suffixes to keep (``".csv"``, …); default every file.
    follow_symlinks : bool, optional
        Follow links whose target lies inside ``folder`` (default:
        :func:`follow_symlinks_default`).
    hidden : bool
        List hidden names too.

    Returns
    -------
    (list of Path, list of (str, str))
        The files (as paths under ``folder``, sorted) and the refused entries
        as (path relative to ``folder``, one-line reason).
    """
    follow = follow_symlinks_default() if follow_symlinks is None else follow_symlinks
    folder = Path(folder)
    root = folder.resolve()
    files: list[Path] = []
    refused: list[tuple[str, str]] = []

    def wanted(name: str) -> bool:
        return suffixes is None or os.path.splitext(name)[1].lower() in suffixes

    def rel(p: Path) -> str:
        return str(p.relative_to(folder))

    start = folder / under if under else folder
    try:
        st = os.lstat(start)
    except FileNotFoundError:
        return [], []
    if stat.S_ISLNK(st.st_mode):
        target = _target(start)
        if not (follow and _inside(target, root) and target.is_dir()):
            return [], [(rel(start), _link_reason(rel(start), target, root))]
    elif not stat.S_ISDIR(st.st_mode):
        return [], []
    seen: set[Path] = set()
    stack = [start]
    while stack:
        d = stack.pop()
        real = d.resolve()
        if real in seen:
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError as exc:
            refused.append((rel(d), f"{printable(rel(d))}: cannot be listed ({exc.strerror})."))
            continue
        for e in entries:
            p = d / e.name
            if e.name.startswith(".") and not hidden:
                continue
            try:
                if e.is_symlink():
                    target = _target(p)
                    is_dir = target is not None and target.is_dir()
                    if not (wanted(e.name) or is_dir):
                        continue
                    if follow and _inside(target, root):
                        if is_dir:
                            stack.append(p)
                        elif target is not None and target.is_file():
                            files.append(p)
                        continue
                    refused.append((rel(p), _link_reason(rel(p), target, root)))
                elif e.is_dir(follow_symlinks=False):
                    stack.append(p)
                elif e.is_file(follow_symlinks=False):
                    if wanted(e.name):
                        files.append(p)
                elif wanted(e.name):
                    mode = e.stat(follow_symlinks=False).st_mode
                    refused.append(
                        (rel(p), f"{printable(rel(p))}: {_kind(mode)}; refused (expected a file).")
                    )
            except OSError as exc:
                refused.append((rel(p), f"{printable(rel(p))}: cannot be read ({exc.strerror})."))
    return sorted(files), sorted(refused)


def client_folders(root) -> list[Path]:
    """Client folders under ``root``: its sub-folders holding a client.yaml, sorted."""
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: not a folder of client folders.")
    # lexists: a client.yaml that is a broken link or a folder is that client's error, not a skip
    return sorted(p for p in root.iterdir() if p.is_dir() and os.path.lexists(p / "client.yaml"))
