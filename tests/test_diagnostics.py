"""Post-data diagnostics: metrics on hand-computable inputs, each check around its
thresholds (with the CI rule), batch = single-client results."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from socialkit import Client, diagnose
from socialkit.batch import Batch
from socialkit.benchmarks import age_reach, engagement_benchmark, engagement_table
from socialkit.checks import CATALOGUE, run_batch
from socialkit.diagnose import diagnose_all
from socialkit.metrics import text as text_metrics
from socialkit.metrics.concentration import gini, top_share
from socialkit.metrics.engagement import followers_at_post, interactions
from socialkit.metrics.stats import (
    binom_ppf,
    bootstrap_reps,
    mann_kendall,
    mean_ci,
    median_ci,
    percentile_ci,
    segment_means,
    sort_within,
    theil_sen,
    wilson_ci,
)
from socialkit.metrics.text import (
    centredness,
    has_word,
    in_lexicon_languages,
    is_promotional,
    near_duplicate_flags,
    pronoun_counts,
)

END = pd.Timestamp("2026-06-28 12:00", tz="UTC")

# --- metrics -----------------------------------------------------------------------------


def test_wilson_matches_the_textbook_value():
    lo, hi = wilson_ci([5, 0], [10, 0])
    assert round(float(lo[0]), 4) == 0.2366 and round(float(hi[0]), 4) == 0.7634
    assert np.isnan(lo[1])


def test_theil_sen_equals_scipy_including_missing_points():
    rng = np.random.default_rng(3)
    y = rng.normal(size=(2, 25)).cumsum(axis=1)
    y[1, [2, 7]] = np.nan
    ours = theil_sen(y)
    for r in range(2):
        keep = ~np.isnan(y[r])
        ref = stats.theilslopes(y[r][keep], np.arange(25)[keep])
        assert ours["slope"][r] == pytest.approx(ref.slope)
        assert ours["low"][r] == pytest.approx(ref.low_slope)
        assert ours["high"][r] == pytest.approx(ref.high_slope)


def test_mann_kendall_s_statistic_by_hand():
    r = mann_kendall([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1], [1, 3, 2, 4, np.nan]])
    assert r["s"].tolist() == [10, -10, 4]  # last: 6 pairs, 5 up, 1 down
    assert r["n"].tolist() == [5, 5, 4]
    assert r["p"][0] < 0.05 and r["p"][1] < 0.05 and r["p"][2] > 0.05


def test_median_ci_order_statistics():
    v = np.arange(1, 51, dtype=float)
    r = median_ci(v, np.zeros(50, dtype=int))
    assert r["median"][0] == 25.5
    # binomial(50, 1/2): ranks 18 and 33 give >= 95 % coverage
    assert (r["low"][0], r["high"][0]) == (18.0, 33.0)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("codes", [70_000, 300])  # sorted in blocks; one group at a time
def test_sort_within_matches_a_two_key_sort(descending, codes):
    # unsorted codes (wider than 16 bits), ties, NaN, and one group larger than a block
    rng = np.random.default_rng(3)
    n = 200_000
    g = rng.integers(0, codes, n)
    g[: n // 2] = 7
    v = np.round(rng.random(n) * 50)
    v[rng.random(n) < 0.05] = np.nan
    out, groups, starts, sizes = sort_within(v, g, descending=descending)
    keep = ~np.isnan(v)
    order = np.lexsort((-v[keep] if descending else v[keep], g[keep]))
    assert np.array_equal(out, v[keep][order]) and np.array_equal(groups, g[keep][order])
    assert np.array_equal(groups[starts], np.unique(g[keep]))
    assert sizes.sum() == keep.sum()


def test_bootstrap_means_cover_and_subsample_scaling():
    rng = np.random.default_rng(0)
    v = np.r_[rng.normal(1, 1, 100), rng.normal(5, 2, 6000)]
    full, reps = bootstrap_reps(v, [0, 100], [100, 6000], segment_means, [1, 2], cap=2000)
    lo, hi = percentile_ci(reps)
    assert full == pytest.approx([v[:100].mean(), v[100:].mean()])
    # widths ≈ 2 × 1.96 × sd / sqrt(n), also for the subsampled long segment
    assert hi[0] - lo[0] == pytest.approx(2 * 1.96 * v[:100].std() / 10, rel=0.2)
    assert hi[1] - lo[1] == pytest.approx(2 * 1.96 * v[100:].std() / np.sqrt(6000), rel=0.2)


def test_long_means_follow_the_full_bootstrap_and_do_not_depend_on_the_batch():
    rng = np.random.default_rng(3)
    v = np.r_[rng.lognormal(0, 1, 2500), rng.normal(0, 1, 50)]  # a skewed long segment
    starts, lengths, keys = [0, 2500], [2500, 50], [11, 12]
    full, reps = bootstrap_reps(v, starts, lengths, segment_means, keys, cap=2000)
    exact, exact_reps = bootstrap_reps(v, starts, lengths, segment_means, keys, cap=10**6)
    assert full == pytest.approx(exact)
    (lo, hi), (elo, ehi) = percentile_ci(reps), percentile_ci(exact_reps)
    assert hi[0] - lo[0] == pytest.approx(ehi[0] - elo[0], rel=0.1)  # widths
    assert (lo[0] + hi[0]) / 2 == pytest.approx((elo[0] + ehi[0]) / 2, abs=0.1 * (ehi[0] - elo[0]))
    assert (lo[1], hi[1]) == (elo[1], ehi[1])  # the short one is resampled as before
    alone = bootstrap_reps(v[:2500], [0], [2500], segment_means, keys[:1], cap=2000)[1]
    assert (alone[:, 0] == reps[:, 0]).all()


def _skewed_segments():
    """Segments whose mean's bootstrap law is skewed but near-normal, and one ruled by a
    post a hundred times the others."""
    rng = np.random.default_rng(4)
    viral = rng.exponential(1, 100)
    viral[0] *= 100
    return [
        rng.lognormal(0, 1.5, 60),
        rng.exponential(1, 25),
        rng.pareto(2.5, 300),
        rng.poisson(1, 100) * 1.0,
        rng.lognormal(0, 1, 1000),
        viral,
        rng.normal(0, 1, 12),
    ]


def _skewed_case():
    """The segments side by side, their offsets, sizes and keys, and their mean_ci."""
    segs = _skewed_segments()
    lengths = np.array([s.size for s in segs])
    starts = np.r_[0, np.cumsum(lengths)[:-1]]
    v, keys = np.concatenate(segs), np.arange(len(segs)) + 20
    return segs, v, starts, lengths, keys, mean_ci(v, starts, lengths, keys, seed=9)


def test_mean_ci_computes_the_bootstrap_percentiles_of_near_normal_means():
    # the computed (Cornish–Fisher) ends are those of 20,000 resamples within 0.06
    # standard errors, where 400 resamples scatter by about 0.13 (and the normal
    # interval, blind to the skew, is 0.2 off on the lognormal ones)
    segs, v, starts, lengths, keys, out = _skewed_case()
    c = out["computed"]
    assert c.tolist() == [True] * 5 + [False, False]
    assert out["mean"] == pytest.approx([s.mean() for s in segs])
    _, ref = bootstrap_reps(v, starts[c], lengths[c], segment_means, keys[c], 20_000, 10**6, 8)
    lo, hi = percentile_ci(ref)
    se = np.array([s.std() / np.sqrt(s.size) for s in segs])[c]
    assert np.abs((out["low"][c] - lo) / se).max() < 0.06
    assert np.abs((out["high"][c] - hi) / se).max() < 0.06
    # the skew is in the interval: the upper end is further from the mean than the lower
    assert ((out["high"] - out["mean"]) > (out["mean"] - out["low"]))[c].all()


def test_mean_ci_resamples_lumpy_means_as_bootstrap_reps_does():
    # the segments it does not compute are resampled with the same draws, alone or not
    segs, v, starts, lengths, keys, out = _skewed_case()
    for j in np.flatnonzero(~out["computed"]):
        alone = bootstrap_reps(segs[j], [0], [lengths[j]], segment_means, [keys[j]], seed=9)[1]
        assert (out["low"][j], out["high"][j]) == tuple(x[0] for x in percentile_ci(alone))
    constant = mean_ci(np.full(30, 0.01), [0], [30], [1])
    assert (constant["low"][0], constant["high"][0]) == pytest.approx((0.01, 0.01), abs=1e-15)


def test_mean_ci_covers_the_mean_of_skewed_data():
    # coverage of the computed interval on lognormal samples of 80: about 95 %
    rng = np.random.default_rng(11)
    n, sims = 80, 4000
    v = rng.lognormal(0, 0.75, n * sims)
    starts, lengths = np.arange(sims) * n, np.full(sims, n)
    out = mean_ci(v, starts, lengths, np.arange(sims))
    assert out["computed"].mean() > 0.9
    truth = np.exp(0.75**2 / 2)
    covered = ((out["low"] <= truth) & (truth <= out["high"]))[out["computed"]]
    assert 0.92 < covered.mean() < 0.97


def test_resample_offsets_are_uniform_and_do_not_depend_on_the_batch():
    from scipy import stats as st

    from socialkit.metrics.stats import _resample_offsets

    keys = np.array([7, 8, 9], dtype=np.uint64)
    m, n = np.array([5, 1000, 3]), np.array([5, 37, 3])
    both = _resample_offsets(keys, 400, m, n)
    assert both.shape == (400, 1008) and both.dtype == np.int64
    for j, (a, b) in enumerate([(0, 5), (5, 1005), (1005, 1008)]):
        seg = both[:, a:b]
        assert seg.min() == 0 and seg.max() == n[j] - 1
        alone = _resample_offsets(keys[j : j + 1], 400, m[j : j + 1], n[j : j + 1])
        assert (alone == seg).all()  # the same draws alone as beside other segments
    counts = np.bincount(both[:, 5:1005].ravel(), minlength=37)
    assert st.chisquare(counts).pvalue > 0.001  # 400,000 draws on 0…36
    assert abs(np.corrcoef(both[:, 5:1004:2].ravel(), both[:, 6:1005:2].ravel())[0, 1]) < 0.01


def test_top_share_and_gini_by_hand():
    r = top_share([10, 1, 1, 1, 1, 1, 1, 1, 1, 2, 5, 5], [0] * 10 + [1, 1], 0.1)
    assert r["k"].tolist() == [1, 1]
    assert r["share"].tolist() == pytest.approx([0.5, 0.5])
    g = gini([0, 0, 0, 4, 2, 2], [0, 0, 0, 0, 1, 1])["gini"]
    assert g.tolist() == pytest.approx([0.75, 0.0])


def test_interactions_keep_unknown_as_unknown():
    p = pd.DataFrame(
        {
            "reactions": pd.array([10, None, None], dtype="Int64"),
            "comments": pd.array([2, 3, None], dtype="Int64"),
            "shares": pd.array([1, None, None], dtype="Int64"),
        }
    )
    out = interactions(p)
    assert out[:2].tolist() == [13.0, 3.0] and np.isnan(out[2])
    # float columns (a frame built in memory) come out the same and are left untouched
    floats = p.astype("float64")
    kept = floats.copy()
    out = interactions(floats)
    assert out[:2].tolist() == [13.0, 3.0] and np.isnan(out[2])
    assert floats.equals(kept)
    one = floats[["reactions"]].assign(comments=np.nan, shares=np.nan)
    interactions(one)
    assert np.isnan(one["reactions"].iloc[1])  # its NaN was not zeroed in the frame


def _followers_by_merge_asof(posts, followers, by):
    """followers_at_post as pandas' merge_asof computes it (the reference)."""
    own = posts["followers"].to_numpy(dtype=float, na_value=np.nan)
    need = np.isnan(own)
    left = posts.loc[need, by].astype("string")
    left["_t"] = posts.loc[need, "published_at"].dt.tz_localize(None).astype("datetime64[ns]")
    left["_i"] = np.flatnonzero(need)
    right = followers.loc[followers["followers"].notna(), by].astype("string")
    right["_t"] = pd.to_datetime(followers["date"]).astype("datetime64[ns]") + pd.Timedelta(days=1)
    right["_f"] = followers["followers"].astype(float)
    left, right = left.sort_values("_t"), right.sort_values("_t", kind="stable")
    week = pd.Timedelta(days=7)
    back = pd.merge_asof(left, right, on="_t", by=by, tolerance=week)
    ahead = pd.merge_asof(left, right, on="_t", by=by, direction="forward", tolerance=week)
    out = own.copy()
    out[back["_i"]] = back["_f"].fillna(ahead["_f"]).to_numpy()
    return out


