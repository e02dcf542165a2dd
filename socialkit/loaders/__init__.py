"""Loaders: native export files -> canonical tables.

Each source format is one module that calls :func:`register_loader`. A format
is recognised from the file's content (its header row), never from its name.
:func:`load_export` tries the registered formats in order and returns one
:class:`~socialkit.schema.ValidationResult` per canonical table the file holds.
"""

# Each module registers itself; the order is the detection order (most specific first).
from socialkit.loaders import canonical as _canonical  # noqa: F401, I001
from socialkit.loaders import facebook_insights as _facebook_insights  # noqa: F401
from socialkit.loaders import x_analytics as _x_analytics  # noqa: F401
from socialkit.loaders import youtube_studio as _youtube_studio  # noqa: F401
from socialkit.loaders import uci_facebook as _uci_facebook  # noqa: F401
from socialkit.loaders import meta_business as _meta_business  # noqa: F401
from socialkit.loaders import linkedin as _linkedin  # noqa: F401
from socialkit.loaders import tiktok as _tiktok  # noqa: F401
from socialkit.loaders import x_content as _x_content  # noqa: F401
from socialkit.loaders import twcs as _twcs  # noqa: F401
from socialkit.loaders import youtube_comments as _youtube_comments  # noqa: F401
from socialkit.loaders._registry import (
    EXPORT_SUFFIXES,
    ExportError,
    export_files,
    LoaderSpec,
    load_export,
    loaders,
    read_header,
    register_loader,
)

__all__ = [
    "EXPORT_SUFFIXES",
    "export_files",
    "ExportError",
    "LoaderSpec",
    "load_export",
    "loaders",
    "read_header",
    "register_loader",
]
