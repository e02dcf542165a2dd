"""Near-duplicate posts across platforms, at a cost that grows with the distinct texts.

A post is a *copy* when another platform of the same client has a post within
``hours`` whose TF-IDF vector (IDF computed within the client, over all its
posts) has a cosine of at least ``similarity`` with its own. Only clients with
posts on two platforms or more are read (no copy is possible otherwise). The
search works on distinct texts, not on posts:

1. **Each distinct text is tokenised once.** When the batch's texts repeat,
   they are coded once for the whole batch (the dictionary the text checks of
   the batch share, :func:`~socialkit.metrics._arrow.distinct_texts`) and each
   distinct text is tokenised once (all at once when there are at most
   ``chunk`` of them). Otherwise each run of clients dictionary-encodes its
   own texts. The tokens' columns are ranked once, rarest first, and each
   text's row of term counts is built with its columns in that order.
2. **Exact duplicates are grouped.** Each client's posts are grouped by
   their (cut) text, the *keys*; a text posted 50 times is one row, not 1,225
   pairs. Two posts of the same text are copies when their platforms differ
   and they are within the window: in the posts sorted by key, then time, the
   nearest posts of another platform are those just outside the post's run of
   one platform (one pass, no search).
3. **TF-IDF per key without hashing.** A key's features are (client, token)
   pairs, numbered by counting in an array of clients x tokens (hashed only
   when that array would be much larger than the entries), so document
   frequencies are one ``bincount``.
4. **Near-duplicates are searched among keys only**, with exact *prefix
   filtering* (the AllPairs similarity join of Bayardo, Ma and Srikant, WWW
   2007): the features are in one order (the tokens' rank, rarest first) and
   each vector keeps as its *prefix* the leading features until the norm of
   the remaining ones is below the threshold (one binary search per row in
   the running squared norms). Two unit vectors whose cosine reaches the
   threshold must share a feature of both prefixes (else their dot product is
   bounded by a suffix norm below the threshold), so the candidate pairs are
   the pairs that share a prefix feature — a sparse product of the prefix
   incidence matrix with itself. Rare words make short prefixes, so the
   candidates are few; the cosine of each candidate is then computed exactly.
   Unlike hashing (SimHash bands, MinHash LSH), this blocking misses no pair.
5. Each pair of similar keys is checked on its posts: a post is flagged when
   a post of the other key is on another platform within the window (binary
   searches in the posts of the paired keys, sorted by key, then time).

Texts are cut to ``socialkit.limits.limit("MAX_TEXT_CHARS")`` characters
before any of this (:func:`long_texts` tells which were cut), so one pasted
book cannot hold up the batch.

Cost of :func:`near_duplicate_flags` on 1,000,000 posts of 200 clients (CPU
seconds, before and after the steps above, measured in one run on a 2-core
machine shared with other work): all-distinct texts 5.5 → 3.4 (most of it now
tokenising and hashing the tokens); each text repeated 50 times in its client
(``benchmarks/bench_text_scale.py``) 1.0 → 0.32; 5,000 posts per client drawn
from a pool of 20,000 texts (4,400 distinct per client) 3.6 → 1.1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from socialkit._spare import each, threads
from socialkit.limits import limit
from socialkit.metrics._arrow import arrow_strings, distinct_texts, regex_matches
from socialkit.metrics._tokens import tokens

__all__ = ["long_texts", "cut_texts", "near_duplicate_flags"]

#: Margin kept below the threshold when choosing prefixes (float rounding is ~1e-7).
_MARGIN = 1e-3
#: Candidate pairs whose exact cosine is computed at once (bounds the sparse temporaries:
#: diagnose --all on 200 folders peaked at 630-662 MiB with 2**17, 612-616 with 2**15, and
#: the copies check took 0.81 s instead of 0.85, its slices staying in cache).
_PAIRS = 1 << 15


def long_texts(texts) -> np.ndarray:
    """True for each text longer than ``MAX_TEXT_CHARS`` (cut before similarity).

    Examples
    --------
    >>> long_texts(["short", None, "x" * 6000]).tolist()
    [False, False, True]
    """
    arr = arrow_strings(texts)
    most = limit("MAX_TEXT_CHARS")
    if _most_bytes(arr) <= most:  # a character is 1+ bytes
        return np.zeros(len(arr), dtype=bool)
    return pc.fill_null(pc.greater(pc.utf8_length(arr), most), False).to_numpy(zero_copy_only=False)


def cut_texts(texts) -> pa.Array:
    """Texts cut to their first ``MAX_TEXT_CHARS`` characters; missing → ""."""
    arr = arrow_strings(texts)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    most = limit("MAX_TEXT_CHARS")
    if _most_bytes(arr) > most:  # a character is 1+ bytes
        arr = pc.utf8_slice_codeunits(arr, 0, most)
    return pc.fill_null(arr, "")


def _most_bytes(arr) -> int:
    """The UTF-8 bytes of the longest text (read from the offsets; 0 when none)."""
    return pc.max(pc.binary_length(arr)).as_py() or 0


def near_duplicate_flags(
    texts,
    groups,
    times_ns,
    platforms,
    similarity: float = 0.9,
    hours: float = 48,
    chunk: int = 50_000,
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
        At 50,000 (was 100,000) ``diagnose --all`` on 200 folders / 1 M posts
        peaked at 591-596 MiB instead of 612-616, the check took 0.76 s instead
        of 0.81 (runs in cache) and 1 M all-distinct texts 2.70 s instead of 2.68.
        When runs are computed on parallel threads (:func:`socialkit._spare.helpers`),
        each has ``chunk`` divided by their number, so they hold the memory of one:
        1 M all-distinct texts on 2 threads, runs of 25,000: 6.09 -> 3.25 s, peak RSS
        585 -> 595 MiB (with runs of 50,000: 657 MiB).

    Returns
    -------
    ndarray of bool
    """
    groups = np.asarray(groups, dtype=np.int64)
    times_ns = np.asarray(times_ns, dtype=np.int64)
    platforms = np.asarray(platforms, dtype=np.int64)
    flags = np.zeros(groups.size, dtype=bool)
    runs = _runs(groups, platforms, chunk // threads())  # parallel runs: the memory of one
    if not runs:
        return flags
    words = _Words(arrow_strings(texts), chunk)
    window = int(hours * 3600 * 10**9)

    def run(idx):
        code, tf, has = words.of(idx)
        return _copies(
            code, tf, has, groups[idx], times_ns[idx], platforms[idx], similarity, window
        )

    for idx, found in zip(runs, each(run, runs), strict=True):  # a spare thread may join in
        flags[idx] = found
    return flags


def _runs(groups, platforms, chunk) -> list[np.ndarray]:
    """Posts of the groups on two platforms or more (only they can have copies), by
    group, in runs of whole groups of just over ``chunk`` posts."""
    if groups.size < 2:
        return []
    by_group = np.argsort(groups, kind="stable")
    g_sorted, p_sorted = groups[by_group], platforms[by_group]
    starts = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1]])
    sizes = np.diff(np.r_[starts, groups.size])
    multi = np.maximum.reduceat(p_sorted, starts) > np.minimum.reduceat(p_sorted, starts)
    by_group = by_group[np.repeat(multi, sizes)]
    ends = np.cumsum(sizes[multi])
    runs, last = [], 0
    for end in ends:
        if end - last > chunk or end == ends[-1]:  # close the run after this group once full
            runs.append(by_group[last:end])
            last = end
    return [r for r in runs if r.size >= 2]


