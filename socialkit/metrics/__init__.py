"""Metrics: pure, vectorised functions on canonical frames (no I/O, no plots).

One module per family: :mod:`~socialkit.metrics.cadence` (posting rhythm),
:mod:`~socialkit.metrics.mix` (formats).
"""

from socialkit.metrics.cadence import (
    coefficient_of_variation,
    longest_gap_days,
    posts_per_week,
    weekly_counts,
    weekly_post_counts,
)
from socialkit.metrics.mix import MIN_FORMAT_POSTS, format_lift, format_lift_ci, normalized_entropy

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
