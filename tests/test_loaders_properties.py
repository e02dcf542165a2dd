"""Property tests: malformed exports of every text format keep the accounting and error contract."""

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialkit.loaders import ExportError, load_export
from socialkit.loaders.twcs import COLUMNS as TWCS_COLUMNS
from socialkit.loaders.x_analytics import ENGLISH_HEADER
from socialkit.schema import SchemaError

FIX = Path(__file__).parent / "fixtures"


def _header(path):
    return next(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


FORMATS = {
    "canonical": ["platform", "post_id", "published_at", "format", "text", "reactions"],
    "x_analytics": ENGLISH_HEADER,
    "meta_facebook": _header(FIX / "meta_facebook_posts.csv"),
    "meta_instagram": _header(FIX / "meta_instagram_posts.csv"),
    "tiktok_content": _header(FIX / "tiktok_content.csv"),
    "twcs": list(TWCS_COLUMNS),
    "youtube_studio": ["Content", "Video title", "Video publish time", "Views", "Impressions"],
    "uci_facebook": [
        "Page total likes",
        "Type",
        "Post Month",
        "Post Weekday",
        "Post Hour",
        "Lifetime Post Total Reach",
        "like",
        "share",
    ],
}

cell = st.one_of(
    st.just(""),
    st.just("-"),
    st.integers(-5, 10**7).map(str),
    st.sampled_from(
        [
            "2026-10-01",
            "2026-10-01 10:00 +0000",
            "10/01/2026 08:00",
            "Apr 29, 2020",
            "Tue Oct 31 22:10:47 +0000 2017",
            "True",
            "119237.0",
            "1.19e+05",
            "2099-12-31",
            "31/12/2026",
            "x",
            "Photo",
            "12",
            "7",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.just('quote " and, comma\nnewline'),
)


@st.composite
def export(draw):
    name = draw(st.sampled_from(sorted(FORMATS)))
    header = FORMATS[name]
    n = draw(st.integers(0, 8))
    rows = [[draw(cell) for _ in header] for _ in range(n)]
    sep = ";" if name == "uci_facebook" else ","
    buf = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n", quoting=quoting)
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])), "replace")
    cut = draw(st.one_of(st.none(), st.integers(0, len(data))))
    return name, (data if cut is None else data[:cut]), n, cut is None


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(export())
def test_accounting_and_error_contract(tmp_path, case):
    name, data, n, whole = case
    path = tmp_path / ("Table data.csv" if name == "youtube_studio" else f"{name}.csv")
    path.write_bytes(data)
    try:
        results = load_export(path)
    except (ExportError, SchemaError) as exc:
        msg = str(exc)
        assert msg.startswith(str(path)) and "\n" not in msg, msg
        assert "bug in socialkit" not in msg, msg
        assert not whole or n == 0 or name in {"youtube_studio", "uci_facebook", "tiktok_content"}
        return
    for r in results:
        assert r.rows_in == r.rows_loaded + r.rows_quarantined
        assert set(r.quarantine["reason"].str.len() > 0) <= {True}
        assert r.data["source_row"].is_unique
        if whole:
            assert r.rows_in == n  # nothing silently dropped


# --- hostile shapes (issue 27): crafted structure is refused by name, fast, or read ----------

import os  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from hostile import SSML_HEAD  # noqa: E402
from hostile import xlsx as make_xlsx  # noqa: E402

from socialkit.profile import ProfileError, read_profile  # noqa: E402


def _refused_or_loaded(path, started, seconds=5.0):
    """The contract for a crafted file: a one-line error naming the file, or sound results."""
    try:
        results = load_export(path)
    except (ExportError, SchemaError) as exc:
        msg = str(exc)
        assert msg.startswith(str(path)) and "\n" not in msg and len(msg) < 1000, msg
        assert "bug in socialkit" not in msg, msg
        results = []
    for r in results:
        assert r.rows_in == r.rows_loaded + r.rows_quarantined
    assert time.perf_counter() - started < seconds
    return results


