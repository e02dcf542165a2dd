import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkit.loaders.canonical import read_canonical
from socialkit.schema import TABLES, SchemaError, columns, validate


def test_coerces_types_and_keeps_unknown_as_na():
    raw = pd.DataFrame(
        {
            "platform": [" Instagram", "twitter"],
            "post_id": ["1", "2"],
            "published_at": ["2026-03-02T14:05:00+02:00", "2026-03-02 10:00"],
            "format": ["photo", "Video"],
            "reactions": ["12", ""],
            "paid": ["yes", "0"],
        }
    )
    r = validate(raw, "posts", "posts.csv")
    d = r.data
    assert list(d["platform"]) == ["instagram", "x"]
    assert list(d["format"]) == ["image", "video"]
    assert str(d["published_at"].dtype) == "datetime64[ns, UTC]"
    assert d["published_at"].iloc[0] == pd.Timestamp("2026-03-02T12:05:00Z")
    assert d["published_at"].iloc[1] == pd.Timestamp("2026-03-02T10:00:00Z")  # naive -> UTC
    assert d["reactions"].iloc[0] == 12 and pd.isna(d["reactions"].iloc[1])  # NA, never 0
    assert d["shares"].isna().all()  # column absent -> NA
    assert list(d["paid"]) == [True, False]
    assert list(d["source_row"]) == [2, 3]
    assert r.rows_quarantined == 0


def test_quarantine_names_row_column_value_and_rule():
    raw = pd.DataFrame(
        {
            "platform": ["instagram", "myspace", "facebook", "facebook", "x"],
            "post_id": ["1", "2", "3", "", "5"],
            "published_at": ["2026-01-01", "2026-01-01", "yesterday", "2026-01-01", "2026-01-02"],
            "reactions": ["1", "2", "3", "4", "-5"],
        }
    )
    r = validate(raw, "posts", "export.csv")
    assert r.rows_in == 5 and r.rows_loaded == 1 and r.rows_quarantined == 4
    q = r.quarantine.set_index("source_row")
    assert q.loc[3, "column"] == "platform" and q.loc[3, "rule"] == "enum"
    assert "instagram, facebook" in q.loc[3, "reason"] and "export.csv, row 3" in q.loc[3, "reason"]
    assert q.loc[4, "column"] == "published_at" and q.loc[4, "value"] == "yesterday"
    assert q.loc[5, "rule"] == "required"
    assert q.loc[6, "column"] == "reactions" and "non-negative integer" in q.loc[6, "reason"]
    assert r.quarantine_reasons() == {
        "platform: enum": 1,
        "post_id: required": 1,
        "published_at: timestamp": 1,
        "reactions: count": 1,
    }


def test_non_integer_and_out_of_range_values_are_quarantined():
    raw = pd.DataFrame(
        {
            "platform": ["x"] * 3,
            "comment_id": ["a", "b", "c"],
            "post_id": ["p"] * 3,
            "created_at": ["2026-01-01T00:00:00Z"] * 3,
            "sentiment": ["0.5", "1.5", "abc"],
            "is_brand": ["true", "maybe", "f"],
        }
    )
    r = validate(raw, "comments")
    assert r.rows_loaded == 1
    assert set(r.quarantine["column"]) == {"sentiment", "is_brand"}


def test_duplicate_keys_keep_the_later_row():
    raw = pd.DataFrame(
        {
            "platform": ["x", "x", "x"],
            "post_id": ["1", "1", "2"],
            "published_at": ["2026-01-01", "2026-01-02", "2026-01-03"],
        }
    )
    r = validate(raw, "posts", "p.csv")
    assert r.rows_loaded == 2 and r.rows_quarantined == 1
    assert r.data.set_index("post_id").loc["1", "published_at"].day == 2
    assert "row 3 was kept" in r.quarantine["reason"].iloc[0]


def test_missing_required_column_error_names_file_column_and_columns_present():
    raw = pd.DataFrame({"platform": ["x"], "id": ["1"], "date": ["2026-01-01"]})
    with pytest.raises(SchemaError) as exc:
        validate(raw, "posts", "my_posts.csv")
    msg = str(exc.value)
    assert "my_posts.csv" in msg and "'post_id'" in msg and "'id'" in msg
    assert exc.value.column == "post_id"


def test_unknown_table_lists_allowed():
    with pytest.raises(ValueError, match="posts, followers, comments"):
        validate(pd.DataFrame(), "tweets")


def test_canonical_csv_and_parquet_round_trip(tmp_path):
    (tmp_path / "posts.csv").write_text(
        "platform,post_id,published_at,reactions\ninstagram,1,2026-01-01T10:00:00Z,5\n"
        "instagram,2,not a date,3\n",
        encoding="utf-8",
    )
    r = read_canonical(tmp_path / "posts.csv")
    assert (r.rows_in, r.rows_loaded, r.rows_quarantined) == (2, 1, 1)
    assert r.quarantine["source_row"].iloc[0] == 3
    r.data[columns("posts")].to_parquet(tmp_path / "p.parquet")
    back = read_canonical(tmp_path / "p.parquet", "posts")
    assert back.rows_loaded == 1 and back.data["reactions"].iloc[0] == 5


