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

import hashlib
import hmac
import secrets
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["SALT_FILE", "project_salt", "pseudonymise", "pseudonym"]

#: Name of the salt file inside a client folder.
SALT_FILE = ".socialkit-salt"


def project_salt(folder) -> bytes:
    """The client folder's salt, created (random, 32 bytes) when it does not exist yet.

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
    """
    path = Path(folder) / SALT_FILE
    if path.is_file():
        salt = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(salt) < 16:
            raise ValueError(f"{path}: a salt must be at least 16 bytes of hex; found {len(salt)}.")
        return salt
    salt = secrets.token_bytes(32)
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(salt.hex() + "\n", encoding="ascii")
        tmp.replace(path)
    except OSError as exc:
        raise OSError(
            f"{path}: cannot create the pseudonymisation salt ({exc.strerror}); make the client "
            "folder writable or create that file with 64 hex digits."
        ) from exc
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
