"""The reporting period and the KPI tiles, checked against the canonical tables."""

import datetime as dt
import shutil

import pandas as pd
import pytest

import socialkit as sk
from socialkit.metrics.kpis import kpi_tiles
from socialkit.metrics.period import data_until, resolve_period
from socialkit.report import period_view, sections


def test_period_from_a_month_from_dates_and_by_default():
    p = resolve_period("2026-10")
    assert (p.start, p.end, p.label) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 31),
        "October 2026",
    )
    assert (p.previous_start, p.previous_end) == (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    jan = resolve_period("2026-01")
    assert jan.previous_label == "December 2025"
    span = resolve_period(start="2026-10-10", end="2026-10-23")
    assert span.days == 14 and span.previous_end == dt.date(2026, 10, 9)
    assert (span.previous_end - span.previous_start).days + 1 == 14
    # default: the last full calendar month in the data
    assert resolve_period(until=pd.Timestamp("2022-04-05T02:29Z")).label == "March 2022"
    assert resolve_period(until=pd.Timestamp("2022-03-31T23:00Z")).label == "March 2022"
    for bad in ("2026-13", "Oct 2026", "2026-1"):
        with pytest.raises(ValueError, match="YYYY-MM"):
            resolve_period(bad)
    with pytest.raises(ValueError, match="before"):
        resolve_period(start="2026-10-10", end="2026-10-01")


@pytest.fixture(scope="module")
def planted(demo_dir, tmp_path_factory):
    """Nimbus Outdoor with its October impressions tripled: a known change against September."""
    dest = tmp_path_factory.mktemp("kpi") / "nimbus"
    shutil.copytree(demo_dir / "nimbus-outdoor", dest)
    posts = pd.read_csv(dest / "posts.csv")
    october = posts["published_at"].str.startswith("2026-10")
    posts.loc[october, "impressions"] *= 3
    posts.to_csv(dest / "posts.csv", index=False)
    return sk.load_client(dest)


def _expected(client, start, end):
    """The figures computed here from the canonical tables, independently of the module."""
    lo, hi = pd.Timestamp(start, tz="UTC"), pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1)
    p = client.posts[(client.posts.published_at >= lo) & (client.posts.published_at < hi)]
    eng = p[["reactions", "comments", "shares", "saves"]].astype(float).sum(axis=1, min_count=1)
    both = eng.notna() & p["impressions"].notna() & (p["impressions"] > 0)
    f = client.followers
    f = f[(pd.to_datetime(f.date, utc=True) >= lo) & (pd.to_datetime(f.date, utc=True) < hi)]
    last = f.dropna(subset=["followers"]).sort_values("date").groupby("platform").followers.last()
    return {
        "impressions": float(p["impressions"].astype(float).sum()),
        "engagements": float(eng.sum()),
        "engagement_rate": float(eng[both].sum() / p["impressions"][both].astype(float).sum()),
        "followers": float(last.sum()),
    }


def test_kpi_tiles_show_the_right_numbers_and_changes(planted):
    period = resolve_period("2026-10")
    tiles = {t.key: t for t in kpi_tiles(planted.posts, planted.followers, planted.comments,
                                          period, planted.profile.kpis)}  # fmt: skip
    now = _expected(planted, "2026-10-01", "2026-10-31")
    before = _expected(planted, "2026-09-01", "2026-09-30")
    for key in ("impressions", "engagements", "engagement_rate", "followers"):
        assert tiles[key].current == pytest.approx(now[key]), key
        assert tiles[key].previous == pytest.approx(before[key]), key
    assert [t.key for t in tiles.values() if t.declared] == ["followers", "likes", "impressions"]
    # the planted change: October's impressions are three times what the export said
    html = sections.kpi_tiles(list(tiles.values()), period)
    change = round(100 * (now["impressions"] / before["impressions"] - 1))
    assert f"▲ +{change}%" in html
    assert f"{round(now['impressions']):,}" in html
    # per platform on expansion, summing to the total
    per = tiles["impressions"].per_platform
    assert sum(c for c, _ in per.values() if c is not None) == pytest.approx(now["impressions"])
    assert "Instagram" in html and "By platform" in html


def test_a_missing_figure_says_which_export_would_fill_it(planted):
    period = resolve_period("2026-10")
    no_followers = planted.followers.iloc[0:0]
    posts = planted.posts.assign(followers=pd.NA)
    tiles = {t.key: t for t in kpi_tiles(posts, no_followers, planted.comments, period,
                                          ("followers", "conversions"))}  # fmt: skip
    assert tiles["followers"].current is None and "followers export" in tiles["followers"].missing
    assert "CRM" in tiles["conversions"].missing
    html = sections.kpi_tiles(list(tiles.values()), period)
    assert "Add a followers export" in html


@pytest.mark.parametrize(
    "month, where", [("2026-10", "up to July 2026"), ("2026-03", "from June 2026")]
)
def test_a_figure_the_data_has_in_other_months_says_where_not_which_export(planted, month, where):
    """Follower counts that stop (or start) outside the two months shown: the tile says
    where the data has them instead of asking for an export the client already gave."""
    period = resolve_period(month)
    f = planted.followers
    days = pd.to_datetime(f["date"])
    kept = f[(days >= "2026-06-10") & (days < "2026-07-20")]  # no count in Sep-Oct or Feb-Mar
    posts = planted.posts.assign(followers=pd.NA)
    tile = next(t for t in kpi_tiles(posts, kept, planted.comments, period) if t.key == "followers")
    assert tile.current is None and tile.previous is None and tile.elsewhere == where
    html = sections.kpi_tiles([tile], period)
    assert f"your data has it {where}" in html and "Add a followers export" not in html
    none = kpi_tiles(posts, f.iloc[0:0], planted.comments, period)
    assert next(t for t in none if t.key == "followers").elsewhere == ""


def test_reply_figures_are_not_zero_when_the_brand_never_appears(planted):
    comments = planted.comments.assign(is_brand=False)
    period = resolve_period("2026-10")
    tiles = {t.key: t for t in kpi_tiles(planted.posts, planted.followers, comments, period)}
    assert tiles["response_rate"].current is None  # can't tell, not "never answers"
    assert "brand" in tiles["response_rate"].missing


def test_default_period_view_of_the_demo(planted):
    view = period_view(planted)
    until = data_until(planted.posts, planted.comments, planted.followers)
    assert view.period.end <= until.date()
    assert view.period.start.day == 1 and view.period.label.endswith(str(view.period.end.year))
    assert "followers" in view.trend_metrics and "engagement_rate" in view.trend_metrics
