"""Benchmark: the shipped sentiment model beside VADER, on texts neither was fitted on.

Two labelled sets:

- TweetEval sentiment, **validation split** (2,000 tweets; Barbieri et al. 2020,
  from SemEval-2017 Task 4A, Rosenthal, Farra & Nakov 2017), read from
  ``../shared/data/labelled/tweeteval_sentiment`` (or ``SOCIALKIT_TWEETEVAL``).
  The model was fitted on the test split and chose its settings by
  cross-validation there: the validation split played no part;
- VADER's 4,200 human-rated tweets (Hutto & Gilbert 2014,
  ``benchmarks/labels/vader_tweets_GroundTruth.txt``, MIT): negative = the
  raters' mean < 0, else not negative (only 4 are exactly 0: there is no
  neutral class, so macro recall is over negative / not negative).

For each: macro-averaged recall, accuracy and the negative class's precision,
recall and F1, for the model (its cut-off from the model file) and for VADER
at the cut-offs -0.05 (its authors') and -0.3 (socialkit's before the model;
VADER positive at >= 0.05). All texts are read as English here
(``language="en"``); the number that language detection would leave unscored
is printed apart.

Speed: :func:`socialkit.metrics.sentiment.classify` on ``BENCH_TEXTS``
(default 100,000) distinct texts made from both sets, and VADER
(:func:`~socialkit.metrics.sentiment.vader_compound`, one process) on a tenth
of them, this process pinned to one CPU core; goal >= 20,000 texts/s for
``classify``. The ratio model/VADER is the figure to compare across machines.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from socialkit.metrics.sentiment import NEGATIVE, classify, model_info, readable, vader_compound
from socialkit.metrics.sentiment.train import DEFAULT_DATA, read_split, scores

HERE = Path(__file__).parent
TEXTS = int(os.environ.get("BENCH_TEXTS", 100_000))
CLASS = {"negative": 0, "neutral": 1, "positive": 2}


def vader_tweets() -> tuple[list[str], np.ndarray]:
    """Texts and classes (0 negative, 2 not negative) of VADER's rated tweets."""
    texts, classes = [], []
    path = HERE / "labels" / "vader_tweets_GroundTruth.txt"
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3:
            texts.append(parts[2])
            classes.append(0 if float(parts[1]) < 0 else 2)
    return texts, np.array(classes)


def _line(name: str, s: dict) -> str:
    return (
        f"  {name:28} macro recall {s['macro_recall']:.3f}  accuracy {s['accuracy']:.3f}  "
        f"negative: precision {s['negative_precision']:.3f} recall {s['negative_recall']:.3f} "
        f"F1 {s['negative_f1']:.3f}"
    )


def evaluate(title: str, texts: list[str], y: np.ndarray, binary: bool) -> dict:
    """Print and return the model's and VADER's scores on one labelled set."""
    out = {}
    if binary:  # no neutral class: what is not negative counts as the other class
        y = np.where(y == 0, 0, 2)

    def fold(k):
        return np.where(k == 0, 0, 2) if binary else k

    print(f"{title}: n = {len(y):,}, {np.sum(y == 0):,} negative")
    got = classify(texts, language="en")
    k = fold(got["label"].map(CLASS).to_numpy())
    out["model"] = scores(y, k)
    print(_line(f"model (p_neg >= {model_info()['negative_cutoff']})", out["model"]))
    compound = vader_compound(texts, jobs=1)
    for cut in (-0.05, NEGATIVE):
        k = fold(np.where(compound <= cut, 0, np.where(compound >= 0.05, 2, 1)))
        out[f"vader{cut}"] = scores(y, k)
        print(_line(f"VADER (compound <= {cut})", out[f"vader{cut}"]))
    unread = int((~readable(texts)).sum())
    print(f"  language detection would leave {unread} of {len(texts):,} texts unscored")
    return out


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
    info = model_info()
    print(f"Model {info['name']} {info['version']}: {info['training']['selection']}")
    print(f"  recorded at training: cross-validated {info['cross_validated']}")
    data = DEFAULT_DATA
    texts = []
    if (data / "val_text.txt").is_file():
        val_texts, val_y = read_split(data, "val")
        evaluate("TweetEval sentiment, validation split (not fitted on)", val_texts, val_y, False)
        texts += val_texts
    else:
        print(f"TweetEval data not found at {data}: skipped")
    v_texts, v_y = vader_tweets()
    evaluate("VADER's human-rated tweets (Hutto & Gilbert 2014)", v_texts, v_y, True)
    texts += v_texts
    throughput([f"{texts[i % len(texts)]} #{i}" for i in range(TEXTS)])


if __name__ == "__main__":
    main()
