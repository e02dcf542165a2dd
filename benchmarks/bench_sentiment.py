"""Benchmark: VADER on human-rated tweets (accuracy, F1 of "negative") and its throughput.

Data: the 4,200 tweets rated by humans in Hutto & Gilbert (2014), "VADER: A
Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text",
Proc. ICWSM-14 (file ``tweets_GroundTruth.txt``: id, mean of 20 raters'
scores on -4…+4, text). It ships inside the ``vaderSentiment`` 3.3.2 source
distribution on PyPI (MIT licence), which this script downloads with pip into
``benchmarks/.cache/`` on first use; nothing is committed.

A tweet is *negative* by the humans when its mean rating is < 0; we report
accuracy, precision, recall and F1 of the negative class for the cut-offs
-0.05 (VADER's own) and -0.3 (socialkit's default,
:data:`socialkit.metrics.sentiment.NEGATIVE`). Caveat: these tweets are the
VADER authors' own evaluation set, so the figures are likely better than on
a brand's comments.

Throughput: :func:`socialkit.metrics.sentiment.vader_compound` on
``BENCH_TEXTS`` (default 200,000) comments made from the tweets, all
distinct (worst case: no caching helps), in one process and with 2 workers;
goal ≥ 20,000 comments/s on 2 cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import numpy as np

from socialkit.metrics.sentiment import NEGATIVE, vader_compound

CACHE = Path(__file__).parent / ".cache"
TEXTS = int(os.environ.get("BENCH_TEXTS", 200_000))


def ground_truth() -> list[tuple[float, str]]:
    """(mean human rating, text) of the 4,200 tweets, downloading the sdist once."""
    target = CACHE / "tweets_GroundTruth.txt"
    if not target.is_file():
        CACHE.mkdir(exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
             ":all:", "vaderSentiment==3.3.2", "-d", str(CACHE)],
            check=True,
        )  # fmt: skip
        with tarfile.open(next(CACHE.glob("vaderSentiment-3.3.2.tar.gz"))) as sdist:
            inner = sdist.extractfile(
                "vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz"
            )
            with tarfile.open(fileobj=inner) as res:
                data = res.extractfile("hutto_ICWSM_2014/tweets_GroundTruth.txt").read()
        target.write_bytes(data)
    rows = []
    for line in target.read_text("utf-8", errors="replace").splitlines():
        parts = line.split("\t", 2)
        if len(parts) == 3:
            rows.append((float(parts[1]), parts[2]))
    return rows


def scores(truth_negative, predicted_negative) -> dict:
    tp = int(np.sum(truth_negative & predicted_negative))
    fp = int(np.sum(~truth_negative & predicted_negative))
    fn = int(np.sum(truth_negative & ~predicted_negative))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    return {
        "accuracy": float(np.mean(truth_negative == predicted_negative)),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
    }


def main() -> None:
    rows = ground_truth()
    human = np.array([r for r, _ in rows])
    texts = [t for _, t in rows]
    vader = vader_compound(texts, jobs=1)
    truth = human < 0
    print(
        f"VADER on Hutto & Gilbert (2014) human-rated tweets: n = {len(rows):,}, "
        f"{truth.sum():,} negative by the raters (mean rating < 0)"
    )
    for cut in (-0.05, NEGATIVE):
        s = scores(truth, vader <= cut)
        print(
            f"  compound <= {cut:5.2f}: accuracy {s['accuracy']:.3f}  negative class: precision "
            f"{s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}"
        )
    corr = np.corrcoef(human, vader)[0, 1]
    print(
        f"  Pearson r (compound vs mean human rating): {corr:.3f}  "
        "(published: r = 0.881, Hutto & Gilbert 2014; same tweets, VADER 2014 lexicon)"
    )

    pool = [f"{texts[i % len(texts)]} #{i}" for i in range(TEXTS)]  # all distinct
    for jobs in (1, 2):
        t = time.perf_counter()
        vader_compound(pool, jobs=jobs)
        secs = time.perf_counter() - t
        print(
            f"  throughput, {TEXTS:,} distinct comments, jobs={jobs}: {TEXTS / secs:9,.0f} /s "
            "(goal >= 20,000/s on 2 cores)"
        )


if __name__ == "__main__":
    main()
