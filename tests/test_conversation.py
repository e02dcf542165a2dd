"""Conversation: threads, response times, sentiment, pseudonyms, the five checks, twcs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialkit import Client, diagnose, load_client
from socialkit.checks import run_checks
from socialkit.loaders import load_export
from socialkit.metrics.conversation import (
    business_hours_between,
    conversation_summary,
    reply_threads,
)
from socialkit.metrics.questions import invites_response, is_question
from socialkit.metrics.sentiment import NEGATIVE, classify, vader_compound
from socialkit.metrics.sentiment._model import load as load_sentiment_model
from socialkit.metrics.stats import wilson_ci
from socialkit.privacy import SALT_FILE, pseudonym
from socialkit.schema import columns

FIXTURES = Path(__file__).parent / "fixtures"
END = pd.Timestamp("2026-06-28 12:00", tz="UTC")
CONVERSATION = [
    "conversation.low_response_rate",
    "conversation.ignored_negative",
    "conversation.slow_response",
    "conversation.broadcast_only",
    "advocacy.no_community",
]


def frame(rows):
    cols = ["platform", "comment_id", "post_id", "parent_id", "author", "is_brand", "created_at"]
    out = pd.DataFrame(rows, columns=cols)
    out["created_at"] = pd.to_datetime(out["created_at"], utc=True)
    return out


# --- thread reconstruction ----------------------------------------------------------------


def test_replies_to_replies_share_the_root_and_the_brand_answers_later_in_the_thread():
    c = frame(
        [
            ("instagram", "a", "p", None, "u1", False, "2026-01-01 10:00"),
            ("instagram", "b", "p", "a", "u2", False, "2026-01-01 11:00"),  # reply to a reply
            ("instagram", "c", "p", "b", "brand", True, "2026-01-01 13:00"),
            ("instagram", "d", "p", None, "u3", False, "2026-01-01 09:00"),  # other thread
        ]
    )
    th = reply_threads(c)
    assert th["root"].tolist() == [0, 0, 0, 3]
    # a and b are answered by c (b directly, a later in its thread); d is not
    assert th["answered"].tolist() == [True, True, False, False]
    assert th["response_hours"].tolist()[:2] == [3.0, 2.0]
    assert np.isnan(th["response_hours"][3])


def test_orphan_replies_and_a_parent_loop_are_cut_not_followed():
    c = frame(
        [
            ("x", "r", "p", "missing", "u1", False, "2026-01-01 10:00"),
            ("x", "l1", "p", "l2", "u2", False, "2026-01-01 10:00"),
            ("x", "l2", "p", "l1", "u3", False, "2026-01-01 10:00"),
        ]
    )
    th = reply_threads(c)
    assert th["orphan"].tolist() == [True, False, False]
    assert th["root"].tolist() == [0, 1, 2]  # each comment of the loop is its own root


def test_reply_stamped_before_its_comment_counts_as_replied_without_a_time():
    c = frame(
        [
            ("x", "a", "p", None, "u1", False, "2026-01-01 10:00"),
            ("x", "b", "p", "a", "brand", True, "2026-01-01 09:00"),
        ]
    )
    th = reply_threads(c)
    assert bool(th["answered"][0]) and bool(th["early_reply"][0])
    assert np.isnan(th["response_hours"][0])
    s = conversation_summary(c, end=[pd.Timestamp("2026-02-01", tz="UTC")])
    assert s.loc[0, ["answered", "early_replies", "timed"]].tolist() == [1, 1, 0]


def test_same_comment_id_on_two_platforms_are_two_comments():
    c = frame(
        [
            ("x", "1", "p", None, "u1", False, "2026-01-01 10:00"),
            ("facebook", "1", "p", None, "u1", False, "2026-01-01 10:00"),
            ("facebook", "2", "p", "1", "brand", True, "2026-01-01 10:30"),
        ]
    )
    th = reply_threads(c)
    assert th["answered"].tolist() == [False, True, False]


def _threads_by_the_rules(c: pd.DataFrame) -> pd.DataFrame:
    """The module docstring's rules, one comment at a time in plain Python."""
    n = len(c)
    scope = list(zip(c["client"], c["platform"], strict=True))
    first = {}
    for i in range(n):
        first.setdefault((scope[i], c["comment_id"][i]), i)
    pid = c["parent_id"].fillna("").tolist()
    parent = [first.get((scope[i], pid[i]), -1) if pid[i] else -1 for i in range(n)]
    parent = [-1 if p == i else p for i, p in enumerate(parent)]

    def root(i):
        seen = {i}
        while parent[i] >= 0:
            i = parent[i]
            if i in seen:
                return i  # the first comment of a loop reached (itself, if on the loop)
            seen.add(i)
        return i

    rt = [root(i) for i in range(n)]
    t = [None if pd.isna(x) else x for x in c["created_at"]]
    brand = c["is_brand"].tolist()
    rows = []
    for i in range(n):
        kids = [b for b in range(n) if brand[b] and parent[b] == i and t[b] is not None]
        later = [
            b
            for b in range(n)
            if brand[b] and t[b] is not None and (b in kids or rt[b] == rt[i])
            if t[i] is not None and t[b] >= t[i]
        ]
        ok = not brand[i] and t[i] is not None
        after = min((t[b] for b in later), default=None) if ok else None
        direct = min((t[b] for b in kids), default=None)
        early = ok and after is None and direct is not None and direct < t[i]
        rows.append(
            {
                "parent": parent[i],
                "root": rt[i],
                "orphan": bool(pid[i]) and parent[i] < 0,
                "audience": not brand[i],
                "answered": after is not None or early,
                "first_reply_at": after if after is not None else (direct if early else pd.NaT),
                "response_hours": (after - t[i]) / pd.Timedelta(hours=1) if after else np.nan,
                "early_reply": early,
            }
        )
    out = pd.DataFrame(rows)
    out["first_reply_at"] = pd.to_datetime(out["first_reply_at"], utc=True).dt.as_unit("ns")
    return out


