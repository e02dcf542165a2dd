"""Content checks: variety and the balance of the content mix."""

from __future__ import annotations

import numpy as np

from socialkit.checks._judge import (
    INCONCLUSIVE,
    ci_text,
    inconclusive_finding,
    near,
    pct,
    share_evidence,
    status_above,
)
from socialkit.checks._registry import not_assessable, register_check, verdict
from socialkit.findings import Evidence
from socialkit.metrics import MIN_FORMAT_POSTS, format_lift, format_lift_ci, normalized_entropy
from socialkit.metrics.stats import (
    hash_uniform,
    mix_keys,
    wilson_ci,
)
from socialkit.metrics.text import (
    PROMO_MEASURED,
    centredness,
    in_lexicon_languages,
    is_promotional,
)
from socialkit.schema import FORMATS, PLATFORMS

__all__ = ["low_variety"]

#: Formats worth suggesting, most broadly useful first.
_SUGGEST = ("video", "carousel", "image", "text", "link", "live")
#: The formats each platform offers: variety advice suggests only these.
PLATFORM_FORMATS = {
    "instagram": ("image", "video", "carousel", "story", "live"),
    "facebook": ("text", "image", "video", "link", "carousel", "story", "live"),
    "x": ("text", "image", "video", "link", "live"),
    "linkedin": ("text", "image", "video", "link", "carousel", "live"),
    "tiktok": ("video", "carousel", "live"),  # carousel: photo mode
    "youtube": ("video", "live"),
    "other": FORMATS,
}


@register_check("content.low_variety")
def low_variety(batch, t):
    """One format dominates the posts.

    Notes
    -----
    Over all posts with a known format (``other``, an export's unnamed or
    ambiguous type, counts as unknown): fail when the top format's share >
    ``fail`` (0.95) or the normalised format entropy < ``entropy`` (0.3); warn
    when the share > ``warn`` (0.8). Entropy is normalised by the log of the
    number of formats used, so 1 is an even mix. Needs ``min_posts`` (20)
    posts with a known format. The shares describe every post in the data,
    not a sample, so no interval is needed. The advice suggests only formats
    that the client's platforms offer (:data:`PLATFORM_FORMATS`).

    Posts of unknown format (an X export's media posts: image or video, it does
    not say) are posts all the same: the top format's share of all posts lies
    between its count and its count plus theirs, over all posts. The verdict is
    the one that holds at both ends (a warn when the low end is past ``warn``;
    the entropy rule only when every format is known); when the ends fall on
    either side of ``warn`` the check is not assessable. Left out of the
    shares instead, an account with half its posts images and half text read
    as "100 % text".
    """
    counts = batch.table(batch.format, len(FORMATS)).copy()
    # "other" is what a loader writes for a type the export leaves unnamed or ambiguous
    # (X's media posts: image or video): not a format of its own, nor text
    other = counts[:, FORMATS.index("other")].copy()
    counts[:, FORMATS.index("other")] = 0
    known = counts.sum(axis=1)
    entropy = normalized_entropy(counts)
    used = batch.table(batch.platform, len(PLATFORMS)) > 0
    out = []
    for i in range(batch.n):
        offered = {f for j in np.flatnonzero(used[i]) for f in PLATFORM_FORMATS[PLATFORMS[j]]}
        unknown = (int(other[i]), int(batch.n_posts[i] - known[i] - other[i]))
        out.append(_judge_variety(counts[i], unknown, offered, float(entropy[i]), t))
    return out


