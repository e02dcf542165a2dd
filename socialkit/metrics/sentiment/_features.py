"""Text preparation and features of the sentiment model, vectorised in Arrow and NumPy.

Every step runs over a whole batch of texts at once: regular expressions in
Arrow's RE2 engine, tokens as one flat Arrow array, tokens and character n-grams
hashed from their bytes in NumPy, counts as SciPy sparse matrices. There is no
Python loop over texts, so scoring keeps pace with a batch of comments.

Preparation (:func:`prepare`): a text is cut at ``MAX_TEXT_CHARS``
(:func:`socialkit.limits.limit`); links become ``http``, user mentions and the
brand's own names and handles become ``@user`` (as in TweetEval, whose mentions
were masked so); emoji, emoticons, ``!`` and ``?`` stay as tokens.

Features (:func:`featurize`):

- word unigrams and bigrams, a token inside a negation's scope marked ``_NEG``
  (from a negator — VADER's list or a word ending in n't — to the next
  punctuation mark; Das & Chen 2001, Pang, Lee & Vaithyanathan 2002), so that
  "not good" and "good" are different features and "still waiting", "again"
  are learned as bigrams and words;
- character 2- to 5-grams inside each token (padded with spaces, as
  scikit-learn's ``char_wb``), for misspellings, elongations and emoji;
- both blocks hashed into 2**20 columns, sublinear TF times IDF, L2-normalised
  per block (as scikit-learn's ``TfidfVectorizer``);
- dense lexicon features from VADER's own lexicon files (Hutto & Gilbert 2014),
  looked up per distinct token: sums and counts of positive and negative
  valence (a negated word's valence times -0.74, VADER's factor), a
  compound-like normalised sum, ``!``/``?`` counts, all-caps words and the
  persistence words "still", "again", "yet", "anymore";
- VADER's compound score with all its rules (:mod:`._vader_rules`), and its
  positive and negative parts, so the model can lean on VADER where the
  labelled tweets are too few to learn a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from socialkit.limits import limit
from socialkit.metrics._arrow import arrow_strings
from socialkit.metrics.sentiment._vader_rules import compound, lexicon

__all__ = ["BITS", "DENSE", "Features", "Prepared", "brand_pattern", "featurize", "mask", "prepare"]

#: Hashed columns per block (word n-grams, character n-grams): 2**BITS.
BITS = 20
#: Names of the dense lexicon features, in column order.
DENSE = (
    "valence_pos",
    "valence_neg",
    "words_pos",
    "words_neg",
    "compound",
    "exclamations",
    "questions",
    "all_caps",
    "persistence",
    "tokens",
    "vader",
    "vader_positive",
    "vader_negative",
)
_CHAR_N = (2, 3, 4, 5)
_CHAR_SPAN = 24  # character n-grams from the first 24 characters of a token
_URL = r"(?i)(?:https?://|www\.)\S+"
_MENTION = r"@[\pL\pN_]+"
_EMOJI = "[\\x{1F000}-\\x{1FAFF}\\x{2600}-\\x{27BF}\\x{2B00}-\\x{2BFF}]"
_JOINERS = "[\\x{FE0F}\\x{200D}\\x{1F3FB}-\\x{1F3FF}]"
_STOP = r"^[.,:;!?…]+$"
_PERSIST = ("still", "again", "yet", "anymore")


@dataclass
class Prepared:
    """Texts ready to featurize: ``tokens`` (ListArray, original case) and counts."""

    tokens: pa.ListArray
    cut: int
    """Texts longer than ``MAX_TEXT_CHARS``, scored on their first characters."""
    text: pa.Array
    """The masked texts, each emoji set apart by spaces (what VADER's rules read)."""


def brand_pattern(terms) -> str | None:
    """An RE2 pattern for the brand's names and handles as whole words (``@``/``#`` optional).

    Handles given with ``@`` match with or without it; a name of several words also
    matches written together ("Harbour Bakery", "harbourbakery"); numeric ids and
    terms shorter than 2 characters are left out.

    Examples
    --------
    >>> brand_pattern(["@AcmeHelp", "Acme Co", "115858"])
    '(?i)(^|[^\\\\pL\\\\pN_@#])[@#]?(acmehelp|acme\\\\ co|acmeco)([^\\\\pL\\\\pN_]|$)'
    """
    out = set()
    for term in terms or ():
        t = str(term).strip().lstrip("@#").lower()
        if len(t) < 2 or t.isdigit():
            continue
        out.add(t)
        if " " in t:
            out.add(t.replace(" ", ""))
    if not out:
        return None
    alts = "|".join(re.escape(t) for t in sorted(out, key=lambda t: (-len(t), t)))
    return f"(?i)(^|[^\\pL\\pN_@#])[@#]?({alts})([^\\pL\\pN_]|$)"


def mask(texts, brand_terms=()) -> tuple[pa.Array, int]:
    """Texts cut at ``MAX_TEXT_CHARS`` with links, mentions and the brand's terms masked.

    Returns
    -------
    (texts, cut) : Arrow string array (missing → ""), number of texts cut

    Examples
    --------
    >>> mask(["@AcmeHelp my order from Acme Co never came https://t.co/x"],
    ...      ["Acme Co", "@AcmeHelp"])[0].to_pylist()
    [' @user  my order from  @user  never came  http ']
    """
    arr = arrow_strings(texts)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = pc.fill_null(arr, "")
    cap = limit("MAX_TEXT_CHARS")
    cut = int(pc.sum(pc.greater(pc.utf8_length(arr), cap)).as_py() or 0)
    if cut:
        arr = pc.utf8_slice_codeunits(arr, 0, cap)
    arr = pc.replace_substring_regex(arr, _URL, " http ")
    pattern = brand_pattern(brand_terms)
    if pattern:
        for _ in range(2):  # neighbouring terms share the boundary character
            arr = pc.replace_substring_regex(arr, pattern, "\\1@user\\3")
    arr = pc.replace_substring_regex(arr, _MENTION, " @user ")
    return arr, cut


def prepare(texts, brand_terms=()) -> Prepared:
    """Cut and mask (:func:`mask`), then split ``texts`` into tokens."""
    arr, cut = mask(texts, brand_terms)
    arr = pc.replace_substring(arr, "’", "'")
    arr = pc.replace_substring_regex(arr, _JOINERS, "")
    arr = spaced = pc.replace_substring_regex(arr, f"({_EMOJI})", " \\1 ")
    arr = pc.replace_substring_regex(arr, r"([!?]+)", " \\1 ")
    arr = pc.replace_substring_regex(arr, r"([\pL\pN])([.,;:\"()…]+)(\s|$)", "\\1 \\2\\3")
    arr = pc.replace_substring_regex(arr, r"(^|\s)([\"(]+)([\pL\pN#@])", "\\1\\2 \\3")
    return Prepared(pc.utf8_split_whitespace(pc.utf8_trim_whitespace(arr)), cut, spaced)


def _bytes(strings: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(UTF-8 bytes as uint64, offsets) of a string array, without copying strings."""
    n = len(strings)
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    if strings.type != pa.large_string():
        strings = strings.cast(pa.large_string())
    _, off_buf, data_buf = strings.buffers()
    off = np.frombuffer(off_buf, dtype=np.int64, count=n + 1, offset=strings.offset * 8)
    data = np.frombuffer(data_buf, dtype=np.uint8)[off[0] : off[-1]] if data_buf else np.zeros(0)
    return data.astype(np.uint64), off - off[0]


def token_hash(strings: pa.Array) -> np.ndarray:
    """A 64-bit hash of each string (uint64), computed over all bytes at once in NumPy.

    Each byte is mixed with its position in the string (MurmurHash3's finaliser), the
    string's hash is the wrapping sum of its bytes' and its length, mixed again.

    Examples
    --------
    >>> h = token_hash(pa.array(["ab", "ba", "ab", ""]))
    >>> bool(h[0] == h[2]), bool(h[0] != h[1])
    (True, True)
    """
    data, off = _bytes(strings)
    length = np.diff(off)
    start = np.repeat(off[:-1], length)
    where = np.arange(len(data), dtype=np.uint64) - start.astype(np.uint64)
    v = _mix(data * np.uint64(0x9E3779B97F4A7C15) + where * np.uint64(0xBF58476D1CE4E5B9))
    total = np.zeros(len(length), dtype=np.uint64)
    nonempty = length > 0
    if nonempty.any():
        total[nonempty] = np.add.reduceat(v, off[:-1][nonempty])
    return _mix(total ^ (length.astype(np.uint64) * np.uint64(0x94D049BB133111EB)))


def _column(h: np.ndarray, salt: int = 0) -> np.ndarray:
    """Hashed column in 2**BITS of 64-bit hashes (int64)."""
    return (_mix(h ^ np.uint64(salt)) & np.uint64((1 << BITS) - 1)).astype(np.int64)


@lru_cache(maxsize=1)
def _negators() -> pa.Array:
    from vaderSentiment.vaderSentiment import NEGATE

    return pa.array(sorted({w.replace("’", "'") for w in NEGATE}))


def _negated(uniq_lower: pa.Array, token_id: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """For each flat token: is it a word inside a negation's scope?

    The scope runs from a negator to the next punctuation mark; the tokens' kinds
    (negator, punctuation, word) are looked up once per distinct token.
    """
    n = len(doc)
    if n == 0:
        return np.zeros(0, bool)

    def kind(flags) -> np.ndarray:
        return pc.fill_null(flags, False).to_numpy(zero_copy_only=False)[token_id]

    neg = kind(pc.or_(pc.is_in(uniq_lower, value_set=_negators()), pc.ends_with(uniq_lower, "n't")))
    stop = kind(pc.match_substring_regex(uniq_lower, _STOP))
    word = kind(pc.match_substring_regex(uniq_lower, r"\pL"))
    start = np.ones(n, dtype=bool)
    start[1:] = (doc[1:] != doc[:-1]) | stop[1:] | stop[:-1]
    first = np.maximum.accumulate(np.where(start, np.arange(n), 0))
    c = np.cumsum(neg)
    before = c - neg - (c[first] - neg[first])  # negators in the scope before each token
    return (before > 0) & ~stop & word


def _doc_matrix(doc, cols, weights, n_docs, width=1 << BITS) -> sp.csr_matrix:
    m = sp.csr_matrix(
        (weights.astype(np.float64), (doc, cols)), shape=(n_docs, width), dtype=np.float64
    )
    m.sum_duplicates()
    return m


def _mix(h: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (MurmurHash3's fmix64), so every hashed bit is well mixed."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def char_grams(uniq: pa.Array) -> sp.csr_matrix:
    """Distinct tokens × hashed UTF-8 byte 2- to 5-grams of `` token `` (counts).

    The grams are hashed from the bytes in NumPy (a polynomial hash and a 64-bit
    finaliser): no string is made per gram. Only a token's first 24 characters count.
    """
    n_tok = len(uniq)
    if n_tok == 0:
        return sp.csr_matrix((0, 1 << BITS))
    padded = pc.binary_join_element_wise(" ", pc.utf8_slice_codeunits(uniq, 0, _CHAR_SPAN), " ", "")
    data, off = _bytes(padded)
    length = np.diff(off)
    owner = np.repeat(np.arange(n_tok), length)
    end = np.repeat(off[1:], length)
    pos = np.arange(len(data))
    rows, cols = [], []
    h = np.zeros(len(data), dtype=np.uint64)
    for n in range(1, max(_CHAR_N) + 1):
        shifted = np.zeros(len(data), dtype=np.uint64)
        shifted[: len(data) - n + 1] = data[n - 1 :]
        h = h * np.uint64(0x100000001B3) + shifted + np.uint64(1)
        if n in _CHAR_N:
            ok = pos + n <= end
            rows.append(owner[ok])
            cols.append(_column(h[ok], n))
    r = np.concatenate(rows)
    return _doc_matrix(r, np.concatenate(cols), np.ones(len(r)), n_tok)


@dataclass
class Features:
    """Raw counts of a batch of texts, before TF-IDF.

    Attributes
    ----------
    words : csr_matrix
        Texts × 2**BITS hashed word unigram and bigram counts.
    grams : csr_matrix
        Distinct tokens × 2**BITS hashed character n-gram counts.
    token_doc, token_id : ndarray
        For each token of each text: its text and its row of ``grams``.
    dense : ndarray
        Texts × len(DENSE) lexicon features.
    """

    words: sp.csr_matrix
    grams: sp.csr_matrix
    token_doc: np.ndarray
    token_id: np.ndarray
    dense: np.ndarray

    @property
    def n(self) -> int:
        return self.words.shape[0]


def featurize(prep: Prepared) -> Features:
    """The :class:`Features` of prepared texts."""
    tokens = prep.tokens
    n_docs = len(tokens)
    flat = pc.list_flatten(tokens)
    doc = pc.list_parent_indices(tokens).to_numpy(zero_copy_only=False).astype(np.int64)
    keep = pc.greater(pc.utf8_length(flat), 0)
    if len(flat) and not pc.all(keep).as_py():
        flat = flat.filter(keep)
        doc = doc[keep.to_numpy(zero_copy_only=False)]
    lower = pc.utf8_lower(flat)
    h = token_hash(lower)
    token_id, first = _factorize(h)
    uniq_lower = lower.take(pa.array(first)) if len(first) else lower
    scope = _negated(uniq_lower, token_id, doc)
    # words: the lower-case token, marked inside a negation's scope; and bigrams of them
    marked = np.where(scope, _mix(h ^ np.uint64(0x5C0BE)), h)
    pairs = np.flatnonzero(doc[1:] == doc[:-1]) if len(doc) else np.zeros(0, np.int64)
    bigram = _mix(marked[pairs] * np.uint64(0x100000001B3) + marked[pairs + 1])
    words = _doc_matrix(
        np.concatenate([doc, doc[pairs]]),
        np.concatenate([_column(marked, 1), _column(bigram, 2)]),
        np.ones(len(doc) + pairs.size),
        n_docs,
    )
    # distinct tokens: their character n-grams and lexicon valence
    return Features(
        words=words,
        grams=char_grams(uniq_lower),
        token_doc=doc,
        token_id=token_id,
        dense=_dense(flat, h, uniq_lower, token_id, doc, scope, n_docs, prep.text),
    )


def _factorize(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code of each hash, position of each code's first occurrence)."""
    codes, uniques = pd.factorize(h)
    first = np.full(len(uniques), len(h), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(h)))
    return codes.astype(np.int64), first


@lru_cache(maxsize=1)
def _lexicon_hashed() -> tuple[np.ndarray, np.ndarray]:
    """VADER's lexicon as (sorted token hashes, valences)."""
    lex = lexicon()
    h = token_hash(pa.array(list(lex.index)))
    order = np.argsort(h, kind="stable")
    return h[order], lex.to_numpy()[order]


def _valence(uniq_lower: pa.Array) -> np.ndarray:
    keys, values = _lexicon_hashed()
    h = token_hash(pc.utf8_ltrim(uniq_lower, "#"))
    pos = np.minimum(np.searchsorted(keys, h), len(keys) - 1)
    return np.where(keys[pos] == h, values[pos], 0.0)


@lru_cache(maxsize=1)
def _persist_hashes() -> np.ndarray:
    return token_hash(pa.array(_PERSIST))


def _dense(flat, h, uniq_lower, token_id, doc, scope, n_docs, text) -> np.ndarray:
    v = _valence(uniq_lower)[token_id] if len(token_id) else np.zeros(0)
    v = np.where(scope, v * -0.74, v)

    def per_doc(x):
        return np.bincount(doc, weights=np.asarray(x, dtype=float), minlength=n_docs)

    vp, vn = per_doc(np.maximum(v, 0)), per_doc(np.minimum(v, 0))
    total = vp + vn
    if len(doc):
        length = pc.utf8_length(flat).to_numpy(zero_copy_only=False)
        caps = pc.fill_null(pc.utf8_is_upper(flat), False).to_numpy(zero_copy_only=False)
        caps &= length >= 2
        bang = pc.count_substring(uniq_lower, "!").to_numpy(zero_copy_only=False)[token_id]
        ask = pc.count_substring(uniq_lower, "?").to_numpy(zero_copy_only=False)[token_id]
    else:
        caps = bang = ask = np.zeros(0)
    vader = compound(text)
    return np.column_stack(
        [
            vp,
            vn,
            per_doc(v > 0),
            per_doc(v < 0),
            total / np.sqrt(total * total + 15.0),
            np.log1p(per_doc(bang)),
            np.log1p(per_doc(ask)),
            np.log1p(per_doc(caps)),
            per_doc(np.isin(h, _persist_hashes())),
            np.log1p(per_doc(np.ones(len(doc)))),
            vader,
            np.maximum(vader, 0.0),
            np.minimum(vader, 0.0),
        ]
    )
