"""The human-number formatting module: one way to write a share, a count, a duration."""

import math

import pytest

from socialkit import fmt


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (100.87, "about 4 days"),
        (0.5, "30 minutes"),
        (1, "1 hour"),
        (30.2, "30 hours"),
        (24 * 21, "3 weeks"),
        (float("nan"), "—"),
    ],
)
def test_durations_read_as_a_person_says_them(hours, text):
    assert fmt.duration(hours) == text


def test_counts_plurals_and_shares():
    assert fmt.count(101546) == "101,546" and fmt.count(1676) == "1,676"
    assert fmt.plural(1, "week") == "1 week" and fmt.plural(1, "item") == "1 item"
    assert fmt.plural(2, "reply") == "2 replies" and fmt.plural(3, "post") == "3 posts"
    assert fmt.plural(1.0, "post") == "1 post"
    assert fmt.pct(0.4567) == "46%" and fmt.pct(0.00522) == "0.5%" and fmt.pct(0) == "0%"
    assert fmt.pct(None) == "—" and fmt.pct(math.nan) == "—"


def test_platform_names_and_ratios():
    assert [fmt.platform_name(p) for p in ("tiktok", "x", "linkedin", "youtube", "twitter")] == [
        "TikTok",
        "X",
        "LinkedIn",
        "YouTube",
        "X",
    ]
    assert fmt.platforms(["instagram", "x", "youtube"]) == "Instagram, X and YouTube"
    assert fmt.ratio(1.39, "the benchmark") == "1.4× the benchmark"
    assert fmt.change(112, 100) == ("▲", "+12%")
    assert fmt.change(80, 100) == ("▼", "-20%")
    assert fmt.change(5, None) == ("", "")


def test_evidence_values_drop_type_labels_and_read_shares_as_percentages():
    assert fmt.evidence_value("followers, likes", "names") == "followers, likes"
    assert fmt.evidence_value("the competitors", "text") == "the competitors"
    assert fmt.evidence_value(0.478, "share of posts") == "48% (share of posts)"
    assert fmt.evidence_value(0.00522, "interactions ÷ followers").startswith("0.52%")
    assert fmt.evidence_value(100.87, "hours") == "about 4 days (101 hours)"
    assert fmt.evidence_value(101546, "posts") == "101,546 posts"
    assert fmt.evidence_value(1.74, "× benchmark") == "1.7× benchmark"
