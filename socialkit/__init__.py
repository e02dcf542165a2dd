"""socialkit: why a brand's social media strategy isn't working, with evidence.

The mental model, in the order data flows::

    native exports ──loaders──▶ canonical tables ──metrics──▶ checks ──▶ Diagnosis
    (exports/)                  (posts, followers,            (one per     (ranked
                                 comments; schema.py)          failure      findings,
                                                               mode)        report)

* :func:`load_client` reads a client folder (client.yaml + exports) into a
  :class:`Client`.
* :func:`diagnose` runs every catalogue check and returns a :class:`Diagnosis`
  of ranked :class:`Finding` objects (status ok / warn / fail / not_assessable).
* :mod:`socialkit.report` turns clients into HTML reports; :mod:`socialkit.demo`
  makes synthetic clients for learning and tests.


The names below are imported on first use (PEP 562), so that ``socialkit
--help`` and ``socialkit validate`` do not pay for the statistics stack.
"""

import sys
import types

from socialkit._lazy import lazy_attributes

__version__ = "0.1.0"
__all__ = ["Client", "Diagnosis", "Evidence", "Finding", "diagnose", "load_client", "__version__"]

#: Public name -> the module that defines it.
_LAZY = {
    "Client": "socialkit.client",
    "load_client": "socialkit.client",
    "Diagnosis": "socialkit.diagnose",
    "diagnose": "socialkit.diagnose",
    "Evidence": "socialkit.findings",
    "Finding": "socialkit.findings",
}


__getattr__, __dir__ = lazy_attributes(globals(), _LAZY, __all__)


class _Package(types.ModuleType):
    """Keeps ``socialkit.diagnose`` the function, as the eager import did: importing the
    submodule of the same name would otherwise set the attribute to the module."""

    def __setattr__(self, name, value):
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
