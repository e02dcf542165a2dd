"""Shared fixtures: crafted canonical frames and demo clients."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialkit import Client

END = pd.Timestamp("2026-06-28")  # a Sunday; the data's last day
#: The spec's folder beside the checkout (``../shared``); ``SOCIALKIT_SHARED`` names it
#: for a checkout elsewhere (a git worktree).
SHARED = Path(os.environ.get("SOCIALKIT_SHARED") or Path(__file__).resolve().parents[2] / "shared")


def craft_posts(weekly: dict, end=END, formats=None) -> pd.DataFrame:
    """Posts whose weekly counts are exactly ``weekly[platform]`` in 7-day bins ending at ``end``.

    The first post of bin 0 sits exactly at the bin start, so the span is a whole
    number of weeks. ``formats`` is a list cycled over the posts (default: image).
    """
    window_end = pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1)
    rows = []
    for platform, counts in weekly.items():
        weeks = len(counts)
        for w, n in enumerate(counts):
            start = window_end - pd.Timedelta(days=7 * (weeks - w))
            for i in range(n):
                rows.append((platform, start + pd.Timedelta(hours=int(i * 160 / max(n, 1)))))
    frame = pd.DataFrame(rows, columns=["platform", "published_at"])
    frame["post_id"] = [f"p{i}" for i in range(len(frame))]
    fmts = formats or ["image"]
    frame["format"] = [fmts[i % len(fmts)] for i in range(len(frame))]
    frame["reactions"] = np.arange(len(frame)) % 7
    return frame


def end_marker(end=END) -> pd.DataFrame:
    """A followers row dated ``end`` so that ``client.as_of == end``."""
    return pd.DataFrame(
        {"platform": ["instagram"], "date": [end.date().isoformat()], "followers": [100]}
    )


@pytest.fixture
def client_with():
    """Build a client from a profile dict and weekly post counts."""

    def make(profile=None, weekly=None, formats=None, posts=None):
        prof = {"name": "Test Co", **(profile or {})}
        if posts is None and weekly is not None:
            posts = craft_posts(weekly, formats=formats)
        return Client.from_frames(prof, posts=posts, followers=end_marker())

    return make


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    """The six default demo clients, generated once per test session."""
    from socialkit.demo import make_demo

    out = tmp_path_factory.mktemp("demo")
    make_demo(out)
    return out
