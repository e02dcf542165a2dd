"""Benchmark: the shipped sentiment model beside VADER, on texts it was not fitted on.

Two labelled sets, each scored two ways:

- TweetEval sentiment (Barbieri et al. 2020, from SemEval-2017 Task 4A,
  Rosenthal, Farra & Nakov 2017; ``../shared/data/labelled/tweeteval_sentiment``
  or ``SOCIALKIT_TWEETEVAL``): the **test split** (12,284 tweets, the split the
  published VADER figures 0.57 / 0.58 were measured on) by **5-fold
  cross-validation** — each tweet scored by a model fitted without its fold, at
  the model's ``C``, with the cut-off chosen on the other four folds — and the
  **validation split** (2,000 tweets, held out: it played no part in fitting
  or choosing);
- VADER's 4,200 human-rated tweets (Hutto & Gilbert 2014,
  ``benchmarks/labels/vader_tweets_GroundTruth.txt``, MIT), the model fitted
  on the others in the same cross-validation: negative = the raters' mean < 0,
  else not negative (no neutral class: macro recall over negative / not).

For each: macro-averaged recall, accuracy and the negative class's precision,
recall and F1 — the model at the training shares (its cut-off), the model
reading the set as one batch (its share of negatives estimated, the cut-off
for the best expected F1; what :func:`~socialkit.metrics.sentiment.classify`
does with 200 texts or more), and VADER at -0.05 (its authors') and -0.3
(socialkit's before the model). Then the out-of-fold TweetEval scores
resampled to other shares of negatives, as brands' comments are.

``BENCH_CV=0`` skips the cross-validation (about 4 minutes on 2 cores) and
prints the figures recorded at training instead.

Speed: :func:`socialkit.metrics.sentiment.classify` on ``BENCH_TEXTS``
(default 100,000) distinct texts made from both sets, and VADER
(:func:`~socialkit.metrics.sentiment.vader_compound`, one process) on a tenth
of them, this process pinned to one CPU core; goal >= 20,000 texts/s for
``classify``. The ratio model/VADER is the figure to compare across machines.
"""

from __future__ import annotations

import os
import time

import numpy as np

from socialkit.metrics.sentiment import NEGATIVE, classify, readable, vader_compound
from socialkit.metrics.sentiment._model import decide, load
from socialkit.metrics.sentiment._prior import read_batch
from socialkit.metrics.sentiment.train import (
    DEFAULT_DATA,
    cross_validated,
    held_out_cutoffs,
    read_split,
    read_vader_tweets,
    scores,
)

TEXTS = int(os.environ.get("BENCH_TEXTS", 100_000))
CV = os.environ.get("BENCH_CV", "1") != "0"
CLASS = {"negative": 0, "neutral": 1, "positive": 2}


def _line(name: str, s: dict) -> str:
    return (
        f"  {name:38} macro recall {s['macro_recall']:.3f}  accuracy {s['accuracy']:.3f}  "
        f"negative: precision {s['negative_precision']:.3f} recall {s['negative_recall']:.3f} "
        f"F1 {s['negative_f1']:.3f}"
    )


def _fold(k: np.ndarray, binary: bool) -> np.ndarray:
    return np.where(k == 0, 0, 2) if binary else k


def model_lines(y, p, binary, held=None) -> dict:
    """Print the model's scores from probabilities ``p``: at the training shares (the
    model's cut-off, or ``held``: per-text cut-offs chosen without the text's fold) and
    read as one batch."""
    model = load()
    y = _fold(y, binary)
    out = {}
    if held is None:
        out["fixed"] = scores(y, _fold(model.decide(p), binary))
        print(_line(f"model (p_neg >= {model.cutoff})", out["fixed"]))
    else:
        k = np.where(p[:, 0] >= held, 0, decide(p, 2.0, model.prior))
        out["fixed"] = scores(y, _fold(k, binary))
        print(_line(f"model (cut-off {held.min():.2f}-{held.max():.2f})", out["fixed"]))
    share, q, cut, adjusted = read_batch(p, model.prior, model.cutoff)
    out["adapted"] = scores(y, _fold(decide(q, cut, model.prior), binary))
    how = "read at it" if adjusted else "not above training"
    print(_line(f"model, one batch ({share:.0%} neg, {how})", out["adapted"]))
    return out


def vader_lines(texts, y, binary) -> dict:
    """Print VADER's scores at both cut-offs on the same texts."""
    y = _fold(y, binary)
    compound = vader_compound(texts, jobs=2)
    out = {}
    for cut in (-0.05, NEGATIVE):
        k = _fold(np.where(compound <= cut, 0, np.where(compound >= 0.05, 2, 1)), binary)
        out[f"vader{cut}"] = scores(y, k)
        print(_line(f"VADER (compound <= {cut})", out[f"vader{cut}"]))
    return out