_SSML_TOKENS = st.one_of(
    st.sampled_from(
        [
            "<Row>",
            "</Row>",
            "<Cell>",
            "</Cell>",
            "<Data>Post ID</Data>",
            "<Data>Permalink</Data>",
            "<Data>Posted</Data>",
            "<Data>x</Data>",
            '<Worksheet ss:Name="Key Metrics"><Table>',
            "</Table></Worksheet>",
            "<Row><Cell><Data>Post ID</Data></Cell><Cell><Data>Permalink</Data></Cell>"
            "<Cell><Data>Posted</Data></Cell></Row>",
        ]
    ),
    st.integers(-3, 10**10).map(lambda i: f'<Cell ss:Index="{i}"><Data>v</Data></Cell>'),
    st.integers(-3, 10**10).map(lambda i: f'<Row ss:Index="{i}"><Cell><Data>1</Data></Cell></Row>'),
    st.text(alphabet="<>/&;\"'= abcRowCel", max_size=8),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_SSML_TOKENS, max_size=40), st.integers(0, 3000), st.booleans())
def test_crafted_spreadsheetml_is_refused_by_name_or_read(tmp_path, tokens, flood, close):
    path = tmp_path / "insights.xls"
    body = "".join(tokens) + "<Row>" * flood + ("</Workbook>" if close else "")
    path.write_text(SSML_HEAD + body, encoding="utf-8")
    _refused_or_loaded(path, time.perf_counter())


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(1, 60), st.sampled_from([",", ";", "\t"]), st.integers(0, 3))
def test_wide_headers_are_refused_over_max_columns(tmp_path, width, sep, rows):
    path = tmp_path / "posts.csv"
    header = ["platform", "post_id", "published_at"] + [f"c{i}" for i in range(width)]
    body = [sep.join(["instagram", str(i), "2026-06-01"] + ["1"] * width) for i in range(rows)]
    path.write_text("\n".join([sep.join(header), *body]) + "\n")
    old = os.environ.get("SOCIALKIT_MAX_COLUMNS")
    os.environ["SOCIALKIT_MAX_COLUMNS"] = "40"
    try:
        results = _refused_or_loaded(path, time.perf_counter())
    finally:
        if old is None:
            del os.environ["SOCIALKIT_MAX_COLUMNS"]
        else:
            os.environ["SOCIALKIT_MAX_COLUMNS"] = old
    assert bool(results) == (len(header) <= 40)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(1, 8), st.integers(1, 300))
def test_xlsx_sheet_count_and_size_limits(tmp_path, sheets, rows):
    path = make_xlsx(tmp_path / "book.xlsx", sheets=sheets, rows=rows)
    old = {k: os.environ.get(k) for k in ("SOCIALKIT_MAX_XLSX_SHEETS",)}
    os.environ["SOCIALKIT_MAX_XLSX_SHEETS"] = "4"
    try:
        load_export(path)
        refused = None
    except (ExportError, SchemaError) as exc:
        refused = str(exc)
    finally:
        for k, v in old.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
    assert (refused is not None and "MAX_XLSX_SHEETS" in refused) == (sheets > 4)


_YAML_PIECES = st.one_of(
    st.integers(0, 200).map(lambda d: "[" * d + "]" * d),
    st.integers(0, 200).map(lambda d: "{a: " * d + "1" + "}" * d),
    st.integers(0, 150).map(lambda n: "[" + ", ".join(["*a"] * n) + "]"),
    st.sampled_from(["Acme", "'=1+1'", "$\\frac{$", "!!python/object:os.system x", "&b [*a, *a]"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(_YAML_PIECES, st.sampled_from(["name", "kpis", "strategy_start", "competitors", "bogus"]))
def test_crafted_client_yaml_is_a_profile_error_or_a_profile(tmp_path, value, key):
    path = tmp_path / "client.yaml"
    path.write_text(f"industry: &a retail\n{key}: {value}\n")
    started = time.perf_counter()
    try:
        read_profile(path)
    except ProfileError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 600, str(exc)
    assert time.perf_counter() - started < 3
