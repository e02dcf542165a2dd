"""Platform checks: the right platforms, each fed well enough."""

from __future__ import annotations

import numpy as np

from socialkit.benchmarks import age_reach, engagement_benchmark
from socialkit.checks._judge import (
    ci_text,
    inconclusive_finding,
    pct,
    share_evidence,
    status_above,
    status_below,
)
from socialkit.checks._registry import not_assessable, register_check, verdict
from socialkit.checks._windows import covered_weeks, ended_before, shared_days
from socialkit.findings import Evidence
from socialkit.fmt import join, platform_name, plural
from socialkit.fmt import ratio as fmt_ratio
from socialkit.limits import limit
from socialkit.metrics import posts_per_week
from socialkit.metrics.copies import long_texts, near_duplicate_flags
from socialkit.metrics.engagement import platform_engagement
from socialkit.metrics.stats import wilson_ci
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
    when any active platform gets fewer than ``warn_rate`` (1). A platform
    whose exports begin inside the window is rated over the weeks since (at
    least one); a platform whose exports end before the window is not
    counted, and then an ``ok`` becomes ``not_assessable`` (whether it is still
    posted to cannot be told).
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
            begin = int(batch.end_ns[i] - weeks[i] * 7 * 86400e9)
            for p, w in covered_weeks(batch, i, begin, int(batch.end_ns[i])).items():
                # a platform whose export covers part of the window: its rate over that part
                if p in rate and 0 < w < weeks[i] - 0.5:
                    rate[p] *= weeks[i] / max(w, 1.0)
            f = _judge_dilution(rate, float(weeks[i]), m.profile.platforms, t)
            stale = ended_before(batch, i, int(batch.end_ns[i] - weeks[i] * 7 * 86400e9))
            if stale and f.status != "fail":
                # platforms whose exports end before the window: active or not is unknown
                names = join(f"{platform_name(p)} (export ends {d})" for p, d in stale)
                what = f"The last {weeks[i]:.0f} weeks of data hold no export of {names}"
                if f.status == "warn":
                    f.message += f" {what}, so it is not counted."
                else:
                    f = not_assessable(
                        f"{what}: whether it is still posted to cannot be told. {f.message}",
                        "exports of every platform covering the same recent weeks",
                        f.evidence,
                    )
            out.append(f)
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
    rates = ", ".join(f"{platform_name(p)} {r:.1f}" for p, r in rate.items())
    best = list(rate)[-1]
    if len(thin) >= t["fail_platforms"]:
        # the two busiest; among equally thin ones, those listed first in client.yaml
        order = list(declared or [])
        keep = sorted(rate, key=lambda p: (-rate[p], order.index(p) if p in order else len(order)))
        keep = keep[:2]
        return verdict(
            "fail",
            f"{len(rate)} platforms are active and {len(thin)} of them get fewer than "
            f"{t['fail_rate']:g} posts a week (posts/week: {rates}).",
            f"Focus: concentrate on two platforms (e.g. {join(map(platform_name, keep))}) at 3+ "
            "posts a week each, and pause or archive "
            f"{join(platform_name(p) for p in thin if p not in keep)}.",
            ev,
            excess=(len(thin) - t["fail_platforms"] + 1) / 3,
        )
    if starved:
        names = join(map(platform_name, starved))
        advice = (
            f"Either give {names} a weekly slot in the calendar or stop it and move the effort "
            f"to {platform_name(best)} ({rate[best]:.1f} posts/week)."
            if best not in starved
            else f"Give {names} a fixed weekly slot in the calendar (at least "
            f"{t['warn_rate']:g} post a week); an account that goes quiet for weeks loses reach "
            "and followers' attention."
        )
        return verdict(
            "warn",
            f"{names} get{'s' if len(starved) == 1 else ''} fewer than "
            f"{t['warn_rate']:g} post a week (posts/week: {rates}).",
            advice,
            ev,
            excess=float((t["warn_rate"] - min(rate[p] for p in starved)) / t["warn_rate"]),
        )
    # the average rate only: how evenly the posts are spread is strategy.irregular_cadence's
    each = ", each" if len(rate) > 1 else ""
    return verdict(
        "ok",
        f"{plural(len(rate), 'active platform')}{each} with at least {t['warn_rate']:g} post a "
        f"week on average (posts/week: {rates}).",
        "",
        ev,
    )


