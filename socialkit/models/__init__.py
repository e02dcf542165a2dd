"""Models: what drives engagement, and the published-study replication.

* :mod:`~socialkit.models.features` — features known before posting and the
  log engagement-rate target.
* :mod:`~socialkit.models.drivers` — the per-client drivers model with
  time-aware validation, a baseline to beat, permutation importance and
  partial-dependence effects (:func:`engagement_drivers`).
* :mod:`~socialkit.models.effects` — partial-dependence effects split into
  the baseline's part (context) and the learned part (drivers).
* :mod:`~socialkit.models.embargo` — how long lifetime counts take to settle
  (the gap between training and test periods).
* :mod:`~socialkit.models.result` — :class:`DriversResult`.
* :mod:`~socialkit.models.replication` — Moro, Rita & Vala (2016) on the UCI
  "Facebook metrics" data; :mod:`~socialkit.models.sensitivity` (data-based
  sensitivity analysis) and :mod:`~socialkit.models.verdicts` (claim by claim).
"""

from socialkit.models.drivers import (
    DriversResult,
    cite_drivers,
    client_drivers,
    engagement_drivers,
)

__all__ = ["DriversResult", "cite_drivers", "client_drivers", "engagement_drivers"]