def _judge_variety(counts, unknown, offered, entropy, t):
    """``unknown``: posts of format ``other`` and posts without a format."""
    known = int(counts.sum())
    if known < t["min_posts"]:
        return not_assessable(
            f"Only {known} posts with a known format; variety needs {t['min_posts']:g}.",
            f"at least {t['min_posts']:g} posts with their format",
            [Evidence("posts with a known format", known, "posts")],
        )
    order = np.argsort(-counts, kind="stable")
    shares = {FORMATS[j]: counts[j] / known for j in order if counts[j] > 0}
    top, top_share = next(iter(shares.items()))
    ev = [
        Evidence(f"share of posts that are {top}", round(top_share, 3), "share of posts", n=known),
        Evidence("formats used", len(shares), "formats", n=known),
        Evidence(
            "normalised format entropy", round(entropy, 3), "0 = one format, 1 = even", n=known
        ),
    ]
    if sum(unknown):
        ev.append(Evidence("posts with unknown format", sum(unknown), "posts", kind="context"))
    unused = [f for f in _SUGGEST if f not in shares and f in offered][:2]
    mix = ", ".join(f"{f} {s:.0%}" for f, s in shares.items())
    advice = (
        f"Bring {' and '.join(unused)} into the mix: aim for no format above "
        f"{t['warn']:.0%} of posts and test which one your audience engages with most."
        if unused
        else "Your platforms offer no other format: vary what the posts do instead (series, "
        "how-tos, behind the scenes, questions to the audience, live sessions) and test "
        "which your audience engages with most."
    )
    if sum(unknown):
        return _judge_with_unknown(counts, unknown, top, mix, advice, ev, t)
    if top_share > t["fail"] or entropy < t["entropy"]:
        return verdict(
            "fail",
            f"{top_share:.0%} of your {known} posts are {top} (mix: {mix}).",
            advice,
            ev,
            excess=(top_share - t["warn"]) / (1 - t["warn"]),
        )
    if top_share > t["warn"]:
        return verdict(
            "warn",
            f"{top_share:.0%} of your {known} posts are {top} (mix: {mix}).",
            advice,
            ev,
            excess=(top_share - t["warn"]) / (t["fail"] - t["warn"]),
        )
    return verdict("ok", f"A varied mix across {len(shares)} formats ({mix}).", "", ev)


def _judge_with_unknown(counts, unknown, top, mix, advice, ev, t):
    """:func:`_judge_variety` when some posts have no named format (``unknown``: those
    of format ``other``, which are not text, and those without a format). The top
    format's share of all posts lies between its own count (the unknown ones spread over
    other formats) and the most any format could reach with them (``other`` posts
    never count as text); the verdict is the one both ends agree on."""
    other, blank = unknown
    unknown = other + blank
    n = int(counts.sum()) + unknown
    text = FORMATS.index("text")
    reach = counts + blank + np.where(np.arange(counts.size) == text, 0, other)
    low, high = counts.max() / n, max(reach.max(), unknown) / n
    ev.insert(
        1,
        Evidence(
            "share of all posts in the top format, whatever the unknown formats are",
            f"{low:.0%}–{high:.0%}",
            "share of posts",
            n=n,
        ),
    )
    rest = f"{unknown} have a format the export does not name; the rest: {mix}"
    said = f"at least {low:.0%} of your {n} posts are {top} ({rest})."
    if low > t["fail"]:
        return verdict(
            "fail", said.capitalize(), advice, ev, excess=(low - t["warn"]) / (1 - t["warn"])
        )
    if low > t["warn"]:
        excess = (low - t["warn"]) / (t["fail"] - t["warn"])
        return verdict("warn", said.capitalize(), advice, ev, excess=excess)
    if high <= t["warn"]:
        return verdict(
            "ok", f"A varied mix: no format is over {high:.0%} of your {n} posts ({rest}).", "", ev
        )
    return not_assessable(
        f"{INCONCLUSIVE} the most used format is {low:.0%}–{high:.0%} of your {n} posts "
        f"({rest}); whether one format crowds out the others depends on what those posts are.",
        "the format (image, video, …) of the posts the export leaves unnamed: set `format` "
        "in posts.csv",
        ev,
    )


#: Text checks need this many posts with text (self-focus: classified posts).
MIN_TEXT_POSTS = 20
#: content.hard_sell judges only when at least this share of the texts is in the
#: lexicon's languages.
MIN_LEXICON_SHARE = 0.5


