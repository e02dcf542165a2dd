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
   training (cuts fall between distinct timestamps).
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
6. **Importance**: permutation importance on each test fold (``n_repeats``
   shuffles, seeded), in units of added absolute error of the log rate; the
   interval is a t-interval over the folds.
7. **Effects**: partial dependence of the model fitted on all posts — the
   average predicted rate when every post is given one value of a feature,
   as a ratio to the average prediction. These are **associations** in this
   brand's history, not causes: a format may do well because of what it was
   used for.

Below :data:`MIN_POSTS` posts with a known engagement rate the result is
``not_enough_data`` (about six months at five posts a week; each test fold
then holds at least 20 posts).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import stats

from socialkit.findings import _jsonable
from socialkit.models._threads import one_thread
from socialkit.models.features import CATEGORICAL, FEATURES, log_rate, post_features
from socialkit.models.importance import permutation_importance_mean

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
MIN_LEVEL_POSTS = 10
#: Bootstrap resamples for the skill interval.
N_BOOT = 2000

STATUS = ("trusted", "not_better_than_baseline", "not_enough_data")


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


def time_folds(times, n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """Expanding-window folds over posts ordered by time.

    Parameters
    ----------
    times : array of datetime64 or int
        Publication times (any order).
    n_splits : int

    Returns
    -------
    list of (train_index, test_index)
        Positional indices into ``times``. Every training time is strictly
        earlier than every test time of the same fold.

    Examples
    --------
    >>> folds = time_folds([5, 1, 4, 2, 3, 6], n_splits=2)
    >>> [(sorted(a.tolist()), sorted(b.tolist())) for a, b in folds]
    [([1, 3], [2, 4]), ([1, 2, 3, 4], [0, 5])]
    """
    t = np.asarray(times)
    if t.dtype.kind == "M":
        t = t.astype("datetime64[ns]").astype(np.int64)
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
        folds.append((order[:lo], order[lo:hi]))
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


@dataclass
class DriversResult:
    """What the drivers model found for one client.

    Attributes
    ----------
    status : {'trusted', 'not_better_than_baseline', 'not_enough_data'}
    message : str
        Plain-words summary with the numbers.
    n_posts : int
        Posts with a known engagement rate (the modelled ones).
    basis : dict
        Engagement-rate basis per platform.
    folds : DataFrame
        One row per time fold: train/test sizes and dates, model and
        baseline mean absolute error (log rate).
    skill : dict
        ``model_mae``, ``baseline_mae``, ``gain`` (baseline − model),
        ``gain_low``, ``gain_high`` (95 % week-bootstrap), ``n_test``.
    importance : DataFrame
        ``feature``, ``mean``, ``low``, ``high`` (added MAE when shuffled),
        most important first.
    effects : DataFrame
        ``feature``, ``level``, ``n``, ``ratio`` (predicted rate ÷ average
        prediction); empty unless trusted.
    seconds : float
        Wall time of fitting and explaining.
    """

    status: str
    message: str
    n_posts: int
    basis: dict = field(default_factory=dict)
    folds: pd.DataFrame = field(default_factory=pd.DataFrame)
    skill: dict = field(default_factory=dict)
    importance: pd.DataFrame = field(default_factory=pd.DataFrame)
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    seconds: float = 0.0

    @property
    def trusted(self) -> bool:
        return self.status == "trusted"

    def drivers(self, n: int = 3) -> list[str]:
        """Up to ``n`` plain-words associations, strongest first; none unless trusted.

        A feature is named only when its importance interval is above zero
        and one of its levels differs from the average by at least 10 %.
        """
        if not self.trusted or self.effects.empty:
            return []
        out = []
        for _, imp in self.importance.iterrows():
            if imp["low"] <= 0 or len(out) >= n:
                continue
            eff = self.effects[self.effects["feature"] == imp["feature"]]
            if eff.empty:
                continue
            hi, lo = eff.loc[eff["ratio"].idxmax()], eff.loc[eff["ratio"].idxmin()]
            if max(hi["ratio"], 1 / lo["ratio"]) < 1.1:
                continue
            out.append(
                f"{_level_text(hi)} go with {hi['ratio']:.2f}× the average engagement rate, "
                f"{_level_text(lo)} with {lo['ratio']:.2f}×"
            )
        return out

    def to_dict(self) -> dict:
        def records(frame):
            return json_safe(frame.to_dict(orient="records"))

        return {
            "status": self.status,
            "message": self.message,
            "n_posts": self.n_posts,
            "basis": self.basis,
            "skill": json_safe(self.skill),
            "folds": records(self.folds),
            "importance": records(self.importance),
            "effects": records(self.effects),
            "drivers": self.drivers(),
            "seconds": round(self.seconds, 3),
        }


def json_safe(obj):
    """:func:`socialkit.findings._jsonable` applied recursively; timestamps as ISO text."""
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    return _jsonable(obj)


_BINARY = {
    "paid": ("promoted posts", "organic posts"),
    "has_question": ("posts that ask a question", "posts without a question"),
    "promotional": ("hard-sell posts", "posts without a hard-sell phrase"),
    "has_link": ("posts with a link", "posts without a link"),
}


def _level_text(row) -> str:
    f, v = row["feature"], row["level"]
    if f in _BINARY:
        return _BINARY[f][0 if float(v) == 1 else 1]
    if f == "format":
        return f"{v} posts"
    if f in ("platform", "weekday"):
        return f"posts on {v}"
    if f == "hour":
        return f"posts at {v}"
    return f"posts with {f.replace('_', ' ')} ≈ {v}"


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


def _effects(pipe, x: pd.DataFrame) -> pd.DataFrame:
    base = pipe.predict(x)
    mean_all = float(np.mean(base))
    rows = []
    for feature in FEATURES:
        for level, n in _levels(x, feature):
            probe = x.copy()
            if feature == "hour":
                start = int(str(level)[:2])
                values = np.full(len(x), start + 1)  # the block's middle hour
                probe["hour"] = values
                probe["hour_of_week"] = (x["hour_of_week"] // 24) * 24 + values
            else:
                probe[feature] = level
            ratio = math.exp(float(np.mean(pipe.predict(probe))) - mean_all)
            rows.append({"feature": feature, "level": level, "n": n, "ratio": ratio})
    return pd.DataFrame(rows, columns=["feature", "level", "n", "ratio"])


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
        Zone for weekday and hour.
    n_splits : int
        Time folds.
    n_repeats : int
        Shuffles per feature and fold for permutation importance.
    seed : int
        Makes the booster, the shuffles and the bootstrap reproducible.
    min_posts : int
        Fewest modelled posts (see :data:`MIN_POSTS`).

    Returns
    -------
    DriversResult
    """
    with one_thread():
        return _engagement_drivers(posts, followers, timezone, n_splits, n_repeats, seed, min_posts)


def _engagement_drivers(posts, followers, timezone, n_splits, n_repeats, seed, min_posts):
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
        )
    x = post_features(posts.loc[keep], timezone=timezone).reset_index(drop=True)
    y = y_all[keep]
    times = pd.to_datetime(posts.loc[keep, "published_at"], utc=True)
    t_ns = times.dt.tz_localize(None).to_numpy(dtype="datetime64[ns]").astype(np.int64)
    weeks = t_ns // (7 * 86_400 * 10**9)

    fold_rows, imps = [], []
    test_idx, model_err, base_err = [], [], []
    for k, (tr, te) in enumerate(time_folds(t_ns, n_splits)):
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
        # scikit-learn's permutation importance, computed on the encoded features
        imps.append(permutation_importance_mean(pipe, x.iloc[te], y[te], n_repeats, seed + k))
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
        f"On {skill['n_test']} posts it had not seen ({len(fold_rows)} time-ordered folds), the "
        f"model's typical error was a factor of {factor_m:.2f} against {factor_b:.2f} for the "
        f"median of each format on each platform (mean absolute log error {skill['model_mae']:.3f} vs "
        f"{skill['baseline_mae']:.3f}; gain {skill['gain']:.3f}, 95 % interval "
        f"{low:.3f} to {high:.3f})."
    )
    if low > 0:
        effects = _effects(BaselinePlusBoosting(seed).fit(x, y), x)
        status = "trusted"
        message = (
            tested + " The model beats the baseline, so the associations below are worth testing."
        )
    else:
        effects = pd.DataFrame(columns=["feature", "level", "n", "ratio"])
        status = "not_better_than_baseline"
        message = (
            tested + " The model does not reliably beat the baseline, so no driver claims are "
            "made: what moves this brand's engagement is not visible in format, timing, paid "
            "and copy features."
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
    )


def client_drivers(client, **kwargs) -> DriversResult:
    """:func:`engagement_drivers` for a loaded :class:`~socialkit.Client`.

    Followers when posted come from the posts or the client's followers
    table (:func:`socialkit.metrics.engagement.followers_at_post`).
    """
    from socialkit.metrics.engagement import followers_at_post

    posts = client.posts
    followers = followers_at_post(posts, client.followers) if len(posts) else None
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