@pytest.mark.parametrize("seed", range(12))
def test_thread_reconstruction_agrees_with_the_rules_one_comment_at_a_time(seed, monkeypatch):
    """Random batches: ids repeated across clients and platforms, replies to replies,
    loops, missing parents, missing and equal times, clients not in order; looked up
    in blocks of a few rows so that blocks hold several clients."""
    import socialkit.metrics.conversation as conv

    monkeypatch.setattr(conv, "_BLOCK", 5)
    rng = np.random.default_rng(seed)
    n = 150
    clients = rng.integers(0, 4, n)
    c = pd.DataFrame(
        {
            "client": np.sort(clients) if seed % 2 else clients,
            "platform": rng.choice(["x", "facebook"], n),
            "comment_id": rng.integers(0, 30, n).astype(str),
            "parent_id": np.where(rng.random(n) < 0.4, None, rng.integers(0, 35, n).astype(str)),
            "is_brand": rng.random(n) < 0.4,
            "created_at": pd.Series(
                pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 40, n), "h")
            ).where(rng.random(n) > 0.05),
        }
    )
    got = reply_threads(c)
    pd.testing.assert_frame_equal(got, _threads_by_the_rules(c), check_dtype=False)
    assert got["answered"].any() and got["orphan"].any()


def test_duplicate_comment_ids_are_loaded_once_and_reported():
    rows = [
        ("x", "1", "p", "", "u1", False, "2026-01-01T10:00:00Z"),
        ("x", "1", "p", "", "u1", False, "2026-01-01T10:00:00Z"),
    ]
    cols = ["platform", "comment_id", "post_id", "parent_id", "author", "is_brand", "created_at"]
    client = Client.from_frames({"name": "T"}, comments=pd.DataFrame(rows, columns=cols))
    assert len(client.comments) == 1
    assert client.quarantine["rule"].tolist() == ["duplicate"]


