"""Self-check cells for the workshop notebooks (``notebooks/workshop/``).

Each exercise has an id, a question and a reference answer that is computed
from the client by the package itself — the checks' own numbers — never
written down. :func:`check` compares a learner's answer with it and, when the
answer is wrong, says why in the terms of the most likely mistake: a percent
where a share was asked, a mean for a median, comments too new to judge, a
raw rate where a ratio to the benchmark was needed.

Examples
--------
>>> import socialkit as sk
>>> from socialkit import workshop
>>> workshop.check("dominant_format", None, client)  # doctest: +SKIP
not answered yet: Which format makes up most of the posts, and what share?
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np

__all__ = ["EXERCISES", "Result", "check", "recommendation", "score", "reset"]


@dataclass
class Result:
    """The verdict on one answer: truthy when correct; shows itself in a notebook."""

    exercise: str
    ok: bool | None  # None = not answered yet
    message: str
    hints: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ok)

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  hint: {h}" for h in self.hints)])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {True: "#009E73", False: "#D55E00", None: "#777777"}[self.ok]
        hints = "".join(f"<li>{escape(h)}</li>" for h in self.hints)
        return (
            f'<div style="border-left:4px solid {colour};padding:4px 10px">'
            f"<b>{escape(self.message)}</b>" + (f"<ul>{hints}</ul>" if hints else "") + "</div>"
        )


class _Case:
    """The brand under study: one Batch shared by its diagnosis, the answers and the hints."""

    def __init__(self, client):
        from socialkit.batch import Batch
        from socialkit.diagnose import diagnose_batch

        self.client = client
        self.batch = Batch.from_clients([client])
        self.diagnosis = diagnose_batch(self.batch)[0]


@dataclass(frozen=True)
class Exercise:
    """One question: how to compute its answer and how to explain wrong ones."""

    question: str
    expected: Callable[[_Case], Any]  # reference answer
    compare: Callable[[Any, Any], bool]
    decoys: Callable[[_Case], list[tuple[Any, str]]]  # likely wrong answers and their hint
    hint: str  # where to look, when no decoy matches
    shape: str  # what kind of answer is asked for


_SCORE: dict[str, bool] = {}


def _close(tol):
    def compare(answer, expected):
        return _number(answer) is not None and abs(_number(answer) - expected) <= tol

    return compare


def _number(x) -> float | None:
    if isinstance(x, bool) or x is None:
        return None
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def _near(answer, decoy, rel: float = 0.02) -> bool:
    """``answer`` matches a likely wrong answer: numbers within 2 %, the same names (a list
    is a set of names), a tuple item by item."""
    if isinstance(decoy, list):
        return _names(answer) == _names(decoy)
    if isinstance(decoy, tuple) and not isinstance(answer, str):
        try:
            return len(answer) == len(decoy) and all(map(_near, answer, decoy))
        except TypeError:
            return False
    a, b = _number(answer), _number(decoy)
    if b is not None:
        return a is not None and abs(a - b) <= rel * max(abs(b), 1e-9)
    return _names(answer) == _names(decoy)


def _names(x) -> set[str] | None:
    if isinstance(x, str):
        return {x.strip().lower()}
    try:
        return {str(v).strip().lower() for v in x}
    except TypeError:
        return None


def _share_decoys(expected, also=()):
    return [(expected * 100, "That looks like a percentage; give a share between 0 and 1."), *also]


def _evidence(diagnosis, check: str, prefix: str):
    return [e for e in diagnosis[check].evidence if e.name.startswith(prefix)]


# --- reference answers: the checks' own numbers ------------------------------------------------


def _dominant(case):
    ev = _evidence(case.diagnosis, "content.low_variety", "share of posts that are ")
    if not ev:
        return None
    top = max(ev, key=lambda e: e.value)
    return (top.name.removeprefix("share of posts that are "), float(top.value))


def _dominant_compare(answer, expected):
    try:
        fmt, share = answer
    except (TypeError, ValueError):
        return False
    return str(fmt).lower() == expected[0] and _close(0.005)(share, expected[1])


def _dominant_decoys(case):
    fmt, share = _dominant(case)
    return [
        ((fmt, share * 100), "Right format; give its share between 0 and 1, not a percent."),
    ]


def _promo(case):
    return float(
        _evidence(case.diagnosis, "content.hard_sell", "share of posts with text")[0].value
    )


def _promo_decoys(case):
    from socialkit.metrics.text import is_promotional

    flags = np.asarray(is_promotional(case.batch.text_arrow))
    return _share_decoys(
        _promo(case),
        [
            (
                float(flags.mean()),
                "Posts without any text cannot be sales pitches or anything else: leave them "
                "out of the denominator.",
            )
        ],
    )


def _vanity(case):
    from socialkit.checks.kpi import VANITY_KPIS

    return sorted(set(case.client.profile.kpis or []) & VANITY_KPIS)


def _vanity_decoys(case):
    kpis = sorted(set(case.client.profile.kpis or []))
    return [(kpis, "Not every KPI is a vanity metric: sales or clicks are outcomes.")]


def _ratios(case):
    from socialkit.benchmarks import engagement_benchmark
    from socialkit.checks.platform import MIN_PLATFORM_POSTS, RECENT_WEEKS
    from socialkit.metrics.engagement import platform_engagement

    per = platform_engagement(case.batch, RECENT_WEEKS)
    rows = {}
    for r in per.itertuples():
        b = engagement_benchmark(r.platform, case.client.profile.industry)
        if b is not None and r.n >= MIN_PLATFORM_POSTS:
            rows[r.platform] = (r.median, r.median / b["engagement_rate"])
    return rows


def _weakest(case):
    rows = _ratios(case)
    return min(rows, key=lambda p: rows[p][1]) if rows else None


def _weakest_decoys(case):
    rows = _ratios(case)
    if not rows:
        return []
    raw = min(rows, key=lambda p: rows[p][0])
    return [
        (
            raw,
            f"{raw} has the lowest raw engagement rate, but every platform has its own normal "
            "level: divide each platform's rate by its own benchmark and compare the ratios.",
        )
    ]


def _conversation(case):
    """The checks' own conversation summary (cached on the batch) and the negative cut-off."""
    negative = next(
        e.value
        for e in case.diagnosis["conversation.ignored_negative"].evidence
        if e.name == "threshold negative"
    )
    return case.batch.conversation(float(negative)).iloc[0], negative


