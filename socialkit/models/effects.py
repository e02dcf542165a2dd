"""Effects of the drivers model, split into the baseline's part and the learned part.

The drivers model (:class:`~socialkit.models.drivers.BaselinePlusBoosting`)
predicts a post's log engagement rate as the median of its (platform, format)
in training plus a correction learned by boosting. The partial dependence of
a feature — the average prediction when every post is given one value of it —
splits the same way, because the two parts add up:

* ``baseline_ratio``: what the per-(platform, format) medians alone say.
  Platform and format differences live here; they are *context* (what a post
  of that kind typically gets), not something the model discovered.
* ``learned_ratio``: what the boosting learned on top of those medians, as a
  ratio to the rate expected for the post's platform and format. Only this
  part can be named as a driver.
* ``ratio`` = ``baseline_ratio`` × ``learned_ratio``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from socialkit.models.features import CATEGORICAL, FEATURES

__all__ = ["effects", "context", "level_text", "MIN_LEVEL_POSTS"]

#: Fewest posts a level must have before its effect is reported.
MIN_LEVEL_POSTS = 10
COLUMNS = ["feature", "level", "n", "ratio", "baseline_ratio", "learned_ratio"]

_BINARY = {
    "paid": ("promoted posts", "organic posts"),
    "has_question": ("posts that ask a question", "posts without a question"),
    "promotional": ("hard-sell posts", "posts without a hard-sell phrase"),
    "has_link": ("posts with a link", "posts without a link"),
}


def level_text(feature: str, level) -> str:
    """Plain words for the posts at one level of a feature."""
    if feature in _BINARY:
        return _BINARY[feature][0 if float(level) == 1 else 1]
    if feature == "format":
        return f"{level} posts"
    if feature in ("platform", "weekday"):
        return f"posts on {level}"
    if feature == "hour":
        return f"posts at {level}"
    return f"posts with {feature.replace('_', ' ')} ≈ {level}"


def _levels(x: pd.DataFrame, feature: str) -> list[tuple[object, int]]:
    """Values to evaluate a feature's partial dependence at, with post counts."""
    col = x[feature]
    if feature in CATEGORICAL or feature in _BINARY:
        counts = col.value_counts(dropna=True)
        return [(v, int(c)) for v, c in counts.items() if c >= MIN_LEVEL_POSTS]
    if feature == "hour":
        blocks = (col // 3) * 3
        counts = blocks.value_counts()
        return [
            (f"{int(b):02d}–{int(b) + 3:02d} h", int(c))
            for b, c in counts.sort_index().items()
            if c >= MIN_LEVEL_POSTS
        ]
    if feature == "hour_of_week":
        return []
    known = col.dropna()
    if known.nunique() < 2:
        return []
    qs = sorted(set(np.quantile(known, [0.1, 0.5, 0.9]).round().tolist()))
    return [(q, int((known.round() == q).sum())) for q in qs]


def _probe(x: pd.DataFrame, feature: str, level) -> pd.DataFrame:
    probe = x.copy()
    if feature == "hour":
        values = np.full(len(x), int(str(level)[:2]) + 1)  # the block's middle hour
        probe["hour"] = values
        probe["hour_of_week"] = (x["hour_of_week"] // 24) * 24 + values
    else:
        probe[feature] = level
    return probe


def effects(model, x: pd.DataFrame) -> pd.DataFrame:
    """Partial-dependence ratios per feature level, split into baseline and learned parts.

    Parameters
    ----------
    model : BaselinePlusBoosting
        Fitted (exposes ``_base`` and ``booster_``).
    x : DataFrame
        The posts' features.

    Returns
    -------
    DataFrame
        ``feature``, ``level``, ``n``, ``ratio``, ``baseline_ratio``, ``learned_ratio``.
    """
    base_all = float(np.mean(model._base(x)))
    learned_all = float(np.mean(model.booster_.predict(model._fill(x))))
    rows = []
    for feature in FEATURES:
        for level, n in _levels(x, feature):
            probe = _probe(x, feature, level)
            b = float(np.mean(model._base(probe))) - base_all
            learned = float(np.mean(model.booster_.predict(model._fill(probe)))) - learned_all
            rows.append(
                {
                    "feature": feature,
                    "level": level,
                    "n": n,
                    "ratio": math.exp(b + learned),
                    "baseline_ratio": math.exp(b),
                    "learned_ratio": math.exp(learned),
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def context(x: pd.DataFrame, y, basis: dict) -> list[str]:
    """What the baseline already holds, in plain words: platform and format medians.

    Platforms are compared only with platforms whose engagement rates share
    their basis (reach with reach); the bases are named when they differ, and
    formats are compared within each platform.

    Parameters
    ----------
    x : DataFrame
        Features (``platform``, ``format``).
    y : array-like
        Log engagement rate per post.
    basis : dict
        Engagement-rate basis per platform.
    """
    rate = pd.Series(np.exp(np.asarray(y, dtype=float)), index=x.index)
    out = []
    by_platform = rate.groupby(x["platform"])
    sizes = by_platform.size()
    platforms = [p for p in sizes.index if sizes[p] >= MIN_LEVEL_POSTS]
    groups: dict = {}
    for p in platforms:
        groups.setdefault(basis.get(p, "unknown"), []).append(p)
    med = by_platform.median()
    for base, same in groups.items():
        if len(same) < 2:
            continue
        m = med[same].sort_values(ascending=False)
        top, low = m.index[0], m.index[-1]
        out.append(
            f"posts on {top} typically get {m[top] / m[low]:.2f}× the engagement rate of "
            f"posts on {low} (medians, both per {base}; the baseline expects this)"
        )
    if len(groups) > 1:
        named = ", ".join(f"{p} per {b}" for b, ps in groups.items() for p in ps)
        out.append(f"platforms on different bases are not compared with each other ({named})")
    for p in platforms:
        on = x["platform"] == p
        g = rate[on].groupby(x.loc[on, "format"])
        fmt = g.median()[g.size() >= MIN_LEVEL_POSTS].sort_values(ascending=False)
        if len(fmt) > 1 and fmt.iloc[0] / fmt.iloc[-1] >= 1.1:
            out.append(
                f"on {p}, {fmt.index[0]} posts typically get {fmt.iloc[0] / fmt.iloc[-1]:.2f}× "
                f"the rate of {fmt.index[-1]} posts (medians; the baseline expects this)"
            )
    return out
