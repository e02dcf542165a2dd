"""Conversation checks: does the brand answer, answer the complaints, and answer in time?

All of them read one per-client summary of the comment threads
(:func:`socialkit.metrics.conversation.conversation_summary`, computed once
per batch): audience comments younger than 72 h at the end of the data (the
client's last comment, to the second) are not judged yet; rates carry Wilson
95 % intervals, the median reply time an order-statistic 95 % interval. A
verdict needs the interval past the threshold, not just the point estimate; a
point estimate past it whose interval is not is inconclusive
(:func:`socialkit.checks._judge.inconclusive_finding`).

Evidence gate: every check needs at least one comment by the brand in the
data. Audience comments and not one brand comment is what an export without
replies looks like, so "never answers" cannot be told from "replies not
exported": the checks are ``not_assessable`` and ask for the replies or the
brand's accounts (``brand_accounts:`` in client.yaml).
"""

from __future__ import annotations

import numpy as np

from socialkit.checks._judge import (
    ci_text,
    inconclusive_finding,
    pct,
    share_evidence,
    status_above,
    status_below,
)
from socialkit.checks._registry import not_assessable, register_check, rows_of, verdict
from socialkit.findings import Evidence
from socialkit.limits import limit
from socialkit.metrics.conversation import CENSOR_HOURS
from socialkit.metrics.sentiment import NEGATIVE
from socialkit.metrics.stats import wilson_ci

__all__ = [
    "MIN_COMMENTS",
    "MIN_QUESTIONS",
    "MIN_NEGATIVE",
    "MIN_TIMED",
    "MIN_TEXT_POSTS",
    "low_response_rate",
    "ignored_negative",
    "slow_response",
    "broadcast_only",
    "hours_text",
]

#: Judged audience comments needed for a response rate.
MIN_COMMENTS = 20
#: Judged questions needed to judge the rate on questions alone ("questions first").
MIN_QUESTIONS = 20
#: Judged negative comments needed for ``conversation.ignored_negative``.
MIN_NEGATIVE = 10
#: Replies with a time needed for ``conversation.slow_response``.
MIN_TIMED = 10
#: Posts with text needed to measure how often posts invite a response.
MIN_TEXT_POSTS = 10

_NO_COMMENTS = (
    "comment threads with the brand's replies: a comments export or comments.csv "
    "(comment_id, post_id, parent_id, is_brand, created_at)"
)


def hours_text(h: float) -> str:
    """Hours in words.

    Examples
    --------
    >>> hours_text(0.5), hours_text(24), hours_text(3.25), hours_text(84)
    ('30 min', '24 h', '3.2 h', '3.5 days')
    """
    if h != h:  # NaN
        return "n/a"
    if h < 1:
        return f"{60 * h:.0f} min"
    if h < 48:
        return f"{h:.1f}".removesuffix(".0") + " h"
    return f"{h / 24:.1f}".removesuffix(".0") + " days"


_MORE_COMMENTS = (
    "more answered and unanswered audience comments (a longer period), so that the 95 % "
    "interval clears the threshold one way or the other"
)
_NO_BRAND = (
    "No comment by the brand in the data: the export may not include replies, so whether "
    "the brand answers cannot be told."
)
_NO_BRAND_NEEDS = (
    "the brand's replies: add them, or name its accounts (brand_accounts in client.yaml)"
)


def _no_brand(row) -> bool:
    """Audience comments but not one comment by the brand: replies may be missing."""
    return row["brand"] == 0


#: Unit of the reply-rate evidence.
_REPLIED = "share replied"


#: Context counts every conversation finding carries: (column, label, shown when zero).
_CONTEXT = (
    ("eligible", "audience comments judged", True),
    ("censored", f"audience comments younger than {CENSOR_HOURS:.0f} h at the end (not judged)",
     True),
    ("orphans", "replies whose parent comment is not in the data", False),
    ("early_replies", "brand replies stamped before the comment they answer (counted as "
     "replied, no response time)", False),
)  # fmt: skip


def _context(row) -> list[Evidence]:
    return [
        Evidence(label, int(row[col]), "comments", kind="context")
        for col, label, always in _CONTEXT
        if always or row[col]
    ]


