"""VADER's compound score computed over a whole batch at once, in Arrow and NumPy.

The model uses VADER's score (Hutto & Gilbert 2014) as one of its features: the
lexicon and rules were made by people for short social-media text, so they
carry knowledge of words the labelled tweets hold too few of. The reference
implementation (``vaderSentiment``, :mod:`._vader`) walks each text in Python,
about 9,000 texts per second; this module applies the same rules to a flat
array of all tokens, with each rule a comparison of a token with its
neighbours (shifted arrays), at the speed of the model's other features:

- tokens: the text split at white space, each stripped of leading and
  trailing punctuation unless that leaves two characters or fewer (so ``:)``
  stays); an emoji is a token of its own, worth its description's valence;
- a lexicon word's valence, except for booster words and "kind" before "of";
- "no" before a lexicon word is worth 0; a word one or two after "no" is
  negated; an all-caps word in a text not all in capitals gains 0.733;
- each of the three words before it that is not itself a lexicon word:
  a booster adds ±0.293 (×1, 0.95, 0.9 by distance; ±0.733 more in capitals),
  a negation word (VADER's list or any word with "n't") multiplies by -0.74,
  "never so/this" by 1.25, "without doubt" leaves it; "kind of", "sort of",
  "just enough" before it subtract 0.293; "least" not after "at"/"very"
  negates;
- words before the first "but" count half, words after it 1.5 times;
- the sum, pushed away from zero by 0.292 per "!" (at most 4) and, for two or
  more "?", 0.18 each (0.96 from four), normalised as s / sqrt(s² + 15).

Left out: VADER's nine special idioms ("the bomb", "yeah right", ...) and the
order in which its "but" rule meets equal scores. Emoji are scored as one
token rather than as their description's words. On the 16,484 tweets the
model is fitted on, the two agree within 0.01 on most texts (see
``tests/test_sentiment.py``).
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["compound", "lexicon"]

_N_SCALAR = -0.74
_B_INCR = 0.293
_C_INCR = 0.733
_WORDS = ("no", "kind", "of", "never", "so", "this", "without", "doubt", "least", "at", "very",
          "but", "or", "nor", "sort", "just", "enough")  # fmt: skip


@lru_cache(maxsize=1)
def lexicon() -> pd.Series:
    """VADER's word valences, and each emoji's as the sum of its description's words."""
    import vaderSentiment

    folder = Path(vaderSentiment.__file__).parent
    words = {}
    for line in (folder / "vader_lexicon.txt").read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            words[parts[0]] = float(parts[1])
    emoji = {}
    for line in (folder / "emoji_utf8_lexicon.txt").read_text("utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2:
            v = sum(words.get(w, 0.0) for w in parts[1].lower().split())
            if v:
                emoji[parts[0]] = v
    return pd.Series({**emoji, **words}, dtype=float)


@lru_cache(maxsize=1)
def _tables() -> tuple[pa.Array, dict]:
    """One table of every word a rule looks up: (keys, attribute arrays).

    Each attribute array has one entry more than the keys, for a token not in the
    table: ``valence`` (lexicon, with emoji), ``lexicon`` (is a lexicon word),
    ``boost`` (a booster's ±0.293), ``negator`` and ``code`` (position in
    :data:`_WORDS`, -1 for none).
    """
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE

    lex = lexicon()
    boost = {k: v for k, v in BOOSTER_DICT.items() if " " not in k}
    keys = sorted(set(lex.index) | set(boost) | set(NEGATE) | set(_WORDS))
    where = {k: i for i, k in enumerate(keys)}
    n = len(keys) + 1
    attrs = {
        "valence": np.zeros(n),
        "lexicon": np.zeros(n, bool),
        "boost": np.zeros(n),
        "negator": np.zeros(n, bool),
        "code": np.full(n, -1, np.int64),
    }
    for word, value in lex.items():
        attrs["valence"][where[word]] = value
        attrs["lexicon"][where[word]] = True
    for word, value in boost.items():
        attrs["boost"][where[word]] = value
    for word in NEGATE:
        attrs["negator"][where[word]] = True
    for i, word in enumerate(_WORDS):
        attrs["code"][where[word]] = i
    return pa.array(keys), attrs


def _tokens(text: pa.Array) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """(tokens stripped of punctuation at both ends, tokens as split, their text)."""
    tokens = pc.utf8_split_whitespace(text)
    flat = pc.list_flatten(tokens)
    doc = pc.list_parent_indices(tokens).to_numpy(zero_copy_only=False).astype(np.int64)
    return pc.utf8_trim(flat, string.punctuation), flat, doc


def _w(name: str) -> int:
    return _WORDS.index(name)


def compound(text: pa.Array) -> np.ndarray:
    """VADER's compound score in [-1, 1] of each text (0 for a text with no lexicon word).

    Parameters
    ----------
    text : pyarrow string array
        Texts as :func:`._features.prepare` passes them: links, mentions and the
        brand's names masked, each emoji set apart by spaces, no missing values.

    Returns
    -------
    ndarray of float, one per text

    Examples
    --------
    >>> compound(pa.array(["I love it", "not good at all!!", "VERY bad", ""])).round(3).tolist()
    [0.637, -0.457, -0.673, 0.0]
    """
    n_docs = len(text)
    word, flat, doc = _tokens(text)
    if len(word) == 0:
        return np.zeros(n_docs)
    keys, t = _tables()
    lower = pc.utf8_lower(word)
    at = pc.fill_null(pc.index_in(lower, value_set=keys), len(keys))
    at = at.to_numpy(zero_copy_only=False).copy()
    # a token of two characters or fewer once stripped is read as written (":)", "<3")
    short = np.flatnonzero(pc.less_equal(pc.utf8_length(word), 2).to_numpy(zero_copy_only=False))
    if short.size:
        as_written = pc.utf8_lower(flat.take(pa.array(short)))
        got = pc.fill_null(pc.index_in(as_written, value_set=keys), len(keys))
        at[short] = got.to_numpy(zero_copy_only=False)
    in_lex, code, boost = t["lexicon"][at], t["code"][at], t["boost"][at]
    negator = t["negator"][at] | pc.match_substring(lower, "n't").to_numpy(zero_copy_only=False)
    upper = pc.fill_null(pc.utf8_is_upper(word), False).to_numpy(zero_copy_only=False)
    per_doc = np.bincount(doc, minlength=n_docs)
    caps = np.bincount(doc, weights=upper, minlength=n_docs)
    start = np.concatenate([[0], np.cumsum(per_doc)[:-1]])
    # the words a score is given to, and what their neighbours are
    a = np.flatnonzero(in_lex & (boost == 0))
    d = doc[a]
    pos, size = a - start[d], per_doc[d]
    cap_diff = ((size - caps[d]) > 0) & (caps[d] > 0)

    def near(values, k, fill):
        """``values`` of the word ``k`` before each scored word (after, if negative)."""
        ok = (pos >= k) if k > 0 else (pos - k < size)
        return np.where(ok, values[np.clip(a - k, 0, len(values) - 1)], fill)

    nxt = near(code, -1, -1)
    keep = ~((code[a] == _w("kind")) & (nxt == _w("of")))
    lex = t["valence"][at[a]]
    v = np.where((code[a] == _w("no")) & near(in_lex, -1, False), 0.0, lex)
    c1, c2, c3 = near(code, 1, -1), near(code, 2, -1), near(code, 3, -1)
    after_no = (c1 == _w("no")) | (c2 == _w("no"))
    after_no |= (c3 == _w("no")) & np.isin(c1, [_w("or"), _w("nor")])
    v = np.where(after_no, lex * _N_SCALAR, v)
    v = np.where(upper[a] & cap_diff, np.where(v > 0, v + _C_INCR, v - _C_INCR), v)
    so_this = [_w("so"), _w("this")]
    for k, scale in ((1, 1.0), (2, 0.95), (3, 0.9)):
        ok = (pos >= k) & ~near(in_lex, k, True)
        b = near(boost, k, 0.0)
        s = np.where(v < 0, -b, b)
        loud = (b != 0) & near(upper, k, False) & cap_diff
        s = np.where(loud, s + np.where(v > 0, _C_INCR, -_C_INCR), s)
        v = np.where(ok, v + s * scale, v)
        negated = near(negator, k, False)
        if k == 1:
            never = doubt = np.zeros(len(a), bool)
        elif k == 2:
            never = (c2 == _w("never")) & np.isin(c1, so_this)
            doubt = (c2 == _w("without")) & (c1 == _w("doubt"))
        else:
            never = ((c3 == _w("never")) & np.isin(c2, so_this)) | np.isin(c1, so_this)
            doubt = (c3 == _w("without")) & ((c2 == _w("doubt")) | (c1 == _w("doubt")))
        factor = np.where(never, 1.25, np.where(doubt, 1.0, np.where(negated, _N_SCALAR, 1.0)))
        v = np.where(ok, v * factor, v)
        if k == 3:  # "kind of", "sort of", "just enough" before the word
            damp = np.isin(c2 * 100 + c1, _PAIRS) | np.isin(c3 * 100 + c2, _PAIRS)
            v = np.where(ok & damp, v - _B_INCR, v)
    least = (c1 == _w("least")) & ~near(in_lex, 1, True)
    least &= (pos == 1) | ~np.isin(c2, [_w("at"), _w("very")])
    v = np.where(least, v * _N_SCALAR, v)
    # words before the first "but" count half, after it 1.5 times
    buts = np.flatnonzero(code == _w("but"))
    first = np.full(n_docs, np.iinfo(np.int64).max)
    np.minimum.at(first, doc[buts], buts - start[doc[buts]])
    fb = first[d]
    has = fb < np.iinfo(np.int64).max
    v = np.where(has & (pos < fb), v * 0.5, np.where(has & (pos > fb), v * 1.5, v))
    total = np.bincount(d, weights=np.where(keep, v, 0.0), minlength=n_docs)
    bang = np.minimum(pc.count_substring(text, "!").to_numpy(zero_copy_only=False), 4) * 0.292
    ask = pc.count_substring(text, "?").to_numpy(zero_copy_only=False).astype(float)
    ask = np.where(ask > 3, 0.96, np.where(ask > 1, ask * 0.18, 0.0))
    total = total + np.sign(total) * (bang + ask)
    return total / np.sqrt(total * total + 15.0)


_PAIRS = np.array(
    [_w(a) * 100 + _w(b) for a, b in (("kind", "of"), ("sort", "of"), ("just", "enough"))]
)
