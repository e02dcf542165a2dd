"""Issue 27, client folders as a boundary: links, special files, the salt, CSV cells.

Each attack is built in the test (small); each test asserts the safe outcome
and a bounded time.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest
from hostile import FORMULA_NAME, client, within

from socialkit.cli import main
from socialkit.client import load_client
from socialkit.privacy import SALT_FILE, project_salt
from socialkit.profile import ProfileError

SECRET = "ghp_S3cretT0kenValue"


def test_planted_salt_tmp_link_overwrites_nothing(tmp_path, capsys):
    victim = tmp_path / "victim" / "notes.txt"
    victim.parent.mkdir()
    victim.write_text("my notes\n")
    c = client(tmp_path / "c")
    (c / (SALT_FILE + ".tmp")).symlink_to(Path("..") / "victim" / "notes.txt")
    with within(10):
        assert main(["validate", str(c)]) == 0
    assert victim.read_text() == "my notes\n"
    salt = c / SALT_FILE
    assert stat.S_ISREG(os.lstat(salt).st_mode)
    assert stat.S_IMODE(os.lstat(salt).st_mode) == 0o600
    assert len(project_salt(c)) == 32


def test_salt_that_is_a_link_is_refused_and_target_untouched(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("a" * 64 + "\n")
    c = client(tmp_path / "c")
    (c / SALT_FILE).symlink_to(victim)
    with pytest.raises(ValueError, match="symbolic link"):
        project_salt(c)
    dangling = client(tmp_path / "d")
    (dangling / SALT_FILE).symlink_to(tmp_path / "created-by-us")
    with pytest.raises(ValueError, match="symbolic link"):
        project_salt(dangling)
    assert not (tmp_path / "created-by-us").exists()


def test_old_world_readable_salt_is_tightened(tmp_path):
    c = client(tmp_path / "c")
    (c / SALT_FILE).write_text("ab" * 32 + "\n")
    os.chmod(c / SALT_FILE, 0o644)
    assert project_salt(c) == bytes.fromhex("ab" * 32)
    assert stat.S_IMODE(os.stat(c / SALT_FILE).st_mode) == 0o600


def test_reports_are_written_readable_by_others(tmp_path):
    from socialkit.report.build import atomic_write

    atomic_write(tmp_path / "report.html", "<p>x</p>")
    assert stat.S_IMODE(os.stat(tmp_path / "report.html").st_mode) == 0o644


def test_credential_file_linked_as_client_yaml_is_refused_without_echo(tmp_path):
    creds = tmp_path / "home" / ".git-credentials"
    creds.parent.mkdir()
    creds.write_text(f"https://analyst:{SECRET}@github.com\n")
    c = client(tmp_path / "c")
    (c / "client.yaml").unlink()
    (c / "client.yaml").symlink_to(creds)
    with within(5), pytest.raises(ProfileError) as exc:
        load_client(c)
    assert "symbolic link" in str(exc.value) and SECRET not in str(exc.value)


def test_credential_link_fails_that_client_only_in_the_report_batch(tmp_path):
    from socialkit.report.batch import build_reports

    creds = tmp_path / "creds"
    creds.write_text(f"https://analyst:{SECRET}@github.com\n")
    bad = client(tmp_path / "clients" / "bad")
    (bad / "client.yaml").unlink()
    (bad / "client.yaml").symlink_to(creds)
    out = tmp_path / "reports"
    with within(20):  # refused before any notebook kernel starts
        results = build_reports([bad], out, jobs=1)
    assert [r["status"] for r in results] == ["failed"]
    assert "symbolic link" in results[0]["error"]
    for f in ("index.html", "summary.csv", "bad/run.json"):
        assert SECRET not in (out / f).read_text()


def test_report_all_with_an_unreadable_client_yaml_is_not_refused_as_a_batch(tmp_path, capsys):
    bad = client(tmp_path / "clients" / "bad")
    (bad / "client.yaml").unlink()
    (bad / "client.yaml").symlink_to(tmp_path / "nowhere.yaml")  # dangling: is_file() is False
    with within(20):
        code = main(["report", "--all", str(tmp_path / "clients"), "--out", str(tmp_path / "r")])
    assert code == 1  # the batch ran; that client failed (2 would be a refused batch)
    assert "0 of 1 report(s) ok" in capsys.readouterr().err


def test_passwd_like_export_link_is_refused_and_never_read(tmp_path, capsys):
    passwd = tmp_path / "etc" / "passwd"
    passwd.parent.mkdir()
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n")
    c = client(tmp_path / "c")
    (c / "exports" / "x.csv").symlink_to(passwd)
    with within(5):
        loaded = load_client(c)
    errors = {f["file"]: f["error"] for f in loaded.files if f["error"]}
    assert (
        list(errors) == ["exports/x.csv"] and "outside the client folder" in errors["exports/x.csv"]
    )
    assert "root:x" not in repr(loaded.files) and len(loaded.posts) == 3
    assert main(["validate", str(c)]) == 1
    assert "root:x" not in capsys.readouterr().out


def test_cross_client_exports_link_does_not_merge_other_clients_data(tmp_path):
    other = client(tmp_path / "other", "Other Co", posts=40)
    c = client(tmp_path / "c")
    for f in (c / "exports").iterdir():
        f.unlink()
    (c / "exports").rmdir()
    (c / "exports").symlink_to(other / "exports")
    with within(5):
        loaded = load_client(c)
    assert len(loaded.posts) == 0
    assert [f["file"] for f in loaded.files] == ["exports"]
    assert "symbolic link" in loaded.files[0]["error"]


def test_exports_link_to_root_is_a_clean_per_client_error(tmp_path):
    c = client(tmp_path / "c")
    for f in (c / "exports").iterdir():
        f.unlink()
    (c / "exports").rmdir()
    (c / "exports").symlink_to("/")
    with within(5):
        loaded = load_client(c)
    assert "symbolic link" in loaded.files[0]["error"] and len(loaded.files) == 1


def test_fifo_export_is_refused_without_blocking(tmp_path):
    c = client(tmp_path / "c")
    os.mkfifo(c / "exports" / "pipe.csv")
    with within(5):
        loaded = load_client(c)
    errors = [f["error"] for f in loaded.files if f["error"]]
    assert len(errors) == 1 and "named pipe" in errors[0]


def test_follow_symlinks_allows_links_inside_the_folder_only(tmp_path, monkeypatch):
    outside = client(tmp_path / "other", "Other", posts=5)
    c = client(tmp_path / "c")
    (c / "data").mkdir()
    (c / "exports" / "posts.csv").rename(c / "data" / "posts.csv")
    (c / "exports" / "inside.csv").symlink_to(Path("..") / "data" / "posts.csv")
    (c / "exports" / "outside.csv").symlink_to(outside / "exports" / "posts.csv")
    refused = load_client(c)
    assert len(refused.posts) == 0
    assert all("--follow-symlinks" in f["error"] for f in refused.files if "inside" in f["file"])
    followed = load_client(c, follow_symlinks=True)
    assert len(followed.posts) == 3
    errors = {f["file"]: f["error"] for f in followed.files if f["error"]}
    assert list(errors) == ["exports/outside.csv"]
    monkeypatch.delenv("SOCIALKIT_FOLLOW_SYMLINKS", raising=False)
    assert main(["validate", "--follow-symlinks", str(c)]) == 1  # outside.csv still refused


def test_input_hash_never_reads_through_links(tmp_path):
    from socialkit.report.build import input_hash

    c = client(tmp_path / "c")
    (c / "exports" / "root").symlink_to("/")
    os.mkfifo(c / "exports" / "pipe.csv")
    template = tmp_path / "t.ipynb"
    template.write_text("{}")
    with within(20):
        first = input_hash(c, template)
    (c / "exports" / "root").unlink()
    assert input_hash(c, template) != first  # the link counts, by name


def test_control_characters_in_file_names_are_escaped(tmp_path, capsys):
    c = client(tmp_path / "c")
    (c / "exports" / "evil\x1b[2J\rname.csv").write_text("nothing,here\n1,2\n")
    main(["validate", str(c)])
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out
    assert "evil\\x1b[2J\\rname.csv" in out


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _formula(cell: str) -> bool:
    from socialkit.safecsv import _NUMBER

    return cell[:1] in ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠") and not (
        _NUMBER.fullmatch(cell)
    )


def test_formula_client_name_is_neutralised_in_summary_csv(tmp_path):
    from socialkit.report.batch import write_summary

    results = [
        {"client": FORMULA_NAME, "slug": "a", "status": "failed", "error": "@SUM(1+1)*cmd|' /C calc'!A0"},
        {"client": "＝1+1", "slug": "b", "status": "failed", "error": "-2+3"},
        {"client": "\tTab", "slug": "c", "status": "failed", "error": "-12.5"},
    ]  # fmt: skip
    text = write_summary(tmp_path, results).read_text()
    cells = _cells(text)
    assert not [c for c in cells if _formula(c)], text
    assert "'" + FORMULA_NAME in cells and "-12.5" in cells  # a number stays a number


def test_formula_client_name_is_neutralised_in_diagnose_all_csv(tmp_path, capsys):
    root = tmp_path / "clients"
    client(root / "-2+3", FORMULA_NAME, posts=6)
    client(root / "plain", "+Plain", posts=6)
    with within(60):
        main(["diagnose", "--all", str(root), "--out", str(tmp_path / "out")])
    cells = _cells((tmp_path / "out" / "summary.csv").read_text())
    assert "'" + FORMULA_NAME in cells and "'-2+3" in cells and "'+Plain" in cells
    assert not [c for c in cells if _formula(c)]


def test_safe_cell_keeps_numbers_and_neutralises_every_formula_start():
    from socialkit.safecsv import safe_cell

    for value in (-3, -0.25, 7, "-3", "-0.25", "+4", "1e-3", "-1E+3", None, "plain"):
        assert safe_cell(value) == value
    for text in ("=1+1", "+1+1", "-1+1", "@A1", "\t=1", "\r=1", "＝1", "＋1", "－1", "＠A1", "-"):
        assert safe_cell(text) == "'" + text


def test_diagnose_all_on_a_folder_without_clients_says_so_and_fails(tmp_path, capsys):
    (tmp_path / "empty" / "not-a-client").mkdir(parents=True)  # no client.yaml in it
    assert main(["diagnose", "--all", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert "no client folder under" in err and "client.yaml" in err
