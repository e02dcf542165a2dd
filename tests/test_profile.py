import pytest

from socialkit.profile import ProfileError, parse_profile, read_profile


def test_minimal_profile():
    p = parse_profile({"name": "Harbour Bakery"})
    assert p.name == "Harbour Bakery" and p.kpis is None and p.thresholds == {}


@pytest.mark.parametrize(
    "data, fragment",
    [
        ({"name": "A", "objectve": "sales"}, "unknown key 'objectve' (did you mean 'objective'?)"),
        ({"name": "A", "objective": "fame"}, "awareness, engagement, traffic"),
        ({"name": "A", "platforms": ["instagram", "myspace"]}, "platforms[1]"),
        ({"name": "A", "evaluation_weeks": "four"}, "a number"),
        ({"name": "A", "evaluation_weeks": True}, "a number"),
        ({"name": "A", "foundations": {"kpi_review": "yearly"}}, "none, monthly, weekly"),
        ({"name": "A", "foundations": {"tone": True}}, "allowed keys: tone_of_voice"),
        ({"name": "A", "foundations": {"trained_staff": "yes"}}, "true or false"),
        ({"name": "A", "audience": {"age": ["20-30"]}}, "18-24, 25-34"),
        (
            {"name": "A", "competitors": [{"name": "B", "followers": -3}]},
            "competitors[0].followers",
        ),
        ({"name": "A", "competitors": [{"name": "B", "engagement_rate": 2}]}, "between 0"),
        ({"name": "A", "strategy_start": "March"}, "a date such as"),
        (
            {"name": "A", "thresholds": {"content.low_variety.wran": 0.5}},
            "content.low_variety.warn",
        ),
        ({"name": "A", "thresholds": {"nope.x": 0.5}}, "check id from the catalogue"),
        ({"name": "A", "timezone": "London"}, "an IANA time zone such as Europe/London"),
        ({"name": "A", "timezone": 1}, "key 'timezone'"),
        ({"objective": "sales"}, "'name' is required"),
        (None, "empty"),
    ],
)
def test_errors_name_the_key_and_what_is_allowed(data, fragment):
    with pytest.raises(ProfileError) as exc:
        parse_profile(data, "client.yaml")
    assert fragment in str(exc.value)
    assert "client.yaml" in str(exc.value)


def test_timezone_is_kept():
    assert parse_profile({"name": "A", "timezone": "America/Sao_Paulo"}).timezone == (
        "America/Sao_Paulo"
    )


def test_unknown_kpi_is_a_warning_with_suggestion():
    p = parse_profile({"name": "A", "kpis": ["CTR", "Followers", "engagment_rate"]})
    assert p.kpis == ["CTR", "followers", "engagment_rate"]
    assert p.unknown_kpis == ["CTR", "engagment_rate"]
    assert any("click_through_rate" in w for w in p.warnings)
    assert any("engagement_rate" in w for w in p.warnings)


def test_invalid_yaml_reports_line(tmp_path):
    f = tmp_path / "client.yaml"
    f.write_text("name: A\nkpis: [followers\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="line"):
        read_profile(f)


def test_missing_file_says_what_is_needed(tmp_path):
    with pytest.raises(ProfileError, match="needs a client.yaml"):
        read_profile(tmp_path / "client.yaml")


def test_threshold_override_is_accepted_and_used(client_with):
    c = client_with({"evaluation_weeks": 10, "thresholds": {"patience.window_too_short.warn": 9}})
    from socialkit import diagnose

    assert diagnose(c, ["patience.window_too_short"]).findings[0].status == "ok"
