"""Issue 27, parsers with limits: each crafted file is refused (or read) fast, by name.

Each attack is built in the test at a small but representative size (or with
the limit lowered through its ``SOCIALKIT_<NAME>`` variable) and must finish in
a few seconds with an error naming the file and the limit.
"""

from __future__ import annotations

import time

import matplotlib
import pytest
from hostile import (
    alias_bomb,
    client,
    deep_json,
    deep_yaml,
    huge_index,
    row_flood,
    wide_csv,
    within,
)
from hostile import xlsx as make_xlsx

from socialkit.client import load_client
from socialkit.limits import LimitError
from socialkit.loaders import ExportError, load_export
from socialkit.loaders._sheets import head_rows, pick_sheet, read_workbook
from socialkit.profile import ProfileError, read_profile
from socialkit.schema import SchemaError

matplotlib.use("Agg")


def test_row_flood_in_spreadsheetml_head_is_linear(tmp_path):
    path = row_flood(tmp_path / "flood.xls", rows=20_000)  # 100 KB: 99 s before
    with within(5):
        assert head_rows(path, 5) == []
        with pytest.raises(ExportError) as exc:
            load_export(path)
    assert str(exc.value).startswith(str(path)) and "bug" not in str(exc.value)


def test_spreadsheetml_head_rows_reads_the_named_sheet(tmp_path):
    from hostile import SSML_HEAD

    path = tmp_path / "two.xls"
    sheet = '<Worksheet ss:Name="{}"><Table><Row><Cell><Data>{}</Data></Cell>'
    sheet += '<Cell ss:Index="3"><Data>c&amp;d</Data></Cell></Row></Table></Worksheet>'
    path.write_text(
        SSML_HEAD + sheet.format("First", "a") + sheet.format("Second", "b") + "</Workbook>"
    )
    assert head_rows(path, 5) == [["a", "", "c&d"]]
    assert head_rows(path, 5, sheet="sec") == [["b", "", "c&d"]]


@pytest.mark.parametrize("index", [2_000_000_000, 30_000_000])
def test_huge_ss_index_is_refused_before_anything_is_built(tmp_path, index):
    path = huge_index(tmp_path / "insights.xls", index)
    with within(5), pytest.raises(ExportError, match="MAX_COLUMNS") as exc:
        load_export(path)
    assert str(exc.value).startswith(str(path))


def test_xlsx_zip_bomb_is_refused_from_its_directory(tmp_path, monkeypatch):
    # 20,000 rows compress to a few KB; with the limit at 1 MB this is the 279 MB bomb in small
    path = make_xlsx(tmp_path / "bomb.xlsx", sheets=1, rows=20_000)
    assert path.stat().st_size < 200_000
    monkeypatch.setenv("SOCIALKIT_MAX_XLSX_UNCOMPRESSED_BYTES", str(1024**2))
    with within(5), pytest.raises(ExportError, match="MAX_XLSX_UNCOMPRESSED_BYTES") as exc:
        load_export(path)
    assert str(exc.value).startswith(str(path))
    monkeypatch.delenv("SOCIALKIT_MAX_XLSX_UNCOMPRESSED_BYTES")
    assert head_rows(path, 1) == [["Post ID"]]  # under the default limit it reads


def test_xlsx_with_thousands_of_sheets_is_refused(tmp_path):
    path = make_xlsx(tmp_path / "sheets.xlsx", sheets=2_000)
    with within(5), pytest.raises(ExportError, match="MAX_XLSX_SHEETS"):
        load_export(path)


def test_xlsx_without_dimension_is_not_read_whole_to_detect_it(tmp_path):
    path = make_xlsx(tmp_path / "big.xlsx", rows=100_000)  # 7.6 MB of XML, no <dimension>
    with within(5):  # openpyxl alone scans every sheet to its end when opening it: ~10 s
        with pytest.raises(ExportError, match="not a recognised export"):
            load_export(path)


