"""Market checks: where the client stands against its competitors."""

from __future__ import annotations

import math

import numpy as np

from socialkit.checks._registry import not_assessable, register_check, verdict
from socialkit.findings import Evidence
from socialkit.fmt import platform_name
from socialkit.metrics.stats import group_order, mean_ci, mix_keys, segment_starts
from socialkit.schema import PLATFORMS

__all__ = ["peer_position", "RECENT_WEEKS"]

#: The client's recent performance: the last this many weeks of posts.
RECENT_WEEKS = 26

#: How the engagement rate's interval was obtained, by whether it was computed.
_METHODS = {
    True: "95 % bootstrap percentile interval, computed (Cornish–Fisher expansion)",
    False: "95 % bootstrap percentile interval, 400 resamples of the posts",
}


@register_check("market.peer_position")
def peer_position(batch, t):
    """Behind the competitors on engagement and posting rate.

    Notes
    -----
    Per platform that has competitors in client.yaml: the client's engagement
    rate (mean over posts of interactions ÷ followers, the definition used
    for the competitor figures; 95 % bootstrap percentile interval, see
    :func:`~socialkit.metrics.stats.mean_ci`: computed by the Cornish–Fisher
    expansion of the bootstrap distribution where that is near-normal, from
    400 resamples of the posts where a few posts rule it) and posts per week
    over the last :data:`RECENT_WEEKS` weeks, against the competitors'
    median. warn when the engagement interval's high end < ``warn`` (0.5) ×
    the median; fail when, on top of that, the posting rate is also < 0.5×.
    The evidence carries a SWOT-style table (strengths, weaknesses,
    opportunities, threats) built from these comparisons.
    """
    P = len(PLATFORMS)
    recent = batch.age_days <= 7 * RECENT_WEEKS
    er = np.where(recent, batch.er_followers, np.nan)
    # resample only the platforms a client is compared on (a competitor there with an
    # engagement rate): no other platform's interval is ever read
    compared = np.zeros(len(batch.meta) * P, dtype=bool)
    for i, m in enumerate(batch.meta):
        for c in m.profile.competitors:
            if c.get("platform") in PLATFORMS and c.get("engagement_rate") is not None:
                compared[i * P + PLATFORMS.index(c["platform"])] = True
    ok = ~np.isnan(er) & compared[batch.cp]
    cpk = batch.cp[ok]
    vals = er[ok]
    # one contiguous run per client and platform (a client's platforms interleave in time)
    order = group_order(cpk)
    cpk, vals = cpk[order], vals[order]
    starts, lens = segment_starts(cpk)
    groups = cpk[starts]
    keys = mix_keys(batch.keys[groups // P], groups % P)
    ci = mean_ci(vals, starts, lens, keys, seed=5)
    stats = {
        int(g): (ci["mean"][j], ci["low"][j], ci["high"][j], int(lens[j]), ci["computed"][j])
        for j, g in enumerate(groups)
    }
    weeks = np.minimum(RECENT_WEEKS, batch.span_days / 7)
    counts = batch.table(batch.platform, P, mask=recent)
    out = []
    for i, m in enumerate(batch.meta):
        comps = m.profile.competitors
        if not comps:
            out.append(
                not_assessable(
                    "No competitors are listed.",
                    "`competitors:` in client.yaml with platform, "
                    "engagement_rate and posts_per_week",
                )
            )
            continue
        rows = _compare(i, comps, stats, counts, weeks[i])
        if not rows:
            out.append(
                not_assessable(
                    "The competitors' platforms have no recent posts of the client with "
                    "engagement and followers, or the competitors lack engagement rates.",
                    "competitor engagement_rate on a platform where the client posts, and the "
                    "client's follower counts",
                )
            )
            continue
        ev, swot = [], {"Strengths": [], "Weaknesses": [], "Opportunities": [], "Threats": []}
        worst = None
        for r in rows:
            ev.append(
                Evidence(
                    f"engagement rate on {r['platform']}",
                    float(f"{r['er']:.3g}"),
                    "interactions ÷ followers",
                    n=r["n"],
                    ci=(float(f"{r['lo']:.3g}"), float(f"{r['hi']:.3g}")),
                )
            )
            ev.append(
                Evidence(
                    f"interval method on {r['platform']}",
                    _METHODS[r["computed"]],
                    "text",
                    kind="context",
                )
            )
            ev.append(
                Evidence(
                    f"competitor median engagement rate on {r['platform']}",
                    float(f"{r['peer_er']:.3g}"),
                    "interactions ÷ followers",
                    n=r["peers"],
                    kind="context",
                )
            )
            if r["peer_rate"] is not None:
                ev.append(
                    Evidence(
                        f"posts/week on {r['platform']} vs competitor median",
                        f"{r['rate']:.1f} vs {r['peer_rate']:.1f}",
                        "posts/week",
                        kind="context",
                    )
                )
            _swot(r, swot, t)
            status = (
                "fail"
                if r["hi"] < t["warn"] * r["peer_er"] and r["rate_low"]
                else "warn"
                if r["hi"] < t["warn"] * r["peer_er"]
                else "ok"
            )
            key = ({"ok": 0, "warn": 1, "fail": 2}[status], -r["er"] / r["peer_er"])
            if worst is None or key > worst[0]:
                worst = (key, status, r)
        for part, items in swot.items():
            ev.append(Evidence(f"SWOT: {part}", "; ".join(items) or "—", "text", kind="context"))
        _, status, r = worst
        ratio = r["er"] / r["peer_er"]
        if status == "ok":
            out.append(
                verdict(
                    "ok",
                    f"Engagement is not far behind the competitors (weakest: "
                    f"{r['platform']} at {ratio:.2f}× their median).",
                    "",
                    ev,
                )
            )
            continue
        both = (
            (f" and you post {r['rate']:.1f} times a week against their {r['peer_rate']:.1f}")
            if status == "fail"
            else ""
        )
        name = platform_name(r["platform"])
        out.append(
            verdict(
                status,
                f"On {name} your engagement rate is {r['er']:.2%} against a competitor "
                f"median of {r['peer_er']:.2%} ({ratio:.2f}×){both}.",
                f"Study the {r['peers']} competitor(s) on {name}: list their three best "
                "post types of the quarter, test your own version of each, and ask your customers "
                "what they want to see (co-create); review the gap monthly.",
                ev,
                excess=1 - r["hi"] / (t["warn"] * r["peer_er"]),
            )
        )
    return out


def _compare(i, comps, stats, counts, weeks):
    rows = []
    by_plat = {}
    for c in comps:
        by_plat.setdefault(c.get("platform"), []).append(c)
    for plat, cs in by_plat.items():
        if plat not in PLATFORMS:
            continue
        j = PLATFORMS.index(plat)
        ers = [c["engagement_rate"] for c in cs if c.get("engagement_rate") is not None]
        st = stats.get(i * len(PLATFORMS) + j)
        if not ers or st is None or st[3] < 5:
            continue
        rates = [c["posts_per_week"] for c in cs if c.get("posts_per_week") is not None]
        rate = counts[i, j] / weeks if weeks > 0 else np.nan
        peer_rate = _median(rates) if rates else None
        rows.append(
            {
                "platform": plat,
                "er": st[0],
                "lo": st[1],
                "hi": st[2],
                "n": st[3],
                "computed": bool(st[4]),
                "peer_er": _median(ers),
                "peers": len(ers),
                "rate": rate,
                "peer_rate": peer_rate,
                "rate_low": peer_rate is not None and rate < 0.5 * peer_rate,
            }
        )
    return rows


def _swot(r, swot, t):
    p, ratio = r["platform"], r["er"] / r["peer_er"]
    if r["lo"] > r["peer_er"]:
        swot["Strengths"].append(f"{p}: engagement {ratio:.1f}× the competitors")
    elif r["hi"] < t["warn"] * r["peer_er"]:
        swot["Weaknesses"].append(f"{p}: engagement {ratio:.2f}× the competitors")
    if r["peer_rate"] is not None:
        if r["rate"] < r["peer_rate"] and ratio >= 1:
            swot["Opportunities"].append(
                f"{p}: you engage well but post less ({r['rate']:.1f} vs "
                f"{r['peer_rate']:.1f}/week) — room to post more"
            )
        elif r["rate"] > r["peer_rate"] and ratio < 1:
            swot["Threats"].append(
                f"{p}: you post more than the competitors ({r['rate']:.1f} vs "
                f"{r['peer_rate']:.1f}/week) for less engagement — volume is not working"
            )
        elif r["rate"] < r["peer_rate"]:
            swot["Threats"].append(
                f"{p}: competitors post more often ({r['peer_rate']:.1f} vs "
                f"{r['rate']:.1f}/week) and engage better"
            )


def _median(values) -> float:
    """:func:`numpy.median` of a few competitor figures (NaN if one is), without its
    per-call cost (twice per client and platform)."""
    x = sorted(float(v) for v in values)
    if any(math.isnan(v) for v in x):
        return math.nan
    mid = len(x) // 2
    return x[mid] if len(x) % 2 else (x[mid - 1] + x[mid]) / 2
