"""Permutation importance of the drivers model, on the encoded features.

:func:`sklearn.inspection.permutation_importance` re-runs the whole pipeline
(column encoding, format baseline, booster) for every shuffle of every feature:
about 600 predictions per client report, most of their time spent re-encoding
columns that did not change. Here the features are encoded once and each
shuffle moves only the encoded column of the shuffled feature; the format
baseline is recomputed only when the shuffled feature feeds it. The shuffles
are scikit-learn's own (same random streams, same cumulative in-place
shuffle), so the importances are the same numbers, several times faster.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

__all__ = ["permutation_importance_mean"]

#: Raw features the format-median baseline reads (the others feed the booster only).
_BASELINE_FEATURES = ("platform", "format")


def _output_column(encoder, feature: str) -> int:
    """Position of ``feature`` in a fitted ColumnTransformer's output (one column each)."""
    for name, _, columns in encoder.transformers_:
        if name == "remainder" or feature not in list(columns):
            continue
        part = encoder.output_indices_[name]
        if part.stop - part.start != len(columns):
            raise ValueError(f"transformer {name!r} does not map one column to one column")
        return part.start + list(columns).index(feature)
    raise ValueError(f"feature {feature!r} is not encoded by the model")


def permutation_importance_mean(
    model, x: pd.DataFrame, y, n_repeats: int, random_state: int, *, learned_only: bool = False
):
    """Mean permutation importance of each column of ``x`` for a fitted
    :class:`~socialkit.models.drivers.BaselinePlusBoosting`.

    Equal to ``sklearn.inspection.permutation_importance(model, x, y,
    n_repeats=n_repeats, random_state=random_state).importances_mean`` (score:
    the model's ``score``, minus the mean absolute error).

    Parameters
    ----------
    model : BaselinePlusBoosting
        Fitted; its booster is a Pipeline of a ColumnTransformer that maps each
        feature to one column, then the regressor.
    x : DataFrame
        Features (the columns the model was fitted on).
    y : array-like
        Target.
    n_repeats : int
        Shuffles per feature.
    random_state : int
    learned_only : bool
        Keep the baseline on the posts' own platform and format while a
        feature is shuffled, so the importance is that of the learned part
        alone (what the model found beyond the baseline's medians).

    Returns
    -------
    ndarray
        One importance per column of ``x`` (the drop in score when it is shuffled).
    """
    y = np.asarray(y, dtype=float)
    encoder, regressor = model.booster_[0], model.booster_[-1]
    encoded = encoder.transform(model._fill(x))
    base = model._base(x)

    def scores(bases, blocks) -> np.ndarray:
        # one prediction for a feature's shuffles at once: the booster predicts rows
        # independently, so stacking changes no number
        boosted = regressor.predict(np.vstack(blocks)).reshape(len(blocks), -1)
        return np.array(
            [-float(np.mean(np.abs(y - (b + p)))) for b, p in zip(bases, boosted, strict=True)]
        )

    baseline = scores([base], [encoded])[0]
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max + 1)
    out = np.empty(x.shape[1])
    for j, feature in enumerate(x.columns):
        rng = check_random_state(seed)  # every feature starts from the same stream
        col = _output_column(encoder, feature)
        matrix = encoded.copy()
        raw = x[feature].copy() if feature in _BASELINE_FEATURES and not learned_only else None
        idx = np.arange(x.shape[0])
        bases, blocks = [], []
        for _ in range(n_repeats):
            rng.shuffle(idx)  # cumulative, in place, as scikit-learn does
            matrix[:, col] = matrix[idx, col]
            blocks.append(matrix.copy())
            if raw is None:
                bases.append(base)
            else:
                raw = pd.Series(raw.to_numpy()[idx], index=x.index, dtype=raw.dtype)
                bases.append(model._base(x.assign(**{feature: raw})))
        out[j] = np.mean(baseline - scores(bases, blocks))
    return out
