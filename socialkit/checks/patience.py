"""Patience checks: is the strategy given enough time to work?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkit.checks._registry import each_client, not_assessable, register_check, verdict
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
    "improving: keep going". Needs ``min_weeks`` (12) weeks with posts.
    """
    W = TREND_WEEKS
    ok = ~np.isnan(batch.rel) & (batch.week < W)
    s = batch.table(batch.week, W, batch.rel, ok)
    c = batch.table(batch.week, W, mask=ok)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(c > 0, s / c, np.nan)[:, ::-1]  # oldest week first
    weeks = (c > 0).sum(axis=1)
    has = c[:, ::-1] > 0
    # weeks from the client's first to its last week with posts (the span the slope covers)
    span = np.where(weeks > 0, W - 1 - np.argmax(has[:, ::-1], axis=1) - np.argmax(has, axis=1), 0)
    enough = weeks >= t["min_weeks"]
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
        if not enough[i]:
            out.append(
                not_assessable(
                    f"{int(weeks[i])} weeks with posts and engagement; a trend needs "
                    f"{t['min_weeks']:g}.",
                    f"at least {t['min_weeks']:g} weeks of posts with interactions",
                    [Evidence("weeks with posts", int(weeks[i]), "weeks")],
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
        else:
            out.append(
                verdict(
                    "ok", f"No significant trend over {months:.0f} months (p = {p:.2f}).", "", ev
                )
            )
    return out


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
    how long it had run before).
    """
    found = []
    for key, names, kind in (
        (batch.platform, PLATFORMS, "platform"),
        (batch.format, FORMATS, "format"),
    ):
        has = key >= 0
        grp = batch.pc[has] * len(names) + key[has]
        tt = batch.t_ns[has]
        df = pd.DataFrame({"g": grp, "t": tt})
        agg = df.groupby("g")["t"].agg(["min", "max", "size"])
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
