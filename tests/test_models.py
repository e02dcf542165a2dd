"""The engagement-drivers model and the Moro et al. (2016) replication."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from socialkit.models import drivers, engagement_drivers, replication
from socialkit.models.features import FEATURES, log_rate, post_features


def synthetic_posts(n=600, question_lift=1.6, seed=0, shuffle=False) -> pd.DataFrame:
    """Two platforms, four formats; posts that ask a question get ``question_lift``× engagement."""
    rng = np.random.default_rng(seed)
    times = pd.Timestamp("2025-01-06", tz="UTC") + pd.to_timedelta(
        np.sort(rng.uniform(0, 365, n)), unit="D"
    )
    fmt = rng.choice(["image", "video", "link", "text"], n)
    question = rng.random(n) < 0.35
    copy = np.where(
        question,
        rng.choice(["Which cake wins?", "What would you bake this weekend?"], n),
        rng.choice(["Fresh bread is in.", "Our ovens are on from 6 am."], n),
    )
    reach = rng.integers(800, 6000, n)
    rate = 0.04 * np.where(question, question_lift, 1.0) * rng.lognormal(0, 0.35, n)
    reactions = rng.poisson(rate * reach)
    if shuffle:
        reactions = rng.permutation(reactions)
    return pd.DataFrame(
        {
            "platform": rng.choice(["instagram", "facebook"], n),
            "post_id": [f"p{i}" for i in range(n)],
            "published_at": times,
            "format": fmt,
            "text": copy,
            "paid": rng.random(n) < 0.05,
            "reach": pd.array(reach, dtype="Int64"),
            "reactions": pd.array(reactions, dtype="Int64"),
            "comments": pd.array(rng.poisson(rate * reach * 0.1), dtype="Int64"),
            "shares": pd.array(np.zeros(n, dtype=int), dtype="Int64"),
        }
    )


# -- features -------------------------------------------------------------------------


def test_features_are_known_before_posting_and_missing_stays_missing():
    posts = synthetic_posts(20).drop(columns=["paid", "format"])
    posts.loc[3, "text"] = None
    x = post_features(posts)
    assert list(x.columns) == FEATURES
    assert (x["format"] == "unknown").all()
    assert x["paid"].isna().all()  # not 0: the export did not say
    assert np.isnan(x.loc[3, "text_length"]) and np.isnan(x.loc[3, "has_question"])
    assert x.loc[0, "hour_of_week"] == x.loc[0, "hour"] + 24 * [
        "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
    ].index(x.loc[0, "weekday"])  # fmt: skip


def test_local_time_features_follow_the_timezone_across_dst():
    posts = pd.DataFrame(
        {"published_at": pd.to_datetime(["2026-03-28 23:30", "2026-03-29 23:30"], utc=True)}
    )
    x = post_features(posts, timezone="Europe/Lisbon")
    assert x["hour"].tolist() == [23, 0]  # Lisbon moved to UTC+1 on 29 March
    assert x["weekday"].tolist() == ["Sat", "Mon"]


def test_log_rate_uses_the_platform_basis_and_a_continuity_correction():
    posts = pd.DataFrame(
        {
            "platform": ["x", "x"],
            "reach": pd.array([None, None], dtype="Int64"),
            "impressions": pd.array([1000, 400], dtype="Int64"),
            "reactions": pd.array([0, 20], dtype="Int64"),
            "comments": pd.array([0, 0], dtype="Int64"),
            "shares": pd.array([0, 0], dtype="Int64"),
        }
    )
    y, basis = log_rate(posts)
    assert basis["x"] == "impressions"
    assert y == pytest.approx(np.log([0.5 / 1000, 20.5 / 400]))


# -- time folds -----------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_time_folds_never_train_on_the_future(seed):
    rng = np.random.default_rng(seed)
    times = rng.integers(0, 60, 200)  # many ties
    folds = drivers.time_folds(times, n_splits=5)
    assert len(folds) >= 4
    seen = set()
    for train, test in folds:
        assert times[train].max() < times[test].min()
        assert not seen & set(test.tolist())
        seen |= set(test.tolist())


def test_result_folds_table_has_no_leakage():
    res = engagement_drivers(synthetic_posts(300))
    assert (res.folds["train_end"] < res.folds["test_start"]).all()
    assert res.folds["n_test"].sum() == res.skill["n_test"]


# -- honesty --------------------------------------------------------------------------


def test_planted_driver_is_found_and_phrased_as_an_association():
    res = engagement_drivers(synthetic_posts(600, question_lift=1.6))
    assert res.status == "trusted", res.message
    assert res.skill["gain_low"] > 0
    top = res.importance.iloc[:2]["feature"].tolist()
    assert {"has_question", "text_length"} & set(top)
    claims = res.drivers()
    assert claims and all("go with" in c for c in claims)
    assert not any("cause" in c for c in claims)
    q = res.effects[res.effects["feature"] == "has_question"].set_index("level")["ratio"]
    assert q[1.0] / q[0.0] == pytest.approx(1.6, rel=0.25)


def test_shuffled_targets_make_no_driver_claims():
    res = engagement_drivers(synthetic_posts(600, shuffle=True))
    assert res.status == "not_better_than_baseline", res.message
    assert res.drivers() == [] and res.effects.empty
    assert "no driver claims" in res.message


def test_too_few_posts_is_not_enough_data():
    res = engagement_drivers(synthetic_posts(drivers.MIN_POSTS - 1))
    assert res.status == "not_enough_data"
    assert str(drivers.MIN_POSTS) in res.message and res.drivers() == []


def test_importance_is_reproducible_with_a_seed():
    a = engagement_drivers(synthetic_posts(300), seed=3)
    b = engagement_drivers(synthetic_posts(300), seed=3)
    pd.testing.assert_frame_equal(a.importance, b.importance)
    assert a.to_dict()["skill"] == b.to_dict()["skill"]


@pytest.mark.parametrize("missing", [False, True])
def test_permutation_importance_equals_scikit_learns(missing):
    # the fast path (shuffles of the encoded columns, one stacked prediction per
    # feature) gives scikit-learn's numbers exactly, also with an all-missing column
    from sklearn.inspection import permutation_importance

    from socialkit.models.importance import permutation_importance_mean

    posts = synthetic_posts(300, seed=5)
    if missing:
        posts = posts.drop(columns=["paid"])
    x = post_features(posts)
    y, _ = log_rate(posts)
    model = drivers.BaselinePlusBoosting(0).fit(x.iloc[:200], y[:200])
    ours = permutation_importance_mean(model, x.iloc[200:], y[200:], 10, 7)
    theirs = permutation_importance(model, x.iloc[200:], y[200:], n_repeats=10, random_state=7)
    np.testing.assert_array_equal(ours, theirs.importances_mean)
    assert (ours != 0).any()


# -- robustness -----------------------------------------------------------------------


def test_unseen_categories_and_missing_columns_do_not_break_prediction():
    posts = synthetic_posts(300)
    x = post_features(posts)
    y, _ = log_rate(posts)
    model = drivers.BaselinePlusBoosting(0).fit(x, y)
    new = x.head(3).copy()
    new["format"] = ["live", "story", "unknown"]
    new["platform"] = "tiktok"
    new["paid"] = np.nan
    assert np.isfinite(model.predict(new)).all()

    bare = posts.drop(columns=["text", "paid", "format"])
    res = engagement_drivers(bare)
    assert res.status in drivers.STATUS
    imp = res.importance.set_index("feature")["mean"]
    assert imp["text_length"] == 0 and imp["paid"] == 0  # absent everywhere: no information


def test_to_dict_is_json_ready():
    import json

    json.dumps(engagement_drivers(synthetic_posts(300)).to_dict())


def test_demo_planted_driver_is_found_and_others_make_no_claims(demo_dir):
    from socialkit import diagnose, load_client
    from socialkit.models import cite_drivers, client_drivers

    harbour = client_drivers(load_client(demo_dir / "harbour-bakery"))
    assert harbour.trusted, harbour.message
    assert any("ask a question" in c for c in harbour.drivers())
    brightline = load_client(demo_dir / "brightline-electronics")  # no planted driver
    res = client_drivers(brightline)
    assert not res.trusted and res.drivers() == []
    d = diagnose(brightline)
    assert cite_drivers(d, res) is d  # nothing to cite
    cited = cite_drivers(d, harbour)
    content = [f for f in cited.findings if f.area == "content" and f.status in ("warn", "fail")]
    assert content and all("ask a question" in f.recommendation for f in content)
    others = [f for f in cited.findings if f.area != "content"]
    assert all("engagement model" not in f.recommendation for f in others)


# -- replication ----------------------------------------------------------------------


def test_bundled_uci_file_is_the_published_one():
    data = replication.load_uci()
    assert data.shape == (500, 19)
    assert data["Type"].value_counts().to_dict() == {
        "Photo": 426,
        "Status": 45,
        "Link": 22,
        "Video": 7,
    }


def test_replication_protocol_on_one_target():
    table = replication.replicate(
        targets=["Lifetime Post Consumers", "comment"], folds=5, repeats=1, tune=False
    )
    consumers, comment = table.iloc[0], table.iloc[1]
    assert consumers["n"] == 499 and consumers["dropped"] == 1  # one empty Paid cell
    assert comment["zeros_left_out"] > 50  # MAPE is undefined at 0
    # the models must beat "predict the median" on the paper's best target
    assert consumers["mape_modern"] < consumers["mape_median"]
    assert consumers["mape_svm"] < consumers["mape_median"]
    assert consumers["published"] == replication.PUBLISHED["best_two_mape"]


def test_type_matters_as_the_paper_found():
    medians, ratio = replication.type_attention()
    assert ratio > 1.5  # "a status post captures around twice the attention"
    assert "Type" in replication.input_relevance(n_repeats=5).index[:2]


def test_wrong_file_is_named(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a;b\n1;2\n")
    with pytest.raises(ValueError, match="x.csv: not the UCI"):
        replication.load_uci(bad)
