"""Every real export under ../shared/data/real loads, with hand-checked numbers."""

import csv
import json
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from socialkit.loaders import export_files, load_export
from tests.conftest import SHARED

REAL = SHARED / "data" / "real"
FB = REAL / "facebook_insights_export_lok_2017"
X_PT = (
    REAL
    / "twitter_analytics_export_vayno_pt"
    / "tweet_activity_metrics_vayno_20220312_20220409_pt.csv"
)
UCI = REAL / "uci_facebook_metrics" / "dataset_Facebook.csv"
YT = REAL / "youtube_studio_export_suuz" / "Table data.csv"


def one(path):
    results = load_export(path)
    assert len(results) == 1
    r = results[0]
    assert r.rows_in == r.rows_loaded + r.rows_quarantined
    assert r.data["source_file"].eq(path.name).all() and r.data["source_row"].notna().all()
    return r


def test_every_real_export_loads():
    files = export_files(REAL)
    assert len(files) == 9
    for f in files:
        one(f)


def test_x_portuguese_export():
    r = one(X_PT)
    assert r.format == "x_analytics" and (r.rows_in, r.rows_loaded) == (332, 332)
    with X_PT.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[1:]
    assert r.data["impressions"].sum() == sum(int(float(row[4])) for row in rows)
    assert r.data["impressions"].max() == 877
    assert r.data["published_at"].min() == pd.Timestamp("2022-03-12 03:20", tz="UTC")
    assert r.data["published_at"].max() == pd.Timestamp("2022-04-05 02:29", tz="UTC")
    first = r.data.iloc[0]
    assert first["post_id"] == "1511169021718241280"  # long ids stay exact text
    assert "\n" in first["text"]  # embedded newline kept, not a new row
    assert not r.data["paid"].any() and r.data["reach"].isna().all()  # '-' and absent -> not 0


def test_uci_dataset():
    r = one(UCI)
    assert (r.rows_in, r.rows_loaded) == (500, 500)
    assert r.data["format"].value_counts().to_dict() == {
        "image": 426,
        "text": 45,
        "link": 22,
        "video": 7,
    }
    # the six empty cells stay NA: Paid 1, like 1, share 4
    assert r.data["paid"].isna().sum() == 1
    assert r.data["reactions"].isna().sum() == 1
    assert r.data["shares"].isna().sum() == 4
    raw = pd.read_csv(UCI, sep=";")
    assert r.data["reach"].sum() == raw["Lifetime Post Total Reach"].sum()
    # reconstructed dates keep the dataset's month, weekday (1 = Sunday) and hour
    t = r.data["published_at"]
    assert (t.dt.month.to_numpy() == raw["Post Month"].to_numpy()).all()
    assert ((t.dt.day_of_week.to_numpy() + 1) % 7 + 1 == raw["Post Weekday"].to_numpy()).all()
    assert (t.dt.hour.to_numpy() == raw["Post Hour"].to_numpy()).all()
    assert t.is_monotonic_decreasing and t.dt.year.eq(2014).all()
    assert any("rebuilt" in n for n in r.notes)


def test_youtube_total_row_is_set_aside_not_loaded():
    r = one(YT)
    assert (r.rows_in, r.rows_loaded, r.rows_quarantined) == (25, 24, 1)
    assert r.quarantine.iloc[0]["rule"] == "total_row" and r.quarantine.iloc[0]["source_row"] == 2
    assert r.data["video_views"].sum() == 61503
    assert r.data.loc[r.data["post_id"] == "oEDe6JMwL7Q", "video_views"].item() == 58005
    assert r.data["published_at"].min() == pd.Timestamp("2020-04-11", tz="UTC")
    assert any("61,685" in n for n in r.notes)


@pytest.mark.parametrize("stem", ["2017-07-27", "2017-10-22"])
def test_facebook_xls_and_xlsx_twins_agree(stem):
    base = f"Facebook Insights Data Export (Post Level) - LOK - {stem}"
    xls, xlsx = one(FB / f"{base}.xls"), one(FB / f"{base}.xlsx")
    cols = ["post_id", "published_at", "reach", "impressions", "reactions", "comments", "shares"]
    pd.testing.assert_frame_equal(xls.data[cols], xlsx.data[cols])
    ws = openpyxl.load_workbook(FB / f"{base}.xlsx", read_only=True)["Key Metrics"]
    reach = [row[8] for row in ws.iter_rows(min_row=3, values_only=True) if row[0]]
    assert xls.data["reach"].sum() == sum(int(v) for v in reach)