def test_declared_xlsx_dimension_does_not_pad_rows(tmp_path):
    path = make_xlsx(tmp_path / "dim.xlsx", rows=2, dimension="A1:XFD1048576")
    with within(5):
        sheets, _ = read_workbook(path)
        rows = pick_sheet(sheets, None)
    assert rows == [(1, ["Post ID"]), (2, ["Post ID"])]


def test_xlsx_row_number_far_down_is_refused_over_max_rows(tmp_path, monkeypatch):
    path = make_xlsx(tmp_path / "far.xlsx", rows=1, first=2_000_000_000)
    monkeypatch.setenv("SOCIALKIT_MAX_ROWS", "1000")
    with within(5), pytest.raises(ExportError, match="MAX_ROWS"):
        pick_sheet(read_workbook(path)[0], None)


def test_only_the_sheet_a_format_needs_is_read(tmp_path):
    path = make_xlsx(tmp_path / "three.xlsx", sheets=3, rows=2)
    sheets, _ = read_workbook(path)
    assert list(sheets) == ["S1", "S2", "S3"]
    assert pick_sheet(sheets, "S2") == [(1, ["Post ID"]), (2, ["Post ID"])]
    assert list(sheets._rows) == ["S2"]  # S1 and S3 were never parsed


def test_yaml_alias_bomb_is_refused_fast_with_a_short_message(tmp_path):
    c = client(tmp_path / "c")
    (c / "client.yaml").write_text(alias_bomb())  # ~400 bytes, 9**9 values expanded
    assert (c / "client.yaml").stat().st_size < 600
    with within(5), pytest.raises(ProfileError, match="MAX_YAML_NODES") as exc:
        load_client(c)
    assert len(str(exc.value)) < 400


