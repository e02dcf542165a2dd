"""Parent pointers → roots, shared by the comment loaders and the conversation metrics."""

from __future__ import annotations

import numpy as np

__all__ = ["roots"]


def roots(parent: np.ndarray) -> np.ndarray:
    """The root of each node of a forest given as parent positions (-1: a root).

    Pointer jumping: each pass halves the remaining depth, so a chain of a
    million replies takes 20 passes. A node on a parent loop (bad data) is
    made its own root rather than followed forever.

    Examples
    --------
    >>> roots(np.array([-1, 0, 1, 4, 3])).tolist()
    [0, 0, 0, 3, 4]
    """
    parent = np.asarray(parent, dtype=np.int64)
    own = np.arange(parent.size, dtype=np.int64)
    root = np.where((parent >= 0) & (parent != own), parent, own)
    for _ in range(64):  # 2**64 levels are out of reach
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    looped = root[root] != root
    root[looped] = own[looped]
    return root
