"""What drives a client's engagement: a model with honest, time-aware validation.

The question an analyst asks is "what should we post more of?". This module
answers it only as far as the data allow:

1. **Features known before posting** (:mod:`socialkit.models.features`):
   format, platform, weekday, hour, paid, text length, question, hard-sell
   phrase, link, hashtags, mentions. Target: log engagement rate.
2. **Model** (:class:`BaselinePlusBoosting`): the baseline of step 4 plus
   corrections learned by a scikit-learn ``Pipeline`` — ``ColumnTransformer``
   (ordinal codes for the categories, unseen or missing → missing) feeding a
   ``HistGradientBoostingRegressor`` on absolute error (native categorical
   splits and missing values; shallow trees, strong regularisation, for a
   few hundred posts). Fitting the raw target instead did worse than the
   baseline on every demo client: a few hundred noisy posts are not enough
   to relearn the medians the baseline gets for free.
3. **Time-aware cross-validation**: posts are ordered by publication time and
   cut into ``n_splits + 1`` consecutive blocks; fold *k* trains on blocks
   ``0…k-1`` and tests on block *k*, so no post from the future is ever in
   training (cuts fall between distinct timestamps). An **embargo gap**
   separates each training period from its test period: training posts end
   ``gap`` before the first test post, long enough for their lifetime counts
   to have settled (:func:`socialkit.models.embargo.settle_days` measures it
   in the export; the result states it). Hour and weekday are read on the
   client's clock (:func:`socialkit.zones.local_zone`).
4. **Baseline to beat**: the training folds' median log rate of posts of
   the same format on the same platform (falling back to the platform's
   median, then the overall median, for combinations not seen in training).
   The issue asked for "median by format"; within platform is stricter, so
   a multi-platform client's model gets no credit for merely learning that
   rates on different networks (often on different bases) differ. Skill is the mean
   reduction of absolute error on the test posts, with a 95 % interval from a
   bootstrap over *weeks* (posts in the same week share news, algorithm
   changes and campaigns, so they are not independent).
5. **Trust rule**: the model is trusted only when that interval lies above
   zero. Otherwise the result says plainly that the model does not beat the
   baseline, and makes no driver claims.
   When the interval lies wholly below zero the model is *worse* than the
   baseline, and the message says so.
6. **Importance**: permutation importance of the *learned* part on each test
   fold (the baseline keeps each post's own platform and format; ``n_repeats``
   shuffles, seeded), in units of added absolute error of the log rate; the
   interval is a t-interval over the folds.
7. **Effects** (:mod:`socialkit.models.effects`): partial dependence of the
   model fitted on all posts, split into the baseline's part and the learned
   part. Only the learned part is named as a driver, as a ratio to the rate
   expected for the post's platform and format; platform and format
   differences the baseline already holds are reported as *context*, and
   platforms are compared only when their rates share a basis. These are
   **associations** in this brand's history, not causes: a format may do
   well because of what it was used for.

Below :data:`MIN_POSTS` posts with a known engagement rate the result is
``not_enough_data`` (about six months at five posts a week; each test fold
then holds at least 20 posts).
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from socialkit.models import effects as fx
from socialkit.models._threads import one_thread
from socialkit.models.embargo import settle_days
from socialkit.models.features import CATEGORICAL, FEATURES, log_rate, post_features
from socialkit.models.importance import permutation_importance_mean
from socialkit.models.result import STATUS, DriversResult, json_safe  # noqa: F401 (re-exported)

__all__ = [
    "MIN_POSTS",
    "DriversResult",
    "BaselinePlusBoosting",
    "make_booster",
    "time_folds",
    "FormatMedians",
    "engagement_drivers",
    "client_drivers",
    "cite_drivers",
]

#: Fewest posts with a known engagement rate for a drivers model.
MIN_POSTS = 120
#: Fewest posts a level must have before its effect is reported.
MIN_LEVEL_POSTS = fx.MIN_LEVEL_POSTS
#: Bootstrap resamples for the skill interval.
N_BOOT = 2000


class BaselinePlusBoosting:
    """Start from the format-median baseline, learn corrections by boosting.

    ``fit`` stores the (platform, format) medians of the training target
    (:class:`FormatMedians`) and fits ``booster`` — a scikit-learn
    ``Pipeline`` — on the residuals; ``predict`` adds the two. With little
    signal the booster's corrections shrink towards zero and the model falls
    back to the baseline instead of chasing noise. Follows the scikit-learn
    estimator interface (``fit``/``predict``/``get_params``), so
    ``permutation_importance`` and ``clone`` work on it.
    """

    def __init__(self, seed: int = 0):
        self.seed = seed

    def get_params(self, deep: bool = True) -> dict:
        return {"seed": self.seed}

    def set_params(self, **params):
        for k, v in params.items():
            setattr(self, k, v)
        return self

    def fit(self, x: pd.DataFrame, y):
        y = np.asarray(y, dtype=float)
        self.baseline_ = FormatMedians().fit(x, y)
        # a feature missing for every training post carries no information;
        # scikit-learn's binning cannot take an all-missing column, so hold it constant
        self.empty_ = [c for c in FEATURES if c not in CATEGORICAL and x[c].isna().all()]
        self.booster_ = make_booster(self.seed).fit(self._fill(x), y - self._base(x))
        return self

    def _fill(self, x: pd.DataFrame) -> pd.DataFrame:
        return x.assign(**{c: 0.0 for c in self.empty_}) if self.empty_ else x

    def _base(self, x: pd.DataFrame) -> np.ndarray:
        return self.baseline_.predict(x)

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        return self._base(x) + self.booster_.predict(self._fill(x))

    def score(self, x, y) -> float:
        return -float(np.mean(np.abs(np.asarray(y, dtype=float) - self.predict(x))))


def make_booster(seed: int = 0):
    """Ordinal-encoded categories + gradient boosting on absolute error.

    Unseen categories at prediction time and missing values are both treated
    as missing by the booster, so a new format or a column an export lacks
    never raises.
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OrdinalEncoder

    encode = ColumnTransformer(
        [
            (
                "cat",
                OrdinalEncoder(
                    handle_unknown="use_encoded_value",
                    unknown_value=np.nan,
                    encoded_missing_value=np.nan,
                ),
                CATEGORICAL,
            ),
            ("num", "passthrough", [f for f in FEATURES if f not in CATEGORICAL]),
        ]
    )
    model = HistGradientBoostingRegressor(
        loss="absolute_error",
        categorical_features=[i < len(CATEGORICAL) for i in range(len(FEATURES))],
        learning_rate=0.05,
        max_iter=150,
        max_leaf_nodes=8,
        min_samples_leaf=15,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    return Pipeline([("encode", encode), ("model", model)])


def time_folds(times, n_splits: int = 5, gap=0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Expanding-window folds over posts ordered by time, with an embargo gap.

    Parameters
    ----------
    times : array of datetime64 or int
        Publication times (any order).
    n_splits : int
    gap : int or timedelta64
        Training posts end more than ``gap`` before the fold's first test post
        (same units as ``times``; 0: directly before).

    Returns
    -------
    list of (train_index, test_index)
        Positional indices into ``times``. Every training time is strictly
        earlier than every test time of the same fold, by more than ``gap``.

    Examples
    --------
    >>> folds = time_folds([5, 1, 4, 2, 3, 6], n_splits=2)
    >>> [(sorted(a.tolist()), sorted(b.tolist())) for a, b in folds]
    [([1, 3], [2, 4]), ([1, 2, 3, 4], [0, 5])]
    >>> [sorted(a.tolist()) for a, _ in time_folds([5, 1, 4, 2, 3, 6], n_splits=2, gap=1)]
    [[1], [1, 3, 4]]
    """
    t = np.asarray(times)
    if t.dtype.kind == "M":
        t = t.astype("datetime64[ns]").astype(np.int64)
        gap = np.timedelta64(gap, "ns").astype(np.int64) if gap else 0
    order = np.argsort(t, kind="stable")
    st = t[order]
    n = st.size
    cuts = []
    for k in range(1, n_splits + 1):
        b = k * n // (n_splits + 1)
        # move the cut forward past posts sharing the previous post's time
        b = int(np.searchsorted(st, st[b - 1], side="right")) if 0 < b < n else b
        cuts.append(b)
    cuts.append(n)
    folds = []
    for k in range(n_splits):
        lo, hi = cuts[k], cuts[k + 1]
        if lo == 0 or hi <= lo:
            continue
        train = order[: int(np.searchsorted(st, st[lo] - gap, side="left"))]
        if train.size:
            folds.append((train, order[lo:hi]))
    return folds


class FormatMedians:
    """Median training target per (platform, format), else per platform, else overall.

    Examples
    --------
    >>> tr = pd.DataFrame({"platform": ["x", "x", "x", "ig"], "format": ["text", "text", "image", "image"]})
    >>> te = pd.DataFrame({"platform": ["x", "x", "ig", "tiktok"], "format": ["text", "video", "image", "video"]})
    >>> FormatMedians().fit(tr, [1.0, 3.0, 5.0, 7.0]).predict(te).tolist()
    [2.0, 3.0, 7.0, 4.0]
    """

    def fit(self, x: pd.DataFrame, y):
        y = pd.Series(np.asarray(y, dtype=float), index=x.index)
        self.pair_ = y.groupby([x["platform"], x["format"]]).median()
        self.platform_ = y.groupby(x["platform"]).median()
        self.overall_ = float(y.median())
        return self

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        pair = pd.MultiIndex.from_arrays([x["platform"], x["format"]])
        out = self.pair_.reindex(pair).to_numpy(dtype=float, copy=True)
        gap = np.isnan(out)
        out[gap] = x["platform"][gap].map(self.platform_).to_numpy(dtype=float)
        out[np.isnan(out)] = self.overall_
        return out


def _week_bootstrap(diff: np.ndarray, weeks: np.ndarray, seed: int) -> tuple[float, float]:
    codes, week = np.unique(weeks, return_inverse=True)
    sums = np.bincount(week, weights=diff, minlength=codes.size)
    counts = np.bincount(week, minlength=codes.size).astype(float)
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, codes.size, size=(N_BOOT, codes.size))
    boot = sums[pick].sum(axis=1) / counts[pick].sum(axis=1)
    return float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975))


def engagement_drivers(
    posts: pd.DataFrame,
    followers=None,
    *,
    timezone: str = "UTC",
    n_splits: int = 5,
    n_repeats: int = 10,
    seed: int = 0,
    min_posts: int = MIN_POSTS,
    gap_days: int | None = None,
) -> DriversResult:
    """Fit, validate and explain the engagement-drivers model for one client.

    Parameters
    ----------
    posts : DataFrame
        One client's canonical posts.
    followers : array-like, optional
        Followers when posted, per post (see
        :func:`socialkit.metrics.engagement.followers_at_post`).
    timezone : str
        Zone for weekday and hour (the client's clock; :func:`client_drivers`
        passes :func:`socialkit.zones.local_zone`).
    n_splits : int
        Time folds.
    n_repeats : int
        Shuffles per feature and fold for permutation importance.
    seed : int
        Makes the booster, the shuffles and the bootstrap reproducible.
    min_posts : int
        Fewest modelled posts (see :data:`MIN_POSTS`).
    gap_days : int, optional
        Embargo gap between training and test periods; default: measured in
        the data (:func:`socialkit.models.embargo.settle_days`).

    Returns
    -------
    DriversResult
    """
    with one_thread():
        return _engagement_drivers(
            posts, followers, timezone, n_splits, n_repeats, seed, min_posts, gap_days
        )


def _verdict(low: float, high: float) -> str:
    return "better" if low > 0 else "worse" if high < 0 else "inconclusive"


def _engagement_drivers(posts, followers, timezone, n_splits, n_repeats, seed, min_posts, gap):
    from socialkit.metrics.engagement import interactions

    start = time.perf_counter()
    y_all, basis = log_rate(posts, followers)
    keep = np.isfinite(y_all)
    n = int(keep.sum())
    basis_dict = {str(k): str(v) for k, v in basis.dropna().items()}
    if n < min_posts:
        return DriversResult(
            "not_enough_data",
            f"Only {n} posts have a known engagement rate; the drivers model needs at least "
            f"{min_posts} (about six months at five posts a week) to test itself on posts "
            "it has not seen.",
            n,
            basis_dict,
            seconds=time.perf_counter() - start,
            timezone=timezone,
        )
    x = post_features(posts.loc[keep], timezone=timezone).reset_index(drop=True)
    y = y_all[keep]
    times = pd.to_datetime(posts.loc[keep, "published_at"], utc=True)
    t_ns = times.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").astype(np.int64)
    weeks = t_ns // (7 * 86_400 * 10**9)
    if gap is None:
        gap, evidence = settle_days(times, interactions(posts.loc[keep]), x["platform"])
    else:
        evidence = f"a {gap}-day gap, as asked"

    fold_rows, imps = [], []
    test_idx, model_err, base_err = [], [], []
    for k, (tr, te) in enumerate(time_folds(t_ns, n_splits, gap * 86_400 * 10**9)):
        pipe = BaselinePlusBoosting(seed).fit(x.iloc[tr], y[tr])
        pred = pipe.predict(x.iloc[te])
        base = pipe._base(x.iloc[te])
        me, be = np.abs(y[te] - pred), np.abs(y[te] - base)
        test_idx.append(te)
        model_err.append(me)
        base_err.append(be)
        fold_rows.append(
            {
                "fold": k + 1,
                "n_train": len(tr),
                "n_test": len(te),
                "train_end": times.iloc[tr].max(),
                "test_start": times.iloc[te].min(),
                "test_end": times.iloc[te].max(),
                "model_mae": float(me.mean()),
                "baseline_mae": float(be.mean()),
            }
        )
        # scikit-learn's permutation importance on the encoded features, learned part only
        imps.append(
            permutation_importance_mean(
                pipe, x.iloc[te], y[te], n_repeats, seed + k, learned_only=True
            )
        )
    te_all = np.concatenate(test_idx)
    me_all, be_all = np.concatenate(model_err), np.concatenate(base_err)
    diff = be_all - me_all
    low, high = _week_bootstrap(diff, weeks[te_all], seed)
    skill = {
        "model_mae": float(me_all.mean()),
        "baseline_mae": float(be_all.mean()),
        "gain": float(diff.mean()),
        "gain_low": low,
        "gain_high": high,
        "n_test": int(te_all.size),
        "verdict": _verdict(low, high),
    }
    imps = np.vstack(imps)
    mean = imps.mean(axis=0)
    half = (
        stats.t.ppf(0.975, imps.shape[0] - 1) * imps.std(axis=0, ddof=1) / math.sqrt(imps.shape[0])
        if imps.shape[0] > 1
        else np.full(mean.shape, np.nan)
    )
    importance = (
        pd.DataFrame({"feature": FEATURES, "mean": mean, "low": mean - half, "high": mean + half})
        .sort_values("mean", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    folds = pd.DataFrame(fold_rows)
    factor_m, factor_b = math.exp(skill["model_mae"]), math.exp(skill["baseline_mae"])
    tested = (
        f"On {skill['n_test']} posts it had not seen ({len(fold_rows)} time-ordered folds, "
        f"each trained on posts ending {gap} day{'s' if gap != 1 else ''} before its test "
        f"period so their counts had settled), the model's typical error was a factor of "
        f"{factor_m:.2f} against {factor_b:.2f} for the median of each format on each platform "
        f"(mean absolute log error {skill['model_mae']:.3f} vs {skill['baseline_mae']:.3f}; "
        f"gain {skill['gain']:.3f}, 95 % interval {low:.3f} to {high:.3f}). Hours and "
        f"weekdays are on the {timezone} clock."
    )
    if skill["verdict"] == "better":
        effects = fx.effects(BaselinePlusBoosting(seed).fit(x, y), x)
        status = "trusted"
        message = (
            tested + " The model beats the baseline, so the associations it learned beyond "
            "each platform's and format's usual rate are worth testing."
        )
    else:
        effects = pd.DataFrame(columns=fx.COLUMNS)
        status = "not_better_than_baseline"
        lead = (
            " The model is worse than the baseline"
            if skill["verdict"] == "worse"
            else " The model does not reliably beat the baseline"
        )
        message = (
            tested + lead + ", so no driver claims are made: what moves this brand's "
            "engagement is not visible in format, timing, paid and copy features."
        )
    return DriversResult(
        status,
        message,
        n,
        basis_dict,
        folds,
        skill,
        importance,
        effects,
        time.perf_counter() - start,
        context=fx.context(x, y, basis_dict),
        timezone=timezone,
        gap_days=int(gap),
        gap_evidence=evidence,
    )


def client_drivers(client, **kwargs) -> DriversResult:
    """:func:`engagement_drivers` for a loaded :class:`~socialkit.Client`.

    Followers when posted come from the posts or the client's followers
    table (:func:`socialkit.metrics.engagement.followers_at_post`); hour and
    weekday are on the client's clock (:func:`socialkit.zones.local_zone`:
    client.yaml's ``timezone``, else the audience's one zone, else UTC).
    """
    from socialkit.metrics.engagement import followers_at_post
    from socialkit.zones import local_zone

    posts = client.posts
    followers = followers_at_post(posts, client.followers) if len(posts) else None
    if "timezone" not in kwargs:
        kwargs["timezone"] = local_zone(client.profile)[0]
    return engagement_drivers(posts, followers, **kwargs)


def cite_drivers(diagnosis, result: DriversResult):
    """The diagnosis with its ``content.*`` warn/fail recommendations citing the model.

    Only a trusted model with at least one nameable association is cited;
    otherwise the diagnosis is returned unchanged.
    """
    claims = result.drivers()
    if not claims:
        return diagnosis
    note = (
        " The engagement model (tested on later posts; it beats the format baseline) "
        "finds in your own history: " + "; ".join(claims) + ". These are associations to "
        "test, not proven causes."
    )
    findings = [
        replace(f, recommendation=f.recommendation + note)
        if f.area == "content" and f.status in ("warn", "fail")
        else f
        for f in diagnosis.findings
    ]
    return replace(diagnosis, findings=findings)
