"""Train the shipped sentiment model from labelled tweets, deterministically.

Data:

- TweetEval's sentiment task (Barbieri et al. 2020, "TweetEval: Unified
  Benchmark and Comparative Evaluation for Tweet Classification", Findings of
  EMNLP), i.e. SemEval-2017 Task 4A (Rosenthal, Farra & Nakov 2017). Its
  training split's texts are not available here, so the model is **fitted on
  the test split** (12,284 tweets, negative / neutral / positive); the
  **validation split** (2,000 tweets, half the test split's share of
  negatives) is held out: it plays no part in fitting or choosing anything;
- VADER's 4,200 human-rated tweets (Hutto & Gilbert 2014, MIT; in
  ``benchmarks/labels``): negative where the raters' mean is below 0,
  positive above 0 (4 at exactly 0: neutral). They teach the model the
  plain, emphatic sentiment that VADER's lexicon was built on.

Selection and the figures written in the model file:

- the regularisation ``C`` by 5-fold cross-validation over both sets (folds
  stratified by set and class): the smallest ``C`` whose TweetEval
  macro-averaged recall is within one standard error of the best;
- the negative cut-off for the best negative-class F1 over both sets'
  out-of-fold probabilities;
- ``cross_validated``: each text scored by the model fitted without its
  fold, with the cut-off chosen on the other four folds (so no text's label
  chose its own cut-off), per set; the choice of ``C`` among
  :data:`C_GRID` is the one selection these figures share;
- the model is then fitted on both sets whole, written as float32 arrays,
  read back, and scored on the held-out validation split through
  :func:`socialkit.metrics.sentiment.classify`: with the fixed cut-off and
  with the batch's own share of negatives (:mod:`._prior`).

The same data give the same bytes: fixed seeds, one thread per fit, sorted
columns, rounded figures in the JSON (:func:`socialkit.metrics.sentiment._model.write`).

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

__all__ = [
    "DEFAULT_DATA",
    "VADER_TWEETS",
    "cross_validate",
    "cross_validated",
    "fit_data",
    "read_split",
    "read_vader_tweets",
    "scores",
    "train",
]


def _data_path(variable: str, *parts: str, up: int) -> Path:
    """``$variable``, else ``parts`` under the folder ``up`` levels above this file."""
    return Path(os.environ.get(variable, Path(__file__).resolve().parents[up].joinpath(*parts)))


#: The labelled data beside the repository (as laid out for the project's CI), or
#: ``SOCIALKIT_TWEETEVAL``.
DEFAULT_DATA = _data_path(
    "SOCIALKIT_TWEETEVAL", "shared", "data", "labelled", "tweeteval_sentiment", up=4
)
#: VADER's human-rated tweets, in the repository (``SOCIALKIT_VADER_TWEETS``).
VADER_TWEETS = _data_path(
    "SOCIALKIT_VADER_TWEETS", "benchmarks", "labels", "vader_tweets_GroundTruth.txt", up=3
)
#: Weight of each of VADER's rated tweets in the fit, a TweetEval tweet's being 1.
VADER_WEIGHT = 1.0
#: Regularisation strengths tried by cross-validation.
C_GRID = (2.0, 4.0, 8.0)
#: Word and character n-gram columns seen in fewer training texts are not kept.
MIN_DF = 2
FOLDS = 5
#: Shares of negatives the cross-validated scores are resampled to (:func:`prior_shift`).
SHIFTS = (0.1, 0.32, 0.5, 0.65, 0.8)
SEED = 0
VERSION = 3


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


def read_vader_tweets(path=VADER_TWEETS) -> tuple[list[str], np.ndarray]:
    """Texts and classes (0 mean rating < 0, 2 > 0, 1 exactly 0) of VADER's rated tweets.

    The file has one tweet per line: id, the raters' mean in [-4, 4], the text,
    tab-separated.
    """
    texts, classes = [], []
    for line in Path(path).read_text("utf-8").splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3:
            mean = float(parts[1])
            texts.append(parts[2])
            classes.append(0 if mean < 0 else 2 if mean > 0 else 1)
    return texts, np.array(classes, dtype=np.int64)


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


def _fit(x, y, c: float, weight=None):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=2000, random_state=SEED).fit(x, y, sample_weight=weight)


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


def _folds(strata: np.ndarray, folds: int) -> list[np.ndarray]:
    from sklearn.model_selection import StratifiedKFold

    kf = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    return [test for _, test in kf.split(np.zeros(len(strata)), strata)]


def _fold_fit(x, y, c, weight, test):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        rows = np.setdiff1d(np.arange(len(y)), test)
        return _fit(x[rows], y[rows], c, weight[rows]).predict_proba(x[test])


def cross_validate(x, y, c: float, parts, jobs: int = 1, weight=None) -> np.ndarray:
    """Out-of-fold probabilities: each fold scored by the model fitted on the others.

    The fits run in ``jobs`` processes (one thread each); the result does not
    depend on ``jobs``.
    """
    from joblib import Parallel, delayed

    weight = np.ones(len(y)) if weight is None else weight
    got = Parallel(n_jobs=jobs)(delayed(_fold_fit)(x, y, c, weight, test) for test in parts)
    oof = np.zeros((len(y), 3))
    for test, p in zip(parts, got, strict=True):
        oof[test] = p
    return oof


def held_out_cutoffs(y: np.ndarray, p_negative: np.ndarray, parts) -> np.ndarray:
    """Per text, the best-F1 cut-off chosen on the other folds' out-of-fold scores."""
    cut = np.zeros(len(y))
    for test in parts:
        rest = np.setdiff1d(np.arange(len(y)), test)
        cut[test] = best_cutoff(y[rest], p_negative[rest])
    return cut


