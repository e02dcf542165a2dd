"""Metrics: pure, vectorised functions on canonical frames (no I/O, no plots).

One module per family: :mod:`~socialkit.metrics.cadence` (posting rhythm),
:mod:`~socialkit.metrics.mix` (formats). The names below are imported on first
use (PEP 562): loading a client reads :mod:`socialkit.metrics._arrow` only, and
must not pay for :mod:`socialkit.metrics.stats` (scipy).
"""

from socialkit._lazy import lazy_attributes

__all__ = [
    "MIN_FORMAT_POSTS",
    "format_lift",
    "format_lift_ci",
    "coefficient_of_variation",
    "longest_gap_days",
    "normalized_entropy",
    "posts_per_week",
    "weekly_counts",
    "weekly_post_counts",
]

#: Public name -> the module that defines it.
_LAZY = {
    "coefficient_of_variation": "socialkit.metrics.cadence",
    "longest_gap_days": "socialkit.metrics.cadence",
    "posts_per_week": "socialkit.metrics.cadence",
    "weekly_counts": "socialkit.metrics.cadence",
    "weekly_post_counts": "socialkit.metrics.cadence",
    "MIN_FORMAT_POSTS": "socialkit.metrics.mix",
    "format_lift": "socialkit.metrics.mix",
    "format_lift_ci": "socialkit.metrics.mix",
    "normalized_entropy": "socialkit.metrics.mix",
}


__getattr__, __dir__ = lazy_attributes(globals(), _LAZY, __all__)