@register_check("content.underused_format")
def underused_format(batch, t):
    """A format that engages clearly better is hardly used.

    Notes
    -----
    Lift of a format = mean relative engagement (interactions ÷ the median of
    the same platform) of its posts ÷ that of the client's other posts, with
    a 95 % bootstrap interval (400 resamples of each group). warn when a
    format with at least :data:`MIN_FORMAT_POSTS` posts has lift ≥ ``lift``
    (1.5) and an interval low end > 1 while it makes up < ``share`` (15 %)
    of posts; such a format whose interval reaches 1 is inconclusive
    (``not_assessable``, :mod:`socialkit.checks._judge`), not ok. Needs
    ``min_posts`` (30) posts with known format and engagement.

    ``other`` is not recommended: it is not a format one can post more of
    (an X export says only that a post has media, not image or video). When
    it clears the bar and no named format does, the check is not assessable
    (a format is under-used, but which one is unknown) and asks for the posts'
    formats.
    """
    fl = format_lift(batch)
    n, cnt, share, lift = fl["n"], fl["count"], fl["share"], fl["lift"]
    cand = (
        (n[:, None] >= t["min_posts"])
        & (cnt >= MIN_FORMAT_POSTS)
        & (share < t["share"])
        & (lift >= t["lift"])
    )
    ci_lo, ci_hi = format_lift_ci(batch, cand)
    other = FORMATS.index("other")
    unnamed = cand[:, other] & (ci_lo[:, other] > 1)
    cand[:, other] = False
    out = []
    for i in range(batch.n):
        if n[i] < t["min_posts"]:
            out.append(
                not_assessable(
                    f"{int(n[i])} posts with a known format and engagement; format lift needs "
                    f"{t['min_posts']:g}.",
                    f"at least {t['min_posts']:g} posts with format and interactions",
                    [Evidence("posts with format and engagement", int(n[i]), "posts")],
                )
            )
            continue
        ev = []
        for j in np.flatnonzero(cnt[i]):
            e = Evidence(
                f"engagement lift of {FORMATS[j]}",
                round(float(lift[i, j]), 2),
                "× the other formats",
                n=int(cnt[i, j]),
            )
            if not np.isnan(ci_lo[i, j]):
                e.ci = (round(float(ci_lo[i, j]), 2), round(float(ci_hi[i, j]), 2))
            ev.append(e)
            ev.append(
                Evidence(
                    f"share of posts that are {FORMATS[j]}",
                    round(float(share[i, j]), 3),
                    "share of posts",
                    n=int(n[i]),
                    kind="context",
                )
            )
        hits = [j for j in np.flatnonzero(cand[i]) if ci_lo[i, j] > 1]
        if hits:
            j = max(hits, key=lambda j: ci_lo[i, j])
            f = FORMATS[j]
            out.append(
                verdict(
                    "warn",
                    f"{f.capitalize()} gets {lift[i, j]:.1f}× the engagement of your other posts "
                    f"(95% CI {ci_lo[i, j]:.1f}–{ci_hi[i, j]:.1f}) but is only {pct(share[i, j])} "
                    f"of posts ({int(cnt[i, j])} of {int(n[i])}).",
                    f"Post more {f}: raise it towards {pct(max(t['share'], 2 * share[i, j]))} of "
                    "posts for the next 8 weeks and check that the lift holds.",
                    ev,
                    excess=min(1.0, (ci_lo[i, j] - 1) / 1),
                )
            )
            continue
        loose = list(np.flatnonzero(cand[i]))
        msg = "No format that clearly outperforms the others is under-used."
        if unnamed[i]:
            # the bar is cleared by posts whose format is unknown: which format is
            # under-used cannot be told, so this is not an ok
            out.append(
                not_assessable(
                    f"Posts of format 'other' get {lift[i, other]:.1f}× the engagement of your "
                    f"other posts (95% CI {ci_lo[i, other]:.1f}–{ci_hi[i, other]:.1f}) and are "
                    f"only {pct(share[i, other])} of posts, but the export does not say which "
                    "format they are (an X export tells only that a post has media), so which "
                    "format is under-used is unknown.",
                    "the format (image, video, …) of the posts the export gives as 'other': set "
                    "`format` in posts.csv",
                    ev,
                )
            )
            continue
        if loose:
            # past the bar in the estimate, not in its interval: inconclusive (_judge)
            j = loose[0]
            out.append(
                not_assessable(
                    f"{INCONCLUSIVE} {FORMATS[j].capitalize()} looks better "
                    f"({lift[i, j]:.1f}× the engagement of your other posts) and is only "
                    f"{pct(share[i, j])} of posts, but its 95% CI ({ci_lo[i, j]:.1f}–"
                    f"{ci_hi[i, j]:.1f}) includes 1, so the data do not show it yet.",
                    f"more {FORMATS[j]} posts, so that the lift's 95% interval clears 1 one way "
                    "or the other",
                    ev,
                )
            )
            continue
        out.append(verdict("ok", msg, "", ev))
    return out


