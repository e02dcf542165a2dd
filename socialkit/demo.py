"""Seeded synthetic demo clients, each a recognisable story from the catalogue.

``make_demo(out, n_clients=6, seed=7)`` writes one client folder per story
(client.yaml, posts.csv, followers.csv, comments.csv) covering 26 weeks that end
on :data:`END` (a fixed date, so the same seed gives the same bytes on any day).

The stories (``STORIES``), each with the verdicts it plants in ``expect``:

* ``healthy`` — a focused, regular, varied, responsive brand: the control.
* ``everywhere`` — on six platforms, the same copy pasted to all, ~1 post/week each.
* ``hard_sell`` — images only, most posts a sales pitch.
* ``silent`` — never answers comments, including the complaints.
* ``impatient`` — judged after four weeks, posts in bursts, tried TikTok and dropped it.
* ``viral`` — judges success by views; results hang on a few viral hits.

The engagement model is deliberately simple (reach ∝ followers × a platform
reach rate × log-normal noise; interactions ∝ reach) — enough to plant and
recover problems, not a simulation of any platform's algorithm. Counts a real
export would not have are left empty (e.g. reach on X, saves on LinkedIn).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from socialkit.demo_exports import write_native
from socialkit.metrics.questions import is_question
from socialkit.paths import safe_child
from socialkit.schema import columns

__all__ = ["END", "WEEKS", "STORIES", "Story", "make_demo", "generate_client"]

END = dt.date(2026, 10, 31)
WEEKS = 26
_START = pd.Timestamp(END, tz="UTC") + pd.Timedelta(days=1) - pd.Timedelta(weeks=WEEKS)

#: Typical share of followers reached per post, and of reach that reacts.
_PLATFORM = {
    "instagram": dict(reach=0.12, react=0.045, comment=0.004, share=0.002, save=0.003),
    "facebook": dict(reach=0.06, react=0.03, comment=0.003, share=0.003, save=None),
    "x": dict(reach=None, react=0.012, comment=0.002, share=0.003, save=0.001),
    "linkedin": dict(reach=0.08, react=0.025, comment=0.002, share=0.002, save=None),
    "tiktok": dict(reach=0.20, react=0.06, comment=0.003, share=0.004, save=0.004),
    "youtube": dict(reach=0.10, react=0.04, comment=0.003, share=0.001, save=None),
}
_FORMAT_BOOST = {"video": 1.5, "carousel": 1.3, "image": 1.0, "text": 0.7, "link": 0.6}


@dataclass
class Story:
    """One demo client: its profile and how its data is generated."""

    key: str
    name: str
    profile: dict
    rates: dict  # platform -> posts per week
    formats: dict  # platform -> {format: weight}
    followers: dict  # platform -> followers at the start
    text_mix: dict  # promo / brand / audience / tip weights
    expect: dict  # check id -> planted status
    cadence: str = "planned"  # planned | loose | bursty
    cross_post: bool = False
    stop_after_weeks: dict = field(default_factory=dict)  # platform -> weeks used, then dropped
    start_week: dict = field(default_factory=dict)  # platform -> first week used
    viral_posts: int = 0
    reply_rate: float = 0.8
    reply_rate_negative: float = 0.8
    reply_hours: float = 3.0
    negative_share: float = 0.1
    growth_per_week: float = 0.01
    product: str = "product"
    question_lift: float = (
        1.0  # interactions per view of posts that ask a question (a planted driver)
    )
    workshop_slips: bool = False  # data in which every slip of the workshop guide shows


_ALL_OK = {
    "kpi.vanity_only": "ok",
    "strategy.missing_foundations": "ok",
    "patience.window_too_short": "ok",
    "content.low_variety": "ok",
    "strategy.irregular_cadence": "ok",
    "platform.dilution": "ok",
}
_FOUNDATIONS_OK = {
    "tone_of_voice": True,
    "content_calendar": True,
    "response_policy": True,
    "kpi_review": "monthly",
    "trained_staff": True,
    "scheduling_tool": True,
}

STORIES = [
    Story(
        "healthy",
        "Harbour Bakery",
        dict(
            industry="food_beverage",
            objective="engagement",
            kpis=["engagement_rate", "comments", "shares", "follower_growth", "clicks"],
            platforms=["instagram", "facebook"],
            audience={"age": ["25-34", "35-44"], "regions": ["GB"]},
            strategy_start="2026-03-02",
            evaluation_weeks=26,
            foundations=_FOUNDATIONS_OK,
            competitors=[
                {
                    "name": "Crumb & Co",
                    "platform": "instagram",
                    "followers": 15200,
                    "posts_per_week": 4.5,
                    "engagement_rate": 0.0065,
                }
            ],
        ),
        rates={"instagram": 4, "facebook": 3},
        formats={
            "instagram": {"image": 4, "video": 3, "carousel": 3},
            "facebook": {"image": 4, "video": 2, "link": 2, "text": 1},
        },
        followers={"instagram": 9800, "facebook": 6400},
        text_mix={"promo": 1, "brand": 1, "audience": 4, "tip": 3},
        question_lift=1.5,
        expect={
            **_ALL_OK,
            "conversation.low_response_rate": "ok",
            "conversation.ignored_negative": "ok",
            "conversation.slow_response": "ok",
        },
        product="sourdough",
    ),
    Story(
        "everywhere",
        "Nimbus Outdoor",
        dict(
            industry="retail",
            objective="awareness",
            kpis=["followers", "likes", "impressions"],
            platforms=["instagram", "facebook", "x", "linkedin", "tiktok", "youtube"],
            audience={"age": ["25-34", "35-44", "45-54"]},
            strategy_start="2026-01-12",
            evaluation_weeks=12,
            foundations={
                "tone_of_voice": True,
                "content_calendar": False,
                "response_policy": False,
                "kpi_review": "none",
                "trained_staff": False,
                "scheduling_tool": True,
            },
        ),
        rates={p: 1.0 for p in ("instagram", "facebook", "x", "linkedin", "tiktok", "youtube")},
        formats={
            p: {"image": 5, "link": 3, "video": 2}
            for p in ("instagram", "facebook", "x", "linkedin", "tiktok", "youtube")
        },
        followers={
            "instagram": 5200,
            "facebook": 8800,
            "x": 2100,
            "linkedin": 900,
            "tiktok": 600,
            "youtube": 350,
        },
        text_mix={"promo": 3, "brand": 3, "audience": 1, "tip": 2},
        cross_post=True,
        expect={
            **_ALL_OK,
            "kpi.vanity_only": "fail",
            "strategy.missing_foundations": "fail",
            "platform.dilution": "fail",
            "platform.cross_post_copies": "fail",
        },
        reply_rate=0.4,
        reply_rate_negative=0.3,
        reply_hours=20,
        product="rain jacket",
    ),
    Story(
        "hard_sell",
        "Brightline Electronics",
        dict(
            industry="retail",
            objective="sales",
            kpis=["sales", "clicks", "followers"],
            platforms=["instagram", "facebook", "x"],
            audience={"age": ["18-24", "25-34"]},
            strategy_start="2025-11-03",
            evaluation_weeks=13,
            foundations={
                "tone_of_voice": False,
                "content_calendar": True,
                "response_policy": True,
                "kpi_review": "weekly",
                "trained_staff": False,
                "scheduling_tool": True,
            },
        ),
        rates={"instagram": 4, "facebook": 4, "x": 3},
        formats={p: {"image": 60, "link": 1} for p in ("instagram", "facebook", "x")},
        followers={"instagram": 24000, "facebook": 31000, "x": 12000},
        text_mix={"promo": 8, "brand": 1, "audience": 0.5, "tip": 0.5},
        expect={
            **_ALL_OK,
            "strategy.missing_foundations": "warn",
            "content.low_variety": "fail",
            "content.hard_sell": "fail",
        },
        reply_rate=0.6,
        reply_rate_negative=0.5,
        reply_hours=8,
        product="headphones",
        workshop_slips=True,
    ),
    Story(
        "silent",
        "Meridian Insurance",
        dict(
            industry="finance",
            objective="support",
            kpis=["reach", "engagement_rate", "comments"],
            platforms=["facebook", "linkedin", "x"],
            audience={"age": ["35-44", "45-54", "55-64"]},
            strategy_start="2025-09-01",
            evaluation_weeks=26,
            foundations={
                "tone_of_voice": True,
                "content_calendar": True,
                "response_policy": False,
                "kpi_review": "monthly",
                "trained_staff": False,
                "scheduling_tool": True,
            },
        ),
        rates={"facebook": 3, "linkedin": 2, "x": 0.6},
        formats={
            "facebook": {"image": 3, "link": 3, "video": 1, "text": 1},
            "linkedin": {"text": 2, "link": 3, "image": 2},
            "x": {"text": 3, "link": 2, "image": 1},
        },
        followers={"facebook": 42000, "linkedin": 8000, "x": 5000},
        text_mix={"promo": 2, "brand": 3, "audience": 1, "tip": 3},
        expect={
            **_ALL_OK,
            "strategy.missing_foundations": "warn",
            "platform.dilution": "warn",
            "conversation.low_response_rate": "fail",
            "conversation.ignored_negative": "fail",
        },
        reply_rate=0.04,
        reply_rate_negative=0.0,
        reply_hours=96,
        negative_share=0.35,
        product="home insurance",
    ),
    Story(
        "impatient",
        "Fern & Fig Studio",
        dict(
            industry="retail",
            objective="sales",
            kpis=["followers", "engagement_rate", "clicks"],
            platforms=["instagram", "tiktok"],
            audience={"age": ["18-24", "25-34"]},
            strategy_start="2026-09-28",
            evaluation_weeks=4,
            foundations={
                "tone_of_voice": True,
                "content_calendar": False,
                "response_policy": True,
                "kpi_review": "weekly",
                "trained_staff": True,
                "scheduling_tool": False,
            },
        ),
        rates={"instagram": 3.5, "tiktok": 3},
        formats={"instagram": {"image": 3, "carousel": 2, "video": 2}, "tiktok": {"video": 1}},
        followers={"instagram": 3100, "tiktok": 400},
        text_mix={"promo": 2, "brand": 2, "audience": 2, "tip": 2},
        cadence="bursty",
        start_week={"tiktok": 9},
        stop_after_weeks={"tiktok": 5},
        expect={
            **_ALL_OK,
            "patience.window_too_short": "fail",
            "strategy.irregular_cadence": "fail",
            "patience.premature_abandonment": "warn",
        },
        product="ceramic planter",
    ),
    Story(
        "viral",
        "Pixel Pop Games",
        dict(
            industry="media_entertainment",
            objective="awareness",
            kpis=["views", "followers", "impressions"],
            platforms=["tiktok", "instagram", "youtube"],
            audience={"age": ["13-17", "18-24"]},
            strategy_start="2026-02-02",
            evaluation_weeks=8,
            foundations={
                "tone_of_voice": True,
                "content_calendar": True,
                "response_policy": False,
                "kpi_review": "monthly",
                "trained_staff": True,
                "scheduling_tool": True,
            },
        ),
        rates={"tiktok": 5, "instagram": 3, "youtube": 0.35},
        formats={
            "tiktok": {"video": 1},
            "instagram": {"video": 6, "image": 3},
            "youtube": {"video": 1},
        },
        followers={"tiktok": 18000, "instagram": 7000, "youtube": 2500},
        text_mix={"promo": 2, "brand": 2, "audience": 2, "tip": 1},
        viral_posts=3,
        cadence="loose",
        expect={
            **_ALL_OK,
            "kpi.vanity_only": "fail",
            "patience.window_too_short": "warn",
            "content.low_variety": "warn",
            "platform.dilution": "warn",
            "kpi.virality_dependence": "warn",
        },
        reply_rate=0.5,
        reply_rate_negative=0.4,
        reply_hours=12,
        growth_per_week=0.02,
        product="puzzle game",
    ),
]

_TEXTS = {
    "promo": [
        "Shop our new {p} today: 20% off this weekend only! Link in bio.",
        "SALE: every {p} now reduced. Buy now while stocks last.",
        "Order your {p} today and get free delivery. Limited offer, don't miss out!",
        "New {p} just dropped. Get yours now at our store, use code SAVE15.",
        "Last chance: {p} deals end tonight. Shop now.",
    ],
    "brand": [
        "We are proud to announce our team has won an award for our {p}.",
        "Our founders started with one {p} and a dream. This is our story.",
        "We just opened our new office. Our team can't wait to welcome you.",
        "Behind the scenes: how we make our {p}, by our own team.",
        "We are thrilled to share our latest milestone with our partners.",
    ],
    "audience": [
        "What's your favourite way to use a {p}? Tell us in the comments.",
        "Which one would you pick: A or B? Vote below.",
        "Tag a friend who needs a new {p} in their life.",
        "You asked, we listened: your top questions about {p}, answered.",
        "Show us your {p} setup and you could be featured next week.",
    ],
    "tip": [
        "3 simple tips to get more out of your {p}.",
        "How to choose the right {p} for you: a quick guide.",
        "Did you know? A small change makes your {p} last twice as long.",
        "Your weekend checklist: everything you need for your {p}.",
        "Myth or fact: the truth about caring for your {p}.",
    ],
}
_COMMENTS = {
    "positive": [
        "Love this!",
        "This is brilliant, thank you",
        "Great {p}, very happy with it",
        "Amazing work as always",
        "So good, can't wait to try it",
    ],
    "neutral": [
        "Do you ship to Ireland?",
        "What sizes does the {p} come in?",
        "When is the next one?",
        "Is this in store too?",
        "Interesting",
    ],
    "negative": [
        "Still waiting for my refund, terrible service",
        "My {p} broke after a week. Very disappointed.",
        "Nobody answers the phone, awful",
        "Worst experience ever, avoid",
        "Your app keeps crashing and nobody helps",
    ],
}
_SENTIMENT = {"positive": (0.4, 0.95), "neutral": (-0.2, 0.2), "negative": (-0.95, -0.35)}


def _weekly_counts(story: Story, platform: str, rng) -> np.ndarray:
    rate = story.rates[platform]
    if story.cadence == "bursty":
        counts = np.zeros(WEEKS, dtype=int)
        for w in (0, 1, 8, 9, 16, 17, 23, 24):
            counts[w] = rng.poisson(rate * 3.2)
        counts[rng.choice(WEEKS, 3, replace=False)] += 1
    elif story.cadence == "loose":
        counts = rng.poisson(rate, WEEKS)
    else:
        base = int(np.floor(rate))
        counts = base + (rng.random(WEEKS) < rate - base).astype(int)
        skip = rng.random(WEEKS) < 0.12
        skip[1:] &= ~skip[:-1]  # a planned calendar never skips two weeks running
        counts = np.clip(counts - skip.astype(int), 0, None)
    first = story.start_week.get(platform, 0)
    counts[:first] = 0
    if platform in story.stop_after_weeks:
        counts[first + story.stop_after_weeks[platform] :] = 0
    return counts


def _post_times(counts, rng) -> list[pd.Timestamp]:
    out = []
    for week, n in enumerate(counts):
        days = (
            np.sort(rng.choice(7, size=min(n, 7), replace=False))
            if n <= 7
            else np.sort(rng.integers(0, 7, n))
        )
        for d in days:
            minute = int(rng.choice([8, 9, 12, 13, 17, 18, 19, 20]) * 60 + rng.integers(0, 60))
            out.append(_START + pd.Timedelta(weeks=week, days=int(d), minutes=minute))
    return out


def _text(story: Story, rng) -> str:
    kinds = list(story.text_mix)
    w = np.array([story.text_mix[k] for k in kinds], dtype=float)
    kind = kinds[rng.choice(len(kinds), p=w / w.sum())]
    templates = _TEXTS[kind]
    return templates[rng.integers(len(templates))].format(p=story.product)


def _posts(story: Story, rng) -> pd.DataFrame:
    rows = []
    platforms = list(story.rates)
    if story.cross_post:  # one schedule, the same text on every platform within minutes
        lead = platforms[0]
        times = _post_times(_weekly_counts(story, lead, rng), rng)
        for t in times:
            text = _text(story, rng)
            fmt = _pick(story.formats[lead], rng)
            for k, p in enumerate(platforms):
                rows.append(
                    (p, t + pd.Timedelta(minutes=3 * k + int(rng.integers(0, 3))), fmt, text)
                )
    else:
        for p in platforms:
            for t in _post_times(_weekly_counts(story, p, rng), rng):
                rows.append((p, t, _pick(story.formats[p], rng), _text(story, rng)))
    posts = pd.DataFrame(rows, columns=["platform", "published_at", "format", "text"])
    posts = posts.sort_values(["published_at", "platform"], kind="stable").reset_index(drop=True)
    return _engagement(story, posts, rng)


def _pick(weights: dict, rng) -> str:
    keys = list(weights)
    w = np.array([weights[k] for k in keys], dtype=float)
    return keys[rng.choice(len(keys), p=w / w.sum())]


def _followers_at(story: Story, platform: str, weeks: np.ndarray) -> np.ndarray:
    return story.followers[platform] * (1 + story.growth_per_week) ** weeks


def _engagement(story: Story, posts: pd.DataFrame, rng) -> pd.DataFrame:
    n = len(posts)
    weeks = ((posts["published_at"] - _START).dt.total_seconds() / (7 * 86400)).to_numpy()
    followers = np.array(
        [_followers_at(story, p, w) for p, w in zip(posts["platform"], weeks, strict=True)]
    )
    boost = posts["format"].map(_FORMAT_BOOST).to_numpy(dtype=float)
    lift = np.where(is_question(posts["text"]), story.question_lift, 1.0)
    noise = rng.lognormal(0, 0.45, n)
    if story.viral_posts:
        idx = rng.choice(n, story.viral_posts, replace=False)
        noise[idx] *= rng.uniform(80, 120, story.viral_posts)
    cols = {
        k: []
        for k in (
            "impressions",
            "reach",
            "reactions",
            "comments",
            "shares",
            "saves",
            "clicks",
            "video_views",
        )
    }
    for i, p in enumerate(posts["platform"]):
        m = _PLATFORM[p]
        seen = followers[i] * (m["reach"] or 0.09) * boost[i] * noise[i]
        reach = int(seen)
        cols["reach"].append(reach if m["reach"] else None)
        cols["impressions"].append(int(seen * rng.uniform(1.15, 1.6)))
        cols["reactions"].append(int(rng.poisson(seen * m["react"] * lift[i])))
        cols["comments"].append(int(rng.poisson(seen * m["comment"] * lift[i])))
        cols["shares"].append(int(rng.poisson(seen * m["share"] * lift[i])))
        cols["saves"].append(int(rng.poisson(seen * m["save"])) if m["save"] else None)
        fmt = posts["format"].iat[i]
        cols["clicks"].append(int(rng.poisson(seen * (0.02 if fmt == "link" else 0.004))))
        cols["video_views"].append(int(seen * rng.uniform(0.5, 0.9)) if fmt == "video" else None)
    out = posts.assign(**{k: pd.array(v, dtype="Int64") for k, v in cols.items()})
    out.insert(1, "post_id", [f"{p[:2]}{i:05d}" for i, p in enumerate(out["platform"])])
    out["paid"] = rng.random(n) < 0.05
    out["url"] = [
        f"https://example.com/{p}/{pid}"
        for p, pid in zip(out["platform"], out["post_id"], strict=True)
    ]
    out["followers"] = pd.array(np.round(followers).astype(int), dtype="Int64")
    return out


def _followers(story: Story, posts: pd.DataFrame, rng) -> pd.DataFrame:
    rows = []
    days = pd.date_range(_START.tz_localize(None), periods=WEEKS * 7, freq="D")
    for p in story.rates:
        level = float(story.followers[p])
        for day in days:
            week = (day - days[0]).days / 7
            target = _followers_at(story, p, np.array(week + 1 / 7))
            gained = max(int(rng.poisson(max(target - level, 0) + level * 0.0008)), 0)
            lost = int(rng.poisson(level * 0.0008))
            level = level + gained - lost
            rows.append((p, day.date().isoformat(), int(level), gained, lost))
    return pd.DataFrame(rows, columns=columns("followers"))


def _comments(story: Story, posts: pd.DataFrame, rng) -> pd.DataFrame:
    pool = [f"fan{rng.integers(16**8):08x}" for _ in range(400)]
    weights = 1 / np.arange(1, len(pool) + 1) ** 1.1
    weights /= weights.sum()
    rows = []
    for post in posts.itertuples():
        n = min(int(post.comments), 25)
        for j in range(n):
            kind = (
                "negative"
                if rng.random() < story.negative_share
                else rng.choice(["positive", "neutral"], p=[0.6, 0.4])
            )
            text = _COMMENTS[kind][rng.integers(5)].format(p=story.product)
            created = post.published_at + pd.Timedelta(minutes=int(rng.exponential(600)) + 1)
            cid = f"{post.post_id}c{j:02d}"
            lo, hi = _SENTIMENT[kind]
            rows.append(
                (
                    post.platform,
                    cid,
                    post.post_id,
                    "",
                    pool[rng.choice(len(pool), p=weights)],
                    False,
                    created,
                    text,
                    round(rng.uniform(lo, hi), 3),
                )
            )
            rate = story.reply_rate_negative if kind == "negative" else story.reply_rate
            if rng.random() < rate:
                delay = pd.Timedelta(
                    minutes=int(rng.lognormal(np.log(story.reply_hours * 60), 0.8))
                )
                rows.append(
                    (
                        post.platform,
                        cid + "r",
                        post.post_id,
                        cid,
                        "brand",
                        True,
                        created + delay,
                        "Thanks for getting in touch! We've sent you a DM.",
                        0.5,
                    )
                )
    frame = pd.DataFrame(
        rows,
        columns=columns("comments"),
    )
    exported = pd.Timestamp(END, tz="UTC") + pd.Timedelta(days=1)  # nothing after the export
    frame = frame[frame["created_at"] < exported]
    return frame.sort_values(["created_at", "comment_id"], kind="stable")


def _slip_posts(posts: pd.DataFrame, rng) -> pd.DataFrame:
    """Posts as real exports have them: a few without text (a photo alone) and a few
    whose format the export left empty — so a share over every post is a visible slip."""
    out = posts.copy()
    images = np.flatnonzero((out["format"] == "image").to_numpy())
    picked = rng.choice(images, 14, replace=False)
    out.loc[out.index[picked[:8]], "text"] = None
    out.loc[out.index[picked[8:]], "format"] = None
    return out


def _slip_comments(comments: pd.DataFrame, posts: pd.DataFrame, rng, product: str) -> pd.DataFrame:
    """The brand apologises to complainers (its own replies read negative), and a launch post
    in the last days of the data draws comments answered within minutes and complaints not
    answered yet — comments too new to judge, which change the naive counts and median."""
    out = comments.copy()
    sentiment = out.set_index("comment_id")["sentiment"]
    to_negative = out["is_brand"] & (out["parent_id"].map(sentiment) <= -0.3).fillna(False)
    out.loc[to_negative, "text"] = "We're so sorry, that's not good enough. We've sent you a DM."
    exported = pd.Timestamp(END, tz="UTC") + pd.Timedelta(days=1)
    start = exported - pd.Timedelta(hours=60)
    post = posts[posts["published_at"] < start].iloc[-1]
    rows = []
    for j in range(150):
        created = start + pd.Timedelta(minutes=int(rng.integers(0, 48 * 60)))
        kind = "negative" if j < 6 else ("positive", "neutral")[j % 2]
        text = _COMMENTS[kind][j % 5].format(p=product)
        cid = f"{post.post_id}L{j:02d}"
        author = f"fan{rng.integers(16**8):08x}"
        mood = {"negative": -0.6, "positive": 0.6, "neutral": 0.0}[kind]
        rows.append((post.platform, cid, post.post_id, "", author, False, created, text, mood))
        if kind != "negative":  # the launch team answers within minutes
            reply = created + pd.Timedelta(minutes=int(rng.integers(3, 20)))
            thanks = "Thanks for getting in touch! We've sent you a DM."
            rows.append(
                (post.platform, cid + "r", post.post_id, cid, "brand", True, reply, thanks, 0.5)
            )
    new = pd.DataFrame(rows, columns=out.columns)
    out = pd.concat([out, new], ignore_index=True)
    return out.sort_values(["created_at", "comment_id"], kind="stable")


def generate_client(story: Story, seed: int) -> dict:
    """Generate one story's tables. Returns ``{'profile', 'posts', 'followers', 'comments'}``."""
    rng = np.random.default_rng([seed, sum(map(ord, story.key))])
    posts = _posts(story, rng)
    followers = _followers(story, posts, rng)
    comments = _comments(story, posts, rng)
    if story.workshop_slips:  # its own stream: the story's other data stays as it was
        slips = np.random.default_rng([seed, sum(map(ord, story.key)), 1])
        comments = _slip_comments(comments, posts, slips, story.product)
        posts = _slip_posts(posts, slips)
    return {
        "profile": {"name": story.name, **story.profile},
        "posts": posts,
        "followers": followers,
        "comments": comments,
    }