#: Posts from the last this many weeks are compared with the benchmarks.
RECENT_WEEKS = 26
#: A platform needs this many posts with an engagement rate to be compared.
MIN_PLATFORM_POSTS = 10
#: A benchmark measured more than this many years from the client's data is not compared
#: with it: organic reach on every network has moved a lot in a few years.
MAX_BENCHMARK_YEARS = 3


@register_check("platform.underperforming")
def underperforming(batch, t):
    """A platform's engagement rate is far below its industry benchmark.

    Notes
    -----
    Per platform, over the last :data:`RECENT_WEEKS` weeks: the median
    engagement rate by followers (interactions ÷ followers when posted — the
    definition of the bundled Rival IQ benchmark, so the two are comparable;
    DIAGNOSES.md's "by reach, else followers" would compare a reach-based rate
    with a follower-based benchmark) with a distribution-free 95 % interval
    for the median. fail when the interval's high end < ``fail`` (0.25) × the
    benchmark, warn when < ``warn`` (0.5) ×. The benchmark is the client's
    industry row if the table has one, else all industries. Platforms without
    a benchmark row, with fewer than :data:`MIN_PLATFORM_POSTS` posts, or whose
    benchmark's year is more than :data:`MAX_BENCHMARK_YEARS` years from the year
    the client's data end are listed as not assessed.
    """
    per = platform_engagement(batch, RECENT_WEEKS)
    by_client: dict[int, list] = {}
    for r in per.itertuples():  # one pass; per-client .iloc costs seconds at 1,000 clients
        by_client.setdefault(r.client, []).append(r)
    out = []
    for i, m in enumerate(batch.meta):
        rows, skipped, ev = [], [], []
        why = {}  # what each skipped platform lacks -> what would settle it
        for r in by_client.get(i, []):
            bench = engagement_benchmark(r.platform, m.profile.industry)
            if bench is None:
                skipped.append(f"{r.platform} (no published benchmark bundled)")
                why["bench"] = (
                    "posts on Facebook, Instagram, X or TikTok (the platforms with a bundled "
                    "benchmark)"
                )
            elif r.n < MIN_PLATFORM_POSTS:
                skipped.append(f"{r.platform} ({r.n} posts with followers known)")
                why["few"] = (
                    f"at least {MIN_PLATFORM_POSTS} posts with interactions and follower counts "
                    "on a platform with a bundled benchmark"
                )
            elif m.as_of and abs(int(bench["year"]) - m.as_of.year) > MAX_BENCHMARK_YEARS:
                skipped.append(
                    f"{r.platform} (its benchmark is from {bench['year']}, the posts from "
                    f"{m.as_of.year})"
                )
                why["old"] = (
                    f"a recent export: posts within {MAX_BENCHMARK_YEARS} years of the "
                    f"benchmark's year ({bench['year']})"
                )
            else:
                rows.append((r.platform, int(r.n), r.median, r.low, r.high, bench))
        if not rows:
            # what the skipped platforms lack (UCI's 2014 page has its follower counts:
            # only the years stand between it and the 2024 benchmark)
            needs = "; ".join(why.values()) or (
                f"at least {MIN_PLATFORM_POSTS} recent posts with interactions and follower "
                "counts on Facebook, Instagram, X or TikTok (the platforms with a bundled "
                f"benchmark), within {MAX_BENCHMARK_YEARS} years of the benchmark's year"
            )
            out.append(
                not_assessable(
                    "No platform could be compared with a benchmark"
                    + (f": {'; '.join(skipped)}." if skipped else "."),
                    needs,
                )
            )
            continue
        worst = None
        for plat, n, md, lo, hi, b in rows:
            r = b["engagement_rate"]
            ev.append(
                Evidence(
                    f"median engagement rate on {plat}",
                    float(f"{md:.3g}"),
                    "interactions ÷ followers",
                    n=n,
                    ci=(float(f"{lo:.3g}"), float(f"{hi:.3g}")),
                )
            )
            ev.append(
                Evidence(
                    f"benchmark for {plat} ({b['industry'].replace('_', ' ')})",
                    r,
                    "interactions ÷ followers",
                    kind="context",
                )
            )
            ev.append(
                Evidence(
                    f"benchmark source for {plat}",
                    f"{b['report']} — {b['definition']} — {b['source']}",
                    "citation",
                    kind="context",
                )
            )
            status = status_below(hi / r, t["warn"], t["fail"])
            key = (_RANK[status], -(md / r))
            if worst is None or key > worst[0]:
                worst = (key, status, plat, md, lo, hi, r, n, b)
        if skipped:
            ev.append(
                Evidence("platforms not compared", "; ".join(skipped), "names", kind="context")
            )
        _, status, plat, md, lo, hi, r, n, b = worst
        plat = platform_name(plat)  # from here on only in words the client reads
        ratio = md / r
        if status == "ok":
            where = "at or above" if ratio >= 1 else "within reach of"
            msg = (
                f"Every compared platform is {where} its benchmark "
                f"(lowest: {plat} at {fmt_ratio(ratio)} the {b['year']} benchmark)."
            )
            if ratio < t["warn"]:
                out.append(
                    inconclusive_finding(
                        f"{plat}'s median post gets {ratio:.2f}× its benchmark.",
                        ratio,
                        lo / r,
                        hi / r,
                        t["warn"],
                        ev,
                        lambda x: f"{x:.2f}×",
                        needs=f"more posts on {plat}, so that the 95 % interval clears the "
                        "threshold one way or the other",
                    )
                )
                continue
            out.append(verdict("ok", msg, "", ev))
        else:
            out.append(
                verdict(
                    status,
                    f"On {plat} your median post reaches {md:.3%} of followers in interactions, "
                    f"{ratio:.2f}× the {b['industry'].replace('_', ' ')} benchmark of {r:.3%} "
                    f"({b['report']}); even the top of the 95% CI is {hi / r:.2f}×.",
                    f"Rework {plat}: study what its top accounts in your industry post (formats, "
                    f"length, timing) and run 4-week content tests; if {plat} still sits below "
                    f"{t['warn']:g}× the benchmark after that, move the effort to a platform that "
                    "fits your audience.",
                    ev,
                    excess=1 - hi / r / t["warn"],
                )
            )
    return out