def _no_threads(row) -> bool:
    return row["comments"] == 0


@register_check("conversation.low_response_rate")
def low_response_rate(batch, t):
    """Audience comments go unanswered.

    Notes
    -----
    Reply rate = audience comments answered by the brand (directly, or later
    in the same thread) ÷ audience comments judged. Questions first: when
    there are at least :data:`MIN_QUESTIONS` questions, the verdict is on the
    rate for questions (they deserve a reply before anything else); otherwise
    on all audience comments (at least :data:`MIN_COMMENTS`). warn when the
    Wilson interval's high end < ``warn`` (0.5), fail when < ``fail`` (0.2).
    """
    conv = batch.conversation(NEGATIVE)
    lo_all, hi_all = conv["rate_low"].to_numpy(), conv["rate_high"].to_numpy()
    lo_q, hi_q = wilson_ci(conv["answered_questions"], conv["questions"])
    out = []
    for i, row in rows_of(conv):
        if _no_threads(row):
            out.append(not_assessable("No comment threads were loaded.", _NO_COMMENTS))
            continue
        if _no_brand(row):
            out.append(not_assessable(_NO_BRAND, _NO_BRAND_NEEDS, _context(row)))
            continue
        if row["eligible"] < MIN_COMMENTS:
            out.append(
                not_assessable(
                    f"{int(row['eligible'])} audience comments can be judged; a reply rate "
                    f"needs {MIN_COMMENTS}.",
                    f"at least {MIN_COMMENTS} audience comments older than {CENSOR_HOURS:.0f} h",
                    _context(row),
                )
            )
            continue
        ev = [
            share_evidence(
                "reply rate, all audience comments",
                row["answered"],
                row["eligible"],
                lo_all[i],
                hi_all[i],
                _REPLIED,
            )
        ]
        if row["questions"]:
            ev.append(
                share_evidence(
                    "reply rate, questions",
                    row["answered_questions"],
                    row["questions"],
                    lo_q[i],
                    hi_q[i],
                    _REPLIED,
                )
            )
        on_q = row["questions"] >= MIN_QUESTIONS
        k, n = (
            (row["answered_questions"], row["questions"])
            if on_q
            else (row["answered"], row["eligible"])
        )
        lo, hi = (lo_q[i], hi_q[i]) if on_q else (lo_all[i], hi_all[i])
        what = "questions" if on_q else "audience comments"
        ev.append(Evidence("verdict based on", what, "", kind="context"))
        ev += _context(row)
        rate = k / n
        status = status_below(hi, t["warn"], t["fail"])
        if status == "ok":
            msg = f"The brand replied to {int(k)} of {int(n)} {what} ({pct(rate)})."
            if rate < t["warn"]:
                out.append(
                    inconclusive_finding(msg, rate, lo, hi, t["warn"], ev, needs=_MORE_COMMENTS)
                )
                continue
            out.append(verdict("ok", msg, "", ev))
            continue
        unanswered = int(n - k)
        out.append(
            verdict(
                status,
                f"{unanswered} of {int(n)} {what} got no reply from the brand ({pct(rate)} "
                f"answered, {ci_text(lo, hi)}).",
                f"Answer every question and complaint, starting with the {unanswered} "
                f"unanswered {what}: set a daily slot to go through new comments and a "
                f"response policy (who answers what, within how long); aim for at least "
                f"{pct(t['warn'])} answered.",
                ev,
                excess=(t["warn"] - hi) / t["warn"],
            )
        )
    return out


def _newcombe_low(k1, n1, k2, n2):
    """Lower 95 % bound of p1 − p2 (Newcombe's hybrid score interval, method 10)."""
    l1, u1 = wilson_ci(k1, n1)
    l2, u2 = wilson_ci(k2, n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = k1 / n1, k2 / n2
        return p1 - p2 - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)


