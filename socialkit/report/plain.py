"""The client's voice: plain sentences for the body of the report.

The report speaks twice. The body speaks to the client (a marketing manager):
her own numbers in plain words, what is going well, what to fix and how. The
"Methods and data" appendix speaks to the analyst: intervals, sample sizes,
tests, check ids, thresholds, files and loader notes.

This module is the one place for the client's voice:

* :data:`GOING_WELL` phrases each check's ``ok`` verdict as what is good
  (never with the problem's name, as its title would);
* :func:`plain` takes the statistical asides out of a check's message (the
  interval, the test, the p-value), which the appendix keeps in full;
* :data:`JARGON` lists the terms the client-facing part must not contain
  (the report's tests read it).
"""

from __future__ import annotations

import re

from socialkit.fmt import PLATFORM_NAMES

__all__ = ["GOING_WELL", "JARGON", "plain", "going_well", "AREA_NAMES", "data_to_add"]

#: Each check's ``ok`` verdict, phrased as what is good.
GOING_WELL = {
    "kpi.vanity_only": "Your KPIs go beyond raw counts: they include results that show action.",
    "kpi.virality_dependence": "Results come from steady performers, not from one or two lucky hits.",
    # ok: no fall in engagement per follower while followers grew, and no follower jump
    # that brought no engagement (the follower count may have grown, held or shrunk)
    "kpi.quantity_over_quality": "Engagement per follower holds up as your follower count changes.",
    "kpi.silent_majority": "You measure the quiet majority too, not only the people who comment.",
    "platform.underperforming": "None of your platforms falls clearly below its industry benchmark.",
    "platform.dilution": "Each platform you use gets posts often enough to matter.",
    # ok: few posts have a near-identical copy on another platform (adapted, or simply
    # not cross-posted: the check cannot tell which)
    "platform.cross_post_copies": "Posts are not pasted word for word across your platforms.",
    "platform.audience_mismatch": "You are present where your target audience spends its time.",
    "content.low_variety": "You mix several kinds of post (formats), which keeps the feed fresh.",
    "content.underused_format": "No format that clearly works for you is being neglected.",
    # ok: few posts match the phrase list (price cuts, calls to buy, limited offers); it
    # misses contests, giveaways and launches, so this is not "most posts give something"
    "content.hard_sell": "Sales pitches (price cuts, calls to buy, limited offers) are not the "
    "bulk of your posts.",
    "content.self_focus": "Your posts speak to the audience, not only about the brand.",
    # ok: posts are not crowded into the weakest time slots (which says nothing of slots
    # never tried, nor of the audience's hours)
    "content.timing": "No sign that your posting times cost you engagement.",
    "strategy.irregular_cadence": "You post at a steady, regular rhythm.",
    "strategy.missing_foundations": "The foundations are in place: tone, calendar, reply rules and "
    "regular reviews.",
    # ok: the reply rate's estimate is at or over the bar (50 %), not every comment
    "conversation.low_response_rate": "Most questions and comments get an answer.",
    # ok: negative comments' reply rate over the bar and less than 20 points under the rest
    "conversation.ignored_negative": "Complaints get answered, not much less often than other "
    "comments.",
    "conversation.slow_response": "Replies come quickly.",
    "conversation.broadcast_only": "Your posts start conversations: people talk back.",
    # ok: shares per post (per 1,000 followers) at least a quarter of the platform's norm
    "advocacy.low_amplification": "Your posts get shared: not rarely, for your platforms.",
    # ok: at least 5 % of commenters comment on two posts or more
    "advocacy.no_community": "Some people come back to comment on more than one post.",
    "patience.window_too_short": "The strategy is given enough time before it is judged.",
    # ok: no significant fall, and the estimate falls by less than material_fall (20 %)
    # of the mean level if at all (a larger fall the test cannot confirm is inconclusive)
    "patience.long_run_trend": "No clear fall in engagement per post over the months.",
    # ok: nothing tried for a few weeks and then dropped (often: nothing dropped at all)
    "patience.premature_abandonment": "No platform or format was dropped after only a short try.",
    # ok: engagement at least half the competitors' median (not "as good as")
    "market.peer_position": "Your engagement is not far behind your competitors'.",
}

#: Areas of the diagnosis in the client's words.
AREA_NAMES = {
    "kpi": "How success is measured",
    "platform": "Where you post",
    "content": "What you post",
    "strategy": "How the work is organised",
    "conversation": "Talking with your audience",
    "advocacy": "People spreading the word",
    "patience": "Giving it time",
    "market": "Against the competition",
}

#: Terms that belong in the methods appendix, never in the client's part of the report.
JARGON = (
    "95% CI",
    "95 % CI",
    "confidence interval",
    "n=",
    "p-value",
    "p =",
    "Mann–Kendall",
    "Mann-Kendall",
    "Theil–Sen",
    "Theil-Sen",
    "Newcombe",
    "Wilson",
    "Gini",
    "entropy",
    "cosine",
    "bootstrap",
    "threshold",
    "client.yaml",
    ".csv",
    "CV ",
    "sd/mean",
    "platform(s)",
)

