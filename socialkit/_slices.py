"""Frames that are row slices of one joined frame, and joining them back without a copy.

:func:`socialkit.loaders.many.read_many` reads many client folders' files as
one frame and hands each file its rows as a view of it; a
:class:`~socialkit.batch.Batch` of those clients joins the same rows back.
When the clients' frames are still those views, unchanged and one after
another, the joined frame is a slice of the frame they came from: no copy of
the posts (200 folders, 1 M posts: 0.2 s and the posts table's memory once
more). Anything else (a frame changed after loading, rows of another source
in between, a different order) is joined by copying, as before.
"""

from __future__ import annotations

import pandas as pd

#: Attribute of a marked frame (set on the object, so that no copy of it inherits it).
_ATTR = "_socialkit_slice_of"


def mark(frame: pd.DataFrame, whole: pd.DataFrame, start: int, stop: int) -> None:
    """Record that ``frame`` is ``whole.iloc[start:stop]``, as it is now (nothing is
    recorded where pandas does not tell its arrays: such frames are joined by copying)."""
    arrays = _arrays(frame)
    if arrays is not None:
        object.__setattr__(frame, _ATTR, (whole, start, stop, list(frame.columns), arrays))


def joined(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    """``pd.concat(frames, ignore_index=True)`` as a view of the frame they were sliced
    from, when each is still its marked slice, unchanged, and each starts where the one
    before ends; else None.

    A frame counts as unchanged when it has the columns it had when marked and each
    column is still the array it was (pandas replaces a view's array when it is written
    to, under copy-on-write).
    """
    if not frames:
        return None
    marks = [frame.__dict__.get(_ATTR) for frame in frames]
    if any(m is None for m in marks):
        return None
    whole = marks[0][0]
    for k, (frame, (source, start, _, columns, arrays)) in enumerate(
        zip(frames, marks, strict=True)
    ):
        if source is not whole or (k and start != marks[k - 1][2]):
            return None
        now = _arrays(frame)
        if list(frame.columns) != columns or now is None or len(now) != len(arrays):
            return None
        if any(a is not b for a, b in zip(now, arrays, strict=True)):
            return None
    out = whole.iloc[marks[0][1] : marks[-1][2]].copy(deep=False)
    out.index = pd.RangeIndex(len(out))
    return out


def _arrays(frame: pd.DataFrame) -> tuple | None:
    """The arrays holding the frame's columns (None where pandas does not tell)."""
    try:
        return tuple(block.values for block in frame._mgr.blocks)
    except AttributeError:  # another pandas: the frames are joined by copying
        return None
