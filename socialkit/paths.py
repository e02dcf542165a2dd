"""Safe names and paths: a client's name never becomes a path outside its folder."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

__all__ = ["slugify", "safe_child"]


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
