"""Text columns as Arrow arrays, for hashing and regular expressions in C++."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

__all__ = ["arrow_strings"]


def arrow_strings(values) -> pa.Array:
    """``values`` (Series or sequence of str) as an Arrow string array; missing → null.

    An Arrow string array is returned as it is.

    Examples
    --------
    >>> arrow_strings(["a", None, "b"]).to_pylist()
    ['a', None, 'b']
    """
    if isinstance(values, pa.Array) and values.type == pa.string():
        return values
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    if isinstance(s.dtype, pd.StringDtype | pd.ArrowDtype):
        return pa.array(s, type=pa.string())
    return pa.array(s.astype(object).where(s.notna(), None), type=pa.string(), from_pandas=True)