def _source_scores(y, oof, prior, source, parts) -> dict:
    """Cross-validated scores per labelled set (fixed cut-off and held-out cut-offs)."""
    held = held_out_cutoffs(y, oof[:, 0], parts)
    label = decide(oof, 2.0, prior)  # neutral or positive by the relative rule
    out = {}
    for name, code in (("tweeteval_test", 0), ("vader_tweets", 1)):
        rows = source == code
        if not rows.any():
            continue
        k = np.where(oof[rows, 0] >= held[rows], 0, label[rows])
        yy = y[rows]
        if code == 1:  # rated tweets: negative against the rest
            k, yy = np.where(k == 0, 0, 2), np.where(yy == 0, 0, 2)
        out[name] = scores(yy, k)
        out[name]["cutoff_range"] = [float(held[rows].min()), float(held[rows].max())]
    return out


def fit_data(data_dir=DEFAULT_DATA, vader_tweets=VADER_TWEETS, limit_texts=None):
    """The fit data's features, classes and set (0 TweetEval test split, 1 VADER's tweets)."""
    texts, y = read_split(data_dir, "test")
    extra, extra_y = read_vader_tweets(vader_tweets) if vader_tweets else ([], np.zeros(0, int))
    if limit_texts:
        texts, y = texts[:limit_texts], y[:limit_texts]
        extra, extra_y = extra[:limit_texts], extra_y[:limit_texts]
    source = np.repeat([0, 1], [len(texts), len(extra)])
    texts, y = texts + extra, np.concatenate([y, extra_y]).astype(np.int64)
    return featurize(prepare(texts)), y, source


def _one_standard_error(cv: dict, y: np.ndarray) -> float:
    """The smallest ``C`` whose macro recall is within one standard error of the best
    (the one-standard-error rule; Hastie, Tibshirani & Friedman 2009, section 7.10).

    ``cv`` maps ``C`` to (out-of-fold probabilities, cut-off, scores, labels), ``y`` the
    classes the labels are for. The standard error of a macro-averaged recall over
    classes of n_k texts with recalls r_k is sqrt(sum r_k (1 - r_k) / n_k) / 3.
    """
    best = max(cv, key=lambda c: cv[c][2]["macro_recall"])
    label = cv[best][3]
    r = np.array([np.mean(label[y == k] == k) for k in range(3)])
    n = np.bincount(y, minlength=3)
    se = float(np.sqrt(np.sum(r * (1 - r) / np.maximum(n, 1))) / 3)
    bar = cv[best][2]["macro_recall"] - se
    return min(c for c in cv if cv[c][2]["macro_recall"] >= bar)


