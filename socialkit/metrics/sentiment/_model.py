"""The shipped sentiment model: plain arrays in an ``.npz`` and its description in JSON.

The model is a multinomial logistic regression over three blocks of features
(:mod:`socialkit.metrics.sentiment._features`):

- word unigrams and bigrams: sublinear TF × IDF, each text L2-normalised;
- character n-grams: each distinct token's sublinear TF × IDF vector,
  L2-normalised, averaged over the text's tokens (so a token's contribution is
  computed once per distinct token, not once per text);
- the dense lexicon features, standardised.

Only the hashed columns seen in training are stored (sorted column numbers,
their IDF and their three class weights), as float32. The file is written
byte for byte the same by the same training (:func:`write`): arrays in a zip
with fixed dates, JSON with sorted keys and rounded floats.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from socialkit.metrics.sentiment._features import BITS, Features

__all__ = ["CLASSES", "MODEL_PATH", "Model", "decide", "load", "load_meta", "read", "write"]

#: Class order of the model's probabilities.
CLASSES = ("negative", "neutral", "positive")
#: The shipped model (arrays) and its description (JSON) beside it.
MODEL_PATH = Path(__file__).with_name("sentiment_en.npz")
_ARRAYS = (
    "word_cols",
    "word_idf",
    "word_coef",
    "gram_cols",
    "gram_idf",
    "gram_coef",
    "dense_mean",
    "dense_scale",
    "dense_coef",
    "intercept",
)


@dataclass
class Model:
    """A trained model's arrays (see the module docstring) and its description ``meta``."""

    word_cols: np.ndarray
    word_idf: np.ndarray
    word_coef: np.ndarray
    gram_cols: np.ndarray
    gram_idf: np.ndarray
    gram_coef: np.ndarray
    dense_mean: np.ndarray
    dense_scale: np.ndarray
    dense_coef: np.ndarray
    intercept: np.ndarray
    meta: dict = field(default_factory=dict)

    @property
    def cutoff(self) -> float:
        """A text is negative when its ``p_negative`` is at least this."""
        return float(self.meta["negative_cutoff"])

    @property
    def prior(self) -> tuple[float, float, float]:
        """The classes' shares in the training data (TweetEval's; used by :func:`decide`)."""
        return tuple(self.meta["class_prior"])

    def decide(self, p: np.ndarray) -> np.ndarray:
        """Class numbers of probabilities ``p`` by this model's cut-off and prior."""
        return decide(p, self.cutoff, self.prior)

    @property
    def name(self) -> str:
        """Name and version, e.g. ``socialkit-sentiment-en 1``."""
        return f"{self.meta['name']} {self.meta['version']}"

    @cached_property
    def _stored(self) -> dict:
        """Per block, each hashed column's position among the stored columns (-1: not stored)."""
        out = {}
        for which, cols in (("word", self.word_cols), ("gram", self.gram_cols)):
            at = np.full(1 << BITS, -1, dtype=np.int32)
            at[cols] = np.arange(len(cols), dtype=np.int32)
            out[which] = at
        return out

    def _block(self, counts: sp.csr_matrix, which: str) -> tuple[sp.csr_matrix, int]:
        """Rows of TF-IDF, L2-normalised, restricted to the stored columns.

        A column not stored still counts in its row's norm, at the IDF of a column
        seen in no training text.
        """
        idf = self.word_idf if which == "word" else self.gram_idf
        m = counts.tocsr()
        pos = self._stored[which][m.indices]
        seen = pos >= 0
        unseen = float(self.meta[f"{which}_idf_unseen"])
        data = (1.0 + np.log(m.data)) * np.where(seen, idf[pos], unseen)
        rows = np.repeat(np.arange(m.shape[0]), np.diff(m.indptr))
        norm = np.sqrt(np.bincount(rows, weights=data * data, minlength=m.shape[0]))
        norm[norm == 0] = 1.0
        data = data / norm[rows]
        indptr = np.zeros(m.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows[seen], minlength=m.shape[0]), out=indptr[1:])
        out = sp.csr_matrix((data[seen], pos[seen], indptr), shape=(m.shape[0], len(idf)))
        return out, len(idf)

    def design(self, f: Features) -> sp.csr_matrix:
        """The texts × stored-columns matrix the weights apply to (used in training)."""
        words, _ = self._block(f.words, "word")
        grams, _ = self._block(f.grams, "gram")
        pool = _pooling(f)
        dense = (f.dense - self.dense_mean) / self.dense_scale
        return sp.hstack([words, pool @ grams, sp.csr_matrix(dense)], format="csr")

    def logits(self, f: Features) -> np.ndarray:
        """Texts × 3 decision values, the character block once per distinct token."""
        words, _ = self._block(f.words, "word")
        out = words @ self.word_coef.astype(np.float64)
        grams, _ = self._block(f.grams, "gram")
        per_token = grams @ self.gram_coef.astype(np.float64)
        n_tok = np.bincount(f.token_doc, minlength=f.n).astype(float)
        n_tok[n_tok == 0] = 1.0
        for c in range(3):
            out[:, c] += (
                np.bincount(f.token_doc, weights=per_token[f.token_id, c], minlength=f.n) / n_tok
            )
        dense = (f.dense - self.dense_mean) / self.dense_scale
        return out + dense @ self.dense_coef.astype(np.float64) + self.intercept

    def proba(self, f: Features) -> np.ndarray:
        """Texts × 3 class probabilities (softmax of :meth:`logits`)."""
        z = self.logits(f)
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def decide(p: np.ndarray, cutoff: float, prior=(1.0, 1.0, 1.0)) -> np.ndarray:
    """Class numbers from probabilities.

    Negative at ``p_negative`` ≥ ``cutoff``; otherwise positive or neutral, whichever
    has the larger probability relative to its share ``prior`` in the training data
    (the decision that maximises the expected macro-averaged recall: a class rare in
    training is not out-voted by its prior alone).

    Examples
    --------
    >>> decide(np.array([[0.5, 0.4, 0.1], [0.2, 0.5, 0.3]]), 0.45).tolist()
    [0, 1]
    >>> decide(np.array([[0.2, 0.5, 0.3]]), 0.45, prior=(0.3, 0.5, 0.2)).tolist()
    [2]
    """
    pr = np.asarray(prior, dtype=float)
    return np.where(p[:, 0] >= cutoff, 0, np.where(p[:, 2] / pr[2] > p[:, 1] / pr[1], 2, 1))