def test_facebook_post_level_values():
    r = one(FB / "Facebook Insights Data Export (Post Level) - LOK - 2017-10-22.xls")
    assert (r.rows_in, r.rows_loaded) == (12, 12)
    post = r.data.set_index("post_id").loc["1553363564876294_1940000072879306"]
    # Posted 2017-09-30 10:00 Pacific (PDT, UTC-7) = 17:00 UTC = midnight 1 Oct in Vietnam
    assert post["published_at"] == pd.Timestamp("2017-09-30 17:00", tz="UTC")
    assert (post["reactions"], post["comments"], post["shares"]) == (346, 5, 1)
    assert post["reach"] == 265 and post["format"] == "image"
    cover = r.data.set_index("post_id").loc["1553363564876294_1939999886212658"]
    assert (cover["reactions"], cover["comments"], cover["shares"]) == (154, 0, 0)  # empty = 0
    assert r.data["source_row"].min() == 3  # row 2 is the description row


def test_facebook_page_level_bad_utf8_is_recovered():
    r = one(FB / "Facebook Insights Data Export - LOK - 2017-07-05.xls")
    assert r.table == "followers" and (r.rows_in, r.rows_loaded) == (28, 28)
    first = r.data.iloc[0]
    assert (first["followers"], first["new_followers"], first["lost_followers"]) == (41883, 195, 7)
    assert r.data["date"].min() == pd.Timestamp("2017-06-09")
    assert any("line 6245" in n for n in r.notes)


def test_validate_cli_json_on_real_folder():
    out = subprocess.run(
        [sys.executable, "-m", "socialkit", "validate", str(REAL), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    reports = json.loads(out.stdout)
    assert len(reports) == 9 and not any(r["error"] for r in reports)
    formats = {r["format"] for r in reports}
    assert formats == {"facebook_insights", "x_analytics", "uci_facebook", "youtube_studio"}
    yt = next(r for r in reports if r["file"].endswith("Table data.csv"))
    assert yt["quarantine_reasons"] == {"Content: total_row": 1}
    assert yt["date_min"] == "2020-04-11" and yt["platforms"] == ["youtube"]


@pytest.mark.parametrize("promoted", ["-", "0.0"])
def test_x_export_typed_and_text_paths_agree(tmp_path, monkeypatch, promoted):
    """The real X sample loads the same through pyarrow's typed parse and the careful reader,
    with its promoted columns '-' (not promoted) or numbers."""
    from socialkit.loaders import _read
    from socialkit.loaders.x_analytics import read_x_analytics

    text = X_PT.read_text(encoding="utf-8").replace('"-"', f'"{promoted}"')
    path = tmp_path / X_PT.name
    path.write_text(text, encoding="utf-8")
    raw = _read.read_delimited(path, sep=",", types={"impressões": "decimal_count"}, na=("-",))
    assert str(raw.frame["impressões"].dtype) == "Float64"
    (fast,) = read_x_analytics(path)
    monkeypatch.setattr(_read, "_fast_arrow", lambda *a: None)
    (careful,) = read_x_analytics(path)
    pd.testing.assert_frame_equal(fast.data, careful.data)
    pd.testing.assert_frame_equal(fast.quarantine, careful.quarantine)
    assert fast.rows_loaded > 0
    # columns the loader does not read are still listed as ignored, on both paths
    assert fast.ignored_columns == careful.ignored_columns
    assert "engajamentos" in fast.ignored_columns


def test_lexicon_language_guard_on_real_texts():
    # the promotional lexicon reads English, Portuguese and Spanish: the Portuguese tweets
    # and English video titles count, the Vietnamese page posts do not (their English film
    # titles and "Cover Photos" do)
    from socialkit.metrics.text import in_lexicon_languages

    def share(path):
        texts = one(path).data["text"].dropna()
        return in_lexicon_languages(texts).mean(), len(texts)

    assert share(X_PT)[0] >= 0.95
    assert share(YT)[0] == 1.0
    vi, n = share(FB / "Facebook Insights Data Export (Post Level) - LOK - 2017-10-22.xlsx")
    assert n == 12 and vi <= 3 / 12
