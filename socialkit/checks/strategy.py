"""Strategy checks: is there a process behind the posting?"""

from __future__ import annotations

import numpy as np

from socialkit.checks._registry import each_client, not_assessable, register_check, verdict
from socialkit.checks._windows import (
    describe,
    ended_long_before,
    post_scopes,
    rebuilt_days,
    rebuilt_note,
    stale_note,
    touches,
)
from socialkit.findings import Evidence
from socialkit.fmt import plural
from socialkit.metrics import coefficient_of_variation

_DAY = 86400 * 10**9
_WEEK = 7 * _DAY

__all__ = ["COUNTED_FOUNDATIONS", "missing_foundations", "irregular_cadence"]

#: The foundations counted by ``strategy.missing_foundations`` (DIAGNOSES.md).
COUNTED_FOUNDATIONS = (
    "tone_of_voice",
    "content_calendar",
    "response_policy",
    "kpi_review",
    "trained_staff",
)
_ADVICE = {
    "tone_of_voice": "write a one-page tone of voice",
    "content_calendar": "keep a content calendar planned a month ahead",
    "response_policy": "agree a response policy (who answers what, within how long)",
    "kpi_review": "review the KPIs monthly",
    "trained_staff": "train whoever runs the accounts",
}

#: The foundations as the client reads them.
_NAMES = {k: k.replace("_", " ").replace("kpi", "KPI") for k in _ADVICE}


@register_check("strategy.missing_foundations")
@each_client
def missing_foundations(client, t):
    """Missing items among tone of voice, calendar, response policy, KPI review, staff.

    Notes
    -----
    ``kpi_review: none`` counts as missing. Items not stated in client.yaml are
    unknown: the verdict is given only when it holds whatever they are;
    otherwise the check is not assessable and names them.
    """
    found = client.profile.foundations
    if found is None:
        return not_assessable(
            "The client's process (tone of voice, calendar, …) is not described.",
            "`foundations:` in client.yaml",
        )
    missing = [
        k for k in COUNTED_FOUNDATIONS if k in found and (found[k] is False or found[k] == "none")
    ]
    unknown = [k for k in COUNTED_FOUNDATIONS if k not in found]
    ev = [
        Evidence(
            "foundations missing", len(missing), "items", n=len(COUNTED_FOUNDATIONS) - len(unknown)
        ),
        Evidence("missing items", ", ".join(missing) or "none", "names"),
    ]
    if unknown:
        ev.append(Evidence("items not stated", ", ".join(unknown), "names", kind="context"))
    if "scheduling_tool" in found:
        ev.append(
            Evidence(
                "scheduling tool", "yes" if found["scheduling_tool"] else "no", "", kind="context"
            )
        )
    todo = "; ".join(_ADVICE[k] for k in missing)
    todo = todo[:1].upper() + todo[1:]  # str.capitalize() would write "kpis"
    said = ", ".join(_NAMES[k] for k in missing)
    if len(missing) >= t["fail"]:
        status = "fail"
    elif len(missing) >= t["warn"]:
        status = "warn"
    elif len(missing) + len(unknown) < t["warn"]:
        status = "ok"
    else:
        return not_assessable(
            f"{len(missing)} foundation(s) missing and {len(unknown)} not stated "
            f"({', '.join(unknown)}); the verdict depends on those.",
            "state " + ", ".join(unknown) + " under `foundations:` in client.yaml",
            ev,
        )
    if status == "ok":
        return verdict(
            "ok",
            "The strategic foundations are in place" + (f" except {said}." if missing else "."),
            todo + "." if todo else "",
            ev,
        )
    return verdict(
        status,
        f"{len(missing)} of {len(COUNTED_FOUNDATIONS)} foundations are "
        f"missing: {said}. Posting without them is a chore, not a strategy.",
        todo + ".",
        ev,
        excess=(len(missing) - t["warn"]) / max(len(COUNTED_FOUNDATIONS) - t["warn"], 1),
    )


