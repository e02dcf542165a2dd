"""KPI checks: is success defined in a way social media can deliver and measure?"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkit.checks._judge import material_fall, pct, unconfirmed_fall, weeks_spanned
from socialkit.checks._registry import each_client, not_assessable, register_check, verdict
from socialkit.findings import Evidence
from socialkit.metrics.concentration import concentration, top_share_statistic
from socialkit.metrics.stats import bootstrap_reps, percentile_ci, theil_sen
from socialkit.schema import PLATFORMS

__all__ = ["VANITY_KPIS", "ACTION_KPIS", "vanity_only"]

#: Counts that grow without saying anything about relationship or business value.
VANITY_KPIS = frozenset({"followers", "likes", "impressions", "reach", "views"})
#: KPIs that measure an action taken towards traffic, leads or sales.
ACTION_KPIS = frozenset(
    {"clicks", "click_through_rate", "conversions", "leads", "sales", "revenue"}
)
#: KPI suggestions per objective, used in recommendations.
FITTING_KPIS = {
    "awareness": "reach growth among the target audience, share of voice, video completion",
    "engagement": "engagement rate, comments and replies, saves, shares",
    "traffic": "clicks and click-through rate",
    "leads": "clicks, leads and cost per lead",
    "sales": "clicks, conversions and revenue attributed to social",
    "loyalty": "repeat commenters, advocates, sentiment",
    "support": "response rate, response time, sentiment",
}


@register_check("kpi.vanity_only")
@each_client
def vanity_only(client, t):
    """Declared KPIs are vanity counts only, or miss the action the objective needs.

    Notes
    -----
    fail when every known declared KPI is one of followers, likes, impressions,
    reach, views; warn when the objective is traffic, leads or sales and no
    click or conversion KPI is declared. KPI names outside the vocabulary are
    listed but not counted either way.
    """
    prof = client.profile
    if not prof.kpis:
        return not_assessable(
            "No KPIs are declared, so we cannot tell how success is judged.",
            "`kpis:` in client.yaml (what the client reports as success)",
        )
    known = [k for k in prof.kpis if k not in prof.unknown_kpis]
    vanity = [k for k in known if k in VANITY_KPIS]
    ev = [
        Evidence("declared KPIs", ", ".join(prof.kpis), "names", n=len(prof.kpis)),
        Evidence("vanity KPIs among them", len(vanity), "KPIs", n=len(known)),
    ]
    if prof.unknown_kpis:
        ev.append(
            Evidence(
                "KPIs not in the vocabulary (ignored)",
                ", ".join(prof.unknown_kpis),
                "names",
                kind="context",
            )
        )
    objective = prof.objective
    fitting = FITTING_KPIS.get(objective or "engagement")
    if not known:
        return not_assessable(
            f"None of the declared KPIs ({', '.join(prof.kpis)}) is in the KPI vocabulary.",
            "KPI names from the vocabulary in DESIGN.md (e.g. click_through_rate for CTR)",
            ev,
        )
    if len(vanity) == len(known):
        return verdict(
            "fail",
            f"Every KPI you track ({', '.join(known)}) is a raw count that grows without "
            "telling whether anyone cares or acts.",
            f"Keep one reach figure for context but judge the strategy on {fitting}"
            + (f" (objective: {objective})." if objective else "; set an `objective:` first."),
            ev,
            excess=1.0,
        )
    if objective in {"traffic", "leads", "sales"} and not set(known) & ACTION_KPIS:
        return verdict(
            "warn",
            f"The objective is {objective}, but no KPI measures a click or a conversion "
            f"(tracked: {', '.join(known)}).",
            f"Add {fitting} to the KPIs and tag links (UTM) so social traffic can be counted.",
            ev,
            excess=0.5,
        )
    return verdict(
        "ok", f"The KPIs ({', '.join(known)}) include outcomes beyond raw counts.", "", ev
    )


# --- engagement-based KPI checks ------------------------------------------------------------

#: KPIs that count interactions (the vocal minority) rather than consumption.
INTERACTION_KPIS = {"likes", "reactions", "comments", "replies", "shares", "engagement_rate"}


@register_check("kpi.virality_dependence")
def virality_dependence(batch, t):
    """A few viral hits carry the results.

    Notes
    -----
    Metric: share of the client's total *relative engagement* (a post's
    interactions ÷ the median of its platform, so a big platform does not pass
    for virality) that comes from its top 5 % of posts (ceil(0.05 n), at least
    one). warn > ``warn`` (0.5), fail > ``fail`` (0.7). Gini is reported
    alongside. Needs ``min_posts`` (20) posts with known interactions.

    The share describes the period's own posts (like the format shares of
    ``content.low_variety``), so the verdict is on the measured share. A 95 %
    bootstrap interval (400 resamples of posts) is shown for how stable it
    is; it is not used for the verdict because the top-5 % share of a few
    hits has a bimodal resampling distribution (a resample misses all three
    hits of 200 posts about 5 % of the time), whose percentile interval
    says little about the period.
    """
    rel = batch.rel
    ts = concentration(rel, batch.pc)
    share = np.full(batch.n, np.nan)
    n = np.zeros(batch.n, dtype=np.int64)
    k = np.zeros(batch.n, dtype=np.int64)
    g_arr = np.full(batch.n, np.nan)
    share[ts["group"]], n[ts["group"]], k[ts["group"]] = ts["share"], ts["n"], ts["k"]
    g_arr[ts["group"]] = ts["gini"]
    lo, hi = np.full(batch.n, np.nan), np.full(batch.n, np.nan)
    cand = np.flatnonzero((n >= t["min_posts"]) & (share > t["warn"]))  # interval where it matters
    if cand.size:
        v, g, starts, lens = _by_client(rel, batch.pc, cand)
        _, reps = bootstrap_reps(
            v, starts, lens, top_share_statistic(0.05), batch.keys[cand], seed=1
        )
        lo[cand], hi[cand] = percentile_ci(reps)
    out = []
    for i in range(batch.n):
        if n[i] < t["min_posts"] or np.isnan(share[i]):
            out.append(
                not_assessable(
                    f"{n[i]} posts with known interactions; concentration needs "
                    f"{t['min_posts']:g}.",
                    f"at least {t['min_posts']:g} posts with reactions, comments or shares",
                    [Evidence("posts with known interactions", int(n[i]), "posts")],
                )
            )
            continue
        ci = None if np.isnan(lo[i]) else (round(float(lo[i]), 3), round(float(hi[i]), 3))
        ev = [
            Evidence(
                f"share of engagement from the top {k[i]} posts (top 5%)",
                round(float(share[i]), 3),
                "share of relative engagement",
                n=int(n[i]),
                ci=ci,
            ),
            Evidence(
                "Gini of engagement across posts", round(float(g_arr[i]), 3), "0–1", n=int(n[i])
            ),
            Evidence(
                "engagement measure", "interactions ÷ platform median", "definition", kind="context"
            ),
        ]
        s = float(share[i])
        status = "fail" if s > t["fail"] else "warn" if s > t["warn"] else "ok"
        head = f"The top {k[i]} of {n[i]} posts bring {pct(s)} of all engagement"
        advice = (
            f"Stop planning for hits: judge posts by the median, and build a repeatable "
            f"series around what your typical posts do well, so the other {n[i] - k[i]} "
            f"posts carry more than {pct(1 - s)} of the engagement."
        )
        if status in ("warn", "fail"):
            out.append(
                verdict(
                    status,
                    f"{head}: results hang on rare hits.",
                    advice,
                    ev,
                    excess=(s - t["warn"]) / (1 - t["warn"]),
                )
            )
        else:
            out.append(verdict("ok", f"{head}: engagement is spread across posts.", "", ev))
    return out


def _by_client(values, pc, codes):
    """The non-NaN values of clients ``codes``, as contiguous segments."""
    keep = np.isin(pc, codes) & ~np.isnan(values)
    v, g = values[keep], pc[keep]
    starts = np.searchsorted(g, codes)
    lens = np.searchsorted(g, codes, side="right") - starts
    return v, g, starts, lens


@register_check("kpi.quantity_over_quality")
def quantity_over_quality(batch, t):
    """Followers grow while engagement per follower falls.

    Notes
    -----
    Followers are the account's size when each post was published (posts'
    ``followers`` column, else the followers table). Growth = summed last ÷
    summed first follower count over the platforms known at both ends, minus
    one. Engagement per follower: per week, interactions ÷ followers summed
    over the week's posts; its Theil–Sen slope (per week) with Sen's 95 %
    interval. fail when growth > ``growth`` (10 %) and the interval is below
    0. warn when some platform's followers jump by more than ``jump`` (20 %)
    from one week to the next and interactions per post in the four weeks
    after are no higher than in the four weeks before. Growth past ``growth``
    while the slope's line falls, over the weeks it covers, by more than
    ``material_fall`` (20 %) of the mean weekly engagement per follower, and its
    interval reaches 0, is inconclusive (``not_assessable``, "Inconclusive: …";
    :func:`~socialkit.checks._judge.material_fall`). Needs ``min_weeks`` (8)
    weeks with both counts.
    """
    W = int(min(max(batch.week.max(initial=0) + 1, 1), 156))
    both = ~np.isnan(batch.inter) & (batch.fol > 0) & (batch.week < W)
    inter_w, fol_w = batch.tables(batch.week, W, batch.inter, batch.fol, mask=both)
    with np.errstate(invalid="ignore", divide="ignore"):
        epf = np.where(fol_w > 0, inter_w / fol_w, np.nan)[:, ::-1]  # time ascending
    known = ~np.isnan(epf)
    weeks_known = known.sum(axis=1)
    span = weeks_spanned(known)  # first to last week with both counts
    ts = theil_sen(epf)
    growth, first_f, last_f = _follower_growth(batch)
    jump, jump_week, lift = _follower_jumps(batch, W)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_epfs = np.nansum(epf, axis=1) / weeks_known
    out = []
    for i in range(batch.n):
        if weeks_known[i] < t["min_weeks"]:
            out.append(
                not_assessable(
                    f"{weeks_known[i]} weeks with both interactions and follower counts; the "
                    f"trend needs {t['min_weeks']:g}.",
                    "follower counts over time (followers export or posts.followers) and "
                    f"interactions over at least {t['min_weeks']:g} weeks",
                    [Evidence("weeks with data", int(weeks_known[i]), "weeks")],
                )
            )
            continue
        slope, lo, hi = ts["slope"][i], ts["low"][i], ts["high"][i]
        mean_epf = float(mean_epfs[i])
        ev = [
            Evidence(
                "follower growth over the window", round(float(growth[i]), 3), "relative growth"
            ),
            Evidence(
                "followers at start → end", f"{first_f[i]:,.0f} → {last_f[i]:,.0f}", "followers"
            ),
            Evidence(  # per 1,000 followers: per follower, the figures read 1.3e-05
                "trend of engagement per 1,000 followers",
                float(f"{slope * 1000:.3g}"),
                "interactions per 1,000 followers per week",
                n=int(weeks_known[i]),
                ci=(float(f"{lo * 1000:.3g}"), float(f"{hi * 1000:.3g}")),
            ),
            Evidence(
                "mean weekly engagement per 1,000 followers",
                float(f"{mean_epf * 1000:.3g}"),
                "interactions per 1,000 followers",
            ),
        ]
        if not np.isnan(jump[i]):
            ev.append(
                Evidence(
                    "largest one-week follower jump",
                    round(float(jump[i]), 3),
                    "weekly relative growth",
                )
            )
            ev.append(
                Evidence(
                    "interactions per post, 4 weeks after ÷ before the jump",
                    round(float(lift[i]), 3),
                    "ratio",
                )
            )
        rel_slope = slope / mean_epf if mean_epf > 0 else np.nan
        if growth[i] > t["growth"] and hi < 0:
            out.append(
                verdict(
                    "fail",
                    f"Followers grew {pct(growth[i])} while engagement per follower fell "
                    f"{pct(-rel_slope, 1)} of its mean each week (Theil–Sen, CI excludes 0): "
                    "the audience is growing in size, not in interest.",
                    "Stop buying reach (giveaways, follow-for-follow, broad ads); judge growth by "
                    "engagement per follower and grow through content your current followers "
                    "interact with.",
                    ev,
                    excess=min(1.0, -rel_slope * 10),
                )
            )
        elif not np.isnan(jump[i]) and jump[i] > t["jump"] and lift[i] <= 1.0:
            out.append(
                verdict(
                    "warn",
                    f"Followers jumped {pct(jump[i])} in one week ({jump_week[i]}) but interactions "
                    f"per post did not rise after it ({lift[i]:.2f}× the 4 weeks before): the new "
                    "followers do not engage.",
                    "Check where that week's followers came from (giveaway, paid campaign, bought "
                    "followers) and report engagement per follower next to follower counts.",
                    ev,
                    excess=min(1.0, (jump[i] - t["jump"]) / t["jump"]),
                )
            )
        elif (
            growth[i] > t["growth"]
            and hi >= 0
            and material_fall(slope, span[i], mean_epf, t["material_fall"])
        ):
            out.append(
                unconfirmed_fall(
                    f"followers grew {pct(growth[i])} and engagement per follower",
                    f"{int(span[i])} weeks",
                    slope * span[i] / mean_epf,
                    t,
                    ev,
                    "more weeks of posts with interactions and audience counts, so that the "
                    "trend can tell a fall from week-to-week swings",
                )
            )
        else:
            msg = (
                f"Followers changed {pct(growth[i])} and engagement per follower "
                + ("fell" if hi < 0 else "rose" if lo > 0 else "shows no clear trend")
                + " over the window."
            )
            out.append(verdict("ok", msg, "", ev))
    return out


def _follower_growth(batch):
    """Per client: relative growth, summed first and last follower counts."""
    known = np.flatnonzero(batch.fol > 0)
    cp = batch.cp[known]
    # each client and platform's first and last post with a count (posts are in time order)
    first = np.full(batch.n * len(PLATFORMS), known.size)
    last = np.full(batch.n * len(PLATFORMS), -1)
    np.minimum.at(first, cp, np.arange(known.size))
    np.maximum.at(last, cp, np.arange(known.size))
    seen = np.flatnonzero(last >= 0)
    client = seen // len(PLATFORMS)
    f = batch.fol[known]
    a = np.bincount(client, weights=f[first[seen]], minlength=batch.n)
    b = np.bincount(client, weights=f[last[seen]], minlength=batch.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(a > 0, b / a - 1, np.nan), a, b


def _follower_jumps(batch, W):
    """Per client: the largest week-on-week follower jump on any platform (accounts of
    100+ followers), its week, and interactions per post 4 weeks after ÷ before."""
    n_cp = batch.n * len(PLATFORMS)
    known = (batch.fol > 0) & (batch.week < W)
    last = np.full((n_cp, W), np.nan)
    # the latest count seen in each week (posts are sorted by time)
    idx = batch.cp[known] * W + batch.week[known]
    flat = last.ravel()
    flat[idx] = batch.fol[known]
    last = flat.reshape(n_cp, W)
    prev = last[:, 1:]  # week w+1 is the week before w
    with np.errstate(invalid="ignore", divide="ignore"):
        j = np.where(prev >= 100, last[:, :-1] / prev - 1, np.nan)
    jump = np.full(batch.n, np.nan)
    week = np.full(batch.n, -1)
    lift = np.full(batch.n, np.nan)
    if j.size == 0 or np.isnan(j).all():
        return jump, np.array(["" for _ in range(batch.n)], dtype=object), lift
    jj = np.where(np.isnan(j), -np.inf, j).reshape(batch.n, -1)
    best = jj.argmax(axis=1)
    has = np.isfinite(jj[np.arange(batch.n), best])
    jump[has] = jj[np.arange(batch.n), best][has]
    week[has] = best[has] % (W - 1)
    has_i = ~np.isnan(batch.inter)
    sums, cnt = batch.tables(batch.week, W, batch.inter, None, mask=has_i)
    labels = np.empty(batch.n, dtype=object)
    for i in np.flatnonzero(has):
        w = week[i]
        after = slice(max(w - 3, 0), w + 1)  # the jump week and up to 3 after
        before = slice(w + 1, w + 5)
        a = sums[i, after].sum() / max(cnt[i, after].sum(), 1)
        b = sums[i, before].sum() / max(cnt[i, before].sum(), 1)
        lift[i] = a / b if b > 0 else np.nan
        start = pd.Timestamp(batch.end_ns[i], tz="UTC") - pd.Timedelta(days=7 * (w + 1))
        labels[i] = f"week of {start.date().isoformat()}"
    return jump, labels, lift


@register_check("kpi.silent_majority")
def silent_majority(batch, t):
    """KPIs count only the vocal few while most of the audience just consumes.

    Notes
    -----
    Consumption = clicks + video views of a post (known parts); interactions =
    reactions + comments + shares, over the posts that have a consumption
    count. warn when every declared KPI is an interaction count
    (:data:`INTERACTION_KPIS`) and consumption ÷ interactions > ``ratio``
    (20): the KPIs then describe roughly the 1–10 % who respond.
    """
    clicks, views = batch.counts("clicks"), batch.counts("video_views")
    has_c = ~(np.isnan(clicks) & np.isnan(views))
    # the known parts, summed in the order a sum over the two stacked columns takes
    c = np.where(np.isnan(clicks), 0, clicks) + np.where(np.isnan(views), 0, views)
    use = has_c & ~np.isnan(batch.inter)
    c_sum = batch.per_client(c, use)
    i_sum = batch.per_client(batch.inter, use)
    n_use = batch.per_client(np.ones(len(c)), use, how="count") if len(c) else np.zeros(batch.n)
    out = []
    for i, m in enumerate(batch.meta):
        kpis = m.profile.kpis
        if not kpis:
            out.append(
                not_assessable("The client's KPIs are not stated.", "`kpis:` in client.yaml")
            )
            continue
        if n_use[i] == 0 or i_sum[i] == 0:
            out.append(
                not_assessable(
                    "No posts with both clicks or video views and interactions.",
                    "posts with clicks or video_views (and reactions/comments/shares)",
                )
            )
            continue
        ratio = c_sum[i] / i_sum[i]
        only = set(kpis) <= INTERACTION_KPIS
        ev = [
            Evidence(
                "consumption per interaction",
                round(float(ratio), 2),
                "(clicks + video views) ÷ interactions",
                n=int(n_use[i]),
            ),
            Evidence("declared KPIs", ", ".join(kpis), "names"),
        ]
        if only and ratio > t["ratio"]:
            out.append(
                verdict(
                    "warn",
                    f"For every interaction your posts get {ratio:.0f} clicks or video views, yet "
                    f"the KPIs ({', '.join(kpis)}) count only interactions: most of the audience "
                    "reads and never responds.",
                    "Add a consumption KPI (clicks, video views or reach) next to the interaction "
                    "KPIs, and stop judging posts only by replies.",
                    ev,
                    excess=min(1.0, (ratio - t["ratio"]) / t["ratio"]),
                )
            )
        else:
            others = [k for k in kpis if k not in INTERACTION_KPIS]
            why = (
                f"they count more than interactions ({', '.join(others)})"
                if not only
                else f"consumption is {ratio:.0f}× interactions, within the threshold"
            )
            out.append(
                verdict("ok", f"The KPIs are not blind to the silent majority: {why}.", "", ev)
            )
    return out