def _sentiment_context(batch):
    """Per client: evidence of how the comments' sentiment was obtained (model, cut-off,
    comments scored, comments it could not read, texts cut)."""
    table = batch.sentiment_table
    client = batch.comments["client"].to_numpy() if len(table) else np.zeros(0, np.int64)

    def count(source):
        return np.bincount(client[(table["source"] == source).to_numpy()], minlength=batch.n)

    model, unread = count("model"), count("unscored")
    cut = np.bincount(client[table["cut"].to_numpy(dtype=bool)], minlength=batch.n)
    own = batch.comments.get("is_brand")
    own = np.zeros(len(table), bool) if own is None else own.fillna(False).to_numpy(dtype=bool)
    audience = (table["source"] == "model").to_numpy() & ~own
    cutoff, share = np.full(batch.n, np.nan), np.full(batch.n, np.nan)
    adapted = np.zeros(batch.n, dtype=bool)
    cutoff[client[audience]] = table["cutoff"].to_numpy(dtype=float)[audience]
    share[client[audience]] = table["negative_share"].to_numpy(dtype=float)[audience]
    adapted[client[audience]] = table["adapted"].to_numpy(dtype=bool)[audience]

    def how(i):
        used = table.attrs.get("cutoff") if np.isnan(cutoff[i]) else round(cutoff[i], 2)
        text = f"sentiment model {table.attrs.get('model')}, negative at p_negative ≥ {used}"
        if adapted[i]:
            text += (
                f", read at this client's estimated share of negative comments ({share[i]:.0%}, "
                "above the training texts'): probabilities re-weighted, cut-off for the best F1"
            )
        elif not np.isnan(share[i]):
            text += (
                f"; estimated share of negative comments {share[i]:.0%}, not above the "
                "training texts': the model's cross-validated cut-off kept"
            )
        return text

    def evidence(i):
        ev = [
            Evidence(
                f"comments scored by the {how(i)} (no sentiment in the export)",
                int(model[i]),
                "comments",
                kind="context",
            )
        ]
        optional = (
            ("comments left unscored: a language the sentiment model cannot read", unread),
            (
                f"comments scored on their first {limit('MAX_TEXT_CHARS'):,} characters "
                "(longer texts are cut)",
                cut,
            ),
        )
        ev += [Evidence(k, int(c[i]), "comments", kind="context") for k, c in optional if c[i]]
        return ev

    return evidence


