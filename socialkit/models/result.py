"""The drivers model's result: status, skill, importance, effects and context.

Kept apart from the model (:mod:`socialkit.models.drivers`) so the report and
notebooks can read a result without the fitting code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from socialkit.findings import _jsonable
from socialkit.models import effects as fx

__all__ = ["STATUS", "DriversResult", "json_safe"]

STATUS = ("trusted", "not_better_than_baseline", "not_enough_data")


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
        ``gain_low``, ``gain_high`` (95 % week-bootstrap), ``n_test``, and
        ``verdict``: ``better`` (interval above 0), ``worse`` (below 0) or
        ``inconclusive``.
    importance : DataFrame
        ``feature``, ``mean``, ``low``, ``high``: added MAE when the feature
        is shuffled in the learned part (the baseline keeps each post's own
        platform and format), most important first.
    effects : DataFrame
        ``feature``, ``level``, ``n``, ``ratio``, ``baseline_ratio``,
        ``learned_ratio`` (:func:`socialkit.models.effects.effects`); empty
        unless trusted.
    context : list of str
        What the baseline already holds (platform and format medians), in
        plain words; never drivers.
    timezone : str
        The clock hour and weekday are read on, and where it came from.
    gap_days : int
        Embargo gap between training and test periods, and ``gap_evidence``
        the reason for it.
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
    context: list = field(default_factory=list)
    timezone: str = "UTC"
    gap_days: int = 0
    gap_evidence: str = ""

    @property
    def trusted(self) -> bool:
        return self.status == "trusted"

    def drivers(self, n: int = 3) -> list[str]:
        """Up to ``n`` plain-words associations the model learned, strongest first.

        None unless trusted. A feature is named only when the importance of
        its learned part has an interval above zero and the learned part of
        one of its levels differs by at least 10 % from the rate expected for
        the post's platform and format. Differences the baseline already
        holds are :attr:`context`, never drivers.
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
            r = eff["learned_ratio"]
            hi, lo = eff.loc[r.idxmax()], eff.loc[r.idxmin()]
            if max(hi["learned_ratio"], 1 / lo["learned_ratio"]) < 1.1:
                continue
            out.append(
                f"{fx.level_text(hi['feature'], hi['level'])} go with "
                f"{hi['learned_ratio']:.2f}× the engagement rate expected for their platform "
                f"and format, {fx.level_text(lo['feature'], lo['level'])} with "
                f"{lo['learned_ratio']:.2f}×"
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
            "context": list(self.context),
            "timezone": self.timezone,
            "gap_days": self.gap_days,
            "gap_evidence": self.gap_evidence,
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