def _weights(source: np.ndarray, vader_weight: float) -> np.ndarray:
    return np.where(source == 1, float(vader_weight), 1.0)


def cross_validated(
    model: Model, data_dir=DEFAULT_DATA, vader_tweets=VADER_TWEETS, *, folds=FOLDS, jobs=2
) -> tuple[dict, dict, tuple]:
    """Re-run the shipped model's cross-validation (its ``C``, folds and IDF rule).

    Returns
    -------
    (per_set, prior_shift, (y, source, oof, parts)) : the scores per labelled set,
    the resampled shares (:func:`prior_shift`), the out-of-fold probabilities
    and the folds.
    """
    f, y, source = fit_data(data_dir, vader_tweets)
    fresh = _empty_model(_vocabulary(f), dict(model.meta))
    x = fresh.design(f)
    parts = _folds(source * 3 + y, folds)
    weight = _weights(source, model.meta["training"].get("vader_weight", 1.0))
    oof = cross_validate(x, y, float(model.meta["C"]), parts, jobs, weight)
    per_set = _source_scores(y, oof, model.prior, source, parts)
    tweeteval = source == 0
    return per_set, prior_shift(y[tweeteval], oof[tweeteval], model), (y, source, oof, parts)


def train(
    data_dir=DEFAULT_DATA,
    out: Path = MODEL_PATH,
    *,
    vader_tweets=VADER_TWEETS,
    limit_texts: int | None = None,
    c_grid=C_GRID,
    folds: int = FOLDS,
    jobs: int = 2,
    log=print,
) -> Model:
    """Fit, choose ``C`` and the cut-off by cross-validation, write and evaluate the model.

    Parameters
    ----------
    data_dir : path
        TweetEval's sentiment folder (``test_*.txt`` fit, ``val_*.txt`` held out).
    out : path
        The ``.npz`` to write (its ``.json`` goes beside it).
    vader_tweets : path or None
        VADER's rated tweets (fitted on beside TweetEval); None leaves them out.
    limit_texts : int, optional
        Fit on the first this many texts of each set only (a quick test of the code path).
    c_grid : sequence of float
        Regularisation strengths tried.
    folds : int
        Cross-validation folds.
    jobs : int
        Processes for the cross-validation's fits (same result for any number).

    Returns
    -------
    Model
        The model as read back from ``out``.
    """
    from threadpoolctl import threadpool_limits

    f, y, source = fit_data(data_dir, vader_tweets, limit_texts)
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
            "Sentiment Analysis of Social Media Text. Proc. ICWSM-14 (the lexicon features "
            "and the 4,200 rated tweets).",
        ],
        "training": {
            "data": "TweetEval sentiment (cardiffnlp/tweeteval, datasets/sentiment), test "
            "split; VADER's rated tweets (hutto_ICWSM_2014/tweets_GroundTruth.txt), "
            "negative below a mean rating of 0, positive above",
            "fit_split": "test",
            "fit_texts": int(source.size),
            "fit_texts_tweeteval": int(np.sum(source == 0)),
            "fit_texts_vader_tweets": int(np.sum(source == 1)),
            "vader_weight": VADER_WEIGHT,
            "evaluation_split": "val",
            "selection": f"C by {folds}-fold cross-validation over both sets (stratified by "
            f"set and class, seed {SEED}; the smallest C within one standard error of the "
            "best TweetEval macro recall) and the negative "
            "cut-off for the best negative F1 over their out-of-fold scores; IDF from the "
            "whole fit data",
            "classifier": "multinomial logistic regression (scikit-learn, lbfgs)",
        },
    }
    weight = _weights(source, VADER_WEIGHT)
    # the class shares that weigh neutral against positive (and anchor a batch's share of
    # negatives) are TweetEval's, the one set labelled with a neutral class: VADER's tweets
    # were rated on a scale without one
    prior = [round(float(np.mean(y[source == 0] == k)), 4) for k in range(3)]
    meta["class_prior"] = prior
    model = _empty_model(_vocabulary(f), meta)
    x = model.design(f)
    parts = _folds(source * 3 + y, folds)
    tweeteval = source == 0
    cv = {}
    for c in c_grid:
        oof = cross_validate(x, y, c, parts, jobs, weight)
        cut = best_cutoff(y, oof[:, 0])
        k = decide(oof[tweeteval], cut, prior)
        cv[c] = (oof, cut, scores(y[tweeteval], k), k)
        log(f"  C={c}: TweetEval out-of-fold {cv[c][2]}, cut-off {cut}")
    c_best = _one_standard_error(cv, y[tweeteval])
    log(f"  C={c_best}: the strongest regularisation within one standard error of the best")
    oof, cut = cv[c_best][:2]
    with threadpool_limits(1):
        clf = _fit(x, y, c_best, weight)
    k_w, k_g = len(model.word_cols), len(model.gram_cols)
    coef = clf.coef_.T.astype(np.float32)
    model.word_coef = np.ascontiguousarray(coef[:k_w])
    model.gram_coef = np.ascontiguousarray(coef[k_w : k_w + k_g])
    model.dense_coef = np.ascontiguousarray(coef[k_w + k_g :])
    model.intercept = clf.intercept_.astype(np.float32)
    model.meta["C"] = c_best
    model.meta["negative_cutoff"] = cut
    model.meta["cross_validated"] = _source_scores(y, oof, prior, source, parts)
    write(model, out)
    shipped = read(out)
    shipped.meta["validation"] = validation_scores(shipped, data_dir)
    shipped.meta["prior_shift"] = prior_shift(y[tweeteval], oof[tweeteval], shipped)
    write(shipped, out)
    log(f"  C={c_best}, cut-off {cut}; cross-validated {shipped.meta['cross_validated']}")
    log(f"  held-out validation split: {shipped.meta['validation']}")
    log(f"  TweetEval resampled to other shares of negatives: {shipped.meta['prior_shift']}")
    return shipped


