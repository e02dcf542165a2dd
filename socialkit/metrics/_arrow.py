"""Text columns as Arrow arrays, for hashing and regular expressions in C++.

The distinct texts of an array (:func:`distinct_texts`) are kept for the next call
with the same array (:func:`once`): the text checks of one batch share them.
"""

from __future__ import annotations

import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "arrow_strings",
    "codes",
    "distinct_texts",
    "edge_space",
    "encode",
    "first_bytes",
    "once",
    "regex_matches",
    "regex_counts",
    "by_block",
]

#: Threads for work whose Arrow kernels and NumPy loops release the GIL.
THREADS = min(4, os.cpu_count() or 1)
#: Texts per regular-expression task: large enough to hide the task overhead.
_SLICE = 1 << 18
#: Texts sampled, in 16 evenly spaced blocks, to tell whether a long text array repeats.
_SAMPLE = 1 << 16
#: What was last computed from a text array, by name: (weak reference to the array,
#: result). The text checks of one batch read the same array several times.
_LAST: dict = {}
#: One lock per name of :data:`_LAST`, held while its value is computed.
_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_LOCK = threading.Lock()


def arrow_strings(values) -> pa.Array:
    """``values`` (Series or sequence of str) as an Arrow string array; missing → null.

    An Arrow string array (or chunked array) is returned as it is.

    Examples
    --------
    >>> arrow_strings(["a", None, "b"]).to_pylist()
    ['a', None, 'b']
    """
    if isinstance(values, pa.Array | pa.ChunkedArray) and values.type == pa.string():
        return values
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if isinstance(s.dtype, pd.StringDtype | pd.ArrowDtype):
        return pa.array(s, type=pa.string())
    return pa.array(s.astype(object).where(s.notna(), None), type=pa.string(), from_pandas=True)


def codes(values) -> np.ndarray:
    """Integer code (int32) of each distinct value (first seen → 0); missing → -1.

    Arrow's dictionary encoding, several times faster than :func:`pandas.factorize`
    on text columns.

    Examples
    --------
    >>> codes(["x", None, "y", "x"]).tolist()
    [0, -1, 1, 0]
    """
    return encode(values)[0]


def encode(values) -> tuple[np.ndarray, list]:
    """:func:`codes` and the distinct values they stand for, in code order.

    A column of one repeated value (a file's name on each of its rows) is seen in
    one comparison, about 10x faster than a dictionary.

    Examples
    --------
    >>> c, names = encode(["x", None, "y", "x"])
    >>> c.tolist(), names
    ([0, -1, 1, 0], ['x', 'y'])
    """
    arr = arrow_strings(values)
    if isinstance(arr, pa.ChunkedArray):  # one dictionary for the whole column
        arr = arr.combine_chunks()
    if len(arr) and arr.null_count == 0 and pc.all(pc.equal(arr, arr[0])).as_py():
        return np.zeros(len(arr), dtype=np.int32), [arr[0].as_py()]
    enc = pc.dictionary_encode(arr)
    return enc.indices.fill_null(-1).to_numpy(), enc.dictionary.to_pylist()


def once(texts, name: str, compute):
    """``compute()``, or its result kept from the last call with the same ``texts`` object
    and ``name`` (dropped when ``texts`` is).

    Two threads asking at once (the copies check and a text check of one batch) get one
    computation: the second waits for the first's result rather than computing it
    again (on 200 clients / 1,000,000 posts both computed the batch's distinct texts,
    0.15-0.20 s each, at the same time).
    """
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(name, threading.RLock())
    with lock:
        kept = _LAST.get(name)
        if kept is not None and kept[0]() is texts:
            return kept[1]
        out = compute()

        def drop(ref):
            if _LAST.get(name, (None,))[0] is ref:
                del _LAST[name]

        _LAST[name] = (weakref.ref(texts, drop), out)
    return out


def distinct_texts(texts):
    """(distinct texts, index of each text in them) of the Arrow array ``texts`` (missing
    read as ""), or None when fewer than half the texts repeat one another.

    An array of more than ``4 * _SAMPLE`` texts is first judged on a sample: when at
    least half the sampled texts are distinct, None without a dictionary of all the
    texts (on distinct texts it costs as much as the work it would spare). Either way
    the callers' results are the same; only their speed depends on it. Kept for the
    next call with the same array (:func:`once`).

    Examples
    --------
    >>> d, idx = distinct_texts(pa.array(["a", None, "a", "a", "a"]))
    >>> d.to_pylist(), idx.tolist()
    (['a', ''], [0, 1, 0, 0, 0])
    >>> distinct_texts(pa.array(["a", "b"])) is None
    True
    """

    def compute():
        n = len(texts)
        if n > 4 * _SAMPLE:
            step, size = n // 16, _SAMPLE // 16
            sample = pa.chunked_array(
                [c for i in range(16) for c in _chunks(texts.slice(i * step, size))], texts.type
            )
            if pc.count_distinct(sample).as_py() * 2 >= len(sample):
                return None
        # chunk by chunk (the batch's text column is one chunk per client): Arrow's hash
        # table runs across the chunks, so they share one dictionary, and the texts are
        # not first copied into one array (the size of the whole column)
        enc = pc.dictionary_encode(pc.fill_null(texts, ""))
        parts = _chunks(enc)
        if not parts:
            return None
        dictionary = parts[-1].dictionary
        if any(len(p.dictionary) != len(dictionary) for p in parts):  # not shared: one array
            enc = pc.dictionary_encode(pc.fill_null(pa.concat_arrays(_chunks(texts)), ""))
            parts, dictionary = [enc], enc.dictionary
        indices = np.concatenate([p.indices.to_numpy(zero_copy_only=False) for p in parts])
        return (dictionary, indices) if len(dictionary) * 2 < n else None

    return once(texts, "distinct", compute)


