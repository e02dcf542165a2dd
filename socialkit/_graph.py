"""Parent pointers → roots, shared by the comment loaders and the conversation metrics."""

from __future__ import annotations

import numpy as np

__all__ = ["roots"]


def roots(parent: np.ndarray) -> np.ndarray:
    """The root of each node of a forest given as parent positions (-1: a root).

    Pointer jumping: each pass halves the remaining depth, so a chain of a
    million replies takes 20 passes, and a node leaves the work once its
    pointer reaches a root. A parent loop (bad data) is cut: each node on the
    loop is made its own root, and a chain that runs into the loop ends at the
    first loop node it reaches.

    Examples
    --------
    >>> roots(np.array([-1, 0, 1, 4, 3])).tolist()
    [0, 0, 0, 3, 4]
    >>> roots(np.array([1, 0, 0])).tolist()  # 0 ↔ 1 loop; 2 replies to 0
    [0, 1, 0]
    """
    parent = np.asarray(parent, dtype=np.int64)
    own = np.arange(parent.size, dtype=np.int64)
    up = np.where((parent >= 0) & (parent != own), parent, -1)
    root = own.copy()
    active = np.flatnonzero(up >= 0)
    root[active] = up[active]
    for _ in range(64):  # 2**64 levels are out of reach; only loops keep moving
        now = root[active]
        nxt = root[now]
        moved = nxt != now
        if not moved.any():
            break
        root[active] = nxt
        active = active[moved]
    stuck = up[root] >= 0  # ended on a node that has a parent: on or into a loop
    if stuck.any():
        # every loop node is the end point of some stuck node (a loop maps onto itself)
        up[np.unique(root[stuck])] = -1
        return roots(up)
    return root
