import filecmp
from pathlib import Path

import pandas as pd
import pytest

from socialkit import diagnose, load_client
from socialkit.demo import STORIES, generate_client, make_demo
from socialkit.metrics import weekly_counts


def _same_tree(a, b):
    files = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    assert files == sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    assert not mismatch and not errors, mismatch


def test_demo_clients_hold_native_exports_that_load_back(tmp_path):
    folders = make_demo(tmp_path, seed=5)
    formats = {f["format"] for d in folders for f in load_client(d).files}
    assert {"canonical", "meta_facebook", "meta_instagram", "tiktok_content"} <= formats
    cols = ["platform", "post_id", "published_at", "format", "reactions", "comments", "shares"]
    for story, folder in zip(STORIES, folders, strict=True):
        want = generate_client(story, 5)["posts"][cols].assign(
            published_at=lambda d: d["published_at"].dt.floor("min")
        )
        got = load_client(folder).posts[cols]
        key = ["platform", "post_id"]
        pd.testing.assert_frame_equal(
            want.sort_values(key).reset_index(drop=True),
            got.sort_values(key).reset_index(drop=True),
            check_dtype=False,
        )


def test_same_seed_same_bytes_and_other_seed_differs(tmp_path):
    make_demo(tmp_path / "a", n_clients=6, seed=3)
    make_demo(tmp_path / "b", n_clients=6, seed=3)
    _same_tree(tmp_path / "a", tmp_path / "b")
    make_demo(tmp_path / "c", n_clients=1, seed=4)
    native = Path("harbour-bakery") / "exports" / "meta_facebook_posts.csv"
    assert (tmp_path / "a" / native).read_bytes() != (tmp_path / "c" / native).read_bytes()


def test_more_clients_than_stories_get_unique_folders(tmp_path):
    folders = make_demo(tmp_path, n_clients=8)
    assert len({f.name for f in folders}) == 8
    with pytest.raises(ValueError, match="positive integer"):
        make_demo(tmp_path, n_clients=0)


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.key)
def test_demo_clients_load_cleanly_and_show_their_planted_verdicts(demo_dir, story):
    client = load_client(
        next(
            p
            for p in demo_dir.iterdir()
            if (p / "client.yaml").read_text().find(f"'{story.key}'") > 0
        )
    )
    assert len(client.quarantine) == 0 and client.rows_loaded > 500
    span = client.posts["published_at"].max() - client.posts["published_at"].min()
    assert span >= pd.Timedelta(weeks=24)  # ≥ 6 months of posts
    assert len(client.followers) and len(client.comments)
    d = diagnose(client, raise_errors=True)
    got = {cid: d[cid].status for cid in story.expect}
    assert got == story.expect
    if story.key == "healthy":
        assert d.counts()["fail"] == 0


@pytest.mark.parametrize("seed", [1, 2, 11])
def test_planted_verdicts_do_not_depend_on_the_seed(tmp_path, seed):
    for story, folder in zip(STORIES, make_demo(tmp_path, seed=seed), strict=True):
        d = diagnose(load_client(folder), raise_errors=True)
        assert {cid: d[cid].status for cid in story.expect} == story.expect, story.key


def test_weekly_counts_bins_are_half_open():
    end = pd.Timestamp("2026-01-15", tz="UTC")
    posts = pd.DataFrame(
        {
            "published_at": [
                end - pd.Timedelta(days=7),
                end - pd.Timedelta(seconds=1),
                end,
                end - pd.Timedelta(days=14, seconds=1),
            ]
        }
    )
    assert weekly_counts(posts, end, 1)["posts"].tolist() == [2]
    assert weekly_counts(posts, end, 2)["posts"].tolist() == [0, 2]
    assert weekly_counts(posts, end, 3)["posts"].tolist() == [1, 0, 2]
