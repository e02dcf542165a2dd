"""Reading a batch of comments on its own terms: its share of negatives and its cut-off.

A brand's comments are not tweets at large. The model's probabilities carry the
class shares of its training texts (about a third negative), while one brand's
comments may be two-thirds complaints and another's one in ten. Two steps,
both from the batch's own probabilities and no label:

- :func:`adapt` estimates the batch's share of negatives by
  expectation-maximisation and re-weights each text's probabilities to it
  (Saerens, Latinne & Decaestecker 2002, "Adjusting the outputs of a classifier
  to new a priori probabilities: a simple procedure", Neural Computation 14(1));
- :func:`f1_cutoff` sets the negative cut-off for the best expected F1 of the
  negative class under those probabilities (the plug-in rule for calibrated
  scores; Lipton, Elkan & Naryanaswamy 2014, "Optimal thresholding of
  classifiers to maximize F1 measure", ECML PKDD): the more negatives a batch
  holds, the higher the F1 it can reach and the higher its best cut-off.

How much this changes the negative class's F1 is measured at training, on the
model's out-of-fold TweetEval scores resampled to other shares of negatives
(``prior_shift`` in the model's JSON, printed by ``benchmarks/bench_sentiment.py``).
Both steps are taken only when the batch holds *more* negatives than the
training texts (:func:`read_batch`). Below that share the best-F1 rule buys
precision with recall — it reads fewer comments as complaints — and on the demo
clients, whose complaints the model scores less confidently than it should, it
halved the complaints found; a missed complaint is the failure the conversation
checks exist to catch, so the model's cross-validated operating point is the
floor. Below :data:`MIN_TEXTS` texts the estimate is too loose and nothing is
adjusted.
"""

from __future__ import annotations

import numpy as np

__all__ = ["MIN_TEXTS", "adapt", "f1_cutoff", "read_batch"]

#: Fewest scored texts for which a batch's own shares and cut-off are estimated.
MIN_TEXTS = 200
#: Estimated shares are kept within [FLOOR, 1 - FLOOR].
FLOOR = 0.01
_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def adapt(p: np.ndarray, prior, *, iterations: int = 500, tol: float = 1e-7):
    """The batch's share of negatives and its probabilities re-weighted to it.

    Negative against the rest: the EM estimate of the negative class's share
    (the other classes keep their ratio to each other). Estimating all three
    shares at once drifted further on the model's cross-validated scores (the
    neutral and positive classes are the least separable): on TweetEval's
    texts, 27 % negatives estimated for 32 % true, against 34 % by this.

    Parameters
    ----------
    p : ndarray (texts, classes)
        The model's probabilities, negative first, made under ``prior``.
    prior : sequence of float
        The class shares of the model's training texts.

    Returns
    -------
    (share, adjusted) : float, ndarray (texts, classes)

    Examples
    --------
    >>> p = np.array([[0.8, 0.1, 0.1]] * 6 + [[0.1, 0.8, 0.1]] * 2 + [[0.1, 0.1, 0.8]] * 2)
    >>> share, q = adapt(p, (1 / 3, 1 / 3, 1 / 3))
    >>> bool(share > 0.6), bool(q[0, 0] > p[0, 0])
    (True, True)
    """
    p = np.asarray(p, dtype=float)
    base = float(np.asarray(prior, dtype=float)[0])
    p0 = np.clip(p[:, 0], 1e-9, 1 - 1e-9)
    odds = p0 / (1 - p0) * (1 - base) / base  # the text's likelihood ratio
    share = base
    for _ in range(iterations):
        k = share / (1 - share)
        new = float(np.clip(np.mean(odds * k / (1 + odds * k)), FLOOR, 1 - FLOOR))
        done = abs(new - share) < tol
        share = new
        if done:
            break
    k = share / (1 - share)
    r = odds * k / (1 + odds * k)
    out = p.copy()
    out[:, 0] = r
    out[:, 1:] = p[:, 1:] * ((1 - r) / (1 - p0))[:, None]
    return share, out


def f1_cutoff(p_negative: np.ndarray) -> float:
    """The cut-off (a multiple of 0.01) with the best expected negative-class F1.

    With calibrated probabilities the expected true negatives found above a
    cut-off are the sum of their probabilities, and the expected negatives in
    all the sum of every probability: F1 ≈ 2·TP / (selected + negatives).

    Examples
    --------
    >>> f1_cutoff(np.array([0.9, 0.8, 0.7, 0.2, 0.1, 0.05]))
    0.21
    """
    p = np.sort(np.asarray(p_negative, dtype=float))[::-1]
    if not p.size:
        return 0.5
    csum = np.concatenate([[0.0], np.cumsum(p)])
    k = np.searchsorted(-p, -_GRID, side="right")  # texts at or above each cut-off
    return float(_GRID[int(np.argmax(2 * csum[k] / (k + csum[-1])))])


def read_batch(p: np.ndarray, prior, cutoff: float):
    """How a batch is read: (estimated share, probabilities, cut-off, adjusted?).

    The probabilities re-weighted to the batch's estimated share of negatives and
    the best expected-F1 cut-off when that share exceeds the training share
    ``prior[0]``; else ``p`` and the model's ``cutoff`` unchanged.

    Examples
    --------
    >>> p = np.array([[0.8, 0.1, 0.1]] * 6 + [[0.1, 0.8, 0.1]] * 4)
    >>> share, q, cut, adjusted = read_batch(p, (1 / 3, 1 / 3, 1 / 3), 0.4)
    >>> adjusted, bool(share > 0.5)
    (True, True)
    >>> read_batch(p[6:], (1 / 3, 1 / 3, 1 / 3), 0.4)[2:]
    (0.4, False)
    """
    share, q = adapt(p, prior)
    if share <= float(prior[0]):
        return share, p, float(cutoff), False
    return share, q, f1_cutoff(q[:, 0]), True
