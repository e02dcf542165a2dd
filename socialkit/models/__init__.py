"""Models: what drives engagement, and the published-study replication.

* :mod:`~socialkit.models.features` — features known before posting and the
  log engagement-rate target.
* :mod:`~socialkit.models.drivers` — the per-client drivers model with
  time-aware validation, a baseline to beat, permutation importance and
  partial-dependence effects (:func:`engagement_drivers`).
* :mod:`~socialkit.models.replication` — Moro, Rita & Vala (2016) on the UCI
  "Facebook metrics" data.
"""

from socialkit.models.drivers import (
    DriversResult,
    cite_drivers,
    client_drivers,
    engagement_drivers,
)

__all__ = ["DriversResult", "cite_drivers", "client_drivers", "engagement_drivers"]
