"""Export variants met in the wild (issue 25): one small real-shaped file per variant.

The headers are those public code that reads these exports was written against
(see each loader's docstring); the values are invented.
"""

from __future__ import annotations

import pandas as pd
import pytest

from socialkit.client import load_client
from socialkit.loaders import ExportError, load_export
from socialkit.schema import SchemaError

BOM = "\ufeff"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def one(path, **kw):
    (r,) = load_export(path, **kw)
    assert r.rows_in == r.rows_loaded + r.rows_quarantined
    return r


def by_id(r):
    return r.data.set_index("post_id")


def test_tiktok_studio_publish_time_abbreviated_and_undefined_counts(tmp_path):
    path = write(
        tmp_path,
        "tiktok_studio.csv",
        "Video title,Video link,Video publish time,Total likes,Total comments,Total shares,"
        "Total views,Add to Favorites\n"
        "Sourdough 101,https://www.tiktok.com/@acme/video/7420000000000000001,"
        '2026-09-10 18:30:00,1.2K,31,undefined,"18,400",88\n'
        "Oven tour,https://www.tiktok.com/@acme/video/7420000000000000002,"
        "2026-09-12 09:05:00,640,2,5,3.4M,undefined\n",
    )
    r = one(path)
    assert r.format == "tiktok_content" and r.rows_loaded == 2 and r.rows_quarantined == 0
    a, b = by_id(r).loc["7420000000000000001"], by_id(r).loc["7420000000000000002"]
    assert a["reactions"] == 1200 and a["video_views"] == 18400 and pd.isna(a["shares"])
    assert b["video_views"] == 3_400_000 and pd.isna(b["saves"])  # undefined: NA, never 0
    assert a["published_at"] == pd.Timestamp("2026-09-10 18:30", tz="UTC")
    rounded = [n for n in r.notes if "rounded" in n]
    assert len(rounded) == 1 and "2 count(s)" in rounded[0] and "'Total likes'" in rounded[0]


def test_tiktok_post_time_first_with_reach_and_watch_time(tmp_path):
    path = write(
        tmp_path,
        "tiktok_videos.csv",
        "Video title,Post time,Video link,Total views,Total likes,Total comments,Total shares,"
        "Average watch time,Reach\n"
        '"Croissants, step by step",2026-09-10 18:30:00,'
        "https://www.tiktok.com/@acme/video/7300000000000000001,15400,820,44,63,6.8,12100\n"
        "Hello,2026-09-08 09:05:00,https://www.tiktok.com/@acme/video/7300000000000000002,"
        "3200,120,5,8,4.1,\n",
    )
    r = one(path)
    d = by_id(r)
    assert d.loc["7300000000000000001", "reach"] == 12100  # kept as canonical reach
    assert pd.isna(d.loc["7300000000000000002", "reach"])
    assert d.loc["7300000000000000001", "video_views"] == 15400
    assert "Average watch time" in r.ignored_columns


def test_meta_instagram_lifetime_date_and_quoted_grouped_numbers(tmp_path):
    path = write(
        tmp_path,
        "instagram.csv",
        "Post ID,Account ID,Account username,Account name,Description,Duration (sec),"
        "Publish time,Permalink,Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,"
        "Comments,Saves\n"
        '17890000000000001,1784,acme,Acme,"Test, one",32,09/15/2026 18:00,'
        'https://www.instagram.com/reel/x/,IG reel,,Lifetime,"15,000",9800,410,120,14,20,55\n'
        "17890000000000002,1784,acme,Acme,Still life,0,09/16/2026 08:00,"
        'https://www.instagram.com/p/y/,IG image,,Lifetime,"12,400","1,050",96,3,0,4,7\n',
    )
    r = one(path)
    assert r.format == "meta_instagram" and r.rows_loaded == 2
    reel, image = by_id(r).loc["17890000000000001"], by_id(r).loc["17890000000000002"]
    assert reel["impressions"] == 15000 and reel["reach"] == 9800 and reel["format"] == "video"
    assert reel["video_views"] == 15000  # Views of a reel are plays too
    assert image["impressions"] == 12400 and image["reach"] == 1050
    assert pd.isna(image["video_views"])  # an image has no video views
    assert "Date" in r.ignored_columns  # "Lifetime" is the metric period, not a date