def test_response_time_across_time_zones_and_a_dst_change():
    # 00:30 UTC on the night Europe moves to summer time; the reply is stamped in Berlin
    # time after the change (+02:00): one hour later, not two or three.
    cols = ["platform", "comment_id", "post_id", "parent_id", "author", "is_brand", "created_at"]
    rows = [
        ("x", "a", "p", "", "u1", "false", "2026-03-29T00:30:00+00:00"),
        ("x", "b", "p", "a", "brand", "true", "2026-03-29T03:30:00+02:00"),
        ("x", "c", "p", "", "u2", "false", "2026-03-28T23:00:00-05:00"),
        ("x", "d", "p", "c", "brand", "true", "2026-03-29T06:00:00+01:00"),
    ]
    client = Client.from_frames({"name": "T"}, comments=pd.DataFrame(rows, columns=cols))
    th = reply_threads(client.comments)
    assert th.loc[~client.comments["is_brand"].to_numpy(), "response_hours"].tolist() == [1.0, 1.0]


def test_business_hours_skip_nights_weekends_and_follow_the_local_clock():
    f = pd.to_datetime
    # Friday 16:00 to Monday 10:30 UTC: 1 h on Friday + 1.5 h on Monday
    assert business_hours_between(f(["2026-03-06 16:00Z"]), f(["2026-03-09 10:30Z"])).tolist() == [
        2.5
    ]
    # London moves to summer time on Sunday 29 March 2026: Friday 16:00 GMT (16:00 local)
    # to Monday 09:00 UTC (10:00 local) is 1 + 1 business hours on the local clock.
    h = business_hours_between(
        f(["2026-03-27 16:00Z"]), f(["2026-03-30 09:00Z"]), tz="Europe/London"
    )
    assert h.tolist() == [2.0]
    # a reply before the comment is negative, a missing time is NaN
    h = business_hours_between(
        f(["2026-03-10 12:00Z", None]), f(["2026-03-10 10:00Z", "2026-03-10 10:00Z"])
    )
    assert h[0] == -2.0 and np.isnan(h[1])
    with pytest.raises(ValueError, match="open_hour and close_hour"):
        business_hours_between(f(["2026-03-10"]), f(["2026-03-11"]), open_hour=18, close_hour=9)


# --- text: sentiment, questions, invitations ------------------------------------------------


def test_vader_thresholding_and_caching_of_repeated_texts():
    texts = ["Terrible service, I am furious", "ok", "Love this, thank you!", "", None]
    s = vader_compound(texts * 3, jobs=1)
    assert s[0] <= NEGATIVE < s[1] and s[2] > 0.5
    assert np.isnan(s[3]) and np.isnan(s[4])
    assert np.array_equal(s[:5], s[5:10], equal_nan=True)
    # the catalogue's cut-off is inclusive: exactly -0.3 is negative, -0.29 is not
    c = frame(
        [
            ("x", "a", "p", None, "u1", False, "2026-01-01 10:00"),
            ("x", "b", "p", None, "u2", False, "2026-01-01 10:00"),
        ]
    ).assign(sentiment=[-0.3, -0.29], text=["", ""])
    s = conversation_summary(c, end=[pd.Timestamp("2026-02-01", tz="UTC")])
    assert s.loc[0, ["negative", "rest"]].tolist() == [1, 1]


def test_questions_and_invitations_in_three_languages():
    q = ["Where is my order?", "how do I return this", "Onde fica a loja", "¿Tienen envíos", "Yay"]
    assert is_question(q).tolist() == [True, True, True, True, False]
    posts = ["Which one is your favourite?", "Conta pra gente nos comentários", "New in store"]
    assert invites_response(posts).tolist() == [True, True, False]


# --- pseudonymisation -----------------------------------------------------------------------


def _folder(tmp_path, name="client"):
    d = tmp_path / name
    (d / "exports").mkdir(parents=True)
    (d / "client.yaml").write_text("name: Acme\n")
    shutil.copy(FIXTURES / "twcs_sample.csv", d / "exports" / "twcs.csv")
    return d


