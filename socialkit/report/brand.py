"""An agency's branding for reports: ``agency.yaml`` (name, logo, colour, contact, paper).

Looked up in the clients' root folder or passed with ``--brand``. Every value
is validated (a clear error names the key and what is allowed) and escaped
where it is shown; the logo is embedded as a ``data:`` URI, so the page stays
self-contained under its Content-Security-Policy.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

__all__ = ["load_brand", "BRAND_KEYS"]

BRAND_KEYS = ("name", "logo", "primary_colour", "contact", "paper")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
_MAX_LOGO = 1_000_000
_MAX_TEXT = 200


def load_brand(path) -> dict:
    """Read and validate ``agency.yaml``.

    Returns
    -------
    dict
        ``name``, ``contact``, ``colour`` (``#rrggbb`` or ``""``), ``paper``
        (``A4``/``letter`` or ``""``), ``logo_uri`` (a ``data:`` URI or ``""``).

    Raises
    ------
    ValueError
        Naming the file, the key and what is allowed.
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read the agency file: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError(
            f"{path}: expected keys {', '.join(BRAND_KEYS)}; found a {type(data).__name__}."
        )
    unknown = sorted(str(k) for k in data if k not in BRAND_KEYS)
    if unknown:
        raise ValueError(
            f"{path}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(BRAND_KEYS)}."
        )
    out = {"name": "", "contact": "", "colour": "", "paper": "", "logo_uri": ""}
    for key in ("name", "contact"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > _MAX_TEXT:
            raise ValueError(f"{path}: '{key}' must be text of at most {_MAX_TEXT} characters.")
        out[key] = value.strip()
    colour = data.get("primary_colour")
    if colour is not None:
        if not isinstance(colour, str) or not _COLOUR.match(colour.strip()):
            raise ValueError(
                f"{path}: 'primary_colour' must be a hex colour like #0072b2; got {colour!r}."
            )
        out["colour"] = colour.strip()
    paper = data.get("paper")
    if paper is not None:
        if str(paper).lower() not in ("a4", "letter"):
            raise ValueError(f"{path}: 'paper' must be A4 or letter; got {paper!r}.")
        out["paper"] = "A4" if str(paper).lower() == "a4" else "letter"
    logo = data.get("logo")
    if logo is not None:
        logo_path = (path.parent / str(logo)).resolve()
        kind = _LOGO_TYPES.get(logo_path.suffix.lower())
        if kind is None:
            raise ValueError(f"{path}: 'logo' must be a .png, .jpg or .svg file; got {logo!r}.")
        if not logo_path.is_file():
            raise ValueError(f"{path}: the logo file {logo_path.name} does not exist.")
        raw = logo_path.read_bytes()
        if len(raw) > _MAX_LOGO:
            raise ValueError(
                f"{path}: the logo is {len(raw):,} bytes; at most {_MAX_LOGO:,} allowed."
            )
        out["logo_uri"] = f"data:{kind};base64," + base64.b64encode(raw).decode()
    return out
