"""Near-duplicate posts across platforms, at a cost that grows with the distinct texts.

A post is a *copy* when another platform of the same client has a post within
``hours`` whose TF-IDF vector (IDF computed within the client, over all its
posts) has a cosine of at least ``similarity`` with its own. The search works
on distinct texts, not on posts:

1. **Exact duplicates are grouped first.** Each client's posts are grouped by
   their (cut) text; a text posted 50 times is one row, not 1,225 pairs. Two
   posts of the same text are copies when their platforms differ and they are
   within the window: one sorted pass over the posts.
2. **Near-duplicates are searched among distinct texts only**, with exact
   *prefix filtering* (the AllPairs similarity join of Bayardo, Ma and Srikant,
   WWW 2007): a client's features are put in one order (rarest first) and each
   vector keeps as its *prefix* the leading features until the norm of the
   remaining ones is below the threshold. Two unit vectors whose cosine
   reaches the threshold must share a feature of both prefixes (else their dot
   product is bounded by a suffix norm below the threshold), so the candidate
   pairs are the pairs that share a prefix feature — a sparse product of the
   prefix incidence matrix with itself. Rare words make short prefixes, so the
   candidates are few; the cosine of each candidate is then computed exactly.
   Unlike hashing (SimHash bands, MinHash LSH), this blocking misses no pair.
3. Each pair of similar texts is checked on its posts: a post is flagged when
   a post of the other text is on another platform within the window (binary
   searches in the posts sorted by text, then time).

Texts are cut to ``socialkit.limits.limit("MAX_TEXT_CHARS")`` characters
before any of this (:func:`long_texts` tells which were cut), so one pasted
book cannot hold up the batch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from socialkit.limits import limit
from socialkit.metrics._arrow import arrow_strings, regex_matches
from socialkit.metrics._tokens import tokens

__all__ = ["long_texts", "cut_texts", "near_duplicate_flags"]

#: Margin kept below the threshold when choosing prefixes (float rounding is ~1e-7).
_MARGIN = 1e-3
#: Candidate pairs whose exact cosine is computed at once (bounds the sparse temporaries).
_PAIRS = 1 << 17


def long_texts(texts) -> np.ndarray:
    """True for each text longer than ``MAX_TEXT_CHARS`` (cut before similarity).

    Examples
    --------
    >>> long_texts(["short", None, "x" * 6000]).tolist()
    [False, False, True]
    """
    arr = arrow_strings(texts)
    return pc.fill_null(pc.greater(pc.utf8_length(arr), limit("MAX_TEXT_CHARS")), False).to_numpy(
        zero_copy_only=False
    )


def cut_texts(texts) -> pa.Array:
    """Texts cut to their first ``MAX_TEXT_CHARS`` characters; missing → ""."""
    arr = arrow_strings(texts)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return pc.fill_null(pc.utf8_slice_codeunits(arr, 0, limit("MAX_TEXT_CHARS")), "")


def near_duplicate_flags(
    texts,
    groups,
    times_ns,
    platforms,
    similarity: float = 0.9,
    hours: float = 48,
    chunk: int = 100_000,
) -> np.ndarray:
    """Posts with a near-identical copy on another platform of the same group.

    A pair is a copy when both posts belong to the same group (client), are on
    different platforms, were published at most ``hours`` apart, both have a
    word, and the cosine of their TF-IDF vectors is at least ``similarity``
    (term counts of lowercased word tokens; smoothed IDF
    ``ln((1 + n) / (1 + df)) + 1`` over the group's posts, as scikit-learn).
    Both posts of a pair are flagged. The search is exact (see the module
    notes): no candidate pair is left out by the blocking.

    Parameters
    ----------
    texts : Series, sequence or Arrow array of str
    groups, times_ns, platforms : arrays
        Group code, publication time (ns) and platform code per post, in any
        order (whole groups are handled together).
    similarity, hours : float
    chunk : int
        Posts handled at once: whole groups are added to a run until it has
        more than this many posts, so memory is bounded by the run. Results do
        not depend on it (IDF and pairs are per group). At 100,000 (was
        500,000) the check's extra memory on 300,000 posts of 60 clients fell
        from 290 to 130 MiB at the same speed; at 25,000 it took 1.7x as long.

    Returns
    -------
    ndarray of bool
    """
    groups = np.asarray(groups, dtype=np.int64)
    times_ns = np.asarray(times_ns, dtype=np.int64)
    platforms = np.asarray(platforms, dtype=np.int64)
    texts = cut_texts(texts)
    flags = np.zeros(groups.size, dtype=bool)
    if groups.size < 2:
        return flags
    by_group = np.argsort(groups, kind="stable")
    g_sorted = groups[by_group]
    starts = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
    cuts, last = [0], 0
    for s in starts[1:]:
        if s - last > chunk:  # close the chunk before this group once it is full
            cuts.append(int(s))
            last = s
    cuts.append(groups.size)
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        idx = by_group[a:b]
        if idx.size >= 2:
            flags[idx] = _copies(
                texts.take(pa.array(idx)), groups[idx], times_ns[idx], platforms[idx],
                similarity, hours,
            )  # fmt: skip
    return flags


def _token_counts(texts: pa.Array) -> sp.csr_matrix:
    """Term counts of each text: rows = texts, columns = distinct tokens."""
    owner, flat = tokens(texts, "w")
    enc = pc.dictionary_encode(flat)
    x = sp.csr_matrix(
        (np.ones(len(flat), dtype=np.float64), (owner, enc.indices.to_numpy())),
        shape=(len(texts), max(len(enc.dictionary), 1)),
    )
    x.sum_duplicates()
    return x


def _copies(texts, groups, times_ns, platforms, similarity, hours) -> np.ndarray:
    """:func:`near_duplicate_flags` on the posts of whole groups."""
    n = groups.size
    # 1. one row per distinct (group, text): the *keys*
    enc = pc.dictionary_encode(texts)
    text_code, distinct = enc.indices.to_numpy(), enc.dictionary
    key, first = pd.factorize(groups * (len(distinct) + 1) + text_code)
    k_text = first % (len(distinct) + 1)
    k_group = first // (len(distinct) + 1)
    mult = np.bincount(key, minlength=first.size)
    # 2. TF-IDF of each key, IDF within its group over all the group's posts
    tf = _token_counts(distinct)[k_text]
    has = regex_matches(distinct, r"[\pL\pN_]")[k_text]
    x = _tfidf(tf, k_group, mult, np.bincount(groups - groups.min()), groups.min())
    nonzero = (np.diff(x.indptr) > 0) & has
    # 3. pairs of distinct keys at cosine >= similarity (exact prefix filtering)
    i, j = _similar_pairs(x, nonzero, similarity)
    # 4. posts: each key with its own copies, and each similar pair in both directions
    self_keys = np.flatnonzero(nonzero & (mult >= 2))
    src = np.r_[self_keys, i, j]
    dst = np.r_[self_keys, j, i]
    return _flag_posts(key, times_ns, platforms, src, dst, int(hours * 3600 * 10**9), n)


def _tfidf(tf, k_group, mult, docs, g0) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows; a feature's df counts each key's posts (``mult``)."""
    rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
    col, _ = pd.factorize(k_group[rows] * tf.shape[1] + tf.indices)  # group-own features
    df = np.bincount(col, weights=mult[rows])
    idf = np.log((1 + docs[k_group[rows] - g0]) / (1 + df[col])) + 1
    w = tf.data * idf
    norm = np.sqrt(np.bincount(rows, weights=w * w, minlength=tf.shape[0]))
    with np.errstate(invalid="ignore", divide="ignore"):
        w = w / norm[rows]
    x = sp.csr_matrix((w, col, tf.indptr), shape=(tf.shape[0], max(col.max(initial=-1) + 1, 1)))
    x.sort_indices()
    return x


def _similar_pairs(x, nonzero, similarity) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs ``i < j`` of ``x`` (unit rows, group-own columns) with cosine >= similarity."""
    if not nonzero.any() or x.nnz == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    nrow, ncol = x.shape
    rows = np.repeat(np.arange(nrow), np.diff(x.indptr))
    # one order of the features: fewest keys first (short prefixes), then column
    df = np.bincount(x.indices, minlength=ncol)
    rank = np.empty(ncol, dtype=np.int64)
    rank[np.lexsort((np.arange(ncol), df))] = np.arange(ncol)
    order = np.argsort(rows * ncol + rank[x.indices], kind="stable")
    w2 = x.data[order] ** 2
    before = np.cumsum(w2) - w2  # squared norm of the row's entries ahead of each entry
    row_first = np.minimum(x.indptr[:-1], max(x.nnz - 1, 0))  # empty rows repeat 0 times
    before -= np.repeat(before[row_first], np.diff(x.indptr))
    tau = max(similarity - _MARGIN, 0.0)
    in_prefix = (1.0 - before >= tau * tau) & nonzero[rows]  # the rest still reaches tau
    pr, pcol = rows[order][in_prefix], x.indices[order][in_prefix]
    b = sp.csr_matrix((np.ones(pr.size, dtype=np.float32), (pr, pcol)), shape=(nrow, ncol))
    cand = sp.triu(b @ b.T, k=1).tocoo()
    i, j = cand.row.astype(np.int64), cand.col.astype(np.int64)
    keep = np.zeros(i.size, dtype=bool)
    for a in range(0, i.size, _PAIRS):  # exact cosines, a bounded slice of pairs at once
        i_s, j_s = i[a : a + _PAIRS], j[a : a + _PAIRS]
        cos = np.asarray(x[i_s].multiply(x[j_s]).sum(axis=1)).ravel()
        keep[a : a + _PAIRS] = cos >= similarity - 1e-6
    return i[keep], j[keep]


def _flag_posts(key, times_ns, platforms, src, dst, window, n) -> np.ndarray:
    """Flag each post of key ``src[k]`` that has a post of key ``dst[k]`` on another
    platform within ``window`` ns."""
    flags = np.zeros(n, dtype=bool)
    if src.size == 0:
        return flags
    order = np.lexsort((times_ns, key))
    k_s, t_s, p_s = key[order], times_ns[order], platforms[order]
    times = np.sort(t_s)
    times = times[np.r_[True, times[1:] != times[:-1]]]
    r_s = np.searchsorted(times, t_s)
    span = times.size + 1
    s_key = k_s * span + r_s  # sorted: key, then time rank
    seg = np.searchsorted(k_s, np.arange(key.max() + 2))
    change = np.r_[True, (p_s[1:] != p_s[:-1]) | (k_s[1:] != k_s[:-1])]
    run_starts = np.flatnonzero(change)
    run_end = np.r_[run_starts[1:], n][np.cumsum(change) - 1]  # next index of another run
    # every post of each src key, paired with its dst key
    m = seg[src + 1] - seg[src]
    pos = np.repeat(seg[src] - np.cumsum(np.r_[0, m[:-1]]), m) + np.arange(m.sum())
    other = np.repeat(dst, m)
    lo_r = np.searchsorted(times, t_s[pos] - window, side="left")
    hi_r = np.searchsorted(times, t_s[pos] + window, side="right")
    lo = np.searchsorted(s_key, other * span + lo_r, side="left")
    hi = np.searchsorted(s_key, other * span + hi_r, side="left")
    safe = np.minimum(lo, n - 1)
    hit = (lo < hi) & ((p_s[safe] != p_s[pos]) | (run_end[safe] < hi))
    flags[order[pos[hit]]] = True
    return flags
