"""Pseudonymising commenters: private individuals never appear by handle.

Comment authors are replaced on load by ``u`` + 12 hex digits of
HMAC-SHA256(salt, "platform:author"). The salt is per project: a random
32-byte value kept in the client folder (:data:`SALT_FILE`), created on the
first load and never written into a report or JSON. The same person gets the
same pseudonym in every load of that client (so returning commenters can be
counted month after month), and an unrelated pseudonym under another salt (so
two projects cannot join their commenters).

The brand's own comments (``is_brand`` true) keep their author: a brand's
handle is public and the report may show it.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by pseudonymise: reading the salt does not need it
    import pandas as pd

__all__ = ["SALT_FILE", "project_salt", "pseudonymise", "pseudonym"]

#: Name of the salt file inside a client folder.
SALT_FILE = ".socialkit-salt"


def project_salt(folder) -> bytes:
    """The client folder's salt, created (random, 32 bytes) when it does not exist yet.

    The salt is a secret: it is created readable by its owner only (0600), in
    a temporary file of a random name opened with ``O_CREAT | O_EXCL`` (a link
    planted at any name is never followed) and put in place with a hard link,
    which fails rather than replace a salt another process wrote meanwhile. An
    existing salt is read only when it is a regular file (not a link) and is
    tightened to 0600 when it was readable by others.

    Parameters
    ----------
    folder : str or Path
        The client folder.

    Returns
    -------
    bytes

    Raises
    ------
    OSError
        When the salt file does not exist and cannot be created (read-only
        folder): the message says which file to create.
    ValueError
        When the salt file is a link or a special file, or holds no salt.
    """
    path = Path(folder) / SALT_FILE
    try:
        return _read_salt(path)
    except FileNotFoundError:
        pass
    salt = secrets.token_bytes(32)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=SALT_FILE + ".", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(salt.hex() + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            try:
                os.link(tmp, path)  # atomic, and never replaces a salt that appeared meanwhile
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
                    raise
                _write_exclusive(path, salt)  # a file system without hard links
        finally:
            os.unlink(tmp)
    except FileExistsError:
        return _read_salt(path)  # another load created it first: use that one
    except OSError as exc:
        raise OSError(
            f"{path}: cannot create the pseudonymisation salt ({exc.strerror}); make the client "
            "folder writable or create that file with 64 hex digits."
        ) from exc
    return salt


def _write_exclusive(path: Path, salt: bytes) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(path, flags, 0o600), "w", encoding="ascii") as fh:
        fh.write(salt.hex() + "\n")


def _read_salt(path: Path) -> bytes:
    """An existing salt file's bytes (FileNotFoundError when there is none)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError(
                f"{path}: a symbolic link; refused (the salt must be a file of the client folder)."
            ) from None
        raise
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ValueError(f"{path}: not a regular file; refused (expected 64 hex digits).")
        if st.st_mode & 0o077 and st.st_uid == os.getuid():
            os.fchmod(fh.fileno(), 0o600)  # written by an older version: readable by all
        raw = fh.read(1024)
    try:
        salt = bytes.fromhex(raw.decode("ascii").strip())
    except ValueError:
        raise ValueError(f"{path}: not a salt; expected 64 hex digits.") from None
    if len(salt) < 16:
        raise ValueError(f"{path}: a salt must be at least 16 bytes of hex; found {len(salt)}.")
    return salt


def pseudonym(salt: bytes, platform: str, author: str) -> str:
    """The pseudonym of one author (see the module docstring)."""
    digest = hmac.new(salt, f"{platform}:{author}".encode(), hashlib.sha256).hexdigest()
    return "u" + digest[:12]


def pseudonymise(comments: pd.DataFrame, salt: bytes) -> pd.DataFrame:
    """A copy of a canonical comments table whose non-brand authors are pseudonyms.

    Parameters
    ----------
    comments : DataFrame
        Canonical comments (``platform``, ``author``, ``is_brand``).
    salt : bytes
        The project's salt (:func:`project_salt`).

    Returns
    -------
    DataFrame
        Same rows; ``author`` replaced where ``is_brand`` is not true and the
        author is known. Each distinct (platform, author) is hashed once.
    """
    import numpy as np
    import pandas as pd

    if comments.empty or "author" not in comments:
        return comments
    author = comments["author"]
    brand = comments["is_brand"].fillna(False).to_numpy(dtype=bool)
    hide = author.notna().to_numpy() & ~brand
    if not hide.any():
        return comments
    keys = comments["platform"].astype("string")[hide] + ":" + author[hide].astype("string")
    codes, uniques = pd.factorize(keys)
    names = np.array(
        [pseudonym(salt, *k.split(":", 1)) for k in uniques.astype(object)], dtype=object
    )
    out = comments.copy()
    new = out["author"].astype(object).to_numpy(copy=True)
    new[hide] = names[codes]
    out["author"] = pd.array(new, dtype="string")
    return out