def test_yaml_alias_count_is_bounded(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("a: &a x\nname: [" + ", ".join(["*a"] * 150) + "]\n")
    with within(5), pytest.raises(ProfileError, match="MAX_YAML_ALIASES"):
        read_profile(path)


def test_deeply_nested_client_yaml_is_refused_not_a_recursion_error(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text(deep_yaml(100_000))
    with within(5), pytest.raises(ProfileError, match="MAX_YAML_DEPTH"):
        read_profile(path)


def test_oversized_client_yaml_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "client.yaml"
    path.write_text("name: Acme\n# " + "x" * 5000 + "\n")
    monkeypatch.setenv("SOCIALKIT_MAX_PROFILE_BYTES", "1000")
    with pytest.raises(ProfileError, match="MAX_PROFILE_BYTES"):
        read_profile(path)


def test_profile_errors_never_repr_a_whole_value(tmp_path):
    path = tmp_path / "client.yaml"
    path.write_text("name: Acme\nstrategy_start: [" + ", ".join(["'x'"] * 5000) + "]\n")
    with pytest.raises(ProfileError) as exc:
        read_profile(path)
    assert len(str(exc.value)) < 300 and "strategy_start" in str(exc.value)


def test_million_column_header_is_refused_by_name(tmp_path):
    path = wide_csv(tmp_path / "posts.csv", columns=100_000)  # 700 KB; 1e6 is 80 s and 2.6 GB
    with within(5), pytest.raises((ExportError, SchemaError), match="MAX_COLUMNS") as exc:
        load_export(path)
    assert str(exc.value).startswith(str(path)) and "bug in socialkit" not in str(exc.value)


def test_oversized_export_is_refused_before_parsing(tmp_path, monkeypatch):
    c = client(tmp_path / "c", posts=50)
    monkeypatch.setenv("SOCIALKIT_MAX_EXPORT_BYTES", "1000")
    loaded = load_client(c)
    assert "MAX_EXPORT_BYTES" in loaded.files[0]["error"] and len(loaded.posts) == 0


def test_recursion_memory_and_time_of_one_file_stay_that_files_error(tmp_path, monkeypatch):
    import socialkit.client as client_module

    c = client(tmp_path / "c")
    deep_json(c / "exports" / "threads.json")
    (c / "exports" / "slow.csv").write_text("x\n1\n")
    (c / "exports" / "greedy.csv").write_text("x\n1\n")
    real = client_module._read_export

    def crafted(path, timezone=None):
        if path.name == "slow.csv":
            time.sleep(30)
        if path.name == "greedy.csv":
            raise MemoryError()
        return real(path, timezone)

    monkeypatch.setattr(client_module, "_read_export", crafted)
    monkeypatch.setenv("SOCIALKIT_MAX_FILE_SECONDS", "1")
    with within(10):
        loaded = load_client(c)
    errors = {f["file"]: f["error"] for f in loaded.files if f["error"]}
    assert "nested too deeply" in errors["exports/threads.json"]
    assert "out of memory" in errors["exports/greedy.csv"]
    assert "MAX_FILE_SECONDS" in errors["exports/slow.csv"]
    assert len(loaded.posts) == 3  # the good export still loads


def test_diagnose_all_keeps_going_past_crafted_clients(tmp_path, capsys):
    from socialkit.cli import main

    root = tmp_path / "clients"
    client(root / "good", "Good Co", posts=6)
    (client(root / "bomb") / "client.yaml").write_text(alias_bomb())
    (client(root / "deep") / "client.yaml").write_text(deep_yaml(100_000))
    with within(60):
        code = main(["diagnose", "--all", str(root)])
    captured = capsys.readouterr()
    assert code == 1 and "Good Co" in captured.out
    assert "bomb: " in captured.err and "deep: " in captured.err


def test_math_text_in_a_competitor_name_draws(tmp_path):
    from conftest import craft_posts, end_marker

    from socialkit import Client, plot

    c = Client.from_frames(
        {
            "name": "Acme",
            "competitors": [
                {"name": "$\\frac{$", "posts_per_week": 3, "engagement_rate": 0.02},
                {"name": "Cost $5 & $10", "posts_per_week": 2, "engagement_rate": 0.01},
            ],
        },
        posts=craft_posts({"instagram": [2] * 8}),
        followers=end_marker(),
    )
    with plot.figure(show=False) as ax:
        plot.peer_position(c, ax=ax)
        ax.figure.savefig(tmp_path / "peer.png")  # mathtext parsing happens when drawn
    texts = [t.get_text() for t in ax.texts]
    assert "\\$\\frac{\\$" in texts


YAML_SAMPLES = [
    "name: Acme\nindustry: food_beverage\nkpis: [comments, shares]\nevaluation_weeks: 26\n",
    "name: 'Café \u2615'\nstrategy_start: 2026-03-01\nactive: yes\nratio: 1.5e3\nnothing: ~\n",
    "competitors:\n  - name: Rival\n    followers: 3000\n    engagement_rate: 0.02\n"
    "notes: |\n  two\n  lines\n# a comment\n",
    'empty:\nlist: []\nmap: {}\nquoted: "a: b"\n',
    "dup: 1\ndup: 2\n",
    "",
]


@pytest.mark.parametrize("text", YAML_SAMPLES)
def test_libyaml_fast_path_reads_client_yaml_as_the_bounded_loader(text):
    from socialkit import safeyaml

    assert safeyaml._within_limits_whatever_its_shape(text)
    loader = safeyaml._BoundedLoader(text, "client.yaml")
    try:
        node = loader.get_single_node()
        expected = None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()
    assert safeyaml.load_yaml(text) == expected


def test_yaml_that_could_break_a_limit_is_never_given_to_libyaml(monkeypatch):
    from socialkit import safeyaml

    assert not safeyaml._within_limits_whatever_its_shape("a: &x 1\nb: *x\n")
    assert not safeyaml._within_limits_whatever_its_shape(deep_yaml(64))
    assert not safeyaml._within_limits_whatever_its_shape("- " * 70 + "x\n")
    monkeypatch.setattr(safeyaml.yaml, "CSafeLoader", None)  # would fail if it were used
    with pytest.raises(LimitError, match="MAX_YAML_DEPTH"):
        safeyaml.load_yaml(deep_yaml(80))