_RANK = {"ok": 0, "warn": 1, "fail": 2}


@register_check("platform.cross_post_copies")
def cross_post_copies(batch, t):
    """The same text pasted on several platforms.

    Notes
    -----
    A post is a copy when another platform of the same client has a post
    within ``hours`` (48) whose TF-IDF cosine (IDF computed within the client)
    is at least ``similarity`` (0.9): see
    :func:`socialkit.metrics.text.near_duplicate_flags`. Share = copies ÷
    posts with text, with a Wilson 95 % interval; warn when its low end >
    ``warn`` (0.3), fail when > ``fail`` (0.6). Needs 20 posts with text on
    at least two platforms. Texts are compared on their first
    ``MAX_TEXT_CHARS`` characters (:mod:`socialkit.limits`); the evidence
    counts the texts so cut.
    """
    has = batch.has_text
    cut = batch.per_client(long_texts(batch.text_arrow).astype(float)) if len(has) else None
    flags = near_duplicate_flags(
        batch.text_arrow,
        batch.pc,
        batch.t_ns,
        batch.platform,
        similarity=t["similarity"],
        hours=t["hours"],
    )
    k = batch.per_client(flags.astype(float), has)
    n = batch.per_client(np.ones(len(has)), has, how="count") if len(has) else np.zeros(batch.n)
    plats = (batch.table(batch.platform, len(PLATFORMS), mask=has) > 0).sum(axis=1)
    per_plat = batch.table(batch.platform, len(PLATFORMS), flags.astype(float), has)
    lo, hi = wilson_ci(k, n)
    out = []
    for i in range(batch.n):
        if n[i] < MIN_TEXT_POSTS or plats[i] < 2:
            out.append(
                not_assessable(
                    f"{plural(int(n[i]), 'post')} with text on {plural(int(plats[i]), 'platform')}; copies need "
                    f"{MIN_TEXT_POSTS} posts with text on two or more platforms.",
                    "post texts on at least two platforms",
                )
            )
            continue
        shared = shared_days(batch, i)
        if shared is not None and shared < t["hours"] / 24:
            out.append(
                not_assessable(
                    "The platforms' exports do not cover the same days, so a post copied from "
                    "one platform to another could not be seen in both.",
                    "exports of the platforms that cover the same period",
                )
            )
            continue
        s = k[i] / n[i]
        ev = [
            share_evidence(
                "share of posts with a near-identical copy on another platform",
                k[i],
                n[i],
                lo[i],
                hi[i],
                "share of posts",
            ),
            Evidence("posts with a copy", int(k[i]), "posts"),
        ]
        if cut is not None and cut[i]:
            ev.append(
                Evidence(
                    f"texts compared on their first {limit('MAX_TEXT_CHARS'):,} characters only",
                    int(cut[i]),
                    "posts",
                    kind="context",
                )
            )
        ev += [
            Evidence(f"copies on {PLATFORMS[j]}", int(per_plat[i, j]), "posts", kind="context")
            for j in np.flatnonzero(per_plat[i] > 0)
        ]
        status = status_above(lo[i], t["warn"], t["fail"])
        if status == "ok":
            msg = f"{pct(s)} of posts are copied across platforms."
            if s > t["warn"]:
                out.append(inconclusive_finding(msg, s, lo[i], hi[i], t["warn"], ev))
                continue
            out.append(verdict("ok", msg, "", ev))
        else:
            out.append(
                verdict(
                    status,
                    f"{int(k[i])} of {int(n[i])} posts ({pct(s)}, {ci_text(lo[i], hi[i])}) have a "
                    f"near-identical copy on another platform within {t['hours']:g} hours.",
                    "Adapt each post to the platform: a hook and hashtags for Instagram and "
                    "TikTok, a professional angle for LinkedIn, a short line and a thread for X; "
                    "keep the idea, rewrite the copy.",
                    ev,
                    excess=(lo[i] - t["warn"]) / (1 - t["warn"]),
                )
            )
    return out


