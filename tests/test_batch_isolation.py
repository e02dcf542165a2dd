"""A client's findings do not depend on the other clients of its batch.

Every check runs on a :class:`~socialkit.batch.Batch` of many clients at once; a
per-client answer must be the same alone, next to any other clients and in any
order. The clients here differ in everything a batch table is sized or indexed by:
span (200+ weeks to one post), platforms (one client alone on YouTube, one on
TikTok), the year the data end (2014 to 2026), time zone, threshold overrides,
missing counts, comments with and without brand replies, and the real exports.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from socialkit import Client, diagnose, load_client
from socialkit.batch import Batch
from socialkit.checks import CATALOGUE, run_batch
from socialkit.checks.content import _shuffle_order
from socialkit.metrics.concentration import top_share_statistic
from tests.conftest import SHARED

REAL = SHARED / "data" / "real"
END = pd.Timestamp("2026-06-28 18:00", tz="UTC")
PROMO = "Shop now: 20% off today only, link in bio"
TIP = "How we pot a fern, step by step. What would you grow?"
CHAT = "Meet Ana from our team: her favourite recipe"


def _posts(rng, n, platform, end=END, every_hours=60.0, formats=("image",), nan=0.0):
    """``n`` posts on ``platform`` ``every_hours`` apart (jittered) ending before ``end``,
    with random counts, a share ``nan`` of them missing."""
    hours = every_hours * np.arange(n)[::-1] + rng.uniform(1, every_hours / 2, n)
    frame = pd.DataFrame(
        {
            "platform": platform,
            "post_id": [f"{platform}-{i}" for i in range(n)],
            "published_at": end - pd.to_timedelta(hours, unit="h"),
            "format": [formats[i % len(formats)] for i in range(n)],
            "text": [(PROMO, TIP, CHAT)[i % 3] for i in range(n)],
            "paid": rng.random(n) < 0.1,
        }
    )
    scale = rng.lognormal(3, 1, n)
    for col, part in (
        ("impressions", 40),
        ("reach", 25),
        ("reactions", 1),
        ("comments", 0.1),
        ("shares", 0.05),
        ("saves", 0.05),
        ("clicks", 0.2),
    ):
        v = np.round(scale * part).astype(float)
        v[rng.random(n) < nan] = np.nan
        frame[col] = pd.array(v, dtype="Int64") if nan else v.astype(np.int64)
    return frame


def _followers(platform, start, end, first, gain, jumps=()):
    """Daily follower counts of ``platform`` from ``start`` to ``end``, growing by ``gain``
    a day plus a jump of ``size`` on each ``(day, size)`` of ``jumps``."""
    days = pd.date_range(start.normalize(), end.normalize(), freq="D")
    n = np.full(len(days), float(gain))
    for day, size in jumps:
        n[day] += size
    return pd.DataFrame(
        {
            "platform": platform,
            "date": days.strftime("%Y-%m-%d"),
            "followers": (first + np.cumsum(n)).astype(np.int64),
            "new_followers": n.astype(np.int64) + 3,
        }
    )


def _comments(rng, posts, per_post, brand_replies):
    """``per_post`` comments on each post by random fans (30 % negative), with brand
    replies to every other comment when asked."""
    rows = []
    for _, p in posts.iterrows():
        for k in range(per_post):
            neg = rng.random() < 0.3
            fan = {
                "platform": p["platform"],
                "comment_id": f"{p['post_id']}-c{k}",
                "post_id": p["post_id"],
                "author": f"fan{rng.integers(60)}",
                "is_brand": False,
                "created_at": p["published_at"] + pd.Timedelta(hours=1 + k),
                "text": "This is awful, still waiting" if neg else "Love it!",
                "sentiment": -0.8 if neg else 0.7,
            }
            rows.append(fan)
            if brand_replies and k % 2 == 0:
                late = pd.Timedelta(hours=5 + 40 * (k % 4 == 0))
                rows.append(
                    {
                        **fan,
                        "comment_id": fan["comment_id"] + "-r",
                        "parent_id": fan["comment_id"],
                        "author": "brand",
                        "is_brand": True,
                        "created_at": fan["created_at"] + late,
                        "text": "Thanks, we are on it",
                        "sentiment": None,
                    }
                )
    return pd.DataFrame(rows)


PROFILE = {
    "industry": "retail",
    "objective": "sales",
    "kpis": ["followers", "engagement_rate", "sales"],
    "strategy_start": "2025-11-03",
    "evaluation_weeks": 13,
    "audience": {"age": ["18-24", "25-34"]},
    "foundations": {"tone_of_voice": False, "content_calendar": True, "kpi_review": "weekly"},
    "competitors": [
        {"name": "A", "platform": "instagram", "engagement_rate": 0.02, "posts_per_week": 5},
        {"name": "B", "platform": "facebook", "engagement_rate": 0.004, "posts_per_week": 1},
        {"name": "C", "platform": "youtube", "engagement_rate": 0.01},
    ],
}


def synthetic_clients() -> list[Client]:
    """Synthetic clients that differ in span, platforms, end year, zone and data kept."""
    rng = np.random.default_rng(7)
    out = []

    # more than 3 years of weekly posts, with follower counts and jumps
    posts = pd.concat(
        [
            _posts(rng, 220, "instagram", every_hours=7 * 24, formats=("image", "video")),
            _posts(rng, 150, "facebook", every_hours=10 * 24, formats=("link", "image")),
        ]
    )
    start = posts["published_at"].min() - pd.Timedelta(days=3)
    followers = pd.concat(
        [
            _followers("instagram", start, END, 2000, 4, jumps=[(100, 900), (900, 1500)]),
            _followers("facebook", start, END, 5000, 1, jumps=[(400, 700)]),
        ]
    )
    out.append(
        Client.from_frames(
            {"name": "Long", **PROFILE, "platforms": ["instagram", "facebook"]},
            posts=posts,
            followers=followers,
        )
    )

    # a single post
    out.append(
        Client.from_frames({"name": "Single"}, posts=_posts(rng, 1, "facebook", every_hours=24))
    )

    # no posts, only followers and comments (on posts it did not export)
    orphan = _comments(rng, _posts(rng, 4, "instagram"), 3, brand_replies=False)
    out.append(
        Client.from_frames(
            {"name": "No posts", "platforms": ["instagram"]},
            followers=_followers("instagram", END - pd.Timedelta(days=90), END, 800, 2),
            comments=orphan,
        )
    )

    # the only synthetic client on YouTube, in a time zone west of UTC, with threshold overrides
    yt = _posts(rng, 60, "youtube", every_hours=5 * 24, formats=("video",))
    yt["video_views"] = (yt["impressions"].to_numpy() * 3).astype(np.int64)
    out.append(
        Client.from_frames(
            {
                "name": "Tube",
                **PROFILE,
                "platforms": ["youtube"],
                "timezone": "America/Sao_Paulo",
                "thresholds": {"content.hard_sell.warn": 0.1, "strategy.irregular_cadence.fail": 2},
            },
            posts=yt,
            followers=_followers("youtube", END - pd.Timedelta(days=300), END, 300, 1),
        )
    )

    # the only client on TikTok, in a time zone east of UTC
    tt = _posts(rng, 90, "tiktok", every_hours=30, formats=("video", "carousel"))
    out.append(
        Client.from_frames(
            {"name": "Tok", "objective": "awareness", "timezone": "Asia/Tokyo"},
            posts=tt,
            followers=_followers("tiktok", END - pd.Timedelta(days=120), END, 10_000, 40),
        )
    )

    # data that end in 2014, with comments and brand replies (the only one with replies)
    old_end = pd.Timestamp("2014-12-20 10:00", tz="UTC")
    old = _posts(rng, 120, "facebook", end=old_end, every_hours=36, formats=("image", "text"))
    out.append(
        Client.from_frames(
            {"name": "Old", **PROFILE, "strategy_start": "2014-06-01"},
            posts=old,
            followers=_followers("facebook", old_end - pd.Timedelta(days=200), old_end, 900, 3),
            comments=_comments(rng, old.tail(60), 4, brand_replies=True),
        )
    )

    # counts mostly missing, on two platforms, comments without replies or sentiment (the
    # model scores them)
    nan = pd.concat(
        [
            _posts(rng, 80, "instagram", every_hours=40, nan=0.7, formats=("image", "carousel")),
            _posts(rng, 50, "x", every_hours=50, nan=0.8, formats=("text",)),
        ]
    )
    out.append(
        Client.from_frames(
            {"name": "Gaps", **PROFILE, "platforms": ["instagram", "x", "linkedin"]},
            posts=nan,
            comments=_comments(rng, nan.tail(60), 2, brand_replies=False).assign(sentiment=None),
        )
    )

    # no data at all
    out.append(Client.from_frames({"name": "Empty", **PROFILE}))
    return out


def _real_folder(root, name, files) -> Client:
    folder = root / name
    (folder / "exports").mkdir(parents=True)
    (folder / "client.yaml").write_text(f"name: {name}\n", encoding="utf-8")
    for f in files:
        shutil.copy(f, folder / "exports" / f.name)
    return load_client(folder)


def real_clients(root) -> list[Client]:
    """LOK (Facebook 2017), Suuz (YouTube 2020s plus Vayno's X csv) and UCI (Facebook
    2014) as client folders of copies of the real exports."""
    lok = REAL / "facebook_insights_export_lok_2017"
    return [
        _real_folder(root, "LOK", sorted(lok.glob("*.xls")) + sorted(lok.glob("*.xlsx"))),
        _real_folder(
            root,
            "Suuz",
            [
                REAL / "youtube_studio_export_suuz" / "Table data.csv",
                *sorted((REAL / "twitter_analytics_export_vayno_pt").glob("*.csv")),
            ],
        ),
        _real_folder(root, "UCI", [REAL / "uci_facebook_metrics" / "dataset_Facebook.csv"]),
    ]


def _findings(found) -> dict[str, dict]:
    return {f.check: f.to_dict() for f in found}


def assert_isolated(clients):
    """Each client's findings in the batch (and in the reversed batch) are those of
    :func:`socialkit.diagnose` on it alone."""
    alone = [_findings(diagnose(c, raise_errors=True).findings) for c in clients]
    for order in (clients, clients[::-1]):
        together = run_batch(Batch.from_clients(order), list(CATALOGUE), raise_errors=True)
        for c, found in zip(order, together, strict=True):
            mine, theirs = alone[clients.index(c)], _findings(found)
            diff = {k: (mine[k], theirs[k]) for k in mine if mine[k] != theirs[k]}
            assert not diff, f"{c.name}: {sorted(diff)} differ in a batch: {diff}"


def test_synthetic_clients_get_the_same_findings_in_any_batch():
    assert_isolated(synthetic_clients())


def test_real_and_synthetic_clients_get_the_same_findings_in_any_batch(tmp_path):
    if not REAL.is_dir():
        pytest.skip(f"the real exports are not here ({REAL})")
    assert_isolated(real_clients(tmp_path) + synthetic_clients())


def test_top_share_replicates_of_a_client_do_not_depend_on_the_segments_beside_it():
    # kpi.virality_dependence's bootstrap: the candidates' resamples were sorted in one key,
    # segment × (the largest value of them all + 1) − value, which rounded a client's values
    # to the scale of another client's hit (1e12 interactions: 2e-6 off its shares)
    rng = np.random.default_rng(1)
    mine = rng.lognormal(0, 1, (400, 200))
    mine[:, ::20] *= 50
    viral = rng.lognormal(0, 1, (400, 200))
    viral[:, 3] = 1e12
    stat = top_share_statistic(0.05)
    alone = stat(mine, np.array([0]), np.array([200]))[:, 0]
    beside = stat(np.c_[viral, mine], np.array([0, 200]), np.array([200, 200]))
    np.testing.assert_array_equal(beside[:, 1], alone)
    assert (beside[:, 0] > 0.99).all()


def test_timing_shuffles_a_client_alike_wherever_it_sits_among_the_candidates():
    # content.timing's permutations sorted by client + draw in floats: for the 1,025th
    # candidate 1024.5 + 2**-52 rounds to 1024.5, and two draws the client orders one way
    # alone tied in the batch and kept their file order
    u = np.array([0.5 + 2**-52, 0.5, 0.25])
    alone = _shuffle_order(np.zeros(3, dtype=np.int64), u)
    assert alone.tolist() == [2, 1, 0]
    assert _shuffle_order(np.full(3, 1024), u).tolist() == alone.tolist()
    assert _shuffle_order(np.array([0, 1, 1]), u).tolist() == [0, 2, 1]


def _slot_posts(name, weekday_hits):
    """60 weak posts on Mondays at 08:00 and 10 strong ones on each of ``weekday_hits``."""
    monday = pd.Timestamp("2026-01-05 08:30", tz="UTC")
    times, reactions = [], []
    for day, n, r in [(0, 60, 1), *((d, 10, 10) for d in weekday_hits)]:
        times += [monday + pd.Timedelta(days=day + 7 * w) for w in range(n)]
        reactions += [r + w % 3 for w in range(n)]
    return Client.from_frames(
        {"name": name},
        posts=pd.DataFrame(
            {
                "platform": "instagram",
                "post_id": [f"{name}{i}" for i in range(len(times))],
                "published_at": times,
                "reactions": reactions,
            }
        ),
    )


def test_timing_p_values_are_the_same_in_runs_of_candidates(monkeypatch):
    from socialkit.checks import content

    clients = [_slot_posts(f"T{k}", [1 + k % 3, 4]) for k in range(3)]
    batch = Batch.from_clients(clients)
    whole = run_batch(batch, ["content.timing"], raise_errors=True)
    assert all("permutation p-value" in {e.name for e in f[0].evidence} for f in whole)
    monkeypatch.setattr(content, "_SHUFFLED_CLIENTS", 1)
    runs = run_batch(Batch.from_clients(clients), ["content.timing"], raise_errors=True)
    assert [f[0].to_dict() for f in runs] == [f[0].to_dict() for f in whole]
