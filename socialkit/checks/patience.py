"""Patience checks: is the strategy given enough time to work?"""

from __future__ import annotations

from socialkit.checks._registry import each_client, not_assessable, register_check, verdict
from socialkit.findings import Evidence

__all__ = ["window_too_short"]


@register_check("patience.window_too_short")
@each_client
def window_too_short(client, t):
    """The evaluation window is too short to judge a social media strategy.

    Notes
    -----
    fail when ``evaluation_weeks`` < ``fail`` (8), warn when < ``warn`` (12).
    """
    weeks = client.profile.evaluation_weeks
    if weeks is None:
        return not_assessable(
            "We do not know after how long the strategy is judged.",
            "`evaluation_weeks:` in client.yaml",
        )
    ev = [Evidence("evaluation window", weeks, "weeks")]
    months = round(t["warn"] / 4.33)
    if weeks < t["fail"]:
        return verdict(
            "fail",
            f"The strategy is judged after {weeks:g} weeks: far too soon for audiences, "
            "algorithms and content tests to show a trend.",
            f"Commit to at least {t['warn']:g} weeks (about {months} months) before judging, "
            "with monthly check-ins that adjust tactics rather than verdicts.",
            ev,
            excess=(t["fail"] - weeks) / t["fail"],
        )
    if weeks < t["warn"]:
        return verdict(
            "warn",
            f"The strategy is judged after {weeks:g} weeks, shorter than the "
            f"{t['warn']:g} weeks a fair test needs.",
            f"Extend the evaluation window to {t['warn']:g} weeks or more.",
            ev,
            excess=(t["warn"] - weeks) / t["warn"],
        )
    return verdict("ok", f"The strategy is judged over {weeks:g} weeks.", "", ev)