class _Words:
    """Term counts of the texts of runs of posts, each distinct text tokenised once.

    When the texts repeat (:func:`~socialkit.metrics._arrow.distinct_texts`), posts
    are coded by their distinct text; the distinct texts are tokenised all at once
    when there are at most ``chunk`` of them, else those of each run. Otherwise the
    texts of each run are dictionary-encoded on their own.

    Parameters
    ----------
    texts : pyarrow.Array or pyarrow.ChunkedArray of str
        The texts of all the posts (uncut).
    chunk : int
        Distinct texts tokenised at once, at most (as the posts of a run).
    """

    def __init__(self, texts: pa.Array, chunk: int):
        self.texts = texts
        found = distinct_texts(texts)
        self.code = None if found is None else found[1]
        self.distinct = None if found is None else cut_texts(found[0])
        self.whole = None
        if self.distinct is not None and len(self.distinct) <= chunk:
            self.whole = _term_counts(self.distinct)

    def of(self, idx) -> tuple[np.ndarray, sp.csr_matrix, np.ndarray]:
        """(text code of each post ``idx``, term counts and has-a-word of each code)."""
        if self.code is None:
            enc = pc.dictionary_encode(cut_texts(_take(self.texts, idx)))
            return enc.indices.to_numpy(), *_term_counts(enc.dictionary)
        if self.whole is not None:
            return self.code[idx], *self.whole
        used, code = np.unique(self.code[idx], return_inverse=True)
        return code, *_term_counts(self.distinct.take(pa.array(used)))


def _take(texts, idx):
    """``texts[idx]``: a slice when ``idx`` is a range (posts sorted by group)."""
    if np.all(np.diff(idx) == 1):
        return texts.slice(int(idx[0]), idx.size)
    return texts.take(pa.array(idx))


