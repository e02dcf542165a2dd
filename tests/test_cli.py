import json
import os
import subprocess
import sys

import pytest

from socialkit.checks import CATALOGUE
from socialkit.cli import main


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "socialkit", *args], capture_output=True, text=True, timeout=300
    )


def test_python_m_and_help():
    r = run("--help")
    assert r.returncode == 0 and "diagnose" in r.stdout
    assert run().returncode == 2


def test_demo_command(tmp_path):
    r = run("demo", "--out", str(tmp_path), "--clients", "2", "--seed", "5")
    assert r.returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["harbour-bakery", "nimbus-outdoor"]


def test_diagnose_json_lists_every_catalogue_id_once(demo_dir, capsys):
    assert main(["diagnose", str(demo_dir / "nimbus-outdoor"), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    ids = [f["check"] for f in doc["findings"]]
    assert sorted(ids) == sorted(CATALOGUE) and len(ids) == len(set(ids))
    assert doc["client"] == "Nimbus Outdoor" and doc["as_of"] == "2026-10-31"
    assert doc["data"]["rows_quarantined"] == 0 and len(doc["data"]["platforms"]) == 6
    f = next(f for f in doc["findings"] if f["check"] == "platform.dilution")
    assert f["status"] == "fail" and f["evidence"] and f["recommendation"]


@pytest.mark.parametrize("fmt, marker", [("table", "fail "), ("markdown", "| status |")])
def test_diagnose_other_formats(demo_dir, capsys, fmt, marker):
    assert main(["diagnose", str(demo_dir / "nimbus-outdoor"), "--format", fmt]) == 0
    assert marker in capsys.readouterr().out


def test_diagnose_fail_on(demo_dir):
    assert main(["diagnose", str(demo_dir / "nimbus-outdoor"), "--fail-on", "fail"]) == 1
    assert main(["diagnose", str(demo_dir / "harbour-bakery"), "--fail-on", "fail"]) == 0


def test_diagnose_bad_input_exit_2(tmp_path, capsys):
    assert main(["diagnose", str(tmp_path / "nope")]) == 2
    (tmp_path / "client.yaml").write_text("name: A\nobjective: fame\n")
    assert main(["diagnose", str(tmp_path)]) == 2
    assert "awareness" in capsys.readouterr().err


def test_validate_exit_codes_and_json(demo_dir, tmp_path, capsys):
    assert main(["validate", str(demo_dir / "harbour-bakery"), "--format", "json"]) == 0
    files = json.loads(capsys.readouterr().out)
    assert {f["table"] for f in files} == {"posts", "followers", "comments"}
    posts = [f for f in files if f["table"] == "posts"]
    assert all(f["rows_in"] == f["rows_loaded"] + f["rows_quarantined"] for f in posts)
    assert {p for f in posts for p in f["platforms"]} == {"facebook", "instagram"}
    assert {f["format"] for f in posts} == {"meta_facebook", "meta_instagram"}
    bad = tmp_path / "mystery.csv"
    bad.write_text("foo,bar\n1,2\n")
    assert main(["validate", str(bad), "--format", "json"]) == 1
    err = json.loads(capsys.readouterr().out)[0]["error"]
    assert "canonical" in err and "'foo'" in err


def test_validate_table_shows_quarantine_reasons(tmp_path, capsys):
    f = tmp_path / "posts.csv"
    f.write_text("platform,post_id,published_at\ninstagram,1,2026-01-01\nmyspace,2,2026-01-01\n")
    assert main(["validate", str(f)]) == 0
    out = capsys.readouterr().out
    assert "quarantined 1 × platform: enum" in out


def test_report_rejects_non_client_folder(tmp_path):
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "r")]) == 2
    assert main(["report", "--out", str(tmp_path / "r")]) == 2


def test_report_progress_bar_on_a_terminal_and_log_lines_otherwise():
    import io

    from socialkit.cli import _Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    tty, log = Terminal(), io.StringIO()
    for stream in (tty, log):
        p = _Progress(stream)
        p(1, 3, {"slug": "a", "status": "skipped-unchanged"})
        p(2, 3, {"slug": "b", "status": "ok", "seconds": 2.0})
        p(3, 3, {"slug": "c", "status": "timed-out", "error": "stopped after 5 s", "seconds": 5.0})
    lines = log.getvalue().splitlines()
    assert lines[0] == "[1/3] a skipped-unchanged · ETA …"
    assert lines[1].startswith("[2/3] b ok (2.0 s) · ETA ") and lines[1].endswith(" s")
    assert lines[2] == "[3/3] c timed-out (5.0 s): stopped after 5 s · done"
    shown = tty.getvalue()
    assert shown.count("\r\x1b[2K[") == 3 and "[########################] [3/3]" in shown


def test_console_diagnose_ends_with_all_output_and_the_same_code(demo_dir, tmp_path, capsys):
    """The console script ends validate and diagnose without the interpreter's teardown
    (socialkit.cli.run): every line is still written, through a pipe too, with the exit
    code main() gives; and to a closed pipe it fails as Python does, not silently."""
    args = ["diagnose", "--all", str(demo_dir), "--format", "json", "--fail-on", "warn"]
    code = main(args)
    expected = capsys.readouterr().out
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    r = subprocess.run(
        [sys.executable, "-m", "socialkit", *args], capture_output=True, text=True, env=buffered
    )
    assert (r.returncode, r.stdout) == (code, expected) and code == 1
    assert len(expected.splitlines()) == len(list(demo_dir.iterdir())) > 1
    r = run("validate", str(demo_dir / "nimbus-outdoor"), "--format", "json")
    assert r.returncode == main(["validate", str(demo_dir / "nimbus-outdoor"), "--format", "json"])
    assert json.loads(r.stdout) == json.loads(capsys.readouterr().out)
    # a reader that stops at once: the write fails, and the exit code says so
    cmd = f"{sys.executable} -m socialkit {' '.join(args)} | head -c 1 > /dev/null"
    pipe = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True)
    assert pipe.returncode != 0