def _unanswered_negative(case):
    conv, _ = _conversation(case)
    return int(conv["negative"] - conv["answered_negative"])


def _unanswered_decoys(case):
    from socialkit.metrics.conversation import CENSOR_HOURS

    conv, negative = _conversation(case)
    th = case.batch.threads
    neg = th["audience"].to_numpy() & (case.batch.sentiment[0] <= negative)
    return [
        (
            int((neg & ~th["answered"].to_numpy()).sum()),
            f"Some of those comments came in the last {CENSOR_HOURS:g} hours of the data: too "
            "new to judge, the brand may still answer them. Leave them out.",
        ),
        (int(conv["negative"]), "That is every judged negative comment; count the unanswered."),
        (
            int(conv["eligible"] - conv["answered"]),
            f"That counts every unanswered comment; keep only the negative ones (sentiment ≤ "
            f"{negative:g}).",
        ),
    ]


def _median_hours(case):
    conv, _ = _conversation(case)
    return float(conv["median_hours"])


def _median_decoys(case):
    hours = case.batch.threads["response_hours"]
    med = _median_hours(case)
    return [
        (
            float(hours.mean()),
            "That is the mean: a few very slow replies pull it up. Use the median.",
        ),
        (med * 60, "Looks like minutes; give hours."),
        (med / 24, "Looks like days; give hours."),
    ]


def _top(case):
    return sorted(f.check for f in case.diagnosis.top(3))


