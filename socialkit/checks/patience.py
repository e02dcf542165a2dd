"""Patience checks: is the strategy given enough time to work?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkit.checks._judge import material_fall, unconfirmed_fall, weeks_spanned
from socialkit.checks._registry import each_client, not_assessable, register_check, verdict
from socialkit.checks._windows import (
    Scope,
    ended_long_before,
    observed_ns,
    post_scopes,
    stale_note,
)
from socialkit.findings import Evidence
from socialkit.fmt import plural
from socialkit.metrics.stats import mann_kendall, theil_sen
from socialkit.schema import FORMATS, PLATFORMS

__all__ = ["window_too_short", "long_run_trend", "premature_abandonment"]


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


#: Trends use at most the last this many weeks.
TREND_WEEKS = 104
#: A platform or format counts as stopped when its last post is this many days
#: before the end of the data.
STOPPED_DAYS = 28
#: …and it needs at least this many posts to count as tried.
MIN_TRIAL_POSTS = 3
#: A trend needs this many weeks with posts in each half of its period.
MIN_SIDE_WEEKS = 4


@register_check("patience.long_run_trend")
def long_run_trend(batch, t):
    """Is engagement per post rising or falling over the months?

    Notes
    -----
    Weekly mean relative engagement (interactions ÷ the median of the post's
    platform) over up to :data:`TREND_WEEKS` weeks; weeks without posts are
    missing, not zero. Mann–Kendall test (two-sided, tie-corrected) with the
    Theil–Sen slope and Sen's 95 % interval. fail when p < ``alpha`` (0.05)
    and the trend is down; a significant rise is ``ok`` with the message
    "improving: keep going". When the test finds no trend but the Theil–Sen
    line falls, over the weeks it covers, by more than ``material_fall`` (20 %)
    of the mean weekly level (:func:`~socialkit.checks._judge.material_fall`),
    the check is inconclusive (``not_assessable``, "Inconclusive: …"): a noisy
    history whose estimate falls that much neither clears the client nor shows
    the problem. Needs ``min_weeks`` (12) weeks with posts, at least
    :data:`MIN_SIDE_WEEKS` of them in each half of the period. When the
    platforms' exports do not share the whole history, the trend is read over
    their common window, or on the platform with the most weeks in its own
    window (:mod:`socialkit.checks._windows`), and the finding says so; in
    their own windows too when the common window ended more than
    ``min_weeks`` weeks before the end of the data.

    A platform read in its own window whose export ended more than ``min_weeks``
    weeks before the rest of the data is described, not judged
    (:func:`~socialkit.checks._windows.ended_long_before`): a trend needs
    ``min_weeks`` weeks to show, so more than a trend's length of that
    platform's engagement is unseen, and its slope says nothing about how the
    platform does now. The trend is then read on a platform whose export
    reaches the recent weeks; when none has enough weeks, the check is not
    assessable and names the platform, its export's period and the data that
    would settle it (a current export of that platform).
    """
    W = TREND_WEEKS
    ok = ~np.isnan(batch.rel) & (batch.week < W)
    s, c = batch.tables(batch.week, W, batch.rel, None, mask=ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(c > 0, s / c, np.nan)[:, ::-1]  # oldest week first
    scoped = _scoped_series(batch, t, W)
    for i, (row, _, _, _) in scoped.items():
        y[i] = row
    has = ~np.isnan(y)
    weeks = has.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        level = np.nansum(y, axis=1) / weeks  # the mean week, × platform median
    span = weeks_spanned(has)  # first to last week with posts
    side = _weeks_each_side(has)
    enough = (weeks >= t["min_weeks"]) & (side >= MIN_SIDE_WEEKS)
    mk = {k: np.full(batch.n, np.nan) for k in ("p", "s")}
    ts = {k: np.full(batch.n, np.nan) for k in ("slope", "low", "high")}
    if enough.any():
        sub = y[enough]
        first = np.argmax(~np.isnan(sub), axis=1).min()  # drop leading all-empty columns
        sub = sub[:, first:]
        r = mann_kendall(sub)
        mk["p"][enough], mk["s"][enough] = r["p"], r["s"]
        r = theil_sen(sub)
        for k in ts:
            ts[k][enough] = r[k]
    out = []
    for i in range(batch.n):
        how = scoped[i][1] + " " if i in scoped and scoped[i][1] else ""
        stale = scoped[i][2] if i in scoped else []
        ended = stale_note(stale, t["min_weeks"])
        # what would settle it when a platform was left out for its old export
        current = (
            ", or a current export of "
            + ", ".join(sc.name for sc in stale)
            + " (reaching the recent weeks, with interactions)"
            if stale
            else ""
        )
        if stale and scoped[i][3] is None:
            out.append(
                not_assessable(
                    f"{how}No platform's export reaches the last weeks of the data, so how "
                    f"engagement is going now is unknown.{ended}",
                    "exports of the platforms that reach the recent weeks, with interactions",
                )
            )
            continue
        if weeks[i] < t["min_weeks"]:
            out.append(
                not_assessable(
                    f"{how}{int(weeks[i])} weeks with posts and engagement; a trend needs "
                    f"{t['min_weeks']:g}.{ended}",
                    f"at least {t['min_weeks']:g} weeks of posts with interactions{current}",
                    [Evidence("weeks with posts", int(weeks[i]), "weeks")],
                )
            )
            continue
        if not enough[i]:
            out.append(
                not_assessable(
                    f"{how}{int(weeks[i])} weeks with posts and engagement, but only "
                    f"{int(side[i])} of them in one half of the period: a trend needs "
                    f"{MIN_SIDE_WEEKS} weeks with posts on each side.{ended}",
                    f"posts spread over the period: at least {MIN_SIDE_WEEKS} weeks with posts "
                    f"in each half{current}",
                    [
                        Evidence("weeks with posts", int(weeks[i]), "weeks"),
                        Evidence("weeks with posts in the thinner half", int(side[i]), "weeks"),
                    ],
                )
            )
            continue
        slope, lo, hi, p = ts["slope"][i], ts["low"][i], ts["high"][i], mk["p"][i]
        ev = [
            Evidence(
                "trend of weekly engagement per post",
                round(float(slope), 4),
                "× platform median per week",
                n=int(weeks[i]),
                ci=(round(float(lo), 4), round(float(hi), 4)),
            ),
            Evidence("Mann–Kendall p-value", round(float(p), 4), "p", n=int(weeks[i])),
            Evidence(
                "change over the period (Theil–Sen)",
                round(float(slope * span[i]), 3),
                f"× platform median over {int(span[i])} weeks",
                kind="context",
            ),
            Evidence(
                "mean weekly engagement per post",
                round(float(level[i]), 3),
                "× platform median",
                n=int(weeks[i]),
                kind="context",
            ),
        ]
        months = weeks[i] / 4.33
        if p < t["alpha"] and mk["s"][i] < 0:
            out.append(
                verdict(
                    "fail",
                    f"Engagement per post has been falling over {months:.0f} months "
                    f"(Mann–Kendall p = {p:.3f}; {slope:+.3f}× the typical post per week).",
                    "Find what changed when the decline began (formats, topics, frequency, "
                    "platform changes) and run one controlled test at a time for 8–12 weeks; "
                    "don't judge each test before it has run its course.",
                    ev,
                    excess=min(1.0, (t["alpha"] - p) / t["alpha"]),
                )
            )
        elif p < t["alpha"]:
            out.append(
                verdict(
                    "ok",
                    f"Improving: keep going. Engagement per post has risen over "
                    f"{months:.0f} months (p = {p:.3f}).",
                    "",
                    ev,
                )
            )
        elif material_fall(slope, span[i], level[i], t["material_fall"]):
            f = unconfirmed_fall(
                "engagement per post",
                f"{months:.0f} months",
                slope * span[i] / level[i],
                t,
                ev + [Evidence("threshold alpha", t["alpha"], "p-value", kind="threshold")],
                "more weeks of posts with interactions, so that the trend test can tell a "
                "fall from week-to-week swings",
                tail=f" (p = {p:.2f}). {how}{ended}".rstrip(" "),
            )
            out.append(f)
        else:
            out.append(
                verdict(
                    "ok", f"No significant trend over {months:.0f} months (p = {p:.2f}).", "", ev
                )
            )
    for i, (_, how, stale, _) in scoped.items():
        if out[i].status != "not_assessable":
            out[i].message = f"{how} {out[i].message}{stale_note(stale, t['min_weeks'])}"
    return out


def _seen_stopping(batch, r) -> bool:
    """Whether the exports show the platform or format starting and stopping: on every
    platform it was posted on, the exports begin over a week before its first post and
    run on for :data:`STOPPED_DAYS` after its last (an export that simply ends, or
    begins late, is not a trial that was dropped)."""
    obs = observed_ns(batch.meta[r.client])
    if not obs:  # no windows known (a batch built by hand): the posts decide, as before
        return True
    lo, hi = batch.p_starts[r.client], batch.p_starts[r.client + 1]
    if r.kind == "platform":
        plats = [r.name]
    else:
        code = FORMATS.index(r.name)
        used = batch.platform[lo:hi][batch.format[lo:hi] == code]
        plats = [PLATFORMS[c] for c in np.unique(used) if c >= 0]
    last_day = int(batch.end_ns[r.client]) - 86400 * 10**9
    for p in plats:
        if p not in obs:
            continue
        start = obs[p][0][0]
        end = max(e for s, e in obs[p] if s <= r.max) if any(s <= r.max for s, _ in obs[p]) else 0
        end = int(batch.end_ns[r.client]) if end >= last_day else end
        if (end - r.max) / 86400e9 < STOPPED_DAYS or (r.min - start) / 86400e9 <= 7:
            return False
    return True


def _weeks_each_side(has: np.ndarray) -> np.ndarray:
    """Per row: weeks with data in the thinner half of its span (first to last week with data)."""
    n, w = has.shape
    out = np.zeros(n, dtype=np.int64)
    any_ = has.any(axis=1)
    first = np.argmax(has, axis=1)
    last = w - 1 - np.argmax(has[:, ::-1], axis=1)
    mid = (first + last) / 2
    col = np.arange(w)[None, :]
    early = (has & (col < mid[:, None])).sum(axis=1)
    late = (has & (col > mid[:, None])).sum(axis=1)
    out[any_] = np.minimum(early, late)[any_]
    return out


def _scoped_series(batch, t, W) -> dict[int, tuple[np.ndarray, str, list, Scope | None]]:
    """Weekly engagement rows for the clients whose platforms' exports do not share
    their whole history: read over the common window, or on the platform with the
    most weeks in its own window (a trend across two platforms' separate periods
    would be a change of platform, not of engagement). A scope whose export ended
    more than ``min_weeks`` weeks before the rest of the data is not read: per client,
    the row, the sentence for the finding, those scopes (to be named) and the scope
    read (None when every one ended long before)."""
    out = {}
    for i in range(batch.n):
        scopes, how = post_scopes(batch, i, 7 * t["min_weeks"])
        if not how:
            continue
        old = [ended_long_before(batch, i, sc, t["min_weeks"]) for sc in scopes]
        stale = [sc for sc, o in zip(scopes, old, strict=True) if o]
        best = (0, np.full(W, np.nan), None)
        for sc, o in zip(scopes, old, strict=True):
            if o:
                continue
            row = _scope_row(batch, i, sc, W)
            n = int((~np.isnan(row)).sum())
            if best[2] is None or n > best[0]:
                best = (n, row, sc)
        _, row, sc = best
        if sc is not None and len(scopes) > 1:
            if not stale:
                how += f" The trend is read on {sc.name}, the platform with the most weeks."
            elif len(scopes) - len(stale) > 1:
                how += (
                    f" The trend is read on {sc.name}, the platform with the most weeks among "
                    "those whose exports reach the recent weeks."
                )
            else:
                how += f" The trend is read on {sc.name}, whose export reaches the recent weeks."
        out[i] = (row, how, stale, sc)
    return out


def _scope_row(batch, i, sc, W) -> np.ndarray:
    m = sc.rows(batch, i)
    m = m[~np.isnan(batch.rel[m])]
    wk = (np.ceil((sc.end - batch.t_ns[m]) / (7 * 86400e9)) - 1).astype(np.int64)
    keep = (wk >= 0) & (wk < W)
    s = np.bincount(wk[keep], batch.rel[m][keep], minlength=W)
    c = np.bincount(wk[keep], minlength=W)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(c > 0, s / c, np.nan)[::-1]


def _time_span(codes, t, size) -> pd.DataFrame:
    """First and last time and number of posts of each code in 0…``size``-1 that occurs
    (index ``g``, columns ``min``, ``max``, ``size``)."""
    count = np.bincount(codes, minlength=size)
    first = np.full(size, np.iinfo(np.int64).max)
    last = np.full(size, np.iinfo(np.int64).min)
    np.minimum.at(first, codes, t)
    np.maximum.at(last, codes, t)
    g = np.flatnonzero(count)
    return pd.DataFrame(
        {"min": first[g], "max": last[g], "size": count[g]}, index=pd.Index(g, name="g")
    )


@register_check("patience.premature_abandonment")
def premature_abandonment(batch, t):
    """A platform or format was tried for a few weeks and then dropped.

    Notes
    -----
    For each platform and each format of a client: first and last post. warn
    when one with at least :data:`MIN_TRIAL_POSTS` posts was used for less
    than ``weeks`` (8) weeks, its last post is :data:`STOPPED_DAYS` or more
    days before the end of the data while the client kept posting elsewhere,
    and it did not start in the first week of the data (then we cannot tell
    how long it had run before). With data windows known, the exports of the
    platform(s) it was posted on must show it: begin over a week before its
    first post and run on for :data:`STOPPED_DAYS` after its last — a
    platform whose export simply ends is not a dropped trial.
    """
    found = []
    for key, names, kind in (
        (batch.platform, PLATFORMS, "platform"),
        (batch.format, FORMATS, "format"),
    ):
        has = key >= 0
        grp = batch.pc[has] * len(names) + key[has]
        agg = _time_span(grp, batch.t_ns[has], batch.n * len(names))
        agg["client"] = agg.index // len(names)
        agg["name"] = [names[v % len(names)] for v in agg.index]
        agg["kind"] = kind
        found.append(agg)
    agg = pd.concat(found)
    day = 86400e9
    first_post = np.full(batch.n, np.iinfo(np.int64).max)
    last_post = np.zeros(batch.n, dtype=np.int64)
    has = batch.n_posts > 0
    first_post[has] = batch.t_ns[batch.p_starts[:-1][has]]
    last_post[has] = batch.t_ns[batch.p_starts[1:][has] - 1]
    c = agg["client"].to_numpy()
    used_weeks = (agg["max"] - agg["min"]).to_numpy() / (7 * day)
    quiet_days = (batch.end_ns[c] - agg["max"].to_numpy()) / day
    late_start = (agg["min"].to_numpy() - first_post[c]) / day > 7
    kept_on = (last_post[c] - agg["max"].to_numpy()) / day >= STOPPED_DAYS
    agg["used_weeks"] = used_weeks
    agg["quiet_days"] = quiet_days
    agg["flag"] = (
        (agg["size"] >= MIN_TRIAL_POSTS)
        & (used_weeks < t["weeks"])
        & (quiet_days >= STOPPED_DAYS)
        & late_start
        & kept_on
    )
    flagged = agg[agg["flag"]]
    seen = np.array([_seen_stopping(batch, r) for r in flagged.itertuples()], dtype=bool)
    flagged = flagged.loc[seen] if len(flagged) else flagged
    by_client = {k: g for k, g in flagged.groupby("client")}
    out = []
    for i in range(batch.n):
        if batch.n_posts[i] == 0:
            out.append(not_assessable("There are no posts.", "a posts table or platform exports"))
            continue
        span = (batch.end_ns[i] - first_post[i]) / (7 * day)
        if span < t["weeks"]:
            out.append(
                not_assessable(
                    f"Only {span:.1f} weeks of posts; an abandoned trial needs more than "
                    f"{t['weeks']:g}.",
                    f"posts covering more than {t['weeks']:g} weeks",
                )
            )
            continue
        g = by_client.get(i)
        if g is None:
            out.append(
                verdict(
                    "ok",
                    "No platform or format was dropped after a short trial.",
                    "",
                    [Evidence("history", round(float(span), 1), "weeks")],
                )
            )
            continue
        ev = [
            Evidence(
                f"{r.kind} {r.name}: used for",
                round(float(r.used_weeks), 1),
                "weeks",
                n=int(r.size),
            )
            for r in g.itertuples()
        ]
        ev += [
            Evidence(
                f"{r.kind} {r.name}: days since last post",
                round(float(r.quiet_days)),
                "days",
                kind="context",
            )
            for r in g.itertuples()
        ]
        names = ", ".join(
            f"{r.name} ({r.kind}, {plural(r.size, 'post')} over {plural(round(r.used_weeks), 'week')})"
            for r in g.itertuples()
        )
        out.append(
            verdict(
                "warn",
                f"Tried briefly, then dropped: {names}.",
                f"Give a new platform or format a fair test: plan at least {t['weeks'] * 1.5:.0f} "
                "weeks at a steady rhythm, with a success measure agreed up front, before "
                "deciding; if one of these is still relevant, restart it on those terms.",
                ev,
                excess=min(1.0, len(g) / 3),
            )
        )
    return out