def _pooling(f: Features) -> sp.csr_matrix:
    """Texts × distinct tokens: each token's share of its text's tokens."""
    n_tok = np.bincount(f.token_doc, minlength=f.n).astype(float)
    w = 1.0 / n_tok[f.token_doc] if len(f.token_doc) else np.zeros(0)
    n_u = f.grams.shape[0]
    m = sp.csr_matrix((w, (f.token_doc, f.token_id)), shape=(f.n, n_u))
    m.sum_duplicates()
    return m


def _npy(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.ascontiguousarray(a), allow_pickle=False)
    return buf.getvalue()


def write(model: Model, path: Path) -> None:
    """Write ``model`` to ``path`` (.npz) and ``path`` with .json: same model, same bytes."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in _ARRAYS:
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, _npy(getattr(model, name)), compresslevel=9)
    text = json.dumps(model.meta, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    path.with_suffix(".json").write_text(text, encoding="utf-8")


def _read_meta(path: Path) -> dict:
    return json.loads(Path(path).with_suffix(".json").read_text(encoding="utf-8"))


def read(path: Path) -> Model:
    """The model at ``path`` (.npz beside its .json)."""
    path = Path(path)
    meta = _read_meta(path)
    with np.load(path, allow_pickle=False) as z:
        arrays = {name: z[name] for name in _ARRAYS}
    return Model(**arrays, meta=meta)


@lru_cache(maxsize=4)
def load(path: str | None = None) -> Model:
    """The shipped model (or the one at ``path``), read once per process."""
    return read(Path(path) if path else MODEL_PATH)


@lru_cache(maxsize=4)
def load_meta(path: str | None = None) -> dict:
    """The description of the shipped model (or the one at ``path``): its .json only,
    without inflating its arrays (10-15 ms) when no text is to be scored. Do not change
    the dict: it is read once per process."""
    return _read_meta(Path(path) if path else MODEL_PATH)
