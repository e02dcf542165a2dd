"""Platform checks: the right platforms, each fed well enough."""

from __future__ import annotations

from socialkit.checks._registry import not_assessable, register_check, verdict
from socialkit.findings import Evidence
from socialkit.metrics import posts_per_week

__all__ = ["dilution"]


@register_check("platform.dilution")
def dilution(client, t):
    """Too many platforms, each posted to too rarely.

    Notes
    -----
    Over the last ``window_weeks`` (13) weeks of data (or all of it, if
    shorter, but at least ``min_weeks``, 4): a platform is active when it has
    at least one post in the window. fail when ``fail_platforms`` (4) or more
    active platforms each get fewer than ``fail_rate`` (2) posts a week; warn
    when any active platform gets fewer than ``warn_rate`` (1).
    """
    posts = client.posts
    if posts.empty:
        return not_assessable("There are no posts.", "a posts table or platform exports")
    end = client.window_end
    span = (end - posts["published_at"].min()).total_seconds() / (7 * 86400)
    weeks = min(float(t["window_weeks"]), span)
    if weeks < t["min_weeks"]:
        return not_assessable(
            f"Only {span:.1f} weeks of posts; posting rates need {t['min_weeks']:g}.",
            f"posts covering at least {t['min_weeks']:g} weeks",
        )
    rate = posts_per_week(posts, end, weeks).sort_values()
    declared = set(client.profile.platforms or [])
    ev = [
        Evidence(f"posts/week on {p}", round(float(r), 2), "posts/week", n=int(round(r * weeks)))
        for p, r in rate.items()
    ]
    ev += [
        Evidence("active platforms", len(rate), "platforms"),
        Evidence("window", round(weeks, 1), "weeks", kind="context"),
    ]
    idle = sorted(declared - set(rate.index))
    if idle:
        ev.append(
            Evidence(
                "declared platforms with no post in the window",
                ", ".join(idle),
                "names",
                kind="context",
            )
        )
    thin = rate[rate < t["fail_rate"]]
    starved = rate[rate < t["warn_rate"]]
    if rate.empty:
        return not_assessable(f"No posts in the last {weeks:.0f} weeks.", "recent posts", ev)
    rates = ", ".join(f"{p} {r:.1f}" for p, r in rate.items())
    best = rate.index[-1]
    if len(thin) >= t["fail_platforms"]:
        keep = ", ".join(rate.sort_values(ascending=False).index[:2])
        return verdict(
            "fail",
            f"{len(rate)} platforms are active and {len(thin)} of them get fewer than "
            f"{t['fail_rate']:g} posts a week (posts/week: {rates}).",
            f"Focus: concentrate on two platforms (e.g. {keep}) at 3+ posts a week each, and "
            f"pause or archive {', '.join(p for p in thin.index if p not in keep)}.",
            ev,
            excess=(len(thin) - t["fail_platforms"] + 1) / 3,
        )
    if not starved.empty:
        names = ", ".join(starved.index)
        return verdict(
            "warn",
            f"{names} get{'s' if len(starved) == 1 else ''} fewer than "
            f"{t['warn_rate']:g} post a week (posts/week: {rates}).",
            f"Either give {names} a weekly slot in the calendar or stop it and move the effort "
            f"to {best} ({rate[best]:.1f} posts/week).",
            ev,
            excess=float((t["warn_rate"] - starved.min()) / t["warn_rate"]),
        )
    return verdict(
        "ok", f"{len(rate)} active platform(s), each fed regularly (posts/week: {rates}).", "", ev
    )
