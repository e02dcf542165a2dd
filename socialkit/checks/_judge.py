"""Shared verdict rules: a threshold is cleared only when the interval clears it."""

from __future__ import annotations

from socialkit.findings import Evidence
from socialkit.fmt import pct as _fmt_pct

__all__ = ["status_above", "status_below", "inconclusive", "pct", "ci_text", "share_evidence"]


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


def pct(x, digits: int = 0) -> str:
    """0.4567 → '46%' (:func:`socialkit.fmt.pct`)."""
    return _fmt_pct(x, digits)


def ci_text(low, high, fmt=pct) -> str:
    """'95% CI 31%–52%'."""
    return f"95% CI {fmt(low)}–{fmt(high)}"


def inconclusive(point, low, high, threshold, fmt=pct) -> str:
    """Sentence for a point estimate past the threshold whose interval is not."""
    return (
        f"The estimate ({fmt(point)}) is past the {fmt(threshold)} threshold, but the "
        f"{ci_text(low, high, fmt)} still includes it, so the data do not show it yet."
    )


def share_evidence(name: str, k, n, low, high, unit: str) -> Evidence:
    """Evidence for the share ``k / n`` with its interval, to 3 decimals (None when n is 0)."""
    return Evidence(
        name,
        round(float(k / n), 3) if n else None,
        unit,
        n=int(n),
        ci=(round(float(low), 3), round(float(high), 3)) if n else None,
    )
