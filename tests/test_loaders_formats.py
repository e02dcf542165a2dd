"""Documented-format fixtures and the bad-input contract of the loaders."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from socialkit import load_client
from socialkit.loaders import ExportError, load_export
from socialkit.schema import SchemaError

FIX = Path(__file__).parent / "fixtures"
CANON = "platform,post_id,published_at,format,text,reactions,comments\n"


def one(path):
    (r,) = load_export(path)
    assert r.rows_in == r.rows_loaded + r.rows_quarantined
    return r


def test_meta_facebook_fixture():
    r = one(FIX / "meta_facebook_posts.csv")
    assert r.format == "meta_facebook" and (r.rows_in, r.rows_loaded) == (4, 2)
    first = r.data.set_index("post_id").loc["1000000000000001_2000000000000001"]
    assert first["impressions"] == 1204  # "1,204" grouped thousands
    assert first["format"] == "image" and not first["paid"]
    reel = r.data.set_index("post_id").loc["1000000000000001_2000000000000002"]
    assert reel["paid"] and reel["format"] == "video" and reel["video_views"] == 2950
    assert "\n" in reel["text"]
    reasons = r.quarantine.set_index("source_row")["rule"].to_dict()
    assert reasons == {5: "timestamp", 4: "count"}  # 13/10/2026 is not MM/DD; -2 comments


def test_meta_instagram_fixture():
    r = one(FIX / "meta_instagram_posts.csv")
    assert r.data["platform"].eq("instagram").all()
    assert r.data["format"].tolist() == ["video", "carousel", "image"]
    assert pd.isna(r.data["shares"].iloc[2])  # empty stays NA, never 0
    assert r.data["saves"].sum() == 93


def test_linkedin_content_has_title_line_above_header():
    r = one(FIX / "linkedin_content.csv")
    assert r.format == "linkedin_content" and r.rows_loaded == 3
    assert r.data["source_row"].tolist() == [3, 4, 5]
    assert r.data["impressions"].iloc[0] == 2340 and pd.isna(r.data["clicks"].iloc[2])


def test_linkedin_followers_negative_count_quarantined():
    r = one(FIX / "linkedin_followers.csv")
    assert r.table == "followers" and r.rows_loaded == 2
    assert r.quarantine.iloc[0]["rule"] == "count" and r.quarantine.iloc[0]["source_row"] == 4


def test_tiktok_fixture_and_future_date():
    r = one(FIX / "tiktok_content.csv")
    assert r.data["post_id"].tolist() == ["7420000000000000001", "7420000000000000002"]
    assert r.data["video_views"].tolist() == [20400, 41800]
    assert r.quarantine.iloc[0]["rule"] == "future"
    assert "2099-01-01" in r.quarantine.iloc[0]["reason"]


# --- bad input: each either loads with reasons or is a one-line error --------------------


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return p


def test_empty_file_is_a_one_line_error(tmp_path):
    with pytest.raises(ExportError, match="empty") as exc:
        load_export(write(tmp_path, "posts.csv", ""))
    assert "\n" not in str(exc.value)


def test_header_only_loads_zero_rows(tmp_path):
    r = one(write(tmp_path, "posts.csv", CANON))
    assert (r.rows_in, r.rows_loaded) == (0, 0)


def test_wrong_delimiter_names_the_columns_seen(tmp_path):
    p = write(tmp_path, "posts.csv", CANON.replace(",", "|") + "x|1|2026-01-01|text|hi|1|0\n")
    with pytest.raises(ExportError, match=r"Registered formats: .*canonical.*Columns seen"):
        load_export(p)


def test_bom_and_semicolons(tmp_path):
    p = write(tmp_path, "posts.csv", "\ufeff" + CANON.replace(",", ";") + "x;1;2026-01-01;;;3;\n")
    r = one(p)
    assert r.rows_loaded == 1 and r.data["reactions"].iloc[0] == 3


def test_latin1_file_is_decoded_and_noted(tmp_path):
    rows = CANON + "".join(f"x,{i},2026-01-0{i},text,café crème à {i},1,0\n" for i in range(1, 6))
    r = one(write(tmp_path, "posts.csv", rows.encode("latin-1")))
    assert r.rows_loaded == 5 and r.data["text"].iloc[0] == "café crème à 1"
    assert any("Windows-1252" in n for n in r.notes)


def test_truncated_last_line_is_quarantined_not_dropped(tmp_path):
    p = write(tmp_path, "posts.csv", CANON + "x,1,2026-01-01,text,hi,1,0\nx,2,2026-01-0")
    r = one(p)
    assert (r.rows_in, r.rows_loaded, r.rows_quarantined) == (2, 1, 1)
    q = r.quarantine.iloc[0]
    assert q["source_row"] == 3 and q["rule"] == "fields" and "cut off" in q["reason"]


def test_embedded_newlines_quotes_and_bare_cr_stay_in_text(tmp_path):
    text = '"He said ""hi""\nthen left\r, twice"'
    r = one(write(tmp_path, "posts.csv", CANON + f"x,1,2026-01-01,text,{text},1,0\n"))
    assert r.rows_loaded == 1
    assert r.data["text"].iloc[0] == 'He said "hi"\nthen left\r, twice'


def test_negative_and_non_numeric_counts_quarantined_with_reason(tmp_path):
    p = write(tmp_path, "posts.csv", CANON + "x,1,2026-01-01,,,-5,0\nx,2,2026-01-02,,,lots,0\n")
    r = one(p)
    assert r.rows_loaded == 0
    assert r.quarantine["rule"].tolist() == ["count", "count"]
    assert "row 3" in r.quarantine["reason"].iloc[1] and "'lots'" in r.quarantine["reason"].iloc[1]
    assert "non-negative integer" in r.quarantine["reason"].iloc[0]


def test_unknown_columns_are_listed(tmp_path):
    r = one(write(tmp_path, "posts.csv", "mood," + CANON.rstrip() + "\nok,x,1,2026-01-01,,,1,0\n"))
    assert r.ignored_columns == ["mood"]


def test_duplicated_column_with_different_values_is_an_error(tmp_path):
    p = write(tmp_path, "posts.csv", CANON.rstrip() + ",reactions\nx,1,2026-01-01,,,1,0,9\n")
    with pytest.raises(SchemaError, match=r"'reactions' appears 2 times \(columns 6, 8\)"):
        load_export(p)


@pytest.mark.parametrize(
    "older, newer",
    [
        ("a_2026-01.csv", "b_2026-02.csv"),  # names that sort by date
        # a browser names the second download "x (1).csv", which sorts before "x.csv"
        ("posts.csv", "posts (1).csv"),
    ],
)
def test_overlapping_exports_the_one_reaching_later_wins_and_is_reported(tmp_path, older, newer):
    client = tmp_path / "c"
    (client / "exports").mkdir(parents=True)
    (client / "client.yaml").write_text("name: C\n")
    (client / "exports" / older).write_text(CANON + "x,1,2026-01-01,,,1,0\n")
    (client / "exports" / newer).write_text(CANON + "x,1,2026-01-01,,,7,0\nx,2,2026-01-09,,,1,0\n")
    c = load_client(client)
    assert c.posts.set_index("post_id").loc["1", "reactions"] == 7
    assert c.quarantine["rule"].tolist() == ["superseded"]
    assert c.quarantine["source_file"].tolist() == [older]
    assert "reaches later" in c.quarantine["reason"].iloc[0]


def test_validate_cli_exit_code_and_json(tmp_path):
    good = write(tmp_path, "posts.csv", CANON + "x,1,2026-01-01,,,1,0\n")
    bad = write(tmp_path, "notes.csv", "hello,world\n1,2\n")
    run = [sys.executable, "-m", "socialkit", "validate", "--format", "json"]
    ok = subprocess.run([*run, str(good)], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)[0]["rows_loaded"] == 1
    fail = subprocess.run([*run, str(good), str(bad)], capture_output=True, text=True)
    assert fail.returncode != 0
    reports = json.loads(fail.stdout)
    assert reports[1]["error"].startswith(str(bad)) and "'hello'" in reports[1]["error"]


def test_fast_and_careful_readers_agree(tmp_path, monkeypatch):
    from socialkit.loaders import _read

    rows = "".join(
        f'x,{i},2026-01-{i % 28 + 1:02d}T10:00:00Z,image,"line one\nline ""two""",{i},\n'
        for i in range(200)
    )
    p = write(tmp_path, "posts.csv", CANON + rows + "x,bad,2026-02-30,,,-1,0\n")
    fast = one(p)
    monkeypatch.setattr(_read, "_fast_arrow", lambda *a: None)
    careful = one(p)
    pd.testing.assert_frame_equal(fast.data, careful.data)
    pd.testing.assert_frame_equal(fast.quarantine, careful.quarantine)


