"""Content mix: format shares and diversity."""

from __future__ import annotations

import numpy as np

__all__ = ["normalized_entropy"]


def normalized_entropy(shares):
    """Shannon entropy of ``shares`` divided by log(number of categories used).

    1 means an even mix of the formats used, 0 a single format. With one
    format the value is 0. A 2-D array (e.g. counts per client × format)
    gives one value per row; rows need not sum to 1.

    Examples
    --------
    >>> normalized_entropy([0.5, 0.5])
    1.0
    >>> normalized_entropy([1.0])
    0.0
    >>> normalized_entropy([[3, 3, 0], [5, 0, 0]]).tolist()
    [1.0, 0.0]
    """
    a = np.asarray(shares, dtype=float)
    rows = np.atleast_2d(a)
    total = rows.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = rows / total
        h = -np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0).sum(axis=1)
        used = (rows > 0).sum(axis=1)
        out = np.where(used > 1, h / np.log(np.maximum(used, 2)), 0.0)
    return float(out[0]) if a.ndim < 2 else out
