"""The workshop's questions: each one's reference answer, taken from the checks' own
numbers, and the typical slips (computed the way a beginner computes them) with the hint
that names each one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from socialkit.workshop import _answers as read

__all__ = ["EXERCISES", "Exercise", "Case"]


class Case:
    """The brand under study: one Batch shared by its diagnosis, the answers and the hints."""

    def __init__(self, client):
        from socialkit.batch import Batch
        from socialkit.diagnose import diagnose_batch

        self.client = client
        self.batch = Batch.from_clients([client])
        self.diagnosis = diagnose_batch(self.batch)[0]


@dataclass(frozen=True)
class Exercise:
    """One question: how to read an answer, compute the right one, and explain wrong ones.

    ``decoys(case)`` lists ``(value, hint)``: a value a typical slip gives, already in the
    form ``read`` returns, and the hint that names the slip. ``feedback(answer, expected,
    case)`` may add hints of its own (which items of a list are wrong); neither ever shows
    the right answer.
    """

    question: str
    read: Callable[[Any], Any]
    expected: Callable[[Case], Any]
    compare: Callable[[Any, Any], bool]
    decoys: Callable[[Case], list[tuple[Any, str]]]
    hint: str  # where to look, when no slip matches
    shape: str  # what kind of answer is asked for
    feedback: Callable[[Any, Any, Case], list[str]] | None = None


def _within(tol: float) -> Callable[[Any, Any], bool]:
    return lambda a, e: a is not None and abs(a - e) <= tol + 1e-9


def near(answer, decoy, rel: float = 0.02) -> bool:
    """``answer`` (as read) matches a slip's value: numbers within 2 % (whole numbers
    exactly), a set of names exactly, a pair item by item."""
    if answer is None or decoy is None:
        return False
    if isinstance(decoy, tuple):
        return (
            isinstance(answer, tuple)
            and len(answer) == len(decoy)
            and all(map(near, answer, decoy))
        )
    if isinstance(decoy, (set, frozenset, str)):
        return answer == decoy
    if isinstance(decoy, (int, np.integer)) and isinstance(answer, (int, np.integer)):
        return int(answer) == int(decoy)
    return abs(float(answer) - float(decoy)) <= rel * max(abs(float(decoy)), 1e-9)


_PERCENT = "That looks like a percentage; give a share between 0 and 1 (or type it as text: '74%')."


def _evidence(diagnosis, check: str, prefix: str):
    return [e for e in diagnosis[check].evidence if e.name.startswith(prefix)]


# --- 1.1 the format mix --------------------------------------------------------------------


def _dominant(case):
    ev = _evidence(case.diagnosis, "content.low_variety", "share of posts that are ")
    if not ev:
        return None
    top = max(ev, key=lambda e: e.value)
    return (top.name.removeprefix("share of posts that are "), float(top.value))


def _dominant_decoys(case):
    fmt, share = _dominant(case)
    posts = case.client.posts
    every = float((posts["format"].astype("string") == fmt).sum() / len(posts))
    return [
        ((fmt, share * 100), "Right format; give its share between 0 and 1, not a percent."),
        (
            (fmt, every),
            "That share counts the posts whose format is unknown (empty in the export): leave "
            "them out — value_counts() does, unless dropna=False or you divide by len(posts).",
        ),
    ]


def _dominant_feedback(answer, expected, case):
    if answer is not None and answer[0] != expected[0]:
        return ["That is not the most common format: count the posts per format."]
    return []


# --- 1.2 how hard it sells -------------------------------------------------------------------


def _promo(case):
    return float(
        _evidence(case.diagnosis, "content.hard_sell", "share of posts with text")[0].value
    )


def _promo_decoys(case):
    from socialkit.metrics.text import is_promotional

    text = case.client.posts["text"].fillna("")
    every = float(np.asarray(is_promotional(text)).mean())
    return [
        (_promo(case) * 100, _PERCENT),
        (
            every,
            "That divides by every post, including posts without any text: a post with no "
            "text is no sales pitch and no anything else. Leave them out of the denominator.",
        ),
    ]


# --- 2.1 vanity KPIs -------------------------------------------------------------------------


def _vanity(case):
    from socialkit.checks.kpi import VANITY_KPIS

    return {read.name(k) for k in case.client.profile.kpis or []} & set(VANITY_KPIS)


def _vanity_decoys(case):
    kpis = {read.name(k) for k in case.client.profile.kpis or []}
    return [(kpis, "Not every KPI is a vanity metric: sales or clicks are outcomes.")]


def _vanity_feedback(answer, expected, case):
    if answer is None:
        return []
    kpis = {read.name(k) for k in case.client.profile.kpis or []}
    hints = [
        f"{k} is not one of the brand's declared KPIs (client.profile.kpis)."
        for k in sorted(answer - kpis)
    ]
    outcomes = sorted((answer & kpis) - expected)
    if outcomes:
        hints.append(
            f"{', '.join(outcomes)}: someone acted (bought, clicked) — an outcome, not a vanity count."
        )
    if expected - answer:
        hints.append("One of the declared KPIs you left out only counts heads or eyeballs.")
    return hints


# --- 2.2 the weakest platform ----------------------------------------------------------------


def _ratios(case):
    from socialkit.benchmarks import engagement_benchmark
    from socialkit.checks.platform import MIN_PLATFORM_POSTS, RECENT_WEEKS
    from socialkit.metrics.engagement import platform_engagement

    rows = {}
    for r in platform_engagement(case.batch, RECENT_WEEKS).itertuples():
        b = engagement_benchmark(r.platform, case.client.profile.industry)
        if b is not None and r.n >= MIN_PLATFORM_POSTS:
            rows[r.platform] = (r.median, r.median / b["engagement_rate"])
    return rows


def _weakest(case):
    rows = _ratios(case)
    return min(rows, key=lambda p: rows[p][1]) if rows else None


def _weakest_decoys(case):
    rows = _ratios(case)
    raw = min(rows, key=lambda p: rows[p][0])
    best = max(rows, key=lambda p: rows[p][1])
    above = "That platform is the furthest *above* its benchmark: look for the lowest ratio."
    return [
        (
            raw,
            f"{raw} has the lowest raw engagement rate, but every platform has its own normal "
            "level: divide each platform's rate by its own benchmark and compare the ratios.",
        ),
        *([(best, above)] if best != raw else []),
    ]


# --- 3.1 ignored complaints ------------------------------------------------------------------


def _negative_cut(case) -> float:
    ev = case.diagnosis["conversation.ignored_negative"].evidence
    return float(next(e.value for e in ev if e.name == "threshold negative"))


def _unanswered_negative(case):
    conv = case.batch.conversation(_negative_cut(case)).iloc[0]
    return int(conv["negative"] - conv["answered_negative"])


def _judged(case):
    """Masks over the comments, as a learner builds them: audience, old enough, negative."""
    import pandas as pd

    from socialkit.metrics.conversation import CENSOR_HOURS

    th = case.batch.threads
    created = case.client.comments["created_at"]
    old = (created <= created.max() - pd.Timedelta(hours=CENSOR_HOURS)).to_numpy()  # as the checks
    negative = case.batch.sentiment[0] <= _negative_cut(case)
    return th["audience"].to_numpy(), old, negative, th["answered"].to_numpy()


def _unanswered_decoys(case):
    from socialkit.metrics.conversation import CENSOR_HOURS

    audience, old, negative, answered = _judged(case)
    conv = case.batch.conversation(_negative_cut(case)).iloc[0]
    young = f"comments from the last {CENSOR_HOURS:g} hours of the data are too new to judge (the brand may still answer them): keep only comments at least {CENSOR_HOURS:g} hours older than the newest comment"
    own = "the brand's own comments are in the table too (is_brand): a brand reply can read negative (an apology) but it is not a complaint — keep only threads['audience']"
    return [
        (int((negative & ~answered).sum()), f"Two things to leave out: {own}; and {young}."),
        (int((audience & negative & ~answered).sum()), f"Nearly: {young}."),
        (int((old & negative & ~answered).sum()), f"Nearly: {own}."),
        (
            int(conv["negative"]),
            "That is every judged negative comment; count the unanswered ones.",
        ),
        (
            int(conv["eligible"] - conv["answered"]),
            f"That counts every unanswered comment; keep only the negative ones (sentiment ≤ {_negative_cut(case):g}).",
        ),
    ]


# --- 3.2 reply time --------------------------------------------------------------------------


def _median_hours(case):
    return float(case.batch.conversation(_negative_cut(case)).iloc[0]["median_hours"])


def _median_decoys(case):
    from socialkit.metrics.conversation import CENSOR_HOURS

    audience, old, _, _ = _judged(case)
    hours = case.batch.threads["response_hours"].to_numpy(dtype=float)
    med = _median_hours(case)
    return [
        (
            float(np.nanmean(hours[old])),
            "That is the mean: a few very slow replies pull it up. Use the median.",
        ),
        (
            float(np.nanmean(hours)),
            "That is the mean: a few very slow replies pull it up. Use the median.",
        ),
        (
            float(np.nanmedian(hours)),
            f"Leave out the comments of the last {CENSOR_HOURS:g} hours: the ones answered fast "
            "are in, the ones still waiting are not, so they make the brand look quicker than it is.",
        ),
        (med * 60, "Looks like minutes; give hours."),
        (med / 24, "Looks like days; give hours."),
    ]


# --- 4.1 the three most serious problems -----------------------------------------------------


def _top(case):
    return {f.check for f in case.diagnosis.top(3)}


def _top_decoys(case):
    table = sorted(f.check for f in case.diagnosis.findings)
    return [
        (
            set(table[:3]),
            "Those are the first three rows of the table, which is in alphabetical order: "
            "rank the findings by status and severity first.",
        )
    ]


def _top_feedback(answer, expected, case):
    if answer is None:
        return []
    status = {f.check: f.status for f in case.diagnosis.findings}
    hints = []
    for a in sorted(answer - expected):
        if a not in status:
            hints.append(f"{a} is not a check id; the ids are in the 'check' column.")
        elif status[a] in ("ok", "not_assessable"):
            hints.append(f"{a} is {status[a].replace('_', ' ')}: not a problem found.")
        else:
            hints.append(f"{a} is a {status[a]}, but others are more serious (severity).")
    right = len(answer & expected)
    if len(answer) != 3:
        hints.append(f"Give three check ids; you gave {len(answer)}.")
    elif right:
        hints.append(f"{right} of your three are right.")
    return hints


EXERCISES: dict[str, Exercise] = {
    "dominant_format": Exercise(
        "Which format makes up most of the posts, and what share of them?",
        read.pair,
        _dominant,
        lambda a, e: a is not None and a[0] == e[0] and _within(0.005)(a[1], e[1]),
        _dominant_decoys,
        "Count posts per format with posts['format'].value_counts(normalize=True).",
        "a pair (format, share), e.g. ('video', 0.42)",
        _dominant_feedback,
    ),
    "promotional_share": Exercise(
        "What share of the posts that have text are sales pitches?",
        read.share,
        _promo,
        _within(0.005),
        _promo_decoys,
        "Use socialkit.metrics.text.is_promotional on the text of the posts that have text.",
        "a share between 0 and 1, e.g. 0.42 or '42%'",
    ),
    "vanity_kpis": Exercise(
        "Which of the brand's declared KPIs are vanity metrics (raw counts)?",
        read.names,
        _vanity,
        lambda a, e: a == e,
        _vanity_decoys,
        "Vanity metrics count things (followers, likes, impressions, reach, views) without "
        "saying whether anyone acted. Read client.profile.kpis.",
        "a list of KPI names, e.g. ['likes']",
        _vanity_feedback,
    ),
    "weakest_platform": Exercise(
        "Which platform sits furthest below (or least above) its industry benchmark?",
        read.name,
        _weakest,
        lambda a, e: a == e,
        _weakest_decoys,
        "Median engagement rate (interactions ÷ followers, last 26 weeks) per platform ÷ the "
        "benchmark of that platform: plot.platform_benchmark draws both.",
        "a platform name",
    ),
    "unanswered_negative": Exercise(
        "How many negative audience comments never got a reply from the brand?",
        read.count,
        _unanswered_negative,
        lambda a, e: a == e,
        _unanswered_decoys,
        "threads['answered'] says which comments were answered; score gives each comment's "
        "sentiment; combine the conditions with & and count with .sum().",
        "a whole number of comments",
    ),
    "median_reply_hours": Exercise(
        "Half of the brand's replies come within how many hours of the comment?",
        read.hours,
        _median_hours,
        _within(0.25),
        _median_decoys,
        "The response_hours column of threads, for answered audience comments old enough to "
        "judge; .median() of it.",
        "a number of hours",
    ),
    "top_problems": Exercise(
        "Which three findings are the most serious (their check ids)?",
        read.names,
        _top,
        lambda a, e: a == e,
        _top_decoys,
        "Sort the findings: failures first, then warnings, each by severity.",
        "a list of three check ids, e.g. ['kpi.vanity_only', ...]",
        _top_feedback,
    ),
}