@pytest.mark.parametrize(
    "last_row, typed",
    [
        ("x,last,2026-02-01T10:00:00+02:00,,,5,", True),  # every count and time converts
        ("x,last,2026-02-01T10:00:00,,,5,", False),  # a time without offset: text path
        ("x,last,1960-02-01T10:00:00Z,,,5,", False),  # converts, but out of range
        ("x,last,2026-02-01T10:00:00Z,,, -3 ,", False),  # a negative count
        ("x,last,2026-02-01T10:00:00Z,,,1.0,", False),  # a whole number written as 1.0
        ("x,last,2099-02-01T10:00:00Z,,,5,", False),  # in range, but in the future
        ("x,0,2026-02-01T10:00:00Z,,,5,", True),  # a duplicate post id
    ],
)
def test_typed_fast_path_agrees_with_the_careful_reader(tmp_path, monkeypatch, last_row, typed):
    from socialkit.loaders import _read
    from socialkit.loaders.canonical import _TYPED

    rows = "".join(f"x,{i},2026-01-{i % 28 + 1:02d}T10:00:00Z,image,hi,{i},\n" for i in range(50))
    p = write(tmp_path, "posts.csv", CANON + rows + last_row + "\n")
    raw = _read.read_delimited(p, types=_TYPED).frame
    assert (str(raw["reactions"].dtype) == "Int64") is typed
    assert (str(raw["published_at"].dtype) == "datetime64[ns, UTC]") is typed
    fast = one(p)
    monkeypatch.setattr(_read, "_fast_arrow", lambda *a: None)
    careful = one(p)
    pd.testing.assert_frame_equal(fast.data, careful.data)
    pd.testing.assert_frame_equal(fast.quarantine, careful.quarantine)
    assert fast.rows_in == 51 and fast.rows_loaded == 51 - len(fast.quarantine)


