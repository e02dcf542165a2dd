"""Input relevance: data-based sensitivity analysis (DSA) and permutation importance.

DSA (Cortez & Embrechts 2013, "Using sensitivity analysis and visualization
techniques to open black box data mining models", *Information Sciences*
225, 1-17) is the method Moro et al. (2016) used to rank their SVM's inputs.
For each input in turn, it is set to each of its observed levels (every
category; ``levels`` quantiles of a numeric input) while the other inputs
keep the values of rows sampled from the data; the model's mean response per
level is the input's response curve. An input's sensitivity is the variance
(or the range) of that curve; relevance is the sensitivity divided by the
sum over inputs, so relevances sum to 1.

Permutation importance (the rise of an error when one input is shuffled on
held-out posts) answers a different question — how much the predictions
lean on the input — and is reported beside it, not instead of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkit.models import replication as rep

__all__ = ["dsa", "svm_relevance"]

MEASURES = ("variance", "range")


def _levels(col: pd.Series, n_levels: int) -> list:
    known = col.dropna()
    if known.dtype == object or known.nunique() <= n_levels:
        return sorted(known.unique().tolist(), key=str)
    return sorted(set(np.quantile(known, np.linspace(0, 1, n_levels)).tolist()))


def dsa(
    predict,
    x: pd.DataFrame,
    *,
    n_levels: int = 7,
    n_samples: int | None = None,
    measure: str = "variance",
    seed: int = 0,
) -> tuple[pd.Series, dict]:
    """Data-based sensitivity analysis of a fitted model.

    Parameters
    ----------
    predict : callable
        ``predict(DataFrame) -> array``, the model's response on raw inputs.
    x : DataFrame
        The data (raw inputs); the baseline rows are sampled from it.
    n_levels : int
        Levels of a numeric input (its quantiles, 0 to 1); a categorical input
        or one with at most ``n_levels`` values uses all its observed values.
    n_samples : int, optional
        Rows sampled (without replacement) as the values of the other inputs;
        default: every row.
    measure : {'variance', 'range'}
        Sensitivity of a response curve: its variance (ddof 0) or max − min.
    seed : int

    Returns
    -------
    relevance : Series
        Per input, sums to 1, most relevant first.
    curves : dict
        Input → Series of the mean response per level.

    Examples
    --------
    >>> x = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [0.0, 1.0, 2.0]})
    >>> rel, _ = dsa(lambda f: 3 * f["a"] + f["b"], x)
    >>> rel.round(2).to_dict()
    {'a': 0.9, 'b': 0.1}
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {measure!r}.")
    base = x
    if n_samples is not None and n_samples < len(x):
        base = x.sample(n_samples, random_state=seed)
    curves, sens = {}, {}
    for col in x.columns:
        levels = _levels(x[col], n_levels)
        probe = pd.concat([base] * len(levels), ignore_index=True)
        probe[col] = np.repeat(np.asarray(levels), len(base))
        response = np.asarray(predict(probe), dtype=float).reshape(len(levels), len(base))
        curve = pd.Series(response.mean(axis=1), index=levels, name=col)
        curves[col] = curve
        sens[col] = float(np.var(curve)) if measure == "variance" else float(np.ptp(curve))
    total = sum(sens.values())
    rel = pd.Series({k: (v / total if total > 0 else np.nan) for k, v in sens.items()})
    return rel.sort_values(ascending=False), curves


def svm_relevance(
    data: pd.DataFrame | None = None,
    target: str = "Lifetime Post Consumers",
    *,
    tune: bool = True,
    weighting: str = "inverse",
    n_repeats: int = 5,
    measure: str = "variance",
    seed: int = 0,
) -> tuple[pd.DataFrame, dict]:
    """DSA of the MAPE-tuned SVM fitted on all posts, and its permutation importance.

    Parameters
    ----------
    data : DataFrame, optional
        :func:`~socialkit.models.replication.load_uci` output.
    target : str
    tune, weighting : see :class:`~socialkit.models.replication.MapeSVR`.
    n_repeats : int
        Shuffles per input and held-out fold (5-fold) for permutation importance.
    measure : {'variance', 'range'}
    seed : int

    Returns
    -------
    relevance : DataFrame
        Per input: ``dsa`` (relevance, sums to 1) and ``permutation`` (the
        rise of held-out MAPE when the input is shuffled, as a share of the
        positive rises), sorted by ``dsa``.
    curves : dict
        DSA response curves (mean predicted ``target`` per level).
    """
    from sklearn.model_selection import KFold
    from threadpoolctl import threadpool_limits

    data = rep.load_uci() if data is None else data
    d = rep.design(data, target)
    raw = data[rep.INPUTS + [target]].dropna()[rep.INPUTS].reset_index(drop=True)
    with threadpool_limits(limits=1):
        svm = rep.MapeSVR(d.n_onehot, tune, weighting, seed).fit(d.x, d.y)
        rel, curves = dsa(
            lambda f: svm.predict(rep.encode(f, d.levels)), raw, measure=measure, seed=seed
        )
        rng = np.random.default_rng(seed)
        rise = pd.Series(0.0, index=rep.INPUTS)
        for tr, te in KFold(5, shuffle=True, random_state=seed).split(d.x):
            model = rep.MapeSVR(d.n_onehot, tune, weighting, seed).fit(d.x[tr], d.y[tr])
            base = rep.mape(d.y[te], model.predict(d.x[te]))
            for name, cols in d.groups.items():
                for _ in range(n_repeats):
                    shuffled = d.x[te].copy()
                    shuffled[:, cols] = shuffled[rng.permutation(len(te))][:, cols]
                    rise[name] += rep.mape(d.y[te], model.predict(shuffled)) - base
    rise = rise.clip(lower=0)
    perm = rise / rise.sum() if rise.sum() > 0 else rise * np.nan
    table = pd.DataFrame({"dsa": rel, "permutation": perm.reindex(rel.index)})
    return table, curves