def _adapted(p: np.ndarray, model: Model) -> tuple[float, np.ndarray]:
    """A batch's estimated share of negatives and its labels, as ``classify`` gives them."""
    from socialkit.metrics.sentiment._prior import read_batch

    share, q, cut, _ = read_batch(p, model.prior, model.cutoff)
    return share, decide(q, cut, model.prior)


def validation_scores(model: Model, data_dir) -> dict:
    """The model's scores on the held-out validation split, through ``classify``'s path:
    ``fixed`` (read at the training shares) and ``adapted`` (the split read as one
    batch, at its estimated share of negatives)."""
    texts, y = read_split(data_dir, "val")
    p = model.proba(featurize(prepare(texts)))
    share, label = _adapted(p, model)
    out = {"fixed": scores(y, model.decide(p)), "adapted": scores(y, label)}
    out["adapted"]["negative_share_estimated"] = round(share, 4)
    out["brier_negative"] = round(float(np.mean((p[:, 0] - (y == 0)) ** 2)), 4)
    return out


def prior_shift(y: np.ndarray, oof: np.ndarray, model: Model, shares=SHIFTS) -> dict:
    """Negative F1 at the training shares and re-weighted, out-of-fold TweetEval scores
    resampled (without replacement, seed 0) to each share of negatives."""
    rng = np.random.default_rng(SEED)
    neg, rest = np.flatnonzero(y == 0), np.flatnonzero(y != 0)
    out = {}
    for share in shares:
        n_neg = min(len(neg), int(len(rest) * share / (1 - share)))
        n_rest = min(len(rest), int(n_neg * (1 - share) / share))
        rows = np.concatenate(
            [rng.choice(neg, n_neg, replace=False), rng.choice(rest, n_rest, replace=False)]
        )
        est, label = _adapted(oof[rows], model)
        out[f"{share:.2f}"] = {
            "texts": int(rows.size),
            "negative_share_estimated": round(est, 4),
            "negative_f1_training_shares": scores(y[rows], model.decide(oof[rows]))["negative_f1"],
            "negative_f1_reweighted": scores(y[rows], label)["negative_f1"],
        }
    return out