def test_followers_at_post_equals_merge_asof():
    # posts on the followers' midnights, 7 days (and a second more) before the first
    # count, up to 10 days after the last, platforms and clients without a table, missing
    # counts, and posts with their own
    rng = np.random.default_rng(6)
    n = 3000
    plats = np.array(["instagram", "facebook", "x", "tiktok"])
    days = pd.date_range("2026-01-01", periods=60, freq="D")
    t = days[0] + pd.to_timedelta(rng.integers(-9 * 86400, 70 * 86400, n), unit="s")
    t = t.where(rng.random(n) > 0.1, days[rng.integers(0, 60, n)] + pd.Timedelta(days=1))
    edge = days[0] - pd.Timedelta(days=6) - pd.to_timedelta(rng.integers(0, 2, n), unit="s")
    t = t.where(rng.random(n) > 0.05, edge)
    posts = pd.DataFrame(
        {
            "client": rng.integers(0, 5, n).astype(np.int32),
            "platform": pd.Categorical(rng.choice(plats, n)),
            "published_at": t.tz_localize("UTC"),
            "followers": pd.array(np.where(rng.random(n) < 0.2, 700, -1), dtype="Int64"),
        }
    )
    posts["followers"] = posts["followers"].mask(posts["followers"] < 0)
    m = 2 * 3 * len(days)
    followers = pd.DataFrame(
        {
            "client": np.repeat([0, 1], m // 2).astype(np.int32),
            "platform": np.tile(np.repeat(plats[:3], len(days)), 2),
            "date": np.tile(days, 6),
            "followers": pd.array(rng.integers(100, 200, m), dtype="Int64"),
        }
    ).sample(frac=0.7, random_state=1)
    followers.loc[followers.index[:40], "followers"] = pd.NA
    cats = posts["platform"].cat.categories
    variants = {  # the followers' platform as text, as the posts' categories, in another order
        "text": followers,
        "same categories": followers.assign(platform=pd.Categorical(followers["platform"], cats)),
        "other order": followers.assign(platform=pd.Categorical(followers["platform"], cats[::-1])),
    }
    for name, table in variants.items():
        for by in (["client", "platform"], ["platform"]):
            ours = followers_at_post(posts, table, by=by)
            ref = _followers_by_merge_asof(posts, followers, by)
            assert np.array_equal(ours, ref, equal_nan=True), (name, by)
            assert 0 < np.isnan(ours).sum() < n  # both cases occur
    late = posts["published_at"] > (days[-1] + pd.Timedelta(days=8)).tz_localize("UTC")
    own = posts["followers"].isna().to_numpy()
    assert (late & own).any() and np.isnan(followers_at_post(posts, followers)[late & own]).all()


def test_last_at_or_before_is_a_sorted_search():
    from socialkit.metrics.engagement import _last_at_or_before

    rng = np.random.default_rng(3)
    for top in (1, 50, 5000, 200_000):  # the table, and a range too wide for it
        keys = np.sort(rng.integers(0, top, 3000))
        query = rng.integers(-5, top + 10, 20_000)
        want = np.searchsorted(keys, query, side="right") - 1
        assert np.array_equal(_last_at_or_before(keys, query), want), top
    keys = np.array([-4, -4, 2, 9])
    query = np.array([-9, -4, 0, 2, 8, 9, 30])
    assert np.array_equal(_last_at_or_before(keys, query), [-1, 1, 1, 2, 2, 3, 3])
    assert _last_at_or_before(np.zeros(0, dtype=np.int64), query).tolist() == [-1] * 7


def test_a_followers_export_that_ends_months_before_the_posts_does_not_judge_them():
    # LOK's case: daily follower counts for 4 weeks, posts for 20 more; the last count was
    # carried to every later post, so the engagement per follower of those months rested
    # on one stale audience size, and the check judged a 20-week trend
    n = 24 * 7
    posts = posts_frame(n, reactions=np.linspace(300, 100, n).round().astype(int))
    first = posts["published_at"].min().normalize()
    followers = pd.DataFrame(
        {
            "platform": "instagram",
            "date": pd.date_range(first, periods=28, freq="D").date,
            "followers": np.linspace(10_000, 14_000, 28).round().astype(int),
        }
    )
    f = check(posts=posts, followers=followers, cid="kpi.quantity_over_quality")
    assert f.status == "not_assessable", f.message
    assert f.evidence[0].name == "weeks with data" and f.evidence[0].value <= 6


@pytest.mark.parametrize(
    "text, promo",
    [
        ("20% off everything this weekend", True),
        ("Shop now: new arrivals", True),
        ("Free shipping on all orders", True),
        ("Compre já o seu com frete grátis", True),
        ("Promoção de verão: 30% de desconto", True),
        ("Envío gratis en todos los pedidos", True),
        ("Compra ya, últimas unidades", True),
        ("Only $19.99", True),
        ("Don’t miss out on the sale", True),  # a typographic apostrophe
        ("Don't miss it", True),
        ("We offer free advice to new parents", False),
        ("How to prune roses in autumn", False),
        ("Nossa equipe visitou a feira", False),
        ("", False),
    ],
)
def test_promotional_lexicon(text, promo):
    assert is_promotional([text]).tolist() == [promo]


def test_pronoun_counts_and_centredness(monkeypatch):
    texts = [
        "We love our team and our city",
        "Your guide: what you need",
        "We made this for you",
        "Nuestro equipo",
        "Você vai amar",
        "Sunset",
    ]
    we, you = pronoun_counts(texts)
    assert we.tolist() == [3, 0, 1, 1, 0, 0]
    assert you.tolist() == [0, 2, 1, 0, 1, 0]
    assert centredness(texts).tolist() == [1, -1, 0, 1, -1, 0]
    # in runs of a few texts (the long-input path), with a missing text and a typographic ’
    monkeypatch.setattr(text_metrics, "_STEP", 4)
    more = [*texts, None, "We’re here for you’re…", "Our"]
    we2, you2 = pronoun_counts(more)
    assert we2.tolist() == [*we.tolist(), 0, 1, 1]
    assert you2.tolist() == [*you.tolist(), 0, 1, 0]


def test_language_words_are_whole_lowercased_runs_of_word_characters(monkeypatch):
    """in_lexicon_languages counts the common and other-language words on tokens: runs
    of [\\pL\\pN\\pM_] (an apostrophe breaks them), lowercased as the pronouns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    words = [*sorted({w for ws in text_metrics.COMMON_WORDS.values() for w in ws})]
    words += [*text_metrics.OTHER_WORDS, "we're", "Você", "中文", "x"]
    rng = np.random.default_rng(0)
    seps = [" ", "'", "’", "-", "", "_", "2", "é", "\n"]

    def word():
        w = str(rng.choice(words))
        return (w.upper() if rng.random() < 0.2 else w) + str(rng.choice(seps))

    texts = ["".join(word() for _ in range(rng.integers(0, 10))) for _ in range(2000)]
    texts += [None, ""]
    arr = pa.array(texts)
    runs = pc.split_pattern_regex(pc.utf8_lower(arr.fill_null("")), r"[^\pL\pN\pM_]+")
    common = {w for ws in text_metrics.COMMON_WORDS.values() for w in ws}
    other = set(text_metrics.OTHER_WORDS)
    want = [sum((t in common) - (t in other) for t in ts) for ts in runs.to_pylist()]
    monkeypatch.setattr(text_metrics, "_STEP", 300)
    assert text_metrics._word_counts(arr)[2].tolist() == want
    # pinned edge cases (the regular expressions before read each the other way)
    assert in_lexicon_languages(["中文les 中文des the and"]).tolist() == [True]  # glued: no word
    assert in_lexicon_languages(["İS İT für und"]).tolist() == [True]  # İ reads as i
    assert in_lexicon_languages(["thiſ iſ les"]).tolist() == [False]  # ſ is not s
    assert in_lexicon_languages(["we're pour"]).tolist() == [True]  # "we" of "we're"


def test_near_duplicates_need_other_platform_same_client_within_window():
    text = "Our spring menu is here with three new pastries and a seasonal latte"
    texts = pd.Series([text, text + "!", text, "Completely different words about shoes", text])
    h = 3600 * 10**9
    groups = np.array([0, 0, 0, 0, 1])
    times = np.array([0, 2 * h, 60 * h, 61 * h, 0])  # third is 60 h after the first
    platforms = np.array([0, 1, 0, 1, 1])
    flags = near_duplicate_flags(texts, groups, times, platforms)
    assert flags.tolist() == [True, True, False, False, False]
    same_platform = near_duplicate_flags(texts[:2], groups[:2], times[:2], np.array([0, 0]))
    assert same_platform.tolist() == [False, False]


def test_near_duplicates_are_the_same_in_runs_of_any_size():
    rng = np.random.default_rng(3)
    words = np.array(["spring", "menu", "latte", "shoes", "sale", "team", "new", "today"])
    base = [" ".join(rng.choice(words, 8)) for _ in range(60)]
    # posts 2k and 2k + 1 are copies on two platforms, except in every third pair
    texts = pd.Series([base[i // 2] + ("!" if i % 2 else "") for i in range(120)])
    texts[1::6] = [f"unrelated words number {i}" for i in range(20)]
    groups = np.repeat(np.arange(6), 20)  # 6 clients; pairs of copies across platforms
    times = np.tile(np.arange(20) * 3600 * 10**9, 6)
    platforms = np.tile([0, 1], 60)
    one_run = near_duplicate_flags(texts, groups, times, platforms)
    assert 0 < one_run.sum() < 120
    for chunk in (1, 25, 41):  # a group per run; groups split at their edges only
        assert (near_duplicate_flags(texts, groups, times, platforms, chunk=chunk) == one_run).all()
    assert has_word(["Hi", "!!", None, "٣"]).tolist() == [True, False, False, True]


def test_has_word_settles_on_the_first_byte_as_the_search_would():
    # texts settled by an ASCII first byte and texts searched, in chunks, slices, nulls
    import pyarrow as pa

    from socialkit.metrics._arrow import regex_matches

    rng = np.random.default_rng(0)
    alphabet = [*"aZ9_ !#@.-\t", "é", "٣", "😀", "中", "\u200b", "ß", "Ⅻ", "²", "\u00a0"]
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 4))) for _ in range(5000)]
    texts = [None if rng.random() < 0.05 else t for t in texts]
    chunked = pa.chunked_array([pa.array(texts[:2000]), pa.array(texts[2000:])])
    for case in (texts, chunked, chunked.slice(1234, 3000), pa.array(texts).slice(17, 900)):
        assert np.array_equal(has_word(case), regex_matches(case, r"[\pL\pN_]"))


def test_benchmarks_have_sources_and_fall_back_to_all_industries():
    t = engagement_table()
    assert t["source"].notna().all() and (t["source"].str.len() > 10).all()
    assert engagement_benchmark("instagram", "health_beauty")["engagement_rate"] == 0.0014
    assert engagement_benchmark("instagram", "retail")["industry"] == "all_industries"
    assert engagement_benchmark("linkedin", "retail") is None  # no citable row
    share, _ = age_reach("instagram", ["25-34"])  # half 18-29 (0.78), half 30-49 (0.59)
    assert share == pytest.approx(0.685)
    assert age_reach("instagram", ["13-17"])[0] is None  # outside an adults' survey


# --- checks ------------------------------------------------------------------------------


def posts_frame(n, platform="instagram", start=None, every_hours=24.0, **cols):
    """``n`` posts, ``every_hours`` apart, ending before END."""
    start = start if start is not None else END - pd.Timedelta(hours=every_hours * n)
    frame = pd.DataFrame(
        {
            "platform": platform,
            "post_id": [f"{platform}-{start.value}-{i}" for i in range(n)],
            "published_at": [start + pd.Timedelta(hours=every_hours * i) for i in range(n)],
        }
    )
    for k, v in cols.items():
        frame[k] = v
    return frame


def check(profile=None, posts=None, followers=None, cid=None):
    client = Client.from_frames({"name": "T", **(profile or {})}, posts=posts, followers=followers)
    return diagnose(client, [cid], raise_errors=True)[cid]


def texts_with(k, n, hit, miss):
    return [hit if i < k else miss for i in range(n)]


@pytest.mark.parametrize(
    "k, expected",
    [
        # point 0.35 > 0.3 but Wilson low 0.26: inconclusive (not_assessable), never a plain ok
        (35, "not_assessable"),
        (41, "warn"),  # low 0.315
        (50, "warn"),  # point = the fail threshold, low 0.40
        (62, "fail"),  # low 0.52
    ],
)
def test_hard_sell_thresholds_and_ci_rule(k, expected):
    texts = texts_with(k, 100, "Shop now: 20% off today", "How to pot a fern, step by step")
    f = check(posts=posts_frame(100, text=texts), cid="content.hard_sell")
    assert f.status == expected, f.message
    ev = f.evidence[0]
    assert ev.value == k / 100 and ev.n == 100 and ev.ci[0] < k / 100 < ev.ci[1]


def test_hard_sell_not_assessable_without_text():
    f = check(posts=posts_frame(100), cid="content.hard_sell")
    assert f.status == "not_assessable" and "text" in f.needs


@pytest.mark.parametrize("k, expected", [(60, "ok"), (70, "ok"), (75, "warn")])
def test_self_focus(k, expected):
    # 70 % brand-centred has Wilson low 0.604 with n=100 → warn only above that
    texts = texts_with(k, 100, "We are proud of our team", "You will love your new garden")
    f = check(posts=posts_frame(100, text=texts), cid="content.self_focus")
    expected = "warn" if wilson_ci(k, 100)[0] > 0.6 else "ok"
    assert f.status == expected, f.message


@pytest.mark.parametrize("hits, expected", [(0, "ok"), (1, "warn"), (2, "fail")])
def test_virality_dependence(hits, expected):
    n = 40  # top 5 % = 2 posts
    reactions = [100] * n
    big = {0: 0, 1: 4000, 2: 4000}[hits]
    for i in range(hits):
        reactions[i] = big
    # hits=1: (4000 + 100) / (4000 + 3900) = 0.52 ; hits=2: 8000 / 11800 = 0.68 → need more
    if hits == 2:
        reactions[0] = reactions[1] = 9000  # 18000 / 21800 = 0.83
    f = check(posts=posts_frame(n, reactions=reactions), cid="kpi.virality_dependence")
    assert f.status == expected, f.message


def test_virality_needs_twenty_posts():
    f = check(posts=posts_frame(19, reactions=5), cid="kpi.virality_dependence")
    assert f.status == "not_assessable"


def test_hard_sell_only_judges_texts_the_lexicon_can_read():
    french = "Découvrez notre nouvelle collection pour vous, avec les couleurs de la saison"
    f = check(posts=posts_frame(40, text=[french] * 40), cid="content.hard_sell")
    assert f.status == "not_assessable" and "Only 0 of 40 post texts" in f.message, f.message
    # 30 English texts beside 10 French ones: judged on the 30 it can read
    texts = texts_with(20, 30, "Shop now: 20% off today", "How to pot a fern") + [french] * 10
    f = check(posts=posts_frame(40, text=texts), cid="content.hard_sell")
    assert f.status == "warn" and "20 of 30 posts" in f.message and f.evidence[0].n == 30


def test_cross_post_copies():
    base = [f"Post number {i} about topic {i * 7} with detail {i * 13}" for i in range(30)]
    ig = posts_frame(30, "instagram", text=base)
    fb = posts_frame(30, "facebook", text=base)  # same times, same texts → all copies
    fb["published_at"] += pd.Timedelta(hours=1)
    f = check(posts=pd.concat([ig, fb]), cid="platform.cross_post_copies")
    assert f.status == "fail" and f.evidence[0].value == 1.0
    other = [f"Different words entirely, variant {i} and {i * 3}" for i in range(30)]
    f = check(posts=pd.concat([ig, fb.assign(text=other)]), cid="platform.cross_post_copies")
    assert f.status == "ok"


def test_long_run_trend_falling_and_rising():
    n = 20 * 7  # 20 weeks of daily posts
    falling = np.linspace(200, 50, n).round().astype(int)
    f = check(posts=posts_frame(n, reactions=falling), cid="patience.long_run_trend")
    assert f.status == "fail", f.message
    # over the client's 19 weeks from first to last: 1.6x to 0.4x the median (125), not the
    # slope times the 104-week table width
    ev = {e.name: e for e in f.evidence}
    change = ev["change over the period (Theil–Sen)"]
    assert change.value == pytest.approx(-1.15, abs=0.05) and "19 weeks" in change.unit
    f = check(posts=posts_frame(n, reactions=falling[::-1]), cid="patience.long_run_trend")
    assert f.status == "ok" and "improving: keep going" in f.message.lower()
    f = check(posts=posts_frame(10 * 7, reactions=5), cid="patience.long_run_trend")
    assert f.status == "not_assessable"


def test_premature_abandonment():
    main = posts_frame(26 * 3, "instagram", every_hours=56)  # 26 weeks, 3 a week
    trial_start = END - pd.Timedelta(weeks=16)
    trial = posts_frame(6, "tiktok", start=trial_start, every_hours=7 * 24 / 2)  # 3 weeks
    f = check(posts=pd.concat([main, trial]), cid="patience.premature_abandonment")
    assert f.status == "warn" and "tiktok" in f.message
    long_trial = posts_frame(
        20, "tiktok", start=END - pd.Timedelta(weeks=20), every_hours=7 * 24 / 2
    )
    f = check(posts=pd.concat([main, long_trial]), cid="patience.premature_abandonment")
    assert f.status == "ok", f.message  # 9.5 weeks is a fair test


def test_irregular_cadence_when_the_posts_predate_the_weeks_counted():
    # posts in the first days of a window that the followers table stretches to 10 weeks:
    # every whole week counted is empty (no CV): a silence, not a crash
    posts = posts_frame(3, start=END - pd.Timedelta(days=68), every_hours=12)
    days = pd.date_range(END - pd.Timedelta(days=70), END - pd.Timedelta(days=1), freq="D")
    followers = pd.DataFrame({"platform": "instagram", "date": days.date, "followers": 500})
    f = check(posts=posts, followers=followers, cid="strategy.irregular_cadence")
    assert f.status == "warn" and "No posts in the last 9 whole weeks" in f.message, f.message


def _peer_profile(er, rate):
    return {
        "competitors": [
            {"name": "A", "platform": "instagram", "engagement_rate": er, "posts_per_week": rate},
            {"name": "B", "platform": "instagram", "engagement_rate": er, "posts_per_week": rate},
        ]
    }


@pytest.mark.parametrize(
    "peer_er, peer_rate, expected",
    [(0.01, 7, "ok"), (0.05, 7, "warn"), (0.05, 20, "fail")],
)
def test_peer_position(peer_er, peer_rate, expected):
    # the client: 1 % of 1,000 followers per post (10 ± 1 interactions), 7 posts a week
    posts = posts_frame(
        26 * 7, reactions=[9, 10, 11] * (26 * 7 // 3) + [10] * (26 * 7 % 3), followers=1000
    )
    f = check(_peer_profile(peer_er, peer_rate), posts, cid="market.peer_position")
    assert f.status == expected, f.message
    swot = [e for e in f.evidence if e.name.startswith("SWOT")]
    assert [e.name for e in swot] == [
        "SWOT: Strengths",
        "SWOT: Weaknesses",
        "SWOT: Opportunities",
        "SWOT: Threats",
    ]


def test_competitor_median_is_numpys():
    from socialkit.checks.market import _median

    rng = np.random.default_rng(12)
    for n in range(1, 8):
        for _ in range(50):
            xs = rng.choice([0.02, 0.013, 4, 7], n).tolist() + rng.random(n).tolist()
            assert _median(xs) == float(np.median(xs))
    assert np.isnan(_median([0.02, float("nan")]))


def test_peer_position_per_platform_when_platforms_interleave():
    # Instagram posts at 1 % and Facebook posts at 5 % of 1,000 followers, alternating in
    # time: Instagram's rate is that of its own posts, not of a run of mixed posts
    ig = posts_frame(26 * 3, "instagram", reactions=10, followers=1000, every_hours=56)
    fb = posts_frame(26 * 3, "facebook", reactions=50, followers=1000, every_hours=56)
    fb["published_at"] += pd.Timedelta(hours=1)
    f = check(_peer_profile(0.01, 3), pd.concat([ig, fb]), cid="market.peer_position")
    er = next(e for e in f.evidence if e.name == "engagement rate on instagram")
    assert er.value == pytest.approx(0.01) and er.n == 26 * 3
    assert er.ci == pytest.approx((0.01, 0.01))


def test_underperforming_against_the_benchmark():
    # Instagram benchmark (all industries) 0.47 %; client: 0.05 % → fail; 0.5 % → ok
    low = posts_frame(40, reactions=[4, 5, 6, 5] * 10, followers=10_000)
    f = check({"industry": "retail"}, low, cid="platform.underperforming")
    assert f.status == "fail", f.message
    assert any("Rival IQ" in str(e.value) for e in f.evidence)
    ok = posts_frame(40, reactions=[45, 50, 55, 50] * 10, followers=10_000)
    assert check({"industry": "retail"}, ok, cid="platform.underperforming").status == "ok"
    li = posts_frame(40, "linkedin", reactions=5, followers=10_000)
    assert check({}, li, cid="platform.underperforming").status == "not_assessable"
    # the same posts in 2017 are not held against a benchmark measured years later
    old = posts_frame(
        40,
        reactions=[4, 5, 6, 5] * 10,
        followers=10_000,
        start=pd.Timestamp("2017-06-01", tz="UTC"),
    )
    f = check({"industry": "retail"}, old, cid="platform.underperforming")
    assert f.status == "not_assessable" and "the posts from 2017" in f.message, f.message


def test_underused_format_needs_a_clear_lift():
    n = 100
    fmt = ["video" if i % 10 == 0 else "image" for i in range(n)]  # video 10 %
    rng = np.random.default_rng(0)
    base = rng.integers(40, 60, n)
    strong = np.where(np.array(fmt) == "video", base * 3, base)
    f = check(posts=posts_frame(n, format=fmt, reactions=strong), cid="content.underused_format")
    assert f.status == "warn" and "Video" in f.message
    weak = np.where(np.array(fmt) == "video", base * 1.1, base).round().astype(int)
    f = check(posts=posts_frame(n, format=fmt, reactions=weak), cid="content.underused_format")
    assert f.status == "ok"
    # 'other' (e.g. an X post with media: image or video?) is not a format to post more of;
    # when it clears the bar, some format is under-used but which is unknown: not 'ok' (the
    # real X export of @vayno: media posts 1.9×, CI 1.1–3.0, 8% of posts)
    other = ["other" if x == "video" else x for x in fmt]
    f = check(posts=posts_frame(n, format=other, reactions=strong), cid="content.underused_format")
    assert f.status == "not_assessable" and "format 'other' get" in f.message, f.message
    assert "`format` in posts.csv" in f.needs


def test_underused_format_whose_interval_reaches_1_is_inconclusive_not_ok():
    # video 10 % of posts, 1.9x on average from two hits, 95% CI 0.9-3.4: past the bar in
    # the estimate, not in its interval (checks._judge); it said 'ok: No format ... is
    # under-used. Video looks better (1.9x) but its 95% CI (0.9-3.4) includes 1.'
    n = 100
    fmt = ["video" if i % 10 == 0 else "image" for i in range(n)]
    reactions = np.full(n, 50)
    reactions[np.array(fmt) == "video"] = [40, 45, 50, 40, 45, 50, 40, 45, 300, 300]
    f = check(posts=posts_frame(n, format=fmt, reactions=reactions), cid="content.underused_format")
    assert f.status == "not_assessable" and f.message.startswith("Inconclusive: Video"), f.message
    assert "more video posts" in f.needs


def test_timing_flags_posting_in_the_worst_slots():
    rng = np.random.default_rng(1)
    rows = []
    for w in range(20):
        monday = pd.Timestamp("2026-02-09", tz="UTC") + pd.Timedelta(weeks=w)
        for d in range(7):
            day = monday + pd.Timedelta(days=d)
            rows.append((day + pd.Timedelta(hours=9), 200))  # 09 UTC: good slot, rarely used
            rows += [(day + pd.Timedelta(hours=h), 20) for h in (1, 2, 22)]  # bad slots
    rows = [r for i, r in enumerate(rows) if not (r[1] == 200 and i % 3)]  # thin the good
    frame = pd.DataFrame(rows, columns=["published_at", "reactions"])
    frame["reactions"] += rng.integers(0, 5, len(frame))
    frame["platform"] = "instagram"
    frame["post_id"] = [f"t{i}" for i in range(len(frame))]
    f = check(posts=frame, cid="content.timing")
    assert f.status == "warn", f.message
    frame["reactions"] = rng.integers(20, 30, len(frame))
    assert check(posts=frame, cid="content.timing").status == "ok"


def test_timing_leaves_out_posts_whose_export_has_no_time_of_day():
    # instagram posts at a good and a bad slot; YouTube videos from a date-only export, all
    # placed at 00:00 UTC with high engagement: they must not make midnight the best slot
    rows = []
    for d in range(60):
        day = pd.Timestamp("2026-02-16", tz="UTC") + pd.Timedelta(days=d)
        rows += [
            ("instagram", day + pd.Timedelta(hours=9, minutes=13), 200),
            ("instagram", day + pd.Timedelta(hours=21, minutes=40), 20),
            ("youtube", day, 5000),
        ]
    frame = pd.DataFrame(rows, columns=["platform", "published_at", "reactions"])
    frame["post_id"] = [f"t{i}" for i in range(len(frame))]
    ev = {e.name: e.value for e in check(posts=frame, cid="content.timing").evidence}
    assert ev["posts left out: their export gives a date without a time of day"] == 60
    assert "00–04" not in ev["best time blocks"], ev
    assert ev["best time blocks"].split(", ")[0].endswith("08–12"), ev


@pytest.mark.parametrize(
    "profile, best",
    [
        ({}, "12–16"),  # 09:30 in New York is 13:30 or 14:30 UTC
        ({"timezone": "America/New_York"}, "08–12"),
        ({"audience": {"regions": ["US"]}}, "12–16"),  # several zones: UTC
        ({"audience": {"regions": ["JP"]}}, "20–24"),  # 09:30 in New York, 22:30/23:30 in Tokyo
    ],
)
def test_timing_reads_the_slots_on_the_clients_clock(profile, best):
    # good posts at 09:30 New York time, across the March DST change; poor ones at 01:30
    rows = []
    for d in range(0, 70, 1):
        day = pd.Timestamp("2026-02-16 09:30", tz="America/New_York") + pd.Timedelta(days=d)
        rows += [
            (day.tz_convert("UTC"), 200),
            ((day - pd.Timedelta(hours=8)).tz_convert("UTC"), 20),
        ]
    frame = pd.DataFrame(rows, columns=["published_at", "reactions"])
    frame["platform"] = "instagram"
    frame["post_id"] = [f"t{i}" for i in range(len(frame))]
    f = check(profile, posts=frame, cid="content.timing")
    ev = {e.name: e.value for e in f.evidence}
    assert ev["best time blocks"].split(", ")[0].endswith(best), ev
    zone = profile.get("timezone") or (
        "Asia/Tokyo" if profile.get("audience", {}).get("regions") == ["JP"] else "UTC"
    )
    assert ev["clock of the time blocks"].startswith(zone)


def test_quantity_over_quality():
    n = 12 * 7
    followers = np.linspace(10_000, 14_000, n).round().astype(int)  # +40 %
    reactions = np.linspace(300, 100, n).round().astype(int)
    f = check(
        posts=posts_frame(n, reactions=reactions, followers=followers),
        cid="kpi.quantity_over_quality",
    )
    assert f.status == "fail", f.message
    steady = (followers * 0.02).round().astype(int)
    f = check(
        posts=posts_frame(n, reactions=steady, followers=followers), cid="kpi.quantity_over_quality"
    )
    assert f.status == "ok", f.message


def test_quantity_over_quality_on_more_weeks_than_its_table_holds():
    # 200 weekly posts, the weekly table holds 156 weeks: the older posts were counted in
    # the next client's weeks, and past the last client's row (an internal error)
    cid = "kpi.quantity_over_quality"
    followers = np.r_[np.full(100, 10_000), np.full(100, 14_000)]
    long = posts_frame(200, every_hours=24 * 7, reactions=100, followers=followers)
    f = check(posts=long, cid=cid)
    assert f.status == "warn" and "jumped 40%" in f.message, f.message
    # next to it in a batch, a client's own weeks stay its own
    n = 84
    rising = np.r_[np.full(42, 100), np.full(42, 300)]
    grew = np.r_[np.full(42, 10_000), np.full(42, 13_000)]
    short = posts_frame(n, reactions=rising, followers=grew)
    alone = check(posts=short, cid=cid)
    clients = [Client.from_frames({"name": k}, posts=p) for k, p in (("L", long), ("S", short))]
    together = run_batch(Batch.from_clients(clients), [cid], raise_errors=True)[1][0]
    assert [(e.name, e.value) for e in together.evidence] == [
        (e.name, e.value) for e in alone.evidence
    ]
    assert together.status == alone.status == "ok"


def test_silent_majority():
    posts = posts_frame(30, reactions=2, comments=1, clicks=100)
    f = check({"kpis": ["comments", "likes"]}, posts, cid="kpi.silent_majority")
    assert f.status == "warn"
    f = check({"kpis": ["comments", "clicks"]}, posts, cid="kpi.silent_majority")
    assert f.status == "ok" and "more than interactions (clicks)" in f.message
    few = posts_frame(30, reactions=20, comments=10, clicks=100)  # 3.3 per interaction
    assert check({"kpis": ["comments"]}, few, cid="kpi.silent_majority").status == "ok"


def test_audience_mismatch():
    # ages 35-44 → Pew 30-49: facebook .75, instagram .59, linkedin .40, tiktok .39
    prof = {"audience": {"age": ["35-44"]}}
    low = pd.concat([posts_frame(30, "tiktok"), posts_frame(30, "linkedin")])
    assert check(prof, low, cid="platform.audience_mismatch").status == "fail"
    high = pd.concat([posts_frame(30, "facebook"), posts_frame(30, "instagram")])
    assert check(prof, high, cid="platform.audience_mismatch").status == "ok"
    yt = pd.concat([posts_frame(42, "youtube"), posts_frame(18, "instagram")])
    f = check(prof, yt, cid="platform.audience_mismatch")  # youtube 30-49 not in the table
    assert f.status == "not_assessable" and "youtube" in f.needs
    # a British audience: same verdict, said to rest on a US survey
    gb = {"audience": {"age": ["35-44"], "regions": ["GB"]}}
    f = check(gb, low, cid="platform.audience_mismatch")
    assert f.status == "fail" and "a US survey, read as a proxy for GB" in f.message
    assert (
        "proxy"
        not in check(
            {"audience": {"age": ["35-44"], "regions": ["US"]}},
            low,
            cid="platform.audience_mismatch",
        ).message
    )


def test_low_amplification_is_not_assessable_without_a_sourced_benchmark():
    f = check(posts=posts_frame(30, shares=3, followers=1000), cid="advocacy.low_amplification")
    assert f.status == "not_assessable"
    assert f.evidence[0].value == pytest.approx(3.0)  # 3 shares per 1,000 followers


def test_every_check_copes_with_no_posts():
    client = Client.from_frames({"name": "Empty"})
    d = diagnose(client, raise_errors=True)
    assert {f.status for f in d.findings} <= {"not_assessable", "ok"}


# --- batch ---------------------------------------------------------------------------------


def test_all_clients_at_once_equals_one_at_a_time(demo_dir):
    from socialkit import load_client

    together = diagnose_all(demo_dir, raise_errors=True)["diagnoses"]
    for key, d in together.items():
        alone = diagnose(load_client(demo_dir / key), raise_errors=True)
        assert [f.to_dict() for f in d.findings] == [f.to_dict() for f in alone.findings], key


def test_one_broken_client_does_not_take_the_batch_down(monkeypatch):
    from socialkit.checks import _registry

    good = Client.from_frames({"name": "Good"}, posts=posts_frame(30, text="Shop now"))
    bad = Client.from_frames({"name": "Bad"}, posts=posts_frame(30, text="Hello there"))
    real = _registry._CHECKS["content.hard_sell"]

    def flaky(batch, t):
        if any(m.name == "Bad" for m in batch.meta):
            raise RuntimeError("boom")
        return real(batch, t)

    monkeypatch.setitem(_registry._CHECKS, "content.hard_sell", flaky)
    out = run_batch(Batch.from_clients([good, bad]), ["content.hard_sell"])
    assert out[0][0].status == "fail"
    assert out[1][0].status == "not_assessable" and "boom" in out[1][0].message


def test_thresholds_from_client_yaml_apply_per_client():
    posts = posts_frame(100, text=texts_with(25, 100, "Shop now: 20% off", "A gardening tip"))
    strict = Client.from_frames(
        {"name": "Strict", "thresholds": {"content.hard_sell.warn": 0.1}}, posts=posts
    )
    lax = Client.from_frames({"name": "Lax"}, posts=posts)
    out = run_batch(Batch.from_clients([strict, lax]), ["content.hard_sell"])
    assert [o[0].status for o in out] == ["warn", "ok"]
    echoed = {e.name: e.value for e in out[0][0].evidence if e.kind == "threshold"}
    assert echoed["threshold warn"] == 0.1


def test_every_catalogue_check_is_implemented():
    from socialkit.checks import registered

    assert set(CATALOGUE) - set(registered()) == set()


@pytest.mark.parametrize("q", [0.005, 0.025, 0.05, 0.1])
def test_binomial_quantile_is_scipys_without_importing_scipy_stats(q):
    # tail quantiles, as the median's interval asks (at q = 0.5 an exact tie of the
    # cdf with q may round either way)
    n = np.arange(0, 5001)
    for p in (0.5, 0.2):
        expected = np.nan_to_num(stats.binom.ppf(q, n, p), nan=0).astype(np.int64)
        assert np.array_equal(binom_ppf(q, n, p), expected), (q, p)


def test_evidence_to_dict_carries_every_field_as_json():
    import dataclasses
    import json

    import numpy as np

    from socialkit.findings import Evidence

    e = Evidence("share", np.float64(0.123456789), "share of posts", 40, (np.float64(0.1), 0.2))
    d = e.to_dict()
    assert list(d) == [f.name for f in dataclasses.fields(Evidence)]  # a new field is not lost
    assert d["value"] == 0.123457 and d["ci"] == [0.1, 0.2] and d["kind"] == "metric"
    assert json.loads(json.dumps(d)) == d
    assert Evidence("x", float("nan")).to_dict()["value"] is None


def test_checks_on_a_second_thread_give_the_same_findings_and_raise_their_errors(monkeypatch):
    from socialkit.checks import _registry

    texts = texts_with(20, 60, "Shop now: 20% off", "A gardening tip")
    clients = [
        Client.from_frames(
            {"name": f"C{k}", "thresholds": {"content.hard_sell.warn": 0.1 * k}},
            posts=posts_frame(60, text=texts, platform=["instagram", "facebook"] * 30),
        )
        for k in range(1, 4)
    ]  # two threshold groups for one check: the background check runs on subsets too
    ids = ["platform.cross_post_copies", "content.hard_sell", "kpi.virality_dependence"]
    ids += ["platform.underperforming", "market.peer_position", "content.timing"]
    monkeypatch.setattr(_registry, "_BACKGROUND_POSTS", 10**9)
    alone = run_batch(Batch.from_clients(clients), ids)
    monkeypatch.setattr(_registry, "_BACKGROUND_POSTS", 0)
    behind = run_batch(Batch.from_clients(clients), ids)
    assert [[f.to_dict() for f in c] for c in behind] == [[f.to_dict() for f in c] for c in alone]
    assert [f.check for f in behind[0]] == ids
    assert any(f.status != "not_assessable" for c in behind for f in c[:1])

    def boom(batch, t):
        raise RuntimeError("boom on the second thread")

    monkeypatch.setitem(_registry._CHECKS, "platform.cross_post_copies", boom)
    with pytest.raises(RuntimeError, match="second thread"):
        run_batch(Batch.from_clients(clients), ids, raise_errors=True)
    out = run_batch(Batch.from_clients(clients), ids)
    assert all(c[0].status == "not_assessable" and "boom" in c[0].message for c in out)


def test_the_first_thread_done_takes_the_second_threads_last_checks(monkeypatch):
    import threading
    import time

    from socialkit.checks import _registry

    clients = [Client.from_frames({"name": "C"}, posts=posts_frame(60, reactions=5))]
    ran = {}
    check = _registry._run_check

    def timed(cid, batch, raise_errors):
        ran[cid] = threading.current_thread() is threading.main_thread()
        if cid == "platform.cross_post_copies":
            time.sleep(1.0)  # the long check, first behind
        return check(cid, batch, raise_errors)

    monkeypatch.setattr(_registry, "_BACKGROUND_POSTS", 0)
    monkeypatch.setattr(_registry, "_run_check", timed)
    ids = ["kpi.vanity_only", "platform.cross_post_copies", "kpi.virality_dependence"]
    ids += ["platform.underperforming", "market.peer_position"]
    found = run_batch(Batch.from_clients(clients), ids)
    assert [f.check for f in found[0]] == ids
    assert ran["kpi.vanity_only"] and not ran["platform.cross_post_copies"]
    # while the copies ran behind, the first thread took the other background checks
    assert ran["market.peer_position"] and ran["platform.underperforming"]
