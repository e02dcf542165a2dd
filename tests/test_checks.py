"""The six implemented checks at, just below and just above their thresholds."""

import pytest

from socialkit import diagnose
from socialkit.checks import CATALOGUE, registered
from socialkit.checks.catalogue import threshold_keys
from socialkit.metrics import coefficient_of_variation, normalized_entropy

FOUNDATIONS_ALL = {
    "tone_of_voice": True,
    "content_calendar": True,
    "response_policy": True,
    "kpi_review": "monthly",
    "trained_staff": True,
}


def status(client, check):
    return diagnose(client, [check], raise_errors=True).findings[0]


# --- registry and contract ---------------------------------------------------------------


def test_every_catalogue_id_appears_once_and_unimplemented_are_not_assessable(client_with):
    d = diagnose(client_with(), raise_errors=True)
    assert sorted(d.ids) == sorted(CATALOGUE) and len(d.ids) == len(set(d.ids)) == 25
    for f in d.findings:
        if f.check not in registered():
            assert f.status == "not_assessable" and f.message == "Not implemented yet."
            assert f.needs


def test_the_six_foundation_checks_are_registered():
    assert {
        "kpi.vanity_only",
        "strategy.missing_foundations",
        "patience.window_too_short",
        "content.low_variety",
        "strategy.irregular_cadence",
        "platform.dilution",
    } <= set(registered())


def test_check_error_becomes_not_assessable_not_a_crash(client_with, monkeypatch):
    from socialkit.checks import _registry

    def boom(client, t):
        raise RuntimeError("kaboom")

    monkeypatch.setitem(_registry._CHECKS, "kpi.vanity_only", boom)
    f = diagnose(client_with(), ["kpi.vanity_only"]).findings[0]
    assert f.status == "not_assessable" and "kaboom" in f.message
    with pytest.raises(RuntimeError):
        diagnose(client_with(), ["kpi.vanity_only"], raise_errors=True)


def test_thresholds_are_echoed_in_evidence(client_with):
    f = status(client_with({"evaluation_weeks": 10}), "patience.window_too_short")
    echoed = {e.name: e.value for e in f.evidence if e.kind == "threshold"}
    assert echoed == {"threshold fail": 8, "threshold warn": 12}


def test_ranking_puts_fail_first(client_with):
    d = diagnose(client_with({"evaluation_weeks": 2, "kpis": ["followers"]}), raise_errors=True)
    assert [f.status for f in d.findings[:2]] == ["fail", "fail"]
    sev = [f.severity for f in d.findings]
    assert sev == sorted(sev, reverse=True)


def test_every_threshold_key_is_overridable():
    keys = threshold_keys()
    assert "content.hard_sell.warn" in keys and keys["content.low_variety.fail"] == 0.95


# --- patience.window_too_short -------------------------------------------------------------


@pytest.mark.parametrize(
    "weeks, expected",
    [(4, "fail"), (7.9, "fail"), (8, "warn"), (11.9, "warn"), (12, "ok"), (52, "ok")],
)
def test_window_too_short(client_with, weeks, expected):
    assert (
        status(client_with({"evaluation_weeks": weeks}), "patience.window_too_short").status
        == expected
    )


def test_window_not_assessable_without_evaluation_weeks(client_with):
    f = status(client_with(), "patience.window_too_short")
    assert f.status == "not_assessable" and "evaluation_weeks" in f.needs


# --- kpi.vanity_only -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "kpis, objective, expected",
    [
        (["followers", "likes", "impressions", "reach", "views"], None, "fail"),
        (["followers"], "sales", "fail"),
        (["followers", "engagement_rate"], "awareness", "ok"),
        (["followers", "engagement_rate"], "sales", "warn"),
        (["followers", "engagement_rate"], "traffic", "warn"),
        (["followers", "clicks"], "traffic", "ok"),
        (["reach", "conversions"], "leads", "ok"),
        (["followers", "CTR"], "traffic", "fail"),  # unknown names are not counted either way
    ],
)
def test_vanity_only(client_with, kpis, objective, expected):
    prof = {"kpis": kpis} | ({"objective": objective} if objective else {})
    assert status(client_with(prof), "kpi.vanity_only").status == expected


@pytest.mark.parametrize("kpis", [None, [], ["CTR", "ROI"]])
def test_vanity_only_not_assessable(client_with, kpis):
    prof = {} if kpis is None else {"kpis": kpis}
    assert status(client_with(prof), "kpi.vanity_only").status == "not_assessable"


