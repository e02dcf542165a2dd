"""Plots draw the numbers the checks judge, on the Axes they are given."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import END, craft_posts

from socialkit import diagnose, load_client, plot
from socialkit.benchmarks import engagement_benchmark


@pytest.fixture
def ax():
    with plot.theme():
        fig, ax = plt.subplots()
        yield ax
    plt.close(fig)


def _evidence(diagnosis, check):
    return {e.name: e for e in diagnosis[check].evidence}


def test_every_plot_draws_on_the_axes_it_is_given_and_labels_its_axes(demo_dir):
    client = load_client(demo_dir / "nimbus-outdoor")
    calls = [
        lambda ax: plot.calendar(client.posts, client.window_end, 26, ax=ax),
        lambda ax: plot.format_lift(client, ax=ax),
        lambda ax: plot.platform_benchmark(client, ax=ax),
        lambda ax: plot.weekly_posts(client.posts, client.window_end, 26, ax=ax),
        lambda ax: plot.engagement_trend(client.posts, client.window_end, ax=ax),
        lambda ax: plot.concentration(client.posts, ax=ax),
        lambda ax: plot.hour_of_week(client.posts, ax=ax),
        lambda ax: plot.peer_position(client, ax=ax),
    ]
    before = dict(matplotlib.rcParams)
    for call in calls:
        with plot.theme():
            fig, ax = plt.subplots()
            assert call(ax) is ax
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title(loc="left"), call
        plt.close(fig)
    assert dict(matplotlib.rcParams) == before, "plots must not change global rcParams"


def test_calendar_counts_posts_per_day_in_the_right_cell(ax):
    posts = craft_posts({"instagram": [0, 0, 3]})  # three posts in the last 7 days before END+1
    posts.loc[:, "published_at"] = pd.Timestamp("2026-06-22 09:00", tz="UTC")  # a Monday
    plot.calendar(posts, END, weeks=3, ax=ax)
    grid = ax.images[0].get_array()
    assert grid.shape == (7, 3)
    assert grid[0, 2] == 3 and np.ma.count(grid) == 1  # Monday of the last week; others empty
    assert "3 posts in 3 weeks" in ax.get_title(loc="left")


def test_format_lift_plot_shows_the_checks_lift_and_interval(demo_dir, ax):
    client = load_client(demo_dir / "meridian-insurance")  # video: underused, so the check has a CI
    ev = _evidence(diagnose(client), "content.underused_format")
    plot.format_lift(client, ax=ax)
    labels = [t.get_text().split(" (")[0] for t in ax.get_yticklabels()]
    x = ax.collections[0].get_offsets()[:, 0]
    lifts = [k.removeprefix("engagement lift of ") for k in ev if k.startswith("engagement lift")]
    assert sorted(labels) == sorted(lifts)
    for fmt, lift in zip(labels, x, strict=True):
        e = ev[f"engagement lift of {fmt}"]
        assert round(float(lift), 2) == e.value
    video = ev["engagement lift of video"]
    assert video.ci is not None  # the plot's whisker is the check's interval
    (seg,) = [s for s, lab in zip(ax.collections[1].get_segments(), labels, strict=True)
              if lab == "video"]  # fmt: skip
    assert tuple(round(float(v), 2) for v in seg[:, 0]) == video.ci


def test_platform_benchmark_plot_shows_the_checks_medians_and_the_bundled_benchmark(demo_dir, ax):
    client = load_client(demo_dir / "nimbus-outdoor")
    ev = _evidence(diagnose(client), "platform.underperforming")
    plot.platform_benchmark(client, ax=ax)
    names = [t.get_text().split(" (")[0].lower() for t in ax.get_yticklabels()]
    xs = {}  # platform -> x of every marker on its row
    for c in ax.collections:
        for x, y in c.get_offsets():
            xs.setdefault(names[int(round(y))], []).append(float(x))
    for plat in ("facebook", "instagram", "x", "tiktok"):
        e = ev[f"median engagement rate on {plat}"]
        bench = engagement_benchmark(plat, client.profile.industry)["engagement_rate"]
        assert any(float(f"{v:.3g}") == e.value for v in xs[plat])
        assert any(np.isclose(v, bench) for v in xs[plat])
    assert xs.keys() >= {"linkedin", "youtube"}  # shown, without a benchmark


def test_format_mix_reads_in_percent_and_one_platform_is_a_bar_not_a_wall(ax):
    posts = pd.DataFrame({"platform": ["facebook"] * 4, "format": ["image"] * 3 + ["video"]})
    plot.format_mix(posts, ax=ax)
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["0%", "20%"]
    bar = ax.patches[0]
    assert bar.get_width() == pytest.approx(0.75)
    low, high = sorted(ax.get_ylim())
    assert bar.get_height() / (high - low) < 0.4  # room of three platforms, not all of it


def test_posting_calendar_names_months_as_a_reader_does(ax):
    days = pd.date_range("2017-06-26", "2017-11-13", freq="3D", tz="UTC")
    posts = pd.DataFrame({"platform": "facebook", "published_at": days})
    plot.weekly_posts(posts, pd.Timestamp("2017-11-20", tz="UTC"), 26, ax=ax)
    ax.figure.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "Jul" in labels and not any("2017-" in t for t in labels), labels