def test_x_export_in_an_unknown_language_is_mapped_by_position(tmp_path):
    from socialkit.loaders.x_analytics import HEADERS

    header = ",".join(f'"c{i}"' for i in range(40))
    metrics = ",".join(['"5.0"'] * 18) + "," + ",".join(['"-"'] * 18)
    row = f'"123","https://twitter.com/a/status/123","hola","2022-04-05 02:29 +0000",{metrics}'
    r = one(write(tmp_path, "tweet_activity_metrics_a_es.csv", header + "\n" + row + "\n"))
    assert r.format == "x_analytics" and r.data["impressions"].iloc[0] == 5
    assert any("mapped by their position" in n for n in r.notes)
    assert len(HEADERS) == 22


def test_x_tweets_with_a_url_or_media_are_not_called_links(tmp_path):
    # an image, a link card and a quoted tweet all show as a t.co URL in the text, and
    # media views count only opened media: such a tweet is "other", not "link"
    from socialkit.loaders.x_analytics import ENGLISH_HEADER

    names = [h.lower() for h in ENGLISH_HEADER]
    rows = []
    for k, (text, media_views) in enumerate(
        [("just words", 0), ("me and my homies https://t.co/abc", 0), ("look https://t.co/d", 7)]
    ):
        cells = dict.fromkeys(names, "0")
        cells.update({"tweet id": str(100 + k), "tweet text": text})
        cells["tweet permalink"] = f"https://twitter.com/a/status/{100 + k}"
        cells["time"] = "2022-04-05 02:29 +0000"
        cells["media views"] = str(media_views)
        rows.append(",".join(f'"{cells[n]}"' for n in names))
    header = ",".join(f'"{h}"' for h in ENGLISH_HEADER)
    r = one(write(tmp_path, "tweet_activity_metrics.csv", "\n".join([header, *rows]) + "\n"))
    assert r.format == "x_analytics"
    assert r.data.sort_values("post_id")["format"].tolist() == ["text", "other", "other"]


