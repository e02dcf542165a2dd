"""Loaders: native export files -> canonical tables.

Each source format is one module that calls :func:`register_loader`. A format
is recognised from the file's content (its header row), never from its name.
:func:`load_export` tries the registered formats in order and returns one
:class:`~socialkit.schema.ValidationResult` per canonical table the file holds.
"""

from socialkit.loaders import canonical as _canonical  # noqa: F401  (registers itself)
from socialkit.loaders._registry import (
    ExportError,
    LoaderSpec,
    load_export,
    loaders,
    read_header,
    register_loader,
)

__all__ = ["ExportError", "LoaderSpec", "load_export", "loaders", "read_header", "register_loader"]