# --- strategy.missing_foundations ----------------------------------------------------------


@pytest.mark.parametrize(
    "missing, expected", [(0, "ok"), (1, "ok"), (2, "warn"), (3, "warn"), (4, "fail"), (5, "fail")]
)
def test_missing_foundations(client_with, missing, expected):
    found = dict(FOUNDATIONS_ALL)
    for key in list(found)[:missing]:
        found[key] = "none" if key == "kpi_review" else False
    f = status(client_with({"foundations": found}), "strategy.missing_foundations")
    assert f.status == expected
    assert f.evidence[0].value == missing


def test_missing_foundations_with_unstated_items(client_with):
    one_missing_one_unknown = {
        "tone_of_voice": False,
        "content_calendar": True,
        "response_policy": True,
        "kpi_review": "weekly",
    }
    f = status(
        client_with({"foundations": one_missing_one_unknown}), "strategy.missing_foundations"
    )
    assert f.status == "not_assessable" and "trained_staff" in f.needs
    none_missing_one_unknown = {**one_missing_one_unknown, "tone_of_voice": True}
    assert (
        status(
            client_with({"foundations": none_missing_one_unknown}), "strategy.missing_foundations"
        ).status
        == "ok"
    )
    assert status(client_with(), "strategy.missing_foundations").status == "not_assessable"


# --- content.low_variety -------------------------------------------------------------------


def _formats(**counts):
    return [f for f, n in counts.items() for _ in range(n)]


@pytest.mark.parametrize(
    "mix, expected",
    [
        (dict(image=16, video=4), "ok"),  # top share 0.80: at the warn threshold
        (dict(image=17, video=3), "warn"),  # 0.85
        (dict(image=90, video=10), "warn"),  # 0.90, entropy 0.47
        (dict(image=96, video=4), "fail"),  # 0.96
        (dict(image=20), "fail"),  # one format
        (dict(image=10, video=5, carousel=5), "ok"),
    ],
)
def test_low_variety(client_with, mix, expected):
    fmts = _formats(**mix)
    c = client_with(weekly={"instagram": [len(fmts)]}, formats=fmts)
    assert status(c, "content.low_variety").status == expected


def test_low_variety_entropy_rule_and_override(client_with):
    fmts = _formats(image=90, video=10)  # entropy 0.469
    c = client_with(
        {"thresholds": {"content.low_variety.entropy": 0.5}},
        weekly={"instagram": [100]},
        formats=fmts,
    )
    assert status(c, "content.low_variety").status == "fail"


def test_low_variety_suggests_formats_the_platforms_offer(client_with):
    # all text on X: video and image, not carousels (X has none)
    f = status(client_with(weekly={"x": [30]}, formats=["text"]), "content.low_variety")
    assert f.status == "fail" and "Bring video and image" in f.recommendation, f.recommendation
    f = status(client_with(weekly={"youtube": [30]}, formats=["video"]), "content.low_variety")
    assert "Bring live into the mix" in f.recommendation, f.recommendation


@pytest.mark.parametrize(
    "mix, expected, said",
    [
        # an X export: half the tweets text, half with media it does not name ("other").
        # Left out of the shares, they made it "100% of your 30 posts are text": a fail
        (dict(text=30, other=30), "ok", "no format is over 50% of your 60 posts"),
        # media posts are not text; posts without a format might be
        (dict(image=85, blank=15), "warn", "At least 85% of your 100 posts are image"),
        (dict(image=97, other=3), "fail", "At least 97% of your 100 posts are image"),
        (dict(text=70, blank=30), "not_assessable", "the most used format is 70%–100%"),
        (dict(text=70, other=30), "ok", "no format is over 70% of your 100 posts"),
    ],
)
def test_low_variety_counts_posts_of_unknown_format(client_with, mix, expected, said):
    fmts = [None if f == "blank" else f for f in _formats(**mix)]
    c = client_with(weekly={"x": [len(fmts)]}, formats=fmts)
    f = status(c, "content.low_variety")
    assert f.status == expected and said in f.message, f.message


def test_low_variety_needs_twenty_posts(client_with):
    c = client_with(weekly={"instagram": [19]}, formats=["image"])
    f = status(c, "content.low_variety")
    assert f.status == "not_assessable" and "20" in f.needs