def _share_check(batch, t, k, n, *, min_n, what, needs, fail_msg, advice, ok_msg):
    """Shared judge for 'share of posts that are X' checks with a Wilson interval.

    ``fail_msg`` and ``advice`` take (share, k, n); ``ok_msg`` takes (the share as written,
    k, n): to one decimal when it would read as the bar itself (30.4 % past 30 %,
    :func:`~socialkit.checks._judge.near`)."""
    lo, hi = wilson_ci(k, n)
    out = []
    for i in range(batch.n):
        if n[i] < min_n:
            out.append(
                not_assessable(
                    f"{int(n[i])} {what}; the share needs {min_n}.",
                    needs,
                    [Evidence(what, int(n[i]), "posts")],
                )
            )
            continue
        s = k[i] / n[i]
        ev = [
            share_evidence(f"share of {what} that are flagged", k[i], n[i], lo[i], hi[i], "share")
        ]
        status = status_above(lo[i], t["warn"], t.get("fail"))
        if status == "ok":
            msg = ok_msg(near(s, t["warn"]), int(k[i]), int(n[i]))
            if s > t["warn"]:
                out.append(inconclusive_finding(msg, s, lo[i], hi[i], t["warn"], ev))
                continue
            out.append(verdict("ok", msg, "", ev))
        else:
            out.append(
                verdict(
                    status,
                    fail_msg(s, int(k[i]), int(n[i])) + f" ({ci_text(lo[i], hi[i])}).",
                    advice(s, int(k[i]), int(n[i])),
                    ev,
                    excess=(lo[i] - t["warn"]) / (1 - t["warn"]),
                )
            )
    return out


@register_check("content.hard_sell")
def hard_sell(batch, t):
    """Too many posts are sales pitches.

    Notes
    -----
    A post is promotional when its text contains a phrase of the bundled
    multilingual lexicon (:data:`socialkit.metrics.text.PROMO_PATTERNS`:
    English, Portuguese, Spanish). Share = promotional ÷ posts whose text is in
    those languages (:func:`~socialkit.metrics.text.in_lexicon_languages`),
    with a Wilson 95 % interval; warn when the low end > ``warn`` (0.3), fail
    when > ``fail`` (0.5). Needs :data:`MIN_TEXT_POSTS` such posts, and at
    least :data:`MIN_LEXICON_SHARE` of the client's texts in those languages:
    otherwise the lexicon cannot read the posts and the check says so.
    """
    has = batch.has_text
    promo = is_promotional(batch.text_arrow) & has if len(has) else has
    read = in_lexicon_languages(batch.text_arrow, promo) & has if len(has) else has
    k = batch.per_client(promo.astype(float), has)
    n = batch.per_client(read.astype(float), has) if len(has) else np.zeros(batch.n)
    n_text = batch.per_client(np.ones(len(has)), has, how="count") if len(has) else n
    found = _share_check(
        batch,
        t,
        k,
        n,
        min_n=MIN_TEXT_POSTS,
        what="posts with text",  # in English, Portuguese or Spanish: see the evidence
        needs="post texts in English, Portuguese or Spanish (at least 20 posts)",
        fail_msg=lambda s, k, n: (
            f"{k} of {n} posts ({pct(s)}) are sales pitches (buy now, "
            "discounts, prices, limited offers)"
        ),
        advice=lambda s, k, n: (
            f"Cut promotions to at most 1 post in 5 (now {pct(s)}): fill "
            "the rest with posts that help, teach or entertain your audience, and keep offers "
            "for the moments they are really good."
        ),
        # what the phrase list finds, not every kind of promotion (its recall on labelled
        # tweets is 0.21: contests, giveaways and launches are missed; metrics.text)
        ok_msg=lambda share, k, n: (
            f"{share} of posts read as sales pitches (price cuts, calls to buy, limited "
            "offers); contests, giveaways and launches are not counted."
        ),
    )
    for i, f in enumerate(found):
        if n_text[i] >= MIN_TEXT_POSTS and n[i] < MIN_LEXICON_SHARE * n_text[i]:
            found[i] = not_assessable(
                f"Only {int(n[i])} of {int(n_text[i])} post texts ({pct(n[i] / n_text[i])}) "
                "read as English, Portuguese or Spanish, the languages of the promotional "
                "lexicon: a share of sales pitches would be a guess.",
                "post texts in English, Portuguese or Spanish, or a lexicon for the posts' "
                "language (socialkit.metrics.text.PROMO_PATTERNS)",
            )
        f = found[i]
        f.evidence.append(
            Evidence(
                "post texts in the lexicon's languages",
                int(n[i]),
                "posts",
                n=int(n_text[i]),
                kind="context",
            )
        )
        f.evidence.append(
            Evidence("promotional phrase list, measured", PROMO_MEASURED, "", kind="context")
        )
    return found