def cross_validation(test_texts, test_y, v_texts, v_y) -> None:
    """The cross-validated sets and the resampled shares of negatives."""
    model = load()
    if CV:
        t = time.perf_counter()
        _, shift, (y, source, oof, parts) = cross_validated(model)
        print(f"(cross-validation re-run at C={model.meta['C']}: {time.perf_counter() - t:.0f} s)")
        held = held_out_cutoffs(y, oof[:, 0], parts)
    else:
        print("BENCH_CV=0: the figures recorded at training")
        for name, s in model.meta["cross_validated"].items():
            print(_line(name, s))
        shift = model.meta["prior_shift"]
    for title, code, texts, yy, binary in (
        ("TweetEval test split, 5-fold cross-validated", 0, test_texts, test_y, False),
        ("VADER's human-rated tweets, 5-fold cross-validated", 1, v_texts, v_y, True),
    ):
        print(f"{title}: n = {len(yy):,}, {np.sum(yy == 0):,} negative")
        if CV:
            rows = source == code
            model_lines(y[rows], oof[rows], binary, held[rows])
        vader_lines(texts, yy, binary)
    print("TweetEval test split resampled to other shares of negatives (negative F1):")
    for share, r in shift.items():
        print(
            f"  {float(share):4.0%} negative ({r['texts']:,} texts, estimated "
            f"{r['negative_share_estimated']:.0%}): training shares "
            f"{r['negative_f1_training_shares']:.3f}, read as one batch "
            f"{r['negative_f1_reweighted']:.3f}"
        )


def held_out(texts, y) -> None:
    """The validation split, fitted and chosen on nothing, through ``classify`` itself."""
    print(f"TweetEval validation split, held out: n = {len(y):,}, {np.sum(y == 0):,} negative")
    for name, adapted in (("model, training shares", False), ("model, one batch", True)):
        got = classify(texts, language="en", adapt=adapted)
        k = got["label"].map(CLASS).to_numpy()
        share, cut = got.attrs["negative_share"], got.attrs["cutoff"]
        extra = f" ({share:.0%} neg, >= {cut:.2f})" if adapted else ""
        print(_line(f"{name}{extra}", scores(y, k)))
    vader_lines(texts, y, False)
    unread = int((~readable(texts)).sum())
    print(f"  language detection would leave {unread} of {len(texts):,} texts unscored")


def throughput(pool: list[str]) -> None:
    """Texts per second of classify and of VADER on the same texts, one core."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    classify(pool[:1000])  # load the model and lexicon first
    t, c = time.perf_counter(), time.process_time()
    classify(pool)
    model_rate = len(pool) / (time.perf_counter() - t)
    model_cpu = len(pool) / (time.process_time() - c)
    part = pool[: max(len(pool) // 10, 1)]
    t, c = time.perf_counter(), time.process_time()
    vader_compound(part, jobs=1)
    vader_rate = len(part) / (time.perf_counter() - t)
    vader_cpu = len(part) / (time.process_time() - c)
    print(f"Throughput, one core, distinct texts (classify {len(pool):,}, VADER {len(part):,}):")
    print(
        f"  classify (model): {model_rate:10,.0f} texts/s wall, {model_cpu:10,.0f} per CPU "
        "second (goal >= 20,000)"
    )
    print(
        f"  VADER           : {vader_rate:10,.0f} texts/s wall, {vader_cpu:10,.0f} per CPU second"
    )
    print(
        f"  ratio model/VADER: {model_rate / vader_rate:.1f}x wall, {model_cpu / vader_cpu:.1f}x CPU"
    )


def main() -> None:
    info = load().meta
    print(f"Model {info['name']} {info['version']}, C={info['C']}: {info['training']['selection']}")
    data = DEFAULT_DATA
    texts = []
    v_texts, v_y = read_vader_tweets()
    if (data / "val_text.txt").is_file():
        test_texts, test_y = read_split(data, "test")
        cross_validation(test_texts, test_y, v_texts, v_y)
        val_texts, val_y = read_split(data, "val")
        held_out(val_texts, val_y)
        texts += val_texts
    else:
        print(f"TweetEval data not found at {data}: skipped")
    texts += v_texts
    throughput([f"{texts[i % len(texts)]} #{i}" for i in range(TEXTS)])


if __name__ == "__main__":
    main()
