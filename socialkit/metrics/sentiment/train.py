"""Train the shipped sentiment model from TweetEval's sentiment texts, deterministically.

Data: TweetEval's sentiment task (Barbieri et al. 2020, "TweetEval: Unified
Benchmark and Comparative Evaluation for Tweet Classification", Findings of
EMNLP), i.e. SemEval-2017 Task 4A (Rosenthal, Farra & Nakov 2017,
"SemEval-2017 Task 4: Sentiment Analysis in Twitter"). Its training split's
texts are not available here, so the model is **fitted on the test split**
(12,284 tweets) and **evaluated on the validation split** (2,000 tweets),
which plays no part in fitting or in choosing anything:

- the regularisation ``C`` and the negative cut-off are chosen by 5-fold
  cross-validation on the fitting split (out-of-fold probabilities; the
  cut-off maximises the negative class's F1 there);
- the model is then fitted on the whole fitting split, written as float32
  arrays, read back, and scored on the validation split through the same
  code path as :func:`socialkit.metrics.sentiment.classify`.

The same data give the same bytes: fixed seeds, one thread, sorted columns,
rounded figures in the JSON (:func:`socialkit.metrics.sentiment._model.write`).

Run ``python -m socialkit.metrics.sentiment train [DATA_DIR] [--out PATH]``
(``make train-sentiment``).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from socialkit.metrics.sentiment._features import DENSE, Features, featurize, prepare
from socialkit.metrics.sentiment._model import CLASSES, MODEL_PATH, Model, decide, read, write

__all__ = ["DEFAULT_DATA", "read_split", "train", "scores"]

#: The labelled data beside the repository (as laid out for the project's CI), or
#: ``SOCIALKIT_TWEETEVAL``.
DEFAULT_DATA = Path(
    os.environ.get(
        "SOCIALKIT_TWEETEVAL",
        Path(__file__).resolve().parents[4]
        / "shared"
        / "data"
        / "labelled"
        / "tweeteval_sentiment",
    )
)
#: Regularisation strengths tried by cross-validation.
C_GRID = (0.25, 0.5, 1.0, 2.0)
#: Word and character n-gram columns seen in fewer training texts are not kept.
MIN_DF = 2
FOLDS = 5
SEED = 0
VERSION = 1


def read_split(data_dir, split: str) -> tuple[list[str], np.ndarray]:
    """Texts and labels (0 negative, 1 neutral, 2 positive) of a TweetEval split."""
    data_dir = Path(data_dir)
    texts = (data_dir / f"{split}_text.txt").read_text("utf-8").split("\n")
    labels = np.array((data_dir / f"{split}_labels.txt").read_text().split(), dtype=np.int64)
    if len(texts) < len(labels) or set(np.unique(labels)) - {0, 1, 2}:
        raise ValueError(
            f"{data_dir}: {split}_text.txt has {len(texts)} lines for {len(labels)} labels in "
            f"{split}_labels.txt; expected one text per label, labels 0, 1 or 2."
        )
    return texts[: len(labels)], labels


def _df(m: sp.csr_matrix) -> np.ndarray:
    """Texts in which each column occurs (m's rows have distinct columns)."""
    return np.bincount(m.indices, minlength=m.shape[1])


def _vocabulary(f: Features) -> dict:
    """Kept columns and their IDF (scikit-learn's smooth IDF), dense scaling."""
    n = f.n
    out = {}
    pool = sp.csr_matrix(
        (np.ones(len(f.token_doc)), (f.token_doc, f.token_id)), shape=(n, f.grams.shape[0])
    )
    gram_docs = (pool @ f.grams).tocsr()
    for name, m in (("word", f.words), ("gram", gram_docs)):
        m = m.tocsr()
        m.sum_duplicates()
        df = _df(m)
        cols = np.flatnonzero(df >= MIN_DF)
        out[f"{name}_cols"] = cols.astype(np.int32)
        out[f"{name}_idf"] = (np.log((1.0 + n) / (1.0 + df[cols])) + 1.0).astype(np.float32)
        out[f"{name}_idf_unseen"] = round(float(np.log(1.0 + n) + 1.0), 6)
    mean = f.dense.mean(axis=0)
    scale = f.dense.std(axis=0)
    scale[scale == 0] = 1.0
    out["dense_mean"] = mean.astype(np.float32)
    out["dense_scale"] = scale.astype(np.float32)
    return out


def _empty_model(vocab: dict, meta: dict) -> Model:
    return Model(
        word_cols=vocab["word_cols"],
        word_idf=vocab["word_idf"],
        word_coef=np.zeros((len(vocab["word_cols"]), 3), np.float32),
        gram_cols=vocab["gram_cols"],
        gram_idf=vocab["gram_idf"],
        gram_coef=np.zeros((len(vocab["gram_cols"]), 3), np.float32),
        dense_mean=vocab["dense_mean"],
        dense_scale=vocab["dense_scale"],
        dense_coef=np.zeros((len(DENSE), 3), np.float32),
        intercept=np.zeros(3, np.float32),
        meta={
            **meta,
            "word_idf_unseen": vocab["word_idf_unseen"],
            "gram_idf_unseen": vocab["gram_idf_unseen"],
        },
    )


def _fit(x, y, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit(x, y)


def scores(y: np.ndarray, label: np.ndarray) -> dict:
    """Macro-averaged recall, accuracy and the negative class's precision, recall, F1.

    ``y`` and ``label`` are class numbers (0 negative, 1 neutral, 2 positive).
    """
    recall = [float(np.mean(label[y == k] == k)) for k in range(3) if (y == k).any()]
    tp = int(np.sum((y == 0) & (label == 0)))
    p = tp / max(int(np.sum(label == 0)), 1)
    r = tp / max(int(np.sum(y == 0)), 1)
    return {
        "macro_recall": round(float(np.mean(recall)), 4),
        "accuracy": round(float(np.mean(y == label)), 4),
        "negative_precision": round(p, 4),
        "negative_recall": round(r, 4),
        "negative_f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
        "n": len(y),
    }


def best_cutoff(y: np.ndarray, p_negative: np.ndarray) -> float:
    """The cut-off (a multiple of 0.01) with the best negative-class F1."""
    best = (-1.0, 0.5)
    for cut in np.round(np.arange(0.05, 0.96, 0.01), 2):
        pred = p_negative >= cut
        tp = np.sum(pred & (y == 0))
        f1 = 2 * tp / (pred.sum() + (y == 0).sum()) if pred.any() else 0.0
        if f1 > best[0] + 1e-12:
            best = (float(f1), float(cut))
    return best[1]


def _folds(y: np.ndarray, folds: int) -> list[np.ndarray]:
    from sklearn.model_selection import StratifiedKFold

    kf = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    return [test for _, test in kf.split(np.zeros(len(y)), y)]


def train(
    data_dir=DEFAULT_DATA,
    out: Path = MODEL_PATH,
    *,
    limit_texts: int | None = None,
    c_grid=C_GRID,
    folds: int = FOLDS,
    log=print,
) -> Model:
    """Fit, choose ``C`` and the cut-off by cross-validation, write and evaluate the model.

    Parameters
    ----------
    data_dir : path
        TweetEval's sentiment folder (``test_*.txt`` fit, ``val_*.txt`` evaluate).
    out : path
        The ``.npz`` to write (its ``.json`` goes beside it).
    limit_texts : int, optional
        Fit on the first this many texts only (for a quick test of the code path).
    c_grid : sequence of float
        Regularisation strengths tried.
    folds : int
        Cross-validation folds.

    Returns
    -------
    Model
        The model as read back from ``out``.
    """
    from threadpoolctl import threadpool_limits

    texts, y = read_split(data_dir, "test")
    if limit_texts:
        texts, y = texts[:limit_texts], y[:limit_texts]
    f = featurize(prepare(texts))
    meta = {
        "name": "socialkit-sentiment-en",
        "version": VERSION,
        "classes": list(CLASSES),
        "language": "en",
        "features": {
            "words": "unigrams and bigrams of lower-case tokens, negation scope marked",
            "characters": "byte 2- to 5-grams of each token, averaged over the text",
            "dense": list(DENSE),
            "hashed_columns_per_block": 2**20,
            "min_df": MIN_DF,
        },
        "citation": [
            "Rosenthal, S., Farra, N. & Nakov, P. (2017). SemEval-2017 Task 4: Sentiment "
            "Analysis in Twitter. Proc. SemEval-2017, 502-518.",
            "Barbieri, F., Camacho-Collados, J., Espinosa Anke, L. & Neves, L. (2020). "
            "TweetEval: Unified Benchmark and Comparative Evaluation for Tweet "
            "Classification. Findings of EMNLP 2020, 1644-1650.",
            "Hutto, C. J. & Gilbert, E. (2014). VADER: A Parsimonious Rule-based Model for "
            "Sentiment Analysis of Social Media Text. Proc. ICWSM-14 (the lexicon features).",
        ],
        "training": {
            "data": "TweetEval sentiment (cardiffnlp/tweeteval, datasets/sentiment)",
            "fit_split": "test",
            "fit_texts": len(y),
            "evaluation_split": "val",
            "selection": f"C and the negative cut-off by {folds}-fold stratified "
            f"cross-validation on the fit split (seed {SEED}); IDF from the whole fit split",
            "classifier": "multinomial logistic regression (scikit-learn, lbfgs)",
        },
    }
    prior = [round(float(np.mean(y == k)), 4) for k in range(3)]
    meta["class_prior"] = prior
    model = _empty_model(_vocabulary(f), meta)
    x = model.design(f)
    parts = _folds(y, folds)
    with threadpool_limits(1):
        cv = {}
        for c in c_grid:
            oof = np.zeros((len(y), 3))
            for test in parts:
                train_rows = np.setdiff1d(np.arange(len(y)), test)
                oof[test] = _fit(x[train_rows], y[train_rows], c).predict_proba(x[test])
            cut = best_cutoff(y, oof[:, 0])
            cv[c] = (oof, cut, scores(y, decide(oof, cut, prior)))
            log(f"  C={c}: cross-validated {cv[c][2]}, cut-off {cut}")
        # the best macro recall, ties to the stronger regularisation
        c_best = max(c_grid, key=lambda c: (cv[c][2]["macro_recall"], -c))
        oof, cut, cv_scores = cv[c_best]
        clf = _fit(x, y, c_best)
    k_w, k_g = len(model.word_cols), len(model.gram_cols)
    coef = clf.coef_.T.astype(np.float32)
    model.word_coef = np.ascontiguousarray(coef[:k_w])
    model.gram_coef = np.ascontiguousarray(coef[k_w : k_w + k_g])
    model.dense_coef = np.ascontiguousarray(coef[k_w + k_g :])
    model.intercept = clf.intercept_.astype(np.float32)
    model.meta["C"] = c_best
    model.meta["negative_cutoff"] = cut
    model.meta["cross_validated"] = cv_scores
    write(model, out)
    shipped = read(out)
    val_texts, val_y = read_split(data_dir, "val")
    p = shipped.proba(featurize(prepare(val_texts)))
    shipped.meta["validation"] = scores(val_y, shipped.decide(p))
    shipped.meta["validation"]["brier_negative"] = round(
        float(np.mean((p[:, 0] - (val_y == 0)) ** 2)), 4
    )
    write(shipped, out)
    log(f"  C={c_best}, cut-off {cut}; validation {shipped.meta['validation']}")
    return shipped