EXERCISES: dict[str, Exercise] = {
    "dominant_format": Exercise(
        "Which format makes up most of the posts, and what share of them?",
        _dominant,
        _dominant_compare,
        _dominant_decoys,
        "Count posts per format with posts['format'].value_counts(normalize=True).",
        "a pair (format, share), e.g. ('video', 0.42)",
    ),
    "promotional_share": Exercise(
        "What share of the posts that have text are sales pitches?",
        _promo,
        _close(0.005),
        _promo_decoys,
        "Use socialkit.metrics.text.is_promotional on the text of the posts that have text.",
        "a share between 0 and 1",
    ),
    "vanity_kpis": Exercise(
        "Which of the brand's declared KPIs are vanity metrics (raw counts)?",
        _vanity,
        lambda a, e: _names(a) == set(e),
        _vanity_decoys,
        "Vanity metrics count things (followers, likes, impressions, reach, views) without "
        "saying whether anyone acted. Read client.profile.kpis.",
        "a list of KPI names, e.g. ['likes']",
    ),
    "weakest_platform": Exercise(
        "Which platform sits furthest below (or least above) its industry benchmark?",
        _weakest,
        lambda a, e: isinstance(a, str) and a.strip().lower() == e,
        _weakest_decoys,
        "Median engagement rate (interactions ÷ followers, last 26 weeks) per platform ÷ the "
        "benchmark of that platform: plot.platform_benchmark draws both.",
        "a platform name",
    ),
    "unanswered_negative": Exercise(
        "How many negative audience comments never got a reply from the brand?",
        _unanswered_negative,
        lambda a, e: _number(a) == e,
        _unanswered_decoys,
        "reply_threads(client.comments) says which comments were answered; sentiment_filled "
        "gives each comment's sentiment.",
        "a whole number of comments",
    ),
    "median_reply_hours": Exercise(
        "Half of the brand's replies come within how many hours of the comment?",
        _median_hours,
        _close(0.25),
        _median_decoys,
        "The response_hours column of reply_threads(client.comments), for answered audience "
        "comments old enough to judge.",
        "a number of hours",
    ),
    "top_problems": Exercise(
        "Which three findings are the most serious (their check ids)?",
        _top,
        lambda a, e: _names(a) == set(e),
        lambda case: [],  # the missing ids are named instead (see check)
        "sk.diagnose(client).top(3), or the executive summary of the report.",
        "a list of three check ids, e.g. ['kpi.vanity_only', ...]",
    ),
}


def check(exercise: str, answer, client) -> Result:
    """Judge ``answer`` to ``exercise`` for ``client``, with hints when it is wrong.

    Parameters
    ----------
    exercise : str
        An id of :data:`EXERCISES`.
    answer : object
        The learner's answer; ``None`` or ``...`` means not answered yet.
    client : socialkit.Client
        The brand the workshop diagnoses.

    Returns
    -------
    Result
        Truthy when correct. The verdict is also kept for :func:`score`.
    """
    if exercise not in EXERCISES:
        raise KeyError(f"unknown exercise {exercise!r}; exercises: {', '.join(EXERCISES)}.")
    ex = EXERCISES[exercise]
    if answer is None or answer is Ellipsis:
        return Result(exercise, None, f"not answered yet: {ex.question} (give {ex.shape})")
    case = _Case(client)
    expected = ex.expected(case)
    if expected is None:
        return Result(exercise, None, f"this client has no data for: {ex.question}")
    ok = bool(ex.compare(answer, expected))
    _SCORE[exercise] = ok
    if ok:
        return Result(exercise, True, f"correct: {_show(expected)}")
    hints = [h for decoy, h in ex.decoys(case) if _near(answer, decoy)]
    if exercise == "top_problems" and _names(answer) is not None:
        missing = set(expected) - _names(answer)
        hints += [f"You left out {m}: see its evidence in the diagnosis." for m in sorted(missing)]
    return Result(exercise, False, f"not quite ({ex.question})", hints or [ex.hint])


def recommendation(text: str, client) -> Result:
    """Does a written recommendation cite the brand's own numbers from its top findings?

    A number in ``text`` counts when it appears (as written, or as a percent
    of a share) in the message or evidence of one of the three most serious
    findings.
    """
    from socialkit import diagnose

    if not text or not text.strip():
        return Result("recommendation", None, "not answered yet: write your recommendation")
    top = diagnose(client).top(3)
    if not top:
        return Result("recommendation", None, "this brand has no warn or fail finding to act on")
    numbers = {float(x) for x in re.findall(r"\d+(?:\.\d+)?", text.replace(",", ""))}
    known = set()
    for f in top:
        known |= {float(x) for x in re.findall(r"\d+(?:\.\d+)?", f.message.replace(",", ""))}
        for e in f.evidence:
            v = _number(e.value) if e.kind == "metric" else None
            if v is not None:
                known |= {round(v, 3), round(v * 100), round(v * 100, 1)}
    cited = sorted(numbers & known)
    ok = bool(cited)
    _SCORE["recommendation"] = ok
    if ok:
        return Result("recommendation", True, f"cites the brand's numbers: {cited}")
    return Result(
        "recommendation",
        False,
        "no number from the top findings",
        ["A recommendation convinces with the brand's own numbers, e.g. '75% of posts are sales "
         "pitches: cut that to one in five'."],
    )  # fmt: skip


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return str(value)


def score() -> dict[str, bool]:
    """Every exercise checked so far in this kernel and whether its last answer was right."""
    return dict(_SCORE)


def reset() -> None:
    """Forget the answers checked so far."""
    _SCORE.clear()