@register_check("conversation.ignored_negative")
def ignored_negative(batch, t):
    """Negative comments are left without an answer.

    Notes
    -----
    A comment is negative when the export's sentiment score is ≤ ``negative``
    (-0.3) or, without one, when the sentiment model
    (:func:`socialkit.metrics.sentiment.classify`, the brand's names and
    handles masked) gives it a ``p_negative`` at or above its cut-off; comments
    in a language the model cannot read are left out, and counted. warn when the Wilson interval
    of the reply rate on negative comments is all below ``warn`` (0.6), fail
    when below ``fail`` (0.3); also warn when the rate on negative comments
    is ``gap`` (20 points) or more below the rate on the others, judged on
    the lower bound of Newcombe's interval for the difference. Needs
    :data:`MIN_NEGATIVE` judged negative comments.
    """
    conv = batch.conversation(float(t["negative"]))
    k, n = conv["answered_negative"].to_numpy(), conv["negative"].to_numpy()
    kr, nr = conv["answered_rest"].to_numpy(), conv["rest"].to_numpy()
    lo, hi = wilson_ci(k, n)
    gap_low = _newcombe_low(kr, nr, k, n)
    sentiment = _sentiment_context(batch)
    out = []
    for i, row in rows_of(conv):
        if _no_threads(row):
            out.append(not_assessable("No comment threads were loaded.", _NO_COMMENTS))
            continue
        if _no_brand(row):
            out.append(not_assessable(_NO_BRAND, _NO_BRAND_NEEDS, _context(row)))
            continue
        ev = [
            *sentiment(i),
            Evidence(
                "judged audience comments with a sentiment",
                int(row["with_sentiment"]),
                "comments",
                kind="context",
            ),
        ]
        if n[i] < MIN_NEGATIVE:
            out.append(
                not_assessable(
                    f"{int(n[i])} negative comments (sentiment ≤ {t['negative']}) can be "
                    f"judged; the check needs {MIN_NEGATIVE}.",
                    f"at least {MIN_NEGATIVE} negative audience comments with text or a "
                    "sentiment score",
                    ev,
                )
            )
            continue
        rate = k[i] / n[i]
        rest = kr[i] / nr[i] if nr[i] else np.nan
        ev = [
            share_evidence("reply rate, negative comments", k[i], n[i], lo[i], hi[i], _REPLIED),
            share_evidence(
                "reply rate, other comments", kr[i], nr[i], *wilson_ci(kr[i], nr[i]), _REPLIED
            ),
            Evidence(
                "gap: reply rate on other comments minus on negative ones",
                round(float(rest - rate), 3) if nr[i] else None,
                "reply-rate points",
            ),
            Evidence(
                "gap, lower 95 % bound (Newcombe)",
                round(float(gap_low[i]), 3) if nr[i] else None,
                "reply-rate points",
            ),
            *ev,
            *_context(row),
        ]
        status = status_below(hi[i], t["warn"], t["fail"])
        gap_bad = bool(nr[i]) and gap_low[i] > t["gap"]
        if status == "ok" and gap_bad:
            status = "warn"
        unanswered = int(n[i] - k[i])
        if status == "ok":
            msg = f"The brand replied to {int(k[i])} of {int(n[i])} negative comments ({pct(rate)})"
            msg += f", {pct(rest)} of the others." if nr[i] else "."
            if rate < t["warn"]:
                out.append(
                    inconclusive_finding(
                        msg, rate, lo[i], hi[i], t["warn"], ev, needs=_MORE_COMMENTS
                    )
                )
                continue
            out.append(verdict("ok", msg, "", ev))
            continue
        msg = (
            f"{unanswered} of {int(n[i])} negative comments got no reply ({pct(rate)} answered, "
            f"{ci_text(lo[i], hi[i])})"
        )
        if nr[i]:
            msg += f", against {pct(rest)} of the other comments"
        out.append(
            verdict(
                status,
                msg + ".",
                f"Reply to complaints first, in public and within a day: acknowledge, "
                f"apologise where due and move the details to a private message. Start with "
                f"the {unanswered} unanswered negative comments; a complaint answered in "
                "public shows every reader that the brand listens.",
                ev,
                excess=max((t["warn"] - hi[i]) / t["warn"], 0.0),
            )
        )
    return out


@register_check("conversation.slow_response")
def slow_response(batch, t):
    """Replies come too late.

    Notes
    -----
    First response time = time from an audience comment to the brand's first
    answer (see :mod:`socialkit.metrics.conversation`), over answered,
    judged comments. warn when the order-statistic 95 % interval of the
    median is all above ``warn`` (24 h), fail when above ``fail`` (72 h).
    Needs :data:`MIN_TIMED` replies with a time. Wall-clock hours: that is
    what the person waiting sees.
    """
    conv = batch.conversation(NEGATIVE)
    out = []
    for _, row in rows_of(conv):
        if _no_threads(row):
            out.append(not_assessable("No comment threads were loaded.", _NO_COMMENTS))
            continue
        if _no_brand(row):
            out.append(not_assessable(_NO_BRAND, _NO_BRAND_NEEDS, _context(row)))
            continue
        n = int(row["timed"])
        if n < MIN_TIMED:
            out.append(
                not_assessable(
                    f"{n} brand replies have a response time; the median needs {MIN_TIMED}.",
                    f"at least {MIN_TIMED} answered audience comments with timestamps",
                    _context(row),
                )
            )
            continue
        med, lo, hi = row["median_hours"], row["median_low"], row["median_high"]
        ev = [
            Evidence(
                "median first response time",
                round(float(med), 2),
                "hours",
                n=n,
                ci=(round(float(lo), 2), round(float(hi), 2)),
            ),
            Evidence("90th percentile first response time", round(float(row["p90_hours"]), 2),
                     "hours", n=n),
            *_context(row),
        ]  # fmt: skip
        status = status_above(lo, t["warn"], t["fail"])
        if status == "ok":
            msg = (
                f"Half of the replies came within {hours_text(med)} (90 % within "
                f"{hours_text(row['p90_hours'])})."
            )
            if med > t["warn"]:
                out.append(
                    inconclusive_finding(
                        msg, med, lo, hi, t["warn"], ev, hours_text, needs=_MORE_COMMENTS
                    )
                )
                continue
            out.append(verdict("ok", msg, "", ev))
            continue
        out.append(
            verdict(
                status,
                f"The median reply came after {hours_text(med)} (95% CI "
                f"{hours_text(lo)}–{hours_text(hi)}); one in ten took more than "
                f"{hours_text(row['p90_hours'])}.",
                f"Reply within {hours_text(t['warn'])}, ideally the same working day: check "
                "comments at fixed times every day, with notifications on for questions and "
                "complaints, and a named back-up for weekends and holidays.",
                ev,
                excess=min((lo - t["warn"]) / t["fail"], 1.0),
            )
        )
    return out


