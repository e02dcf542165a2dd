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
"""

from socialkit.client import Client, load_client
from socialkit.diagnose import Diagnosis, diagnose
from socialkit.findings import Evidence, Finding

__version__ = "0.1.0"
__all__ = ["Client", "Diagnosis", "Evidence", "Finding", "diagnose", "load_client", "__version__"]