def _term_counts(texts: pa.Array) -> tuple[sp.csr_matrix, np.ndarray]:
    """Term counts of each text (rows = texts; columns = distinct tokens, rarest first,
    so each row lists its tokens rarest first) and whether it has a word character."""
    owner, flat = tokens(texts, "w")
    enc = pc.dictionary_encode(flat)
    tok = enc.indices.to_numpy()
    ntok = len(enc.dictionary)
    rank = np.empty(ntok, dtype=np.int64)
    rank[np.argsort(np.bincount(tok, minlength=ntok), kind="stable")] = np.arange(ntok)
    indptr = np.r_[0, np.cumsum(np.bincount(owner, minlength=len(texts)))]  # owner is sorted
    x = sp.csr_matrix((np.ones(tok.size), rank[tok], indptr), shape=(len(texts), max(ntok, 1)))
    x.sum_duplicates()  # sorted columns (rarest first), repeated tokens counted
    # RE2 [\pL\pN_], as the checks' has-a-word; on ASCII, the same as having a token
    has = np.diff(x.indptr) > 0
    other = np.flatnonzero(~pc.string_is_ascii(texts).to_numpy(zero_copy_only=False))
    if other.size:
        has[other] = regex_matches(texts.take(pa.array(other)), r"[\pL\pN_]")
    return x, has


def _copies(code, tf, has, groups, times_ns, platforms, similarity, window) -> np.ndarray:
    """:func:`near_duplicate_flags` on the posts of whole groups, sorted by group, with
    their text codes and the term counts (``tf``) and has-a-word (``has``) per code."""
    n = groups.size
    new_group = np.r_[True, groups[1:] != groups[:-1]]
    docs = np.diff(np.r_[np.flatnonzero(new_group), n])  # posts of each group
    # 1. one row per distinct (group, text): the *keys*, in group order
    ntext = tf.shape[0]
    key, first = _codes((np.cumsum(new_group) - 1) * ntext + code, docs.size * ntext)
    k_text, k_group = first % ntext, first // ntext
    mult = np.bincount(key, minlength=first.size)
    # 2. TF-IDF of each key, IDF within its group over all the group's posts
    same = k_text.size == ntext and (k_text == np.arange(ntext)).all()  # texts = keys
    x, feature = _tfidf(tf if same else tf[k_text], k_group, mult, docs)
    nonzero = (np.diff(x.indptr) > 0) & has[k_text]
    # 3. pairs of distinct keys at cosine >= similarity (exact prefix filtering)
    i, j = _similar_pairs(x, feature, nonzero, similarity)
    # 4. posts: each key with its own copies, and each similar pair in both directions
    flags = _flag_repeats(key, times_ns, platforms, np.flatnonzero(nonzero & (mult >= 2)), window)
    flags |= _flag_pairs(key, times_ns, platforms, np.r_[i, j], np.r_[j, i], window)
    return flags


def _codes(values, size) -> tuple[np.ndarray, np.ndarray]:
    """Codes ``0…k-1`` of the int ``values`` (in ``[0, size)``), in the order of the
    values, and the value of each code: counted in an array of ``size`` when that is
    small, else hashed (:func:`pandas.factorize`, codes in order of appearance)."""
    if size > max(4 * values.size, 1 << 22):
        return pd.factorize(values)
    present = np.zeros(size, dtype=bool)
    present[values] = True
    return (np.cumsum(present) - 1)[values], np.flatnonzero(present)


