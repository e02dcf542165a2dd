"""Shared verdict rules: a threshold is cleared only when the interval clears it.

The status rule for a metric estimated with an interval (every check follows it):

* the whole 95 % interval past the threshold → ``warn`` / ``fail``;
* the point estimate past the threshold but the interval reaching back over
  it → **inconclusive**: status ``not_assessable``, a message that starts
  with "Inconclusive:" and says the data do not show it yet, and ``needs``
  naming more data (:func:`inconclusive_finding`). It is never a plain
  ``ok``: the data neither clear the client nor show the problem;
* the point estimate on the right side of the threshold → ``ok``.

A trend judged by a significance test (a fall in engagement) follows the same
rule, its bar a fall of ``material_fall`` of the typical level over the period
(:func:`material_fall`): an estimate that falls past it while the test does
not confirm a fall is inconclusive; an estimate that is flat, rises or falls
less is ``ok``.
"""

from __future__ import annotations

import numpy as np

from socialkit.findings import Evidence
from socialkit.fmt import pct as _fmt_pct

__all__ = [
    "status_above",
    "status_below",
    "inconclusive",
    "inconclusive_finding",
    "is_inconclusive",
    "near",
    "material_fall",
    "weeks_spanned",
    "unconfirmed_fall",
    "pct",
    "ci_text",
    "share_evidence",
]


#: How every inconclusive finding's message starts (the report lists them apart).
INCONCLUSIVE = "Inconclusive:"


def status_above(low, warn, fail=None) -> str:
    """Status for a metric where higher is worse, judged on its interval's low end.

    A point estimate past a threshold whose interval still reaches back over
    it does not count (DIAGNOSES.md status rules).
    """
    if fail is not None and low > fail:
        return "fail"
    if low > warn:
        return "warn"
    return "ok"


def status_below(high, warn, fail=None) -> str:
    """Status for a metric where lower is worse, judged on its interval's high end."""
    if fail is not None and high < fail:
        return "fail"
    if high < warn:
        return "warn"
    return "ok"


def weeks_spanned(has) -> np.ndarray:
    """Per row of a (clients × weeks) mask, the weeks from its first to its last True
    (0 for a row with none): the span a trend's slope covers.

    Examples
    --------
    >>> weeks_spanned(np.array([[False, True, False, True], [False] * 4])).tolist()
    [2, 0]
    """
    w = has.shape[1]
    first, last = np.argmax(has, axis=1), w - 1 - np.argmax(has[:, ::-1], axis=1)
    return np.where(has.any(axis=1), last - first, 0)


def material_fall(slope, span, level, margin) -> bool:
    """Whether a trend's estimate (``slope`` per period, over ``span`` periods) loses more
    than ``margin`` of the typical ``level``: past the bar of a fall worth telling.

    Examples
    --------
    >>> material_fall(-0.1, 20, 3.0, 0.2)  # -2 over 20 weeks on a level of 3
    True
    >>> material_fall(-0.01, 20, 3.0, 0.2)  # -0.2: under a fifth of the level
    False
    """
    return bool(level > 0 and slope * span < -margin * level)


def unconfirmed_fall(what, period, change, t, evidence, needs, tail="."):
    """The inconclusive finding of a trend whose estimate falls past ``material_fall``
    (:func:`material_fall`) while its test cannot confirm a fall.

    Parameters
    ----------
    what : str
        What may be falling, as the sentence's subject ("engagement per post").
    period : str
        Over how long ("5 months").
    change : float
        The trend line's change over the period as a (negative) share of the mean level.
    t : dict
        The check's thresholds (``material_fall`` is shown in the evidence).
    evidence : list of Evidence
    needs : str
    tail : str
        The end of the message (the test's p-value, a note), after "yet".
    """
    from socialkit.checks._registry import not_assessable

    drop = (
        "drops by more than an average week's level"
        if change <= -1
        else f"drops by {pct(-change)} of an average week's level"
    )
    return not_assessable(
        f"{INCONCLUSIVE} {what} may be falling. Over {period} its trend line {drop}, but it "
        f"swings too much from week to week to tell a real fall from chance yet{tail}",
        needs,
        list(evidence)
        + [
            Evidence(
                "threshold material_fall",
                t["material_fall"],
                "share of the mean over the period",
                kind="threshold",
            )
        ],
    )


def pct(x, digits: int = 0) -> str:
    """0.4567 → '46%' (:func:`socialkit.fmt.pct`)."""
    return _fmt_pct(x, digits)


def ci_text(low, high, fmt=pct) -> str:
    """'95% CI 31%–52%'."""
    return f"95% CI {fmt(low)}–{fmt(high)}"


def is_inconclusive(finding) -> bool:
    """Whether a finding is inconclusive: ``not_assessable`` because the data do not settle
    it yet, not because they are missing."""
    return finding.status == "not_assessable" and finding.message.startswith(INCONCLUSIVE)


def inconclusive(point, low, high, threshold, fmt=pct) -> str:
    """Sentence for a point estimate past the threshold whose interval is not (a percent
    that rounds to the threshold's is shown to one decimal: 30.4%, past 30%)."""
    return (
        f"The estimate ({near(point, threshold, fmt)}) is past the {fmt(threshold)} threshold, "
        f"but the {ci_text(low, high, fmt)} still includes it, so the data do not show it yet."
    )


def near(value, threshold, fmt=pct) -> str:
    """``fmt(value)``, to one decimal when it is a percent that would read the same as the
    threshold's ("30% is past 30%").

    Examples
    --------
    >>> near(0.304, 0.3), near(0.36, 0.3)
    ('30.4%', '36%')
    """
    shown = fmt(value)
    return pct(value, 1) if fmt is pct and shown == fmt(threshold) else shown


def share_evidence(name: str, k, n, low, high, unit: str) -> Evidence:
    """Evidence for the share ``k / n`` with its interval, to 3 decimals (None when n is 0)."""
    return Evidence(
        name,
        round(float(k / n), 3) if n else None,
        unit,
        n=int(n),
        ci=(round(float(low), 3), round(float(high), 3)) if n else None,
    )


def inconclusive_finding(what, point, low, high, threshold, evidence=(), fmt=pct, needs=""):
    """A ``not_assessable`` finding for an interval that straddles the threshold.

    Parameters
    ----------
    what : str
        The measurement in plain words, a full sentence ("The brand replied to 3 of 40
        questions (8 %).").
    point, low, high, threshold : float
        The estimate, its 95 % interval and the threshold it is past.
    evidence : list of Evidence
    fmt : callable
        Formats the numbers (default: percent).
    needs : str
        What would settle it (default: more data of the kind measured).
    """
    from socialkit.checks._registry import not_assessable

    ev = list(evidence) + [Evidence("threshold", threshold, "", kind="threshold")]
    return not_assessable(
        f"{INCONCLUSIVE} {what} " + inconclusive(point, low, high, threshold, fmt),
        needs or "more data, so that the 95 % interval clears the threshold one way or the other",
        ev,
    )