def _chunks(arr) -> list:
    """The arrays of a chunked array (or the array itself)."""
    return list(arr.chunks) if isinstance(arr, pa.ChunkedArray) else [arr]


def by_block(fn, bounds, *columns) -> list:
    """``(lo, fn(*slices))`` for each block ``bounds[i]:bounds[i + 1]`` of ``columns``
    (NumPy or Arrow arrays), on :data:`THREADS` parallel threads.

    Examples
    --------
    >>> by_block(lambda a: a.sum(), [0, 2, 5], np.arange(5))
    [(0, np.int64(1)), (2, np.int64(9))]
    """

    def one(i):
        lo, hi = int(bounds[i]), int(bounds[i + 1])
        return lo, fn(*(c.slice(lo, hi - lo) if hasattr(c, "slice") else c[lo:hi] for c in columns))

    if len(bounds) <= 2:  # one block: no pool
        return [one(i) for i in range(len(bounds) - 1)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(one, range(len(bounds) - 1)))


def _by_slices(texts, kernel, dtype) -> np.ndarray:
    """``kernel`` (an Arrow compute function of an Arrow string slice) over slices of
    ``texts`` on parallel threads (:func:`by_block`); missing → 0/False."""
    arr = arrow_strings(texts)
    if len(arr) == 0:
        return np.zeros(0, dtype=dtype)

    def run(part) -> np.ndarray:
        return kernel(part).fill_null(dtype(0)).to_numpy(zero_copy_only=False).astype(dtype)

    bounds = np.r_[np.arange(0, len(arr), _SLICE), len(arr)]
    return np.concatenate([out for _, out in by_block(run, bounds, arr)])


def first_bytes(texts) -> np.ndarray:
    """The first byte (of its UTF-8) of each text; 0 where a text is empty or missing.
    Read from the Arrow buffers: no string is made.

    Examples
    --------
    >>> first_bytes(["Hi", "", None, "é"]).tolist()
    [72, 0, 0, 195]
    """
    return _edge_bytes(arrow_strings(texts))[0]


def _edge_bytes(arr) -> tuple[np.ndarray, np.ndarray]:
    """The first and the last byte of each text of an Arrow string array (0 where empty
    or missing), read from its buffers."""
    first = np.zeros(len(arr), dtype=np.uint8)
    last = np.zeros(len(arr), dtype=np.uint8)
    pos = 0
    for chunk in _chunks(arr):
        n = len(chunk)
        _, offsets, data = chunk.buffers()
        if n and data is not None:
            off = np.frombuffer(offsets, dtype=np.int32, count=chunk.offset + n + 1)
            start, end = off[chunk.offset : chunk.offset + n], off[chunk.offset + 1 :]
            some = end > start
            if chunk.null_count:
                some &= chunk.is_valid().to_numpy(zero_copy_only=False)
            raw = np.frombuffer(data, dtype=np.uint8)
            first[pos : pos + n][some] = raw[start[some]]
            last[pos : pos + n][some] = raw[end[some] - 1]
        pos += n
    return first, last


#: The ASCII characters Arrow's ``utf8_trim_whitespace`` removes (``utf8_is_space``).
_ASCII_SPACE = np.zeros(256, dtype=bool)
_ASCII_SPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True


def edge_space(texts) -> bool:
    """Whether some text starts or ends with whitespace, as Arrow's
    ``utf8_trim_whitespace`` sees it (Unicode spaces included): whether stripping the
    texts would change any. The edge bytes are read from the buffers; only texts with a
    multi-byte character at an edge have that character looked at.

    Examples
    --------
    >>> edge_space(["a b", None, ""]), edge_space(["a ", "b"]), edge_space(["\u3000a"])
    (False, True, True)
    >>> edge_space(["café", "🙂"])
    False
    """
    arr = arrow_strings(texts)
    first, last = _edge_bytes(arr)
    if _ASCII_SPACE[first].any() or _ASCII_SPACE[last].any():
        return True
    wide = np.flatnonzero((first >= 0x80) | (last >= 0x80))
    if not wide.size:
        return False
    sub = arr.take(pa.array(wide))
    ends = (pc.utf8_slice_codeunits(sub, 0, 1), pc.utf8_slice_codeunits(sub, -1, 2**31 - 1))
    return any(pc.any(pc.utf8_is_space(e)).as_py() for e in ends)


def regex_matches(texts, pattern: str, ignore_case: bool = False) -> np.ndarray:
    """True for each text in which the RE2 ``pattern`` is found (False where missing).

    Slices of the texts are searched on parallel threads (:func:`by_block`).

    Examples
    --------
    >>> regex_matches(["Hi", "!!", None], r"\\w").tolist()
    [True, False, False]
    """
    return _by_slices(
        texts, lambda a: pc.match_substring_regex(a, pattern, ignore_case=ignore_case), bool
    )


def regex_counts(texts, pattern: str) -> np.ndarray:
    """Non-overlapping matches of the RE2 ``pattern`` in each text (0 where missing).

    Examples
    --------
    >>> regex_counts(["a b a", None, "b"], "a").tolist()
    [2, 0, 0]
    """
    return _by_slices(texts, lambda a: pc.count_substring_regex(a, pattern), np.int64)