def test_facebook_reels_export_behind_bom_reel_is_video(tmp_path):
    path = write(
        tmp_path,
        "reels.csv",
        BOM + "Post ID,Page ID,Page name,Title,Duration (sec),Publish time,Permalink,Post type,"
        "Views,Average Seconds viewed\n"
        "1000000000000001_2000000000000009,1000000000000001,Acme,Shaping croissants,28,"
        '10/02/2026 17:00,https://www.facebook.com/reel/9,Reel,"4,812",9.5\n',
    )
    r = one(path)
    assert r.format == "meta_facebook" and r.rows_loaded == 1
    row = r.data.iloc[0]
    assert row["format"] == "video"  # "Reel" (singular) is not "other"
    assert row["impressions"] == 4812 and row["video_views"] == 4812
    assert row["text"] == "Shaping croissants"


def test_linkedin_offsite_views_are_added_to_video_views(tmp_path):
    path = write(
        tmp_path,
        "linkedin.csv",
        "All posts: Impressions and engagement for each post\n"
        "Post title,Post link,Post type,Created date,Impressions,"
        "Views (excluding off-site video views),Off-site views,Clicks,Likes,Comments,Reposts,"
        "Content Type\n"
        "Launch film,https://www.linkedin.com/feed/update/urn:li:activity:1,Organic,"
        "09/14/2026,2340,410,90,55,40,3,2,Video\n"
        "Hiring,https://www.linkedin.com/feed/update/urn:li:activity:2,Organic,"
        "09/15/2026,800,,,12,9,0,0,Text\n",
    )
    r = one(path)
    d = r.data.set_index("text")
    assert d.loc["Launch film", "video_views"] == 500  # 410 on LinkedIn + 90 off-site
    assert pd.isna(d.loc["Hiring", "video_views"])


X_HEADER = (
    "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
    "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
    "Permalink Clicks\n"
)


def test_x_content_export_is_recognised_and_mapped(tmp_path):
    path = write(
        tmp_path,
        "account_analytics_content.csv",
        X_HEADER + '1835000000000000001,"Mon, Sep 14, 2026","Autumn menu: https://t.co/x",'
        'https://x.com/acme/status/1835000000000000001,"1,234",1.2K,80,3,2,1,4,7,9,10,5,0,2\n'
        '1835000000000000002,"Tue, Sep 15, 2026",@pat thanks!,'
        "https://x.com/acme/status/1835000000000000002,50,2,3,0,6,0,1,0,0,1,0,0,0\n",
    )
    r = one(path)
    assert r.format == "x_content" and r.rows_loaded == 2
    a = by_id(r).loc["1835000000000000001"]
    assert a["platform"] == "x" and a["published_at"] == pd.Timestamp("2026-09-14", tz="UTC")
    assert (a["impressions"], a["reactions"], a["comments"]) == (1234, 1200, 4)
    assert (a["shares"], a["saves"], a["clicks"]) == (7, 3, 5)  # Reposts, Bookmarks, URL Clicks
    assert by_id(r).loc["1835000000000000002", "shares"] == 0  # X's "Shares" (6) is not reposts
    assert pd.isna(a["format"])  # the export does not say whether a post had media
    assert {"Engagements", "Shares", "New follows", "Permalink Clicks"} <= set(r.ignored_columns)
    assert any("00:00 UTC" in n for n in r.notes)