def test_bad_utf8_bytes_are_recovered_reported_and_the_row_kept_in_accounting(tmp_path):
    (tmp_path / "posts.csv").write_bytes(
        b"platform,post_id,published_at,text\nx,1,2026-01-01,caf\xc3?\nx,2,\xff\xfe,ok\n"
    )
    r = read_canonical(tmp_path / "posts.csv")
    assert (r.rows_in, r.rows_loaded, r.rows_quarantined) == (2, 1, 1)
    assert r.data["text"].iloc[0] == "caf\ufffd?"
    assert any("invalid UTF-8" in n and "line 2" in n for n in r.notes)
    assert r.quarantine.iloc[0]["column"] == "published_at"


cell = st.one_of(
    st.none(),
    st.text(max_size=8),
    st.integers(-5, 10**6).map(str),
    st.sampled_from(["2026-01-01", "instagram", "video", "true", "1.5", " "]),
)


@pytest.mark.parametrize("table", list(TABLES))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_accounting_holds_for_any_input(table, data):
    cols = columns(table)
    n = data.draw(st.integers(0, 12))
    frame = pd.DataFrame({c: data.draw(st.lists(cell, min_size=n, max_size=n)) for c in cols})
    r = validate(frame, table)
    assert r.rows_in == n == r.rows_loaded + r.rows_quarantined
    assert r.quarantine["reason"].notna().all()
    assert set(r.data.columns) >= set(cols)


MESSY = ["Twitter", " IG ", "x", "Reel", "photo", "video", "yes", "No", "1", "nope", "", "  "]
CLEAN = {"platform": ["x", "instagram"], "format": ["video", "image"], "paid": ["True", "False"]}


@pytest.mark.parametrize("dtype", ["object", "string"])
@pytest.mark.parametrize("name", ["platform", "format", "paid"])
@pytest.mark.parametrize("clean", [False, True])
def test_coercing_each_distinct_value_once_equals_coercing_every_row(name, dtype, clean):
    from socialkit.schema import _coerce

    col = {c.name: c for c in TABLES["posts"]}[name]
    values = CLEAN[name] if clean else MESSY  # clean: already canonical (a shortcut's case)
    rng = np.random.default_rng(1)
    raw = pd.Series(rng.choice(values, 5000), dtype=object)
    raw[rng.random(5000) < 0.1] = None
    raw = raw.astype(dtype)
    per_value, bad_per_value = _coerce(col, raw)
    per_row, bad_per_row = _coerce(col, raw, per_value=False)
    pd.testing.assert_series_equal(per_value, per_row)
    pd.testing.assert_series_equal(bad_per_value, bad_per_row)
    assert (bad_per_row.sum() == 0) if clean else (0 < bad_per_row.sum() < len(raw))


@pytest.mark.parametrize("fmt", ["%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S %z", "%d/%m/%Y %H:%M%z"])
def test_times_with_a_zone_offset_parse_as_pandas_does_value_by_value(fmt):
    from socialkit.schema import _by_format

    rng = np.random.default_rng(0)
    offsets = ["+0000", "+0130", "-0500", "+00:00", "Z", "+01", "+2500", "-1230", "", "+0060"]
    times = pd.to_datetime(1.6e9 + rng.integers(0, 3e8, 2000), unit="s")
    values = [
        t.strftime(fmt[:-2].rstrip()) + fmt[len(fmt[:-2].rstrip()) : -2] + offsets[i % 10]
        for i, t in enumerate(times)
    ]
    values[::97] = ["2022-02-30 10:00 +0000"] * len(values[::97])
    values[::101] = [None] * len(values[::101])
    values[:6] = [  # blanks and line breaks about the offset, none before it, nothing else
        values[6] + " ", values[6].replace(" +", "  +"), values[6].replace(" +", "\n+"),
        values[6].replace(" ", "  ", 1), "+0000", " +0000",
    ]  # fmt: skip
    text = pd.Series(values, dtype="string")
    ours = _by_format(text, fmt).astype("datetime64[ns, UTC]")
    pandas = pd.to_datetime(text, errors="coerce", format=fmt, utc=True)
    pd.testing.assert_series_equal(ours, pandas.astype("datetime64[ns, UTC]"))
    assert 0.4 < ours.notna().mean() < 0.8  # the mixed offsets parse; the malformed don't


def test_an_export_with_mixed_zone_offsets_loads(tmp_path):
    from socialkit.schema import parse_times

    text = pd.Series(["2022-04-05 02:29 +0000", "2022-04-05 02:29 +0200", "2022-04-05 02:29"])
    out = parse_times(text, ["%Y-%m-%d %H:%M %z"])
    assert out.tolist()[:2] == [
        pd.Timestamp("2022-04-05 02:29", tz="UTC"),
        pd.Timestamp("2022-04-05 00:29", tz="UTC"),
    ]
    assert pd.isna(out.iloc[2])


