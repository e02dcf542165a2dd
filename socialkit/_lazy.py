"""Module attributes imported on first use (PEP 562), for packages that keep start-up light."""

from __future__ import annotations

import importlib


def lazy_attributes(namespace: dict, table: dict[str, str], all_names):
    """Return the ``__getattr__`` and ``__dir__`` of a module whose public names load lazily.

    ``table`` maps a public name to the module that defines it; a looked-up name is
    stored in ``namespace`` (the module's globals) so later look-ups skip the hook.
    """
    module = namespace["__name__"]

    def __getattr__(name):
        if name in table:
            value = getattr(importlib.import_module(table[name]), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(namespace) | set(all_names))

    return __getattr__, __dir__