def test_spreadsheet_resaved_ids_are_set_aside_never_merged(tmp_path):
    path = write(
        tmp_path,
        "meta_facebook_resaved.csv",
        "Post ID,Page ID,Page name,Title,Description,Publish time,Permalink,Post type,"
        "Impressions,Reach,Reactions,Comments,Shares\n"
        "1.22158E+17,1.22158E+17,Acme,,First,09/14/2026 10:00,https://fb.com/1,Photos,"
        "100,80,5,1,0\n"
        "1.22158E+17,1.22158E+17,Acme,,Second,09/15/2026 10:00,https://fb.com/2,Photos,"
        "200,150,9,2,1\n"
        "1000000000000001_2000000000000003,1000000000000001,Acme,,Third,09/16/2026 10:00,"
        "https://fb.com/3,Photos,300,210,12,0,0\n",
    )
    r = one(path)
    assert r.rows_loaded == 1 and r.rows_quarantined == 2  # not one merged "post"
    assert set(r.quarantine["rule"]) == {"id"} and r.quarantine["source_row"].tolist() == [2, 3]
    assert "re-saved by a spreadsheet" in r.quarantine["reason"].iloc[0]
    (note,) = [n for n in r.notes if "scientific notation" in n]
    assert "export the file again" in note and "2 of 3" in note


def test_european_locale_semicolons_and_decimal_commas(tmp_path):
    path = write(
        tmp_path,
        "meta_facebook_eu.csv",
        "Post ID;Page ID;Page name;Title;Description;Publish time;Permalink;Post type;"
        "Impressions;Reach;Reactions;Comments;Shares\n"
        "1000000000000001_2000000000000001;1000000000000001;Acme;;Bonjour, à tous;"
        "09/14/2026 10:00;https://fb.com/1;Photos;1.204.300;12.400;57;3;0\n"
        "1000000000000001_2000000000000002;1000000000000001;Acme;;Deux;09/15/2026 10:00;"
        "https://fb.com/2;Photos;980;1,2K;4;0;0\n",
    )
    r = one(path)
    assert r.rows_loaded == 2
    d = by_id(r)
    first = d.loc["1000000000000001_2000000000000001"]
    assert first["impressions"] == 1_204_300 and first["reach"] == 12_400
    assert first["text"] == "Bonjour, à tous"
    assert d.loc["1000000000000001_2000000000000002", "reach"] == 1200  # "1,2K"


def test_european_resave_writes_dates_day_first(tmp_path):
    head = (
        "Post ID;Page ID;Page name;Title;Description;Publish time;Permalink;Post type;"
        "Impressions;Reach;Reactions;Comments;Shares\n"
    )
    rows = (
        "1_1;1;Acme;;Un;01/09/2026 10:00;https://fb.com/1;Photos;10;8;1;0;0\n"
        "1_2;1;Acme;;Deux;02.09.2026 10:00;https://fb.com/2;Photos;10;8;1;0;0\n"
    )
    r = one(write(tmp_path, "fb_eu.csv", head + rows))  # every date fits both: ';' decides
    assert by_id(r)["published_at"]["1_1"] == pd.Timestamp("2026-09-01 10:00", tz="UTC")
    assert by_id(r)["published_at"]["1_2"] == pd.Timestamp("2026-09-02 10:00", tz="UTC")
    assert any("assumed from the ';' delimiter" in n for n in r.notes)
    us = one(write(tmp_path, "fb_us.csv", head.replace(";", ",") + rows.replace(";", ",")))
    assert by_id(us)["published_at"]["1_1"] == pd.Timestamp("2026-01-09 10:00", tz="UTC")
    day = one(write(tmp_path, "fb_day.csv", head + rows.replace("02.09.2026", "14/09/2026")))
    assert by_id(day)["published_at"]["1_2"] == pd.Timestamp("2026-09-14 10:00", tz="UTC")
    assert any("some days above 12 show it" in n for n in day.notes)


def test_canonical_table_resaved_in_a_european_locale(tmp_path):
    path = write(
        tmp_path,
        "comments.csv",
        "platform;comment_id;post_id;created_at;text;sentiment\n"
        "instagram;c1;p1;2026-09-14T10:00:00Z;Lovely;0,75\n"
        "instagram;c2;p1;2026-09-14T11:00:00Z;Meh;-0,5\n",
    )
    r = one(path)
    assert r.rows_loaded == 2 and r.data["sentiment"].tolist() == [0.75, -0.5]


