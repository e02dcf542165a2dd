"""Advocacy checks: do people pass the brand's content on?"""

from __future__ import annotations

import numpy as np

from socialkit.benchmarks import shares_table
from socialkit.checks._judge import ci_text, inconclusive_finding, pct, share_evidence
from socialkit.checks._registry import not_assessable, register_check, rows_of, verdict
from socialkit.findings import Evidence
from socialkit.metrics.sentiment import NEGATIVE
from socialkit.metrics.stats import wilson_ci
from socialkit.schema import PLATFORMS

__all__ = ["low_amplification", "no_community"]


@register_check("advocacy.low_amplification")
def low_amplification(batch, t):
    """Hardly anyone shares the posts.

    Notes
    -----
    Amplification rate per platform = shares per post per 1,000 followers
    (Kaushik's amplification rate), over posts with shares and followers
    known. warn when it is below ``warn`` (0.25) × the platform's benchmark
    in ``socialkit/benchmarks/shares.csv``. That table has no rows: we found
    no published shares-per-follower benchmark we could cite, so the check
    reports the client's rates and says ``not_assessable`` until a sourced
    row is added.
    """
    s = batch.counts("shares")
    both = ~np.isnan(s) & (batch.fol > 0) if len(s) else np.zeros(0, dtype=bool)
    P = len(PLATFORMS)
    sum_s, sum_f, cnt = batch.tables(batch.platform, P, s, batch.fol, None, mask=both)
    benched = set(shares_table()["platform"])  # platforms with a sourced benchmark row
    out = []
    for i in range(batch.n):
        ev = [
            Evidence(
                f"amplification rate on {PLATFORMS[j]}",
                round(float(1000 * sum_s[i, j] / sum_f[i, j]), 4),
                "shares per post per 1,000 followers",
                n=int(cnt[i, j]),
            )
            for j in np.flatnonzero(cnt[i])
        ]
        compared = any(PLATFORMS[j] in benched for j in np.flatnonzero(cnt[i]))
        if not ev:
            out.append(
                not_assessable(
                    "No posts with both share counts and follower counts.",
                    "posts with shares and followers (or a followers export)",
                )
            )
        elif not compared:
            out.append(
                not_assessable(
                    "Your amplification rates are measured (see evidence), but no published "
                    "shares-per-follower benchmark is bundled to judge them against.",
                    "a sourced row in socialkit/benchmarks/shares.csv for these platforms",
                    ev,
                )
            )
        else:  # pragma: no cover - reached once a sourced benchmark row exists
            out.append(verdict("ok", "Amplification compared with the benchmark.", "", ev))
    return out


@register_check("advocacy.no_community")
def no_community(batch, t):
    """Commenters come once and never return.

    Notes
    -----
    Returning share = audience commenters (pseudonymised authors) who
    commented on at least two different posts ÷ all audience commenters,
    with a Wilson 95 % interval; warn when its high end < ``warn`` (5 %).
    Needs ``min_comments`` (100) audience comments with an author. The
    evidence adds how concentrated the conversation is: the share of
    comments written by the most active 1 % of commenters.
    """
    conv = batch.conversation(NEGATIVE)
    k, n = conv["returning"].to_numpy(), conv["commenters"].to_numpy()
    lo, hi = wilson_ci(k, n)
    out = []
    for i, row in rows_of(conv):
        if row["audience"] < t["min_comments"] or n[i] == 0:
            out.append(
                not_assessable(
                    f"{int(row['audience'])} audience comments from {int(n[i])} known "
                    f"commenters; the check needs {int(t['min_comments'])} comments with authors.",
                    f"at least {int(t['min_comments'])} audience comments with their (pseudonymised) "
                    "authors",
                )
            )
            continue
        share = k[i] / n[i]
        ev = [
            share_evidence(
                "commenters who came back on another post",
                k[i],
                n[i],
                lo[i],
                hi[i],
                "share of commenters",
            ),
            Evidence("returning commenters", int(k[i]), "people", kind="context"),
            Evidence(
                "comments written by the most active 1 % of commenters",
                round(float(row["top_commenter_share"]), 3),
                "share of comments",
                kind="context",
            ),
        ]
        if hi[i] < t["warn"]:
            out.append(
                verdict(
                    "warn",
                    f"Only {int(k[i])} of {int(n[i])} commenters ({pct(share, 1)}, "
                    f"{ci_text(lo[i], hi[i])}) ever came back to comment on another post.",
                    "Build a community, not an audience: answer commenters by name, invite them "
                    "back (follow-up posts on what they asked, user content, a recurring "
                    "series), and thank the people who return.",
                    ev,
                    excess=(t["warn"] - hi[i]) / t["warn"],
                )
            )
        elif share < t["warn"]:  # the point is below the bar, the interval is not
            out.append(
                inconclusive_finding(
                    f"{int(k[i])} of {int(n[i])} commenters ({pct(share, 1)}) came back on "
                    "another post.",
                    share,
                    lo[i],
                    hi[i],
                    t["warn"],
                    ev,
                    lambda x: pct(x, 1),
                    needs="more audience comments with their authors (a longer period), so "
                    "that the 95 % interval clears the threshold one way or the other",
                )
            )
        else:
            out.append(
                verdict(
                    "ok",
                    f"{int(k[i])} of {int(n[i])} commenters ({pct(share)}) came back on another "
                    "post.",
                    "",
                    ev,
                )
            )
    return out