@register_check("content.self_focus")
def self_focus(batch, t):
    """The copy talks about the brand, not the audience.

    Notes
    -----
    Each post is brand-centred (more we/our/us words), audience-centred (more
    you/your words) or unclassified (see :mod:`socialkit.metrics.text`;
    English, Portuguese, Spanish). Share = brand-centred ÷ classified posts,
    Wilson 95 % interval; warn when its low end > ``warn`` (0.6). Needs
    :data:`MIN_TEXT_POSTS` classified posts.
    """
    has = batch.has_text
    side = centredness(batch.text_arrow) if len(has) else np.zeros(0, dtype=np.int8)
    classified = has & (side != 0)
    k = batch.per_client((side > 0).astype(float), classified)
    n = (
        batch.per_client(np.ones(len(has)), classified, how="count")
        if len(has)
        else np.zeros(batch.n)
    )
    return _share_check(
        batch,
        t,
        k,
        n,
        min_n=MIN_TEXT_POSTS,
        what="posts that speak of us or of you",
        needs="post texts with we/our or you/your wording (at least 20 posts)",
        fail_msg=lambda s, k, n: (
            f"{k} of {n} posts that use we/our or you/your talk mainly about the brand ({pct(s)})"
        ),
        advice=lambda s, k, n: (
            "Rewrite from the reader's side: lead with what they get or "
            "can do (you/your), ask for their view, and keep news about the brand to the "
            "occasional post."
        ),
        ok_msg=lambda share, k, n: (
            f"{share} of posts that use we/our or you/your are brand-centred."
        ),
    )


#: Hour-of-week blocks: 7 days × 6 blocks of 4 hours (UTC).
BLOCK_HOURS = 4
#: A block is ranked when it has at least this many posts.
MIN_BLOCK_POSTS = 3
#: Permutations for the timing test.
PERMUTATIONS = 200


