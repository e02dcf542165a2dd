"""`socialkit report` options: a bad period, brand file or missing browser fails before any client runs."""

import pytest

from socialkit.cli import main
from socialkit.report.brand import load_brand


@pytest.fixture
def client(demo_dir):
    return str(demo_dir / "harbour-bakery")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "YYYY-MM"),
        (["--period", "2026-10", "--from", "2026-10-01"], "either a period"),
        (["--from", "2026-10-10", "--to", "2026-10-01"], "before"),
    ],
)
def test_a_bad_period_is_refused_before_the_batch(client, tmp_path, capsys, args, message):
    assert main(["report", client, "--out", str(tmp_path / "r"), *args]) != 0
    assert message in capsys.readouterr().err
    assert not (tmp_path / "r" / "harbour-bakery").exists()  # no client was run


def test_a_missing_browser_is_named_before_the_batch(client, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SOCIALKIT_CHROMIUM", str(tmp_path / "no-browser"))
    assert main(["report", client, "--out", str(tmp_path / "r"), "--pdf"]) != 0
    assert "apt-get install chromium" in capsys.readouterr().err


def test_agency_file_is_validated_and_its_logo_embedded(tmp_path):
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    good = tmp_path / "agency.yaml"
    good.write_text("name: Acme\nprimary_colour: '#0072B2'\nlogo: logo.png\npaper: letter\n")
    brand = load_brand(good)
    assert brand["logo_uri"].startswith("data:image/png;base64,") and brand["paper"] == "letter"
    for text, message in (
        ("colour: red\n", "unknown key"),
        ("primary_colour: 'red;}body{display:none'\n", "hex colour"),
        ("logo: ../../etc/passwd\n", ".png, .jpg or .svg"),
        ("logo: missing.png\n", "does not exist"),
        ("paper: A3\n", "A4 or letter"),
    ):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text)
        with pytest.raises(ValueError, match=message):
            load_brand(bad)


def test_a_bad_agency_file_stops_the_cli_with_its_key(client, tmp_path, capsys):
    bad = tmp_path / "agency.yaml"
    bad.write_text("primary_colour: nope\n")
    assert main(["report", client, "--out", str(tmp_path / "r"), "--brand", str(bad)]) != 0
    assert "primary_colour" in capsys.readouterr().err
