"""Content mix: format shares and diversity."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["format_shares", "normalized_entropy"]


def format_shares(posts: pd.DataFrame) -> pd.Series:
    """Share of posts per format (posts with unknown format excluded), largest first."""
    fmt = posts["format"].dropna()
    if fmt.empty:
        return pd.Series(dtype=float, name="share")
    return fmt.value_counts(normalize=True).rename("share")


def normalized_entropy(shares) -> float:
    """Shannon entropy of ``shares`` divided by log(number of categories used).

    1 means an even mix of the formats used, 0 a single format. With one
    format the value is 0.

    Examples
    --------
    >>> normalized_entropy([0.5, 0.5])
    1.0
    >>> normalized_entropy([1.0])
    0.0
    """
    p = np.asarray(shares, dtype=float)
    p = p[p > 0]
    if p.size <= 1:
        return 0.0
    p = p / p.sum()
    return float(-(p * np.log(p)).sum() / np.log(p.size))
