"""Text columns as Arrow arrays, for hashing and regular expressions in C++."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["arrow_strings", "codes", "regex_matches"]

#: Threads for the Arrow kernels that release the GIL (regular expressions).
THREADS = min(4, os.cpu_count() or 1)
#: Texts per regular-expression task: large enough to hide the task overhead.
_SLICE = 1 << 18


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
    arr = arrow_strings(values)
    if isinstance(arr, pa.ChunkedArray):  # one dictionary for the whole column
        arr = arr.combine_chunks()
    return pc.dictionary_encode(arr).indices.fill_null(-1).to_numpy()


def regex_matches(texts, pattern: str, ignore_case: bool = False) -> np.ndarray:
    """True for each text in which the RE2 ``pattern`` is found (False where missing).

    Slices of the texts are searched on :data:`THREADS` parallel threads (Arrow's
    kernels release the GIL).

    Examples
    --------
    >>> regex_matches(["Hi", "!!", None], r"\\w").tolist()
    [True, False, False]
    """
    arr = arrow_strings(texts)
    n = len(arr)

    def one(lo: int) -> np.ndarray:
        hit = pc.match_substring_regex(arr.slice(lo, _SLICE), pattern, ignore_case=ignore_case)
        return hit.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)

    if n <= _SLICE:
        return one(0) if n else np.zeros(0, dtype=bool)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return np.concatenate(list(pool.map(one, range(0, n, _SLICE))))
