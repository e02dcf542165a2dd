"""Diagnostic checks: one registered function per catalogue id.

Modules are grouped by area (``kpi``, ``platform``, ``content``, ``strategy``,
``patience``, …); importing this package registers every check. See
:mod:`socialkit.checks.catalogue` for ids and default thresholds.
"""

from socialkit.checks import (  # noqa: F401, E402
    advocacy,
    content,
    conversation,
    kpi,
    market,
    patience,
    platform,
    strategy,
)
from socialkit.checks._registry import (
    each_client,
    not_assessable,
    register_check,
    registered,
    run_batch,
    run_checks,
    severity,
    verdict,
)
from socialkit.checks.catalogue import AREAS, CATALOGUE, CheckSpec, threshold_keys

__all__ = [
    "AREAS",
    "CATALOGUE",
    "CheckSpec",
    "each_client",
    "not_assessable",
    "register_check",
    "registered",
    "run_batch",
    "run_checks",
    "severity",
    "threshold_keys",
    "verdict",
]