@register_check("strategy.irregular_cadence")
def irregular_cadence(batch, t):
    """Posting comes in bursts and silences.

    Notes
    -----
    Weekly post counts over whole 7-day bins ending on the last data day, all
    platforms together over their common window (:mod:`socialkit.checks._windows`);
    when the platforms' exports share fewer than ``min_weeks`` weeks, or their
    shared weeks ended more than ``min_weeks`` weeks before the end of the data,
    each platform in its own window, and the worst of them is reported. Weeks that
    no export covers are not counted, and a gap between two exports is not a
    silence. fail when the coefficient of variation (sd/mean, ddof=0) >
    ``fail`` (1.5), warn when > ``warn`` (1.0) or when any gap between posts
    (or from the last post to the end of its export) exceeds ``gap_days``
    (21). Needs ``min_weeks`` (8) observed weeks of posting history. A platform
    read in its own window whose export ended more than ``min_weeks`` weeks before
    the rest of the data is described, not judged
    (:func:`~socialkit.checks._windows.ended_long_before`): how it is posted on now
    is not in the data.
    """
    out = []
    for i in range(batch.n):
        if batch.n_posts[i] == 0:
            out.append(not_assessable("There are no posts.", "a posts table or platform exports"))
            continue
        scopes, how = post_scopes(batch, i, 7 * t["min_weeks"])
        judged, short, stale, undated = [], [], [], []
        rebuilt = rebuilt_days(batch, i)
        for sc in scopes:
            if rebuilt and touches(sc, batch, i, rebuilt):
                undated.append(sc)
                continue
            counts, longest = _scope_series(batch, i, sc)
            if len(counts) < t["min_weeks"]:
                short.append((sc, len(counts)))
                continue
            if ended_long_before(batch, i, sc, t["min_weeks"]):
                stale.append(sc)
                continue
            f = _judge_cadence(counts, coefficient_of_variation(counts), longest, t)
            judged.append((f, sc))
        ended = stale_note(stale, t["min_weeks"]) + rebuilt_note(undated, rebuilt)
        if not judged and not short and undated:
            out.append(
                not_assessable(
                    (how + " " if how else "") + "How regularly posts go out is unknown." + ended,
                    "posts with their publication dates (an export that gives each post's "
                    "date, not only its month and weekday)",
                )
            )
            continue
        if not judged and not short:
            out.append(
                not_assessable(
                    (how + " " if how else "") + "No platform's export reaches the last weeks "
                    "of the data, so how often it is posted on now is unknown." + ended,
                    "exports of the platforms that reach the same recent weeks",
                )
            )
            continue
        if not judged:
            sc, n_w = max(short, key=lambda x: x[1])
            out.append(
                not_assessable(
                    (how + " " if how else "")
                    + f"Only {n_w} observed weeks of posts"
                    + (f" ({sc.text()})" if len(scopes) > 1 else "")
                    + f"; regularity needs {t['min_weeks']:g} weeks."
                    + ended,
                    f"posts covering at least {t['min_weeks']:g} weeks"
                    + (" on one platform, or exports of the platforms that overlap" if how else ""),
                    [Evidence("history", n_w, "weeks")],
                )
            )
            continue
        f, sc = max(judged, key=lambda x: (x[0].severity, x[0].status == "warn"))
        if len(scopes) > 1:
            f.message = f"On {sc.name}: {f.message}"
            if short:
                f.message += " Not judged (too short): " + describe([s for s, _ in short]) + "."
            f.message += ended
        if how:
            f.message = how + " " + f.message
        out.append(f)
    return out


def _scope_series(batch, i, sc) -> tuple[np.ndarray, float]:
    """Posts per observed week of one scope, and the longest silence inside it (days)."""
    t = batch.t_ns[sc.rows(batch, i)]
    n = int((sc.end - sc.start) // _WEEK)
    wk = (np.ceil((sc.end - t) / _WEEK) - 1).astype(np.int64)
    counts = np.bincount(wk[(wk >= 0) & (wk < n)], minlength=n)[sc.weeks()]
    gaps = [0.0]
    for s, e in sc.stretches:
        tt = t[np.searchsorted(t, s) : np.searchsorted(t, e)]  # t rises: [s, e) is a run
        if len(tt):
            gaps.append(float(np.diff(tt).max(initial=0)) / _DAY)
            gaps.append((e - tt[-1]) / _DAY)
    return counts, max(gaps)


def _judge_cadence(counts, cv, longest, t):
    weeks = len(counts)
    empty = int((counts == 0).sum())
    ev = [
        Evidence("mean posts per week", round(float(counts.mean()), 2), "posts/week", n=weeks),
        Evidence("weeks with no post", empty, "weeks", n=weeks),
        Evidence("longest gap between posts", round(longest, 1), "days"),
    ]
    posted = np.sort(counts[counts > 0])
    half = posted.size // 2  # the median of the weeks with posts (np.median's, sorted once)
    typical = 1.0
    if posted.size:
        typical = posted[half] if posted.size % 2 else (posted[half - 1] + posted[half]) / 2
    plan = (
        f"Plan a steady {plural(max(1, round(float(typical))), 'post')} a "
        "week in a content calendar, batch-produce and schedule them, so quiet weeks don't happen."
    )
    if not posted.size:  # the posts all predate the whole weeks counted: no CV to speak of
        return verdict(
            "warn",
            f"No posts in the last {weeks} whole weeks: the longest silence was {longest:.0f} "
            "days.",
            plan,
            ev,
            excess=min(1.0, (longest - t["gap_days"]) / t["gap_days"]),
        )
    ev.insert(
        0, Evidence("coefficient of variation of weekly posts", round(cv, 3), "sd/mean", n=weeks)
    )
    if cv > t["fail"]:
        return verdict(
            "fail",
            f"Posting is very irregular: weekly counts vary by {cv:.1f}× "
            f"their mean over {weeks} weeks, with {empty} empty "
            f"weeks and a longest silence of {longest:.0f} days.",
            plan,
            ev,
            excess=(cv - t["fail"]) / t["fail"],
        )
    if cv > t["warn"] or longest > t["gap_days"]:
        why = (
            f"weekly counts vary by {cv:.1f}× their mean"
            if cv > t["warn"]
            else f"the cadence is steady overall (CV {cv:.2f})"
        )
        gap = f"; the longest silence was {longest:.0f} days" if longest > t["gap_days"] else ""
        return verdict(
            "warn",
            f"Posting is irregular: {why}{gap}.",
            plan,
            ev,
            excess=max(cv - t["warn"], 0) / t["warn"],
        )
    return verdict(
        "ok",
        f"Posting is regular: about {counts.mean():.1f} posts a week, CV "
        f"{cv:.2f}, longest gap {longest:.0f} days.",
        "",
        ev,
    )
