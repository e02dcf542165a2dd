"""VADER's compound score, kept for comparison (``classify(..., method="vader")``).

VADER (Hutto & Gilbert 2014, "VADER: A Parsimonious Rule-based Model for
Sentiment Analysis of Social Media Text", ICWSM) is a lexicon and rules made
for short social-media text; its ``compound`` score is in [-1, 1], the range
of the canonical ``sentiment`` column. The ``vaderSentiment`` wheel carries its
lexicon, so nothing is downloaded.

A comment is *negative* when its score is at or below
:data:`NEGATIVE` (-0.3, the ``conversation.ignored_negative.negative``
threshold of the catalogue; VADER's authors use -0.05 as the boundary of
"any negative tone", we ask for a clearly negative one, so that a mildly
worded question is not counted as a complaint). ``benchmarks/bench_sentiment.py``
measures both cut-offs on the 4,200 human-rated tweets of the VADER paper
(negative = raters' mean < 0): at -0.05 accuracy 0.961, negative-class F1
0.934 (precision 0.972, recall 0.900); at -0.3 accuracy 0.917, F1 0.847
(precision 0.982, recall 0.745). The stricter cut-off trades recall for
precision: fewer comments are called complaints, and those that are, are.

VADER scores English only; other languages mostly score 0 (neutral), which
understates negativity rather than inventing it.

Speed: identical texts are scored once (comment threads repeat a lot: "thanks!",
emoji), and many distinct texts are split over a process pool. A text is cut at
``MAX_TEXT_CHARS`` first: VADER's time grows faster than a text's length (one
comment of 20,000 words took a minute).
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache

import numpy as np
import pandas as pd

from socialkit.limits import limit

__all__ = ["NEGATIVE", "vader_compound"]

#: Default cut-off for a negative comment (compound score ≤ this).
NEGATIVE = -0.3
#: Below this many distinct texts, scoring stays in this process.
_PARALLEL_FROM = 20_000


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _score_chunk(texts: list[str]) -> list[float]:
    score = _analyzer().polarity_scores
    return [score(t)["compound"] for t in texts]


def vader_compound(texts, jobs: int | None = None) -> np.ndarray:
    """VADER compound score in [-1, 1] for each text (NaN for a missing or empty text).

    Parameters
    ----------
    texts : sequence of str
    jobs : int, optional
        Worker processes for many distinct texts (default: the number of CPUs;
        1 = this process only).

    Returns
    -------
    ndarray of float

    Examples
    --------
    >>> vader_compound(["I love it", "This is awful, never again", ""]).round(2).tolist()
    [0.64, -0.46, nan]
    """
    s = pd.Series(texts, dtype=object) if not isinstance(texts, pd.Series) else texts
    s = s.astype(object).where(s.notna(), "")
    codes, uniques = pd.factorize(s)
    cap = limit("MAX_TEXT_CHARS")
    uniques = [str(u)[:cap] for u in uniques]
    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(uniques) >= _PARALLEL_FROM:
        size = -(-len(uniques) // (4 * jobs))
        chunks = [uniques[i : i + size] for i in range(0, len(uniques), size)]
        with ProcessPoolExecutor(jobs) as pool:
            scores = [x for part in pool.map(_score_chunk, chunks) for x in part]
    else:
        scores = _score_chunk(uniques)
    table = np.array(scores, dtype=float)
    table[[not u.strip() for u in uniques]] = np.nan
    out = table[codes] if len(codes) else np.zeros(0)
    return out