def test_pseudonyms_are_stable_within_a_project_and_differ_across_salts(tmp_path):
    d = _folder(tmp_path)
    first = load_client(d).comments
    second = load_client(d).comments
    assert (d / SALT_FILE).is_file()
    assert first["author"].tolist() == second["author"].tolist()
    other = load_client(_folder(tmp_path, "other")).comments
    audience = ~first["is_brand"].to_numpy()
    assert not set(first["author"][audience]) & set(other["author"][audience])
    # the brand keeps its handle; customers' handles are gone
    assert set(first["author"][~audience]) == {"AcmeCare"}
    assert not {"c_anna", "c_ben"} & set(first["author"])
    salt = bytes.fromhex((d / SALT_FILE).read_text().strip())
    assert pseudonym(salt, "x", "c_anna") in set(first["author"])


def test_no_raw_handle_or_salt_in_the_diagnosis_json(tmp_path):
    d = _folder(tmp_path)
    client = load_client(d)
    text = diagnose(client).to_json()
    salt = (d / SALT_FILE).read_text().strip()
    assert "c_anna" not in text and "c_dan" not in text and salt not in text
    json.loads(text)


# --- checks around their thresholds ---------------------------------------------------------


def conversation_client(
    n=200,
    answered=100,
    *,
    delay_hours=2.0,
    questions=0,
    negative=0,
    answered_negative=0,
    authors=None,
    posts=None,
    post_texts=None,
):
    """A client whose audience comments get a brand reply exactly as specified.

    ``n`` ordinary comments (``answered`` of them answered), ``negative`` negative
    ones (``answered_negative`` answered); the first ``questions`` ordinary comments
    are questions. ``delay_hours`` may be a list (one delay per answered comment).
    """
    rows = []
    delays = np.broadcast_to(np.asarray(delay_hours, dtype=float), (answered + answered_negative,))
    posts = posts or max(1, (n + negative) // 10)
    authors = authors or [f"fan{i}" for i in range(n + negative)]
    start = END - pd.Timedelta(days=60)
    j = 0
    for i in range(n + negative):
        neg = i >= n
        t = start + pd.Timedelta(minutes=37 * i)
        cid = f"c{i}"
        text = (
            "Why is this so bad?" if neg else ("Where can I buy it?" if i < questions else "Nice")
        )
        rows.append(
            (
                "instagram",
                cid,
                f"p{i % posts}",
                "",
                authors[i],
                False,
                t,
                text,
                -0.8 if neg else 0.4,
            )
        )
        if (not neg and i < answered) or (neg and i - n < answered_negative):
            rows.append(
                (
                    "instagram",
                    cid + "r",
                    f"p{i % posts}",
                    cid,
                    "brand",
                    True,
                    t + pd.Timedelta(hours=float(delays[j])),
                    "Thanks!",
                    0.5,
                )
            )
            j += 1
    # the brand's own top-level comment on the last day: the comments run to END, so the
    # 72-hour rule (counted from the last comment) leaves every crafted comment judged
    rows.append(("instagram", "c_end", "p0", "", "brand", True, END, "See you soon", 0.5))
    comments = pd.DataFrame(rows, columns=columns("comments"))
    comments["created_at"] = comments["created_at"].map(lambda x: x.isoformat())
    texts = post_texts or ["New in store"] * posts
    post_frame = pd.DataFrame(
        {
            "platform": "instagram",
            "post_id": [f"p{k}" for k in range(posts)],
            "published_at": [(start - pd.Timedelta(hours=k)).isoformat() for k in range(posts)],
            "text": [texts[k % len(texts)] for k in range(posts)],
        }
    )
    marker = pd.DataFrame({"platform": ["instagram"], "date": ["2026-06-28"], "followers": [10]})
    return Client.from_frames({"name": "T"}, posts=post_frame, followers=marker, comments=comments)


def status(client, check, **t):
    prof = client.profile
    if t:
        prof.thresholds.update({f"{check}.{k}": v for k, v in t.items()})
    (f,) = run_checks(client, [check], raise_errors=True)
    return f


@pytest.mark.parametrize(
    ("answered", "expected"),
    [(60, "fail"), (70, "warn"), (170, "warn"), (190, "not_assessable"), (300, "ok")],
)
def test_low_response_rate_judges_the_wilson_interval(answered, expected):
    lo, hi = wilson_ci(answered, 400)
    # the cases sit on both sides of the thresholds: the point estimate and the interval
    assert {60: hi < 0.2, 70: lo < 0.2 < hi, 170: hi < 0.5, 190: lo < 0.5 < hi}.get(answered, True)
    f = status(conversation_client(400, answered), "conversation.low_response_rate")
    assert f.status == expected
    if answered == 190:  # below 0.5 as a point, not as an interval: inconclusive, not ok
        assert f.message.startswith("Inconclusive:") and "still includes it" in f.message


def test_low_response_rate_puts_questions_first():
    # 30 questions, none answered; 170 other comments all answered: judged on questions
    c = conversation_client(200, 0, questions=30)
    f = status(c, "conversation.low_response_rate")
    assert f.status == "fail" and "questions" in f.message
    c = conversation_client(200, 200, questions=10)  # too few questions: all comments
    assert status(c, "conversation.low_response_rate").status == "ok"


@pytest.mark.parametrize(
    ("delay", "expected"),
    [(24.0, "ok"), (24.5, "warn"), (72.0, "warn"), (73.0, "fail")],
)
def test_slow_response_at_and_around_its_thresholds(delay, expected):
    c = conversation_client(40, 40, delay_hours=delay)
    f = status(c, "conversation.slow_response")
    assert f.status == expected


def test_slow_response_median_past_threshold_with_a_straddling_interval_is_inconclusive():
    delays = [2.0] * 15 + [30.0] * 25  # median 30 h, but its interval reaches 2 h
    f = status(conversation_client(40, 40, delay_hours=delays), "conversation.slow_response")
    assert f.status == "not_assessable" and f.message.startswith("Inconclusive:")
    assert "still includes it" in f.message


@pytest.mark.parametrize(
    ("neg", "k", "rest", "expected"),
    [
        (40, 4, 100, "fail"),  # 10 % answered
        (40, 15, 100, "warn"),  # 38 %, interval below 60 %
        (40, 30, 100, "ok"),  # 75 %
        (200, 120, 500, "warn"),  # 60 % but 40 points below the rest (100 %)
        (40, 28, 100, "ok"),  # 70 % vs 100 %: the gap's interval reaches below 20 points
    ],
)
def test_ignored_negative_levels_and_gap(neg, k, rest, expected):
    c = conversation_client(rest, rest, negative=neg, answered_negative=k)
    assert status(c, "conversation.ignored_negative").status == expected


def test_ignored_negative_uses_the_sentiment_model_when_the_export_has_no_sentiment():
    c = conversation_client(40, 40, negative=20, answered_negative=0)
    c.comments["sentiment"] = pd.array([pd.NA] * len(c.comments), dtype="Float64")
    c.comments["text"] = np.where(
        c.comments["text"].eq("Why is this so bad?"),
        "@T This is terrible, awful service, I hate it",
        c.comments["text"],
    )
    c.comments.loc[c.comments.index[:3], "text"] = "Obrigado, adorei o pão de hoje"
    f = status(c, "conversation.ignored_negative")
    assert f.status == "fail"
    ev = {e.name: e.value for e in f.evidence}
    model = load_sentiment_model()
    (scored,) = [k for k in ev if k.startswith("comments scored by the sentiment model")]
    assert model.name in scored and f"p_negative ≥ {model.cutoff}" in scored
    assert ev[scored] == len(c.comments) - 3
    assert ev["comments left unscored: a language the sentiment model cannot read"] == 3


def test_a_complaint_heavy_client_is_read_at_its_own_share_of_negative_comments():
    # 150 complaints among 250 audience comments, some of them factual: the model, fitted
    # on tweets a third negative, is unsure of those; read at this client's share (which
    # it estimates from the complaints it is sure of) they all weigh more
    complaints = [
        "worst service ever",
        "@T lost my bag again",
        "delayed again. third time this month",
        "still waiting for my refund, nobody answers",
        "my order never arrived",
        "This is terrible, awful service",
    ]
    c = conversation_client(100, 60, negative=150, answered_negative=30)
    c.comments["sentiment"] = pd.array([pd.NA] * len(c.comments), dtype="Float64")
    is_neg = c.comments["text"].eq("Why is this so bad?").to_numpy()
    c.comments.loc[is_neg, "text"] = [complaints[i % 6] for i in range(int(is_neg.sum()))]
    audience = ~c.comments["is_brand"].to_numpy(dtype=bool)
    fixed = classify(c.comments["text"][audience], adapt=False)
    read = classify(c.comments["text"][audience])
    assert read.attrs["adapted"] and read.attrs["negative_share"] > load_sentiment_model().prior[0]
    # every comment's probability of being negative goes up, none is found less negative
    assert (read["p_negative"] > fixed["p_negative"]).all()
    assert (read["label"] == "negative").sum() >= (fixed["label"] == "negative").sum()
    assert not ((fixed["label"] == "negative") & (read["label"] != "negative")).any()
    f = status(c, "conversation.ignored_negative")
    (scored,) = [e.name for e in f.evidence if e.name.startswith("comments scored by")]
    assert "read at this client's estimated share of negative comments" in scored
    assert f"p_negative ≥ {read.attrs['cutoff']}" in scored


def test_broadcast_only_needs_both_silence_and_no_invitations():
    # 0 of 100 posts invite a response: Wilson high end 3.7 % < 5 %; 0 of 40 would be 8.8 %
    silent = conversation_client(200, 0, posts=100)
    assert status(silent, "conversation.broadcast_only").status == "warn"
    few_posts = conversation_client(200, 0, posts=40)
    assert status(few_posts, "conversation.broadcast_only").status == "ok"
    asking = conversation_client(200, 0, posts=100, post_texts=["Which one is your favourite?"])
    assert status(asking, "conversation.broadcast_only").status == "ok"
    replying = conversation_client(200, 40, posts=100)
    assert status(replying, "conversation.broadcast_only").status == "ok"


def test_no_community_counts_commenters_returning_on_another_post():
    once = conversation_client(150, 0, posts=15)  # 150 different people, one comment each
    assert status(once, "advocacy.no_community").status == "warn"
    authors = [f"fan{i % 100}" for i in range(150)]  # 50 people come back on another post
    back = conversation_client(150, 0, posts=15, authors=authors)
    f = status(back, "advocacy.no_community")
    assert f.status == "ok" and "50 of 100" in f.message


def test_conversation_checks_say_what_they_need_without_threads():
    client = conversation_client(5, 5)
    empty = Client.from_frames({"name": "T"}, posts=pd.DataFrame(client.posts))
    for c in (client, empty):
        for f in run_checks(c, CONVERSATION, raise_errors=True):
            assert f.status == "not_assessable" and f.needs


def test_recent_comments_are_not_judged_yet():
    c = conversation_client(40, 0)
    late = c.comments["created_at"].max() + pd.Timedelta(hours=1)
    extra = c.comments.iloc[:1].assign(comment_id="late", created_at=late)
    c.comments = pd.concat([c.comments, extra], ignore_index=True)
    s = conversation_summary(c.comments, end=[late + pd.Timedelta(hours=10)])
    assert s.loc[0, "censored"] >= 1 and s.loc[0, "eligible"] < 41


# --- demo and loader ------------------------------------------------------------------------


def test_demo_never_answers_client_is_flagged_and_the_healthy_one_is_not(demo_dir):
    silent = {
        f.check: f.status for f in diagnose(load_client(demo_dir / "meridian-insurance")).findings
    }
    assert silent["conversation.low_response_rate"] == "fail"
    assert silent["conversation.ignored_negative"] == "fail"
    healthy = {
        f.check: f.status for f in diagnose(load_client(demo_dir / "harbour-bakery")).findings
    }
    assert all(healthy[c] in ("ok", "not_assessable") for c in CONVERSATION)
    assert all(healthy[c] == "ok" for c in CONVERSATION[:4])


def test_twcs_threads_exact_ids_and_bare_carriage_returns():
    (r,) = load_export(FIXTURES / "twcs_sample.csv")
    assert r.format == "twcs" and r.table == "comments"
    assert r.rows_in == r.rows_loaded == 9 and r.rows_quarantined == 0
    d = r.data.set_index("comment_id")
    assert d.loc["102", "text"] == "@AcmeCare sent.\rThanks"  # one row, CR kept
    assert d.loc["103", "parent_id"] == "102"  # "102.0" in the file
    assert d.loc["103", "post_id"] == "100"  # the thread's first tweet
    assert d["is_brand"].tolist().count(True) == 4
    assert d.loc["102", "created_at"] == pd.Timestamp("2017-10-30 11:30", tz="UTC")
    assert any("AcmeCare" in n for n in r.notes)


def test_twcs_id_in_scientific_notation_is_quarantined_not_guessed(tmp_path):
    raw = (FIXTURES / "twcs_sample.csv").read_bytes()
    bad = tmp_path / "twcs.csv"
    bad.write_bytes(raw.replace(b",101.0\n", b",1.01e+02\n", 1))
    (r,) = load_export(bad)
    assert r.rows_in == 9 and r.rows_loaded == 8 and r.rows_quarantined == 1
    assert r.quarantine["rule"].tolist() == ["id"]
    assert "scientific notation" in r.quarantine["reason"].iloc[0]


def test_response_time_plot_returns_its_axes_with_labelled_units():
    import matplotlib

    matplotlib.use("Agg")
    from socialkit import plot

    c = conversation_client(40, 30, delay_hours=5.0)
    with plot.theme():
        ax = plot.response_times(c.comments)
    title = ax.get_title(loc="left")
    assert "30 answered" in title and "10 unanswered" in title
    assert "log scale" in ax.get_xlabel() and ax.get_ylabel() == "audience comments"
    matplotlib.pyplot.close(ax.figure)


def test_youtube_comment_threads_from_the_data_api():
    (r,) = load_export(FIXTURES / "youtube_comment_threads.json")
    assert r.format == "youtube_comments" and r.table == "comments"
    assert (r.rows_in, r.rows_loaded, r.rows_quarantined) == (6, 5, 1)
    assert r.quarantine["rule"].tolist() == ["thread"]  # a thread without its top comment
    d = r.data.set_index("comment_id")
    assert d.loc["Ug1.r1", ["parent_id", "post_id"]].tolist() == ["Ug1", "vid1"]
    assert d["is_brand"].tolist() == [False, True, False, False, False]
    assert d.loc["Ug2", "created_at"] == pd.Timestamp("2026-05-02 06:00", tz="UTC")
    assert any("totalReplyCount" in n for n in r.notes)  # thread Ug3 holds 1 of 4 replies
    th = reply_threads(r.data)
    assert th["answered"].tolist() == [True, False, False, False, False]
    assert th["response_hours"].iloc[0] == 2.5


def test_youtube_comments_json_lines_with_a_broken_line(tmp_path):
    resp = json.loads((FIXTURES / "youtube_comment_threads.json").read_text())
    lines = [json.dumps(t) for t in resp["items"][:3]]
    path = tmp_path / "threads.jsonl"
    path.write_text("\n".join([lines[0], '{"kind": "youtube#commentThread", "id": ', *lines[1:]]))
    (r,) = load_export(path)
    assert r.rows_in == r.rows_loaded + r.rows_quarantined and r.rows_loaded == 5
    assert r.quarantine["source_row"].tolist() == [2]
    assert "not valid JSON" in r.quarantine["reason"].iloc[0]
    bad = tmp_path / "bad.json"
    bad.write_text('{"kind": "youtube#commentThreadListResponse", "items": [')
    with pytest.raises(Exception, match=r"bad\.json: not valid JSON") as exc:
        load_export(bad)
    assert "\n" not in str(exc.value)