#: Text checks need this many posts with text.
MIN_TEXT_POSTS = 20


@register_check("platform.audience_mismatch")
def audience_mismatch(batch, t):
    """Posting goes where the target age group is not.

    Notes
    -----
    For the target age bands in client.yaml, each platform's reach is the
    share of people in those bands who use it (Pew Research Center 2024,
    bundled; client bands are split over Pew's bands by overlapping years).
    A platform is *low-reach* when its reach is below the median over the
    platforms the table covers for those bands. Metric: share of the last
    :data:`RECENT_WEEKS` weeks' posts that went to low-reach platforms. warn
    > ``warn`` (0.5), fail > ``fail`` (0.8). Platforms whose cells are not in
    the table are unknown: the verdict is given only when it is the same
    whether their posts count as low-reach or not; otherwise not assessable.
    """
    recent = batch.age_days <= 7 * RECENT_WEEKS
    counts = batch.table(batch.platform, len(PLATFORMS), mask=recent)
    out = []
    for i, m in enumerate(batch.meta):
        bands = m.profile.audience_age
        if not bands:
            out.append(
                not_assessable(
                    "The target audience's age is not stated.",
                    "`audience: {age: [...]}` in client.yaml",
                )
            )
            continue
        total = counts[i].sum()
        if total == 0:
            out.append(not_assessable("No posts in the last 26 weeks.", "recent posts"))
            continue
        reach = {p: age_reach(p, bands)[0] for p in PLATFORMS if p != "other"}
        known = {p: r for p, r in reach.items() if r is not None}
        if len(known) < 3:
            out.append(
                not_assessable(
                    f"The bundled survey covers only {plural(len(known), 'platform')} for ages "
                    f"{', '.join(bands)}.",
                    "a platform-by-age table covering these age bands",
                )
            )
            continue
        median = float(np.median(list(known.values())))
        share = {PLATFORMS[j]: counts[i, j] / total for j in np.flatnonzero(counts[i])}
        low = sum(s for p, s in share.items() if p in known and known[p] < median)
        unknown = sum(s for p, s in share.items() if p not in known)
        ev = [
            Evidence(
                "share of posts on low-reach platforms",
                round(float(low), 3),
                "share of posts",
                n=int(total),
            ),
            Evidence(
                f"median reach for ages {', '.join(bands)}",
                round(median, 3),
                "share of people using the platform",
                kind="context",
            ),
        ]
        ev += [
            Evidence(
                f"reach of {p} for the target ages", round(r, 3), "share of people", kind="context"
            )
            for p, r in known.items()
            if p in share
        ]
        if unknown:
            ev.append(
                Evidence(
                    "share of posts on platforms the survey does not cover",
                    round(float(unknown), 3),
                    "share of posts",
                    kind="context",
                )
            )
        ev.append(
            Evidence(
                "source",
                "Pew Research Center, Americans' Social Media Use (2024)",
                "citation",
                kind="context",
            )
        )
        regions = m.profile.audience_regions or []
        proxy = ""
        if regions and "US" not in regions:
            proxy = f" (a US survey, read as a proxy for {', '.join(regions)})"
            ev.append(
                Evidence(
                    "survey population",
                    f"US adults; the audience's regions ({', '.join(regions)}) are not surveyed",
                    "caveat",
                    kind="context",
                )
            )

        def status_of(x):
            return "fail" if x > t["fail"] else "warn" if x > t["warn"] else "ok"

        s_lo, s_hi = status_of(low), status_of(low + unknown)
        if s_lo != s_hi:
            miss = ", ".join(p for p in share if p not in known)
            out.append(
                not_assessable(
                    f"{pct(low)} of posts go to low-reach platforms, and {pct(unknown)} to "
                    f"platforms ({miss}) whose use by these ages is not in the bundled survey; "
                    "the verdict depends on them.",
                    f"platform use by age for {miss} (a published survey row)",
                    ev,
                )
            )
            continue
        lows = [p for p in share if p in known and known[p] < median]
        best = max(known, key=known.get)
        if s_lo == "ok":
            out.append(
                verdict(
                    "ok",
                    f"{pct(low)} of posts go to platforms with below-median "
                    f"use among the target ages{proxy}.",
                    "",
                    ev,
                )
            )
        else:
            out.append(
                verdict(
                    s_lo,
                    f"{pct(low)} of posts go to {', '.join(lows)}, used by fewer of your target "
                    f"ages ({', '.join(bands)}) than the median platform ({pct(median)}){proxy}.",
                    f"Shift effort to where these ages are: {best} reaches {pct(known[best])} of "
                    "them; keep the low-reach platforms only if they serve another objective.",
                    ev,
                    excess=(low - t["warn"]) / (1 - t["warn"]),
                )
            )
    return out