@register_check("conversation.broadcast_only")
def broadcast_only(batch, t):
    """One-way posting: the brand neither replies nor invites a response.

    Notes
    -----
    Two rates, each with a Wilson 95 % interval: brand replies per audience
    comment (warn side: high end < 1 / ``replies_per``, i.e. fewer than one
    reply per 20 comments) and the share of posts whose text invites a
    response (a question, a call to comment, vote or tag; see
    :mod:`socialkit.metrics.questions`; high end < ``invite``, 5 %). warn
    when both hold. Needs :data:`socialkit.checks.conversation.MIN_COMMENTS`
    audience comments and :data:`MIN_TEXT_POSTS` posts with text.
    """
    conv = batch.conversation(NEGATIVE)
    aud = conv["audience"].to_numpy()
    replies = np.minimum(conv["brand_replies"].to_numpy(), aud)
    r_lo, r_hi = wilson_ci(replies, aud)
    text = batch.has_text
    n_text = batch.per_client(np.ones(len(text)), text, how="count") if len(text) else 0 * aud
    n_inv = (
        batch.per_client(batch.invites(aud >= MIN_COMMENTS).astype(float)) if len(text) else 0 * aud
    )
    i_lo, i_hi = wilson_ci(n_inv, n_text)
    per = 1.0 / t["replies_per"]
    out = []
    brand = conv["brand"].to_numpy()
    for i in range(batch.n):
        if aud[i] and not brand[i]:
            out.append(not_assessable(_NO_BRAND, _NO_BRAND_NEEDS))
            continue
        if aud[i] < MIN_COMMENTS or n_text[i] < MIN_TEXT_POSTS:
            out.append(
                not_assessable(
                    f"{int(aud[i])} audience comments and {int(n_text[i])} posts with text; "
                    f"the check needs {MIN_COMMENTS} and {MIN_TEXT_POSTS}.",
                    f"{_NO_COMMENTS}, and post texts",
                )
            )
            continue
        inv = n_inv[i] / n_text[i]
        ev = [
            share_evidence(
                "brand replies per audience comment",
                replies[i],
                aud[i],
                r_lo[i],
                r_hi[i],
                "replies per comment",
            ),
            share_evidence(
                "posts that invite a response",
                n_inv[i],
                n_text[i],
                i_lo[i],
                i_hi[i],
                "share of posts",
            ),
        ]
        silent, closed = r_hi[i] < per, i_hi[i] < t["invite"]
        if silent and closed:
            out.append(
                verdict(
                    "warn",
                    f"The brand wrote {int(replies[i])} replies to {int(aud[i])} audience "
                    f"comments, and {int(n_inv[i])} of {int(n_text[i])} posts ({pct(inv, 1)}) "
                    "ask the audience anything: social media used as a one-way channel.",
                    "Make posts a conversation: end one post in three with a real question or "
                    "a poll, and answer the replies it gets the same day.",
                    ev,
                    excess=1 - max(r_hi[i] / per, i_hi[i] / t["invite"]),
                )
            )
            continue
        parts = []
        if not silent:
            parts.append(f"the brand replies ({int(replies[i])} replies to {int(aud[i])} comments)")
        if not closed:
            parts.append(f"{pct(inv)} of posts invite a response")
        out.append(verdict("ok", "Not one-way: " + " and ".join(parts) + ".", "", ev))
    return out