@register_check("content.timing")
def timing(batch, t):
    """Most posts go out at the times that engage least.

    Notes
    -----
    Posts are grouped into 42 blocks of the week (7 days × 4 hours) on the
    client's clock (:mod:`socialkit.zones`: client.yaml ``timezone``, else the
    audience's region when it has one zone, else UTC; the evidence names it).
    Blocks with at least :data:`MIN_BLOCK_POSTS` posts are ranked by mean
    relative engagement; the bottom third are the client's worst times.
    Metric: share of posts in those blocks. warn when it is > ``warn`` (0.5)
    and a permutation test (engagement shuffled across the client's posts,
    200 times) gives p < 0.05 — so posting is concentrated in blocks that
    are worse than chance would make them. Needs ``min_posts`` (50).

    A platform whose every post sits at exactly 00:00:00 UTC came from an
    export with dates only (YouTube Studio's table): those posts have no time
    of day and are left out, and counted in the evidence.
    """
    nb = 7 * 24 // BLOCK_HOURS
    dated = _dates_only(batch)
    ok = ~np.isnan(batch.rel) & ~dated
    # the block of the hour of the week, (hour + 72) % 168 // BLOCK_HOURS (the epoch was a
    # Thursday; 0 = Monday 00:00), counted in whole blocks: BLOCK_HOURS divides 72 and 168
    block = (batch.local_ns // (BLOCK_HOURS * 3_600_000_000_000) + 72 // BLOCK_HOURS) % nb
    cnt, sums = batch.tables(block, nb, None, batch.rel, mask=ok)
    ranked = cnt >= MIN_BLOCK_POSTS
    n_ranked = ranked.sum(axis=1)
    n_posts = cnt.sum(axis=1)
    share = _bottom_share(sums, cnt, ranked)
    cand = np.flatnonzero((n_posts >= t["min_posts"]) & (share > t["warn"]) & (n_ranked >= 3))
    p = np.full(batch.n, np.nan)
    if cand.size:
        p[cand] = _timing_pvalues(batch, ok, block, nb, cand, ranked[cand], share[cand])
    out = []
    for i in range(batch.n):
        if n_posts[i] < t["min_posts"] or n_ranked[i] < 3:
            out.append(
                not_assessable(
                    f"{int(n_posts[i])} posts with engagement in {int(n_ranked[i])} time blocks "
                    f"with {MIN_BLOCK_POSTS}+ posts; timing needs {t['min_posts']:g} posts in 3+ "
                    "blocks.",
                    f"at least {t['min_posts']:g} posts with interactions",
                )
            )
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            means = sums[i] / cnt[i]  # mean relative engagement per block
        by_mean = np.argsort(-np.nan_to_num(means, nan=-1))
        order = by_mean[ranked[i, by_mean]].tolist()
        zone, source = batch.zones[i]
        # the best three and the worst three are read (ranked blocks: 3 or more)
        best = [_block_name(j) for j in order[:3]]
        worst = [_block_name(j) for j in order[-3:]]
        ev = [
            Evidence(
                "share of posts in the bottom third of time blocks",
                round(float(share[i]), 3),
                "share of posts",
                n=int(cnt[i][ranked[i]].sum()),
            ),
            Evidence("best time blocks", ", ".join(best), "blocks", kind="context"),
            Evidence("worst time blocks", ", ".join(worst), "blocks", kind="context"),
            Evidence("time blocks ranked", int(n_ranked[i]), "blocks", kind="context"),
            Evidence("clock of the time blocks", zone, f"time zone ({source})", kind="context"),
        ]
        undated = int(dated[batch.p_starts[i] : batch.p_starts[i + 1]].sum())
        if undated:
            ev.append(
                Evidence(
                    "posts left out: their export gives a date without a time of day",
                    undated,
                    "posts",
                    kind="context",
                )
            )
        if not np.isnan(p[i]):
            ev.append(Evidence("permutation p-value", round(float(p[i]), 4), "p", n=PERMUTATIONS))
        if share[i] > t["warn"] and p[i] < 0.05:
            out.append(
                verdict(
                    "warn",
                    f"{pct(share[i])} of posts go out in your worst third of time slots "
                    f"(permutation p = {p[i]:.3f}); the best slots are {', '.join(best[:2])} "
                    f"({zone}).",
                    f"Move posts to {', '.join(best)} ({zone}) for the next 8 weeks and "
                    "compare."
                    + (
                        " Set `timezone:` in client.yaml to read the slots on your own clock."
                        if source.startswith("no ")
                        else ""
                    ),
                    ev,
                    excess=(share[i] - t["warn"]) / (1 - t["warn"]),
                )
            )
        else:
            msg = f"{pct(share[i])} of posts go out in the worst third of time slots"
            if share[i] > t["warn"]:
                msg += f", but that is not beyond chance (permutation p = {p[i]:.2f})."
            else:
                msg += "."
            out.append(verdict("ok", msg, "", ev))
    return out


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _block_name(j: int) -> str:
    """``"Mon 08–12"``: block ``j`` of the week (0 = Monday 00:00–04:00)."""
    return f"{_DAYS[j // 6]} {(j % 6) * 4:02d}–{(j % 6) * 4 + 4:02d}"


def _dates_only(batch) -> np.ndarray:
    """Per post: its client's platform has only posts at exactly 00:00:00 UTC (2 or more),
    as a loader places posts whose export gives a date and no time."""
    if not len(batch.t_ns):
        return np.zeros(0, dtype=bool)
    midnight = batch.t_ns % (86400 * 10**9) == 0
    size = np.bincount(batch.cp, minlength=batch.cp.max() + 1)
    at_midnight = np.bincount(batch.cp[midnight], minlength=size.size)  # few posts, as a rule
    dated = (at_midnight == size) & (size >= 2)
    return dated[batch.cp] if dated.any() else np.zeros(len(batch.t_ns), dtype=bool)


def _bottom_share(sums, cnt, ranked):
    """Share of ranked posts that sit in the bottom third (by mean) of ranked blocks."""
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(ranked, sums / np.maximum(cnt, 1), np.inf)
    order = np.argsort(means, axis=1, kind="stable")
    k = ranked.sum(axis=1) // 3
    pos = np.empty_like(order)
    np.put_along_axis(pos, order, np.arange(means.shape[1])[None, :], axis=1)
    bottom = pos < k[:, None]
    tot = np.where(ranked, cnt, 0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(tot > 0, np.where(bottom, cnt, 0).sum(axis=1) / tot, np.nan)


#: Candidate clients shuffled in one pass (:func:`_shuffle_order`: a client's place among
#: them takes the 11 bits of a 64-bit sort key above its posts' 53-bit draws).
_SHUFFLED_CLIENTS = 1 << 11


def _timing_pvalues(batch, ok, block, nb, cand, ranked, observed):
    """Permutation p-values: shuffle engagement within each candidate client."""
    if cand.size > _SHUFFLED_CLIENTS:  # in runs of clients the sort key holds
        runs = [slice(a, a + _SHUFFLED_CLIENTS) for a in range(0, cand.size, _SHUFFLED_CLIENTS)]
        return np.concatenate(
            [_timing_pvalues(batch, ok, block, nb, cand[r], ranked[r], observed[r]) for r in runs]
        )
    keep = ok & np.isin(batch.pc, cand)
    pc = batch.pc[keep]
    local = np.searchsorted(cand, pc)
    blk = block[keep]
    rel = batch.rel[keep]
    flat = local * nb + blk
    cnt = np.bincount(flat, minlength=cand.size * nb).reshape(cand.size, nb)
    pos = np.arange(local.size) - np.searchsorted(local, local)
    key = mix_keys(batch.keys[pc], 4)
    hits = np.zeros(cand.size)
    for r in range(PERMUTATIONS):
        u = hash_uniform(key, r, pos)  # the same shuffles alone or in any batch
        perm = _shuffle_order(local, u)
        sums = np.bincount(flat, weights=rel[perm], minlength=cand.size * nb).reshape(cand.size, nb)
        hits += _bottom_share(sums, cnt, ranked) >= observed - 1e-12
    return (1 + hits) / (1 + PERMUTATIONS)


def _shuffle_order(local, u) -> np.ndarray:
    """The order that shuffles posts within each client: by client (``local``, sorted codes
    below :data:`_SHUFFLED_CLIENTS`), then by the post's draw ``u`` (of
    :func:`~socialkit.metrics.stats.hash_uniform`: a multiple of 2**-53), as one exact
    integer key. ``local + u`` in floats rounded the draws of a client further down the
    candidates, so its posts' order (its shuffle) could differ from its order alone."""
    key = (local.astype(np.uint64) << np.uint64(53)) | (u * 2.0**53).astype(np.uint64)
    return np.argsort(key, kind="stable")
