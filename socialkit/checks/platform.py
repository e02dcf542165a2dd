"""Platform checks: the right platforms, each fed well enough."""

from __future__ import annotations

import numpy as np

from socialkit.checks._registry import not_assessable, register_check, verdict
from socialkit.findings import Evidence
from socialkit.metrics import posts_per_week
from socialkit.schema import PLATFORMS

__all__ = ["dilution"]


@register_check("platform.dilution")
def dilution(batch, t):
    """Too many platforms, each posted to too rarely.

    Notes
    -----
    Over the last ``window_weeks`` (13) weeks of data (or all of it, if
    shorter, but at least ``min_weeks``, 4): a platform is active when it has
    at least one post in the window. fail when ``fail_platforms`` (4) or more
    active platforms each get fewer than ``fail_rate`` (2) posts a week; warn
    when any active platform gets fewer than ``warn_rate`` (1).
    """
    span = batch.span_days / 7
    weeks = np.minimum(float(t["window_weeks"]), span)
    rates = posts_per_week(batch, np.maximum(weeks, 1e-9))
    out = []
    for i, m in enumerate(batch.meta):
        if batch.n_posts[i] == 0:
            out.append(not_assessable("There are no posts.", "a posts table or platform exports"))
        elif weeks[i] < t["min_weeks"]:
            out.append(
                not_assessable(
                    f"Only {span[i]:.1f} weeks of posts; posting rates need {t['min_weeks']:g}.",
                    f"posts covering at least {t['min_weeks']:g} weeks",
                )
            )
        else:
            rate = {PLATFORMS[j]: float(r) for j, r in enumerate(rates[i]) if r > 0}
            out.append(_judge_dilution(rate, float(weeks[i]), m.profile.platforms, t))
    return out


def _judge_dilution(rate, weeks, declared, t):
    rate = dict(sorted(rate.items(), key=lambda kv: kv[1]))
    ev = [
        Evidence(f"posts/week on {p}", round(r, 2), "posts/week", n=int(round(r * weeks)))
        for p, r in rate.items()
    ]
    ev += [
        Evidence("active platforms", len(rate), "platforms"),
        Evidence("window", round(weeks, 1), "weeks", kind="context"),
    ]
    idle = sorted(set(declared or []) - set(rate))
    if idle:
        ev.append(
            Evidence(
                "declared platforms with no post in the window",
                ", ".join(idle),
                "names",
                kind="context",
            )
        )
    if not rate:
        return not_assessable(f"No posts in the last {weeks:.0f} weeks.", "recent posts", ev)
    thin = [p for p, r in rate.items() if r < t["fail_rate"]]
    starved = [p for p, r in rate.items() if r < t["warn_rate"]]
    rates = ", ".join(f"{p} {r:.1f}" for p, r in rate.items())
    best = list(rate)[-1]
    if len(thin) >= t["fail_platforms"]:
        keep = list(rate)[::-1][:2]
        return verdict(
            "fail",
            f"{len(rate)} platforms are active and {len(thin)} of them get fewer than "
            f"{t['fail_rate']:g} posts a week (posts/week: {rates}).",
            f"Focus: concentrate on two platforms (e.g. {', '.join(keep)}) at 3+ posts a week "
            f"each, and pause or archive {', '.join(p for p in thin if p not in keep)}.",
            ev,
            excess=(len(thin) - t["fail_platforms"] + 1) / 3,
        )
    if starved:
        names = ", ".join(starved)
        return verdict(
            "warn",
            f"{names} get{'s' if len(starved) == 1 else ''} fewer than "
            f"{t['warn_rate']:g} post a week (posts/week: {rates}).",
            f"Either give {names} a weekly slot in the calendar or stop it and move the effort "
            f"to {best} ({rate[best]:.1f} posts/week).",
            ev,
            excess=float((t["warn_rate"] - min(rate[p] for p in starved)) / t["warn_rate"]),
        )
    return verdict(
        "ok", f"{len(rate)} active platform(s), each fed regularly (posts/week: {rates}).", "", ev
    )