@pytest.mark.parametrize(
    "body, rows",
    [
        ("x,1,2026-01-01T10:00:00Z,,,1,0\n\nx,2,2026-01-02T10:00:00Z,,,2,0\n", [2, 4]),
        ("x,1,2026-01-01T10:00:00Z,,,1,0\r\n\r\nx,2,2026-01-02T10:00:00Z,,,2,0\r\n", [2, 4]),
        ("x,1,2026-01-01T10:00:00Z,,,1,0\n,,,,,,\nx,2,2026-01-02T10:00:00Z,,,2,0\n", [2, 4]),
        ('x,1,2026-01-01T10:00:00Z,,"one\n\ntwo",1,0\nx,2,2026-01-02T10:00:00Z,,,2,0\n\n', [2, 3]),
    ],
)
def test_blank_lines_keep_row_numbers_on_every_reader_path(tmp_path, monkeypatch, body, rows):
    from socialkit.loaders import _read

    p = write(tmp_path, "posts.csv", CANON + body)
    fast = one(p)
    monkeypatch.setattr(_read, "_fast_arrow", lambda *a: None)
    careful = one(p)
    pd.testing.assert_frame_equal(fast.data, careful.data)
    pd.testing.assert_frame_equal(fast.quarantine, careful.quarantine)
    assert fast.data["source_row"].tolist() == rows


@pytest.mark.parametrize(
    "data, bare",
    [
        (b"ab\r\ncd\r\n", False),
        (b"ab\rcd\n", True),
        (b"ab\r\ncd\r", True),
        (b"a\r\r\nb\r\n", True),
        (b"\r\n\r\n", False),
        (b"ab\n", False),
    ],
)
def test_bare_carriage_returns_and_quotes_are_found(tmp_path, data, bare):
    from socialkit.loaders._read import _scan

    p = tmp_path / "f.csv"
    p.write_bytes(data)
    assert _scan(p) == (bare, False)
    p.write_bytes(b'"q"\n' + data)
    assert _scan(p) == (bare, True)


def test_a_file_without_quotes_is_split_anywhere_and_one_with_them_is_not(tmp_path):
    # without a double quote no value can span lines, so pyarrow may parse blocks in
    # parallel; with one, a quoted line break must stay inside its value
    rows = "".join(f"x,{i},2026-01-{i % 28 + 1:02d},image,text {i},{i},\n" for i in range(3000))
    plain = one(write(tmp_path, "a.csv", CANON + rows))
    assert plain.rows_loaded == 3000 and plain.data["text"].iloc[-1] == "text 2999"
    quoted = one(write(tmp_path, "b.csv", CANON + rows + 'x,q,2026-01-01,image,"two\nlines",1,\n'))
    assert quoted.rows_loaded == 3001 and quoted.data["text"].iloc[-1] == "two\nlines"


def test_sum_of_counts_is_the_same_for_typed_and_text_parts():
    from socialkit.loaders._mapping import sum_counts

    organic = pd.Series([1, None, None, 2.0, 0], dtype="Float64")
    promoted = pd.Series([None, 3, None, 1.0, 0], dtype="Float64")
    typed = sum_counts(organic, promoted)
    text = sum_counts(organic.astype("string"), promoted.astype("string"))
    assert typed.tolist()[:2] == [1.0, 3.0] and pd.isna(typed.iloc[2])
    pd.testing.assert_series_equal(pd.to_numeric(text).astype("Float64"), typed)