def test_normalized_entropy_values():
    assert normalized_entropy([0.5, 0.5]) == pytest.approx(1.0)
    assert normalized_entropy([0.9, 0.1]) == pytest.approx(0.469, abs=1e-3)
    assert normalized_entropy([1, 0, 0]) == 0.0


# --- strategy.irregular_cadence ------------------------------------------------------------


def test_cv_metric():
    assert coefficient_of_variation([2, 2, 2]) == 0
    assert coefficient_of_variation([4, 0, 4, 0]) == pytest.approx(1.0)
    assert coefficient_of_variation([6, 0, 0, 0]) == pytest.approx(3**0.5)


@pytest.mark.parametrize(
    "counts, overrides, expected",
    [
        ([3] * 10, {}, "ok"),
        ([4, 0] * 5, {}, "ok"),  # CV exactly 1.0
        ([4, 0] * 5, {"strategy.irregular_cadence.warn": 0.99}, "warn"),  # just above warn
        ([5, 0, 0, 5, 0, 0, 5, 0, 0, 5], {}, "warn"),  # CV 1.22
        ([6, 0, 0, 0, 6, 0, 0, 0, 6, 0], {}, "fail"),  # CV 1.53
        ([3, 3, 3, 0, 0, 0, 3, 3, 3, 3], {}, "warn"),  # CV 0.65 but a 22-day gap
    ],
)
def test_irregular_cadence(client_with, counts, overrides, expected):
    c = client_with({"thresholds": overrides} if overrides else {}, weekly={"instagram": counts})
    f = status(c, "strategy.irregular_cadence")
    assert f.status == expected, f.message


def test_irregular_cadence_needs_eight_weeks(client_with):
    assert (
        status(client_with(weekly={"instagram": [3] * 7}), "strategy.irregular_cadence").status
        == "not_assessable"
    )
    assert (
        status(client_with(weekly={"instagram": [3] * 8}), "strategy.irregular_cadence").status
        == "ok"
    )


# --- platform.dilution ---------------------------------------------------------------------


def _weekly(rate_posts_in_13_weeks):
    """13 weekly counts that add up to the given number of posts."""
    n = rate_posts_in_13_weeks
    return [n // 13 + (1 if i < n % 13 else 0) for i in range(13)]


@pytest.mark.parametrize(
    "posts_per_platform, expected",
    [
        ({"instagram": 39, "facebook": 39}, "ok"),
        ({p: 19 for p in ("instagram", "facebook", "x", "linkedin")}, "fail"),  # 1.46/week each
        ({p: 19 for p in ("instagram", "facebook", "x")}, "ok"),  # three thin: fine
        ({"instagram": 26, "facebook": 19, "x": 19, "linkedin": 19}, "ok"),  # 2.0/wk is not thin
        ({"instagram": 26, "facebook": 13, "x": 13}, "ok"),  # 1.0/wk is enough
        ({"instagram": 26, "facebook": 12}, "warn"),  # 0.92/wk
        ({p: 12 for p in ("instagram", "facebook", "x", "linkedin", "tiktok")}, "fail"),
    ],
)
def test_dilution(client_with, posts_per_platform, expected):
    weekly = {p: _weekly(n) for p, n in posts_per_platform.items()}
    f = status(client_with(weekly=weekly), "platform.dilution")
    assert f.status == expected, f.message


def test_dilution_advice_fits_the_platforms(client_with):
    f = status(client_with(weekly={"instagram": _weekly(26), "facebook": _weekly(12)}),
               "platform.dilution")  # fmt: skip
    assert "move the effort to Instagram" in f.recommendation
    # the only platform is the starved one: no advice to move effort to itself
    f = status(client_with(weekly={"youtube": _weekly(6)}), "platform.dilution")
    assert f.status == "warn" and "move the effort" not in f.recommendation, f.recommendation


def test_dilution_keeps_the_declared_platforms_among_equals(client_with):
    weekly = {p: _weekly(12) for p in ("youtube", "tiktok", "instagram", "facebook")}
    c = client_with({"platforms": ["instagram", "facebook", "tiktok", "youtube"]}, weekly=weekly)
    f = status(c, "platform.dilution")
    assert f.status == "fail" and "(e.g. Instagram and Facebook)" in f.recommendation, (
        f.recommendation
    )


def test_dilution_needs_four_weeks(client_with):
    f = status(client_with(weekly={"instagram": [3, 3, 3]}), "platform.dilution")
    assert f.status == "not_assessable"