def _tfidf(tf, k_group, mult, docs) -> tuple[sp.csr_matrix, np.ndarray]:
    """L2-normalised TF-IDF rows of the term counts ``tf``, and the group-own feature
    (group, column) of each entry; a feature's df counts each row's posts (``mult``),
    ``docs`` are the posts of each group."""
    ncol, size = tf.shape[1], np.diff(tf.indptr)
    feature, value = _codes(np.repeat(k_group, size) * ncol + tf.indices, docs.size * ncol)
    one_post = (mult == 1).all()  # df counts rows
    df = np.bincount(feature, None if one_post else np.repeat(mult, size), minlength=value.size)
    w = tf.data * (np.log((1 + docs[value // ncol]) / (1 + df)) + 1)[feature]
    norm = np.zeros(tf.shape[0])
    rows = size > 0
    norm[rows] = np.sqrt(np.add.reduceat(w * w, tf.indptr[:-1][rows]))
    with np.errstate(invalid="ignore", divide="ignore"):
        w /= np.repeat(norm, size)
    return sp.csr_matrix((w, tf.indices, tf.indptr), shape=tf.shape), feature


def _similar_pairs(x, feature, nonzero, similarity) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs ``i < j`` of ``x`` (unit rows of one group each, columns in one order,
    rarest first) with cosine >= similarity; ``feature``: group-own feature of each entry."""
    if not nonzero.any() or x.nnz == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    nrow = x.shape[0]
    first, last = x.indptr[:-1], x.indptr[1:]
    # each row's prefix: its leading entries while the rest's norm still reaches tau
    # (``ahead``: squared norm of all the entries ahead of each entry, rows one after another)
    ahead = np.r_[0.0, np.cumsum(x.data**2)]
    tau = max(similarity - _MARGIN, 0.0)
    end = np.searchsorted(ahead, ahead[first] + (1.0 - tau * tau), side="right")
    size = np.where(nonzero, np.minimum(end, last) - first, 0)
    b = sp.csr_matrix(
        (
            np.ones(size.sum(), dtype=np.float32),
            feature[_ranges(first, size)],
            np.r_[0, np.cumsum(size)],
        ),
        shape=(nrow, int(feature.max()) + 1),
    )
    shared = b @ b.T  # rows sharing a prefix feature
    i = np.repeat(np.arange(nrow), np.diff(shared.indptr))
    upper = shared.indices > i
    i, j = i[upper], shared.indices[upper].astype(np.int64)
    keep = np.zeros(i.size, dtype=bool)
    for a in range(0, i.size, _PAIRS):  # exact cosines, a bounded slice of pairs at once
        i_s, j_s = i[a : a + _PAIRS], j[a : a + _PAIRS]
        cos = np.asarray(x[i_s].multiply(x[j_s]).sum(axis=1)).ravel()
        keep[a : a + _PAIRS] = cos >= similarity - 1e-6
    return i[keep], j[keep]


def _ranges(starts, sizes) -> np.ndarray:
    """The indices ``starts[k] : starts[k] + sizes[k]`` of each k, one after another."""
    return np.repeat(starts - np.cumsum(sizes) + sizes, sizes) + np.arange(sizes.sum())


def _posts_of(key, keys) -> tuple[np.ndarray, np.ndarray]:
    """The posts whose key is one of ``keys``, and the number of each key among them."""
    on = np.zeros(key.max() + 1, dtype=bool)
    on[keys] = True
    return np.flatnonzero(on[key]), np.cumsum(on) - 1


def _flag_repeats(key, times_ns, platforms, keys, window) -> np.ndarray:
    """Flag each post of ``keys`` that has a post of the same key on another platform
    within ``window`` ns.

    In the posts sorted by key, then time, the nearest such posts before and after a
    post are the ones just outside its run of one platform: one pass, no search.
    """
    flags = np.zeros(key.size, dtype=bool)
    posts, _ = _posts_of(key, keys)
    if posts.size == 0:
        return flags
    order = posts[np.lexsort((times_ns[posts], key[posts]))]
    k, t, p = key[order], times_ns[order], platforms[order]
    new_run = np.r_[True, (p[1:] != p[:-1]) | (k[1:] != k[:-1])]
    starts = np.flatnonzero(new_run)
    run = np.cumsum(new_run) - 1
    before = np.maximum(starts[run] - 1, 0)  # the post before the run (itself for the first)
    after = np.minimum(np.r_[starts[1:], k.size][run], k.size - 1)  # the post after the run
    hit = (k[before] == k) & (p[before] != p) & (t - t[before] <= window)
    hit |= (k[after] == k) & (p[after] != p) & (t[after] - t <= window)
    flags[order[hit]] = True
    return flags


def _flag_pairs(key, times_ns, platforms, src, dst, window) -> np.ndarray:
    """Flag each post of key ``src[k]`` that has a post of key ``dst[k]`` on another
    platform within ``window`` ns (``dst`` holds the same keys as ``src``).

    Only the posts of these keys are read: binary searches in them sorted by key, then
    time.
    """
    flags = np.zeros(key.size, dtype=bool)
    posts, number = _posts_of(key, src)
    if posts.size == 0:
        return flags
    key, src, dst, n = number[key[posts]], number[src], number[dst], posts.size
    order = np.lexsort((times_ns[posts], key))
    k_s, t_s, p_s = key[order], times_ns[posts][order], platforms[posts][order]
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
    pos = _ranges(seg[src], m)
    other = np.repeat(dst, m)
    lo_r = np.searchsorted(times, t_s[pos] - window, side="left")
    hi_r = np.searchsorted(times, t_s[pos] + window, side="right")
    lo = np.searchsorted(s_key, other * span + lo_r, side="left")
    hi = np.searchsorted(s_key, other * span + hi_r, side="left")
    safe = np.minimum(lo, n - 1)
    hit = (lo < hi) & ((p_s[safe] != p_s[pos]) | (run_end[safe] < hi))
    flags[posts[order[pos[hit]]]] = True
    return flags
