"""Workshop self-checks: right answers pass, typical slips get the hint that names them."""

import pytest

from socialkit import diagnose, load_client, workshop


@pytest.fixture(scope="module")
def brand(demo_dir):
    return load_client(demo_dir / "brightline-electronics")


@pytest.fixture(autouse=True)
def fresh_score():
    workshop.reset()
    yield
    workshop.reset()


def _ev(d, check, name):
    return next(e.value for e in d[check].evidence if e.name == name)


def test_unanswered_is_neither_right_nor_wrong_and_is_not_scored(brand):
    r = workshop.check("promotional_share", None, brand)
    assert r.ok is None and not r and "not answered yet" in r.message
    assert workshop.score() == {}


def test_unknown_exercise_lists_the_known_ones(brand):
    with pytest.raises(KeyError, match="dominant_format"):
        workshop.check("no_such_exercise", 1, brand)


def test_a_share_given_as_a_percent_gets_the_percent_hint(brand):
    d = diagnose(brand)
    share = _ev(d, "content.hard_sell", "share of posts with text that are flagged")
    assert workshop.check("promotional_share", share, brand)
    wrong = workshop.check("promotional_share", share * 100, brand)
    assert not wrong and "percentage" in wrong.hints[0]
    assert workshop.score() == {"promotional_share": False}  # the last answer counts


def test_a_mean_for_a_median_and_minutes_for_hours_are_named(brand):
    from socialkit.metrics.conversation import reply_threads

    median = _ev(diagnose(brand), "conversation.slow_response", "median first response time")
    assert workshop.check("median_reply_hours", median, brand)
    mean = reply_threads(brand.comments)["response_hours"].mean()
    assert abs(mean - median) > 1  # the slip is a different number here
    assert "mean" in workshop.check("median_reply_hours", mean, brand).hints[0]
    assert "minutes" in workshop.check("median_reply_hours", median * 60, brand).hints[0]


def test_a_raw_rate_comparison_gets_the_ratio_hint(brand):
    right = workshop.check("weakest_platform", "instagram", brand)
    raw = workshop.check("weakest_platform", "x", brand)
    assert right and not raw
    assert "own benchmark" in raw.hints[0]


def test_counting_every_negative_comment_gets_a_hint_and_a_wrong_type_gets_the_general_one(brand):
    d = diagnose(brand)
    n = next(
        e.n
        for e in d["conversation.ignored_negative"].evidence
        if e.name.startswith("reply rate, negative")
    )
    assert "every judged negative" in workshop.check("unanswered_negative", n, brand).hints[0]
    r = workshop.check("unanswered_negative", "lots", brand)
    assert not r and r.hints == [workshop.EXERCISES["unanswered_negative"].hint]


def test_top_problems_names_what_was_left_out(brand):
    top = [f.check for f in diagnose(brand).top(3)]
    assert workshop.check("top_problems", list(reversed(top)), brand)  # order does not matter
    r = workshop.check("top_problems", top[:2], brand)
    assert not r and top[2] in r.hints[0]


def test_a_recommendation_must_cite_the_brands_own_numbers(brand):
    assert workshop.recommendation("Post less hard sell and more help.", brand).ok is False
    r = workshop.recommendation("75% of posts sell: cut that to one in five.", brand)
    assert r and "75" in r.message
    assert workshop.recommendation("  ", brand).ok is None


def test_the_result_shows_itself_as_html_with_its_hints(brand):
    html = workshop.check("vanity_kpis", ["sales", "clicks", "followers"], brand)._repr_html_()
    assert "not quite" in html and "<li>Not every KPI is a vanity metric" in html
