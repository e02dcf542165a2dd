"""The ``Finding`` contract: what one check concluded, with its evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["STATUSES", "Evidence", "Finding"]

#: Allowed statuses, from most to least serious for ranking.
STATUSES = ("fail", "warn", "ok", "not_assessable")


@dataclass
class Evidence:
    """One number behind a finding.

    Attributes
    ----------
    name : str
        What was measured, in plain words.
    value : float, int, str or None
        The measurement.
    unit : str
        Unit of ``value`` (``"share of posts"``, ``"posts/week"``, ``"days"``).
    n : int, optional
        Number of observations the value rests on.
    ci : tuple of float, optional
        (low, high) confidence interval, where the value is an estimate.
    kind : {'metric', 'threshold', 'context'}
        ``threshold`` items echo the thresholds the verdict used.
    """

    name: str
    value: Any
    unit: str = ""
    n: int | None = None
    ci: tuple[float, float] | None = None
    kind: str = "metric"

    def to_dict(self) -> dict:
        # by hand: dataclasses.asdict deep-copies every value (a third of diagnose --all's
        # JSON time on 200 clients)
        return {
            "name": self.name,
            "value": _jsonable(self.value),
            "unit": self.unit,
            "n": self.n,
            "ci": None if self.ci is None else [_jsonable(v) for v in self.ci],
            "kind": self.kind,
        }


def _jsonable(v):
    if v is None:
        return None
    if hasattr(v, "item"):  # numpy scalar
        v = v.item()
    if isinstance(v, float):
        return None if math.isnan(v) else round(v, 6)
    return v


@dataclass
class Finding:
    """The result of one diagnostic check.

    Attributes
    ----------
    check : str
        Fixed check id, ``area.name``.
    title : str
        Short human title of the check.
    status : {'ok', 'warn', 'fail', 'not_assessable'}
    severity : float
        0–1, used to rank findings (0 for ok and not_assessable).
    evidence : list of Evidence
    message : str
        What we saw, in plain words, with the client's numbers.
    why : str
        The failure mode this signals.
    recommendation : str
        What to do next.
    needs : str
        For ``not_assessable``: the data that would make the check assessable.
    mode : int
        Failure mode number in DIAGNOSES.md.
    """

    check: str
    title: str
    status: str
    severity: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    message: str = ""
    why: str = ""
    recommendation: str = ""
    needs: str = ""
    mode: str = ""

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(
                f"Finding status must be one of {', '.join(STATUSES)}; got {self.status!r}."
            )
        if not 0.0 <= self.severity <= 1.0:
            raise ValueError(f"Finding severity must be in [0, 1]; got {self.severity!r}.")

    @property
    def area(self) -> str:
        return self.check.split(".", 1)[0]

    def to_dict(self) -> dict:
        return {
            "check": self.check,
            "title": self.title,
            "status": self.status,
            "severity": round(float(self.severity), 3),
            "evidence": [e.to_dict() for e in self.evidence],
            "message": self.message,
            "why": self.why,
            "recommendation": self.recommendation,
            "needs": self.needs,
            "mode": self.mode,
        }
