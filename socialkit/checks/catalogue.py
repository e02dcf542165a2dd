"""The check catalogue (DIAGNOSES.md) as data: ids, failure modes, thresholds.

This is the one place where check ids, their default thresholds and the
failure mode each signals are declared. Check functions register against these
ids (:func:`socialkit.checks.register_check`); an id without a registered
function is reported as ``not_assessable`` with "not implemented yet".

Thresholds are overridable per client with ``thresholds: {"<id>.<name>": value}``
in client.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CheckSpec", "CATALOGUE", "AREAS", "threshold_keys"]

AREAS = {
    "kpi": "KPI choice",
    "platform": "Platform fit",
    "content": "Content mix",
    "strategy": "Strategy and process",
    "conversation": "Conversation",
    "advocacy": "Advocates and community",
    "patience": "Patience and trends",
    "market": "Market view",
}


@dataclass(frozen=True)
class CheckSpec:
    """Declaration of one catalogue check.

    Attributes
    ----------
    id : str
        ``area.name``.
    mode : str
        Failure mode number(s) in DIAGNOSES.md.
    title : str
        Short title.
    data : str
        Data the check needs, in words (shown when it is not assessable).
    why : str
        The failure mode, in plain words.
    thresholds : dict
        Default thresholds ``{name: value}``.
    units : dict
        Unit of each threshold.
    """

    id: str
    mode: str
    title: str
    data: str
    why: str
    thresholds: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)

    @property
    def area(self) -> str:
        return self.id.split(".", 1)[0]


def _spec(id, mode, title, data, why, **thresholds):
    values = {k: v[0] for k, v in thresholds.items()}
    units = {k: v[1] for k, v in thresholds.items()}
    return CheckSpec(id, mode, title, data, why, values, units)


_SHARE = "share"
_POSTS = "posts"

CATALOGUE: dict[str, CheckSpec] = {
    s.id: s
    for s in [
        _spec(
            "kpi.vanity_only",
            "1",
            "KPIs are vanity counts only",
            "client.yaml kpis",
            "Success defined as raw counts (followers, likes, views) says nothing about whether "
            "social media builds relationships or business outcomes.",
        ),
        _spec(
            "kpi.virality_dependence",
            "1",
            "Results hang on a few viral hits",
            "posts (at least 20)",
            "Chasing virality: a strategy that depends on rare hits cannot be planned or repeated.",
            warn=(0.5, _SHARE),
            fail=(0.7, _SHARE),
            min_posts=(20, _POSTS),
        ),
        _spec(
            "kpi.quantity_over_quality",
            "9",
            "Followers up, engagement per follower down",
            "followers history or posts.followers, at least 8 weeks",
            "Followers mistaken for influence: platforms ration reach by engagement, so an "
            "audience that does not engage is worth little.",
            growth=(0.10, "relative growth"),
            jump=(0.20, "weekly relative growth"),
            min_weeks=(8, "weeks"),
            material_fall=(0.20, "share of the mean over the period"),
        ),
        _spec(
            "kpi.silent_majority",
            "4",
            "Reporting only the vocal minority",
            "posts with clicks or video_views",
            "Most of an audience reads and never replies (90-9-1); counting only comments "
            "ignores the consumption that matters.",
            ratio=(20.0, "consumption per interaction"),
        ),
        _spec(
            "platform.underperforming",
            "2",
            "Platform below its industry benchmark",
            "posts, industry benchmark",
            "Wrong platform for the business, or content that does not fit its culture.",
            warn=(0.5, "× benchmark"),
            fail=(0.25, "× benchmark"),
        ),
        _spec(
            "platform.dilution",
            "8",
            "Spread too thin over too many platforms",
            "posts (at least 4 weeks)",
            "Spreading thin: too many platforms, none of them fed often enough to build an "
            "audience.",
            fail_platforms=(4, "platforms"),
            fail_rate=(2.0, "posts/week"),
            warn_rate=(1.0, "posts/week"),
            window_weeks=(13, "weeks"),
            min_weeks=(4, "weeks"),
        ),
        _spec(
            "platform.cross_post_copies",
            "2",
            "Same post pasted on every platform",
            "posts with text on at least 2 platforms",
            "Every platform has its own culture; the same copy pasted everywhere fits none.",
            warn=(0.3, _SHARE),
            fail=(0.6, _SHARE),
            similarity=(0.9, "cosine"),
            hours=(48, "hours"),
        ),
        _spec(
            "platform.audience_mismatch",
            "2,5",
            "Posting where the target audience is not",
            "client.yaml audience, platform-by-age table",
            "Not reaching the right people on the right channel.",
            warn=(0.5, _SHARE),
            fail=(0.8, _SHARE),
        ),
        _spec(
            "content.low_variety",
            "7",
            "Too little variety of formats",
            "posts (at least 20)",
            "Too little variety (e.g. images only, no video) bores the audience and misses "
            "formats the platforms favour.",
            warn=(0.8, "share of posts"),
            fail=(0.95, "share of posts"),
            entropy=(0.3, "normalised entropy"),
            min_posts=(20, _POSTS),
        ),
        _spec(
            "content.underused_format",
            "7",
            "A format that works is hardly used",
            "posts (at least 30)",
            "A format that clearly engages better is left aside.",
            lift=(1.5, "× engagement"),
            share=(0.15, _SHARE),
            min_posts=(30, _POSTS),
        ),
        _spec(
            "content.hard_sell",
            "7",
            "Too much hard selling",
            "posts with text",
            "Too much hard selling: audiences follow brands for value, not ads.",
            warn=(0.3, _SHARE),
            fail=(0.5, _SHARE),
        ),
        _spec(
            "content.self_focus",
            "11",
            "Talking about ourselves",
            "posts with text",
            "Brand-centred copy (we/our) instead of the audience's needs (you/your).",
            warn=(0.6, _SHARE),
        ),
        _spec(
            "content.timing",
            "5",
            "Posting at the audience's worst times",
            "posts (at least 50)",
            "Not reaching people at the right time.",
            warn=(0.5, _SHARE),
            min_posts=(50, _POSTS),
        ),
        _spec(
            "strategy.irregular_cadence",
            "3",
            "Irregular posting",
            "posts over at least 8 weeks",
            "No process: posting in bursts and silences, the sign of social run as a chore "
            "without a calendar.",
            warn=(1.0, "CV of weekly posts"),
            fail=(1.5, "CV of weekly posts"),
            gap_days=(21, "days"),
            min_weeks=(8, "weeks"),
        ),
        _spec(
            "strategy.missing_foundations",
            "3",
            "Missing strategic foundations",
            "client.yaml foundations",
            "No real strategy: no tone of voice, calendar, response policy, KPI review or "
            "trained staff behind the posting.",
            warn=(2, "items missing"),
            fail=(4, "items missing"),
        ),
        _spec(
            "conversation.low_response_rate",
            "6",
            "Comments go unanswered",
            "comments",
            "Broadcasting instead of a conversation: unanswered comments tell the audience "
            "nobody is listening.",
            warn=(0.5, "reply rate"),
            fail=(0.2, "reply rate"),
        ),
        _spec(
            "conversation.ignored_negative",
            "6",
            "Negative comments ignored",
            "comments with sentiment",
            "Ignoring complaints turns a fixable problem into a public one.",
            warn=(0.6, "reply rate"),
            fail=(0.3, "reply rate"),
            gap=(0.2, "reply-rate points"),
            negative=(-0.3, "sentiment"),
        ),
        _spec(
            "conversation.slow_response",
            "6",
            "Slow replies",
            "comments with times",
            "A reply days later is a reply nobody reads.",
            warn=(24.0, "hours"),
            fail=(72.0, "hours"),
        ),
        _spec(
            "conversation.broadcast_only",
            "6",
            "Broadcast only",
            "posts and comments",
            "One-way posting: the brand neither replies nor invites a response.",
            replies_per=(20, "audience comments per brand reply"),
            invite=(0.05, _SHARE),
        ),
        _spec(
            "advocacy.low_amplification",
            "11,9",
            "Hardly anyone shares",
            "posts, benchmark",
            "No advocates: people do not pass the content on.",
            warn=(0.25, "× benchmark"),
        ),
        _spec(
            "advocacy.no_community",
            "11",
            "No returning commenters",
            "comments (at least 100)",
            "No community: commenters come once and never return.",
            warn=(0.05, _SHARE),
            min_comments=(100, "comments"),
        ),
        _spec(
            "patience.window_too_short",
            "10",
            "Judging too early",
            "client.yaml evaluation_weeks",
            "Impatience: social media results take months of trial and error, not four weeks.",
            fail=(8, "weeks"),
            warn=(12, "weeks"),
        ),
        _spec(
            "patience.long_run_trend",
            "10",
            "Long-run engagement trend",
            "posts (at least 12 weeks)",
            "Impatience cuts both ways: the long-run trend, not the last month, shows whether "
            "a strategy works.",
            alpha=(0.05, "p-value"),
            min_weeks=(12, "weeks"),
            material_fall=(0.20, "share of the mean over the period"),
        ),
        _spec(
            "patience.premature_abandonment",
            "10",
            "Tried briefly, then dropped",
            "posts",
            "A platform or format dropped after a few weeks was never given a fair test.",
            weeks=(8, "weeks"),
        ),
        _spec(
            "market.peer_position",
            "11",
            "Behind the competition",
            "client.yaml competitors",
            "Starting from the owner's goal instead of the market: no view of what peers do.",
            warn=(0.5, "× competitor median"),
        ),
    ]
}


def threshold_keys() -> dict[str, float]:
    """Every overridable threshold as ``{"<check id>.<name>": default}``."""
    return {
        f"{cid}.{name}": value
        for cid, spec in CATALOGUE.items()
        for name, value in spec.thresholds.items()
    }