def _iso(ts: pd.Series) -> pd.Series:
    return ts.dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n")


def make_demo(out, n_clients: int = 6, seed: int = 7) -> list[Path]:
    """Write ``n_clients`` demo client folders under ``out``.

    Parameters
    ----------
    out : str or Path
        Output folder (created).
    n_clients : int, default 6
        Number of clients; beyond the six stories they repeat with new data and
        a numbered name.
    seed : int, default 7
        Same seed, same bytes.

    Returns
    -------
    list of Path
        The client folders, in story order.
    """
    if not isinstance(n_clients, int) or n_clients < 1:
        raise ValueError(f"n_clients must be a positive integer; got {n_clients!r}.")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    folders = []
    for i in range(n_clients):
        base = STORIES[i % len(STORIES)]
        round_ = i // len(STORIES)
        story = (
            base
            if round_ == 0
            else Story(
                **{
                    **base.__dict__,
                    "name": f"{base.name} {round_ + 1}",
                    "key": f"{base.key}{round_ + 1}",
                }
            )
        )
        data = generate_client(story, seed)
        folder = safe_child(out, story.name)
        folder.mkdir(exist_ok=True)
        posts = write_native(data["posts"], folder / "exports")
        posts = posts.assign(published_at=lambda d: _iso(d["published_at"]))
        # platform exports carry no sentiment: the kit scores the comments with its model
        comments = (
            data["comments"]
            .drop(columns="sentiment")
            .assign(created_at=lambda d: _iso(d["created_at"]))
        )
        if len(posts):
            _write_csv(posts, folder / "posts.csv")
        _write_csv(data["followers"], folder / "followers.csv")
        _write_csv(comments, folder / "comments.csv")
        profile = {**data["profile"]}
        header = (
            f"# Demo client '{story.key}' generated by socialkit.demo (seed {seed}).\n"
            f"# Planted verdicts: {', '.join(f'{k}={v}' for k, v in story.expect.items() if v != 'ok') or 'none (healthy control)'}\n"
        )
        (folder / "client.yaml").write_text(
            header + yaml.safe_dump(profile, sort_keys=False, allow_unicode=True), "utf-8"
        )
        folders.append(folder)
    return folders