# "(95% CI 31%–52%)", ", 95% CI 2%–10%", "but its 95% CI (0.9–3.0) includes 1"
_CI_PAREN = re.compile(r"\s*\(95\s?% CI [^()]*\)")
_CI_INCLUDES = re.compile(
    r"its 95\s?% CI \([^)]*\) includes [0-9.]+(?:, so the data do not show it yet)?"
)
_CI_TAIL = re.compile(r",\s*95\s?% CI [^,;()]*(?=[),;])")
_P = re.compile(r"\s*\(p\s*[=<>]\s*[0-9.e-]+\)")
_CV = re.compile(r",?\s*CV [0-9.]+")
_INCONCLUSIVE = re.compile(
    r"The estimate \(([^)]*)\) is past the ([^ ]*) threshold, but the 95\s?% CI [^,]*"
    r" still includes it, so the data do not show it yet\."
)
_PLATFORM = re.compile(
    r"\b(" + "|".join(k for k in PLATFORM_NAMES if k not in ("x", "other", "twitter")) + r")\b"
)
# x as a platform: "x 2.8", "x (", "on x", "x at", in a list of platform names
_X = re.compile(
    r"(?<![\w-])x(?=\s+[0-9(]|\s+at\b|,\s*(?i:instagram|facebook|linkedin|tiktok|youtube))|"
    r"(?<=\bon )x\b|(?<=, )x\b(?=[ ,.)])"
)
# names in code style: content_calendar, kpi.vanity_only
_SNAKE = re.compile(r"\b[a-z]+(?:\.[a-z]+)?(?:_[a-z]+)+\b")
# dates as the checks write them (2022-03-12), alone or as a range (2022-03-12 – 2022-04-05)
_DAY = r"(\d{4})-(\d\d)-(\d\d)(?![\w:])"
_DAYS = re.compile(rf"(?<![\w-]){_DAY}(?:\s*[–-]\s*{_DAY})?")


def _dates(m: re.Match) -> str:
    """A date or range of dates in words, as the rest of the report writes them
    (12 March – 5 April 2022); the text as it was when it is not a calendar date."""
    import datetime as dt

    try:
        days = [dt.date(*map(int, m.groups()[k : k + 3])) for k in (0, 3) if m.group(k + 1)]
    except ValueError:
        return m.group(0)
    last = f"{days[-1].day} {days[-1]:%B %Y}"
    if len(days) == 1:
        return last
    first = days[0]
    return (
        f"{first.day} {first:%B}{'' if first.year == days[1].year else f' {first.year}'} – {last}"
    )


def plain(text: str) -> str:
    """A check's sentence without its statistical asides, platform names capitalised.

    The interval, the p-value and the coefficient of variation stay in the
    methods appendix; what the client reads is the finding and her numbers, with
    dates in words (12 March – 5 April 2022) as the rest of the report writes them.
    """
    if not text:
        return ""
    s = _INCONCLUSIVE.sub(
        r"That is on the wrong side of our \2 mark, but too close to it to call yet.", text
    )
    s = _CI_INCLUDES.sub("the data can't confirm it yet", s)
    s = _CI_TAIL.sub("", s)
    s = _CI_PAREN.sub("", s)
    s = _P.sub("", s)
    s = _CV.sub("", s)
    s = s.replace("platform(s)", "platforms").replace("`", "").replace("client.yaml", "your brief")
    s = _PLATFORM.sub(lambda m: PLATFORM_NAMES[m.group(1)], s)
    s = _X.sub("X", s)
    s = _SNAKE.sub(lambda m: m.group(0).split(".")[-1].replace("_", " "), s)
    s = _DAYS.sub(_dates, s)
    return re.sub(r"\s+([,.;)])", r"\1", s).strip()


def going_well(finding) -> str:
    """The positive line for an ``ok`` finding (its plain message when none is written)."""
    return GOING_WELL.get(finding.check) or plain(finding.message)


#: What a check that could not decide needs, in the client's words: (a pattern of the
#: check's ``needs``, what to add), in the order the plan lists them.
_DATA_TO_ADD = (
    (r"comment", "your comments with the brand's replies (a comments export)"),
    (r"follower", "follower counts over time (a followers export)"),
    (
        r"kpis:|competitors:|audience:|foundations:|evaluation_weeks:",
        "your brief: KPIs, competitors, target audience, team and process",
    ),
    (r"\bweeks\b|covering", "a longer history of posts (a few months)"),
    (r"two platforms", "your posts on your other platforms"),
    (r"cover the same period", "exports of all your platforms for the same months"),
    (r"publication dates", "a posts export that gives each post's date"),
    (r"a recent export", "a recent export of your posts (our benchmarks are from recent years)"),
    (r"format \(image", "the format of each post (image, video, link …)"),
)


def data_to_add(findings) -> list[str]:
    """The data that would let the undecided checks decide, in plain words, once each
    (:data:`_DATA_TO_ADD`; a need matching none is left to the methods appendix)."""
    needs = [f.needs.lower() for f in findings if f.status == "not_assessable" and f.needs]
    return [what for pattern, what in _DATA_TO_ADD if any(re.search(pattern, n) for n in needs)]