@pytest.mark.parametrize(
    "ids, unique",
    [
        (["1", "2", "10"], True),  # rising digits
        (["3", "1", "2"], True),  # digits in any order
        (["2", "1", "2"], False),
        (["1", "01"], True),  # the same number, different text: distinct ids
        (["a", "b", "a"], False),
        (["a", None, "b"], True),
        (["a", None, None], False),  # missing twice: as pandas counts it
        (["b", "B", "b "], True),
    ],
)
@pytest.mark.parametrize("storage", ["python", "pyarrow"])
def test_id_uniqueness_shortcuts_agree_with_the_text(ids, unique, storage):
    from socialkit.schema import _is_unique

    values = pd.Series(ids, dtype=pd.StringDtype(storage))
    assert _is_unique(values) is unique
    assert _is_unique(values.astype(object)) is unique


@pytest.mark.parametrize("dtype", ["object", "string"])
def test_text_is_stripped_and_empty_is_missing_with_or_without_changes(dtype):
    from socialkit.schema import _as_text

    changed = _as_text(pd.Series([" a", "b\t", "", "  ", None, "c"], dtype=dtype))
    assert changed.tolist() == ["a", "b", pd.NA, pd.NA, pd.NA, "c"]
    unchanged = pd.Series(["a", None, "b c"], dtype="string")
    assert _as_text(unchanged.astype(dtype)).tolist() == ["a", pd.NA, "b c"]


@pytest.mark.parametrize("table", list(TABLES))
def test_absent_columns_and_the_file_column_equal_their_plain_pandas_versions(table):
    from socialkit.schema import _dtype, _missing, _repeated

    index = pd.RangeIndex(4)
    for col in TABLES[table]:
        built = _missing(col, index)
        pd.testing.assert_series_equal(built, pd.Series(pd.NA, index=index, dtype=_dtype(col)))
        built.iloc[0] = built.iloc[1]  # each column is its own: writing one touches no other
    pd.testing.assert_series_equal(
        _repeated("a.csv", index), pd.Series("a.csv", index=index, dtype="string")
    )


_EDGE = st.sampled_from(["a", "é", "🙂", " ", "\t", "\n", "\u00a0", "\u3000", "\u2009", "\u200b",
                         "\x1c", "\x85", "ü", "x"])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(_EDGE, max_size=4).map("".join)), min_size=1))
def test_edge_space_says_whether_stripping_would_change_a_value(values):
    """``_as_text`` strips a column only when some value starts or ends with whitespace
    (``edge_space``, read from the Arrow buffers): it must agree with Arrow's own strip on
    ASCII and Unicode spaces, multi-byte letters and emoji at the edges, and missing values."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from socialkit.metrics._arrow import edge_space
    from socialkit.schema import _as_text

    arr = pa.array(values, pa.string())
    stripped = pc.utf8_trim_whitespace(arr)
    assert edge_space(arr) == bool(pc.any(pc.not_equal(stripped, arr)).as_py())
    assert edge_space(arr.slice(1)) == bool(pc.any(pc.not_equal(stripped[1:], arr[1:])).as_py())
    s = pd.Series(values, dtype="string")
    want = s.str.strip()
    assert _as_text(s).equals(want.mask((want == "").fillna(False)))


def test_ids_of_many_files_are_tested_for_repeats_half_by_half():
    from socialkit.schema import _SPLIT_UNIQUE, _unique_by_file

    half = _SPLIT_UNIQUE // 2 + 1
    files = np.repeat([0, 1], half)
    ids = pd.Series([f"id{i}" for i in range(half)] * 2, dtype="string")

    def frame(ids, files):
        return pd.DataFrame(
            {"source_file": pd.Categorical.from_codes(files, ["a", "b"]), "post_id": ids}
        )

    key = ["source_file", "platform", "post_id"]
    assert _unique_by_file(frame(ids, files), key)  # the same ids in both files: fine
    again = ids.copy()
    again.iloc[-1] = again.iloc[-2]  # a repeat within the last file
    assert not _unique_by_file(frame(again, files), key)
    again = ids.copy()
    again.iloc[1] = again.iloc[0]  # within the first
    assert not _unique_by_file(frame(again, files), key)
    # files out of order: the whole column is tested at once (ids repeat across files)
    assert not _unique_by_file(frame(ids, files[::-1].copy()), key)


@pytest.mark.parametrize("formats", [None, ["%d/%m/%Y"]])
def test_dates_coerced_once_per_distinct_value_equal_dates_coerced_row_by_row(formats):
    from socialkit.schema import _PER_VALUE, TABLES, _coerce

    col = next(c for c in TABLES["followers"] if c.name == "date")
    seen = ["2026-05-01", "2026-13-01", "", None, " 2026-05-02", "01/05/2026", "x"]
    raw = pd.Series((seen * (_PER_VALUE // len(seen) + 2))[: _PER_VALUE + 5], dtype="string")
    per_value, per_value_bad = _coerce(col, raw, formats)  # distinct values, spread back
    by_row, by_row_bad = _coerce(col, raw, formats, per_value=False)
    pd.testing.assert_series_equal(per_value, by_row)
    pd.testing.assert_series_equal(per_value_bad, by_row_bad)
    assert per_value.notna().any() and per_value_bad.any()