META_FB = (
    "Post ID,Page ID,Page name,Title,Description,Publish time,Permalink,Post type,"
    "Impressions,Reach,Reactions,Comments,Shares\n"
    "1_1,1,Acme,,Before the change,03/28/2026 12:00,https://fb.com/1,Photos,10,8,1,0,0\n"
    "1_2,1,Acme,,After the change,03/30/2026 12:00,https://fb.com/2,Photos,10,8,1,0,0\n"
    "1_3,1,Acme,,The repeated hour,10/25/2026 01:30,https://fb.com/3,Photos,10,8,1,0,0\n"
)


def test_account_zone_times_read_in_the_clients_zone_across_dst(tmp_path):
    path = write(tmp_path, "meta_facebook.csv", META_FB)
    r = one(path, timezone="Europe/London")
    times = by_id(r)["published_at"]
    assert times["1_1"] == pd.Timestamp("2026-03-28 12:00", tz="UTC")  # GMT = UTC+0
    assert times["1_2"] == pd.Timestamp("2026-03-30 11:00", tz="UTC")  # BST = UTC+1
    assert times["1_3"] == pd.Timestamp("2026-10-25 00:30", tz="UTC")  # 01:30 BST, not lost
    assert any("read in Europe/London" in n for n in r.notes)
    plain = one(path)  # no client zone: UTC, and the note says it was assumed
    assert by_id(plain)["published_at"]["1_2"] == pd.Timestamp("2026-03-30 12:00", tz="UTC")
    assert any("UTC was assumed" in n for n in plain.notes)


def test_client_yaml_timezone_reaches_the_loaders(tmp_path):
    client = tmp_path / "acme"
    (client / "exports").mkdir(parents=True)
    (client / "client.yaml").write_text("name: Acme\ntimezone: America/New_York\n")
    write(client / "exports", "meta_facebook.csv", META_FB)
    c = load_client(client)
    assert c.posts.set_index("post_id")["published_at"]["1_2"] == pd.Timestamp(
        "2026-03-30 16:00", tz="UTC"
    )  # 12:00 EDT
    (report,) = c.files
    assert any("America/New_York" in n for n in report["notes"])


def test_missing_column_error_lists_the_files_columns_and_suggests_a_mapping(tmp_path):
    path = write(
        tmp_path,
        "tiktok.csv",
        "Video title,Video link,Posted time,Total likes,Total comments,Total shares,"
        "Total views,Add to Favorites,Average watch time,Reach\n"
        "Hi,https://www.tiktok.com/@acme/video/1,2026-09-10 18:30:00,1,2,3,4,5,6,7\n",
    )
    with pytest.raises(SchemaError) as err:
        load_export(path)
    msg = str(err.value)
    assert "source_row" not in msg and "'Video title'" in msg and "… and 5 more" in msg
    assert "'Posted time' → 'Post time'" in msg and "published_at" in msg


def test_unrecognised_export_suggests_the_closest_known_export(tmp_path):
    path = write(
        tmp_path,
        "fb.csv",
        "Post ID,Page ID,Publish Date,Post Type,Reach\n1_1,1,09/14/2026 10:00,Photos,5\n",
    )
    with pytest.raises(ExportError) as err:
        load_export(path)
    assert "'Publish Date' → 'Publish time'" in str(err.value)
    assert "meta_facebook" in str(err.value)


def test_tweet_activity_export_resaved_by_a_spreadsheet(tmp_path):
    from socialkit.loaders.x_analytics import ENGLISH_HEADER

    def row(tid, text):
        return [tid, f"https://twitter.com/acme/status/{tid}", text, "2022-03-01 10:00 +0000"] + [
            "1.0"
        ] * 18

    rows = [ENGLISH_HEADER[:22], row("1.49877E+18", "one"), row("1.49877E+18", "two")]
    rows.append(row("1498770000000000003", "three"))
    path = write(tmp_path, "tweet_activity.csv", "\n".join(",".join(r) for r in rows) + "\n")
    r = one(path)
    assert r.format == "x_analytics" and r.rows_loaded == 1 and r.rows_quarantined == 2
    assert set(r.quarantine["rule"]) == {"id"}
    assert any("re-saved by a spreadsheet" in n for n in r.notes)
